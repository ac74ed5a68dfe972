"""Occupancy: idle detection with an injected clock, IDLE back-dated to the last input, heartbeats,
OFFLINE on quit and on SIGTERM of the real app."""
import os
import signal
import subprocess
import sys

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QLineEdit

from support.server import ROOT, USER_PASSWORD
from support.desktop import WAIT
from desktop_client.api import Client
from desktop_client.occupancy import (ACTIVE, IDLE, OFFLINE, AppInputIdle, OccupancyTracker,
                                      X11Idle, clamp_idle_after)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def seen_as(company, employee):
    """The employee's occupancy as an admin sees it."""
    for row in company.owner.get("/api/admin/task-status/").json()["employees"]:
        if row["id"] == employee.user["id"]:
            return row["occupancy_status"]
    return None


def tracker_for(employee, clock, idle_after=60):
    source = AppInputIdle(clock)
    tracker = OccupancyTracker(Client(employee.base_url, employee.token), [source],
                               idle_after=idle_after, clock=clock)
    return tracker, source


def test_idle_after_threshold_back_dated_to_last_input(qtbot, company):
    employee, clock = company.user(), Clock()
    tracker, _source = tracker_for(employee, clock, idle_after=60)
    with qtbot.waitSignal(tracker.state_changed, check_params_cb=lambda s: s == ACTIVE, timeout=WAIT):
        tracker.check()
    qtbot.waitUntil(lambda: seen_as(company, employee) == ACTIVE, timeout=WAIT)
    clock.now += 30
    tracker.check()
    assert tracker.sent[-1] == (ACTIVE, 0.0)  # the 30-second heartbeat
    clock.now += 29
    tracker.check()
    assert tracker.state == ACTIVE and len(tracker.sent) == 2  # nothing new to say yet
    clock.now += 2
    with qtbot.waitSignal(tracker.state_changed, check_params_cb=lambda s: s == IDLE, timeout=WAIT):
        tracker.check()
    # Sent at once, saying the quiet began 61 s ago (at the last input), not now.
    assert tracker.sent[-1] == (IDLE, 61.0)
    qtbot.waitUntil(lambda: seen_as(company, employee) == IDLE, timeout=WAIT)


def test_input_makes_active_again_at_once_and_never_records_keys(qtbot, company):
    employee, clock = company.user(), Clock()
    tracker, source = tracker_for(employee, clock)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.installEventFilter(source)
    tracker.check()
    clock.now += 200
    tracker.check()
    assert tracker.state == IDLE
    qtbot.keyClick(field, Qt.Key_A)
    assert source.last_input == clock.now
    # Only the moment is kept: the filter holds no attribute but its clock and that moment.
    assert set(vars(source)) == {"clock", "last_input"}
    with qtbot.waitSignal(tracker.state_changed, check_params_cb=lambda s: s == ACTIVE, timeout=WAIT):
        tracker.check()
    assert tracker.sent[-1] == (ACTIVE, 0.0)
    qtbot.waitUntil(lambda: seen_as(company, employee) == ACTIVE, timeout=WAIT)


def test_locked_screen_counts_as_idle(qtbot, company):
    class Locked:
        def read(self):
            return 5.0, True  # input 5 s ago, but the screen saver / lock is on
    employee = company.user()
    tracker = OccupancyTracker(Client(employee.base_url, employee.token), [Locked()])
    tracker.check()
    assert tracker.state == IDLE and tracker.sent[-1] == (IDLE, 5.0)


def test_threshold_is_kept_within_60_and_1800_seconds():
    assert (clamp_idle_after(10), clamp_idle_after(180), clamp_idle_after(99999)) == (60, 180, 1800)


def test_x11_source_steps_aside_without_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    assert X11Idle().read() is None


def test_offline_server_keeps_the_state_right_and_queues_nothing(qtbot, qapp):
    clock = Clock()
    tracker = OccupancyTracker(Client("http://127.0.0.1:9"), [AppInputIdle(clock)], clock=clock)
    states = []
    tracker.state_changed.connect(states.append)
    tracker.check()
    clock.now += 500
    tracker.check()
    assert states == [ACTIVE, IDLE] and tracker.state == IDLE
    # Failed sends are dropped, not queued for later.
    qtbot.waitUntil(lambda: tracker._pool._work_queue.qsize() == 0, timeout=WAIT)
    tracker.go_offline(timeout=1)
    assert states[-1] == OFFLINE


def test_go_offline_on_quit_tells_the_server(qtbot, company):
    employee, clock = company.user(), Clock()
    tracker, _source = tracker_for(employee, clock)
    tracker.check()
    qtbot.waitUntil(lambda: seen_as(company, employee) == ACTIVE, timeout=WAIT)
    tracker.go_offline()
    assert seen_as(company, employee) == OFFLINE  # sent before go_offline returned


def test_sigterm_ends_the_app_and_sends_offline(qtbot, company, app_dir):
    employee = company.user()
    env = dict(os.environ, TRACKER_PASSWORD=USER_PASSWORD, TRACKER_APP_DIR=str(app_dir),
               QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen([sys.executable, "-m", "desktop_client", "--server", employee.base_url,
                            "--username", employee.user["username"]], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        qtbot.waitUntil(lambda: seen_as(company, employee) == ACTIVE, timeout=2 * WAIT)
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=15) == 0, app.stderr.read().decode()[-2000:]
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        app.stderr.close()
    assert seen_as(company, employee) == OFFLINE
    assert (app_dir / "token").stat().st_mode & 0o077 == 0
