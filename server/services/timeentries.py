"""Time entries: one running timer per user, entries with exact start and end, each change audited."""
import datetime
import hashlib
import json

from ..store.models import Task, TimeEntry
from ..store.times import utcnow
from . import audit, eventlog, validate
from .errors import Conflict, IdempotencyMismatch, NotFound, ValidationError
from .task_view import load, missing_task, not_yours
from .timerules import (MAX_ENTRY, Overlap, audit_span, check_span, entry_dict, overlapping, parse_entry,
                        whole_seconds)

__all__ = ["parse_entry", "start", "stop", "create", "stop_for_presence", "entry_dict"]


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
        raise Conflict("task %s is cancelled: no time can be tracked on it" % task_id, "task_id")
    return task


def record(task, actor, action, notes, now):
    """The audit row of one change to an entry of `task` (the chain lock is taken there)."""
    audit.append(task_id=task.id, user_id=actor.id if hasattr(actor, "id") else actor,
                 action=action, new_percentage=task.progress_percentage,
                 new_status=task.status, notes=notes, task_version=task.version, created_at=now)


def retrack(task_id, now):
    """Recount the task's tracked time from its finished entries; a new version and event."""
    task = Task.get_by_id(task_id)
    total = sum(entry.seconds for entry in TimeEntry.select(TimeEntry.seconds).where(
        TimeEntry.task == task_id, TimeEntry.ended_at.is_null(False), TimeEntry.deleted_at.is_null()))
    task.tracked_seconds, task.version, task.updated_at = total, task.version + 1, now
    task.save()
    eventlog.append("task.changed", task=load(task_id, now), subject_id=task.assignee_id)
    return task


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
    return entry


def start(user, task_id, now=None):
    """(the running entry, created): starting stops the user's other running timer first."""
    now = whole_seconds(now or utcnow())
    task = _open_task(user, task_id)
    current = running(user.id)
    if current is not None and current.task_id == task.id:
        return entry_dict(current, user, now), False
    stopped = _finish(current, now, "switch", user, now) if current is not None else None
    entry = TimeEntry.create(task=task, user=user, started_at=now, source="timer", note="",
                             created_at=now)
    record(task, user, "time_entry", "Timer started at %s" % now.isoformat(" "), now)
    answer = entry_dict(entry, user, now)
    if stopped is not None:
        answer["stopped_entry"] = entry_dict(stopped, user, now)
    return answer, True


def parse_stop(data):
    validate.require_object(data)
    validate.only_fields(data, ("ended_at",))
    return validate.optional_datetime(data, "ended_at")


def stop(user, ended_at=None, now=None):
    """Stop the user's running timer, at `ended_at` (a stop recorded offline) or now."""
    now = whole_seconds(now or utcnow())
    entry = running(user.id)
    if entry is None:
        raise NotFound("no timer is running")
    at = now if ended_at is None else whole_seconds(ended_at)
    if at > now + datetime.timedelta(seconds=60):
        raise ValidationError("ended_at is in the future", "ended_at")
    if at < entry.started_at:
        raise ValidationError("ended_at is before the timer started", "ended_at")
    return entry_dict(_finish(entry, at, "user", user, now), user, now)


def stop_for_presence(user_id, at, reason, now=None):
    """A running timer stops when its owner turns IDLE (at the idle start) or OFFLINE."""
    entry = running(user_id)
    if entry is not None:
        _finish(entry, at, reason, user_id, whole_seconds(now or utcnow()))
    return entry


def _fingerprint(task_id, fields):
    material = dict(fields, task_id=task_id, started_at=str(fields["started_at"]),
                    ended_at=str(fields["ended_at"]))
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _replay(user, key, print_):
    earlier = TimeEntry.get_or_none(TimeEntry.user == user.id, TimeEntry.client_entry_id == key)
    if earlier is None:
        return None
    if earlier.fingerprint != print_:
        raise IdempotencyMismatch("client_entry_id %s was used for a different entry" % key,
                                  "client_entry_id")
    return json.loads(earlier.first_answer)


def create(user, task_id, fields, now=None):
    """(entry, replayed): a finished entry, manual or a timer recorded offline."""
    now = whole_seconds(now or utcnow())
    key, print_ = fields["client_entry_id"], _fingerprint(task_id, fields)
    if key is not None:
        first = _replay(user, key, print_)
        if first is not None:
            return first, True
    task = _open_task(user, task_id)
    start_at, end_at = check_span(fields["started_at"], fields["ended_at"], now)
    if overlapping(user.id, start_at, end_at, now):
        raise Overlap("this entry overlaps another of your entries", "started_at")
    entry = TimeEntry.create(task=task, user=user, started_at=start_at, ended_at=end_at,
                             seconds=int((end_at - start_at).total_seconds()),
                             source=fields["source"], note=fields["note"], client_entry_id=key,
                             fingerprint=print_ if key else None, created_at=now)
    task = retrack(task.id, now)
    record(task, user, "time_entry", "Entry added (%s): %s" % (entry.source, audit_span(entry)), now)
    answer = entry_dict(entry, user, now)
    entry.first_answer = json.dumps(answer)
    entry.save()
    return answer, False
