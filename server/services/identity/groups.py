"""Directory groups → the ADMIN role and team memberships, at each sign-in (OIDC, LDAP), from SCIM
and the CSV import; the memberships through services/teams/directory.py, inside the sign-in's
transaction (each change a team log row and a push event, as by hand)."""
from server.store.models import Team, TeamMember, User
from server.services.identity.models import record
from server.services.teams import directory, service as team_service


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


def sync_teams(user_id, wanted, managed, source="directory"):
    """Set the user's role in each team of `wanted` ({team name: role}; a missing team is
    created: services/teams/directory.py) and end their membership of the `managed` teams (every
    team the map names) that `wanted` lacks, whoever set it; memberships `source` gave before and
    no longer gives end too. Other teams are not touched."""
    user = User.get_by_id(user_id)
    directory.set_memberships_from_directory(user, sorted(wanted.items()), source)
    lost = {name.lower() for name in managed} - {name.lower() for name in wanted}
    held = TeamMember.select(TeamMember.team, Team.name).join(Team).where(TeamMember.user == user_id)
    for team_id, name in held.tuples():
        if name.lower() in lost:
            team_service.remove_membership(None, team_id, user_id)


def apply_group_map(user, groups, team_map, admin_groups, source="directory"):
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
        sync_teams(user.id, wanted_teams(groups, team_map), managed, source)
    return user
