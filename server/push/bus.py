"""The event bus, owned by the app: a bounded ring of committed events, a cursor, long-poll
waiters and observers (sockets, caches, the board). It knows no transport.

The event table is the source of truth; ids are assigned in commit order, so loading the rows
after the newest id we hold never skips one. Each event is framed once (see frames.py) and the
same bytes go to every reader that may see it; nothing here queries the database per reader."""
import asyncio
import datetime
import logging

import orjson
import peewee as pw
import tornado.ioloop

from server.store.database import drop_connection, read_transaction
from server.store.models import Event
from server.store.times import utcnow
from server.services.record import eventlog
from server.push.frames import frame_header
from server.push.ring import Ring
from server.store import outage

log = logging.getLogger("tracker.push")
PAGE = 500  # events per catch-up read and per long-poll answer


class Item:
    """One committed event as the fan-out needs it: who may see it, and its frame (the JSON is
    the frame's tail, so long-poll and WebSocket share one copy)."""
    __slots__ = ("id", "task", "subject", "former", "team", "frame", "data", "_notice")

    def __init__(self, row):
        """`row`: an Event, or the eventlog.Written the writer hands over after COMMIT."""
        self.id, self.subject, self.former = row.id, row.subject_id, row.former_subject_id
        self.task, self.team = row.task_id, row.team_id
        self._notice = None
        payload = row.payload.encode("utf-8")
        self.frame = frame_header(len(payload)) + payload
        self.data = memoryview(self.frame)[len(self.frame) - len(payload):]

    def visible_to(self, user_id, is_admin, scope=None):
        """Admins see everything; anyone their own events; a lead or viewer (`scope`, see
        services/people/scope.py) also those of their teams' people and teams: set lookups."""
        return (is_admin or user_id == self.subject or user_id == self.former
                or (scope is not None and scope.sees_event(self.subject, self.team)))

    def seen_by(self, user_id, is_admin, scope=None):
        """What a reader gets of this event: itself, the notice that its task left their teams
        (a lead's or viewer's person's task given to someone outside them), or None."""
        if is_admin or user_id == self.subject or user_id == self.former:
            return self
        if scope is None:
            return None
        people = scope.people  # visible_to's rule, inlined: this runs per event and socket
        if self.subject in people or (self.team is not None and self.team in scope.teams):
            return self
        if self.former is not None and self.task is not None and self.former in people:
            if self._notice is None:  # framed once, for every reader it concerns
                self._notice = Notice(self)
            return self._notice
        return None


class Notice:
    """The stand-in of an event whose task left a reader's teams: its id and the task's id only,
    `{"task": {"id": N, "outside_scope": true}}`, so the page drops the task and learns nothing
    of where it went."""
    __slots__ = ("id", "frame", "data")

    def __init__(self, item):
        self.id = item.id
        body = orjson.loads(bytes(item.data))
        payload = orjson.dumps({"id": item.id, "type": body["type"], "at": body["at"],
                                "task": {"id": item.task, "outside_scope": True},
                                "update": None, "employee": None})
        self.frame = frame_header(len(payload)) + payload
        self.data = memoryview(self.frame)[len(self.frame) - len(payload):]


class Reset(Exception):
    """The cursor is older than the retained history (or unknown): reload the snapshot."""

    def __init__(self, cursor):
        super().__init__(cursor)
        self.cursor = cursor

    def message(self):
        return b'{"type":"reset","cursor":%d}' % self.cursor


class Bus:
    def __init__(self, settings):
        self.ring = Ring(settings["push_ring_size"])
        self.observers = []  # called with each list of events taken in, in id order
        self.waiters = set()
        self.poll_seconds = settings["push_poll_seconds"]
        self.retention = datetime.timedelta(hours=settings["event_retention_hours"])
        self._timers = []

    def load(self):
        """Fill the ring with the newest events already committed (a restart's reconnect storm
        then needs no database reads)."""
        newest = list(Event.select().order_by(Event.id.desc()).limit(self.ring.items.maxlen))
        self.ring.load([Item(row) for row in reversed(newest)], newest[-1].id - 1 if newest else 0)

    @property
    def last_id(self):
        return self.ring.last_id

    @property
    def floor(self):
        """Every event with floor < id <= last_id is in the ring."""
        return self.ring.floor

    def committed(self, events):
        """Take in the events this process just committed (eventlog.Written, in id order). When
        they follow the newest id held, no database read is needed; otherwise (another process
        wrote in between, or the poll got here first) read the table instead."""
        fresh = [event for event in events if event.id > self.last_id]
        if not fresh:
            return
        if fresh[0].id != self.last_id + 1 or fresh[-1].id - fresh[0].id != len(fresh) - 1:
            self.refresh()
            return
        items = [Item(event) for event in fresh]
        for item in items:
            self.ring.push(item)
        self._deliver(items)

    def refresh(self):
        """Take in everything committed since last_id (after a local commit, a NOTIFY, a poll)."""
        fresh = []
        try:
            while True:
                rows = eventlog.load_after(self.last_id, PAGE)
                for row in rows:
                    fresh.append(Item(row))
                    self.ring.push(fresh[-1])
                if len(rows) < PAGE:
                    break
        except pw.PeeweeException as exc:
            if not outage.expected(exc, "event poll"):
                log.warning("could not read new events (%s); the next poll retries", exc)
            drop_connection()
        if fresh:
            self._deliver(fresh)
        return len(fresh)

    def read(self, after, user_id, is_admin, limit=PAGE, scope=None):
        """(JSON bytes of the events after `after` that the user may see, new cursor); the cursor
        is the last id looked at, seen or not. Raises Reset when `after` is outside the history."""
        self._check_ahead(after)
        if not is_admin and scope is None:
            return self._naming(after, user_id, limit)
        while True:
            items = self._page(after, limit)
            if not items:
                return [], after
            after = items[-1].id
            seen = (item.seen_by(user_id, is_admin, scope) for item in items)
            visible = [shown.data for shown in seen if shown is not None]
            if visible or after >= self.last_id:
                return visible, after

    def _check_ahead(self, after):
        """A cursor ahead of the newest event held: read what another process may have committed
        (the client's snapshot may come from one ahead of this), else Reset."""
        if after > self.last_id:
            self.refresh()
            if after > self.last_id:
                raise Reset(self.last_id)

    def _naming(self, after, user_id, limit):
        """An employee's read: the events naming them (all they may see), found by person in the
        table's indexes up to the ring and in the ring's index after it, never among everyone's
        events: a reconnect storm's catch-ups cost each socket its own events (see ring.py)."""
        items = self._from_table(after, limit, user_id) if after < self.floor else []
        items += self.ring.naming(user_id, max(after, self.floor), limit - len(items))
        cursor = items[-1].id if len(items) == limit else self.last_id
        return [item.data for item in items], cursor

    def named(self, after, user_id, is_admin, scope=None):
        """A reconnect's catch-up in place of every event it missed (the monitor's
        snapshot.json?since=): what the events after `after` that the reader sees name, up to
        the newest: (ids of their tasks, ids of tasks that left the reader's teams, whether a
        team changed, the cursor looked up to). Raises Reset as read does."""
        self._check_ahead(after)
        tasks, gone, teams = set(), set(), False
        while after < self.last_id:
            items = self._page(after, PAGE)
            if not items:
                break
            after = items[-1].id
            for item in items:
                shown = item.seen_by(user_id, is_admin, scope)
                if shown is not None and item.task is not None:
                    (tasks if shown is item else gone).add(item.task)
                teams = teams or (shown is not None and item.team is not None)
        return tasks, gone, teams, after

    def _page(self, after, limit):
        return self.ring.after(after, limit) if after >= self.floor else self._from_table(after, limit)

    def _from_table(self, after, limit, user_id=None):
        """The events after `after` older than the ring (naming `user_id` only, when given)."""
        # One read snapshot: a prune committing meanwhile cannot slip between the check and the load.
        with read_transaction():
            oldest = Event.select(pw.fn.MIN(Event.id)).scalar()
            if oldest is not None and after < oldest - 1:
                raise Reset(self.last_id)
            rows = (eventlog.load_after(after, limit) if user_id is None
                    else eventlog.load_naming(user_id, after, self.floor, limit))
        # Newer rows reach the ring (and live readers) through refresh(), never around it.
        return [Item(row) for row in rows if row.id <= self.last_id]

    def wait(self, timeout):
        """A future resolved at the next new event or after `timeout` seconds (long-poll)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.waiters.add(future)
        handle = loop.call_later(timeout, resolve, future)
        future.add_done_callback(lambda f: (self.waiters.discard(f), handle.cancel()))
        return future

    def _deliver(self, items):
        for observer in self.observers:
            observer(items)
        for future in list(self.waiters):
            resolve(future)

    def start(self, writer):
        """The safety poll and the pruning of old events; needs a running loop."""
        every = tornado.ioloop.PeriodicCallback
        prune_every = min(3600, max(0.2, self.retention.total_seconds() / 10))
        self._timers = [every(self.refresh, self.poll_seconds * 1000),
                        every(lambda: writer.submit(prune, self.retention), prune_every * 1000)]
        for timer in self._timers:
            timer.start()

    def stop(self):
        for timer in self._timers:
            timer.stop()


def prune(retention):
    """Delete events older than the retention, always keeping the newest (ids continue from it).
    Runs on the writer; readers take their range check and rows from one snapshot."""
    cutoff = utcnow() - retention
    newest = Event.select(pw.fn.MAX(Event.id)).scalar() or 0
    return Event.delete().where(Event.created_at < cutoff, Event.id < newest).execute()


def resolve(future):
    if not future.done():
        future.set_result(None)
