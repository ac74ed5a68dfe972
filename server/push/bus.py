"""The push fan-out, owned by the app: a bounded ring of committed events, long-poll waiters,
WebSocket subscribers, catch-up from the event table, and the PostgreSQL LISTEN wake-up.

The event table is the source of truth; ids are assigned in commit order, so loading the rows
after the newest id we hold never skips one. Each event is framed once and the same bytes go to
every subscriber that may see it; nothing here queries the database per subscriber."""
import asyncio
import collections
import datetime
import logging
import struct

import peewee as pw
import tornado.ioloop
from tornado.iostream import StreamClosedError

from ..store.database import db, drop_connection, is_postgres, read_transaction, sql
from ..store.models import Event
from ..store.times import utcnow
from ..services import eventlog
from ..services.auth import CREDENTIALS_CHANNEL, parse_announcement

log = logging.getLogger("tracker.push")
PAGE = 500  # events per catch-up read and per long-poll answer


def frame_header(length):
    """The header of an unmasked, final WebSocket text frame (server to client)."""
    if length < 126:
        return struct.pack("!BB", 0x81, length)
    if length <= 0xFFFF:
        return struct.pack("!BBH", 0x81, 126, length)
    return struct.pack("!BBQ", 0x81, 127, length)


def text_frame(payload):
    return frame_header(len(payload)) + payload


class Item:
    """One committed event as the fan-out needs it: who may see it, and its frame (the JSON is
    the frame's tail, so long-poll and WebSocket share one copy)."""
    __slots__ = ("id", "task", "subject", "former", "frame", "data")

    def __init__(self, row):
        """`row`: an Event, or the eventlog.Written the writer hands over after COMMIT."""
        self.id, self.subject, self.former = row.id, row.subject_id, row.former_subject_id
        self.task = row.task_id
        payload = row.payload.encode("utf-8")
        self.frame = frame_header(len(payload)) + payload
        self.data = memoryview(self.frame)[len(self.frame) - len(payload):]

    def visible_to(self, user_id, is_admin):
        return is_admin or user_id == self.subject or user_id == self.former


class Reset(Exception):
    """The cursor is older than the retained history (or unknown): reload the snapshot."""

    def __init__(self, cursor):
        super().__init__(cursor)
        self.cursor = cursor

    def message(self):
        return b'{"type":"reset","cursor":%d}' % self.cursor


class Bus:
    def __init__(self, settings, on_credentials=None):
        self.ring = collections.deque(maxlen=settings["push_ring_size"])
        self.floor = 0  # every event with floor < id <= last_id is in the ring
        self.last_id = 0
        self.observers = []  # called with each list of events taken in (the caches follow it)
        self.on_credentials = on_credentials or (lambda token_id=None, user_id=None, close=False: None)
        self.sockets = set()
        self.waiters = set()
        self.per_user = collections.Counter()
        self.held = 0
        self.max_total = settings["push_max_connections"]
        self.max_per_user = settings["push_max_connections_per_user"]
        self.send_buffer = settings["push_send_buffer_bytes"]
        self.ping_interval = settings["push_ping_seconds"]
        self.ping_timeout = min(settings["push_ping_timeout_seconds"], self.ping_interval)
        self.poll_seconds = settings["push_poll_seconds"]
        self.retention = datetime.timedelta(hours=settings["event_retention_hours"])
        self.db_url = settings["db"]
        self._timers, self._listener = [], None

    # ------------------------------------------------------------ the ring

    def load(self):
        """Fill the ring with the newest events already committed (a restart's reconnect storm
        then needs no database reads)."""
        newest = list(Event.select().order_by(Event.id.desc()).limit(self.ring.maxlen))
        self.ring.extend(Item(row) for row in reversed(newest))
        self.last_id = newest[0].id if newest else 0
        self.floor = newest[-1].id - 1 if newest else 0

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
            self._push(item)
        self._deliver(items)

    def refresh(self):
        """Take in everything committed since last_id (after a local commit, a NOTIFY, a poll)."""
        fresh = []
        try:
            while True:
                rows = eventlog.load_after(self.last_id, PAGE)
                for row in rows:
                    self._push(Item(row))
                    fresh.append(self.ring[-1])
                if len(rows) < PAGE:
                    break
        except pw.PeeweeException as exc:
            log.warning("could not read new events (%s); the next poll retries", exc)
            drop_connection()
        if fresh:
            self._deliver(fresh)
        return len(fresh)

    def _push(self, item):
        if len(self.ring) == self.ring.maxlen:
            self.floor = self.ring[0].id
        self.ring.append(item)
        self.last_id = item.id

    def read(self, after, user_id, is_admin, limit=PAGE):
        """(JSON bytes of the events after `after` that the user may see, new cursor); the cursor
        is the last id looked at, seen or not. Raises Reset when `after` is outside the history."""
        if after > self.last_id:
            self.refresh()  # the client's snapshot may come from a process ahead of this one
            if after > self.last_id:
                raise Reset(self.last_id)
        while True:
            items = self._from_ring(after, limit) if after >= self.floor else self._from_table(after, limit)
            if not items:
                return [], after
            after = items[-1].id
            visible = [item.data for item in items if item.visible_to(user_id, is_admin)]
            if visible or after >= self.last_id:
                return visible, after

    def _from_ring(self, after, limit):
        picked = []
        for item in reversed(self.ring):
            if item.id <= after:
                break
            picked.append(item)
        picked.reverse()
        return picked[:limit]

    def _from_table(self, after, limit):
        # One read snapshot: a prune committing meanwhile cannot slip between the check and the load.
        with read_transaction():
            oldest = Event.select(pw.fn.MIN(Event.id)).scalar()
            if oldest is not None and after < oldest - 1:
                raise Reset(self.last_id)
            rows = eventlog.load_after(after, limit)
        # Newer rows reach the ring (and live subscribers) through refresh(), never around it.
        return [Item(row) for row in rows if row.id <= self.last_id]

    # ------------------------------------------------------------ subscribers

    def admit(self, user_id):
        """Count a held connection (WebSocket or waiting long-poll); False when over a cap."""
        if self.held >= self.max_total or self.per_user[user_id] >= self.max_per_user:
            return False
        self.per_user[user_id] += 1
        self.held += 1
        return True

    def release(self, user_id):
        self.held -= 1
        self.per_user[user_id] -= 1
        if self.per_user[user_id] <= 0:
            del self.per_user[user_id]

    def wait(self, timeout):
        """A future resolved at the next new event or after `timeout` seconds (long-poll)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.waiters.add(future)
        handle = loop.call_later(timeout, resolve, future)
        future.add_done_callback(lambda f: (self.waiters.discard(f), handle.cancel()))
        return future

    async def attach(self, sub):
        """Send `sub` what it missed, in pages that respect its send buffer, then make it live.

        A subscriber has user_id, is_admin, cursor (last id handled), live, closed, alive, and
        send(bytes) -> a future of the flush (None once closed), send_ping(), abort()."""
        self.sockets.add(sub)
        while sub.cursor < self.last_id and not sub.closed:
            try:
                visible, cursor = self.read(sub.cursor, sub.user_id, sub.is_admin)
            except Reset as reset:
                visible, cursor = [reset.message()], reset.cursor
            sub.cursor = cursor
            for chunk in _chunks([text_frame(data) for data in visible], self.send_buffer // 2):
                written = sub.send(chunk)
                if written is None:
                    return
                try:  # flow control: each chunk leaves the process before the next is written
                    await written
                except StreamClosedError:
                    return
        sub.live = True  # no await since the loop's last check: nothing can slip in between

    def detach(self, sub):
        self.sockets.discard(sub)

    def _deliver(self, items):
        for observer in self.observers:
            observer(items)
        for future in list(self.waiters):
            resolve(future)
        everything = b"".join(item.frame for item in items)
        first, last = items[0].id, items[-1].id
        for sub in list(self.sockets):
            if not sub.live or sub.cursor >= last:
                continue
            if sub.is_admin and sub.cursor < first:
                data = everything  # the common case: the same bytes for every admin
            else:
                data = b"".join(it.frame for it in items
                                if it.id > sub.cursor and it.visible_to(sub.user_id, sub.is_admin))
            sub.cursor = last
            if data:
                sub.send(data)

    # ------------------------------------------------------------ keep-alive, pruning, PostgreSQL

    def start(self, writer):
        """Start the timers (and the LISTEN connection on PostgreSQL); needs a running loop."""
        every = tornado.ioloop.PeriodicCallback
        prune_every = min(3600, max(0.2, self.retention.total_seconds() / 10))
        self._timers = [every(self.refresh, self.poll_seconds * 1000),
                        every(self._ping_all, self.ping_interval * 1000),
                        every(lambda: writer.submit(self.prune), prune_every * 1000)]
        for timer in self._timers:
            timer.start()
        if is_postgres():
            self._listener = asyncio.ensure_future(self._listen())

    def stop(self):
        for timer in self._timers:
            timer.stop()
        if self._listener:
            self._listener.cancel()

    def disconnect(self, token_id=None, user_id=None):
        """Close the sockets opened with a token just revoked, or of a user just disabled."""
        for sub in list(self.sockets):
            if (token_id is not None and sub.token_id == token_id) or (
                    user_id is not None and sub.user_id == user_id):
                log.info("closing a WebSocket whose credentials ended (user %s)", sub.user_id)
                sub.abort()

    def _recheck_credentials(self):
        """Close sockets whose token was revoked (or user disabled) anywhere, also by another
        process: one query per sweep for all sockets, never one per socket."""
        by_token = {}
        for sub in self.sockets:
            by_token.setdefault(sub.token_id, []).append(sub)
        ids = [token_id for token_id in by_token if token_id is not None]
        valid = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            valid.update(row[0] for row in db.execute_sql(sql(
                'SELECT t.id FROM api_token t JOIN "user" u ON u.id = t.user_id '
                "WHERE NOT t.revoked AND u.is_active AND t.id IN (%s)" % ", ".join("?" * len(chunk))),
                chunk).fetchall())
        for token_id in set(ids) - valid:
            for sub in by_token[token_id]:
                log.info("closing a WebSocket whose credentials ended (user %s)", sub.user_id)
                sub.abort()

    def _ping_all(self):
        """One sweep for every socket (no timer per connection); the reap follows the timeout."""
        try:
            self._recheck_credentials()
        except (pw.OperationalError, pw.InterfaceError):
            drop_connection()  # the database is away: check again at the next sweep
        for sub in list(self.sockets):
            if sub.live:  # a socket still catching up is checked by its flow control instead
                sub.alive = False
                sub.send_ping()
        asyncio.get_running_loop().call_later(self.ping_timeout, self._reap)

    def _reap(self):
        for sub in list(self.sockets):
            if not sub.alive:
                log.info("closing a WebSocket that did not answer a ping (user %s)", sub.user_id)
                sub.abort()

    def prune(self):
        """Delete events older than the retention, always keeping the newest (ids continue from it).
        Runs on the writer; readers take their range check and rows from one snapshot."""
        cutoff = utcnow() - self.retention
        newest = Event.select(pw.fn.MAX(Event.id)).scalar() or 0
        return Event.delete().where(Event.created_at < cutoff, Event.id < newest).execute()

    async def _listen(self):
        import psycopg
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(self.db_url, autocommit=True)
                async with conn:
                    await conn.execute("LISTEN %s" % eventlog.CHANNEL)
                    await conn.execute("LISTEN %s" % CREDENTIALS_CHANNEL)
                    self.on_credentials()  # whatever changed while we were not listening
                    self.refresh()
                    async for note in conn.notifies():
                        if note.channel == CREDENTIALS_CHANNEL:
                            token_id, user_id, close = parse_announcement(note.payload)
                            self.on_credentials(token_id=token_id, user_id=user_id, close=close)
                        elif int(note.payload) > self.last_id:
                            self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception:  # the safety poll covers the gap; reconnect after a pause
                log.warning("event LISTEN connection lost; reconnecting", exc_info=True)
                await asyncio.sleep(1)


def _chunks(frames, size):
    """Frames joined into pieces of about `size` bytes (one frame may exceed it)."""
    piece, length = [], 0
    for frame in frames:
        piece.append(frame)
        length += len(frame)
        if length >= size:
            yield b"".join(piece)
            piece, length = [], 0
    if piece:
        yield b"".join(piece)


def resolve(future):
    if not future.done():
        future.set_result(None)
