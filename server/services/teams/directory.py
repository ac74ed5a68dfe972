"""What a sign-in from a directory (OpenID Connect groups, LDAP groups, SCIM) calls to set a
user's teams: `ensure_team(name)` and `set_memberships_from_directory(user, pairs, source)`.
Both run inside the caller's write transaction (on the writer), with the log rows and events of
service.py."""
import peewee as pw

from server.store.models import TEAM_ROLES, Team, TeamMember

from server.services.core.errors import ValidationError
from server.services.teams import service
from server.services.language.text import _l


def ensure_team(name, actor=None):
    """The team of that name (whatever its case), created when there is none."""
    name = name.strip()
    if not name or len(name) > service.NAME_MAX:
        raise ValidationError(_l("a team name has 1 to %(name_max)d characters",
                                 name_max=service.NAME_MAX), "team")
    found = Team.get_or_none(pw.fn.LOWER(Team.name) == name.lower())
    if found is not None:
        return found
    return Team.get_by_id(service.create_team(actor, {"name": name, "description": ""})["id"])


def set_memberships_from_directory(user, pairs, source, actor=None):
    """Make the memberships `source` (e.g. "oidc", "ldap") gives `user` exactly `pairs`, a list of
    (team name, role): teams are created as needed, roles set, and the memberships this source
    gave before and no longer gives are removed. Memberships set by hand or by another source
    are left alone, unless the directory names their team (the directory's role wins). With one
    team named twice, the stronger role counts (lead, then viewer, then member). Returns the
    number of changes made."""
    wanted = {}
    for name, role in pairs:
        if role not in TEAM_ROLES:
            raise ValidationError(_l("role must be one of %(choices)s",
                                     choices=', '.join(TEAM_ROLES)), "role")
        team = ensure_team(name, actor)
        if _strength(role) > _strength(wanted.get(team.id, (None, None))[1]):
            wanted[team.id] = (team, role)
    changes = 0
    held = {m.team_id: m for m in TeamMember.select().where(TeamMember.user == user.id)}
    for team_id, (team, role) in wanted.items():
        current = held.get(team_id)
        if current is None or current.role != role:
            service.set_membership(actor, team_id, user.id, role, source)
            changes += 1
        elif current.source != source:
            TeamMember.update(source=source).where(TeamMember.id == current.id).execute()
    for team_id, current in held.items():
        if current.source == source and team_id not in wanted:
            service.remove_membership(actor, team_id, user.id)
            changes += 1
    return changes


def _strength(role):
    return {"member": 1, "viewer": 2, "lead": 3}.get(role, 0)
