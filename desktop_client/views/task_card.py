"""One task as a card: title, priority badge, project, due date, clickable progress bar, actions."""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QAbstractSpinBox, QFrame, QGraphicsDropShadowEffect, QHBoxLayout,
                             QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox, QVBoxLayout)
from PyQt5.QtGui import QColor

from ..tasklist import is_overdue
from .style import PRIORITY_COLORS, STATUS_COLORS, named
from .words import blocked_text, due_text, parse_time, tracked_text

STEP = 5
STATUS_NAMES = {"PENDING": "Pending", "IN_PROGRESS": "In progress", "DONE": "Done",
                "CANCELLED": "Cancelled"}


def percent_at(x, width):
    """The percentage a click at `x` pixels of a `width`-pixel bar means, in steps of 5."""
    if width <= 0:
        return 0
    raw = max(0.0, min(1.0, x / width)) * 100
    return int(round(raw / STEP) * STEP)


class ClickableProgressBar(QProgressBar):
    """A progress bar the user sets by clicking or dragging on it."""
    picked = pyqtSignal(int)

    def __init__(self):
        super().__init__()
        self.setRange(0, 100)
        self.setFormat("%p %")
        self.setCursor(Qt.PointingHandCursor)
        self.setFixedHeight(18)
        self.setToolTip("Click to set the progress")

    def mousePressEvent(self, event):
        if self.isEnabled() and event.button() == Qt.LeftButton:
            self.picked.emit(percent_at(event.pos().x(), self.width()))

    def mouseMoveEvent(self, event):
        if self.isEnabled() and event.buttons() & Qt.LeftButton:
            self.picked.emit(percent_at(event.pos().x(), self.width()))


def accessible(widget, name, description=""):
    """The widget, with the name (and description) a screen reader announces."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def badge(text, color):
    label = named(QLabel(text), "badge")
    label.setStyleSheet("background: %s;" % color)
    label.setAlignment(Qt.AlignCenter)
    return label


def row(*widgets, stretch_at=None):
    """A horizontal layout of `widgets`; a stretch goes in at index `stretch_at` (None: none)."""
    layout = QHBoxLayout()
    for index, widget in enumerate(widgets):
        if index == stretch_at:
            layout.addStretch(1)
        layout.addWidget(widget)
    if stretch_at == len(widgets):
        layout.addStretch(1)
    return layout


def drop_shadow(parent):
    shadow = QGraphicsDropShadowEffect(parent)
    shadow.setBlurRadius(18)
    shadow.setOffset(0, 2)
    shadow.setColor(QColor(30, 42, 58, 40))
    return shadow


QUICK_PICKS = (("+10 %", 10, None), ("50 %", None, 50), ("100 %", None, 100))  # text, step, value


class TaskCard(QFrame):
    """Emits what the user asked for; the window hands it to the TaskManager."""
    progress_requested = pyqtSignal(int, int, str)   # task id, progress_percentage, notes
    complete_requested = pyqtSignal(int, str)        # task id, notes
    history_requested = pyqtSignal(int)              # task id
    timer_requested = pyqtSignal(int)                # task id: start its timer, or stop it
    comments_requested = pyqtSignal(int)             # task id

    def __init__(self, task):
        super().__init__()
        self.setObjectName("card")
        self.setGraphicsEffect(drop_shadow(self))
        # What the bar shows: the task's value, or the one the user is choosing before sending.
        self.task, self.progress_percentage = task, task["progress_percentage"]
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
        layout.addLayout(self._buttons())

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
        self.tracked.setAccessibleName("Tracked time")
        return row(self.project, self.due, self.tracked, self.overdue, self.blocked, stretch_at=5)

    def _progress(self):
        self.bar = accessible(ClickableProgressBar(), "Progress", "Click to choose the progress")
        self.bar.picked.connect(self.choose)
        self.spin = accessible(QSpinBox(), "Exact progress percentage")
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
        for text, step, value in QUICK_PICKS:
            button = self.quick[text] = accessible(QPushButton(text), "Set progress " + text)
            button.clicked.connect(lambda _=False, s=step, v=value: self.choose(
                min(100, self.progress_percentage + s) if v is None else v))
            actions.addWidget(button)
        self.notes = accessible(QLineEdit(), "Note", "Sent with the next update")
        self.notes.setPlaceholderText("Add a note (optional)")
        self.notes.setMaxLength(2000)
        actions.addWidget(self.notes, 1)
        return actions

    def _buttons(self):
        self.unsent = named(QLabel(), "unsent")
        self.history_button = accessible(QPushButton("History"), "Show the task's history")
        self.history_button.clicked.connect(lambda: self.history_requested.emit(self.task["id"]))
        self.comments_button = accessible(QPushButton("Comments"), "Show the task's comments")
        self.comments_button.clicked.connect(lambda: self.comments_requested.emit(self.task["id"]))
        self.timer_button = named(QPushButton(), "timer")
        self.timer_button.clicked.connect(lambda: self.timer_requested.emit(self.task["id"]))
        self.show_timer(False)
        self.update_button = accessible(named(QPushButton("Update Progress"), "primary"),
                                        "Update progress")
        self.update_button.clicked.connect(self._update)
        self.complete_button = accessible(named(QPushButton("✓ Mark Complete"), "complete"),
                                          "Mark complete")
        self.complete_button.clicked.connect(self._complete)
        return row(self.unsent, self.timer_button, self.comments_button, self.history_button,
                   self.update_button, self.complete_button, stretch_at=1)

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
        self.comments_button.setText("Comments (%d)" % count if count else "Comments")
        self.unsent.setText("⏳ Saved here, waiting to send" if task.get("unsent") else "")
        open_task = task["status"] != "CANCELLED"
        for widget in list(self.quick.values()) + [self.bar, self.spin, self.notes,
                                                   self.update_button]:
            widget.setEnabled(open_task)
        self.timer_button.setEnabled(open_task or self.timer_running)  # a running one can stop
        self.tracked.setText(tracked_text(task))
        self.complete_button.setEnabled(open_task and task["status"] != "DONE" and not blocked_text(task))
        self._explain_block(task)
        self._show_chosen()

    def show_timer(self, running):
        """Start or Stop, as this task's timer runs or not."""
        self.timer_running = running
        self.timer_button.setText("■ Stop timer" if running else "▶ Start timer")
        self.timer_button.setAccessibleName("Stop the timer" if running else "Start a timer")
        self.timer_button.setProperty("running", "true" if running else "false")
        self.timer_button.style().unpolish(self.timer_button)
        self.timer_button.style().polish(self.timer_button)
        self.timer_button.setEnabled(running or self.task["status"] != "CANCELLED")

    def _explain_block(self, task):
        """Say what blocks the task, and why Complete is refused, before anyone presses it."""
        text = blocked_text(task)
        self.blocked.setText("⛔ " + text if text else "")
        self.blocked.setVisible(bool(text))
        why = ("%s: it can be completed once they are done or cancelled" % text) if text else ""
        self.complete_button.setToolTip(why)
        self.complete_button.setAccessibleDescription(why)

    def _show_heading(self, task):
        self.title.setText(task["title"])
        color = PRIORITY_COLORS.get(task["priority"], "#999")
        self.priority.setText(task["priority"])
        self.priority.setStyleSheet("background: %s;" % color)
        self.setStyleSheet("QFrame#card { border-left: 5px solid %s; }" % color)
        self.status.setText(STATUS_NAMES.get(task["status"], task["status"]))
        self.status.setStyleSheet("background: %s;" % STATUS_COLORS.get(task["status"], "#999"))

    def _show_meta(self, task):
        description = (task.get("description") or "").strip()
        self.description.setText(description)
        self.description.setVisible(bool(description))
        self.setAccessibleName("Task: %s" % task["title"])
        project = task.get("project")
        self.project.setText(project["name"] if project else "No project")
        due = parse_time(task.get("due_date"))
        self.due.setText("  ·  " + due_text(due) if due else "  ·  No due date")
        overdue = is_overdue(task)
        self.overdue.setText("⚠ Overdue" if overdue else "")
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
