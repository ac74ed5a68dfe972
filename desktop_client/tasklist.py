"""The task list as the window shows it: its order, an unsent update laid over a task, overdue."""
from datetime import datetime, timezone

PRIORITY_ORDER = {"URGENT": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}
LONGEST_WAIT_MS = 86_400_000  # a QTimer takes an int of ms; a later moment is waited in steps


def sort_key(task):
    """Priority first (URGENT on top), then the earliest due date; tasks without one last."""
    return (PRIORITY_ORDER.get(task.get("priority"), 9), task.get("due_date") is None,
            task.get("due_date") or "", task["id"])


def status_for(progress_percentage):
    """The server's status rule (services.task_view.status_for), copied so an update made offline
    shows the status it will get; a test holds the two equal."""
    if progress_percentage >= 100:
        return "DONE"
    return "IN_PROGRESS" if progress_percentage > 0 else "PENDING"


def with_update(task, progress_percentage):
    """The task as the server will have it after the update, until the server says so itself."""
    status = status_for(progress_percentage)
    still_open = status != "DONE"  # the other two statuses status_for gives are open ones
    return dict(task, progress_percentage=progress_percentage, status=status,
                is_overdue=bool(task.get("is_overdue")) and still_open,
                overdue_at=task.get("due_date") if still_open else None)


def _moment(text):
    return datetime.fromisoformat(text) if text else None


def _now():
    return datetime.now(timezone.utc)


def is_overdue(task, now=None):
    """The server's `is_overdue`, or past the moment it gave for turning overdue (`overdue_at`):
    a due date passes with no event, and the rule itself stays on the server."""
    turns = _moment(task.get("overdue_at"))
    return bool(task.get("is_overdue")) or (turns is not None and turns < (now or _now()))


def ms_to_next_overdue(tasks, now=None):
    """Milliseconds until the next shown task turns overdue, or None when none will."""
    now = now or _now()
    coming = [_moment(t["overdue_at"]) for t in tasks
              if t.get("overdue_at") and not is_overdue(t, now)]
    if not coming:
        return None
    wait = (min(coming) - now).total_seconds() * 1000
    return max(0, min(LONGEST_WAIT_MS, int(wait) + 1))


OPEN_STATUSES = ("PENDING", "IN_PROGRESS")
# The window's filters: done and cancelled tasks leave the main ("open") list.
FILTERS = {"open": OPEN_STATUSES, "done": ("DONE", "CANCELLED"), "all": None}


def filtered(tasks, name):
    statuses = FILTERS[name]
    return [t for t in tasks if statuses is None or t["status"] in statuses]


def changes(before, after):
    """What a person is told about: ("assigned", task) for a task new to the list, ("cancelled",
    task) for one that turned cancelled, ("removed", task) for one reassigned away (or deleted)."""
    old = {t["id"]: t for t in before}
    new = {t["id"]: t for t in after}
    told = [("assigned", t) for tid, t in new.items() if tid not in old]
    told += [("cancelled", t) for tid, t in new.items()
             if tid in old and t["status"] == "CANCELLED" and old[tid]["status"] != "CANCELLED"]
    told += [("removed", t) for tid, t in old.items() if tid not in new]
    return told
