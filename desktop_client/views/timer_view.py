"""The window's side of the timer: the header's clock ticking each second, each card's Start/Stop,
refused timer changes kept in sight with the reason in words, the question on return from idle
(IdleDialog)."""
from PyQt5.QtCore import QObject, Qt, QTimer
from PyQt5.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..language import _, current
from ..timejournal import moment
from .words import duration_text
from .style import STYLESHEET, named


def span_text(span, title):
    start, end = moment(span["started_at"]), moment(span["ended_at"])
    return _("You were away from %(start)s to %(end)s (%(span)s), and the timer on “%(task)s” "
             "stopped when you left.", start=current.clock(start), end=current.clock(end),
             span=duration_text((end - start).total_seconds()), task=title) + "\n\n" + _(
        "Were those minutes work on it?")


class IdleDialog(QDialog):
    """Keep (accept): the idle span becomes an entry of its own. Discard (reject): nothing."""

    def __init__(self, span, title, parent=None):
        super().__init__(parent)
        self.span = span
        self.setWindowTitle(_("Back from idle"))
        self.setStyleSheet(STYLESHEET)
        self.message = QLabel(span_text(span, title))
        self.message.setTextFormat(Qt.PlainText)
        self.message.setWordWrap(True)
        self.keep_button = named(QPushButton(_("Keep as work")), "primary")
        self.keep_button.setAccessibleName(_("Keep the idle minutes as work"))
        self.discard_button = QPushButton(_("Discard"))
        self.discard_button.setAccessibleName(_("Discard the idle minutes"))
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


class TimerView(QObject):
    def __init__(self, window, tracker):
        super().__init__(window)
        self.window, self.tracker, self.idle_dialog = window, tracker, None
        tracker.changed.connect(self.show)
        tracker.refused.connect(self.show_refusal)
        tracker.idle_question.connect(self.ask_idle)
        window.header.timer_stop_requested.connect(tracker.stop_timer)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self.show)
        self._tick.start(1000)
        self.show()

    def title(self, task_id):
        task = next((t for t in self.window._all if t["id"] == task_id), None)
        return task["title"] if task else _("task %(id)d", id=task_id)

    def show(self):
        run = self.tracker.running()
        header = self.window.header
        header.show_timer(self.title(run["task_id"]) if run else None, self.tracker.elapsed_seconds())
        header.show_today(self.tracker.today_seconds())
        for task_id, card in self.window.cards.items():
            running = run is not None and run["task_id"] == task_id
            if card.timer_running != running:
                card.show_timer(running)

    def show_refusal(self, op):
        title = self.title(op["task_id"])
        what = {"start": _("Starting the timer on “%(task)s”", task=title),
                "stop": _("Stopping the timer on “%(task)s”", task=title)}.get(
            op["op"], _("Time recorded on “%(task)s”", task=title))
        self.window.keep_refusal(what, op, lambda: self.tracker.dismiss_refused(op))

    def ask_idle(self, span):
        """Back from an idle period that stopped the timer: were those minutes work?"""
        self.idle_dialog = IdleDialog(span, self.title(span["task_id"]), self.window)
        self.idle_dialog.accepted.connect(lambda: self.tracker.keep_idle(span))
        self.idle_dialog.open()
