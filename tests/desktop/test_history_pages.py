"""The history dialog follows the server's `next` cursor: a task with more than one page of
history shows every entry, older pages read only when the reader asks for them."""
from PyQt5.QtCore import Qt

from support.desktop import WAIT
from desktop_client.sync import LIVE
from desktop_client.views import history_dialog
from desktop_client.views.main_window import MainWindow

SERVER_PAGE = 100  # the history API's default page


def test_load_older_follows_the_servers_cursor_to_the_first_entry(qtbot, company, make_manager):
    employee = company.user()
    created = company.task(employee, title="Very long one")
    for i in range(SERVER_PAGE + 9):  # 110 entries with the creation: two pages on the server
        answer = company.owner.patch("/api/admin/tasks/%d/" % created["id"], {"title": "Very long %d" % i})
        assert answer.status_code == 200, answer.text
    expected = [row["id"] for row in employee.history(created["id"])]
    assert len(expected) == SERVER_PAGE + 10
    manager = make_manager(employee)
    window = MainWindow(manager, employee.user)
    qtbot.addWidget(window)
    window.show()
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE and created["id"] in window.cards, timeout=WAIT)
    window.open_history(created["id"])
    dialog = window.history
    qtbot.waitUntil(lambda: dialog.table.rowCount() == history_dialog.PAGE, timeout=WAIT)
    assert len(dialog.updates) == SERVER_PAGE  # one page read, not the whole trail
    assert dialog.status.text() == "Showing the newest %d entries; older ones on request" % history_dialog.PAGE
    while dialog.more.isVisible():
        shown = dialog.table.rowCount()
        qtbot.waitUntil(dialog.more.isEnabled, timeout=WAIT)
        qtbot.mouseClick(dialog.more, Qt.LeftButton)
        qtbot.waitUntil(lambda: dialog.table.rowCount() > shown, timeout=WAIT)
    assert dialog.table.rowCount() == len(expected)
    assert [u["id"] for u in dialog.updates] == expected  # each entry once, newest first
    created_text = dialog.table.item(len(expected) - 1, 2).text()
    assert created_text == history_dialog.sentence(dialog.updates[-1]) and not created_text.startswith("create")
    assert dialog.status.text() == "Showing %d of %d entries" % (len(expected), len(expected))
