"""Stale work: open tasks nobody moves. The flag lives on the task; each change is announced once.

A task is stale when it is IN_PROGRESS without a report for `after_hours` while its assignee is
ACTIVE (at the computer, yet not moving it), or when it is overdue with progress below
`overdue_below` percent. Writes that change a task recompute its flag in their own transaction
(their event carries it); time passing and presence changing are caught by `check`, which the
server runs periodically."""
import datetime
from collections import namedtuple

from server.store.models import Task
from server.store.times import utcnow
from server.services.record import eventlog
from server.services.people import presence as occupancy
from server.services.record.audit import lock_chain
from server.services.tasks.view import OPEN_STATUSES, is_overdue, load

Policy = namedtuple("Policy", "after_hours overdue_below offline_after")
DEFAULT_POLICY = Policy(4.0, 25, occupancy.DEFAULT_OFFLINE_AFTER)


def policy_of(settings):
    """The policy a serving app's settings ask for (Services holds it; handlers pass it on)."""
    return Policy(float(settings["stale_after_hours"]), int(settings["stale_overdue_below"]),
                  settings["offline_after_seconds"])


def overdue_and_behind(status, progress_percentage, due_date, now, rules=None):
    """The second rule alone (a task just reported on is not quiet); due_date as stored."""
    rules = rules or DEFAULT_POLICY
    return is_overdue(status, due_date, now) and progress_percentage < rules.overdue_below


def evaluate(task, now, owner_status, rules=None):
    """Is the task stale? `owner_status(user_id)` is asked only when the answer depends on it."""
    rules = rules or DEFAULT_POLICY
    if task.status not in OPEN_STATUSES:
        return False
    if overdue_and_behind(task.status, task.progress_percentage, task.due_date, now, rules):
        return True
    return (task.status == "IN_PROGRESS" and task.last_progress_update_at is not None
            and now - task.last_progress_update_at >= datetime.timedelta(hours=rules.after_hours)
            and owner_status(task.assignee_id) == "ACTIVE")


def refresh(task, now, rules=None):
    """Recompute the flag of a task being written (not saved here); True if it changed. `rules`:
    the serving app's Policy (Services.stale_policy), the defaults without one."""
    rules = rules or DEFAULT_POLICY
    flag = evaluate(task, now, lambda uid: occupancy.current(uid, now, rules.offline_after)[0],
                    rules)
    changed, task.stale = flag != task.stale, flag
    return changed


def candidates(now, rules):
    """Tasks whose flag may be wrong: flagged ones, and open ones that meet a condition by time."""
    quiet_since = now - datetime.timedelta(hours=rules.after_hours)
    return Task.select().where(
        (Task.stale == True)  # noqa: E712
        | ((Task.status == "IN_PROGRESS") & (Task.last_progress_update_at <= quiet_since))
        | (Task.status.in_(OPEN_STATUSES) & (Task.due_date < now)
           & (Task.progress_percentage < rules.overdue_below)))


def check(now=None, rules=None):
    """Flip the flags that time or presence changed and write a task.changed event for each.

    Runs in a write transaction under the chain lock, reading the flags after taking it: with
    several server processes each change is found, and announced, exactly once."""
    now, rules = now or utcnow(), rules or DEFAULT_POLICY
    lock_chain()
    presence = None
    flips = []
    for task in candidates(now, rules):
        if presence is None:
            presence = occupancy.current_all(now, rules.offline_after)
        flag = evaluate(task, now, lambda uid: presence.get(uid, ("OFFLINE", None))[0], rules)
        if flag == task.stale:
            continue
        Task.update(stale=flag).where(Task.id == task.id).execute()
        eventlog.append("task.changed", task=load(task.id, now),
                        subject_id=task.assignee_id)
        flips.append((task.id, flag))
    return flips
