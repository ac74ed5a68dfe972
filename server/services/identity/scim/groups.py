"""SCIM Groups as the teams they are (SPEC 11.2), read side: id = the team's id, displayName =
its name, members = its memberships, each {value: the user's id as /Users gives it, $ref, type
"User", display: what the SCIM client sent with it, else the person's name}. The externalId
and the displays are kept in scim_group and scim_member (migration 20); the rest is the team."""
import datetime

import peewee as pw
from scim2_models import (Error, Group, GroupMember, GroupMembership, Meta, NotFoundException,
                          SCIMException)

from server.store.models import Team, TeamLog, TeamMember, User
from server.services.identity.models import ScimGroup, ScimMember


def refused(exc):
    """The SCIM exception a pydantic ValidationError of scim2-models stands for (its scimType
    kept: invalidPath, mutability, invalidValue…)."""
    return SCIMException.from_error(Error.from_validation_errors(exc)[0])


def team_row(team_id):
    found = Team.get_or_none(Team.id == team_id)
    if found is None:
        raise NotFoundException(detail="no group %s" % team_id)
    return found


def aware(value):
    return value.replace(tzinfo=datetime.timezone.utc)


def members_of(team_ids):
    """{team id: [(user id, display)…]} by user id, one query: the client's display, else the
    person's full name (or username)."""
    found = {team_id: [] for team_id in team_ids}
    rows = (TeamMember.select(TeamMember.team, User.id, User.full_name, User.username,
                              ScimMember.display)
            .join(User, on=(TeamMember.user == User.id)).switch(TeamMember)
            .join(ScimMember, pw.JOIN.LEFT_OUTER, on=(ScimMember.membership == TeamMember.id))
            .where(TeamMember.team.in_(list(team_ids) or [0])).order_by(User.id).tuples())
    for team_id, user_id, full_name, username, display in rows:
        found[team_id].append((user_id, display or full_name or username))
    return found


def modified_of(team_ids):
    """{team id: when it last changed} from the team log (names, members, anything by hand)."""
    rows = (TeamLog.select(TeamLog.team_id, pw.fn.MAX(TeamLog.created_at))
            .where(TeamLog.team_id.in_(list(team_ids) or [0])).group_by(TeamLog.team_id).tuples())
    return {team_id: when for team_id, when in rows}


def external_of(team_ids):
    rows = ScimGroup.select(ScimGroup.team, ScimGroup.external_id).where(
        ScimGroup.team.in_(list(team_ids) or [0])).tuples()
    return dict(rows)


def resources(teams, base):
    """The teams as Group resources, in their order (four queries, whatever their number)."""
    ids = [team.id for team in teams]
    members, modified, external = members_of(ids), modified_of(ids), external_of(ids)
    return [Group(id=str(team.id), external_id=external.get(team.id), display_name=team.name,
                  members=[GroupMember(value=str(user_id), ref="%s/Users/%d" % (base, user_id),
                                       type="User", display=display)
                           for user_id, display in members[team.id]] or None,
                  meta=Meta(resource_type="Group", created=aware(team.created_at),
                            last_modified=aware(modified.get(team.id) or team.created_at),
                            location="%s/Groups/%d" % (base, team.id)))
            for team in teams]


def loaded(team_id, base):
    """One team as a Group, or NotFoundException (404)."""
    return resources([team_row(team_id)], base)[0]


def listing(base, scim_filter=None, by_name=None):
    """Every team matching the parsed filter, by id; `displayName eq "…"` (what clients ask before
    they create a group) reads one row by the name's index instead of every team."""
    teams = Team.select().order_by(Team.id)
    if by_name is not None:
        name = by_name.group(1).replace('\\"', '"')
        teams = teams.where(pw.fn.LOWER(Team.name) == name.lower())
    found = resources(list(teams), base)
    return [g for g in found if scim_filter is None or scim_filter.match(g)]


def groups_of(user_id, base):
    """A user's `groups` (read-only on Users): their teams, whatever their role there."""
    rows = (Team.select(Team.id, Team.name).join(TeamMember, on=(TeamMember.team == Team.id))
            .where(TeamMember.user == user_id).order_by(Team.id).tuples())
    return [GroupMembership(value=str(team_id), ref="%s/Groups/%d" % (base, team_id),
                            display=name, type="direct") for team_id, name in rows] or None
