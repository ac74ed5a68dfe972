"""The admin reads as a lead or viewer gets them: the people a read is narrowed to (the time CSV,
the audit CSV's filter, the calendar feed's tasks, statistics in reports/teams.py) and a task's
dependency neighbours. Each narrows the company-wide read to the scope's people
(services/people/scope.py); admins get it whole. `?team=` narrows to one team the caller reads."""

from server.store.database import db, sql
from server.store.models import TeamMember
from server.services.core import validate
from server.services.core.errors import ValidationError
from server.services.people import scope as scope_rule
from server.services.language.text import _l

OUTSIDE = "a task outside your teams"

def parse_team(rule, args):
    """`?team=<id>` -> the id, when the caller reads that team; a team they do not read is
    refused as a missing one is."""
    team_id = validate.query_id(args, "team")
    if team_id is None:
        return None
    if not rule.sees_team(team_id) or not _team_exists(team_id):
        raise ValidationError(_l("team %(team_id)s does not exist", team_id=team_id), "team")
    return team_id


def _team_exists(team_id):
    return db.execute_sql(sql("SELECT 1 FROM team WHERE id = ?"), (team_id,)).fetchone() is not None


def team_people(rule, team_id):
    """The people one team gives (its members and leads)."""
    if not rule.everything:
        return rule.people_of(team_id)
    return frozenset(user_id for (user_id,) in TeamMember.select(TeamMember.user).where(
        TeamMember.team == team_id, TeamMember.role.in_(scope_rule.PART_ROLES)).tuples())


def people_of(rule, team_id=None):
    """The people a read is narrowed to, or None for the whole company."""
    if team_id is not None:
        return team_people(rule, team_id)
    return None if rule.everything else rule.people


def neighbours(rule, links):
    """A task's dependency neighbours as the scope shows them: a task outside it keeps its id and
    is named only "a task outside your teams" (no title, no assignee, nothing else)."""
    if rule.everything:
        return links
    return {side: [task if rule.sees_task(task) else {"id": task["id"], "title": OUTSIDE,
                                                      "outside_scope": True}
                   for task in found] for side, found in links.items()}
