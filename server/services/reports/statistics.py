"""Read models for admins: the monitor's filters and counts, and the statistics over a time window."""
import collections
import datetime

from peewee import fn

from server.store.database import db, is_postgres, sql
from server.store.models import PRIORITIES, STATUSES, ProgressHour, Project, Task, TaskProgress, User
from server.store.times import as_time, iso, utcnow
from server.services.record import audit
from server.services.tasks import forecast
from server.services.people import presence as occupancy
from server.services.people.detail import shown
from server.services.time import stats as time_stats
from server.services.core import validate
from server.services.reports.presence import Presence
from server.services.core.errors import ValidationError
from server.services.tasks.view import OPEN_STATUSES
from server.services.absences import absences, away
from server.services.language.text import _l

BUCKETS = ("0-25", "25-50", "50-75", "75-100")


def parse_filters(args):
    """Query arguments of /api/admin/task-status/ -> validated filters."""
    filters = {"status": validate.query_choice(args, "status", STATUSES),
               "priority": validate.query_choice(args, "priority", PRIORITIES),
               "employee": validate.query_id(args, "employee"),
               "project": validate.query_id(args, "project")}
    return {name: value for name, value in filters.items() if value is not None}


def summary_of(flags):
    """The monitor's counts from (status, is_overdue, at_risk, is_stale) of each task."""
    summary = {"total": 0, "pending": 0, "in_progress": 0, "done": 0, "cancelled": 0,
               "overdue": 0, "at_risk": 0, "stale": 0}
    for status, overdue, at_risk, stale in flags:
        summary["total"] += 1
        summary[status.lower()] += 1
        summary["overdue"] += overdue
        summary["at_risk"] += at_risk
        summary["stale"] += stale
    return summary


# Active employees by name, each with their newest interval: one seek per person on
# (user_id, ended_at), in one statement (the order forced as in occupancy.LATEST_PER_USER).
PEOPLE = {
    "sqlite": 'SELECT u.id, u.username, u.full_name, o.status, o.ended_at, o.closed FROM "user" u '
              "LEFT JOIN occupancy_interval o ON o.id = (SELECT x.id FROM occupancy_interval x "
              "WHERE x.user_id = u.id ORDER BY x.ended_at DESC, x.id DESC LIMIT 1) "
              "WHERE u.role = 'EMPLOYEE' AND u.is_active ORDER BY u.full_name, u.username",
    "postgres": 'SELECT u.id, u.username, u.full_name, o.status, o.ended_at, o.closed FROM "user" u '
                "LEFT JOIN LATERAL (SELECT x.status, x.ended_at, x.closed FROM occupancy_interval x "
                "WHERE x.user_id = u.id ORDER BY x.ended_at DESC, x.id DESC LIMIT 1) o ON TRUE "
                "WHERE u.role = 'EMPLOYEE' AND u.is_active ORDER BY u.full_name, u.username",
}
Latest = collections.namedtuple("Latest", "status ended_at closed")  # what occupancy.status_of reads


def employees(now, offline_after):
    """Active employees by name with their presence: tuples, not models (500 people per request)."""
    result = []
    rows = db.execute_sql(PEOPLE["postgres" if is_postgres() else "sqlite"]).fetchall()
    for user_id, username, full_name, status, ended_at, closed in rows:
        latest = None if status is None else Latest(status, as_time(ended_at), bool(closed))
        result.append({"id": user_id, "username": username, "full_name": full_name,
                       "occupancy_status": occupancy.status_of(latest, now, offline_after),
                       "last_seen_at": iso(latest.ended_at) if latest else None})
    away = absences.away_until(None, now.date())  # the monitor says "away until …" on their cards
    for person in result:
        person["away_until"] = away[person["id"]].isoformat() if person["id"] in away else None
    return result


def employees_shown(settings, now=None):
    """`employees` as the admin views show them, under the company's presence detail
    (people/detail.py: PAUSED for those on a break, no presence at all with `off`)."""
    return shown(employees(now or utcnow(), settings["offline_after_seconds"]), settings["presence_detail"])


def parse_hours(args):
    raw = args.get("hours") or "24"
    try:
        hours = int(raw)
    except ValueError:
        raise ValidationError(_l("hours must be an integer from 1 to 720"), "hours") from None
    if not 1 <= hours <= 720:
        raise ValidationError(_l("hours must be an integer from 1 to 720"), "hours")
    return hours


def bucket_of(progress_percentage):
    return BUCKETS[min(progress_percentage // 25, 3)]


def _no_tasks():
    return {"assigned": 0, "done": 0, "in_progress": 0, "progress_sum": 0, "overdue": 0,
            "at_risk": 0}


# Per assignee and status, the database counts the tasks (a year holds 10,000: building them
# in Python was most of a request); only open tasks with a due date are forecast here.
TASK_COUNTS = (
    "SELECT assignee_id, status, COUNT(*), SUM(progress_percentage), "
    "SUM(CASE WHEN progress_percentage < 25 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN progress_percentage >= 25 AND progress_percentage < 50 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN progress_percentage >= 50 AND progress_percentage < 75 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN progress_percentage >= 75 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN due_date < ? AND status IN ('PENDING', 'IN_PROGRESS') THEN 1 ELSE 0 END) "
    "FROM task GROUP BY assignee_id, status")


def _task_counts(now):
    """(tasks per status, live tasks per progress bucket, per-assignee counts of live tasks)."""
    distribution = {status: 0 for status in STATUSES}
    buckets = {name: 0 for name in BUCKETS}
    per_user = {}
    # SQLite keeps times as text: compared as text, the way task_view.is_overdue does.
    cutoff, days_off = (now if is_postgres() else now.isoformat(" ")), {}
    for user_id, status, count, progress_sum, *by_bucket, overdue in db.execute_sql(
            sql(TASK_COUNTS), (cutoff,)).fetchall():
        distribution[status] += count
        if status == "CANCELLED":
            continue
        for name, found in zip(BUCKETS, by_bucket):
            buckets[name] += found
        row = per_user.setdefault(user_id, _no_tasks())
        row["assigned"] += count
        row["done"] += count if status == "DONE" else 0
        row["in_progress"] += count if status == "IN_PROGRESS" else 0
        row["progress_sum"] += int(progress_sum)
        row["overdue"] += int(overdue)
    for task in Task.select(*AT_RISK_FIELDS, Task.assignee.alias("assignee_id")).where(
            Task.due_date.is_null(False), Task.status.in_(OPEN_STATUSES)).namedtuples():
        at, risk = forecast.for_task(task, now)
        found = away.moved((iso(at), risk), task.assignee_id, task.due_date, now, days_off)
        per_user[task.assignee_id]["at_risk"] += found[1]
    return distribution, buckets, per_user


def _employee_row(user, counts, occ, points):
    active_hours = occ["ACTIVE"] / 3600
    assigned = counts["assigned"]
    return {
        "id": user.id, "username": user.username, "full_name": user.full_name,
        "assigned": assigned, "done": counts["done"], "in_progress": counts["in_progress"],
        "average_progress": round(counts["progress_sum"] / assigned, 1) if assigned else 0,
        "overdue": counts["overdue"], "at_risk": counts["at_risk"],
        "active_seconds": round(occ["ACTIVE"]), "idle_seconds": round(occ["IDLE"]),
        "active_ratio": _ratio(occ["ACTIVE"], occ["ACTIVE"] + occ["IDLE"]),
        "progress_points": points,
        "progress_per_active_hour": round(points / active_hours, 1) if active_hours >= 0.05 else None,
    }


def _employee_table(per_user, seconds, gained):
    """A row per employee with live tasks or still active, by name."""
    table = []
    people = User.select(User.id, User.username, User.full_name, User.is_active).where(
        User.role == "EMPLOYEE").order_by(User.full_name, User.username).namedtuples()
    for user in people:  # tuples, not models: 500 people per request
        counts = per_user.get(user.id, _no_tasks())
        if not user.is_active and not counts["assigned"]:
            continue
        occ = seconds.get(user.id, {"ACTIVE": 0.0, "IDLE": 0.0})
        table.append(_employee_row(user, counts, occ, gained.get(user.id, 0)))
    return table


def _occupancy(seconds, window, people):
    """Summed ACTIVE / IDLE seconds of everyone; OFFLINE is the rest of `people` x `window`."""
    active = sum(v["ACTIVE"] for v in seconds.values())
    idle = sum(v["IDLE"] for v in seconds.values())
    offline = max(0.0, window * people - active - idle)
    return {
        "active_seconds": round(active), "idle_seconds": round(idle),
        "offline_seconds": round(offline),
        "active_ratio": _ratio(active, window * people),
        "idle_ratio": _ratio(idle, window * people),
        "offline_ratio": _ratio(offline, window * people),
    }


# What the forecast reads of an open task with a due date: tuples, not models.
AT_RISK_FIELDS = (Task.status, Task.progress_percentage, Task.due_date, Task.completed_at,
                  Task.pace_gain, Task.pace_seconds, Task.last_progress_update_at)


def statistics(hours=24, now=None):
    """The statistics page's figures over the last `hours`."""
    now = now or utcnow()
    since = now - datetime.timedelta(hours=hours)
    distribution, buckets, per_user = _task_counts(now)
    total = sum(distribution.values())
    live = total - distribution["CANCELLED"]
    presence = Presence(since, now)
    seconds = presence.by_user
    table = _employee_table(per_user, seconds, _progress_gained(since, now))
    time_stats.add_to_rows(table, since, now)
    return {
        "hours": hours,
        "generated_at": iso(now),
        "total_tasks": total,
        "completion_rate": round(100.0 * distribution["DONE"] / live, 1) if live else 0.0,
        "at_risk": sum(row["at_risk"] for row in per_user.values()),
        "status_distribution": distribution,
        "progress_buckets": buckets,
        "employees": table,
        "occupancy": _occupancy(seconds, hours * 3600.0, max(1, len(table))),
        "timeline": presence.timeline(10),
    }


def _ratio(part, whole):
    return round(part / whole, 3) if whole else 0.0


def _progress_gained(since, until):
    """Percentage points of progress each user added in [since, until] (decreases do not count).

    The hours strictly inside the window are summed by the database (a week is ~17,000 rows of
    progress_hour at a year's size: one SUM per user instead of every row in Python). Only the two
    hours cut by the window's edges are looked at: one is added whole when its counted rows all
    fall inside, else its rows inside the window are read (created_at index)."""
    first, last = audit.hour_of(since), audit.hour_of(until)
    gained = dict(ProgressHour.select(ProgressHour.user, fn.SUM(ProgressHour.points))
                  .where(ProgressHour.bucket > first, ProgressHour.bucket < last)
                  .group_by(ProgressHour.user).tuples())
    for bucket in sorted({first, last}):
        _add_edge_hour(gained, bucket, since, until)
    return gained


def _add_edge_hour(gained, bucket, since, until):
    rows = list(ProgressHour.select(ProgressHour.user, ProgressHour.points, ProgressHour.first_at,
                                    ProgressHour.last_at)
                .where(ProgressHour.bucket == bucket).tuples())
    if all(as_time(first_at) >= since and as_time(last_at) <= until for _u, _p, first_at, last_at in rows):
        for user_id, points, _first, _last in rows:
            gained[user_id] = gained.get(user_id, 0) + points
        return
    start = datetime.datetime.fromtimestamp(bucket, datetime.timezone.utc).replace(tzinfo=None)
    end = start + datetime.timedelta(seconds=audit.HOUR, microseconds=-1)  # the next hour is its own
    _add_rows(gained, max(since, start), min(until, end))


def _add_rows(gained, since, until):
    """Add the gains of the audit rows in [since, until] (at most an hour of them)."""
    query = TaskProgress.select(TaskProgress.user, TaskProgress.previous_percentage,
                                TaskProgress.new_percentage).where(
        TaskProgress.created_at >= since, TaskProgress.created_at <= until,
        TaskProgress.action.in_(("progress", "complete")))
    for row in query.tuples():
        delta = row[2] - (row[1] or 0)
        if delta > 0:
            gained[row[0]] = gained.get(row[0], 0) + delta


def projects():
    return [{"id": p.id, "name": p.name, "description": p.description,
             "archived": p.archived_at is not None}
            for p in Project.select().order_by(Project.name)]
