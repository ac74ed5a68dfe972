"""The idle-and-lock layer: which sources each OS gets, and the Windows and macOS readings with
their OS calls injected (the parsing of what the OS returns is ours; the calls are not run here)."""
import ctypes

import pytest
from PyQt5 import sip
from PyQt5.QtCore import QAbstractEventDispatcher

from desktop_client import platform as idle_platform
from desktop_client.occupancy import ACTIVE, IDLE, AppInputIdle, OccupancyTracker
from desktop_client.platform import macos, windows
from desktop_client.platform.dbus import DBusIdle
from desktop_client.platform.x11 import X11Idle


class User32:
    """GetLastInputInfo and OpenInputDesktop as Windows answers them."""

    def __init__(self, last_input, locked=False, ok=True):
        self.last_input, self.is_locked, self.ok = last_input, locked, ok
        self.closed = []

    def GetLastInputInfo(self, pointer):
        info = pointer._obj
        assert info.cbSize == 8  # Windows fails the call unless cbSize is right
        info.dwTime = self.last_input
        return 1 if self.ok else 0

    def OpenInputDesktop(self, flags, inherit, access):
        assert access == windows.DESKTOP_SWITCHDESKTOP
        return 0 if self.is_locked else 0x1234

    def CloseDesktop(self, handle):
        self.closed.append(handle)


class Kernel32:
    def __init__(self, tick):
        self.tick = tick

    def GetTickCount(self):
        return self.tick


def test_windows_idle_is_the_time_since_the_last_input():
    user32 = User32(last_input=1_000_000)
    source = windows.WindowsIdle(user32, Kernel32(1_061_500))
    assert source.read() == (61.5, False)
    assert user32.closed == [0x1234]  # the desktop handle is given back


def test_windows_idle_survives_the_tick_count_wrapping_after_49_days():
    source = windows.WindowsIdle(User32(last_input=0xFFFFFF00), Kernel32(0x00000100))
    assert source.read() == (0.512, False)


def test_windows_lock_is_an_input_desktop_that_cannot_be_opened():
    user32 = User32(last_input=500, locked=True)
    assert windows.WindowsIdle(user32, Kernel32(2500)).read() == (2.0, True)
    assert user32.closed == []


def test_windows_failed_call_gives_no_reading():
    assert windows.WindowsIdle(User32(0, ok=False), Kernel32(10)).read() is None


class Wtsapi32:
    """WTSRegisterSessionNotification and its undoing, as Windows answers them."""

    def __init__(self, ok=True):
        self.ok, self.calls = ok, []

    def WTSRegisterSessionNotification(self, hwnd, flags):
        self.calls.append(("register", hwnd, flags))
        return 1 if self.ok else 0

    def WTSUnRegisterSessionNotification(self, hwnd):
        self.calls.append(("unregister", hwnd))
        return 1


def native(message, code, hwnd=0x51C, event_type=b"windows_generic_MSG"):
    """Feed one MSG through the application's real native-event filter chain, as Qt's Windows
    platform plugin does from its window procedure; what the chain answered."""
    msg = windows.MSG(hwnd=hwnd, message=message, wParam=code, lParam=0, time=0)
    return QAbstractEventDispatcher.instance().filterNativeEvent(
        event_type, sip.voidptr(ctypes.addressof(msg)))


@pytest.mark.parametrize("event_type, message, code, found", [
    (b"windows_generic_MSG", windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_LOCK,
     (0x51C, windows.WTS_SESSION_LOCK)),
    (b"windows_dispatcher_MSG", windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_UNLOCK,
     (0x51C, windows.WTS_SESSION_UNLOCK)),
    (b"windows_generic_MSG", 0x0200, windows.WTS_SESSION_LOCK, None),  # WM_MOUSEMOVE
    (b"xcb_generic_event_t", windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_LOCK, None),
])
def test_windows_session_change_is_parsed_from_the_native_msg(event_type, message, code, found):
    msg = windows.MSG(hwnd=0x51C, message=message, wParam=code)
    pointer = sip.voidptr(ctypes.addressof(msg))
    assert windows.session_change(event_type, pointer) == found
    assert windows.session_change(b"windows_generic_MSG", sip.voidptr(0)) is None


def test_windows_lock_and_unlock_arrive_through_qts_native_event_filter(qapp):
    wtsapi32 = Wtsapi32()
    watcher = windows.watch_session(wtsapi32)
    try:
        hwnd = int(watcher.window.winId())
        assert wtsapi32.calls == [("register", hwnd, windows.NOTIFY_FOR_THIS_SESSION)]
        assert watcher.locked is None  # nothing said yet: OpenInputDesktop answers meanwhile
        assert native(windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_LOCK, hwnd) == (False, 0)
        assert watcher.locked is True  # and the message was not swallowed
        native(windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_UNLOCK, hwnd + 1)
        assert watcher.locked is True  # another window's message is not ours
        native(0x0200, windows.WTS_SESSION_UNLOCK, hwnd)
        assert watcher.locked is True
        native(windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_UNLOCK, hwnd,
               b"windows_dispatcher_MSG")
        assert watcher.locked is False
        native(windows.WM_WTSSESSION_CHANGE, windows.WTS_CONSOLE_DISCONNECT, hwnd)
        assert watcher.locked is True  # another user switched in
        native(windows.WM_WTSSESSION_CHANGE, windows.WTS_CONSOLE_CONNECT, hwnd)
        assert watcher.locked is None  # back: the lock screen may or may not be up
        native(windows.WM_WTSSESSION_CHANGE, 0x5, hwnd)  # WTS_SESSION_LOGON says nothing here
        assert watcher.locked is None
    finally:
        watcher.stop()
    assert wtsapi32.calls[-1] == ("unregister", hwnd)
    native(windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_LOCK, hwnd)
    assert watcher.locked is None  # no longer in the filter chain
    watcher.stop()
    assert len(wtsapi32.calls) == 2  # stopping twice unregisters once


def test_windows_refused_registration_leaves_no_filter_and_no_watcher(qapp):
    wtsapi32 = Wtsapi32(ok=False)
    assert windows.watch_session(wtsapi32) is None
    assert [call[0] for call in wtsapi32.calls] == ["register"]
    watcher = windows.SessionWatcher(Wtsapi32(ok=False), 0x77)
    assert watcher.start(qapp) is False
    native(windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_LOCK, 0x77)
    assert watcher.locked is None


def test_windows_lock_from_wts_wins_over_open_input_desktop(qapp):
    """A UAC prompt's secure desktop also makes OpenInputDesktop fail; WTS knows it is no lock."""
    user32 = User32(last_input=500, locked=True)
    watcher = windows.SessionWatcher(Wtsapi32(), 0x51C)
    source = windows.WindowsIdle(user32, Kernel32(2500), session=watcher)
    assert source.read() == (2.0, True)  # WTS has said nothing yet: OpenInputDesktop
    watcher.locked = False
    assert source.read() == (2.0, False)
    user32.is_locked = False
    watcher.locked = True
    assert source.read() == (2.0, True)
    assert "WTS session notifications" in source.name


class Quartz:
    def __init__(self, seconds, session):
        self.seconds, self.session = seconds, session
        self.asked = []

    def CGEventSourceSecondsSinceLastEventType(self, state, event_type):
        self.asked.append((state, event_type))
        return self.seconds

    def CGSessionCopyCurrentDictionary(self):
        return 0 if self.session is None else 0xD1C7


class CoreFoundation:
    """CFDictionary lookups on the one session dictionary, with the retain count kept honest."""

    def __init__(self, session):
        self.session, self.strings, self.released = session or {}, {}, []

    def CFStringCreateWithCString(self, allocator, text, encoding):
        assert encoding == macos.UTF8
        handle = 0x5000 + len(self.strings)
        self.strings[handle] = text.decode()
        return handle

    def CFDictionaryGetValue(self, dictionary, key):
        assert dictionary == 0xD1C7
        value = self.session.get(self.strings[key])
        return None if value is None else (0xB1 if value else 0xB0)

    def CFBooleanGetValue(self, value):
        return value == 0xB1

    def CFRelease(self, handle):
        self.released.append(handle)


def mac(seconds, session):
    quartz, cf = Quartz(seconds, session), CoreFoundation(session)
    return macos.MacIdle(quartz, cf), quartz, cf


def test_macos_idle_reads_any_input_in_the_combined_session():
    source, quartz, cf = mac(75.25, {macos.ON_CONSOLE_KEY: True})
    assert source.read() == (75.25, False)
    assert quartz.asked == [(macos.COMBINED_SESSION_STATE, macos.ANY_INPUT_EVENT)]
    assert sorted(cf.released) == sorted(list(cf.strings) + [0xD1C7])  # nothing leaks


@pytest.mark.parametrize("session, locked", [
    ({macos.LOCKED_KEY: True, macos.ON_CONSOLE_KEY: True}, True),
    ({macos.LOCKED_KEY: False, macos.ON_CONSOLE_KEY: True}, False),
    ({macos.ON_CONSOLE_KEY: False}, True),   # another user switched in
    ({}, False),
    (None, False),                           # no GUI session (ssh): no lock to read
])
def test_macos_lock_state_from_the_session_dictionary(session, locked):
    source, _quartz, _cf = mac(3.0, session)
    assert source.read() == (3.0, locked)


def test_macos_negative_idle_gives_no_reading():
    assert mac(-1.0, {})[0].read() is None


@pytest.mark.parametrize("environ, kind", [
    ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, "wayland"),
    ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "wayland"),
    ({"XDG_SESSION_TYPE": "x11", "WAYLAND_DISPLAY": "w"}, "x11"),
    ({"DISPLAY": ":0"}, "x11"),
    ({}, ""),
])
def test_session_type_from_the_environment(environ, kind):
    assert idle_platform.session_type(environ) == kind


def test_dispatch_per_platform(monkeypatch, qapp):
    monkeypatch.setattr(windows, "_load", lambda: (User32(0), Kernel32(0)))
    wtsapi32 = Wtsapi32()
    monkeypatch.setattr(windows, "_load_wtsapi32", lambda: wtsapi32)
    monkeypatch.setattr(macos, "_load", lambda: (Quartz(0.0, {}), CoreFoundation({})))
    kinds = {name: [type(s) for s in idle_platform.system_sources(platform, environ)]
             for name, platform, environ in (
                 ("windows", "win32", {}), ("mac", "darwin", {}),
                 ("wayland", "linux", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}),
                 ("x11", "linux", {"DISPLAY": ":4242"}))}
    assert kinds == {"windows": [windows.WindowsIdle], "mac": [macos.MacIdle],
                     "wayland": [DBusIdle], "x11": [X11Idle, DBusIdle]}
    assert [call[0] for call in wtsapi32.calls] == ["register"]  # the Windows lock from WTS
    qapp.aboutToQuit.emit()  # the session's loop ends: the watcher lets go of its window
    assert [call[0] for call in wtsapi32.calls] == ["register", "unregister"]


def test_windows_without_wtsapi32_reads_the_lock_from_the_input_desktop(monkeypatch, qapp):
    monkeypatch.setattr(windows, "_load", lambda: (User32(0, locked=True), Kernel32(1000)))

    def fail():
        raise OSError("wtsapi32.dll not found")
    monkeypatch.setattr(windows, "_load_wtsapi32", fail)
    source, = idle_platform.system_sources("win32", {})
    assert source.session is None and source.read() == (1.0, True)
    assert source.name.endswith("lock from OpenInputDesktop")


def test_an_os_library_that_cannot_load_leaves_the_app_input_fallback(monkeypatch):
    def fail():
        raise OSError("user32.dll not found")
    monkeypatch.setattr(windows, "_load", fail)
    monkeypatch.setattr(macos, "_load", fail)
    assert idle_platform.system_sources("win32", {}) == []
    assert idle_platform.system_sources("darwin", {}) == []


class Missing:
    name, exact = "nothing", True

    def read(self):
        return None


def test_the_app_input_is_the_last_fallback_and_is_reported_approximate(qtbot):
    clock = [100.0]
    own = AppInputIdle(lambda: clock[0])
    tracker = OccupancyTracker(None, [Missing(), own], idle_after=60, clock=lambda: clock[0])
    tracker._send = lambda *args: None  # no server here: the decision is what is tested
    with qtbot.waitSignal(tracker.source_changed) as changed:
        tracker.check()
    assert changed.args == ["input to this app only", False] and tracker.state == ACTIVE
    clock[0] += 61
    tracker.check()
    assert tracker.state == IDLE
