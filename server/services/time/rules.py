"""The rules every time entry obeys (span, overlap) and its API shape; no writes here."""
import datetime
import math

from server.store.models import TimeEntry, User
from server.store.times import iso
from server.services.core import idempotency, validate
from server.services.record.audit import user_brief
from server.services.core.errors import Conflict, ValidationError
from server.store.times import utcnow
from server.services.language.text import _l

MAX_ENTRY = datetime.timedelta(hours=12)
# A client's clock may run a little ahead of the server's: an end this close to now is not future.
CLOCK_SKEW = datetime.timedelta(seconds=60)
SOURCES = ("timer", "manual")
NOTE_MAX = 2000


class Overlap(Conflict):
    code = "overlap"


def whole_seconds(value):
    """Entries are kept to the second: stored text then compares as time on every backend."""
    return value.replace(microsecond=0) if value is not None else None


def check_span(started_at, ended_at, now):
    """(start, end) to the second, or 400 naming the field: ends after it starts, not in the
    future, at most 12 h."""
    start, end = whole_seconds(started_at), whole_seconds(ended_at)
    if end > now + CLOCK_SKEW:
        raise ValidationError(_l("ended_at is in the future"), "ended_at")
    if end <= start:
        raise ValidationError(_l("ended_at must be after started_at"), "ended_at")
    if end - start > MAX_ENTRY:
        raise ValidationError(_l("an entry is at most 12 hours long"), "ended_at")
    return start, min(end, now)


def overlapping(user_id, start, end, now, exclude=None):
    """Whether [start, end) meets another live entry of the user (a running one reaches now)."""
    query = TimeEntry.select(TimeEntry.id, TimeEntry.started_at, TimeEntry.ended_at).where(
        TimeEntry.user == user_id, TimeEntry.deleted_at.is_null(), TimeEntry.started_at < end)
    if exclude is not None:
        query = query.where(TimeEntry.id != exclude)
    return any((entry.ended_at or now) > start for entry in query)


# A run placed from elapsed seconds lands up to a request's latency off: meeting a neighbour of the
# same user by this little is the same moment, not an overlap.
ELAPSED_SLACK = datetime.timedelta(seconds=3)


def met_neighbours(user_id, start, end, now):
    """(start, end) moved off the user's entries they overlap by at most ELAPSED_SLACK."""
    query = TimeEntry.select(TimeEntry.started_at, TimeEntry.ended_at).where(
        TimeEntry.user == user_id, TimeEntry.deleted_at.is_null(),
        TimeEntry.started_at < end + ELAPSED_SLACK)
    for entry in query:
        other_end = entry.ended_at or now
        if start < other_end <= start + ELAPSED_SLACK and entry.started_at < start:
            start = other_end
        elif end - ELAPSED_SLACK <= entry.started_at < end and other_end > end:
            end = entry.started_at
    return start, max(start, end)



def entry_seconds(entry, now):
    end = entry.ended_at or now
    return max(0, int((end - entry.started_at).total_seconds()))


def entry_dict(entry, user, now):
    """The API's time entry; a running entry counts its minutes up to `now`."""
    seconds = entry_seconds(entry, now)
    return {
        "id": entry.id,
        "task_id": entry.task_id,
        "user": user_brief(user),
        "started_at": iso(entry.started_at),
        "ended_at": iso(entry.ended_at),
        "minutes": round(seconds / 60),
        "seconds": seconds,
        "running": entry.ended_at is None,
        "source": entry.source,
        "note": entry.note,
        "stop_reason": entry.stop_reason,
        "client_entry_id": entry.client_entry_id,
    }


def audit_span(entry):
    """How an audit row names an entry: its id, span and minutes."""
    return "entry %d, %s to %s, %d min" % (entry.id, entry.started_at.isoformat(" "),
                                          entry.ended_at.isoformat(" ") if entry.ended_at else "now",
                                          round(entry.seconds / 60))


def with_users(query):
    """[(entry, user)] for a query over TimeEntry: one join, people shared."""
    rows = query.join(User, on=(TimeEntry.user == User.id)).select_extend(User)
    return [(entry, entry.user) for entry in rows]
