"""Directory groups → the ADMIN role and team memberships, at each sign-in (OIDC, LDAP) and from SCIM.

The team side is a seam to the teams feature (server/services/teams/, SPEC 11.1): when that package
offers `sync_directory_memberships(user_id, wanted, managed)`, it is called inside the sign-in's
transaction; without it, memberships are left alone (logged once per process)."""
import importlib
import logging

from .models import record

log = logging.getLogger("tracker.identity")
_missing_logged = []


def admin_role(role, groups, admin_groups):
    """The role the groups give: ADMIN in an admin group, EMPLOYEE when the admin groups are
    configured and the user left them all. Owners and unconfigured admin groups: unchanged."""
    if role == "OWNER" or not admin_groups:
        return role
    wanted = {name.lower() for name in admin_groups}
    return "ADMIN" if any(group.lower() in wanted for group in groups) else "EMPLOYEE"


def wanted_teams(groups, team_map):
    """{team name: role} the user's groups ask for; of two groups naming one team, the stronger
    role wins (lead > viewer > member)."""
    rank = {"member": 0, "viewer": 1, "lead": 2}
    by_group = {group.lower(): target for group, target in team_map.items()}
    wanted = {}
    for group in groups:
        target = by_group.get(group.lower())
        if target and rank[target["role"]] >= rank.get(wanted.get(target["team"]), -1):
            wanted[target["team"]] = target["role"]
    return wanted


def sync_teams(user_id, wanted, managed):
    """The integration seam: `server.services.teams.sync_directory_memberships(user_id, wanted,
    managed)` sets the user's role in each team of `wanted` ({team name: role}; a missing team is
    created) and ends their membership of the `managed` teams (every team the map names) that
    `wanted` lacks; teams the map does not name are not touched."""
    try:
        teams = importlib.import_module("server.services.teams")
    except ImportError:
        teams = None
    sync = getattr(teams, "sync_directory_memberships", None)
    if sync is None:
        if not _missing_logged:
            _missing_logged.append(True)
            log.warning("team maps are configured but this build has no teams feature; skipped")
        return
    sync(user_id, wanted, managed)


def apply_group_map(user, groups, team_map, admin_groups):
    """Set the user's ADMIN role and team memberships from their directory groups; call inside
    the sign-in's transaction. Saves the user when the role changes (and logs it)."""
    groups = [group for group in groups if isinstance(group, str)]
    role = admin_role(user.role, groups, admin_groups)
    if role != user.role:
        record("role_from_groups", user=user, detail="%s -> %s" % (user.role, role))
        user.role = role
        user.save()
    if team_map:
        managed = {target["team"] for target in team_map.values()}
        sync_teams(user.id, wanted_teams(groups, team_map), managed)
    return user
