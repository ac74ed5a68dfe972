"""Time entries: one running timer per user, entries with exact start and end, each change audited."""
import json

from server.store.models import Task, TimeEntry, User
from server.store.times import utcnow
from server.services.record import audit, eventlog
from server.services.core import idempotency, validate
from server.services.core.errors import Conflict, NotFound, ValidationError
from server.services.tasks.view import load, missing_task, not_yours
from server.services.periods import lock as period_lock
from server.services.time.rules import (CLOCK_SKEW, MAX_ENTRY, Overlap, audit_span, check_span, entry_dict,
                                        ELAPSED_SLACK, met_neighbours, overlapping, whole_seconds)
from server.services.core.errors import IdempotencyMismatch
from server.services.time.bodies import parse_entry, parse_start, parse_stop
from server.services.time.instants import check_lock
from server.services.language.text import _l

DEFAULT_LOCK_DAYS = 7

__all__ = ["parse_entry", "parse_start", "parse_stop", "start", "stop", "create", "stop_for_presence",
           "entry_dict", "announce"]


def assigned_task(user, task_id):
    """The Task if `user` is its assignee; a timer runs only on one's own task."""
    task = Task.get_or_none(Task.id == task_id)
    if task is None:
        raise missing_task(user, task_id)
    if task.assignee_id != user.id:
        raise not_yours(task_id)
    return task


def _open_task(user, task_id):
    task = assigned_task(user, task_id)
    if task.status == "CANCELLED":
        raise Conflict(_l("task %(task_id)s is cancelled: no time can be tracked on it",
                          task_id=task_id), "task_id")
    return task


def record(task, actor, action, notes, now):
    """The audit row of one change to an entry of `task` (the chain lock is taken there)."""
    audit.append(task_id=task.id, user_id=actor.id if hasattr(actor, "id") else actor,
                 action=action, new_percentage=task.progress_percentage,
                 new_status=task.status, notes=notes, task_version=task.version, created_at=now)


def retrack(task_id, now):
    """Recount the task's tracked time from its finished entries: a new version (the caller
    announces it, with the entry that moved it)."""
    task = Task.get_by_id(task_id)
    total = sum(entry.seconds for entry in TimeEntry.select(TimeEntry.seconds).where(
        TimeEntry.task == task_id, TimeEntry.ended_at.is_null(False), TimeEntry.deleted_at.is_null()))
    task.tracked_seconds, task.version, task.updated_at = total, task.version + 1, now
    task.save()
    return task


def announce(type_, entry, owner, now):
    """The entry's push event, carrying the task with its new tracked_minutes: the assignee and
    the admins receive it, and the entry's owner when the task has gone to someone else."""
    task = load(entry.task_id, now)
    assignee = task["assignee"]["id"] if task["assignee"] else None
    eventlog.append(type_, task=task, entry=entry_dict(entry, owner, now), subject_id=assignee,
                    former_subject_id=owner.id if owner.id != assignee else None, now=now)


def running(user_id):
    return TimeEntry.get_or_none(TimeEntry.user == user_id, TimeEntry.ended_at.is_null(),
                                 TimeEntry.deleted_at.is_null())


def _finish(entry, at, reason, actor, now):
    """Stop a running entry at `at` (never before its start, never past 12 h of it)."""
    end = min(max(whole_seconds(at), entry.started_at), entry.started_at + MAX_ENTRY)
    entry.ended_at, entry.stop_reason = end, reason
    entry.seconds = int((end - entry.started_at).total_seconds())
    entry.save()
    task = retrack(entry.task_id, now)
    record(task, actor, "time_entry", "Timer stopped (%s): %s" % (reason, audit_span(entry)), now)
    owner = actor if getattr(actor, "id", None) == entry.user_id else User.get_by_id(entry.user_id)
    announce("time_entry.stopped", entry, owner, now)
    return entry


def _start_at(started_at, now):
    if started_at is None:
        return now
    at = whole_seconds(started_at)
    if at > now + CLOCK_SKEW:
        raise ValidationError(_l("started_at is in the future"), "started_at")
    if at < now - MAX_ENTRY:
        raise ValidationError(_l("started_at is more than 12 hours ago"), "started_at")
    return min(at, now)


def _started_before(user, key, task_id, now):
    """The entry a start with this client_entry_id made, as it is now (None: never started)."""
    earlier = TimeEntry.get_or_none(TimeEntry.user == user.id, TimeEntry.client_entry_id == key)
    if earlier is None:
        return None
    return idempotency.replay("client_entry_id", key, (earlier.task_id, earlier.fingerprint),
                              (task_id, _START_PRINT), lambda: entry_dict(earlier, user, now),
                              "another entry")


_START_PRINT = "timer-start"


def start(user, task_id, fields=None, now=None, lock_days=DEFAULT_LOCK_DAYS):
    """(the running entry, created): starting stops the user's other running timer first."""
    now = whole_seconds(now or utcnow())
    fields = fields or {"started_at": None, "client_entry_id": None}
    key = fields["client_entry_id"]
    if key is not None:
        earlier = _started_before(user, key, task_id, now)
        if earlier is not None:
            return earlier, False
    task = _open_task(user, task_id)
    at = _start_at(fields["started_at"], now)
    if at < now:  # a start recorded while the server did not answer: a new entry in the past
        check_lock(user, task, at, lock_days, now)
    current = running(user.id)
    if current is not None and current.task_id == task.id and key is None:
        return entry_dict(current, user, now), False
    stopped = _finish(current, at, "switch", user, now) if current is not None else None
    at = max(at, stopped.ended_at) if stopped is not None else at
    if fields.get("elapsed"):
        at = met_neighbours(user.id, at, now, now)[0]
    period_lock.check_open(user.id, at)
    if at < now and overlapping(user.id, at, now, now):
        raise Overlap("this timer would overlap another of your entries", "started_at")
    entry = TimeEntry.create(task=task, user=user, started_at=at, source="timer", note="",
                             client_entry_id=key, fingerprint=_START_PRINT if key else None,
                             created_at=now)
    record(task, user, "time_entry", "Timer started at %s" % at.isoformat(" "), now)
    announce("time_entry.started", entry, user, now)
    answer = entry_dict(entry, user, now)
    if stopped is not None:
        answer["stopped_entry"] = entry_dict(stopped, user, now)
    return answer, True


def _to_stop(user, key):
    """The running entry, or with a client_entry_id that entry (stopped already or not)."""
    if key is None:
        entry = running(user.id)
        if entry is None:
            raise NotFound(_l("no timer is running"))
        return entry
    entry = TimeEntry.get_or_none(TimeEntry.user == user.id, TimeEntry.client_entry_id == key)
    if entry is None:
        raise NotFound(_l("no timer was started with client_entry_id %(key)s", key=key))
    return entry


def stop(user, fields=None, now=None):
    """Stop the user's running timer, at `ended_at` (a stop recorded offline) or now. Naming the
    timer by its client_entry_id makes a resend harmless: a stopped one is answered as it is."""
    now = whole_seconds(now or utcnow())
    fields = fields or {"ended_at": None, "client_entry_id": None}
    entry = _to_stop(user, fields["client_entry_id"])
    if entry.ended_at is not None:
        return entry_dict(entry, user, now)
    at = now if fields["ended_at"] is None else whole_seconds(fields["ended_at"])
    if at > now + CLOCK_SKEW:
        raise ValidationError(_l("ended_at is in the future"), "ended_at")
    if entry.started_at - ELAPSED_SLACK <= at < entry.started_at:
        at = entry.started_at  # measured to the second: a stop this close to its start is no time
    if at < entry.started_at:
        raise ValidationError(_l("ended_at is before the timer started"), "ended_at")
    period_lock.check_open(user.id, entry.started_at, at, "ended_at")
    return entry_dict(_finish(entry, at, "user", user, now), user, now)


def stop_for_presence(user_id, at, reason, now=None):
    """A running timer stops when its owner turns IDLE (at the idle start) or OFFLINE."""
    entry = running(user_id)
    if entry is not None:
        _finish(entry, at, reason, user_id, whole_seconds(now or utcnow()))
    return entry


def _fingerprint(task_id, fields):
    if "elapsed_seconds" in fields:  # a resend measures from a later moment: only the length holds
        return "elapsed:" + idempotency.fingerprint(dict(fields, task_id=task_id, started_at=None,
                                                         ended_at=None))
    return idempotency.fingerprint(dict(fields, task_id=task_id, started_at=str(fields["started_at"]),
                                        ended_at=str(fields["ended_at"])))


def _replay(user, key, print_):
    earlier = TimeEntry.get_or_none(TimeEntry.user == user.id, TimeEntry.client_entry_id == key)
    if earlier is None:
        return None
    return idempotency.replay("client_entry_id", key, earlier.fingerprint, print_,
                              lambda: json.loads(earlier.first_answer), "another entry")


def create(user, task_id, fields, now=None, lock_days=DEFAULT_LOCK_DAYS):
    """(entry, replayed): a finished entry, manual or a timer recorded offline."""
    now = whole_seconds(now or utcnow())
    key, print_ = fields["client_entry_id"], _fingerprint(task_id, fields)
    if key is not None:
        first = _replay(user, key, print_)
        if first is not None:
            return first, True
    task = _open_task(user, task_id)
    start_at, end_at = check_span(fields["started_at"], fields["ended_at"], now)
    check_lock(user, task, start_at, lock_days, now)
    if "elapsed_seconds" in fields:
        start_at, end_at = met_neighbours(user.id, start_at, end_at, now)
    period_lock.check_open(user.id, start_at, end_at)
    if end_at <= start_at or overlapping(user.id, start_at, end_at, now):
        raise Overlap("this entry overlaps another of your entries", "started_at")
    entry = TimeEntry.create(task=task, user=user, started_at=start_at, ended_at=end_at,
                             seconds=int((end_at - start_at).total_seconds()),
                             source=fields["source"], note=fields["note"], client_entry_id=key,
                             fingerprint=print_ if key else None, created_at=now)
    task = retrack(task.id, now)
    record(task, user, "time_entry", "Entry added (%s): %s" % (entry.source, audit_span(entry)), now)
    announce("time_entry.added", entry, user, now)
    answer = entry_dict(entry, user, now)
    entry.first_answer = json.dumps(answer)
    entry.save()
    return answer, False
