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

from .. import language
from ..language import N_, _, ngettext
from .style import STYLESHEET, named

LEVELS = {"full": N_("Your employer sees whether you are active, idle or offline."),
          "online": N_("Your employer sees only whether you are online or offline; idle time is "
                       "not recorded."),
          "off": N_("Your employer sees nothing of your presence: none of it is recorded.")}
PAUSED = N_("Paused: your employer sees \u201cpaused\u201d and nothing more; your timer "
            "stopped and no presence is recorded.")
REFRESH_MS = 5 * 60 * 1000
NOTED = ("progress", "complete")  # the audit rows whose notes a person wrote (the rest: the server's)
WORDS = {"ACTIVE": N_("Active"), "IDLE": N_("Idle"), "OFFLINE": N_("Offline"),
         "PENDING": N_("Pending"), "IN_PROGRESS": N_("In progress"), "DONE": N_("Done"),
         "CANCELLED": N_("Cancelled"), "PAUSED": N_("Paused")}


def word(status):
    return _(WORDS[status]) if status in WORDS else status


def when(text):
    if not text:
        return _("still running")
    return language.current.moment(datetime.fromisoformat(text), weekday=True, year=True)


def level_text(info):
    level = PAUSED if info.get("paused") else LEVELS.get(info.get("presence_detail"))
    return _(level) if level else ""


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
        self.text = named(QLabel(_("Checking what your employer sees of your presence…")), "meta")
        self.text.setWordWrap(True)
        self.text.setAccessibleName(_("What your employer sees of your presence"))
        self.pause = QPushButton(_("Pause"))
        self.pause.setAccessibleName(_("Pause your presence (private time)"))
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
                self.text.setText(_("What your employer sees of your presence needs the "
                                    "server."))
            return
        self.info = info
        self.text.setText(level_text(info))
        self.pause.setVisible(bool(info.get("allow_pause")))
        self.pause.setText(_("Resume") if info.get("paused") else _("Pause"))


def table(columns, rows):
    """A read-only table of `rows` (newest first) with `columns` [(heading, cell(row))]."""
    grid = QTableWidget(len(rows), len(columns))
    grid.setHorizontalHeaderLabels([_(heading) for heading, _cell in columns])
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
        row, days = window["row"] or {}, window["hours"] // 24
        ratio, pace = row.get("active_ratio"), row.get("progress_per_active_hour")
        share = language.current.percent(ratio) if ratio is not None else "–"
        pace = (ngettext("%(num)s point", "%(num)s points", pace,
                         num=language.current.number(pace)) if pace is not None
                else _("not enough active time"))
        if window["hours"] == 24:
            lines.append(_("Last 24 hours: active share %(share)s, progress per active hour "
                           "%(pace)s", share=share, pace=pace))
        else:
            lines.append(ngettext("Last %(num)s day: active share %(share)s, progress per active "
                                  "hour %(pace)s", "Last %(num)s days: active share %(share)s, "
                                  "progress per active hour %(pace)s", days,
                                  share=share, pace=pace))
    return "\n".join(lines)


TABS = (
    (N_("Presence"), "presence", ((N_("Status"), lambda r: word(r["status"])),
                                  (N_("From"), lambda r: when(r["started_at"])),
                                  (N_("Until"), lambda r: when(r["ended_at"])))),
    (N_("Time entries"), "time_entries", (
        (N_("Task"), lambda r: "#%d" % r["task_id"]),
        (N_("Started"), lambda r: when(r["started_at"])),
        (N_("Minutes"), lambda r: language.current.number(r["minutes"])),
        (N_("Note"), lambda r: r["note"]))),
    (N_("Progress reports"), "progress_reports", (
        (N_("Task"), lambda r: "#%d" % r["task_id"]),
        (N_("When"), lambda r: when(r["created_at"])),
        (N_("Progress"), lambda r: language.current.percent(r["new_percentage"] / 100)),
        (N_("Note"), lambda r: r["notes"]))),
    (N_("Comments"), "comments", (
        (N_("Task"), lambda r: "#%d" % r["task_id"]),
        (N_("Written"), lambda r: when(r["created_at"])),
        (N_("Text"), lambda r: _("(deleted)") if r["deleted"] else r["body"]))),
    (N_("Audit trail"), "audit_rows", (
        (N_("Task"), lambda r: "#%d" % r["task_id"]),
        (N_("When"), lambda r: when(r["created_at"])),
        (N_("Status"), lambda r: word(r["new_status"])),
        (N_("What happened"), lambda r: language.say(r["words"]) if r.get("words") else ""),
        (N_("Note"), lambda r: _("(removed)") if r["redacted"]
         else r["notes"] if r["action"] in NOTED else ""))),
)


class MyDataDialog(QDialog):
    """Everything the employer sees about the person, and the ZIP export."""

    def __init__(self, client, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("My data"))
        self.setAccessibleName(_("My data"))
        self.setStyleSheet(STYLESHEET)
        self.resize(820, 560)
        self.client, self.data, self.saved_to = client, None, None
        self.status = named(QLabel(_("Loading your data…")), "meta")
        self.status.setWordWrap(True)
        self.figures = QLabel()
        self.figures.setTextFormat(Qt.PlainText)
        self.figures.setWordWrap(True)
        self.figures.setAccessibleName(_("What admins see in the statistics"))
        self.tabs = QTabWidget()
        self.save = QPushButton(_("Save all of it as ZIP…"))
        self.save.setAccessibleName(_("Save all your data as a ZIP of JSON and CSV"))
        self.save.clicked.connect(self.ask_where)
        layout = QVBoxLayout(self)
        for widget in (named(QLabel(_("Everything your employer sees about you, at the same "
                                            "detail.")), "meta"), self.figures, self.tabs, self.status):
            layout.addWidget(widget)
        layout.addWidget(self.save, 0, Qt.AlignRight)
        self.fetcher = Fetcher()
        self.fetcher.done.connect(self.show_data)
        self.fetcher.run(lambda: self.client.request("GET", "/api/me/data/").json())

    def show_data(self, data, error):
        if error:
            self.status.setText(_("Your data needs the server: %(reason)s", reason=error))
            return
        self.data = data
        self.figures.setText(figures_text(data["statistics"]))
        for title, key, columns in TABS:
            self.tabs.addTab(table(columns, data[key]), _("%(title)s (%(count)s)", title=_(title),
                                                          count=language.current.count(len(data[key]))))
        self.status.setText("")

    def ask_where(self):
        path, _filter = QFileDialog.getSaveFileName(self, _("Save my data"), "my-data.zip",
                                                     "ZIP (*.zip)")
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
        self.status.setText(_("Could not save: %(reason)s", reason=error) if error
                            else _("Saved to %(path)s", path=path))


def attach(window):
    """The window's hook: the privacy bar under the header and "My data…" in the account menu."""
    client = window.manager.client
    window.privacy_bar = PrivacyBar(client)
    window.centralWidget().layout().insertWidget(1, window.privacy_bar)

    def open_dialog():
        window.my_data = MyDataDialog(client, window)
        window.my_data.show()
    window.open_my_data = open_dialog
    window.header.menu.addAction(_("My data…"), open_dialog)
