"""The idle-and-lock layer: which sources each OS gets, and the Windows and macOS readings with
their OS calls injected (the parsing of what the OS returns is ours; the calls are not run here)."""
import pytest

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
    monkeypatch.setattr(macos, "_load", lambda: (Quartz(0.0, {}), CoreFoundation({})))
    kinds = {name: [type(s) for s in idle_platform.system_sources(platform, environ)]
             for name, platform, environ in (
                 ("windows", "win32", {}), ("mac", "darwin", {}),
                 ("wayland", "linux", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}),
                 ("x11", "linux", {"DISPLAY": ":4242"}))}
    assert kinds == {"windows": [windows.WindowsIdle], "mac": [macos.MacIdle],
                     "wayland": [DBusIdle], "x11": [X11Idle, DBusIdle]}


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
