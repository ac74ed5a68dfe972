"""A task's history (its audit trail), newest first, a page at a time; loaded off the GUI thread."""
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
    _loaded = pyqtSignal(object, str)  # the updates or None, an error message

    def __init__(self, client, task, parent=None):
        super().__init__(parent)
        self.setWindowTitle("History — %s" % task["title"])
        self.setAccessibleName("History of %s" % task["title"])
        self.setStyleSheet(STYLESHEET)
        self.resize(760, 460)
        self.updates, self.shown = [], 0
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
        threading.Thread(target=self._load, args=(client, task["id"]), daemon=True).start()

    def _load(self, client, task_id):
        try:
            self._loaded.emit(client.history(task_id)["updates"], "")
        except (Unavailable, AuthRequired, Refused) as exc:
            self._loaded.emit(None, "The history cannot be read now (%s)." % exc)

    def _show_loaded(self, updates, error):
        if updates is None:
            self.status.setText(error)
            return
        self.updates = updates
        self.show_more()

    def show_more(self):
        """Add the next page of older entries below the ones shown."""
        page = self.updates[self.shown:self.shown + PAGE]
        for update in page:
            at = self.table.rowCount()
            self.table.insertRow(at)
            for column, text in enumerate(row_cells(update)):
                self.table.setItem(at, column, QTableWidgetItem(text))  # plain text, no markup
        self.shown += len(page)
        self.table.resizeColumnsToContents()
        total = len(self.updates)
        self.status.setText("No history yet." if not total else
                            "Showing %d of %d entries" % (self.shown, total))
        self.more.setVisible(self.shown < total)
