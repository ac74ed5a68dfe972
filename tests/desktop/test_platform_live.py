"""The Linux idle sources for real: a D-Bus session bus (dbus-daemon) with a stand-in compositor
read by the app's QtDBus client, and an X server (Xvfb) fed real input by xdotool. The 60 s rule
runs on an injected clock laid over the real idle time, so no test waits a minute."""
import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from PyQt5.QtDBus import QDBusConnection

from support.desktop import WAIT, session_bus, xdotool, xvfb
from desktop_client.api import Client
from desktop_client.occupancy import ACTIVE, IDLE, OccupancyTracker
from desktop_client.platform.dbus import DBusIdle, call
from desktop_client.platform.x11 import X11Idle

SERVICE = Path(__file__).with_name("dbus_idle_service.py")
_names = itertools.count()


@pytest.fixture
def bus_address():
    with session_bus() as address:
        yield address


@pytest.fixture
def stand_in(bus_address):
    """Start the stand-in compositor offering `offers`; returns a function that sets its state."""
    procs = []

    def start(*offers):
        proc = subprocess.Popen([sys.executable, str(SERVICE), bus_address, *offers],
                                stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout.readline().strip() == "ready"
        return lambda idle_ms, locked=False: call(bus(bus_address), "org.tracker.Test", "/",
                                                  "org.tracker.Test", "Set", idle_ms, locked)
    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()


def bus(address):
    """A new client connection to the test bus (one name per connection, as Qt requires)."""
    connection = QDBusConnection.connectToBus(address, "tracker-test-%d" % next(_names))
    assert connection.isConnected(), connection.lastError().message()
    return connection


def test_gnome_idle_time_and_logind_lock_over_dbus(qapp, bus_address, stand_in):
    set_state = stand_in("gnome")
    connection = bus(bus_address)
    source = DBusIdle(connection, connection)  # the test bus stands in for the system bus too
    set_state(61500)
    assert source.read() == (61.5, False)
    assert source.name == "GNOME Mutter IdleMonitor (D-Bus)"
    set_state(2000, True)
    assert source.read() == (2.0, True)


def test_freedesktop_screensaver_idle_time_and_active_state_over_dbus(qapp, bus_address, stand_in):
    """KDE and others: no Mutter, no logind on this bus; the screen saver tells the lock."""
    set_state = stand_in("screensaver")
    connection = bus(bus_address)
    source = DBusIdle(connection, connection)
    set_state(5000)
    assert source.read() == (5.0, False)
    assert source.name == "freedesktop ScreenSaver (D-Bus)"
    set_state(7000, True)
    assert source.read() == (7.0, True)


def test_no_idle_service_on_the_bus_gives_no_reading(qapp, bus_address):
    connection = bus(bus_address)
    assert DBusIdle(connection, connection).read() is None


def test_dbus_idle_turns_the_tracker_idle_back_dated_and_active_again(
        qtbot, company, bus_address, stand_in):
    set_state, employee = stand_in("gnome"), company.user()
    connection = bus(bus_address)
    tracker = OccupancyTracker(Client(employee.base_url, employee.token),
                               [DBusIdle(connection, connection)], idle_after=60)
    set_state(1000)
    tracker.check()
    assert tracker.state == ACTIVE
    set_state(61000)
    with qtbot.waitSignal(tracker.state_changed, timeout=WAIT) as changed:
        tracker.check()
    assert changed.args == [IDLE] and tracker.sent[-1] == (IDLE, 61.0)
    set_state(200, True)  # input, then the screen locked: still idle
    tracker.check()
    assert tracker.state == IDLE
    set_state(100)
    tracker.check()
    assert tracker.state == ACTIVE


class InjectedQuiet:
    """The X server's real idle time plus quiet time a test injects. Real input ends the injected
    quiet as it ends a real one: the X idle time falls below what it was when time was added."""
    SETTLED = 1.0  # s of real quiet before time is added: input afterwards reads well below it

    def __init__(self, source):
        self.source, self.quiet, self.base = source, 0.0, 0.0
        self.name, self.exact = source.name, True

    def advance(self, qtbot, seconds):
        qtbot.waitUntil(lambda: self.source.read()[0] >= self.SETTLED, timeout=WAIT)
        self.base = self.source.read()[0]
        self.quiet += seconds

    def read(self):
        idle, locked = self.source.read()
        if idle < self.base:
            self.quiet, self.base = 0.0, 0.0
        return idle + self.quiet, locked


@pytest.fixture
def display():
    with xvfb() as name:
        yield name


def test_x11_idle_time_grows_and_input_resets_it(qtbot, display):
    source = X11Idle(display)
    xdotool(display, "mousemove", "10", "10")
    first = source.read()[0]
    qtbot.waitUntil(lambda: source.read()[0] > first + 0.5, timeout=WAIT)
    before = source.read()[0]
    xdotool(display, "mousemove", "300", "200")
    assert source.read()[0] < before
    assert source.read()[1] is False  # no screen saver on
    source.close()


def test_x11_input_keeps_active_quiet_turns_idle_back_dated_input_returns(qtbot, company, display):
    employee = company.user()
    quiet = InjectedQuiet(X11Idle(display))
    tracker = OccupancyTracker(Client(employee.base_url, employee.token), [quiet], idle_after=60)
    for x in (40, 80, 120):  # 90 s of work, input every 30 s: ACTIVE throughout
        quiet.advance(qtbot, 30)
        xdotool(display, "mousemove", str(x), "50")
        tracker.check()
        assert tracker.state == ACTIVE, quiet.read()
    quiet.advance(qtbot, 60)
    with qtbot.waitSignal(tracker.state_changed, timeout=WAIT) as changed:
        tracker.check()
    assert changed.args == [IDLE]
    assert tracker.sent[-1][0] == IDLE and tracker.sent[-1][1] >= 60  # starts at the last input
    xdotool(display, "mousemove", "400", "300")
    with qtbot.waitSignal(tracker.state_changed, timeout=WAIT) as back:
        tracker.check()
    assert back.args == [ACTIVE]
