"""Read models for admins: the monitor's filters and counts, and the statistics over a time window."""
import datetime

from ..store.models import PRIORITIES, STATUSES, ProgressHour, Project, Task, TaskProgress, User
from ..store.times import as_time, iso, utcnow
from . import audit, forecast, occupancy, time_stats, validate
from .errors import ValidationError
from .task_view import is_overdue

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


def employees(now, offline_after):
    states = occupancy.current_all(now, offline_after)
    result = []
    for user in User.select().where(User.role == "EMPLOYEE", User.is_active == True).order_by(  # noqa: E712
            User.full_name, User.username):
        status, seen = states.get(user.id, ("OFFLINE", None))
        result.append(dict(occupancy.employee_dict(user, status), last_seen_at=iso(seen)))
    return result


def parse_hours(args):
    raw = args.get("hours") or "24"
    try:
        hours = int(raw)
    except ValueError:
        raise ValidationError("hours must be an integer from 1 to 720", "hours") from None
    if not 1 <= hours <= 720:
        raise ValidationError("hours must be an integer from 1 to 720", "hours")
    return hours


def bucket_of(progress_percentage):
    return BUCKETS[min(progress_percentage // 25, 3)]


def _no_tasks():
    return {"assigned": 0, "done": 0, "in_progress": 0, "progress_sum": 0, "overdue": 0,
            "at_risk": 0}


def _task_counts(tasks, now):
    """(tasks per status, live tasks per progress bucket, per-assignee counts of live tasks)."""
    distribution = {status: 0 for status in STATUSES}
    buckets = {name: 0 for name in BUCKETS}
    per_user = {}
    for task in tasks:
        distribution[task.status] += 1
        if task.status == "CANCELLED":
            continue
        buckets[bucket_of(task.progress_percentage)] += 1
        row = per_user.setdefault(task.assignee_id, _no_tasks())
        row["assigned"] += 1
        row["done"] += task.status == "DONE"
        row["in_progress"] += task.status == "IN_PROGRESS"
        row["progress_sum"] += task.progress_percentage
        row["overdue"] += is_overdue(task.status, task.due_date, now)
        _forecast_at, at_risk = forecast.for_task(task, now)
        row["at_risk"] += at_risk
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
    for user in User.select().where(User.role == "EMPLOYEE").order_by(User.full_name, User.username):
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


# What the counts and the forecast read of each task: tuples, not models (10,000 tasks).
TASK_FIELDS = (Task.status, Task.progress_percentage, Task.due_date, Task.completed_at,
               Task.pace_gain, Task.pace_seconds, Task.last_progress_update_at)


def statistics(hours=24, now=None):
    """The statistics page's figures over the last `hours`."""
    now = now or utcnow()
    since = now - datetime.timedelta(hours=hours)
    tasks = list(Task.select(*TASK_FIELDS, Task.assignee.alias("assignee_id")).namedtuples())
    live = [t for t in tasks if t.status != "CANCELLED"]
    distribution, buckets, per_user = _task_counts(tasks, now)
    seconds = occupancy.seconds_by_user(since, now)
    table = _employee_table(per_user, seconds, _progress_gained(since, now))
    time_stats.add_to_rows(table, since, now)
    return {
        "hours": hours,
        "generated_at": iso(now),
        "total_tasks": len(tasks),
        "completion_rate": round(100.0 * distribution["DONE"] / len(live), 1) if live else 0.0,
        "at_risk": sum(row["at_risk"] for row in per_user.values()),
        "status_distribution": distribution,
        "progress_buckets": buckets,
        "employees": table,
        "occupancy": _occupancy(seconds, hours * 3600.0, max(1, len(table))),
        "timeline": timeline(hours, 10, now),
    }


def _ratio(part, whole):
    return round(part / whole, 3) if whole else 0.0


def _progress_gained(since, until):
    """Percentage points of progress each user added in [since, until] (decreases do not count).

    Whole hours come from progress_hour; an hour cut by the window's edge is added whole when
    its counted rows all fall inside, else its rows inside the window are read (created_at index)."""
    gained, partial = {}, set()
    rows = list(ProgressHour.select(ProgressHour.user, ProgressHour.bucket, ProgressHour.points,
                                    ProgressHour.first_at, ProgressHour.last_at)
                .where(ProgressHour.bucket >= audit.hour_of(since),
                       ProgressHour.bucket <= audit.hour_of(until)).tuples())
    for _user, bucket, _points, first_at, last_at in rows:
        if as_time(first_at) < since or as_time(last_at) > until:
            partial.add(bucket)
    for user_id, bucket, points, _first, _last in rows:
        if bucket not in partial:
            gained[user_id] = gained.get(user_id, 0) + points
    for bucket in partial:
        start = datetime.datetime.fromtimestamp(bucket, datetime.timezone.utc).replace(tzinfo=None)
        end = start + datetime.timedelta(seconds=audit.HOUR, microseconds=-1)  # the next hour is its own
        _add_rows(gained, max(since, start), min(until, end))
    return gained


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


def timeline(hours=24, bucket_minutes=10, now=None):
    """Per bucket: seconds of ACTIVE and IDLE summed over employees, for the 24 h chart."""
    now = now or utcnow()
    since = now - datetime.timedelta(hours=hours)
    size, count = bucket_minutes * 60.0, int(hours * 60 / bucket_minutes)
    totals = {"ACTIVE": [0.0] * count, "IDLE": [0.0] * count}
    for status, started, ended in occupancy.spans_in(since, now):
        # Seconds from `since` as floats: the loop runs per bucket an interval crosses.
        start = max((started - since).total_seconds(), 0.0)
        end = min((ended - since).total_seconds(), hours * 3600.0)
        index, into = int(start // size), totals[status]
        while start < end and index < count:
            bucket_end = (index + 1) * size
            into[index] += min(end, bucket_end) - start
            start, index = bucket_end, index + 1
    step = datetime.timedelta(minutes=bucket_minutes)
    return [{"start": iso(since + i * step), "ACTIVE": round(totals["ACTIVE"][i]),
             "IDLE": round(totals["IDLE"][i])} for i in range(count)]


def projects():
    return [{"id": p.id, "name": p.name, "description": p.description}
            for p in Project.select().order_by(Project.name)]
