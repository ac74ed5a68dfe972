"""What every handler knows of the teams: the signed-in user's scope, from the app's cache."""
from server.handlers.refusals import ApiError
from server.services.people import scope as scope_rule
from server.services.language.text import _l

CACHED = 20000  # users' scopes held at most (then the cache starts over)


class Scoped:
    """A mixin of BaseHandler: `self.scope` (services/people/scope.py). The app keeps each
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

    def check_access(self, access):
        """403 unless the user may use an endpoint for `access`: "admin" (admins and owners) or
        "staff" (also the leads and viewers of a team, who are then served their teams only)."""
        if access == "admin" and not self.current_user.is_admin:
            raise ApiError(403, _l("this endpoint is for admins and owners only"))
        if access == "staff" and not self.scope.staff:
            raise ApiError(403, _l("this endpoint is for admins, owners and team leads and viewers"))


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
