"""The employee's day in the window: the description, the history a page at a time, the Open /
Done / All filters, the exact-percentage spin box, sign-out, notifications of what changed, the
window's remembered geometry, accessible names, and the rotating log."""
import logging
import logging.handlers

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QAbstractButton, QLineEdit, QProgressBar, QSpinBox

from support.desktop import WAIT, offline_window, task
from desktop_client import storage
from desktop_client.__main__ import LOG_FILE, setup_logging
from desktop_client.sync import LIVE
from desktop_client.tasklist import changes, filtered
from desktop_client.views import history_dialog
from desktop_client.views.main_window import MainWindow


def live(qtbot, employee, make_manager, **options):
    manager = make_manager(employee)
    window = MainWindow(manager, employee.user, **options)
    qtbot.addWidget(window)
    window.show()
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    return manager, window


def test_the_description_is_shown_as_plain_text(qtbot, app_dir):
    _manager, window = offline_window(qtbot, app_dir)
    window.show_tasks([dict(task(1), description="<b>Check</b> the totals & taxes"),
                       task(2)])
    shown = window.cards[1].description
    assert shown.text() == "<b>Check</b> the totals & taxes" and shown.textFormat() == Qt.PlainText
    assert window.cards[2].description.isHidden()  # no description: no empty line


def test_filters_open_done_all(qtbot, app_dir):
    tasks = [task(1), task(2, status="DONE", progress=100), task(3, status="CANCELLED"),
             task(4, status="PENDING", progress=0)]
    assert [t["id"] for t in filtered(tasks, "done")] == [2, 3]
    _manager, window = offline_window(qtbot, app_dir)
    window.show_tasks(tasks)
    assert sorted(window.cards) == [1, 4]  # done and cancelled leave the main list
    assert window.count.text().strip() == "2 open · 4 total"
    qtbot.mouseClick(window.filter_buttons["done"], Qt.LeftButton)
    assert sorted(window.cards) == [2, 3] and window.filter_buttons["done"].isChecked()
    qtbot.mouseClick(window.filter_buttons["all"], Qt.LeftButton)
    assert sorted(window.cards) == [1, 2, 3, 4]
    window.set_filter("done")
    window.show_tasks([task(1)])
    assert window.cards == {} and window.empty.text() == "No finished tasks yet."


def test_the_spin_box_sets_an_exact_percentage_and_follows_the_bar(qtbot, company, make_manager):
    employee = company.user()
    created = company.task(employee)
    manager, window = live(qtbot, employee, make_manager)
    qtbot.waitUntil(lambda: created["id"] in window.cards, timeout=WAIT)
    card = window.cards[created["id"]]
    card.spin.lineEdit().selectAll()
    qtbot.keyClicks(card.spin, "73")
    qtbot.keyClick(card.spin, Qt.Key_Enter)
    assert card.progress_percentage == 73 and card.bar.value() == 73
    qtbot.mouseClick(card.quick["50 %"], Qt.LeftButton)
    assert card.spin.value() == 50
    card.spin.setValue(73)
    qtbot.mouseClick(card.update_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: employee.get("/api/task/%d/history/" % created["id"]).json()[
        "updates"][0]["new_percentage"] == 73, timeout=WAIT)
    card.spin.setValue(150)
    assert card.spin.value() == 100  # the box itself refuses more than 100


def test_history_is_read_from_the_server_a_page_at_a_time(qtbot, company, make_manager):
    employee = company.user()
    created = company.task(employee, title="Long one")
    for value in range(1, history_dialog.PAGE + 6):
        assert employee.post("/api/task/%d/progress/" % created["id"],
                             {"progress_percentage": value, "notes": "<i>step %d</i>" % value}
                             ).status_code == 200
    _manager, window = live(qtbot, employee, make_manager)
    qtbot.waitUntil(lambda: created["id"] in window.cards, timeout=WAIT)
    qtbot.mouseClick(window.cards[created["id"]].history_button, Qt.LeftButton)
    dialog = window.history
    total = history_dialog.PAGE + 6  # the updates and the creation
    qtbot.waitUntil(lambda: dialog.table.rowCount() == history_dialog.PAGE, timeout=WAIT)
    assert dialog.status.text() == "Showing %d of %d entries" % (history_dialog.PAGE, total)
    newest = dialog.updates[0]  # newest first: the server's sentence, then the note as typed
    assert "set progress from %d to %d" % (total - 2, total - 1) in newest["text"]
    assert dialog.table.item(0, 2).text() == "%s\n“<i>step %d</i>”" % (newest["text"], total - 1)
    qtbot.mouseClick(dialog.more, Qt.LeftButton)
    assert dialog.table.rowCount() == total and dialog.more.isHidden()
    assert dialog.table.item(total - 1, 2).text() == history_dialog.sentence(dialog.updates[-1])


def test_history_unreadable_says_so(qtbot, app_dir):
    _manager, window = offline_window(qtbot, app_dir)  # a server that is not there
    window.show_tasks([task(1)])
    window.open_history(1)
    qtbot.waitUntil(lambda: "cannot be read" in window.history.status.text(), timeout=WAIT)
    assert window.history.table.rowCount() == 0


def test_sign_out_waits_for_unsent_updates_then_is_asked_for(qtbot, app_dir):
    manager, window = offline_window(qtbot, app_dir)
    window.show_tasks([task(1)])
    manager.submit_progress(1, 30)  # the server is away: it stays in the outbox
    with qtbot.assertNotEmitted(window.sign_out_requested):
        window.header.sign_out_requested.emit()
    assert "1 update is not sent yet" in window.toast.text()
    manager.outbox.acknowledge(manager.outbox.first()["client_update_id"])
    with qtbot.waitSignal(window.sign_out_requested, timeout=WAIT):
        window.header.menu.actions()[1].trigger()


def test_notifications_for_a_new_task_one_reassigned_away_and_one_cancelled(
        qtbot, company, make_manager):
    employee, other = company.user(), company.user()
    kept, moved = company.task(employee, title="Kept"), company.task(employee, title="Moved")
    _manager, window = live(qtbot, employee, make_manager)
    qtbot.waitUntil(lambda: len(window.cards) == 2, timeout=WAIT)
    told = []
    window.notifier.notified.connect(lambda title, message: told.append(message))
    company.task(employee, title="Brand new")
    qtbot.waitUntil(lambda: told == ["“Brand new” was assigned to you."], timeout=WAIT)
    company.owner.patch("/api/admin/tasks/%d/" % moved["id"], {"assignee_id": other.user["id"]})
    qtbot.waitUntil(lambda: told[1:] == ["“Moved” is no longer assigned to you."], timeout=WAIT)
    company.owner.patch("/api/admin/tasks/%d/" % kept["id"], {"status": "CANCELLED"})
    qtbot.waitUntil(lambda: told[2:] == ["“Kept” was cancelled."], timeout=WAIT)
    assert window.tray is None and window.toast.text() == "“Kept” was cancelled."  # offscreen


def test_changes_are_only_news_after_the_baseline(qtbot, app_dir):
    assert changes([task(1)], [task(1)]) == []
    manager, window = offline_window(qtbot, app_dir)
    assert manager.had_cache is False
    told = []
    window.notifier.notified.connect(lambda *args: told.append(args))
    window.notifier.tasks_changed([])              # nothing cached yet
    window.notifier.tasks_changed([task(1)])       # the server's first list: the baseline
    window.notifier.tasks_changed([task(1), task(2)])
    assert told == [("New task", "“Task 2” was assigned to you.")]


def test_the_window_keeps_its_size_and_position(qtbot, app_dir):
    settings = storage.Settings(app_dir)
    manager, window = offline_window(qtbot, app_dir)
    first = MainWindow(manager, {"username": "u"}, settings=settings)
    qtbot.addWidget(first)
    first.resize(640, 520)
    first.move(40, 30)
    first.show()
    first.close()
    again = MainWindow(manager, {"username": "u"}, settings=storage.Settings(app_dir))
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (640, 520)
    assert again.geometry() == first.geometry()


def test_every_control_has_an_accessible_name(qtbot, app_dir):
    _manager, window = offline_window(qtbot, app_dir)
    window.show_tasks([task(1)])
    controls = [w for kind in (QAbstractButton, QLineEdit, QSpinBox, QProgressBar)
                for w in window.findChildren(kind)
                if not isinstance(w.parent(), QSpinBox)]  # the box's own editor: the box is named
    unnamed = [(type(w).__name__, getattr(w, "text", lambda: "")()) for w in controls
               if not w.accessibleName()]
    assert controls and unnamed == []


def test_presence_is_labelled_approximate_from_the_apps_own_input(qtbot, app_dir):
    _manager, window = offline_window(qtbot, app_dir)
    window.show_presence_source("input to this app only", False)
    assert window.occupancy.text().endswith("Active (approx.)")
    assert "approximate" in window.occupancy.toolTip()
    window.show_presence_source("GNOME Mutter IdleMonitor (D-Bus)", True)
    assert window.occupancy.text().endswith("Active")
    window.show_about()
    assert "GNOME Mutter IdleMonitor" in window.about_box.informativeText()
    window.about_box.close()


def test_the_log_goes_to_a_rotating_file_in_the_app_folder(app_dir):
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        root.handlers = []
        setup_logging(app_dir)
        logging.getLogger("tracker.desktop").info("connection: offline -> live")
        for handler in root.handlers:
            handler.flush()
        rotating = [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
        assert rotating[0].maxBytes == 1_000_000 and rotating[0].backupCount == 3
        assert "offline -> live" in (app_dir / LOG_FILE).read_text()
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers = before
