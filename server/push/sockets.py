"""The WebSocket side of the fan-out: connection caps, and a bus observer that sends catch-up
then live frames, pings and reaps dead sockets, and closes those whose credentials ended.

A socket (see handlers/api/events.py) has user_id, is_admin, scope (a lead's or viewer's team
scope, else None), token_id, cursor (the last id sent it, or caught up to), live, closed, alive,
and send(bytes) -> a future of the flush (None once closed), send_ping(), abort().
A waiting long-poll is held here too (user_id, token_id, abort()), so that it ends with its
credentials exactly as a socket does."""
import collections
import logging

import peewee as pw
import tornado.ioloop
from tornado.iostream import StreamClosedError

from server.store.database import drop_connection
from server.services.people import auth
from server.push.bus import Reset
from server.push.ring import named
from server.push.frames import chunks, text_frame

log = logging.getLogger("tracker.push")

# The ping sweep is spread over its interval: each tick handles the sockets of one slice (by the
# object's id), so every socket is pinged and re-checked once per interval, and 5,000 sockets never
# cost the loop, or their clients, one long burst of pings and pongs every 25 s.
SLICES = 25


class Caps:
    """Connections held open (WebSockets and waiting long-polls), capped in all and per user."""

    def __init__(self, settings):
        self.per_user = collections.Counter()
        self.held = 0
        self.max_total = settings["push_max_connections"]
        self.max_per_user = settings["push_max_connections_per_user"]

    def admit(self, user_id):
        """Count a held connection; False when over a cap."""
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


class Stats:
    """Plain counts the metrics read when scraped (nothing per event beyond an addition)."""

    def __init__(self):
        self.delivered = collections.Counter()  # events sent, by transport
        self.slow_cut = self.reaped = 0


class Sockets:
    def __init__(self, bus, settings):
        self.bus = bus
        self.stats = Stats()
        self.sockets = set()
        # The live sockets by what they see, so an event costs the sockets it concerns, not all:
        self.admins = set()  # everything
        self.readers = set()  # a lead's or viewer's (a scope): looked at per event
        self.own = {}  # user id -> the sockets of a plain employee: the events naming them
        self.polls = set()  # long-polls waiting for an event
        self.send_buffer = settings["push_send_buffer_bytes"]
        self.ping_interval = settings["push_ping_seconds"]
        self.ping_timeout = min(settings["push_ping_timeout_seconds"], self.ping_interval)
        self._timer = None
        self._tick = 0
        # the slice pinged this many ticks ago has had the ping timeout to answer: reap it now
        self._reap_lag = max(1, min(SLICES, -(-self.ping_timeout * SLICES // self.ping_interval)))
        bus.observers.append(self.deliver)

    # ------------------------------------------------------------ catch-up and live frames

    async def attach(self, sub):
        """Send `sub` what it missed, in pages that respect its send buffer, then make it live."""
        self.sockets.add(sub)
        # A cursor ahead of the newest event (from a process ahead of this one, or made up) is
        # read too: the bus catches up or answers a reset, as it does for a long-poll.
        while sub.cursor != self.bus.last_id and not sub.closed:
            frames = [text_frame(data) for data in self._missed(sub)]
            self.stats.delivered["websocket"] += len(frames)
            for chunk in chunks(frames, self.send_buffer // 2):
                if not await _flushed(sub.send(chunk)):
                    return
        sub.live = True  # no await since the loop's last check: nothing can slip in between
        self._group(sub)

    def _missed(self, sub):
        """The next page of events after the socket's cursor (advancing it)."""
        try:
            visible, sub.cursor = self.bus.read(sub.cursor, sub.user_id, sub.is_admin, scope=sub.scope)
        except Reset as reset:
            visible, sub.cursor = [reset.message()], reset.cursor
        return visible

    def detach(self, sub):
        self.sockets.discard(sub)
        self._ungroup(sub)

    def _group(self, sub):
        if sub.is_admin:
            self.admins.add(sub)
        elif sub.scope is not None:
            self.readers.add(sub)
        else:
            self.own.setdefault(sub.user_id, set()).add(sub)

    def _ungroup(self, sub):
        self.admins.discard(sub)
        self.readers.discard(sub)
        theirs = self.own.get(sub.user_id)
        if theirs is not None:
            theirs.discard(sub)
            if not theirs:
                del self.own[sub.user_id]

    def regroup(self):
        """After the held connections' scopes moved (a team change: people.scope.rescope)."""
        for sub in list(self.sockets):
            if sub.live:
                self._ungroup(sub)
                self._group(sub)

    def deliver(self, items):
        """The bus observer: each live socket the events concern gets the frames it may see, in
        one write: every admin, every lead or viewer, and the employees the events name."""
        everything = b"".join(item.frame for item in items)
        first, last = items[0].id, items[-1].id
        concerned = [sub for person in {p for item in items for p in named(item)}
                     for sub in self.own.get(person, ())]
        sent = 0
        for sub in list(self.admins) + list(self.readers) + concerned:
            if sub.cursor >= last:
                continue
            if sub.is_admin and sub.cursor < first:
                data, count = everything, len(items)  # the common case: the same bytes for all admins
            else:
                data, count = _frames(items, sub)
            sub.cursor = last
            if data:
                sent += count
                sub.send(data)
        self.stats.delivered["websocket"] += sent

    # ------------------------------------------------------------ credentials, ping and reap

    def holders(self):
        """Every open socket and waiting long-poll: what a credential change may have to end."""
        return list(self.sockets) + list(self.polls)

    def disconnect(self, token_id=None, user_id=None):
        """End the sockets and waiting polls opened with a token just revoked, or of a user just
        disabled, demoted or promoted (they come back with what they may now see)."""
        for sub in self.holders():
            if (token_id is not None and sub.token_id == token_id) or (
                    user_id is not None and sub.user_id == user_id):
                _close(sub, "whose credentials ended")

    def recheck_credentials(self, holders=None):
        """Close sockets whose token was revoked (or user disabled) anywhere, also by another
        process: one query per sweep (or slice of it), never one per socket."""
        by_token = collections.defaultdict(list)
        for sub in self.holders() if holders is None else holders:
            by_token[sub.token_id].append(sub)
        ids = [token_id for token_id in by_token if token_id is not None]
        for token_id in set(ids) - auth.live_token_ids(ids):
            for sub in by_token[token_id]:
                _close(sub, "whose credentials ended")

    def start(self):
        """The ping sweep, one slice per tick (no timer per connection); needs a running loop."""
        self._timer = tornado.ioloop.PeriodicCallback(self.ping_slice,
                                                      self.ping_interval * 1000 / SLICES)
        self._timer.start()

    def stop(self):
        if self._timer is not None:
            self._timer.stop()

    def ping_slice(self):
        """One tick: reap the slice pinged `_reap_lag` ticks ago that did not answer (when the lag
        is a whole round, that is this slice, before it is pinged again), then re-check and ping
        this tick's slice."""
        self._tick = (self._tick + 1) % SLICES
        self.reap(self._slice(self.sockets, (self._tick - self._reap_lag) % SLICES))
        self.ping(self._slice(self.holders(), self._tick))

    def ping_all(self):
        """The whole sweep at once (the ticks do it a slice at a time)."""
        self.ping(self.holders())

    def ping(self, holders):
        try:
            self.recheck_credentials(holders)
        except (pw.OperationalError, pw.InterfaceError):
            drop_connection()  # the database is away: check again at the next sweep
        for sub in holders:
            if sub in self.sockets and sub.live and not sub.closed:
                sub.alive = False  # a socket still catching up is checked by its flow control
                sub.send_ping()

    def reap(self, subs=None):
        for sub in list(self.sockets) if subs is None else subs:
            if not sub.alive and not sub.closed:
                self.stats.reaped += 1
                _close(sub, "that did not answer a ping")

    @staticmethod
    def _slice(subs, index):
        return [sub for sub in subs if (id(sub) >> 4) % SLICES == index]


def _frames(items, sub):
    """(bytes, count) of the events after the socket's cursor that it may see."""
    if len(items) == 1:  # one event (a lead's or an employee's socket): no list to join
        shown = items[0].seen_by(sub.user_id, sub.is_admin, sub.scope)
        return (shown.frame, 1) if shown is not None else (b"", 0)
    seen = (it.seen_by(sub.user_id, sub.is_admin, sub.scope) for it in items if it.id > sub.cursor)
    frames = [shown.frame for shown in seen if shown is not None]
    return b"".join(frames), len(frames)


async def _flushed(written):
    """Flow control: True once a chunk has left the process, False when the socket is gone."""
    if written is None:
        return False
    try:
        await written
    except StreamClosedError:
        return False
    return True


def _close(sub, why):
    log.info("closing a WebSocket %s (user %s)", why, sub.user_id)
    sub.abort()
