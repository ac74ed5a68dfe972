"""Occupancy: ACTIVE while the person uses the computer, IDLE after a quiet spell (back-dated to the
last input), OFFLINE on quit. Reads the system's idle time; never what was typed."""
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from PyQt5.QtCore import QEvent, QObject, QTimer, pyqtSignal

from .api import AuthRequired, Refused, Unavailable
from .platform.x11 import X11Idle  # noqa: F401 - where callers have long found it

log = logging.getLogger("tracker.desktop")

ACTIVE, IDLE, OFFLINE = "ACTIVE", "IDLE", "OFFLINE"
IDLE_MIN, IDLE_MAX, IDLE_DEFAULT = 60, 1800, 180
HEARTBEAT_SECONDS = 30


def clamp_idle_after(seconds):
    return max(IDLE_MIN, min(IDLE_MAX, int(seconds)))


class AppInputIdle(QObject):
    """Fallback: the time since the last mouse or keyboard event the app itself received. Only
    the moment is kept, never the key or the position. Approximate: work in another program
    looks like idle time."""
    name = "input to this app only"
    exact = False
    INPUT = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel,
             QEvent.TouchBegin}

    def __init__(self, clock=time.monotonic):
        super().__init__()
        self.clock = clock
        self.last_input = clock()

    def eventFilter(self, _obj, event):
        if event.type() in self.INPUT:
            self.last_input = self.clock()
        return False

    def read(self):
        return self.clock() - self.last_input, False


class OccupancyTracker(QObject):
    """Decides ACTIVE / IDLE once a second and tells the server: a change at once, otherwise a
    heartbeat every 30 s. Sends run on a worker thread; failures while offline are dropped (a
    heartbeat is only worth its moment) but `state` stays right for the window."""
    state_changed = pyqtSignal(str)
    source_changed = pyqtSignal(str, bool)  # the source's name, whether its reading is exact
    reported = pyqtSignal(str, float)       # each change and heartbeat: state, idle seconds

    def __init__(self, client, sources, idle_after=IDLE_DEFAULT, clock=time.monotonic,
                 heartbeat_seconds=HEARTBEAT_SECONDS, tick_ms=1000):
        super().__init__()
        self.client, self.sources, self.clock = client, list(sources), clock
        self.idle_after = clamp_idle_after(idle_after)
        self.heartbeat_seconds = heartbeat_seconds
        self.state, self.last_sent_at, self.source = None, None, None
        self.sent = []  # (status, idle_seconds) of recent attempts, newest last
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="tracker-heartbeat")
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)

    def start(self):
        self.check()
        self._timer.start()

    def idle(self):
        """(seconds since the last input, locked) from the first source that can tell."""
        for source in self.sources:
            reading = source.read()
            if reading is not None:
                self._answered_by(source)
                return reading
        return 0.0, False

    def _answered_by(self, source):
        if source is not self.source:
            self.source = source
            self.source_changed.emit(getattr(source, "name", type(source).__name__),
                                     getattr(source, "exact", True))

    def check(self):
        idle_seconds, locked = self.idle()
        state = IDLE if locked or idle_seconds >= self.idle_after else ACTIVE
        now = self.clock()
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
            self._send(state, idle_seconds if state == IDLE else 0.0, now)
        elif self.last_sent_at is None or now - self.last_sent_at >= self.heartbeat_seconds:
            self._send(state, idle_seconds if state == IDLE else 0.0, now)

    def _send(self, state, idle_seconds, now):
        # idle_seconds lets the server start the IDLE period at the last input, not now.
        self.last_sent_at = now
        self.sent.append((state, idle_seconds))
        del self.sent[:-50]
        self.reported.emit(state, idle_seconds)
        self._pool.submit(self._post, state, idle_seconds)

    def _post(self, state, idle_seconds):
        try:
            self.client.heartbeat(state, idle_seconds)
        except (Unavailable, AuthRequired, Refused) as exc:
            log.info("heartbeat %s not sent: %s", state, exc)

    def go_offline(self, timeout=2.0):
        """On quit: stop ticking and tell the server OFFLINE, waiting at most `timeout` s."""
        self._timer.stop()
        self.state = OFFLINE
        self.state_changed.emit(OFFLINE)
        self.sent.append((OFFLINE, None))
        future = self._pool.submit(self._post_offline, timeout)
        try:
            future.result(timeout + 1)
        except Exception as exc:  # noqa: BLE001 - quitting must not fail on a network error
            log.info("OFFLINE not sent: %s", exc)
        self._pool.shutdown(wait=False)

    def _post_offline(self, timeout):
        self.client.heartbeat(OFFLINE, timeout=(min(timeout, 3.05), timeout))
