"""The main window: the header, the "Assigned Tasks" cards with their filter, toasts, the tray."""
from PyQt5.QtCore import QByteArray, Qt, pyqtSignal
from PyQt5.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QMenu, QScrollArea,
                             QSystemTrayIcon, QVBoxLayout, QWidget)

from ..tasklist import OPEN_STATUSES, filtered, ms_to_next_overdue
from .header import Header, Refusals, connection_text  # noqa: F401 - connection_text: its old home
from .parts import about_box, app_icon, filter_buttons, place_beside, single_shot
from .comments_dialog import CommentsDialog
from .history_dialog import HistoryDialog
from . import mydata_dialog
from .timer_view import TimerView
from ..notifier import Notifier
from .style import STYLESHEET, named
from .task_card import TaskCard
from .words import refusal_text
from ..language import N_, _, ngettext

EMPTY = {"open": N_("Nothing open: no task is waiting for you."), "done": N_("No finished tasks yet."),
         "all": N_("No tasks assigned to you yet.")}


class MainWindow(QMainWindow):
    closing = pyqtSignal()
    sign_out_requested = pyqtSignal()

    def __init__(self, manager, user=None, toast_ms=6000, settings=None):
        super().__init__()
        self.manager, self.user, self.toast_ms = manager, user or {}, toast_ms
        self.settings, self.cards, self.filter = settings, {}, "open"
        self.history, self.comments, self.about_box = None, None, None
        self.completing = {}  # task id: (notes, timer) while Mark Complete can be undone
        self.tracker, self.timer_view = None, None  # the timer: attach_timer()
        self.setWindowTitle(_("Employee Progress Tracker"))
        self.setWindowIcon(app_icon())
        self.setStyleSheet(STYLESHEET)
        self.resize(780, 760)
        self._build()
        self._restore_geometry()
        self.notifier = Notifier(manager.had_cache, manager.user_id)
        manager.tasks_changed.connect(self.notifier.tasks_changed)
        manager.comment_event.connect(self.notifier.comment_event)
        self.notifier.notified.connect(self.notify)
        manager.tasks_changed.connect(self.show_tasks)
        manager.connection_changed.connect(self.show_connection)
        manager.update_refused.connect(self.show_refusal)
        manager.auth_required.connect(self.show_signed_out)
        self.tray = self._tray()
        self.show_connection(manager.state, manager.unsent())
        self.show_occupancy("ACTIVE")
        mydata_dialog.attach(self)  # privacy: the presence level, pause, "My data…"

    def _build(self):
        page = named(QWidget(), "page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = Header(self.user)
        self.header.sign_out_requested.connect(self.request_sign_out)
        self.header.about_requested.connect(self.show_about)
        self.connection, self.occupancy = self.header.connection, self.header.occupancy
        layout.addWidget(self.header)
        self.refusals = Refusals()
        layout.addWidget(self.refusals)
        layout.addWidget(self._task_column(), 1)
        self.setCentralWidget(page)
        self.toast = named(QLabel(self), "toast")
        self.toast.setTextFormat(Qt.PlainText)
        self.toast.setWordWrap(True)
        self.toast.hide()
        self._toast_timer = single_shot(self, self.toast.hide)
        # Due dates pass with no event: redraw the cards when the next one turns overdue.
        self._overdue_timer = single_shot(self, lambda: self.show_tasks(self._all))
        # A CoarseTimer may fire up to 5 % early, before the moment: the redraw then finds nothing.
        self._overdue_timer.setTimerType(Qt.PreciseTimer)
        self._all = []

    def _task_column(self):
        self.count = named(QLabel(), "sectionCount")
        self.filter_group, self.filter_buttons, filters = filter_buttons(self, self.set_filter)
        self.filter_buttons["open"].setChecked(True)
        heading = QHBoxLayout()
        heading.addWidget(named(QLabel(_("Assigned Tasks")), "sectionTitle"))
        heading.addWidget(self.count)
        heading.addStretch(1)
        heading.addLayout(filters)
        self.empty = named(QLabel(_(EMPTY["open"])), "empty")
        self.empty.setAlignment(Qt.AlignCenter)
        self.list = QVBoxLayout()
        self.list.setSpacing(12)
        inner = named(QWidget(), "page")
        column = QVBoxLayout(inner)
        column.setContentsMargins(20, 16, 20, 20)
        column.setSpacing(12)
        column.addLayout(heading)
        column.addWidget(self.empty)
        column.addLayout(self.list)
        column.addStretch(1)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Cards wrap to the width there is; the window is never narrower than a card needs.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        return scroll

    def _tray(self):
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        tray = QSystemTrayIcon(app_icon(), self)
        menu = QMenu(self)
        menu.addAction(_("Show"), self.showNormal)
        menu.addAction(_("Quit"), self.close)
        tray.setContextMenu(menu)
        tray.setToolTip(_("Employee Progress Tracker"))
        tray.show()
        return tray

    def _restore_geometry(self):
        saved = self.settings.values.get("window_geometry") if self.settings else None
        if saved:
            self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))

    # ------------------------------------------------------------ slots

    def set_filter(self, name):
        self.filter = name
        self.filter_buttons[name].setChecked(True)
        self.show_tasks(self._all)

    def show_tasks(self, tasks):
        """Update cards in place (a note being typed survives a push), add new, drop gone."""
        self._all = tasks
        shown = filtered(tasks, self.filter)
        # The wait is measured before the cards read the clock for their mark, never after: a task
        # turning overdue between the two readings is still waited for (a redraw at once) instead
        # of being left unmarked until the next task's moment.
        wait = ms_to_next_overdue(shown)
        seen = set()
        for position, task in enumerate(shown):
            seen.add(task["id"])
            card = self.cards.get(task["id"])
            if card is None:
                card = self.cards[task["id"]] = TaskCard(task)
                card.progress_requested.connect(self.manager.submit_progress)
                card.complete_requested.connect(self.complete_later)
                card.undo_requested.connect(self.undo_complete)
                card.history_requested.connect(self.open_history)
                card.comments_requested.connect(self.open_comments)
                card.timer_requested.connect(self.toggle_timer)
            else:
                card.set_task(task)
            self.list.insertWidget(position, card)
        for task_id in set(self.cards) - seen:
            gone = self.cards.pop(task_id)
            self.list.removeWidget(gone)  # out of the layout now, not at deletion: no blank card
            gone.hide()
            gone.deleteLater()
        self.empty.setText(_(EMPTY[self.filter]))
        self._fit_width()
        self.empty.setVisible(not shown)
        open_count = sum(1 for t in tasks if t["status"] in OPEN_STATUSES)
        self.count.setText("  " + _("%(open)d open · %(total)d total", open=open_count, total=len(tasks)))
        self._watch_overdue(wait)
        self.show_timer()

    UNDO_MS = 5000

    def complete_later(self, task_id, notes):
        """Mark Complete waits a few seconds, with Undo, before it goes to the outbox."""
        timer = single_shot(self, lambda: self.complete_now(task_id))
        self.completing[task_id] = (notes, timer)
        timer.start(self.UNDO_MS)
        self.cards[task_id].set_completing(True)

    def complete_now(self, task_id):
        notes, timer = self.completing.pop(task_id, (None, None))
        if timer is not None:
            timer.stop()
            self.manager.complete(task_id, notes)

    def undo_complete(self, task_id):
        notes, timer = self.completing.pop(task_id, (None, None))
        if timer is not None:
            timer.stop()
        card = self.cards.get(task_id)
        if card is not None:
            card.set_completing(False)
            card.notes.setText(notes or "")

    def _fit_width(self):
        """The narrowest the window may be: the widest card's need, plus the scroll bar."""
        need = max([card.minimumSizeHint().width() for card in self.cards.values()] + [360])
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(need + 40 + bar + 2 * self.scroll.frameWidth())

    def _watch_overdue(self, wait):
        if wait is None:
            self._overdue_timer.stop()
        else:
            self._overdue_timer.start(wait)

    def open_history(self, task_id):
        task = next(t for t in self._all if t["id"] == task_id)
        self.history = HistoryDialog(self.manager.client, task, self)
        place_beside(self.history, self)  # beside the list, never over it where there is room
        self.history.show()

    def open_comments(self, task_id):
        task = next(t for t in self._all if t["id"] == task_id)
        self.comments = CommentsDialog(self.manager, task, self, user=self.user)
        self.comments.show()

    def show_connection(self, state, unsent):
        self.header.show_connection(state, unsent)

    def show_signed_out(self):
        self.header.show_signed_out(self.manager.unsent())

    def show_occupancy(self, state):
        self.header.show_occupancy(state)

    def show_presence_source(self, name, exact):
        self.header.show_presence_source(name, exact)

    def request_sign_out(self):
        """Unsent updates belong to this user: signing out waits until they are delivered."""
        unsent = self.manager.unsent()  # one outbox: updates, comments and timer changes
        if unsent:
            self.show_toast(ngettext("Not signed out: %(num)s update is not sent yet. It is sent when "
                                     "the server answers; sign out then.", "Not signed out: %(num)s "
                                     "updates are not sent yet. They are sent when the server "
                                     "answers; sign out then.", unsent))
            return
        self.sign_out_requested.emit()

    def show_about(self):
        self.about_box = about_box(self, self.manager.client.base_url, self.header.presence_source,
                                   self.header.approximate, self.manager.cache.path.parent)
        self.about_box.open()

    def notify(self, title, message):
        if self.tray is not None:
            self.tray.showMessage(title, message, QSystemTrayIcon.Information)
        else:
            self.show_toast(message)

    def show_refusal(self, entry):
        task = next((t for t in self._all if t["id"] == entry["task_id"]), None)
        what = "“%s”" % task["title"] if task else _("task %(id)d", id=entry["task_id"])
        said = {"complete": _("Completion of %(task)s", task=what),
                "comment": _("A comment on %(task)s", task=what)}.get(entry["kind"]) or _(
            "Update of %(task)s to %(percent)d %%", task=what, percent=entry["progress_percentage"])
        self.keep_refusal(said, entry, lambda: self.manager.dismiss_refused(entry["client_update_id"]))

    def keep_refusal(self, what, held, dismiss):
        """In sight (the band under the header) until dismissed, with why in words; a tray
        notification besides, for when the window is not in front."""
        text = refusal_text(what, held)
        self.refusals.add(text, dismiss)
        if self.tray is not None:
            self.tray.showMessage(_("Not saved"), text, QSystemTrayIcon.Warning)

    # ------------------------------------------------------------ the timer (SPEC 10.3)

    def attach_timer(self, tracker):
        """Follow a TimeTracker (views/timer_view.py): cards start and stop it, the header ticks."""
        self.tracker, self.timer_view = tracker, TimerView(self, tracker)

    def toggle_timer(self, task_id):
        if self.tracker is not None:
            self.tracker.toggle(task_id)

    def show_timer(self):
        if self.tracker is not None:
            self.timer_view.show()

    def show_toast(self, text):
        self.toast.setText(text)
        width = min(520, self.width() - 40)
        self.toast.setFixedWidth(width)
        self.toast.adjustSize()
        self.toast.move((self.width() - width) // 2, self.height() - self.toast.height() - 24)
        self.toast.raise_()
        self.toast.show()
        self._toast_timer.start(self.toast_ms)

    def save_geometry(self):
        """Size and position for the next start (also when the app ends by SIGTERM, unclosed)."""
        if self.settings is not None:
            self.settings.update(window_geometry=bytes(self.saveGeometry().toBase64()).decode())

    def closeEvent(self, event):
        for task_id in list(self.completing):
            self.complete_now(task_id)  # closing is not an undo
        self.save_geometry()
        self.closing.emit()
        super().closeEvent(event)
