"""A task's comment thread: read live from the push channel, written through the outbox, and the
author's edits and deletions sent at once (they need the server: nothing of them is queued)."""
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import (QDialog, QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                             QScrollArea, QShortcut, QVBoxLayout, QWidget)

from .. import api, jobs
from ..api import AuthRequired, Refused
from ..language import N_, _
from .comment_item import CommentItem, body_problem, plain
from .style import PALETTE, STYLESHEET, named

ADMIN_ROLES = ("ADMIN", "OWNER")

THREAD_STYLE = """
QDialog { background: %(bg)s; }
QFrame#comment { background: %(surface)s; border: 1px solid %(line)s; border-radius: 8px; }
QFrame#pending { background: %(bg)s; border: 1px dashed %(line-2)s; border-radius: 8px; }
QLabel#tombstone { color: %(muted)s; font-style: italic; }
QLabel#commentError { color: %(danger)s; }
QPushButton#small { padding: 2px 10px; }
QPushButton#danger { background: %(danger)s; border-color: %(danger)s; color: #ffffff;
                     font-weight: bold; padding: 2px 10px; }
QPlainTextEdit { border: 1px solid #d5dbe5; border-radius: 6px; background: #fbfcfe; }
QPlainTextEdit:focus, QPushButton:focus { border-color: %(focus)s; }
""" % PALETTE

# What the person reads when an edit or a deletion could not be done; the server's own reason
# follows a refusal.
UNANSWERED = {"edit": N_("Not saved: editing needs the server, and it did not answer. Your "
                         "text is kept here; save again when the app is online."),
              "delete": N_("Not deleted: deleting needs the server, and it did not answer. Try "
                           "again when the app is online.")}
REFUSED = {"edit": N_("Not saved: %(reason)s"), "delete": N_("Not deleted: %(reason)s")}
SIGNED_OUT = {"edit": N_("Not saved: the session has ended. Sign in again, then save."),
              "delete": N_("Not deleted: the session has ended. Sign in again, then delete.")}


OFFLINE = N_("The server did not answer: only your comments waiting to be sent are shown.")


def failure_text(kind, exc):
    if isinstance(exc, Refused):
        return _(REFUSED[kind], reason=exc.message)
    return _((SIGNED_OUT if isinstance(exc, AuthRequired) else UNANSWERED)[kind])


class CommentsDialog(QDialog):

    def __init__(self, manager, task, parent=None, user=None):
        super().__init__(parent)
        self.manager, self.task_id = manager, task["id"]
        self.is_admin = (user or {}).get("role") in ADMIN_ROLES
        self.comments, self.items = {}, {}
        self.setWindowTitle(_("Comments — %(title)s", title=task["title"]))
        self.setAccessibleName(_("Comments on %(title)s", title=task["title"]))
        self.setStyleSheet(STYLESHEET + THREAD_STYLE)
        self.resize(560, 520)
        self._build()
        self.followed = ((manager.comment_event, self.on_event),
                         (manager.update_delivered, self.on_delivered),
                         (manager.update_refused, self.on_refused))
        for signal, slot in self.followed:
            signal.connect(slot)
        self.finished.connect(self.stop_following)
        self.job = jobs.run(self, manager.client.comments, self.task_id,
                            done=lambda comments: self._show_loaded(comments, ""),
                            failed=lambda exc: self._show_loaded(None, _(OFFLINE)))

    def stop_following(self):
        """Closed: the window keeps the dialog (its parent), but it no longer follows the thread."""
        for signal, slot in self.followed:
            signal.disconnect(slot)
        self.followed = ()

    def _build(self):
        self.status = named(QLabel(_("Loading…")), "meta")
        self.thread = QVBoxLayout()
        self.thread.setAlignment(Qt.AlignTop)
        self.thread.setSpacing(8)
        self.empty = plain(_("No comments yet."))
        self.thread.addWidget(self.empty)
        self.pending = []
        holder = named(QWidget(), "page")
        holder.setLayout(self.thread)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(_("New comment"))
        self.editor.setPlaceholderText(_("Write a comment (@username mentions someone; "
                                         "Ctrl+Enter sends)"))
        self.editor.setFixedHeight(90)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.send, context=Qt.WidgetShortcut)
        self.send_button = named(QPushButton(_("Send")), "primary")
        self.send_button.setAccessibleName(_("Send comment"))
        self.send_button.clicked.connect(self.send)
        self.error = named(QLabel(""), "meta")
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.editor)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error, 1)
        bottom.addWidget(self.status)
        bottom.addWidget(self.send_button, 0, Qt.AlignRight)
        layout.addLayout(bottom)

    def _show_loaded(self, comments, error):
        for comment in comments or []:
            if comment["id"] not in self.comments:  # a pushed one may be newer already
                self.take(comment)
        self.status.setText(error)
        self.redraw()

    # ------------------------------------------------------------ from the server

    def on_event(self, event):
        comment = event["comment"]
        if comment["task_id"] == self.task_id:
            self.take(comment)

    def on_delivered(self, entry, answer):
        if entry["kind"] == "comment" and entry["task_id"] == self.task_id:
            self.take(answer)

    def on_refused(self, entry):
        if entry["kind"] == "comment" and entry["task_id"] == self.task_id:
            self.error.setText(_("A comment was refused: %(reason)s",
                                 reason=entry["refused_reason"]))
            self.redraw()

    def take(self, comment):
        """A comment from the server; a newer revision or the tombstone replaces what is shown,
        in place, so a text being edited in the thread survives everyone else's changes."""
        held = self.comments.get(comment["id"])
        if held is not None and held["deleted"]:
            return  # a tombstone is final; an older revision arriving late must not revive it
        if held is not None and not comment["deleted"] and comment["revision"] < held["revision"]:
            return
        self.comments[comment["id"]] = comment
        item = self.items.get(comment["id"])
        if item is None:
            self._add_item(comment)
        else:
            item.set_comment(comment)
        self.redraw()

    def _add_item(self, comment):
        mine = comment["author"]["id"] == self.manager.user_id
        item = self.items[comment["id"]] = CommentItem(comment, mine, mine or self.is_admin)
        item.save_requested.connect(self.save_edit)
        item.delete_requested.connect(self.delete)
        position = sorted(self.items).index(comment["id"])
        self.thread.insertWidget(position, item)

    # ------------------------------------------------------------ written here

    def send(self):
        body = self.editor.toPlainText().strip()
        problem = body_problem(body)
        if problem:
            self.error.setText(problem)
            return
        self.manager.add_comment(self.task_id, body)  # on disk before any network attempt
        self.editor.clear()
        self.error.setText("")
        self.redraw()

    def save_edit(self, comment_id, body):
        self._call("edit", comment_id, api.edit_comment, body)

    def delete(self, comment_id):
        self._call("delete", comment_id, api.delete_comment)

    def _call(self, kind, comment_id, request, *args):
        """An edit or a deletion, sent at once off the GUI thread (they are never queued)."""
        self.job = jobs.run(self, request, self.manager.client, comment_id, *args,
                            done=lambda answer: self._show_answer(comment_id, answer, ""),
                            failed=lambda exc: self._show_answer(comment_id, None,
                                                                 failure_text(kind, exc)))

    def _show_answer(self, comment_id, answer, failure):
        item = self.items[comment_id]
        if answer is None:
            item.failed(failure)
            return
        item.done(answer)
        self.take(answer)

    # ------------------------------------------------------------ what is shown

    def redraw(self):
        """The comments waiting in the outbox, after the thread; "No comments yet" when empty."""
        for box in self.pending:
            self.thread.removeWidget(box)
            box.deleteLater()
        self.pending = [self._pending_item(entry["notes"])
                        for entry in self.manager.unsent_comments(self.task_id)]
        for box in self.pending:
            self.thread.addWidget(box)
        self.empty.setVisible(not self.items and not self.pending)

    def _pending_item(self, body):
        box = named(QFrame(), "pending")
        box.setAccessibleName(_("Your comment, waiting to be sent"))
        layout = QVBoxLayout(box)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(named(plain(_("You · ⏳ waiting to send")), "meta"))
        layout.addWidget(plain(body))
        return box
