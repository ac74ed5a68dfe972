"""A task's comment thread: read live from the push channel, written through the outbox."""
import threading
from datetime import datetime

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                             QScrollArea, QVBoxLayout, QWidget)

from ..api import AuthRequired, Refused, Unavailable
from .style import STYLESHEET, named

MAX_BODY = 10000


def when_text(created_at):
    return datetime.fromisoformat(created_at).astimezone().strftime("%a %d %b, %H:%M")


def head_text(comment):
    author = comment["author"]
    text = "%s · %s" % (author.get("full_name") or author["username"], when_text(comment["created_at"]))
    return text + (" · edited" if comment.get("edited_at") and not comment["deleted"] else "")


def plain(text):
    """A label that shows its text as text: markup in a comment is never rendered."""
    label = QLabel(text)
    label.setTextFormat(Qt.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


class CommentsDialog(QDialog):
    _loaded = pyqtSignal(object, str)  # the comments or None, an error message

    def __init__(self, manager, task, parent=None):
        super().__init__(parent)
        self.manager, self.task_id = manager, task["id"]
        self.comments = {}
        self.setWindowTitle("Comments — %s" % task["title"])
        self.setAccessibleName("Comments on %s" % task["title"])
        self.setStyleSheet(STYLESHEET)
        self.resize(560, 520)
        self._build()
        self._loaded.connect(self._show_loaded)
        manager.comment_event.connect(self.on_event)
        manager.update_delivered.connect(self.on_delivered)
        manager.update_refused.connect(self.on_refused)
        threading.Thread(target=self._load, args=(manager.client,), daemon=True).start()

    def _build(self):
        self.status = named(QLabel("Loading…"), "meta")
        self.thread = QVBoxLayout()
        self.thread.setAlignment(Qt.AlignTop)
        holder = QWidget()
        holder.setLayout(self.thread)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("New comment")
        self.editor.setPlaceholderText("Write a comment (@username mentions someone)")
        self.editor.setFixedHeight(90)
        self.send_button = named(QPushButton("Send"), "primary")
        self.send_button.setAccessibleName("Send comment")
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

    def _load(self, client):
        try:
            self._loaded.emit(client.comments(self.task_id), "")
        except (Unavailable, AuthRequired, Refused) as exc:
            self._loaded.emit(None, "Offline: only comments waiting to be sent are shown (%s)." % exc)

    def _show_loaded(self, comments, error):
        for comment in comments or []:
            self.comments.setdefault(comment["id"], comment)
        self.status.setText(error)
        self.redraw()

    def on_event(self, event):
        comment = event["comment"]
        if comment["task_id"] == self.task_id:
            self.take(comment)

    def on_delivered(self, entry, answer):
        if entry["kind"] == "comment" and entry["task_id"] == self.task_id:
            self.take(answer)

    def on_refused(self, entry):
        if entry["kind"] == "comment" and entry["task_id"] == self.task_id:
            self.error.setText("A comment was refused: %s" % entry["refused_reason"])
            self.redraw()

    def take(self, comment):
        """A comment from the server; a newer revision or the tombstone replaces what is shown."""
        held = self.comments.get(comment["id"])
        if held is None or comment["deleted"] or comment["revision"] >= held["revision"]:
            self.comments[comment["id"]] = comment
        self.redraw()

    def send(self):
        body = self.editor.toPlainText().strip()
        if not body:
            self.error.setText("Write something first.")
            return
        if len(body) > MAX_BODY:
            self.error.setText("A comment has at most %d characters (this has %d)." % (MAX_BODY, len(body)))
            return
        self.manager.add_comment(self.task_id, body)  # on disk before any network attempt
        self.editor.clear()
        self.error.setText("")
        self.redraw()

    def redraw(self):
        while self.thread.count():
            self.thread.takeAt(0).widget().deleteLater()
        for comment in sorted(self.comments.values(), key=lambda c: c["id"]):
            self.thread.addWidget(self._item(head_text(comment), None if comment["deleted"]
                                             else comment["body"]))
        for entry in self.manager.unsent_comments(self.task_id):
            self.thread.addWidget(self._item("You · ⏳ waiting to send", entry["notes"]))
        if not self.thread.count():
            self.thread.addWidget(plain("No comments yet."))

    def _item(self, head, body):
        box = QWidget()
        box.setAccessibleName("Comment")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 8)
        layout.addWidget(named(plain(head), "meta"))
        layout.addWidget(plain(body if body is not None else "This comment was deleted."))
        return box
