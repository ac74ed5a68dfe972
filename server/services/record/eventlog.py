"""The event log: one row per change, written in the change's own transaction; its id is the cursor.

What else must be written in an event's transaction (the webhook outbox, the mails it causes)
subscribes here: make_app registers those consumers, so the event log imports none of them."""
import collections

import orjson
import peewee as pw

from server.store.database import db, is_postgres, sql
from server.store.models import Event
from server.store import txn
from server.store.times import db_time, iso, utcnow
from server.services.core.hooks import Hooks
from server.services.record.audit import lock_chain

TYPES = ("task.created", "task.updated", "task.changed", "occupancy.changed",
         "comment.created", "comment.edited", "comment.deleted",
         "time_entry.started", "time_entry.stopped", "time_entry.added", "time_entry.edited",
         "time_entry.deleted", "timesheet.changed", "absence.changed",
         "webhook.disabled",  # to admins only: it has no subject
         "team.changed")  # to admins, the member it names and whoever reads the team
CHANNEL = "tracker_events"  # PostgreSQL NOTIFY channel: a wake-up carrying only the new id

# What the fan-out needs of an event (the Event model's names, without its construction cost).
Written = collections.namedtuple("Written", "id task_id subject_id former_subject_id payload team_id",
                                 defaults=(None,))
# What an in-transaction consumer is handed: the event as written (body: the dict, payload: JSON).
Appended = collections.namedtuple("Appended", "id type body payload subject_id former_subject_id at")
consumers = Hooks()  # consumer(Appended) in each event's transaction: make_app subscribes them


def append(type_, task=None, update=None, employee=None, subject_id=None, former_subject_id=None,
           now=None, comment=None, entry=None, webhook=None, team=None, extra=None):
    """Write an event; `task`, `update`, `employee` are the API dicts. Returns it as Written.

    The id is taken under the chain lock, so ids are assigned in commit order and a reader that
    has seen id N will never later find a committed event below N (gapless cursors)."""
    assert type_ in TYPES, type_
    lock_chain()
    scope = txn.current()
    last = scope.facts.get("event_id") if scope is not None else None
    if last is None:  # once per writer group: under the lock, nobody else takes an id
        last = db.execute_sql("SELECT MAX(id) FROM event").fetchone()[0] or 0
    now = now or utcnow()
    body = {"id": last + 1, "type": type_, "at": iso(now), "task": task, "update": update,
            "employee": employee}
    # Only the kinds that carry one get a part (the others keep their shape): comment.* a
    # comment, time_entry.* an entry, webhook.disabled the endpoint and why, team.changed the team
    # as it is now, timesheet.changed / absence.changed theirs through `extra`.
    parts = {"comment": comment, "entry": entry, "webhook": webhook, "team": team, **(extra or {})}
    body.update((name, part) for name, part in parts.items() if part is not None)
    team_id = team["id"] if team else None
    payload = orjson.dumps(body).decode()
    task_id = task["id"] if task else None
    db.execute_sql(sql("INSERT INTO event (id, type, task_id, subject_id, former_subject_id, payload, "
                       "created_at, team_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                   (last + 1, type_, task_id, subject_id, former_subject_id, payload, db_time(now),
                    team_id))
    appended = Appended(last + 1, type_, body, payload, subject_id, former_subject_id, now)
    consumers(appended)  # the outbox, the mails: in this same transaction
    if is_postgres():  # delivered at COMMIT, dropped with a rollback; every process LISTENs
        db.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, str(last + 1)))
    written = Written(last + 1, task_id, subject_id, former_subject_id, payload, team_id)
    if scope is not None:  # the bus takes it in after COMMIT, without reading it back
        scope.facts["event_id"] = last + 1
        scope.events.append(written)
    return written


def latest_id():
    return Event.select(pw.fn.MAX(Event.id)).scalar() or 0


def load_after(cursor, limit=1000):
    """Events with id > cursor, oldest first."""
    return list(Event.select().where(Event.id > cursor).order_by(Event.id).limit(limit))


def load_naming(user_id, cursor, upto, limit):
    """Events with cursor < id <= upto whose subject or former subject is the user, oldest first
    (two range reads of the person indexes, migration 21)."""
    naming = (Event.subject == user_id) | (Event.former_subject == user_id)
    return list(Event.select().where(Event.id > cursor, Event.id <= upto, naming)
                .order_by(Event.id).limit(limit))


def visible_to(event, user_id, is_admin):
    if is_admin:
        return True
    return user_id in (event.subject_id, event.former_subject_id)
