"""Teams and memberships: create, rename, delete a team; give a user a role in it or take it
away. Each change runs on the writer, one transaction with its team_log row (append-only) and
its `team.changed` push event (to admins, to the user it names and to whoever reads the team)."""
import peewee as pw

from server.store.database import db, is_postgres
from server.store.models import TEAM_ROLES, Team, TeamLog, TeamMember, User
from server.store.times import utcnow
from server.services.core import validate
from server.services.core.errors import Conflict, NotFound, ValidationError
from server.services.record import eventlog
from server.services.absences.holidays_of import known_place
from server.services.language.text import _l

NAME_MAX = 200


def parse_team(data, partial=False):
    """{"name", "description"?, "country"?, "region"?} of a new team; with `partial`, an edit of
    any of them."""
    validate.require_object(data)
    validate.only_fields(data, ("name", "description", "country", "region"))
    if partial and not data:
        raise ValidationError(_l("nothing to change: send name, description, country or region"))
    fields = {}
    if "name" in data or not partial:
        fields["name"] = validate.text(data, "name", NAME_MAX, min_len=1, required=True).strip()
    if "description" in data:
        fields["description"] = validate.text(data, "description", 10000)
    fields.update(parse_place(data, partial))
    return fields


def parse_place(data, partial):
    """The team's place of public holidays. A country comes with its region (none when not sent:
    a region belongs to its country); a region sent alone, in an edit, is checked against the
    team's country by edit_team."""
    country = validate.text(data, "country", 8) if "country" in data else None
    region = validate.text(data, "region", 64) if "region" in data else None
    if "country" in data or (not partial and "region" in data):
        found = known_place(country, region)
        return {"country": found[0], "region": found[1]}
    return {"region": (region or "").strip() or None} if "region" in data else {}


def place_text(country, region):
    """A place as the log says it: "DE, region BY"."""
    if country is None:
        return "the company's (no country of its own)"
    return country + (", region %s" % region if region else "")


def parse_role(data):
    validate.require_object(data)
    validate.only_fields(data, ("role",))
    return validate.choice(data, "role", TEAM_ROLES, required=True)


def brief(team):
    return {"id": team.id, "name": team.name, "description": team.description,
            "country": team.country, "region": team.region}


def members_of(team_ids):
    """{team id: [{user, role}…] by username} of the given teams, one query."""
    found = {team_id: [] for team_id in team_ids}
    if not team_ids:
        return found
    rows = (TeamMember.select(TeamMember.team, TeamMember.role, User.id, User.username, User.full_name)
            .join(User, on=(TeamMember.user == User.id)).where(TeamMember.team.in_(list(team_ids)))
            .order_by(User.username).tuples())
    for team_id, role, user_id, username, full_name in rows:
        found[team_id].append({"user": {"id": user_id, "username": username, "full_name": full_name},
                               "role": role})
    return found


def teams(scope=None):
    """Every team by name with its members (or, with a lead's or viewer's scope, the teams read)."""
    query = Team.select().order_by(pw.fn.LOWER(Team.name))
    if scope is not None and not scope.everything:
        query = query.where(Team.id.in_(sorted(scope.teams) or [0]))
    found = list(query)
    members = members_of([team.id for team in found])
    return [dict(brief(team), members=members[team.id]) for team in found]


def team(team_id):
    """One team with its members, or NotFound."""
    found = Team.get_or_none(Team.id == team_id)
    if found is None:
        raise NotFound(_l("team %(team_id)s does not exist", team_id=team_id))
    return dict(brief(found), members=members_of([found.id])[found.id])


def _name_taken(name, but=None):
    query = Team.select(Team.id).where(pw.fn.LOWER(Team.name) == name.lower())
    if but is not None:
        query = query.where(Team.id != but)
    if query.exists():
        raise Conflict(_l("a team named %(name)s already exists", name=name), "name")


def _record(actor, team, action, notes, user=None, role=None, now=None):
    """The log row and the push event of one change."""
    now = now or utcnow()
    TeamLog.create(team_id=team.id, team_name=team.name, actor_id=actor.id if actor else None,
                   action=action, user_id=user.id if user else None, role=role, notes=notes,
                   created_at=now)
    change = {"action": action, "role": role,
              "user": {"id": user.id, "username": user.username, "full_name": user.full_name}
              if user else None}
    eventlog.append("team.changed", team=dict(brief(team), change=change),
                    subject_id=user.id if user else None, now=now)


def create_team(actor, fields):
    _name_taken(fields["name"])
    try:
        with db.atomic():  # another process may have taken the name since: the index tells
            created = Team.create(id=_new_id(), name=fields["name"],
                                  description=fields.get("description", ""),
                                  country=fields.get("country"), region=fields.get("region"),
                                  created_at=utcnow())
    except pw.IntegrityError:
        raise Conflict(_l("a team named %(name)s already exists",
                          name=fields['name']), "name") from None
    notes = "Team %s created" % created.name
    if created.country:
        notes += "; public holidays: %s" % place_text(created.country, created.region)
    _record(actor, created, "team_created", notes)
    return team(created.id)


def _new_id():
    """The new team's id, never one a deleted team had: its log rows, a SCIM client and old links
    still name that id. PostgreSQL's sequence never gives one back (None: let it choose); SQLite's
    rowid reuses the largest id once that team is deleted, so the id comes after every team the
    log has ever named. The writer's transaction makes this the only team being created."""
    if is_postgres():
        return None
    used = [Team.select(pw.fn.MAX(Team.id)).scalar(), TeamLog.select(pw.fn.MAX(TeamLog.team_id)).scalar()]
    return max(value or 0 for value in used) + 1


def _get(team_id):
    found = Team.get_or_none(Team.id == team_id)
    if found is None:
        raise NotFound(_l("team %(team_id)s does not exist", team_id=team_id))
    return found


def edit_team(actor, team_id, fields):
    found, notes = _get(team_id), []
    if "name" in fields and fields["name"] != found.name:
        _name_taken(fields["name"], but=found.id)
        notes.append("Renamed from %s to %s" % (found.name, fields["name"]))
        found.name = fields["name"]
    if "description" in fields and fields["description"] != found.description:
        notes.append("Description changed")
        found.description = fields["description"]
    notes.extend(_move(found, fields))
    if notes:
        found.save()
        _record(actor, found, "team_edited", "; ".join(notes))
    return team(found.id)


def _move(found, fields):
    """The team's new place, if it changes (a region alone goes with the team's country)."""
    if "region" in fields and "country" not in fields:
        fields = dict(fields, country=found.country, region=known_place(found.country, fields["region"])[1])
    if "country" not in fields or (fields["country"], fields["region"]) == (found.country, found.region):
        return []
    found.country, found.region = fields["country"], fields["region"]
    return ["Public holidays: %s" % place_text(found.country, found.region)]


def delete_team(actor, team_id):
    """The team and its memberships go; the people keep their tasks (nobody reads them through
    this team any more). The log keeps the team's name."""
    found = _get(team_id)
    TeamMember.delete().where(TeamMember.team == found.id).execute()
    found.delete_instance()
    _record(actor, found, "team_deleted", "Team %s deleted" % found.name)


def _user(user_id):
    found = User.get_or_none(User.id == user_id)
    if found is None:
        raise NotFound(_l("user %(user_id)s does not exist", user_id=user_id))
    return found


def set_membership(actor, team_id, user_id, role, source=""):
    """Make the user a member / lead / viewer of the team (adding or changing the role); returns
    the team. Nothing changes (no log row, no event) when the role is already that."""
    found, person = _get(team_id), _user(user_id)
    current = TeamMember.get_or_none(TeamMember.team == found.id, TeamMember.user == person.id)
    if current is not None and current.role == role:
        return team(found.id)
    if current is None:
        TeamMember.create(team=found.id, user=person.id, role=role, source=source,
                          created_at=utcnow())
        _record(actor, found, "member_added", "added as %s" % role, person, role)
    else:
        notes = "changed from %s to %s" % (current.role, role)  # user_id names the person
        TeamMember.update(role=role, source=source).where(TeamMember.id == current.id).execute()
        _record(actor, found, "role_changed", notes, person, role)
    return team(found.id)


def remove_membership(actor, team_id, user_id):
    """Take the user out of the team (404 when not in it). Their tasks stay theirs; the team's
    leads and viewers no longer see them (docs/teams.md: how an admin moves them)."""
    found, person = _get(team_id), _user(user_id)
    removed = TeamMember.delete().where(TeamMember.team == found.id,
                                        TeamMember.user == person.id).execute()
    if not removed:
        raise NotFound(_l("user %(user_id)s is not in team %(team_id)s",
                          user_id=user_id, team_id=team_id))
    _record(actor, found, "member_removed", "removed", person)
    return team(found.id)


def memberships(user_id):
    """[{id, name, role}] of the user's teams, by name (GET /api/me/, the People page)."""
    rows = (TeamMember.select(Team.id, Team.name, TeamMember.role)
            .join(Team, on=(TeamMember.team == Team.id)).where(TeamMember.user == user_id)
            .order_by(pw.fn.LOWER(Team.name)).tuples())
    return [{"id": team_id, "name": name, "role": role} for team_id, name, role in rows]


def memberships_by_user():
    """{user id: [{id, name, role}…]} of every membership (the People page), one query."""
    found = {}
    rows = (TeamMember.select(TeamMember.user, Team.id, Team.name, TeamMember.role)
            .join(Team, on=(TeamMember.team == Team.id)).order_by(pw.fn.LOWER(Team.name)).tuples())
    for user_id, team_id, name, role in rows:
        found.setdefault(user_id, []).append({"id": team_id, "name": name, "role": role})
    return found
