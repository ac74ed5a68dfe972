"""The timer in the window (Qt offscreen, real server): Start/Stop on each card, the running timer
ticking in the header with its Stop, today's total, the idle question, refusals shown. Saves
artifacts/desktop-timer.png (docs/screenshots/desktop-timer.png comes from it)."""
from datetime import timedelta

from PyQt5.QtWidgets import QLabel, QPushButton
from PyQt5.QtCore import Qt

from desktop_client.__main__ import track_time
from desktop_client.api import Client
from desktop_client.occupancy import AppInputIdle, OccupancyTracker
from desktop_client.sync import LIVE
from desktop_client.timejournal import moment
from desktop_client.timer import TimeTracker
from desktop_client.views.main_window import MainWindow
from support.aging import backdate_task
from support.desktop import WAIT, demo_employee, unclipped
from support.server import ROOT
from support.timer import Clock, entries


def open_window(qtbot, make_manager, api, clock):
    manager = make_manager(api)
    window = MainWindow(manager, api.user)
    qtbot.addWidget(window)
    tracker = TimeTracker(manager.client, manager.cache.path.parent, api.user["id"], clock=clock)
    tracker.retry_seconds = 0.3
    manager.time_event.connect(tracker.on_event)
    window.attach_timer(tracker)
    window.show()
    manager.start()
    tracker.start()
    qtbot.waitUntil(lambda: manager.state == LIVE and bool(window.cards), timeout=WAIT)
    return window, tracker


def server_running(api):
    return api.get("/api/me/time-entries/").json()["running"]


def test_card_starts_the_timer_the_header_ticks_and_stops_it(qtbot, company, make_manager):
    ann = company.user()
    task = company.old_task(ann, estimate_minutes=90)
    clock = Clock()
    window, tracker = open_window(qtbot, make_manager, ann, clock)
    card, header = window.cards[task["id"]], window.header
    assert card.timer_button.accessibleName() == "Start a timer"
    qtbot.mouseClick(card.timer_button, Qt.LeftButton)
    assert card.timer_button.accessibleName() == "Stop the timer"
    assert header.timer_task.text() == task["title"] and header.timer_stop.isVisibleTo(window)
    qtbot.waitUntil(lambda: (server_running(ann) or {}).get("task_id") == task["id"], timeout=WAIT)
    clock.advance(minutes=12, seconds=5)
    qtbot.waitUntil(lambda: header.timer_clock.text() == "⏱ 0:12:05", timeout=WAIT)  # the tick
    assert header.today.text() == "Today 12 min" or clock.now.astimezone().hour == 0
    qtbot.mouseClick(header.timer_stop, Qt.LeftButton)
    assert not header.timer_stop.isVisibleTo(window) and card.timer_button.text() == "▶ Start timer"
    qtbot.waitUntil(lambda: server_running(ann) is None and tracker.unsent() == 0, timeout=WAIT)
    [entry] = entries(ann, task["id"])
    assert entry["minutes"] == 12
    qtbot.waitUntil(lambda: card.tracked.text().endswith("Tracked 12 min of 1 h 30 min"), timeout=WAIT)
    tracker.quit()


def test_starting_another_cards_timer_stops_the_first(qtbot, company, make_manager):
    ann = company.user()
    first, second = company.old_task(ann), company.old_task(ann)
    clock = Clock()
    window, tracker = open_window(qtbot, make_manager, ann, clock)
    qtbot.mouseClick(window.cards[first["id"]].timer_button, Qt.LeftButton)
    clock.advance(minutes=3)
    qtbot.mouseClick(window.cards[second["id"]].timer_button, Qt.LeftButton)
    assert window.cards[first["id"]].timer_button.text() == "▶ Start timer"
    assert window.header.timer_task.text() == second["title"]
    qtbot.waitUntil(lambda: (server_running(ann) or {}).get("task_id") == second["id"]
                    and tracker.unsent() == 0, timeout=WAIT)
    [stopped] = entries(ann, first["id"])
    assert stopped["minutes"] == 3 and not stopped["running"]
    tracker.quit()


def test_the_idle_question_keep_records_the_span_and_discard_nothing(qtbot, company, make_manager):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock()
    window, tracker = open_window(qtbot, make_manager, ann, clock)
    for answer, kept in (("keep", 1), ("discard", 0)):
        qtbot.mouseClick(window.cards[task["id"]].timer_button, Qt.LeftButton)
        clock.advance(minutes=30)
        tracker.on_presence("IDLE", 600.0)
        assert window.header.timer_task.isHidden()
        clock.advance(minutes=15)
        tracker.on_presence("ACTIVE", 0.0)
        dialog = window.timer_view.idle_dialog
        qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
        assert "25 min" in dialog.message.text() and task["title"] in dialog.message.text()
        button = dialog.keep_button if answer == "keep" else dialog.discard_button
        assert button.accessibleName().startswith("Keep" if kept else "Discard")
        qtbot.mouseClick(button, Qt.LeftButton)
        qtbot.waitUntil(lambda: tracker.unsent() == 0, timeout=WAIT)
        clock.advance(minutes=1)
    found = sorted(entries(ann, task["id"]), key=lambda e: e["started_at"])
    assert [e["minutes"] for e in found] == [20, 25, 20]  # timer, kept idle span, timer
    assert found[1]["started_at"] == found[0]["ended_at"]
    assert moment(found[1]["ended_at"]) - moment(found[1]["started_at"]) == timedelta(minutes=25)
    tracker.quit()


def test_a_refused_start_is_shown_with_the_servers_reason(qtbot, company, make_manager):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock()
    window, tracker = open_window(qtbot, make_manager, ann, clock)
    tracker.sender.stop()  # hold the sender while the task is cancelled behind the window's back
    manager = window.manager
    manager.sender.stop()
    qtbot.mouseClick(window.cards[task["id"]].timer_button, Qt.LeftButton)
    company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"status": "CANCELLED"})
    tracker.flush()
    qtbot.waitUntil(lambda: len(window.refusals.items) == 1, timeout=WAIT)
    [kept] = window.refusals.items
    said = kept.findChild(QLabel).text()
    assert "not saved" in said and "cancelled" in said
    assert window.header.timer_task.isHidden() and len(tracker.journal.refused()) == 1  # in sight
    qtbot.mouseClick(kept.findChild(QPushButton), Qt.LeftButton)
    assert tracker.journal.refused() == []


def test_screenshot_of_the_window_with_a_running_timer(qtbot, company, make_manager):
    employee = demo_employee(company)
    clock = Clock()
    window, tracker = open_window(qtbot, make_manager, employee, clock)
    window.resize(800, 1000)
    fix = next(t for t in window._all if t["title"].startswith("Fix checkout"))
    notes = next(t for t in window._all if t["title"].startswith("Write release"))
    for task, estimate in ((fix, 240), (notes, 90)):
        company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"estimate_minutes": estimate})
        backdate_task(company.server.db_url, task["id"], 86400)  # runs in the past may land on it
    qtbot.mouseClick(window.cards[notes["id"]].timer_button, Qt.LeftButton)
    clock.advance(minutes=48)
    qtbot.mouseClick(window.cards[fix["id"]].timer_button, Qt.LeftButton)
    clock.advance(minutes=17, seconds=42)
    qtbot.waitUntil(lambda: tracker.unsent() == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: window.header.timer_clock.text() == "⏱ 0:17:42", timeout=WAIT)
    if clock.now.astimezone().hour >= 2:  # both runs fall on today
        qtbot.waitUntil(lambda: window.header.today.text() == "Today 1 h 05 min", timeout=WAIT)
    card = window.cards[notes["id"]]
    qtbot.waitUntil(lambda: card.tracked.text().endswith("Tracked 48 min of 1 h 30 min"), timeout=WAIT)
    qtbot.waitUntil(lambda: unclipped(window) == [], timeout=WAIT)  # laid out, nothing cut off
    out = ROOT / "artifacts" / "desktop-timer.png"
    out.parent.mkdir(exist_ok=True)
    assert window.grab().save(str(out))
    tracker.quit()



class Monotonic:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_apps_wiring_idle_presence_stops_the_timer_and_asks_on_return(qtbot, company,
                                                                         make_manager):
    """Wired as the app wires it (__main__.track_time): the occupancy tracker's IDLE stops the
    timer 61 s back, its ACTIVE asks, Keep records the span. Heartbeats go nowhere here, so
    the server's own idle stop cannot race the app's."""
    ann = company.user()
    task = company.old_task(ann)
    wall, mono = Clock(), Monotonic()
    manager = make_manager(ann)
    window = MainWindow(manager, ann.user)
    qtbot.addWidget(window)
    source = AppInputIdle(mono)
    occupancy = OccupancyTracker(Client("http://127.0.0.1:9"), [source], idle_after=60, clock=mono)
    timer = track_time(manager.client, manager.cache.path.parent, ann.user, manager, occupancy,
                       window, clock=wall)
    window.show()
    manager.start()
    timer.start()
    occupancy.check()
    qtbot.waitUntil(lambda: manager.state == LIVE and bool(window.cards), timeout=WAIT)
    qtbot.mouseClick(window.cards[task["id"]].timer_button, Qt.LeftButton)
    wall.advance(minutes=20)
    mono.now += 61
    occupancy.check()
    assert occupancy.state == "IDLE" and window.header.timer_task.isHidden()
    wall.advance(minutes=5)
    source.last_input = mono.now
    occupancy.check()
    qtbot.waitUntil(lambda: window.timer_view.idle_dialog is not None and window.timer_view.idle_dialog.isVisible(),
                    timeout=WAIT)
    qtbot.mouseClick(window.timer_view.idle_dialog.keep_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: timer.unsent() == 0, timeout=WAIT)
    found = sorted(entries(ann, task["id"]), key=lambda e: e["started_at"])
    assert [e["seconds"] for e in found] == [20 * 60 - 61, 5 * 60 + 61]
    timer.quit()
    occupancy.go_offline(timeout=0.5)
