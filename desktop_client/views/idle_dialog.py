"""The question on return from idle: were the minutes the idle stop took off the timer work?"""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..timejournal import moment
from .words import duration_text
from .style import STYLESHEET, named


def span_text(span, title):
    start, end = moment(span["started_at"]).astimezone(), moment(span["ended_at"]).astimezone()
    return ("You were away from %s to %s (%s), and the timer on “%s” stopped when you left.\n\n"
            "Were those minutes work on it?" % (start.strftime("%H:%M"), end.strftime("%H:%M"),
                                                duration_text((end - start).total_seconds()), title))


class IdleDialog(QDialog):
    """Keep (accept): the idle span becomes an entry of its own. Discard (reject): nothing."""

    def __init__(self, span, title, parent=None):
        super().__init__(parent)
        self.span = span
        self.setWindowTitle("Back from idle")
        self.setStyleSheet(STYLESHEET)
        self.message = QLabel(span_text(span, title))
        self.message.setTextFormat(Qt.PlainText)
        self.message.setWordWrap(True)
        self.keep_button = named(QPushButton("Keep as work"), "primary")
        self.keep_button.setAccessibleName("Keep the idle minutes as work")
        self.discard_button = QPushButton("Discard")
        self.discard_button.setAccessibleName("Discard the idle minutes")
        self.keep_button.clicked.connect(self.accept)
        self.discard_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)
