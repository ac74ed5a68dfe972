"""Reading time entries, and their corrections: the author within time_lock_days, an admin always."""
import datetime

from server.store.models import TimeEntry, User
from server.store.times import utcnow
from server.services.core import validate
from server.services.core.errors import Conflict, Forbidden, NotFound, ValidationError
from server.services.tasks.tasks import visible_task
from server.services.time.entries import announce, record, retrack
from server.services.periods import lock as period_lock
from server.services.time.rules import (NOTE_MAX, Overlap, audit_span, check_span, entry_dict, overlapping,
                                        whole_seconds)
from server.services.time.instants import Locked
from server.services.language.text import _l

DEFAULT_LOCK_DAYS = 7
MAX_RANGE = datetime.timedelta(days=366)


def _with_user(query):
    return query.select_extend(User).join(User, on=(TimeEntry.user == User.id))


def task_entries(user, task_id, now=None):
    """Every live entry of a task (whoever tracked it), oldest first: assignee or admin."""
    now = now or utcnow()
    task = visible_task(user, task_id)
    query = _with_user(TimeEntry.select()).where(TimeEntry.task == task["id"],
                                                 TimeEntry.deleted_at.is_null())
    return [entry_dict(entry, entry.user, now) for entry in query.order_by(TimeEntry.started_at)]


def parse_range(args, now):
    """(since, until) from query arguments; default the last seven days."""
    since = validate.optional_datetime(args, "since") or now - datetime.timedelta(days=7)
    until = validate.optional_datetime(args, "until") or now
    if until <= since:
        raise ValidationError(_l("until must be after since"), "until")
    if until - since > MAX_RANGE:
        raise ValidationError(_l("at most 366 days at once"), "since")
    return since, until


def my_entries(user, since, until, now=None):
    """The caller's live entries that meet [since, until), oldest first, and the running one."""
    now = now or utcnow()
    query = TimeEntry.select().where(TimeEntry.user == user.id, TimeEntry.deleted_at.is_null(),
                                     TimeEntry.started_at < until,
                                     (TimeEntry.ended_at.is_null()) | (TimeEntry.ended_at > since))
    entries = [entry_dict(entry, user, now) for entry in query.order_by(TimeEntry.started_at)]
    running = next((entry for entry in entries if entry["running"]), None)
    return {"entries": entries, "running": running,
            "total_minutes": round(sum(entry["seconds"] for entry in entries) / 60)}


def _editable(user, entry_id, lock_days, now):
    """The entry if `user` may change it: an admin any, the author within the lock."""
    entry = TimeEntry.get_or_none(TimeEntry.id == entry_id, TimeEntry.deleted_at.is_null())
    if entry is None or (entry.user_id != user.id and not user.is_admin):
        raise NotFound(_l("time entry %(entry_id)s does not exist", entry_id=entry_id))
    if not user.is_admin and entry.started_at < now - datetime.timedelta(days=lock_days):
        raise Locked("entries older than %d days are locked; ask an admin" % lock_days)
    return entry


def parse_edit(data):
    validate.require_object(data)
    validate.only_fields(data, ("started_at", "ended_at", "note"))
    if not data:
        raise ValidationError(_l("nothing to change: send started_at, ended_at or note"))
    fields = {name: validate.parse_datetime(data[name], name)
              for name in ("started_at", "ended_at") if name in data}
    if "note" in data:
        fields["note"] = validate.text(data, "note", NOTE_MAX)
    return fields


def _respan(user, entry, fields, lock_days, now):
    """Apply a new start or end, checked like a new entry (a running entry keeps running)."""
    start = whole_seconds(fields.get("started_at", entry.started_at))
    if entry.ended_at is None:
        if "ended_at" in fields:
            raise Conflict(_l("the timer is running: stop it first"), "ended_at")
        end = start + datetime.timedelta(seconds=1)
        if start > now:
            raise ValidationError(_l("started_at is in the future"), "started_at")
    else:
        start, end = check_span(start, fields.get("ended_at", entry.ended_at), now)
    if not user.is_admin and start < now - datetime.timedelta(days=lock_days):
        raise Locked("entries older than %d days are locked; ask an admin" % lock_days, "started_at")
    if overlapping(entry.user_id, start, entry.ended_at and end or now, now, exclude=entry.id):
        raise Overlap("this entry would overlap another of the same person", "started_at")
    entry.started_at = start
    if entry.ended_at is not None:
        entry.ended_at, entry.seconds = end, int((end - start).total_seconds())


def edit(user, entry_id, fields, lock_days=DEFAULT_LOCK_DAYS, now=None):
    now = whole_seconds(now or utcnow())
    entry = _editable(user, entry_id, lock_days, now)
    before = audit_span(entry)
    period_lock.check_open(entry.user_id, entry.started_at, entry.ended_at)
    if "started_at" in fields or "ended_at" in fields:
        _respan(user, entry, fields, lock_days, now)
        period_lock.check_open(entry.user_id, entry.started_at, entry.ended_at)
    if "note" in fields:
        entry.note = fields["note"]
    entry.save()
    task = retrack(entry.task_id, now)
    record(task, user, "time_entry_edit", "Edited %s (was %s)" % (audit_span(entry), before), now)
    owner = User.get_by_id(entry.user_id)
    announce("time_entry.edited", entry, owner, now)
    return entry_dict(entry, owner, now)


def delete(user, entry_id, lock_days=DEFAULT_LOCK_DAYS, now=None):
    """Delete an entry: its row stays, marked, so that a replay of it gets its first answer."""
    now = whole_seconds(now or utcnow())
    entry = _editable(user, entry_id, lock_days, now)
    period_lock.check_open(entry.user_id, entry.started_at, entry.ended_at)
    entry.deleted_at = now
    if entry.ended_at is None:  # a discarded timer: it ends, and counts for nothing
        entry.ended_at, entry.stop_reason = now, "deleted"
    entry.save()
    task = retrack(entry.task_id, now)
    record(task, user, "time_entry_delete", "Deleted %s" % audit_span(entry), now)
    announce("time_entry.deleted", entry, User.get_by_id(entry.user_id), now)
