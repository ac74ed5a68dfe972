"""The push channel: GET /api/events/ (long-poll) and GET /api/events/ws (WebSocket), thin adapters
over the app's event bus and sockets (server/push/)."""
import asyncio
import logging
import re
import urllib.parse

import tornado.web
import tornado.websocket
from tornado.iostream import StreamBufferFullError, StreamClosedError

from server.push.bus import Reset, resolve
from server.services.core.errors import ServiceError
from server.handlers.base import ApiError, ApiHandler, BaseHandler
from server.handlers.scoped import cached_scope
from server.services.language.text import _l

log = logging.getLogger("tracker.push")
CURSOR = re.compile(r"[0-9]{1,18}")
MAX_TIMEOUT = 60.0
DEFAULT_TIMEOUT = 25.0
GZIP_FROM = 16384  # bytes of events worth compressing per request


def cursor_argument(handler, bus, required=False):
    """?after=N (an event id); a WebSocket without it starts at the newest event."""
    raw = handler.get_query_argument("after", None)
    if raw is None or raw == "":
        if required:
            raise ApiError(400, _l("after is required: the cursor of a snapshot or of the last event"),
                           "after")
        return bus.last_id
    if not CURSOR.fullmatch(raw):
        raise ApiError(400, _l("after must be an event id (a non-negative integer)"), "after")
    return int(raw)


def timeout_argument(handler):
    raw = handler.get_query_argument("timeout", None)
    if raw is None or raw == "":
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= MAX_TIMEOUT:  # also refuses nan
        raise ApiError(400, _l("timeout must be a number of seconds from 0 to 60"), "timeout")
    return value


def too_many():
    error = ApiError(429, _l("too many push connections; try again later"))
    error.retry_after = 5
    return error


class LongPollHandler(ApiHandler):
    """Answers at once with the events after the cursor, else waits for the first or the timeout.
    Stateless: the cursor travels in the request, so any process can answer it. A wait ends
    early when its credentials change (server/push/sockets.py); it then answers as a new request
    with those credentials would: 401 when they ended, else what the user may now see."""
    waiting = None
    gone = ended = False

    @property
    def user_id(self):
        return self.current_user.id

    @property
    def token_id(self):
        return self.token_row.id if self.token_row is not None else None

    @property
    def team_scope(self):
        """A lead's or viewer's scope (None for admins and employees: their rule needs none)."""
        return self.scope if self.scope.roles else None

    async def get(self):
        bus, user = self.svc.bus, self.current_user
        after, timeout = cursor_argument(self, bus, required=True), timeout_argument(self)
        try:
            visible, cursor = bus.read(after, user.id, user.is_admin, scope=self.team_scope)
            if not visible and timeout > 0:
                visible, cursor = await self.wait(timeout, cursor)
        except Reset as reset:
            return self.send_json(b'{"type":"reset","cursor":%d,"events":[%s]}'
                                  % (reset.cursor, reset.message()))
        self.svc.sockets.stats.delivered["longpoll"] += len(visible)
        self.send_json(b'{"events":[%s],"cursor":%d}' % (b",".join(visible), cursor))

    async def wait(self, timeout, cursor):
        """Hold the request (counted against the caps) until an event it may see, or the timeout."""
        bus, caps, user = self.svc.bus, self.svc.caps, self.current_user
        if not caps.admit(user.id):
            raise too_many()
        loop = asyncio.get_running_loop()
        deadline, visible = loop.time() + timeout, []
        self.svc.sockets.polls.add(self)
        try:
            while not visible and not self.gone and not self.ended and loop.time() < deadline:
                self.waiting = bus.wait(deadline - loop.time())
                await self.waiting
                if not self.ended:
                    visible, cursor = bus.read(cursor, user.id, user.is_admin, scope=self.team_scope)
        finally:
            caps.release(user.id)
            self.svc.sockets.polls.discard(self)
        if self.ended:
            self.credentials()  # gone -> 401; changed -> answer now, the next poll sees anew
        return visible, cursor

    def abort(self):
        """Its credentials changed: stop waiting (see wait)."""
        self.ended = True
        if self.waiting is not None:
            resolve(self.waiting)

    def send_json(self, body):
        """The events go out as stored: serialized once, when they were written; gzipped only
        when many (a catch-up): one event to each of many pollers is not worth it."""
        if not self.gone:
            self.set_header("Content-Type", "application/json; charset=utf-8")
            if len(body) < GZIP_FROM:
                uncompressed(self)
            self.finish(body)

    def on_connection_close(self):
        self.gone = True
        if self.waiting is not None:
            resolve(self.waiting)  # the wait ends now; the bus forgets the waiter


# ---------------------------------------------------------------- Tornado internals, in one place
# Tornado 6.6 has public calls for the rest (ping, set_nodelay, close, write_message); these five
# have none that serves, each for the reason given.

def uncompressed(handler):
    """compress_response is the application's: one answer leaves it out by dropping the
    transform from its own list (a Content-Encoding header would skip it, but says so)."""
    handler._transforms = [t for t in handler._transforms
                           if not isinstance(t, tornado.web.GZipContentEncoding)]


def cap_write_buffer(handler, size):
    """A consumer that falls behind must be cut off, not buffered without bound; the socket's
    IOStream takes its cap only as an attribute (WebSocketHandler has no setting for it)."""
    handler.ws_connection.stream.max_write_buffer_size = size


def write_framed(handler, data):
    """Write bytes framed once for every socket (server/push/frames.py): write_message would frame
    each copy again and wrap each write in a task, which fan-out to thousands cannot afford.
    A future of the flush, or None once the socket is closing."""
    conn = handler.ws_connection
    if conn is None or conn.is_closing():
        return None
    return conn.stream.write(data)


def drop_now(handler):
    """close() queues a close frame behind the unsent bytes and waits up to 5 s for the answer; a
    socket being cut off must free its buffer at once (on_close follows)."""
    if handler.ws_connection is not None:
        handler.ws_connection.stream.close()


def shed_handshake(handler):
    """An open socket never reads its handshake again: dropping it saves ~6 KB of the ~17 KB an
    idle socket costs. RequestHandler keeps it in attributes only (no public way to let go)."""
    handler.request = handler._headers = handler.ui = None


class EventSocketHandler(tornado.websocket.WebSocketHandler, BaseHandler):
    """Each event as one JSON text message. Authenticated before the upgrade (401 otherwise):
    a bearer header, or the admin session cookie from this site's own pages (Origin checked)."""
    SUPPORTED_METHODS = ("GET",)  # a 405 before anything else runs (POST here was a 500)
    user_id = is_admin = cursor = token_id = None
    scope = None  # a plain attribute here: the fan-out reads it per event, never a query
    live = closed = admitted = False
    alive = True

    write_error = ApiHandler.write_error

    def log_exception(self, typ, value, tb):
        if self.request is None:  # an open socket: the handshake is gone (see open)
            log.error("error on the push socket of user %s", self.user_id, exc_info=(typ, value, tb))
        elif not isinstance(value, ServiceError):
            BaseHandler.log_exception(self, typ, value, tb)

    def allowed_methods(self):
        return list(self.SUPPORTED_METHODS)

    def prepare(self):
        user = self.authenticate()
        self.cursor = cursor_argument(self, self.svc.bus)
        if not self.svc.caps.admit(user.id):
            raise too_many()
        self.admitted = True
        self.user_id, self.is_admin = user.id, user.is_admin
        rule = cached_scope(self.svc.scopes, user)  # a reconnect storm reads no memberships
        self.scope = rule if rule.roles else None  # set lookups per event (see bus.Item)

    def authenticate(self):
        token_row, user, from_cookie = self.credentials()
        # Browsers send cookies on cross-site WebSocket handshakes: only our own pages may.
        if from_cookie and not self.same_origin(self.request.headers.get("Origin")):
            raise ApiError(403, _l("a cookie-authenticated WebSocket must come from this site"))
        self.touch(token_row)
        self.token_id = token_row.id  # checked again at every ping sweep; revoked -> closed
        return user

    def same_origin(self, origin):
        if not origin:
            return False
        host = self.request.headers.get("Host", "").lower()
        return urllib.parse.urlsplit(origin).netloc.lower() == host

    async def open(self):
        self.set_nodelay(True)
        cap_write_buffer(self, self.svc.sockets.send_buffer)
        shed_handshake(self)  # keep per-connection state tiny
        await self.svc.sockets.attach(self)

    def on_message(self, message):
        pass  # the channel is one-way; pings and pongs are handled below

    def on_pong(self, data):
        self.alive = True

    def send(self, data):
        """Queue pre-framed bytes; a consumer over its send buffer is cut off (it reconnects
        with its cursor and loses nothing)."""
        try:
            return write_framed(self, data)
        except StreamBufferFullError:
            log.info("disconnecting a WebSocket that fell behind (user %s at event %s)",
                     self.user_id, self.cursor)
            self.svc.sockets.stats.slow_cut += 1
            self.abort()
        except StreamClosedError:
            pass
        return None

    def send_ping(self):
        try:
            self.ping(b"")
        except (tornado.websocket.WebSocketClosedError, StreamClosedError):
            pass
        except StreamBufferFullError:
            self.abort()

    def abort(self):
        drop_now(self)

    def on_close(self):
        self.closed = True
        self.svc.sockets.detach(self)
        self.release()

    def on_finish(self):
        if self.get_status() != 101:  # refused before the upgrade: no on_close will come
            self.release()

    def release(self):
        if self.admitted:
            self.admitted = False
            self.svc.caps.release(self.user_id)


routes = [
    (r"/api/events/", LongPollHandler),
    (r"/api/events/ws", EventSocketHandler),
]
