"""The push channel: GET /api/events/ (long-poll) and GET /api/events/ws (WebSocket), thin adapters
over the app's event bus (server/events.py)."""
import asyncio
import logging
import re
import urllib.parse

import tornado.websocket
from tornado.iostream import StreamBufferFullError, StreamClosedError

from ..push.bus import Reset, resolve
from .base import ApiError, ApiHandler, BaseHandler

log = logging.getLogger("tracker.push")
CURSOR = re.compile(r"^[0-9]{1,18}$")
MAX_TIMEOUT = 60.0
DEFAULT_TIMEOUT = 25.0


def cursor_argument(handler, bus, required=False):
    """?after=N (an event id); a WebSocket without it starts at the newest event."""
    raw = handler.get_query_argument("after", None)
    if raw is None or raw == "":
        if required:
            raise ApiError(400, "after is required: the cursor of a snapshot or of the last event",
                           "after")
        return bus.last_id
    if not CURSOR.match(raw):
        raise ApiError(400, "after must be an event id (a non-negative integer)", "after")
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
        raise ApiError(400, "timeout must be a number of seconds from 0 to 60", "timeout")
    return value


def too_many():
    error = ApiError(429, "too many push connections; try again later")
    error.retry_after = 5
    return error


class LongPollHandler(ApiHandler):
    """Answers at once with the events after the cursor, else waits for the first or the timeout.
    Stateless: the cursor travels in the request, so any process can answer it."""
    waiting = None
    gone = False

    async def get(self):
        bus, user = self.svc.bus, self.current_user
        after, timeout = cursor_argument(self, bus, required=True), timeout_argument(self)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            visible, cursor = bus.read(after, user.id, user.is_admin)
            if not visible and timeout > 0:
                if not bus.admit(user.id):
                    raise too_many()
                try:
                    while not visible and not self.gone and loop.time() < deadline:
                        self.waiting = bus.wait(deadline - loop.time())
                        await self.waiting
                        more, cursor = bus.read(cursor, user.id, user.is_admin)
                        visible += more
                finally:
                    bus.release(user.id)
        except Reset as reset:
            return self.send_json(b'{"type":"reset","cursor":%d,"events":[%s]}'
                                  % (reset.cursor, reset.message()))
        self.send_json(b'{"events":[%s],"cursor":%d}' % (b",".join(visible), cursor))

    def send_json(self, body):
        """The events go out as stored: serialized once, when they were written."""
        if not self.gone:
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(body)

    def on_connection_close(self):
        self.gone = True
        if self.waiting is not None:
            resolve(self.waiting)  # the wait ends now; the bus forgets the waiter


class EventSocketHandler(tornado.websocket.WebSocketHandler, BaseHandler):
    """Each event as one JSON text message. Authenticated before the upgrade (401 otherwise):
    a bearer header, or the admin session cookie from this site's own pages (Origin checked)."""
    user_id = is_admin = cursor = token_id = None
    live = closed = admitted = False
    alive = True

    write_error = ApiHandler.write_error

    def log_exception(self, typ, value, tb):
        if self.request is None:  # an open socket: the handshake is gone (see open)
            log.error("error on the push socket of user %s", self.user_id, exc_info=(typ, value, tb))
        else:
            ApiHandler.log_exception(self, typ, value, tb)

    def prepare(self):
        user = self.authenticate()
        bus = self.svc.bus
        self.cursor = cursor_argument(self, bus)
        if not bus.admit(user.id):
            raise too_many()
        self.admitted = True
        self.user_id, self.is_admin = user.id, user.is_admin

    def authenticate(self):
        token_row, user, from_cookie = self.credentials()
        # Browsers send cookies on cross-site WebSocket handshakes: only our own pages may.
        if from_cookie and not self.same_origin(self.request.headers.get("Origin")):
            raise ApiError(403, "a cookie-authenticated WebSocket must come from this site")
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
        self.ws_connection.stream.max_write_buffer_size = self.svc.bus.send_buffer
        # Keep per-connection state tiny: nothing reads the handshake once the socket is open
        # (about 6 KB of the ~17 KB an idle socket costs).
        self.request = self._headers = self.ui = None
        await self.svc.bus.attach(self)

    def on_message(self, message):
        pass  # the channel is one-way; pings and pongs are handled below

    def on_pong(self, data):
        self.alive = True

    def send(self, data):
        """Queue pre-framed bytes; a consumer over its send buffer is cut off (it reconnects
        with its cursor and loses nothing)."""
        conn = self.ws_connection
        if conn is None or conn.is_closing():
            return None
        try:
            return conn.stream.write(data)
        except StreamBufferFullError:
            log.info("disconnecting a WebSocket that fell behind (user %s at event %s)",
                     self.user_id, self.cursor)
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
        if self.ws_connection is not None:
            self.ws_connection.stream.close()  # frees the queued bytes now; on_close follows

    def on_close(self):
        self.closed = True
        self.svc.bus.detach(self)
        self.release()

    def on_finish(self):
        if self.get_status() != 101:  # refused before the upgrade: no on_close will come
            self.release()

    def release(self):
        if self.admitted:
            self.admitted = False
            self.svc.bus.release(self.user_id)


routes = [
    (r"/api/events/", LongPollHandler),
    (r"/api/events/ws", EventSocketHandler),
]
