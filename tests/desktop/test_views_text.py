"""Every view shows the server's text as text (issue 24 item 7), and the window's cards keep their
shape (issue 30 item 5): a queued change at the narrowest window clips nothing, done tasks are
read-only, Mark Complete can be undone."""
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QFont, QTextCursor
from PyQt5.QtWidgets import QLabel

from desktop_client.views.comment_item import MentionText
from desktop_client.views.comments_dialog import CommentsDialog
from desktop_client.views.history_dialog import HistoryDialog
from desktop_client.views.main_window import MainWindow
from desktop_client.views.timer_view import IdleDialog
from support.server import ROOT
from support.desktop import WAIT, offline_window, task, unclipped

MARKUP = "<h1 style=color:red>X<img src=file:///etc/hostname>"

ARTIFACTS = ROOT / "artifacts"


def rich_labels(widget):
    """Labels that hold the markup and would draw it (anything but plain text)."""
    return [label for label in widget.findChildren(QLabel)
            if "<h1" in label.text() and label.textFormat() != Qt.PlainText]


def shows_literally(widget):
    texts = [label.text() for label in widget.findChildren((QLabel, MentionText))]
    return any(MARKUP in text for text in texts) and rich_labels(widget) == []


def test_the_window_its_cards_header_and_refusals_show_markup_as_text(qtbot, app_dir):
    manager, window = offline_window(qtbot, app_dir)
    window.header.who.setText(MARKUP)
    shown = dict(task(1, title=MARKUP), description=MARKUP,
                 project={"id": 1, "name": MARKUP})
    window.show_tasks([shown])
    window.keep_refusal("Time recorded on “%s”" % MARKUP, {"refused_reason": MARKUP},
                        lambda: None)
    window.show()
    card = window.cards[1]
    assert card.title.text() == MARKUP and card.project.text() == MARKUP
    assert shows_literally(window)
    dialog = IdleDialog({"started_at": "2026-12-07T08:00:00+00:00",
                         "ended_at": "2026-12-07T08:20:00+00:00"}, MARKUP, window)
    assert shows_literally(dialog)


def test_the_history_and_comments_show_markup_as_text(qtbot, company, make_manager):
    employee = company.user()
    made = company.task(employee, title=MARKUP)
    assert employee.post("/api/task/%d/progress/" % made["id"],
                         {"progress_percentage": 20, "notes": MARKUP}).status_code == 200
    assert employee.post("/api/task/%d/comments/" % made["id"], {"body": MARKUP}).status_code == 201
    manager = make_manager(employee)
    history = HistoryDialog(manager.client, made)
    qtbot.addWidget(history)
    qtbot.waitUntil(lambda: history.table.rowCount() >= 2, timeout=WAIT)
    cells = [history.table.item(row, col).text() for row in range(history.table.rowCount())
             for col in range(history.table.columnCount()) if history.table.item(row, col)]
    assert any(MARKUP in cell for cell in cells) and rich_labels(history) == []
    thread = CommentsDialog(manager, made, user=employee.user)
    qtbot.addWidget(thread)
    qtbot.waitUntil(lambda: len(thread.items) == 1, timeout=WAIT)
    assert shows_literally(thread)


def test_a_card_with_a_queued_change_at_the_narrowest_window_clips_nothing(qtbot, app_dir,
                                                                            tmp_path):
    manager, window = offline_window(qtbot, app_dir)
    window.show_tasks([dict(task(1, title="Fix checkout tax rounding"), unsent=True),
                       task(2, title="Write the release notes")])
    window.show()
    window.resize(window.minimumWidth(), 700)
    qtbot.waitUntil(lambda: window.width() == window.minimumWidth(), timeout=WAIT)
    card = window.cards[1]
    assert card.unsent.isVisible() and "waiting to send" in card.unsent.text()
    assert window.scroll.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff
    assert window.scroll.widget().width() <= window.scroll.viewport().width()
    assert card.width() >= card.minimumSizeHint().width()
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "desktop-queued.png"))
    assert unclipped(card) == []


def test_done_tasks_are_read_only_reopen_and_mark_complete_can_be_undone(qtbot, app_dir):
    manager, window = offline_window(qtbot, app_dir)
    window.UNDO_MS = 60000
    window.set_filter("all")
    window.show_tasks([task(1), task(2, status="DONE", progress=100)])
    window.show()
    done = window.cards[2]
    for widget in (done.bar, done.spin, done.update_button, done.complete_button,
                   done.timer_button, done.notes):
        assert not widget.isVisibleTo(window)
    assert "read-only" in done.closed.text() and done.history_button.isVisibleTo(window)
    qtbot.mouseClick(done.reopen_button, Qt.LeftButton)  # lowering progress reopens (SPEC 2)
    assert done.bar.isVisibleTo(window) and done.update_button.isVisibleTo(window)
    assert done.progress_percentage == 90 and not done.complete_button.isVisibleTo(window)
    qtbot.mouseClick(done.update_button, Qt.LeftButton)
    [reopened] = manager.outbox.pending()
    assert (reopened["kind"], reopened["progress_percentage"]) == ("progress", 90)
    manager.outbox.acknowledge(reopened["client_update_id"])
    window.show_tasks([task(1), task(2, progress=90)])  # as the server answers it
    again = window.cards[2]
    assert not again.reopening and not again.complete_button.isHidden()
    card = window.cards[1]
    qtbot.waitUntil(card.isVisible, timeout=WAIT)  # drawn anew after the list changed
    card.notes.setText("all done")
    qtbot.mouseClick(card.complete_button, Qt.LeftButton)
    assert manager.unsent() == 0 and card.undo_button.isVisibleTo(window)
    qtbot.mouseClick(card.undo_button, Qt.LeftButton)
    assert manager.unsent() == 0 and card.complete_button.isVisibleTo(window)
    assert card.notes.text() == "all done"
    qtbot.mouseClick(card.complete_button, Qt.LeftButton)
    window.complete_now(1)  # the few seconds have passed
    assert [e["kind"] for e in manager.outbox.pending()] == ["complete"]


def test_mentions_are_highlighted_in_a_document_built_from_plain_text(qtbot, company,
                                                                     make_manager):
    """Issue 30 item 7: @names of real people drawn bold, the rest as typed, markup never
    parsed (a mention inside markup stays text too)."""
    employee = company.user()
    made = company.task(employee)
    name = company.owner.user["username"]
    body = "ask @%s about <b>@%s</b>, not @nobody_here." % (name, name)
    assert employee.post("/api/task/%d/comments/" % made["id"], {"body": body}).status_code == 201
    thread = CommentsDialog(make_manager(employee), made, user=employee.user)
    qtbot.addWidget(thread)
    qtbot.waitUntil(lambda: len(thread.items) == 1, timeout=WAIT)
    text = next(iter(thread.items.values())).body
    assert text.text() == body and text.textFormat() == Qt.PlainText
    assert [body[start:start + length] for start, length in text.mentioned] == ["@" + name] * 2
    cursor = QTextCursor(text.document())
    for position, bold in ((body.index("@") + 2, True), (2, False),
                           (body.index("@nobody") + 2, False)):
        cursor.setPosition(position)
        assert (cursor.charFormat().fontWeight() == QFont.Bold) is bold, position


def test_completing_a_task_leaves_no_empty_card_behind(qtbot, company, make_manager):
    employee = company.user()
    done, kept = company.task(employee), company.task(employee)
    manager = make_manager(employee)
    window = MainWindow(manager, employee.user)
    qtbot.addWidget(window)
    window.show()
    manager.start()
    qtbot.waitUntil(lambda: set(window.cards) == {done["id"], kept["id"]}, timeout=WAIT)
    window.UNDO_MS = 1
    qtbot.mouseClick(window.cards[done["id"]].complete_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: manager.unsent() == 0 and set(window.cards) == {kept["id"]},
                    timeout=WAIT)
    in_list = [window.list.itemAt(i).widget() for i in range(window.list.count())]
    assert in_list == [window.cards[kept["id"]]] and in_list[0].isVisible()
