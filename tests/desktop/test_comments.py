"""Comments on the desktop: written offline through the outbox and delivered once; the thread
dialog follows the push channel and shows markup as text."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QLabel

from support.desktop import WAIT
from desktop_client.outbox import Outbox
from desktop_client.sync import LIVE, OFFLINE
from desktop_client.views.comment_item import MentionText
from desktop_client.views.comments_dialog import CommentsDialog


def thread(api, task_id):
    answer = api.get("/api/task/%d/comments/" % task_id)
    assert answer.status_code == 200, answer.text
    return answer.json()["comments"]


def shown_texts(dialog):
    """The text of every label and comment body (a body is a document built from plain text)."""
    return [label.text() for label in dialog.findChildren((QLabel, MentionText))]


def test_a_comment_written_offline_arrives_once_when_back_online(qtbot, own_server, own_company,
                                                                 make_manager, app_dir):
    employee = own_company.user()
    task = own_company.task(employee)
    manager = make_manager(employee)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    own_server.stop()
    qtbot.waitUntil(lambda: manager.state == OFFLINE, timeout=2 * WAIT)
    entry = manager.add_comment(task["id"], "written on the train")
    pending = Outbox(app_dir, employee.user["id"]).pending()
    assert [e["kind"] for e in pending] == ["comment"]  # on disk at once
    assert manager.tasks()[0]["progress_percentage"] == 0  # a comment moves no progress

    delivered = []
    manager.update_delivered.connect(lambda sent, answer: delivered.append(answer))
    own_server.start()
    qtbot.waitUntil(lambda: len(delivered) == 1, timeout=2 * WAIT)
    assert delivered[0]["body"] == "written on the train"
    assert [c["body"] for c in thread(employee, task["id"])] == ["written on the train"]
    qtbot.waitUntil(lambda: manager.tasks()[0]["comment_count"] == 1, timeout=WAIT)

    # A crash after the server took it but before the outbox forgot it: sent again, still once.
    again = manager.client.send_comment(entry)
    assert again == delivered[0]
    assert len(thread(employee, task["id"])) == 1


def test_the_dialog_shows_the_thread_live_and_markup_as_text(qtbot, company, make_manager, app_dir):
    employee, admin = company.user(), company.user("ADMIN")
    task = company.task(employee)
    employee.post("/api/task/%d/comments/" % task["id"], {"body": "already here"})
    manager = make_manager(employee)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    dialog = CommentsDialog(manager, manager.tasks()[0])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "already here" in shown_texts(dialog), timeout=WAIT)

    markup = "<b>bold?</b> <img src=x>"
    admin.post("/api/task/%d/comments/" % task["id"], {"body": markup})
    qtbot.waitUntil(lambda: markup in shown_texts(dialog), timeout=WAIT)
    label = next(item for item in dialog.findChildren((QLabel, MentionText))
                 if item.text() == markup)
    assert label.textFormat() == Qt.PlainText

    dialog.editor.setPlainText("   ")
    dialog.send_button.click()
    assert dialog.error.text() and manager.unsent() == 0  # blank: refused here, nothing saved
    dialog.editor.setPlainText("from the app")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: [c["body"] for c in thread(employee, task["id"])][-1] == "from the app",
                    timeout=WAIT)
    qtbot.waitUntil(lambda: shown_texts(dialog).count("from the app") == 1, timeout=WAIT)
