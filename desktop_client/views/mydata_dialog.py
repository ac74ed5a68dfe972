"""Privacy in the desktop app (SPEC 11.3): a bar under the header says what the employer sees of
the person's presence while the app reports it, with Pause / Resume where the server allows it;
"My data…" in the account menu shows everything admins see about them and saves the ZIP export.
Every request runs off the GUI thread; `attach(window)` is the window's one hook."""
import threading
from datetime import datetime

from PyQt5.QtCore import QObject, Qt, QTimer, pyqtSignal
from PyQt5.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QFrame, QHBoxLayout,
                             QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                             QTabWidget, QVBoxLayout)

from .style import STYLESHEET, named

LEVELS = {"full": "Your employer sees whether you are active, idle or offline.",
          "online": "Your employer sees only whether you are online or offline; idle time is not "
                    "recorded.",
          "off": "Your employer sees nothing of your presence: none of it is recorded."}
PAUSED = ("Paused: your employer sees \u201cpaused\u201d and nothing more; your timer stopped "
          "and no presence is recorded.")
REFRESH_MS = 5 * 60 * 1000
WORDS = {"ACTIVE": "Active", "IDLE": "Idle", "OFFLINE": "Offline", "PENDING": "Pending",
         "IN_PROGRESS": "In progress", "DONE": "Done", "CANCELLED": "Cancelled"}


def when(text):
    if not text:
        return "still running"
    return datetime.fromisoformat(text).astimezone().strftime("%a %d %b %Y, %H:%M")


def level_text(info):
    return PAUSED if info.get("paused") else LEVELS.get(info.get("presence_detail"), "")


class Fetcher(QObject):
    """Runs one request on a worker thread; `done(result, error)` back on the GUI thread."""
    done = pyqtSignal(object, str)

    def run(self, call):
        def work():
            try:
                result, error = call(), ""
            except Exception as exc:  # noqa: BLE001 - shown to the person, never raised
                result, error = None, str(exc) or type(exc).__name__
            try:
                self.done.emit(result, error)
            except RuntimeError:  # the window closed meanwhile: nobody to tell
                pass
        threading.Thread(target=work, daemon=True).start()


class PrivacyBar(QFrame):
    """The presence level that applies, and Pause / Resume."""

    def __init__(self, client):
        super().__init__()
        self.setObjectName("privacyBar")
        self.client, self.info = client, {}
        self.text = named(QLabel("Checking what your employer sees of your presence…"), "meta")
        self.text.setWordWrap(True)
        self.text.setAccessibleName("What your employer sees of your presence")
        self.pause = QPushButton("Pause")
        self.pause.setAccessibleName("Pause your presence (private time)")
        self.pause.clicked.connect(self.toggle)
        self.pause.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 6, 14, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.pause)
        self.fetcher = Fetcher()
        self.fetcher.done.connect(self.show_info)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(REFRESH_MS)
        self.refresh()

    def refresh(self):
        self.fetcher.run(lambda: self.client.request("GET", "/api/me/privacy/").json())

    def toggle(self):
        path = "/api/me/resume/" if self.info.get("paused") else "/api/me/pause/"
        self.pause.setEnabled(False)

        def call():
            self.client.request("POST", path, {})
            return self.client.request("GET", "/api/me/privacy/").json()
        self.fetcher.run(call)

    def show_info(self, info, error):
        self.pause.setEnabled(True)
        if error:
            if not self.info:
                self.text.setText("What your employer sees of your presence needs the server.")
            return
        self.info = info
        self.text.setText(level_text(info))
        self.pause.setVisible(bool(info.get("allow_pause")))
        self.pause.setText("Resume" if info.get("paused") else "Pause")


def table(columns, rows):
    """A read-only table of `rows` (newest first) with `columns` [(heading, cell(row))]."""
    grid = QTableWidget(len(rows), len(columns))
    grid.setHorizontalHeaderLabels([heading for heading, _cell in columns])
    grid.setEditTriggers(QAbstractItemView.NoEditTriggers)
    grid.verticalHeader().hide()
    grid.horizontalHeader().setSectionResizeMode(len(columns) - 1, QHeaderView.Stretch)
    for y, row in enumerate(reversed(rows)):
        for x, (_heading, cell) in enumerate(columns):
            grid.setItem(y, x, QTableWidgetItem(str(cell(row))))
    grid.resizeColumnsToContents()
    grid.horizontalHeader().setSectionResizeMode(len(columns) - 1, QHeaderView.Stretch)
    return grid


def figures_text(windows):
    lines = []
    for window in windows:
        row, span = window["row"] or {}, ("last 24 hours" if window["hours"] == 24
                                         else "last %d days" % (window["hours"] // 24))
        ratio = row.get("active_ratio")
        pace = row.get("progress_per_active_hour")
        lines.append("%s: active share %s, progress per active hour %s" % (
            span.capitalize(), "%d %%" % round(ratio * 100) if ratio is not None else "–",
            "%s points" % pace if pace is not None else "not enough active time"))
    return "\n".join(lines)


TABS = (
    ("Presence", "presence", (("Status", lambda r: WORDS.get(r["status"], r["status"])),
                              ("From", lambda r: when(r["started_at"])),
                              ("Until", lambda r: when(r["ended_at"])))),
    ("Time entries", "time_entries", (("Task", lambda r: "#%d" % r["task_id"]),
                                      ("Started", lambda r: when(r["started_at"])),
                                      ("Minutes", lambda r: r["minutes"]),
                                      ("Note", lambda r: r["note"]))),
    ("Progress reports", "progress_reports", (("Task", lambda r: "#%d" % r["task_id"]),
                                              ("When", lambda r: when(r["created_at"])),
                                              ("Progress", lambda r: "%d %%" % r["new_percentage"]),
                                              ("Note", lambda r: r["notes"]))),
    ("Comments", "comments", (("Task", lambda r: "#%d" % r["task_id"]),
                              ("Written", lambda r: when(r["created_at"])),
                              ("Text", lambda r: "(deleted)" if r["deleted"] else r["body"]))),
    ("Audit trail", "audit_rows", (("Task", lambda r: "#%d" % r["task_id"]),
                                   ("When", lambda r: when(r["created_at"])),
                                   ("Status", lambda r: WORDS.get(r["new_status"], r["new_status"])),
                                   ("Note", lambda r: "(removed)" if r["redacted"] else r["notes"]))),
)


class MyDataDialog(QDialog):
    """Everything the employer sees about the person, and the ZIP export."""

    def __init__(self, client, parent=None):
        super().__init__(parent)
        self.setWindowTitle("My data")
        self.setAccessibleName("My data")
        self.setStyleSheet(STYLESHEET)
        self.resize(820, 560)
        self.client, self.data, self.saved_to = client, None, None
        self.status = named(QLabel("Loading your data…"), "meta")
        self.status.setWordWrap(True)
        self.figures = QLabel()
        self.figures.setTextFormat(Qt.PlainText)
        self.figures.setWordWrap(True)
        self.figures.setAccessibleName("What admins see in the statistics")
        self.tabs = QTabWidget()
        self.save = QPushButton("Save all of it as ZIP…")
        self.save.setAccessibleName("Save all your data as a ZIP of JSON and CSV")
        self.save.clicked.connect(self.ask_where)
        layout = QVBoxLayout(self)
        for widget in (named(QLabel("Everything your employer sees about you, at the same detail."),
                             "meta"), self.figures, self.tabs, self.status):
            layout.addWidget(widget)
        layout.addWidget(self.save, 0, Qt.AlignRight)
        self.fetcher = Fetcher()
        self.fetcher.done.connect(self.show_data)
        self.fetcher.run(lambda: self.client.request("GET", "/api/me/data/").json())

    def show_data(self, data, error):
        if error:
            self.status.setText("Your data needs the server: %s" % error)
            return
        self.data = data
        self.figures.setText(figures_text(data["statistics"]))
        for title, key, columns in TABS:
            self.tabs.addTab(table(columns, data[key]), "%s (%d)" % (title, len(data[key])))
        self.status.setText("")

    def ask_where(self):
        path, _filter = QFileDialog.getSaveFileName(self, "Save my data", "my-data.zip", "ZIP (*.zip)")
        if path:
            self.save_to(path)

    def save_to(self, path):
        """Download the export to `path` off the GUI thread; `saved_to` is set when written."""
        def call():
            body = self.client.request("GET", "/api/me/export").content
            with open(path, "wb") as handle:
                handle.write(body)
            return path
        self.saver = Fetcher(self)
        self.saver.done.connect(self._saved)
        self.saver.run(call)

    def _saved(self, path, error):
        self.saved_to = path
        self.status.setText("Could not save: %s" % error if error else "Saved to %s" % path)


def attach(window):
    """The window's hook: the privacy bar under the header and "My data…" in the account menu."""
    client = window.manager.client
    window.privacy_bar = PrivacyBar(client)
    window.centralWidget().layout().insertWidget(1, window.privacy_bar)

    def open_dialog():
        window.my_data = MyDataDialog(client, window)
        window.my_data.show()
    window.open_my_data = open_dialog
    window.header.menu.addAction("My data…", open_dialog)
