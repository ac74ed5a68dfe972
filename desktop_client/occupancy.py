"""Occupancy: ACTIVE while the person uses the computer, IDLE after a quiet spell (back-dated to the
last input), OFFLINE on quit. Reads the system's idle time; never what was typed."""
import ctypes
import ctypes.util
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

from PyQt5.QtCore import QEvent, QObject, QTimer, pyqtSignal

from .api import AuthRequired, Refused, Unavailable

log = logging.getLogger("tracker.desktop")

ACTIVE, IDLE, OFFLINE = "ACTIVE", "IDLE", "OFFLINE"
IDLE_MIN, IDLE_MAX, IDLE_DEFAULT = 60, 1800, 180
HEARTBEAT_SECONDS = 30


def clamp_idle_after(seconds):
    return max(IDLE_MIN, min(IDLE_MAX, int(seconds)))


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [("window", ctypes.c_ulong), ("state", ctypes.c_int), ("kind", ctypes.c_int),
                ("til_or_since", ctypes.c_ulong), ("idle", ctypes.c_ulong),
                ("eventMask", ctypes.c_ulong)]


class X11Idle:
    """The X server's idle time through the MIT-SCREEN-SAVER extension (libXss) via ctypes.
    `read()` gives (idle seconds, screen saver or lock on) or None where X11 is not there."""
    SCREEN_SAVER_ON = 1

    def __init__(self):
        self.display = None
        if not os.environ.get("DISPLAY"):
            return
        x11_name, xss_name = ctypes.util.find_library("X11"), ctypes.util.find_library("Xss")
        if not x11_name or not xss_name:
            return
        try:
            self.x11, self.xss = ctypes.cdll.LoadLibrary(x11_name), ctypes.cdll.LoadLibrary(xss_name)
        except OSError:
            return
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
        self.xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong,
                                                   ctypes.POINTER(_XScreenSaverInfo)]
        self.xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int)]
        display = self.x11.XOpenDisplay(None)
        if not display:
            return
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not self.xss.XScreenSaverQueryExtension(display, ctypes.byref(event_base),
                                                   ctypes.byref(error_base)):
            return
        self.display, self.root = display, self.x11.XDefaultRootWindow(display)
        self.info = self.xss.XScreenSaverAllocInfo()

    def read(self):
        if not self.display:
            return None
        if not self.xss.XScreenSaverQueryInfo(self.display, self.root, self.info):
            return None
        info = self.info.contents
        return info.idle / 1000.0, info.state == self.SCREEN_SAVER_ON


class AppInputIdle(QObject):
    """Fallback: the time since the last mouse or keyboard event the app itself received. Only
    the moment is kept, never the key or the position."""
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

    def __init__(self, client, sources, idle_after=IDLE_DEFAULT, clock=time.monotonic,
                 heartbeat_seconds=HEARTBEAT_SECONDS, tick_ms=1000):
        super().__init__()
        self.client, self.sources, self.clock = client, list(sources), clock
        self.idle_after = clamp_idle_after(idle_after)
        self.heartbeat_seconds = heartbeat_seconds
        self.state, self.last_sent_at = None, None
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
                return reading
        return 0.0, False

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
