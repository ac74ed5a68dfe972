"""Statistics as a lead or viewer gets them (and their CSV): the company-wide figures narrowed to
the scope's people or one team (services/teams/reads.py), plus the per-team sums of the teams
the caller reads (every team for admins)."""
import datetime

from server.store.database import db, sql
from server.store.models import STATUSES
from server.store.times import utcnow
from server.services.people import scope as scope_rule
from server.services.reports import statistics as company
from server.services.reports.presence import Presence
from server.services.teams import service
from server.services.teams.reads import people_of

COUNTS = ("SELECT status, COUNT(*), "
          "SUM(CASE WHEN progress_percentage < 25 THEN 1 ELSE 0 END), "
          "SUM(CASE WHEN progress_percentage >= 25 AND progress_percentage < 50 THEN 1 ELSE 0 END), "
          "SUM(CASE WHEN progress_percentage >= 50 AND progress_percentage < 75 THEN 1 ELSE 0 END), "
          "SUM(CASE WHEN progress_percentage >= 75 THEN 1 ELSE 0 END) "
          "FROM task t WHERE %s GROUP BY status")
SUMMED = ("assigned", "done", "in_progress", "overdue", "at_risk", "active_seconds", "idle_seconds")


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
