"""The window: cards from a task list, the clickable bar, Update Progress and Mark Complete against
the live server, the overdue warning, the connection label, refusals kept in sight, a screenshot."""
import itertools
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PyQt5.QtWidgets import QLabel, QPushButton
from PyQt5.QtCore import QPoint, Qt

from support.server import ROOT
from support.desktop import WAIT, demo_employee, iso, offline_window, task, unclipped
from desktop_client import tasklist
from desktop_client.sync import LIVE
from desktop_client.views.main_window import MainWindow
from desktop_client.views.style import PRIORITY_COLORS
from desktop_client.views.task_card import percent_at

ARTIFACTS = ROOT / "artifacts"


def live_window(qtbot, employee, make_manager):
    manager = make_manager(employee)
    window = MainWindow(manager, employee.user)
    qtbot.addWidget(window)
    window.show()
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE and bool(window.cards), timeout=WAIT)
    return manager, window


def last_row(employee, task_id):
    return employee.get("/api/task/%d/history/" % task_id).json()["updates"][0]


def test_cards_render_from_a_task_list_with_badges_and_overdue(qtbot, app_dir):
    _manager, window = offline_window(qtbot, app_dir)
    window.set_filter("all")
    window.show_tasks([task(1, "URGENT", due=iso(-timedelta(hours=2))),
                       task(2, "LOW", due=iso(timedelta(days=2))),
                       task(3, "HIGH", due=iso(-timedelta(days=1)), status="DONE", progress=100)])
    cards = window.cards
    assert [cards[i].title.text() for i in (1, 2, 3)] == ["Task 1", "Task 2", "Task 3"]
    assert cards[1].priority.text() == "URGENT"
    assert cards[1].priority.styleSheet() == "background: %s;" % PRIORITY_COLORS["URGENT"]
    assert cards[1].overdue.text() == "⚠ Overdue" and not cards[1].overdue.isHidden()
    assert cards[2].overdue.isHidden()          # due later
    assert cards[3].overdue.isHidden()          # done: no longer overdue
    assert not cards[3].complete_button.isEnabled()
    assert "Website relaunch" in cards[1].project.text()
    window.show_tasks([task(2, "LOW")])
    assert list(window.cards) == [2]


def test_the_overdue_mark_appears_when_the_due_moment_passes(qtbot, app_dir):
    """No event comes when a due date passes: the window redraws at the moment the server gave."""
    _manager, window = offline_window(qtbot, app_dir)  # never started: no task list follows
    soon = iso(timedelta(seconds=2), "microseconds")  # margin for a loaded machine
    window.show_tasks([task(1, due=soon), task(2, due=iso(timedelta(days=1)))])
    card = window.cards[1]
    assert card.overdue.isHidden()
    qtbot.waitUntil(lambda: not card.overdue.isHidden(), timeout=WAIT)
    assert card.overdue.text() == "⚠ Overdue" and window.cards[2].overdue.isHidden()
    assert window._overdue_timer.isActive()  # and it waits for task 2 now


def test_a_task_turning_overdue_while_the_cards_are_drawn_is_not_left_unmarked(qtbot, app_dir,
                                                                              monkeypatch):
    """Each clock reading is a second after the one before, so the task turns overdue between the
    reading its card makes and the one the timer is set from (a loaded machine, or a timer firing a
    moment early): the card is marked, or a redraw comes by the task's moment."""
    _manager, window = offline_window(qtbot, app_dir)
    start = datetime.now(timezone.utc)
    readings = itertools.count()
    monkeypatch.setattr(tasklist, "_now", lambda: start + timedelta(seconds=next(readings)))
    turning = dict(task(1, due=(start + timedelta(milliseconds=500)).isoformat()),
                   is_overdue=False)
    window.show_tasks([turning, task(2, due=iso(timedelta(days=1)))])
    card, timer = window.cards[1], window._overdue_timer
    assert not card.overdue.isHidden() or (timer.isActive() and timer.remainingTime() <= 501)
    timer.stop()  # its redraw would come after the test, on a closed window


def test_progress_bar_click_picks_steps_of_five(qtbot, app_dir):
    assert [percent_at(x, 200) for x in (0, 3, 6, 81, 199, 250, -4)] == [0, 0, 5, 40, 100, 100, 0]
    _manager, window = offline_window(qtbot, app_dir)
    window.show_tasks([task(1, progress=10)])
    window.show()
    card = window.cards[1]
    qtbot.waitUntil(lambda: card.bar.width() > 100, timeout=WAIT)
    qtbot.mouseClick(card.bar, Qt.LeftButton, pos=QPoint(int(card.bar.width() * 0.62), 5))
    assert card.progress_percentage == 60 and card.bar.value() == 60
    qtbot.mouseClick(card.quick["+10 %"], Qt.LeftButton)
    assert card.progress_percentage == 70
    qtbot.mouseClick(card.quick["50 %"], Qt.LeftButton)
    assert card.progress_percentage == 50


def test_click_and_update_progress_sends_the_request(qtbot, company, make_manager):
    employee = company.user()
    created = company.task(employee)
    manager, window = live_window(qtbot, employee, make_manager)
    manager.occupancy_status = "IDLE"  # as the occupancy tracker would set it
    card = window.cards[created["id"]]
    qtbot.waitUntil(lambda: card.bar.width() > 100, timeout=WAIT)
    qtbot.mouseClick(card.bar, Qt.LeftButton, pos=QPoint(int(card.bar.width() * 0.4), 5))
    qtbot.keyClicks(card.notes, "first draft done")
    qtbot.mouseClick(card.update_button, Qt.LeftButton)
    assert card.notes.text() == ""
    qtbot.waitUntil(lambda: last_row(employee, created["id"])["new_percentage"] == 40, timeout=WAIT)
    row = last_row(employee, created["id"])
    assert row["notes"] == "first draft done" and row["client_update_id"]
    assert row["occupancy_status"] == "IDLE"  # recorded with the update
    qtbot.waitUntil(lambda: card.task["progress_percentage"] == 40 and not card.task["unsent"],
                    timeout=WAIT)


def test_mark_complete_completes_the_task(qtbot, company, make_manager):
    employee = company.user()
    created = company.task(employee)
    _manager, window = live_window(qtbot, employee, make_manager)
    card = window.cards[created["id"]]
    qtbot.mouseClick(card.complete_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: last_row(employee, created["id"])["new_status"] == "DONE", timeout=WAIT)
    qtbot.waitUntil(lambda: created["id"] not in window.cards, timeout=WAIT)  # leaves "Open"
    qtbot.mouseClick(window.filter_buttons["done"], Qt.LeftButton)
    card = window.cards[created["id"]]
    qtbot.waitUntil(lambda: card.task["status"] == "DONE" and not card.complete_button.isEnabled(),
                    timeout=WAIT)
    assert card.status.text() == "Done"


def test_connection_label_follows_the_manager(qtbot, company, make_manager, app_dir):
    _manager, window = offline_window(qtbot, app_dir)
    window.show_connection("offline", 2)
    assert window.connection.text().endswith("Offline — 2 unsent")
    window.show_connection("polling", 0)
    assert window.connection.text().endswith("Polling")
    employee = company.user()
    company.task(employee)
    _live, live = live_window(qtbot, employee, make_manager)
    qtbot.waitUntil(lambda: live.connection.text().endswith("Live"), timeout=WAIT)


def test_a_refused_update_stays_in_sight_with_the_reason_until_dismissed(qtbot, company,
                                                                          make_manager):
    employee = company.user()
    created = company.task(employee, title="Soon cancelled")
    manager, window = live_window(qtbot, employee, make_manager)
    company.owner.patch("/api/admin/tasks/%d/" % created["id"], {"status": "CANCELLED"})
    with qtbot.waitSignal(manager.update_refused, timeout=WAIT):
        manager.submit_progress(created["id"], 30)
    [kept] = window.refusals.items
    said = kept.findChild(QLabel).text()
    assert "Soon cancelled" in said and "cancelled" in said
    assert window.refusals.isVisible() and len(manager.outbox.refused()) == 1  # not dropped
    qtbot.mouseClick(kept.findChild(QPushButton), Qt.LeftButton)
    assert manager.outbox.refused() == [] and not window.refusals.isVisible()


def test_screenshot_of_the_main_window(qtbot, company, make_manager):
    """Saves artifacts/desktop.png: a realistic list, live, one update waiting to send."""
    employee = demo_employee(company)
    manager, window = live_window(qtbot, employee, make_manager)
    window.resize(780, 860)
    qtbot.waitUntil(lambda: len(window.cards) == 4, timeout=WAIT)
    cards = list(window.cards.values())
    qtbot.waitUntil(lambda: all(c.height() >= c.minimumSizeHint().height() for c in cards),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: unclipped(window) == [], timeout=WAIT)  # laid out, nothing cut off
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "desktop.png"
    assert window.grab().save(str(path))
    assert Path(path).stat().st_size > 10000
