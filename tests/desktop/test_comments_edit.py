"""Editing and deleting comments from the desktop thread (SPEC 10.1), against the real server:
the author edits, the author or an admin deletes and a tombstone stays, from the keyboard too;
changes made elsewhere arrive in place; every refusal shows the server's reason, keeps the text
and writes nothing; offline, the dialog says the server is needed."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QAbstractButton, QApplication, QPlainTextEdit

from support.desktop import WAIT, demo_employee
from support.server import ROOT
from desktop_client.sync import LIVE, OFFLINE
from desktop_client.views.comments_dialog import CommentsDialog


def write(api, task_id, body):
    answer = api.post("/api/task/%d/comments/" % task_id, {"body": body})
    assert answer.status_code == 201, answer.text
    return answer.json()


def on_server(api, task_id, comment_id):
    comments = api.get("/api/task/%d/comments/" % task_id).json()["comments"]
    return next(c for c in comments if c["id"] == comment_id)


def open_dialog(qtbot, manager, task, user=None, wait_for=()):
    dialog = CommentsDialog(manager, task, user=user)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: all(cid in dialog.items and dialog.items[cid].isVisible()
                                for cid in wait_for), timeout=WAIT)
    return dialog


def live_manager(qtbot, make_manager, user):
    manager = make_manager(user)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    return manager


def test_the_author_edits_from_the_keyboard_and_the_thread_says_edited(qtbot, company,
                                                                       make_manager):
    employee, admin = company.user(), company.user("ADMIN")
    task = company.task(employee)
    mine, theirs = write(employee, task["id"], "first try"), write(admin, task["id"], "from admin")
    dialog = open_dialog(qtbot, live_manager(qtbot, make_manager, employee), task,
                         employee.user, wait_for=(mine["id"], theirs["id"]))
    item, other = dialog.items[mine["id"]], dialog.items[theirs["id"]]
    assert item.edit_button.isVisible() and item.delete_button.isVisible()
    assert not other.edit_button.isVisible() and not other.delete_button.isVisible()
    assert item.accessibleName().startswith("Comment by ")
    controls = dialog.findChildren(QAbstractButton) + dialog.findChildren(QPlainTextEdit)
    assert [w for w in controls if not w.accessibleName()] == []

    dialog.activateWindow()
    qtbot.waitActive(dialog)
    item.edit_button.setFocus()
    qtbot.keyClick(item.edit_button, Qt.Key_Space)
    assert item.editor.isVisible() and item.editor.toPlainText() == "first try"
    assert QApplication.focusWidget() is item.editor
    qtbot.keyClick(item.editor, Qt.Key_Escape)  # cancels the edit, not the dialog
    assert dialog.isVisible() and not item.editor.isVisible() and item.body.text() == "first try"

    item.start_edit()
    item.editor.setPlainText("<b>second</b> try")
    qtbot.keyClick(item.editor, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: item.mode == "view" and not item.busy, timeout=WAIT)
    assert item.error.text() == ""
    assert item.body.text() == "<b>second</b> try" and item.body.textFormat() == Qt.PlainText
    assert item.head.text().endswith("· edited")
    saved = on_server(employee, task["id"], mine["id"])
    assert saved["body"] == "<b>second</b> try" and saved["revision"] == 2
    assert [row["action"] for row in company.owner.history(task["id"])][0] == "comment_edit"


def test_delete_asks_first_then_leaves_a_tombstone(qtbot, company, make_manager):
    employee = company.user()
    task = company.task(employee)
    mine = write(employee, task["id"], "regret this")
    dialog = open_dialog(qtbot, live_manager(qtbot, make_manager, employee), task,
                         employee.user, wait_for=(mine["id"],))
    item = dialog.items[mine["id"]]
    item.delete_button.click()
    assert item.question.isVisible() and item.keep_button.isVisible()
    item.keep_button.click()  # "Keep": nothing sent
    assert item.delete_button.isVisible() and not on_server(employee, task["id"], mine["id"])["deleted"]

    item.delete_button.click()
    item.confirm_button.click()
    qtbot.waitUntil(lambda: item.comment["deleted"] and not item.busy, timeout=WAIT)
    assert item.body.text() == "Comment deleted" and item.body.objectName() == "tombstone"
    assert not item.edit_button.isVisible() and not item.delete_button.isVisible()
    assert not item.head.text().endswith("edited")
    tombstone = on_server(employee, task["id"], mine["id"])
    assert tombstone["deleted"] and tombstone["body"] is None
    assert list(dialog.items) == [mine["id"]]  # the tombstone keeps its place in the thread


def test_an_admin_deletes_anothers_comment_but_cannot_edit_it(qtbot, company, make_manager):
    admin, other_admin = company.user("ADMIN"), company.user("ADMIN")
    task = company.task(admin)
    theirs = write(other_admin, task["id"], "off topic")
    dialog = open_dialog(qtbot, live_manager(qtbot, make_manager, admin), task, admin.user,
                         wait_for=(theirs["id"],))
    item = dialog.items[theirs["id"]]
    assert item.delete_button.isVisible() and not item.edit_button.isVisible()
    item.delete_button.click()
    item.confirm_button.click()
    qtbot.waitUntil(lambda: item.comment["deleted"], timeout=WAIT)
    assert on_server(admin, task["id"], theirs["id"])["deleted"]


def test_edits_and_deletions_made_elsewhere_arrive_in_place(qtbot, company, make_manager):
    employee, admin = company.user(), company.user("ADMIN")
    task = company.task(employee)
    first, second = write(employee, task["id"], "one"), write(employee, task["id"], "two")
    manager = live_manager(qtbot, make_manager, employee)
    dialog = open_dialog(qtbot, manager, task, employee.user, wait_for=(first["id"], second["id"]))
    item, being_edited = dialog.items[first["id"]], dialog.items[second["id"]]
    being_edited.start_edit()
    being_edited.editor.setPlainText("half typed")

    # Another device of the same person edits the first; an admin deletes it afterwards.
    employee.patch("/api/comments/%d/" % first["id"], {"body": "one, corrected"})
    qtbot.waitUntil(lambda: item.body.text() == "one, corrected", timeout=WAIT)
    assert item.head.text().endswith("· edited") and dialog.items[first["id"]] is item
    assert company.owner.request("DELETE", "/api/comments/%d/" % first["id"]).status_code == 200
    qtbot.waitUntil(lambda: item.body.text() == "Comment deleted", timeout=WAIT)
    assert not item.edit_button.isVisible()
    # The comment being edited meanwhile kept what was typed.
    assert being_edited.editor.isVisible() and being_edited.editor.toPlainText() == "half typed"

    # A late, older revision never revives a tombstone.
    dialog.take(dict(first, body="one"))
    assert item.body.text() == "Comment deleted"

    # Deleted while being edited: the text typed stays, and the thread says why.
    employee.request("DELETE", "/api/comments/%d/" % second["id"])
    qtbot.waitUntil(lambda: being_edited.comment["deleted"], timeout=WAIT)
    assert being_edited.editor.toPlainText() == "half typed"
    assert being_edited.error.text() == "Deleted meanwhile: your text is kept here to copy."

    dialog.close()  # closed, it follows the thread no more
    heard = []
    manager.comment_event.connect(heard.append)  # called after any slot connected before it
    third = write(employee, task["id"], "three")
    qtbot.waitUntil(lambda: [e["comment"]["id"] for e in heard] == [third["id"]], timeout=WAIT)
    assert third["id"] not in dialog.items


def test_refusals_show_the_servers_reason_keep_the_text_and_write_nothing(qtbot, company,
                                                                        make_manager):
    employee, other = company.user(), company.user()
    task = company.task(employee)
    mine, gone = write(employee, task["id"], "mine"), write(employee, task["id"], "gone soon")
    theirs = write(company.owner, task["id"], "the owner's")
    manager = make_manager(employee)  # not started: no push event races the refusals below
    # A role read at sign-in that no longer holds (say, an admin made an employee since).
    dialog = open_dialog(qtbot, manager, task, dict(employee.user, role="ADMIN"),
                         wait_for=(mine["id"], gone["id"], theirs["id"]))
    audit_rows = len(company.owner.history(task["id"]))

    item = dialog.items[theirs["id"]]
    item.delete_button.click()
    item.confirm_button.click()
    qtbot.waitUntil(lambda: item.error.text() != "", timeout=WAIT)
    assert item.error.text() == "Not deleted: only the author or an admin may delete comment %d" \
        % theirs["id"]
    assert not item.busy and item.confirm_button.isEnabled()

    item = dialog.items[gone["id"]]
    employee.request("DELETE", "/api/comments/%d/" % gone["id"])  # from another device
    audit_rows += 1
    item.start_edit()
    item.editor.setPlainText("too late")
    item.save_button.click()
    qtbot.waitUntil(lambda: item.error.text() != "", timeout=WAIT)
    assert item.error.text() == "Not saved: comment %d is deleted" % gone["id"]
    assert item.editor.toPlainText() == "too late" and item.save_button.isEnabled()

    item = dialog.items[mine["id"]]
    item.start_edit()
    item.editor.setPlainText("   ")
    item.save_button.click()
    assert item.error.text() == "Write something first." and not item.busy  # nothing sent
    item.editor.setPlainText("x" * 10001)
    item.save_button.click()
    assert "at most 10000" in item.error.text() and not item.busy

    company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"assignee_id": other.user["id"]})
    audit_rows += 1
    item.editor.setPlainText("after the task moved on")
    item.save_button.click()
    qtbot.waitUntil(lambda: item.error.text().startswith("Not saved: comment"), timeout=WAIT)
    assert item.error.text() == "Not saved: comment %d does not exist" % mine["id"]

    assert len(company.owner.history(task["id"])) == audit_rows
    assert on_server(company.owner, task["id"], mine["id"])["revision"] == 1
    assert not on_server(company.owner, task["id"], theirs["id"])["deleted"]


def test_offline_an_edit_says_it_needs_the_server_and_keeps_the_text(qtbot, own_server,
                                                                    own_company, make_manager):
    employee = own_company.user()
    task = own_company.task(employee)
    mine = write(employee, task["id"], "typo hree")
    manager = live_manager(qtbot, make_manager, employee)
    dialog = open_dialog(qtbot, manager, task, employee.user, wait_for=(mine["id"],))
    own_server.stop()
    qtbot.waitUntil(lambda: manager.state == OFFLINE, timeout=2 * WAIT)

    item = dialog.items[mine["id"]]
    item.start_edit()
    item.editor.setPlainText("typo here")
    item.save_button.click()
    qtbot.waitUntil(lambda: item.error.text() != "", timeout=WAIT)
    assert item.error.text().startswith("Not saved: editing needs the server")
    assert "Your text is kept here" in item.error.text()
    assert item.editor.toPlainText() == "typo here" and item.save_button.isEnabled()
    assert manager.unsent() == 0  # an edit is never queued

    own_server.start()
    item.save_button.click()
    qtbot.waitUntil(lambda: item.mode == "view", timeout=2 * WAIT)
    assert item.body.text() == "typo here" and item.error.text() == ""
    assert on_server(employee, task["id"], mine["id"])["body"] == "typo here"


def test_screenshot_of_a_thread_with_an_edited_and_a_deleted_comment(qtbot, company, make_manager):
    """Saves artifacts/desktop-comments.png (docs/screenshots/desktop-comments.png comes from it):
    a mention with markup shown as text, an edited comment, a tombstone, one waiting to send."""
    employee = demo_employee(company)
    task = employee.get("/api/employee-tasks/").json()["tasks"][0]
    lead = company.user("ADMIN", name="jonas_%s" % task["id"])
    company.owner.patch("/api/admin/users/%d/" % lead.user["id"], {"full_name": "Jonas Weber"})
    write(lead, task["id"], "@%s can you check the 7 %% / 19 %% mix first? <b>Two customers</b> "
                            "wrote in about it." % employee.user["username"])
    found = write(employee, task["id"], "Found it: we round each line.")
    employee.patch("/api/comments/%d/" % found["id"],
                   {"body": "Found it: we round each line, not the total. The fix is in review."})
    oops = write(employee, task["id"], "Ignore the last build, wrong branch.")
    employee.request("DELETE", "/api/comments/%d/" % oops["id"])
    manager = make_manager(employee)  # not started: the comment below waits in the outbox
    manager.add_comment(task["id"], "Deployed to staging, please try it there.")
    dialog = open_dialog(qtbot, manager, task, employee.user, wait_for=(found["id"], oops["id"]))
    dialog.resize(600, 560)
    ARTIFACTS = ROOT / "artifacts"
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "desktop-comments.png"
    assert dialog.grab().save(str(path))
    assert path.stat().st_size > 10000


def test_a_revoked_session_asks_to_sign_in_again_and_keeps_the_text(qtbot, company, make_manager):
    employee = company.user()
    task = company.task(employee)
    mine = write(employee, task["id"], "before sign-out")
    manager = make_manager(employee)
    dialog = open_dialog(qtbot, manager, task, employee.user, wait_for=(mine["id"],))
    assert employee.post("/api/auth/logout/").status_code in (200, 204)  # the same token
    item = dialog.items[mine["id"]]
    item.start_edit()
    item.editor.setPlainText("after sign-out")
    item.save_button.click()
    qtbot.waitUntil(lambda: item.error.text() != "", timeout=WAIT)
    assert item.error.text().startswith("Not saved: the session has ended")
    assert item.error.text().endswith("Sign in again, then save.")
    assert item.editor.toPlainText() == "after sign-out"
    assert on_server(company.owner, task["id"], mine["id"])["revision"] == 1
