"""The task object: one join read by name, and the rules for the fields derived from it."""
import collections

from server.store.database import db, sql
from server.store.times import as_time, iso, stored_iso, utcnow
from server.services.tasks import graph as dependency_view, forecast
from server.services.tasks import estimates
from server.services.absences import away
from server.services.core.errors import Forbidden, NotFound
from server.services.language.text import _l

OPEN_STATUSES = ("PENDING", "IN_PROGRESS")


def status_for(progress_percentage):
    """0 -> PENDING, 1-99 -> IN_PROGRESS, 100 -> DONE."""
    if progress_percentage >= 100:
        return "DONE"
    return "IN_PROGRESS" if progress_percentage > 0 else "PENDING"


def is_overdue(status, due_date, now, now_text=None):
    """Open and past its due date; `due_date` as stored, `now` naive UTC.

    SQLite hands times back as text: it is compared with `now_text` (now as SQLite stores it),
    which over a list of thousands saves parsing every due date."""
    if due_date is None or status not in OPEN_STATUSES:
        return False
    if isinstance(due_date, str):
        return due_date < (now_text or now.isoformat(" "))
    return due_date < now


# (name, SQL) of each column the hot paths read: a task, its assignee, project and last reporter.
# Task objects are built straight from these rows: the admin board serializes up to 10,000 of
# them, and peewee's model layer costs ~20x more here.
COLUMNS = (
    ("id", "t.id"), ("title", "t.title"), ("description", "t.description"),
    ("status", "t.status"), ("priority", "t.priority"),
    ("progress_percentage", "t.progress_percentage"), ("due_date", "t.due_date"),
    ("created_at", "t.created_at"), ("updated_at", "t.updated_at"),
    ("completed_at", "t.completed_at"), ("last_progress_update_at", "t.last_progress_update_at"),
    ("version", "t.version"),
    ("assignee_id", "a.id"), ("assignee_username", "a.username"),
    ("assignee_full_name", "a.full_name"),
    ("project_id", "p.id"), ("project_name", "p.name"),
    ("reporter_id", "l.id"), ("reporter_username", "l.username"),
    ("reporter_full_name", "l.full_name"),
    ("pace_gain", "t.pace_gain"), ("pace_seconds", "t.pace_seconds"), ("stale", "t.stale"),
    ("estimate_minutes", "t.estimate_minutes"), ("tracked_seconds", "t.tracked_seconds"),
    ("comment_count", "t.comment_count"),
)
TaskRow = collections.namedtuple("TaskRow", [name for name, _sql in COLUMNS])

FROM = (' FROM task t JOIN "user" a ON a.id = t.assignee_id '
        'LEFT JOIN project p ON p.id = t.project_id '
        'LEFT JOIN "user" l ON l.id = t.last_progress_updated_by_id')
SELECT_LIST = ", ".join(column for _name, column in COLUMNS)
TASK_SELECT = "SELECT " + SELECT_LIST + FROM


def task_select(*more):
    """TASK_SELECT with more named columns after the task's own (their values come last)."""
    return "SELECT " + ", ".join((SELECT_LIST,) + more) + FROM


TASK_BY_ID = TASK_SELECT + " WHERE t.id = ?"
# ... plus, last, the audit row that already carries this user's client_update_id.
TASK_AND_KEY = task_select("(SELECT k.id FROM task_progress k WHERE k.user_id = ? AND "
                           "k.client_update_id = ?)") + " WHERE t.id = ?"


def _shared(cache, key, make):
    """One dict per person or project for a whole list: thousands of tasks, a few dozen people."""
    found = cache.get(key)
    if found is None:
        found = cache[key] = make()
    return found


def _person(cache, user_id, username, full_name):
    if user_id is None:
        return None
    return _shared(cache, ("u", user_id),
                   lambda: {"id": user_id, "username": username, "full_name": full_name})


def _project(cache, project_id, name):
    if project_id is None:
        return None
    return _shared(cache, ("p", project_id), lambda: {"id": project_id, "name": name})


def _forecast(row, now, cache):
    """(forecast_completion_at, at_risk): a done task is forecast at its completion."""
    if row.status == "DONE":
        return stored_iso(row.completed_at), False
    found = forecast.for_row(row.status, row.progress_percentage, row.due_date,
                             row.last_progress_update_at, row.pace_gain, row.pace_seconds, now)
    if found[0] is None and row.estimate_minutes and row.status in OPEN_STATUSES:
        found = _estimate_forecast(row, now, cache)
    return away.moved(found, row.assignee_id, row.due_date, now, cache)  # no progress on days off


def _estimate_forecast(row, now, cache):
    """Too little history: the estimate, scaled by the assignee's measured accuracy."""
    accuracy = _shared(cache, ("accuracy",), estimates.accuracy_by_user)
    at = forecast.from_estimate(row.estimate_minutes, row.tracked_seconds,
                                accuracy.get(row.assignee_id, (None, 0))[0], now)
    due = as_time(row.due_date) if row.due_date is not None else None
    return iso(at), due is not None and at > due


def row_dict(row, now, now_text=None, cache=None, graph=None):
    """A task object from one TASK_SELECT row (a TaskRow or the plain tuple); `now` is naive UTC.
    `now_text` (now as SQLite stores times) and `cache` (shared person and project dicts) save
    work over a list; `graph` (a dependency_view.Graph over the list) saves a read per task."""
    row = TaskRow._make(row)
    cache = {} if cache is None else cache
    graph = dependency_view.Graph.for_ids([row.id]) if graph is None else graph
    due, status = row.due_date, row.status
    return {
        "id": row.id,
        "title": row.title,
        "description": row.description,
        "status": status,
        "priority": row.priority,
        "progress_percentage": row.progress_percentage,
        "due_date": stored_iso(due),
        "is_overdue": is_overdue(status, due, now, now_text),
        # When the clock alone makes it overdue (null when closed or undated): clients flip the
        # mark then without asking, and keep no copy of the rule.
        "overdue_at": stored_iso(due) if status in OPEN_STATUSES else None,
        "assignee": _person(cache, row.assignee_id, row.assignee_username, row.assignee_full_name),
        "project": _project(cache, row.project_id, row.project_name),
        "created_at": stored_iso(row.created_at),
        "updated_at": stored_iso(row.updated_at),
        "completed_at": stored_iso(row.completed_at),
        "last_progress_update_at": stored_iso(row.last_progress_update_at),
        "last_progress_updated_by": _person(cache, row.reporter_id, row.reporter_username,
                                            row.reporter_full_name),
        "version": row.version,
        **_planning(row, now, cache, graph),
    }


def _planning(row, now, cache, graph):
    """The fields of section 10: forecast and flags, dependencies, time, comments."""
    forecast_at, at_risk = graph.view(row, now) or _forecast(row, now, cache)
    blocked_by = graph.blocked_by(row.id, row.status)
    return {
        "forecast_completion_at": forecast_at,
        "at_risk": at_risk,
        "is_stale": bool(row.stale),
        # Dependencies (SPEC 10.2): derived from the links and the predecessors' states.
        "depends_on": graph.depends_on.get(row.id, []),
        "blocked_by": blocked_by,
        "is_blocked": bool(blocked_by),
        # Section 10.3 (services/time/entries.py keeps tracked_seconds).
        "estimate_minutes": row.estimate_minutes,
        "tracked_minutes": round(row.tracked_seconds / 60),
        # Section 10.1: kept on the task row by services/comments/comments.py.
        "comment_count": row.comment_count,
    }


def fetch(where="", params=(), now=None, order="t.id", graph=None):
    """Task objects matching a WHERE clause over TASK_SELECT's aliases, in id order; `graph` (a
    dependency_view.Graph holding their links) saves reading it again."""
    statement = TASK_SELECT + (" WHERE " + where if where else "") + " ORDER BY " + order
    now = now or utcnow()
    now_text, cache = now.isoformat(" "), {}
    rows = db.execute_sql(sql(statement), params).fetchall()
    if graph is None:
        graph = dependency_view.Graph.for_ids([row[0] for row in rows])
    return [row_dict(row, now, now_text, cache, graph) for row in rows]


def load(task_id, now=None):
    """One task object, or NotFound."""
    found = fetch("t.id = ?", (task_id,), now)
    if not found:
        raise NotFound(_l("task %(task_id)s does not exist", task_id=task_id))
    return found[0]


def not_yours(task_id):
    return Forbidden(_l("task %(task_id)s is not assigned to you", task_id=task_id))


def missing_task(user, task_id):
    """The refusal for a task id that does not exist: to an employee the same as another's task,
    so that ids say nothing about what exists; an admin, who sees every task, learns it is gone."""
    return NotFound(_l("task %(task_id)s does not exist",
                       task_id=task_id)) if user.is_admin else not_yours(task_id)
