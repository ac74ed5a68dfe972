"""SCIM Groups, write side: create, replace, patch and delete teams. Every change goes through
the team service (services/teams/service.py), so each is a team_log row and a `team.changed`
event, as a change by hand is. A member SCIM adds becomes a `member` (source "scim") unless
they hold a role there already (a lead or viewer stays one); a member SCIM removes leaves the
team. All or nothing: every name and member is checked before anything is written. On the
writer."""
import re

import peewee as pw
import pydantic
from scim2_models import (Context, Group, InvalidValueException, PatchOp, UniquenessException)

from server.store.models import Team, TeamMember, User
from server.services.teams import service
from server.services.identity.models import ScimGroup, ScimMember
from server.services.identity.scim.groups import loaded, refused, team_row

SOURCE = "scim"
TEXT_MAX = 255  # externalId and a member's display (their columns)
USER_ID = re.compile(r"^[0-9]{1,12}$")
REMOVE_BY_VALUE = re.compile(r'^\s*members\s*\[\s*value\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\]\s*$', re.I)


def parsed(payload, context):
    try:
        return Group.model_validate(payload, scim_ctx=context)
    except pydantic.ValidationError as exc:
        raise refused(exc) from None


def checked_name(group, team_id=None):
    """The team name a group's displayName gives: 1 to 200 characters, no other team's."""
    name = (group.display_name or "").strip()
    if not name or len(name) > service.NAME_MAX:
        raise InvalidValueException(detail="displayName has 1 to %d characters" % service.NAME_MAX)
    taken = Team.select(Team.id).where(pw.fn.LOWER(Team.name) == name.lower())
    if team_id is not None:
        taken = taken.where(Team.id != team_id)
    if taken.exists():
        raise UniquenessException(detail="a team named %s already exists" % name)
    return name


def checked_external_id(group):
    if group.external_id is not None and len(group.external_id) > TEXT_MAX:
        raise InvalidValueException(detail="externalId has at most %d characters" % TEXT_MAX)
    return group.external_id


def known_users(values):
    """The user ids `values` name, or InvalidValueException naming every one that is no user."""
    ids = {int(v) for v in values if USER_ID.match(v or "")}
    found = {u for (u,) in User.select(User.id).where(User.id.in_(list(ids) or [0])).tuples()}
    unknown = [v for v in values if not USER_ID.match(v or "") or int(v) not in found]
    if unknown:
        raise InvalidValueException(detail="members name no user: %s (a member's value is a "
                                    "user's id as /Users gives it)" % ", ".join(map(repr, unknown)))
    return found


def member_of(member):
    """(value, display) of one member, or InvalidValueException: a user, never a group."""
    if member.type not in (None, "User"):
        raise InvalidValueException(detail="members are users: groups of groups are not kept")
    value = member.value or ""
    if member.ref is not None and not str(member.ref).rstrip("/").endswith("/Users/" + value):
        raise InvalidValueException(detail="member %r: $ref names another resource" % value)
    if member.display is not None and len(member.display) > TEXT_MAX:
        raise InvalidValueException(detail="a member's display has at most %d characters" % TEXT_MAX)
    return value, member.display


def checked_members(group):
    """{user id: display or None} the group's members give (the first of a user named twice)."""
    pairs = [member_of(m) for m in group.members or []]
    known_users([value for value, _display in pairs])
    wanted = {}
    for value, display in pairs:
        wanted.setdefault(int(value), display)
    return wanted


def checked(group, team_id=None):
    """(name, externalId, members) of a group, everything checked before anything is written."""
    return checked_name(group, team_id), checked_external_id(group), checked_members(group)


def keep_external_id(team_id, external_id):
    kept = ScimGroup.get_or_none(ScimGroup.team == team_id)
    if kept is not None and kept.external_id != external_id:
        kept.delete_instance()
    if external_id is not None and (kept is None or kept.external_id != external_id):
        ScimGroup.create(team=team_id, external_id=external_id)


def set_members(team_id, wanted):
    """Make the team's members `wanted` ({user id: display}): those not named leave, those new
    come in as members with their display; anyone staying keeps their role and display."""
    held = {user_id for (user_id,) in TeamMember.select(TeamMember.user).where(
        TeamMember.team == team_id).tuples()}
    for user_id in sorted(held - set(wanted)):
        service.remove_membership(None, team_id, user_id)
    for user_id in sorted(set(wanted) - held):
        service.set_membership(None, team_id, user_id, "member", SOURCE)
        if wanted[user_id]:
            membership = TeamMember.get(TeamMember.team == team_id, TeamMember.user == user_id)
            ScimMember.create(membership=membership.id, display=wanted[user_id])


def store(team, name, external_id, wanted):
    if name != team.name:
        service.edit_team(None, team.id, {"name": name})
    keep_external_id(team.id, external_id)
    set_members(team.id, wanted)


def create(payload, base):
    name, external_id, wanted = checked(parsed(payload, Context.RESOURCE_CREATION_REQUEST))
    made = service.create_team(None, {"name": name, "description": ""})
    store(team_row(made["id"]), name, external_id, wanted)
    return loaded(made["id"], base)


def replace(team_id, payload, base):
    team = team_row(team_id)
    store(team, *checked(parsed(payload, Context.RESOURCE_REPLACEMENT_REQUEST), team.id))
    return loaded(team.id, base)


def entra_removals(payload):
    """Entra ID removes members with {"op": "Remove", "path": "members", "value": [{"value": id}]},
    which RFC 7644 does not allow (a filter in the path says what to remove): rewritten so."""
    operations = payload.get("Operations") if isinstance(payload, dict) else None
    if not isinstance(operations, list):
        return payload
    rewritten = []
    for op in operations:
        if not (isinstance(op, dict) and str(op.get("op", "")).lower() == "remove"
                and str(op.get("path", "")).lower() == "members" and isinstance(op.get("value"), list)):
            rewritten.append(op)
            continue
        values = [item.get("value") if isinstance(item, dict) else None for item in op["value"]]
        if not all(isinstance(value, str) for value in values):
            raise InvalidValueException(detail='members to remove are {"value": "<user id>"}')
        known_users(values)
        rewritten += [{"op": "remove", "path": 'members[value eq "%s"]' % v} for v in values]
    return dict(payload, Operations=rewritten)


def removed_values(operation):
    """The member a `members[value eq "…"]` removal names (it must be a user), else nothing."""
    found = REMOVE_BY_VALUE.match(str(operation.path or ""))
    return [found.group(1).replace('\\"', '"')] if found and operation.op == "remove" else []


def patch(team_id, payload, base):
    team = team_row(team_id)
    group = loaded(team.id, base)
    try:
        operation = PatchOp[Group].model_validate(entra_removals(payload),
                                                  scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    except pydantic.ValidationError as exc:
        raise refused(exc) from None
    known_users([v for op in operation.operations for v in removed_values(op)])
    operation.patch(group)
    store(team, *checked(group, team.id))
    return loaded(team.id, base)


def delete(team_id):
    """The team goes (service.delete_team: its memberships too; people keep their tasks)."""
    service.delete_team(None, team_row(team_id).id)
