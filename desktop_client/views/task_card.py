"""One task as a card: title, priority badge, project, due date, clickable progress bar, actions."""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QAbstractSpinBox, QFrame, QHBoxLayout, QLabel, QLineEdit,
                             QPushButton, QSpinBox, QVBoxLayout)

from ..tasklist import is_overdue
from .parts import ClickableProgressBar, accessible, badge, drop_shadow, percent_at, row  # noqa: F401
from .style import PRIORITY_COLORS, STATUS_COLORS, named
from .words import blocked_text, due_text, parse_time, tracked_text
from ..language import N_, _, current

STATUS_NAMES = {"PENDING": N_("Pending"), "IN_PROGRESS": N_("In progress"), "DONE": N_("Done"),
                "CANCELLED": N_("Cancelled")}
PRIORITY_NAMES = {"LOW": N_("Low"), "MEDIUM": N_("Medium"), "HIGH": N_("High"), "URGENT": N_("Urgent")}


QUICK_PICKS = (("+10 %", 10, None), ("50 %", None, 50), ("100 %", None, 100))  # key, step, value


class TaskCard(QFrame):
    """Emits what the user asked for; the window hands it to the TaskManager."""
    progress_requested = pyqtSignal(int, int, str)   # task id, progress_percentage, notes
    complete_requested = pyqtSignal(int, str)        # task id, notes
    history_requested = pyqtSignal(int)              # task id
    timer_requested = pyqtSignal(int)                # task id: start its timer, or stop it
    comments_requested = pyqtSignal(int)             # task id
    undo_requested = pyqtSignal(int)                 # task id: take back Mark Complete

    def __init__(self, task):
        super().__init__()
        self.setObjectName("card")
        self.setGraphicsEffect(drop_shadow(self))
        # What the bar shows: the task's value, or the one the user is choosing before sending.
        self.task, self.progress_percentage = task, task["progress_percentage"]
        self.completing = self.reopening = False
        self._build()
        self.set_task(task)

    def _build(self):
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(9)
        layout.addLayout(self._heading())
        layout.addLayout(self._meta())
        self.description = named(QLabel(), "description")
        self.description.setTextFormat(Qt.PlainText)  # the admin's text, never markup
        self.description.setWordWrap(True)
        self.description.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.description)
        layout.addLayout(self._progress())
        layout.addLayout(self._actions())
        self.unsent = named(QLabel(), "unsent")  # its own line: it never widens the card
        self.unsent.setWordWrap(True)
        layout.addWidget(self.unsent)
        self.closed = named(QLabel(), "meta")  # done or cancelled: why nothing can be changed
        layout.addWidget(self.closed)
        layout.addLayout(self._buttons())
        layout.addLayout(self._undo_row())
        for label in self.findChildren(QLabel):
            label.setTextFormat(Qt.PlainText)  # titles, projects, notes: the server's text

    def _heading(self):
        self.title = named(QLabel(), "cardTitle")
        self.title.setWordWrap(True)
        self.priority, self.status = badge("", "#999"), badge("", "#999")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status, 0, Qt.AlignTop)
        top.addWidget(self.priority, 0, Qt.AlignTop)
        return top

    def _meta(self):
        self.project, self.due = named(QLabel(), "meta"), named(QLabel(), "meta")
        self.overdue = named(QLabel(), "overdue")
        self.blocked = named(QLabel(), "blocked")  # what it waits for (SPEC 10.2)
        self.blocked.setStyleSheet("color: #991b1b; font-weight: 600;")
        self.tracked = named(QLabel(), "meta")  # tracked time against the estimate (SPEC 10.3)
        self.tracked.setAccessibleName(_("Tracked time"))
        return row(self.project, self.due, self.tracked, self.overdue, self.blocked, stretch_at=5)

    def _progress(self):
        self.bar = accessible(ClickableProgressBar(), _("Progress"), _("Click to choose the progress"))
        self.bar.picked.connect(self.choose)
        self.spin = accessible(QSpinBox(), _("Exact progress percentage"))
        self.spin.setRange(0, 100)
        self.spin.setSuffix(" %")
        # Typed (or the arrow keys): the bar and quick buttons are the mouse's way.
        self.spin.setButtonSymbols(QAbstractSpinBox.NoButtons)
        self.spin.setAlignment(Qt.AlignRight)
        self.spin.setFixedWidth(64)
        self.spin.setKeyboardTracking(False)  # typing "75" must not pass through 7 on the way
        self.spin.valueChanged.connect(self.choose)
        return row(self.bar, self.spin)

    def _actions(self):
        self.quick = {}
        actions = QHBoxLayout()
        for key, step, value in QUICK_PICKS:
            text = _("+%(percent)s %%", percent=step) if step else _("%(percent)s %%", percent=value)
            button = self.quick[key] = accessible(QPushButton(text), _("Set progress %(step)s",
                                                                      step=text))
            button.clicked.connect(lambda _=False, s=step, v=value: self.choose(
                min(100, self.progress_percentage + s) if v is None else v))
            actions.addWidget(button)
        self.notes = accessible(QLineEdit(), _("Note"), _("Sent with the next update"))
        self.notes.setPlaceholderText(_("Add a note (optional)"))
        self.notes.setMaxLength(2000)
        actions.addWidget(self.notes, 1)
        return actions

    def _undo_row(self):
        """After Mark Complete: a few seconds to take it back before it is saved."""
        self.undo_text = named(QLabel(_("Marked complete: saved in a few seconds.")), "meta")
        self.undo_button = accessible(QPushButton(_("Undo")), _("Undo mark complete"))
        self.undo_button.clicked.connect(lambda: self.undo_requested.emit(self.task["id"]))
        self.set_completing(False)
        return row(self.undo_text, self.undo_button, stretch_at=1)

    def set_completing(self, completing):
        self.completing = completing
        self.undo_text.setVisible(completing)
        self.undo_button.setVisible(completing)
        if hasattr(self, "complete_button"):
            self._show_closed(self.task)

    def _buttons(self):
        self.history_button = accessible(QPushButton(_("History")), _("Show the task's history"))
        self.history_button.clicked.connect(lambda: self.history_requested.emit(self.task["id"]))
        self.comments_button = accessible(QPushButton(_("Comments")), _("Show the task's comments"))
        self.comments_button.clicked.connect(lambda: self.comments_requested.emit(self.task["id"]))
        self.timer_button = named(QPushButton(), "timer")
        self.timer_button.clicked.connect(lambda: self.timer_requested.emit(self.task["id"]))
        self.show_timer(False)
        self.update_button = accessible(named(QPushButton(_("Update Progress")), "primary"),
                                        _("Update progress"))
        self.update_button.clicked.connect(self._update)
        self.complete_button = accessible(named(QPushButton("✓ " + _("Mark Complete")), "complete"),
                                          _("Mark complete"))
        self.complete_button.clicked.connect(self._complete)
        # The server reopens a done task when its progress is lowered (SPEC 2): Reopen opens
        # the card again to choose where the work stands.
        self.reopen_button = accessible(QPushButton(_("Reopen")), _("Reopen the task"))
        self.reopen_button.clicked.connect(self.reopen)
        return row(self.timer_button, self.comments_button, self.history_button,
                   self.reopen_button, self.update_button, self.complete_button, stretch_at=3)

    def set_task(self, task):
        """Show the task as the server (or the outbox) has it; a value the user is choosing and
        the note being typed are kept."""
        choosing = self.progress_percentage != self.task["progress_percentage"]
        self.task = task
        if not choosing or self.progress_percentage == task["progress_percentage"]:
            self.progress_percentage = task["progress_percentage"]
        self._show_heading(task)
        self._show_meta(task)
        count = task.get("comment_count") or 0
        self.comments_button.setText(_("Comments (%(count)d)", count=count) if count else _("Comments"))
        self.unsent.setText("⏳ " + _("Saved here, waiting to send") if task.get("unsent") else "")
        self.unsent.setVisible(bool(task.get("unsent")))
        open_task = task["status"] != "CANCELLED"
        for widget in list(self.quick.values()) + [self.bar, self.spin, self.notes,
                                                   self.update_button]:
            widget.setEnabled(open_task)
        self.timer_button.setEnabled(open_task or self.timer_running)  # a running one can stop
        self.tracked.setText(tracked_text(task))
        self.complete_button.setEnabled(open_task and task["status"] != "DONE" and not blocked_text(task))
        self._explain_block(task)
        self._show_chosen()
        self._show_closed(task)

    def _show_closed(self, task):
        """Done or cancelled tasks are read-only: no bar, no Update, no Start timer; a done one
        offers Reopen (an employee may lower its progress), a cancelled one nothing (an admin
        cancelled it). Likewise read-only while Mark Complete can still be undone."""
        done = task["status"] == "DONE"
        self.reopening = self.reopening and done
        closed = (done and not self.reopening) or task["status"] == "CANCELLED" or self.completing
        for widget in list(self.quick.values()) + [self.bar, self.spin, self.notes,
                                                   self.update_button]:
            widget.setVisible(not closed)
        self.complete_button.setVisible(not closed and not done)
        self.reopen_button.setVisible(done and not self.reopening and not self.completing)
        self.timer_button.setVisible(not closed and not done or self.timer_running)
        words = {"DONE": _("Done: read-only. Reopen it if work remains."),
                 "CANCELLED": _("Cancelled: read-only.")}.get(task["status"], "")
        if self.reopening:
            words = _("Reopening: choose where it stands and press Update Progress.")
        self.closed.setText(words)
        self.closed.setVisible(bool(words) and not self.completing)

    def reopen(self):
        self.reopening = True
        self.choose(90)
        self._show_closed(self.task)
        self.spin.setFocus()

    def show_timer(self, running):
        """Start or Stop, as this task's timer runs or not."""
        self.timer_running = running
        self.timer_button.setText("■ " + _("Stop timer") if running else "▶ " + _("Start timer"))
        self.timer_button.setAccessibleName(_("Stop the timer") if running else _("Start a timer"))
        self.timer_button.setProperty("running", "true" if running else "false")
        self.timer_button.style().unpolish(self.timer_button)
        self.timer_button.style().polish(self.timer_button)
        self.timer_button.setEnabled(running or self.task["status"] != "CANCELLED")
        if hasattr(self, "complete_button"):  # not while the card is being built
            self._show_closed(self.task)

    def _explain_block(self, task):
        """Say what blocks the task, and why Complete is refused, before anyone presses it."""
        text = blocked_text(task)
        self.blocked.setText("⛔ " + text if text else "")
        self.blocked.setVisible(bool(text))
        why = _("%(blocked)s: it can be completed once they are done or cancelled",
                blocked=text) if text else ""
        self.complete_button.setToolTip(why)
        self.complete_button.setAccessibleDescription(why)

    def _show_heading(self, task):
        self.title.setText(task["title"])
        color = PRIORITY_COLORS.get(task["priority"], "#999")
        self.priority.setText(_(PRIORITY_NAMES[task["priority"]]).upper()
                              if task["priority"] in PRIORITY_NAMES else task["priority"])
        self.priority.setStyleSheet("background: %s;" % color)
        side = "right" if current.direction == "rtl" else "left"  # the side a line starts on
        self.setStyleSheet("QFrame#card { border-%s: 5px solid %s; }" % (side, color))
        self.status.setText(_(STATUS_NAMES[task["status"]]) if task["status"] in STATUS_NAMES
                            else task["status"])
        self.status.setStyleSheet("background: %s;" % STATUS_COLORS.get(task["status"], "#999"))

    def _show_meta(self, task):
        description = (task.get("description") or "").strip()
        self.description.setText(description)
        self.description.setVisible(bool(description))
        self.setAccessibleName(_("Task: %(title)s", title=task["title"]))
        project = task.get("project")
        self.project.setText(project["name"] if project else _("No project"))
        due = parse_time(task.get("due_date"))
        self.due.setText("  ·  " + (due_text(due) if due else _("No due date")))
        overdue = is_overdue(task)
        self.overdue.setText("⚠ " + _("Overdue") if overdue else "")
        self.overdue.setVisible(overdue)

    def choose(self, progress_percentage):
        self.progress_percentage = max(0, min(100, int(progress_percentage)))
        self._show_chosen()

    def _show_chosen(self):
        chosen = self.progress_percentage
        self.bar.setValue(chosen)
        if self.spin.value() != chosen:
            self.spin.blockSignals(True)  # the spin box shows the choice; it is not a new one
            self.spin.setValue(chosen)
            self.spin.blockSignals(False)
        self.bar.setProperty("status", "DONE" if chosen >= 100 else self.task["status"])
        self.bar.setProperty("dirty", "true" if chosen != self.task["progress_percentage"]
                             else "false")
        # 100 % is a completion: refused while blocked, so not offered (the label says why).
        blocked = bool(blocked_text(self.task)) and self.task["status"] != "CANCELLED"
        if blocked:
            self.update_button.setEnabled(chosen < 100)
        self.bar.style().unpolish(self.bar)
        self.bar.style().polish(self.bar)

    def _update(self):
        self.progress_requested.emit(self.task["id"], self.progress_percentage,
                                     self.notes.text().strip())
        self.notes.clear()

    def _complete(self):
        self.complete_requested.emit(self.task["id"], self.notes.text().strip())
        self.notes.clear()
