"""One comment of a thread: who and when, the text shown as text, and for its author (or an admin)
Edit and Delete in place, usable from the keyboard. The network is the dialog's business."""
import re
from datetime import datetime

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtGui import QColor, QFont, QKeySequence, QTextCharFormat, QTextCursor
from PyQt5.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QShortcut,
                             QSizePolicy, QTextEdit, QVBoxLayout)

from .. import language
from ..language import _
from .style import named

MAX_BODY = 10000
MENTION_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.-]{3,64})")  # as the server reads them
VIEW, EDIT, CONFIRM = "view", "edit", "confirm"


def when_text(created_at):
    return language.current.moment(datetime.fromisoformat(created_at), weekday=True)


def author_name(comment):
    author = comment["author"]
    return author.get("full_name") or author["username"]


def head_text(comment):
    who, when = author_name(comment), when_text(comment["created_at"])
    if comment.get("edited_at") and not comment["deleted"]:
        return _("%(who)s · %(when)s · edited", who=who, when=when)
    return _("%(who)s · %(when)s", who=who, when=when)


def body_problem(body):
    """Why the server would refuse this text (SPEC 10.1: 1–10,000 characters after trimming)."""
    if not body:
        return _("Write something first.")
    if len(body) > MAX_BODY:
        return _("A comment has at most %(most)s characters (this has %(count)s).",
                 most=language.current.count(MAX_BODY), count=language.current.count(len(body)))
    return None


def plain(text):
    """A label that shows its text as text: markup in a comment is never rendered."""
    label = QLabel(text)
    label.setTextFormat(Qt.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


def mention_spans(body, names):
    """(start, length) of each @name in `body` that the server resolved to a person."""
    known = {name.casefold() for name in names}
    spans = []
    for match in MENTION_RE.finditer(body):
        name = match.group(1).rstrip(".-")  # "@emma." at a sentence's end names emma
        if name.casefold() in known:
            spans.append((match.start(), len(name) + 1))
    return spans


class MentionText(QTextEdit):
    """A comment's text: a document built from plain text (no markup is ever parsed), with the
    @mentions of real people drawn bold in the accent colour by character formats. Read-only,
    selectable, as tall as its text; `text()` and `setText()` as on a label."""

    def __init__(self):
        super().__init__()
        self.setReadOnly(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("background: transparent;")
        self.document().setDocumentMargin(0)
        self.mentioned = []

    def setText(self, text, names=()):
        self.setPlainText(text)
        self.mentioned = mention_spans(text, names)
        mark = QTextCharFormat()
        mark.setFontWeight(QFont.Bold)
        mark.setForeground(QColor("#1d4ed8"))
        for start, length in self.mentioned:
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(start + length, QTextCursor.KeepAnchor)
            cursor.mergeCharFormat(mark)
        self._fit()

    def text(self):
        return self.toPlainText()

    def textFormat(self):
        return Qt.PlainText  # built with setPlainText: nothing in it is markup

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def _fit(self):
        self.document().setTextWidth(self.viewport().width())
        self.setFixedHeight(int(self.document().size().height()) + 2 * self.frameWidth())


def button(text, accessible, slot, name=None):
    made = QPushButton(text)
    if name:
        made.setObjectName(name)
    made.setAccessibleName(accessible)
    made.clicked.connect(slot)
    return made


class CommentItem(QFrame):
    save_requested = pyqtSignal(int, str)  # comment id, the new text (trimmed, checked)
    delete_requested = pyqtSignal(int)

    def __init__(self, comment, may_edit, may_delete):
        super().__init__()
        self.setObjectName("comment")
        self.may_edit, self.may_delete = may_edit, may_delete
        self.mode, self.busy = VIEW, False
        self._build()
        self.set_comment(comment)

    def _build(self):
        self.head, self.body = named(plain(""), "meta"), MentionText()
        self.editor = QPlainTextEdit()
        self.editor.setFixedHeight(80)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.save, context=Qt.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key_Escape), self.editor, self.cancel, context=Qt.WidgetShortcut)
        self.error = named(plain(""), "commentError")
        self.edit_button = button(_("Edit"), "", self.start_edit, "small")
        self.delete_button = button(_("Delete"), "", self.ask_delete, "small")
        self.save_button = button(_("Save"), _("Save the edited comment"), self.save, "primary")
        self.cancel_button = button(_("Cancel"), _("Cancel editing"), self.cancel, "small")
        self.question = named(QLabel(_("Delete this comment? Everyone sees that it was "
                                       "deleted.")), "meta")
        self.confirm_button = button(_("Delete"), _("Yes, delete the comment"),
                                     self.confirm_delete, "danger")
        self.keep_button = button(_("Keep"), _("No, keep the comment"), self.cancel, "small")
        top = QHBoxLayout()  # who and when, then what may be done with it
        top.addWidget(self.head, 1)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        bottom = QHBoxLayout()  # the answers an edit or a deletion asks for
        bottom.addWidget(self.question)
        bottom.addStretch(1)
        for widget in (self.save_button, self.cancel_button, self.confirm_button,
                       self.keep_button):
            bottom.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        for widget in (self.body, self.editor, self.error):
            layout.addWidget(widget)
        layout.addLayout(bottom)

    def set_comment(self, comment):
        """The server's newest word on this comment. A text being edited stays as typed."""
        self.comment = comment
        self.head.setText(head_text(comment))
        if comment["deleted"]:
            self.body.setText(_("Comment deleted"))
            self.body.setObjectName("tombstone")
            if self.mode == EDIT:
                self.error.setText(_("Deleted meanwhile: your text is kept here to copy."))
            elif self.mode == CONFIRM:
                self.mode = VIEW
        else:
            self.body.setText(comment["body"],
                              [person["username"] for person in comment.get("mentions") or []])
            self.body.setObjectName("")
        self.body.style().unpolish(self.body)  # the object name changed: restyle
        self.body.style().polish(self.body)
        who = author_name(comment)
        self.setAccessibleName(_("Comment by %(who)s", who=who))
        self.edit_button.setAccessibleName(_("Edit your comment"))
        self.editor.setAccessibleName(_("Text of your comment"))
        self.delete_button.setAccessibleName(_("Delete the comment by %(who)s", who=who))
        self._show()

    def _show(self):
        live = not self.comment["deleted"]
        self.body.setVisible(self.mode != EDIT)
        self.editor.setVisible(self.mode == EDIT)
        self.error.setVisible(bool(self.error.text()))
        self.edit_button.setVisible(self.mode == VIEW and live and self.may_edit)
        self.delete_button.setVisible(self.mode == VIEW and live and self.may_delete)
        self.save_button.setVisible(self.mode == EDIT)
        self.cancel_button.setVisible(self.mode == EDIT)
        for widget in (self.question, self.confirm_button, self.keep_button):
            widget.setVisible(self.mode == CONFIRM)
        for widget in (self.save_button, self.confirm_button, self.editor):
            widget.setEnabled(not self.busy)

    def _set_mode(self, mode, focus):
        self.mode = mode
        self.show_error("")
        focus.setFocus(Qt.OtherFocusReason)

    def start_edit(self):
        self.editor.setPlainText(self.comment["body"])
        self._set_mode(EDIT, self.editor)
        self.editor.moveCursor(self.editor.textCursor().End)

    def ask_delete(self):
        self._set_mode(CONFIRM, self.keep_button)  # the safe answer has the focus

    def cancel(self):
        if self.busy:
            return
        back = self.edit_button if self.mode == EDIT else self.delete_button
        self._set_mode(VIEW, back)

    def save(self):
        if self.busy:
            return
        body = self.editor.toPlainText().strip()
        problem = body_problem(body)
        if problem:
            self.show_error(problem)
        elif body == self.comment["body"]:
            self.cancel()  # nothing changed: nothing to send
        else:
            self.set_busy(True)
            self.save_requested.emit(self.comment["id"], body)

    def confirm_delete(self):
        self.set_busy(True)
        self.delete_requested.emit(self.comment["id"])

    def set_busy(self, busy):
        self.busy = busy
        if busy:
            self.show_error("")
        self._show()

    def show_error(self, text):
        self.error.setText(text)
        self._show()

    def done(self, comment):
        """The server took the edit or the deletion."""
        self.busy, self.mode = False, VIEW
        self.show_error("")
        self.set_comment(comment)
        if self.edit_button.isVisible():
            self.edit_button.setFocus()  # else (deleted) Qt moves it on from the hidden button

    def failed(self, message):
        """Refused or not answered: the text typed stays in the editor for another try."""
        self.busy = False
        self.show_error(message)
