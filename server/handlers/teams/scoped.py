"""What every handler knows of the teams: the signed-in user's scope, read once per request."""
from server.services.teams import scope as scope_rule


class Scoped:
    """A mixin of BaseHandler: `self.scope` (services/teams/scope.py); a held push connection
    has it replaced when a team changes (see scope.rescope)."""
    _scope = None

    @property
    def scope(self):
        if self._scope is None:
            self._scope = scope_rule.of(self.current_user)
        return self._scope

    @scope.setter
    def scope(self, value):
        self._scope = value
