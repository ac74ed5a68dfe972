"""A task's history (its audit trail), newest first, a page at a time, each row a sentence in
local time; loaded off the GUI thread (jobs.py), following the server's `next` cursor when the
entries read so far are all shown."""
from datetime import datetime

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                             QTableWidgetItem, QVBoxLayout, QAbstractItemView, QHeaderView)

from .. import jobs, language
from ..api import AuthRequired, Refused
from ..language import N_, _, ngettext
from .style import STYLESHEET, named

PAGE = 20
COLUMNS = (N_("When"), N_("Who"), N_("What happened"))
SENTENCES = {"create": N_("Created the task"), "complete": N_("Marked the task complete"),
             "edit": N_("Changed the task's details"), "cancel": N_("Cancelled the task"),
             "reassign": N_("Reassigned the task"), "link": N_("Added a dependency"),
             "unlink": N_("Removed a dependency"), "comment": N_("Wrote a comment"),
             "comment_edit": N_("Edited a comment"), "comment_delete": N_("Deleted a comment"),
             "time_entry_edit": N_("Corrected tracked time"),
             "time_entry_delete": N_("Deleted tracked time")}
TIMER_SENTENCES = (("Timer started", N_("Started the timer")),
                   ("Timer stopped (idle)", N_("The timer stopped while they were away")),
                   ("Timer stopped (offline)", N_("The timer stopped when they went offline")),
                   ("Timer stopped (switch)", N_("The timer stopped for another task")),
                   ("Timer stopped", N_("Stopped the timer")),
                   ("Entry added", N_("Added tracked time")))
NOTED = ("progress", "complete")  # the rows whose note a person wrote (the rest: the server's)


def when_text(created_at, now=None):
    """The person's time with its zone: 'Mon, Dec 7, 9:40 AM CET' (the year only when not this
    one), as their language writes it."""
    local = language.current.local(datetime.fromisoformat(created_at))
    this_year = language.current.local(now or datetime.now().astimezone()).year
    return "%s %s" % (language.current.moment(local, weekday=True, year=local.year != this_year),
                      local.strftime("%Z"))


def sentence(update):
    """What happened, as a person reads it: the server's sentence where it sends one (its words
    said in the app's language), else made here from the action (never an action name, a hash or
    a UTC stamp)."""
    if update.get("words") and language.current.code != "en":
        return language.say(update["words"])
    if update.get("text"):
        return update["text"]
    action, notes = update["action"], update.get("notes") or ""
    if action == "progress":
        before, after = update.get("previous_percentage"), update.get("new_percentage")
        return (_("Set progress to %(after)s\u00a0%%", after=after) if before is None
                else _("Set progress from %(before)s\u00a0%% to %(after)s\u00a0%%",
                       before=before, after=after))  # no break before "%"
    if action == "time_entry":
        return next((_(said) for prefix, said in TIMER_SENTENCES if notes.startswith(prefix)),
                    _("Tracked time"))
    if action in ("link", "unlink") and notes:
        return _("%(what)s (%(tasks)s)", what=_(SENTENCES[action]),
                 tasks=notes.replace("#", _("task #")))
    return _(SENTENCES.get(action, N_("Changed the task")))


def failure_text(exc):
    if isinstance(exc, Refused):
        return _("The history cannot be shown: %(reason)s", reason=exc.message)
    if isinstance(exc, AuthRequired):
        return _("Your session has ended: sign in again to read the history.")
    return _("The history cannot be read now: the server did not answer. Try again in a moment.")


def row_cells(update):
    """The cells of one audit row, as plain text: the note its author wrote (if any) under what
    happened, in quotes."""
    user = update.get("user") or {}
    note = (update.get("notes") or "") if update["action"] in NOTED else ""
    what = sentence(update) + ("\n" + _("“%(note)s”", note=note) if note else "")
    return (when_text(update["created_at"]), user.get("full_name") or user.get("username") or "",
            what)


class HistoryDialog(QDialog):

    def __init__(self, client, task, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("History — %(title)s", title=task["title"]))
        self.setAccessibleName(_("History of %(title)s", title=task["title"]))
        self.setStyleSheet(STYLESHEET)
        self.resize(760, 460)
        self.client, self.task_id = client, task["id"]
        self.updates, self.shown, self.next = [], 0, None
        self.status = named(QLabel(_("Loading…")), "meta")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName(_("History entries, newest first"))
        self.table.setHorizontalHeaderLabels([_(name) for name in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        # What happened takes the room there is and wraps; when and who fit their text.
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.Stretch if column == 2
                                        else QHeaderView.ResizeToContents)
        self.more = QPushButton(_("Show older"))
        self.more.setAccessibleName(_("Show older history entries"))
        self.more.clicked.connect(self.show_more)
        self.more.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more, 0, Qt.AlignRight)
        layout.addLayout(bottom)
        self._read(None)

    def _read(self, before):
        """Read one page of the server's history (below `before`) off the GUI thread."""
        self.more.setEnabled(False)
        self.job = jobs.run(self, self.client.history, self.task_id, before,
                            done=lambda body: self._show_loaded(body["updates"], body.get("next")),
                            failed=lambda exc: self._show_loaded(None, before, exc))

    def _show_loaded(self, updates, next_cursor, error=None):
        self.more.setEnabled(True)
        if updates is None:  # the button stays: the reader may try again
            self.status.setText(failure_text(error))
            return
        self.updates += updates
        self.next = next_cursor
        self.show_more()

    def show_more(self):
        """Add the next page of older entries below the ones shown; past what has been read,
        read the server's next page first."""
        if self.shown >= len(self.updates) and self.next is not None:
            self.status.setText(_("Loading older entries…"))
            return self._read(self.next)
        page = self.updates[self.shown:self.shown + PAGE]
        for update in page:
            at = self.table.rowCount()
            self.table.insertRow(at)
            for column, text in enumerate(row_cells(update)):
                self.table.setItem(at, column, QTableWidgetItem(text))  # plain text, no markup
        self.shown += len(page)
        self.table.resizeRowsToContents()
        total = len(self.updates)
        if self.next is not None:
            self.status.setText(ngettext("Showing the newest %(num)s entry; older ones on request",
                                         "Showing the newest %(num)s entries; older ones on "
                                         "request", self.shown))
        else:
            self.status.setText(_("No history yet.") if not total else ngettext(
                "Showing %(shown)s of %(num)s entry", "Showing %(shown)s of %(num)s entries",
                total, shown=language.current.count(self.shown)))
        self.more.setVisible(self.shown < total or self.next is not None)
