"""What every handler knows of the teams: the signed-in user's scope, from the app's cache."""
from server.services.teams import scope as scope_rule

CACHED = 20000  # users' scopes held at most (then the cache starts over)


class Scoped:
    """A mixin of BaseHandler: `self.scope` (services/teams/scope.py). The app keeps each
    non-admin user's scope (`svc.scopes`) until a team changes or the user does (see app.py),
    so a poll or a page costs no query; a held push connection has its scope replaced then."""
    _scope = None

    @property
    def scope(self):
        if self._scope is None:
            self._scope = cached_scope(self.svc.scopes, self.current_user)
        return self._scope

    @scope.setter
    def scope(self, value):
        self._scope = value


def cached_scope(cache, user):
    """The user's scope: an admin's costs nothing; anyone else's is read once, then kept."""
    if user.is_admin:
        return scope_rule.of(user)
    found = cache.get(user.id)
    if found is None:
        if len(cache) >= CACHED:
            cache.clear()
        found = cache[user.id] = scope_rule.of(user)
    return found
