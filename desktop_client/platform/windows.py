"""Windows: idle time from GetLastInputInfo; the lock from WTS session notifications
(WM_WTSSESSION_CHANGE to a window of ours), else from OpenInputDesktop; all through ctypes."""
import ctypes
import logging

from PyQt5.QtCore import QAbstractNativeEventFilter
from PyQt5.QtGui import QGuiApplication, QWindow

log = logging.getLogger("tracker.desktop")

DESKTOP_SWITCHDESKTOP = 0x0100
WM_WTSSESSION_CHANGE = 0x02B1
NOTIFY_FOR_THIS_SESSION = 0
WTS_CONSOLE_CONNECT, WTS_CONSOLE_DISCONNECT = 0x1, 0x2
WTS_REMOTE_CONNECT, WTS_REMOTE_DISCONNECT = 0x3, 0x4
WTS_SESSION_LOCK, WTS_SESSION_UNLOCK = 0x7, 0x8
# What a session change says about the lock: True locked, False unlocked, None "not known: ask
# OpenInputDesktop" (after a reconnect the session may or may not show the lock screen).
# A disconnected session (another user switched in, a remote client gone) has nobody at it.
LOCK_AFTER = {WTS_SESSION_LOCK: True, WTS_SESSION_UNLOCK: False, WTS_CONSOLE_DISCONNECT: True,
              WTS_REMOTE_DISCONNECT: True, WTS_CONSOLE_CONNECT: None, WTS_REMOTE_CONNECT: None}
# Qt's names for a Windows MSG: from the window procedure, and from the event loop's own dispatch.
MSG_EVENT_TYPES = (b"windows_generic_MSG", b"windows_dispatcher_MSG")


class LASTINPUTINFO(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32)]


class POINT(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_int32)]


class MSG(ctypes.Structure):
    """winuser.h's MSG: HWND, UINT, WPARAM (UINT_PTR), LPARAM (LONG_PTR), DWORD, POINT."""
    _fields_ = [("hwnd", ctypes.c_void_p), ("message", ctypes.c_uint32),
                ("wParam", ctypes.c_size_t), ("lParam", ctypes.c_ssize_t),
                ("time", ctypes.c_uint32), ("pt", POINT)]


def idle_seconds(tick_now, last_input_tick):
    """Both are GetTickCount values, 32-bit milliseconds that wrap every 49.7 days."""
    return ((tick_now - last_input_tick) & 0xFFFFFFFF) / 1000.0


def session_change(event_type, message):
    """(window handle, WTS_* code) when Qt's native `message` (a pointer to a MSG) is a
    WM_WTSSESSION_CHANGE, else None."""
    if bytes(event_type) not in MSG_EVENT_TYPES or message is None or not int(message):
        return None
    msg = MSG.from_address(int(message))
    if msg.message != WM_WTSSESSION_CHANGE:
        return None
    return msg.hwnd or 0, msg.wParam


def _load():
    user32, kernel32 = ctypes.WinDLL("user32"), ctypes.WinDLL("kernel32")  # only on Windows
    user32.GetLastInputInfo.argtypes = [ctypes.POINTER(LASTINPUTINFO)]
    user32.GetLastInputInfo.restype = ctypes.c_int
    user32.OpenInputDesktop.argtypes = [ctypes.c_uint, ctypes.c_int, ctypes.c_uint]
    user32.OpenInputDesktop.restype = ctypes.c_void_p
    user32.CloseDesktop.argtypes = [ctypes.c_void_p]
    kernel32.GetTickCount.restype = ctypes.c_uint32
    return user32, kernel32


def _load_wtsapi32():
    wtsapi32 = ctypes.WinDLL("wtsapi32")
    wtsapi32.WTSRegisterSessionNotification.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    wtsapi32.WTSRegisterSessionNotification.restype = ctypes.c_int
    wtsapi32.WTSUnRegisterSessionNotification.argtypes = [ctypes.c_void_p]
    wtsapi32.WTSUnRegisterSessionNotification.restype = ctypes.c_int
    return wtsapi32


class SessionWatcher(QAbstractNativeEventFilter):
    """Reads WM_WTSSESSION_CHANGE for one registered window from Qt's native event stream.
    `locked` is None until Windows says something (the caller then asks OpenInputDesktop)."""

    def __init__(self, wtsapi32, hwnd):
        super().__init__()
        self.wtsapi32, self.hwnd = wtsapi32, hwnd
        self.locked, self.registered = None, False
        self.app = self.window = None

    def nativeEventFilter(self, event_type, message):
        change = session_change(event_type, message)
        if change is not None and change[0] == self.hwnd and change[1] in LOCK_AFTER:
            self.locked = LOCK_AFTER[change[1]]
        return False, 0  # only listening: Qt and Windows still get every message

    def start(self, app):
        """Register for this session's changes; False (and nothing left installed) if refused."""
        app.installNativeEventFilter(self)
        self.app = app
        self.registered = bool(self.wtsapi32.WTSRegisterSessionNotification(
            self.hwnd, NOTIFY_FOR_THIS_SESSION))
        if not self.registered:
            self.stop()
        return self.registered

    def stop(self):
        """Unregister before the window goes (as the WTS documentation asks); idempotent."""
        if self.registered:
            self.wtsapi32.WTSUnRegisterSessionNotification(self.hwnd)
            self.registered = False
        if self.app is not None:
            self.app.removeNativeEventFilter(self)
            self.app = None
        if self.window is not None:
            self.window.destroy()  # the native window goes; the QWindow may be made again
            self.window = None


def watch_session(wtsapi32=None):
    """A started SessionWatcher on a hidden window of its own, or None where WTS cannot be used
    (no GUI application yet, no wtsapi32.dll, registration refused): OpenInputDesktop then."""
    app = QGuiApplication.instance()
    if app is None:
        return None
    try:
        wtsapi32 = wtsapi32 or _load_wtsapi32()
    except (OSError, AttributeError) as exc:
        log.warning("WTS session notifications unavailable: %s", exc)
        return None
    window = QWindow()  # never shown; winId() creates the native window the messages go to
    watcher = SessionWatcher(wtsapi32, int(window.winId()))
    watcher.window = window
    if not watcher.start(app):
        log.warning("WTSRegisterSessionNotification refused: the lock is read another way")
        return None
    # Each signed-in session's loop ends with a quit. The lambda also keeps the watcher alive
    # while it sits in the filter chain (a bound method would be held only weakly).
    app.aboutToQuit.connect(lambda: watcher.stop())
    return watcher


class WindowsIdle:
    """`read()` gives (idle seconds, locked). The OS calls come from `user32` and `kernel32`
    (loaded here by default; a test passes objects with the same functions), the lock from
    `session` (a SessionWatcher, started here by default) and else from OpenInputDesktop."""
    name = "Windows GetLastInputInfo"
    exact = True

    def __init__(self, user32=None, kernel32=None, session=None):
        if user32 is None or kernel32 is None:
            user32, kernel32 = _load()
            session = session or watch_session()
        self.user32, self.kernel32, self.session = user32, kernel32, session
        lock = "WTS session notifications" if session is not None else "OpenInputDesktop"
        self.name = "%s, lock from %s" % (self.name, lock)

    def read(self):
        info = LASTINPUTINFO(ctypes.sizeof(LASTINPUTINFO), 0)
        if not self.user32.GetLastInputInfo(ctypes.byref(info)):
            return None
        return idle_seconds(self.kernel32.GetTickCount(), info.dwTime), self.locked()

    def locked(self):
        if self.session is not None and self.session.locked is not None:
            return self.session.locked
        return self.input_desktop_locked()

    def input_desktop_locked(self):
        """The input desktop cannot be opened while the lock screen (Winlogon's secure desktop)
        has it. Coarser than WTS: a UAC prompt's secure desktop reads as locked too."""
        desktop = self.user32.OpenInputDesktop(0, False, DESKTOP_SWITCHDESKTOP)
        if not desktop:
            return True
        self.user32.CloseDesktop(desktop)
        return False
