"""The admin reads as a lead or viewer gets them: statistics (and their CSV), the time CSV, the
audit CSV's filter, a task's dependency neighbours, the calendar feed's tasks. Each narrows the
company-wide read to the scope's people (services/people/scope.py); admins get it whole, plus
the per-team figures. `?team=` narrows to one team the caller reads."""
import datetime

from server.store.database import db, sql
from server.store.models import STATUSES, TeamMember
from server.store.times import utcnow
from server.services.core import validate
from server.services.core.errors import ValidationError
from server.services.reports import statistics as company
from server.services.reports.presence import Presence
from server.services.people import scope as scope_rule
from server.services.teams import service

OUTSIDE = "a task outside your teams"
COUNTS = ("SELECT status, COUNT(*), "
          "SUM(CASE WHEN progress_percentage < 25 THEN 1 ELSE 0 END), "
          "SUM(CASE WHEN progress_percentage >= 25 AND progress_percentage < 50 THEN 1 ELSE 0 END), "
          "SUM(CASE WHEN progress_percentage >= 50 AND progress_percentage < 75 THEN 1 ELSE 0 END), "
          "SUM(CASE WHEN progress_percentage >= 75 THEN 1 ELSE 0 END) "
          "FROM task t WHERE %s GROUP BY status")
SUMMED = ("assigned", "done", "in_progress", "overdue", "at_risk", "active_seconds", "idle_seconds")


def parse_team(rule, args):
    """`?team=<id>` -> the id, when the caller reads that team; a team they do not read is
    refused as a missing one is."""
    team_id = validate.query_id(args, "team")
    if team_id is None:
        return None
    if not rule.sees_team(team_id) or not _team_exists(team_id):
        raise ValidationError("team %s does not exist" % team_id, "team")
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


class NarrowPresence(Presence):
    """Presence over a window, of some people only (their timeline and sums)."""

    def __init__(self, since, until, people, bucket_minutes=10):
        self.people = people
        super().__init__(since, until, bucket_minutes)

    def _add(self, rows):
        super()._add([row for row in rows if row[0] in self.people])


def statistics(rule, hours, team_id=None, now=None):
    """The statistics of /api/admin/statistics/ for the scope (and team), with `teams`: the
    per-team sums of the teams the caller reads (every team for admins)."""
    now = now or utcnow()
    stats = company.statistics(hours, now)
    people = people_of(rule, team_id)
    if people is not None:
        _narrow(stats, people, hours, now)
    stats["teams"] = team_rows(rule, stats["employees"])
    return stats


def _narrow(stats, people, hours, now):
    stats["employees"] = [row for row in stats["employees"] if row["id"] in people]
    distribution = {status: 0 for status in STATUSES}
    buckets = dict.fromkeys(company.BUCKETS, 0)
    where, params = _in("t.assignee_id", people)
    for status, count, *by_bucket in db.execute_sql(sql(COUNTS % where), params).fetchall():
        distribution[status] += count
        if status != "CANCELLED":
            for name, found in zip(company.BUCKETS, by_bucket):
                buckets[name] += int(found or 0)
    total, live = sum(distribution.values()), sum(distribution.values()) - distribution["CANCELLED"]
    presence = NarrowPresence(now - datetime.timedelta(hours=hours), now, people)
    stats.update(total_tasks=total, status_distribution=distribution, progress_buckets=buckets,
                 completion_rate=round(100.0 * distribution["DONE"] / live, 1) if live else 0.0,
                 at_risk=sum(row["at_risk"] for row in stats["employees"]),
                 occupancy=_occupancy(presence.by_user, hours * 3600.0, max(1, len(stats["employees"]))),
                 timeline=presence.timeline(10))


def _in(column, ids):
    ids = sorted(ids) or [0]
    return "%s IN (%s)" % (column, ", ".join("?" * len(ids))), ids


def _occupancy(seconds, window, count):
    active = sum(v["ACTIVE"] for v in seconds.values())
    idle = sum(v["IDLE"] for v in seconds.values())
    offline = max(0.0, window * count - active - idle)
    whole = window * count
    return {"active_seconds": round(active), "idle_seconds": round(idle),
            "offline_seconds": round(offline), "active_ratio": _ratio(active, whole),
            "idle_ratio": _ratio(idle, whole), "offline_ratio": _ratio(offline, whole)}


def _ratio(part, whole):
    return round(part / whole, 3) if whole else 0.0


def team_rows(rule, employees):
    """[{id, name, people, assigned, done, …}] of the teams the caller reads, by name: the sums
    of their people's rows in the employee table."""
    by_id = {row["id"]: row for row in employees}
    found = []
    for team in service.teams(None if rule.everything else rule):
        ids = [m["user"]["id"] for m in team["members"] if m["role"] in scope_rule.PART_ROLES]
        rows = [by_id[user_id] for user_id in ids if user_id in by_id]
        sums = {name: sum(row[name] for row in rows) for name in SUMMED}
        progress = sum(row["average_progress"] * row["assigned"] for row in rows)
        sums["average_progress"] = round(progress / sums["assigned"], 1) if sums["assigned"] else 0
        found.append(dict({"id": team["id"], "name": team["name"], "people": len(ids)}, **sums))
    return found


def neighbours(rule, links):
    """A task's dependency neighbours as the scope shows them: a task outside it keeps its id and
    is named only "a task outside your teams" (no title, no assignee, nothing else)."""
    if rule.everything:
        return links
    return {side: [task if rule.sees_task(task) else {"id": task["id"], "title": OUTSIDE,
                                                      "outside_scope": True}
                   for task in found] for side, found in links.items()}
