"""A task's history (its audit trail), newest first, a page at a time; loaded off the GUI thread,
following the server's `next` cursor when the entries read so far are all shown."""
import threading
from datetime import datetime

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                             QTableWidgetItem, QVBoxLayout, QAbstractItemView, QHeaderView)

from ..api import AuthRequired, Refused, Unavailable
from .style import STYLESHEET, named

PAGE = 20
COLUMNS = ("When", "Who", "What", "Progress", "Note")
ACTIONS = {"progress": "Progress", "complete": "Completed", "create": "Created",
           "reassign": "Reassigned", "cancel": "Cancelled", "edit": "Edited", "comment": "Comment"}


def when_text(created_at):
    return datetime.fromisoformat(created_at).astimezone().strftime("%a %d %b %Y, %H:%M")


def row_cells(update):
    """The five cells of one audit row, as plain text."""
    user = update.get("user") or {}
    before, after = update.get("previous_percentage"), update.get("new_percentage")
    progress = "" if after is None else ("%s → %d %%" % ("—" if before is None else before, after))
    return (when_text(update["created_at"]), user.get("full_name") or user.get("username") or "",
            ACTIONS.get(update["action"], update["action"]), progress, update.get("notes") or "")


class HistoryDialog(QDialog):
    _loaded = pyqtSignal(object, object, str)  # the updates or None, the next cursor, an error

    def __init__(self, client, task, parent=None):
        super().__init__(parent)
        self.setWindowTitle("History — %s" % task["title"])
        self.setAccessibleName("History of %s" % task["title"])
        self.setStyleSheet(STYLESHEET)
        self.resize(760, 460)
        self.client, self.task_id = client, task["id"]
        self.updates, self.shown, self.next = [], 0, None
        self.status = named(QLabel("Loading…"), "meta")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("History entries, newest first")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.Stretch)
        self.more = QPushButton("Show older")
        self.more.setAccessibleName("Show older history entries")
        self.more.clicked.connect(self.show_more)
        self.more.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more, 0, Qt.AlignRight)
        layout.addLayout(bottom)
        self._loaded.connect(self._show_loaded)
        self._read(None)

    def _read(self, before):
        """Read one page of the server's history (below `before`) off the GUI thread."""
        self.more.setEnabled(False)
        threading.Thread(target=self._load, args=(before,), daemon=True).start()

    def _load(self, before):
        try:
            body = self.client.history(self.task_id, before)
            self._loaded.emit(body["updates"], body.get("next"), "")
        except (Unavailable, AuthRequired, Refused) as exc:
            self._loaded.emit(None, before, "The history cannot be read now (%s)." % exc)

    def _show_loaded(self, updates, next_cursor, error):
        self.more.setEnabled(True)
        if updates is None:
            self.status.setText(error)  # the button stays: the reader may try again
            return
        self.updates += updates
        self.next = next_cursor
        self.show_more()

    def show_more(self):
        """Add the next page of older entries below the ones shown; past what has been read,
        read the server's next page first."""
        if self.shown >= len(self.updates) and self.next is not None:
            self.status.setText("Loading older entries…")
            return self._read(self.next)
        page = self.updates[self.shown:self.shown + PAGE]
        for update in page:
            at = self.table.rowCount()
            self.table.insertRow(at)
            for column, text in enumerate(row_cells(update)):
                self.table.setItem(at, column, QTableWidgetItem(text))  # plain text, no markup
        self.shown += len(page)
        self.table.resizeColumnsToContents()
        total = len(self.updates)
        if self.next is not None:
            self.status.setText("Showing the newest %d entries; older ones on request" % self.shown)
        else:
            self.status.setText("No history yet." if not total else
                                "Showing %d of %d entries" % (self.shown, total))
        self.more.setVisible(self.shown < total or self.next is not None)
