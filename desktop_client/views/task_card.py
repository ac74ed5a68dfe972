"""One task as a card: title, priority badge, project, due date, clickable progress bar, actions."""
from datetime import datetime, timezone

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QFrame, QGraphicsDropShadowEffect, QHBoxLayout, QLabel, QLineEdit,
                             QProgressBar, QPushButton, QVBoxLayout)
from PyQt5.QtGui import QColor

from .style import PRIORITY_COLORS, STATUS_COLORS

STEP = 5
STATUS_NAMES = {"PENDING": "Pending", "IN_PROGRESS": "In progress", "DONE": "Done",
                "CANCELLED": "Cancelled"}


def percent_at(x, width):
    """The percentage a click at `x` pixels of a `width`-pixel bar means, in steps of 5."""
    if width <= 0:
        return 0
    raw = max(0.0, min(1.0, x / width)) * 100
    return int(round(raw / STEP) * STEP)


def parse_time(text):
    return datetime.fromisoformat(text) if text else None


def due_text(due, now=None):
    """'Due Mon 30 Nov, 14:00' in local time."""
    return "Due " + due.astimezone().strftime("%a %d %b, %H:%M")


def is_overdue(task, now=None):
    due = parse_time(task.get("due_date"))
    now = now or datetime.now(timezone.utc)
    return (due is not None and task["status"] in ("PENDING", "IN_PROGRESS") and due < now) \
        or bool(task.get("is_overdue") and task["status"] in ("PENDING", "IN_PROGRESS"))


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


def badge(text, color):
    label = QLabel(text)
    label.setObjectName("badge")
    label.setStyleSheet("background: %s;" % color)
    label.setAlignment(Qt.AlignCenter)
    return label


class TaskCard(QFrame):
    """Emits what the user asked for; the window hands it to the TaskManager."""
    progress_requested = pyqtSignal(int, int, str)   # task id, percentage, notes
    complete_requested = pyqtSignal(int, str)        # task id, notes

    def __init__(self, task):
        super().__init__()
        self.setObjectName("card")
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 2)
        shadow.setColor(QColor(30, 42, 58, 40))
        self.setGraphicsEffect(shadow)
        self.task, self.chosen = task, task["progress_percentage"]
        self._build()
        self.set_task(task)

    def _build(self):
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.priority = badge("", "#999")
        self.status = badge("", "#999")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status, 0, Qt.AlignTop)
        top.addWidget(self.priority, 0, Qt.AlignTop)

        self.project, self.due, self.overdue = QLabel(), QLabel(), QLabel()
        for label, name in ((self.project, "meta"), (self.due, "meta"), (self.overdue, "overdue")):
            label.setObjectName(name)
        meta = QHBoxLayout()
        meta.addWidget(self.project)
        meta.addWidget(self.due)
        meta.addWidget(self.overdue)
        meta.addStretch(1)

        self.bar = ClickableProgressBar()
        self.bar.picked.connect(self.choose)

        self.quick = {}
        actions = QHBoxLayout()
        for text, value in (("+10 %", None), ("50 %", 50), ("100 %", 100)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, v=value: self.choose(
                min(100, self.chosen + 10) if v is None else v))
            actions.addWidget(button)
            self.quick[text] = button
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("Add a note (optional)")
        self.notes.setMaxLength(2000)
        actions.addWidget(self.notes, 1)

        self.unsent = QLabel()
        self.unsent.setObjectName("unsent")
        self.update_button = QPushButton("Update Progress")
        self.update_button.setObjectName("primary")
        self.update_button.clicked.connect(self._update)
        self.complete_button = QPushButton("✓ Mark Complete")
        self.complete_button.setObjectName("complete")
        self.complete_button.clicked.connect(self._complete)
        bottom = QHBoxLayout()
        bottom.addWidget(self.unsent)
        bottom.addStretch(1)
        bottom.addWidget(self.update_button)
        bottom.addWidget(self.complete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(9)
        for part in (top, meta):
            layout.addLayout(part)
        layout.addWidget(self.bar)
        layout.addLayout(actions)
        layout.addLayout(bottom)

    def set_task(self, task):
        """Show the task as the server (or the outbox) has it; a value the user is choosing and
        the note being typed are kept."""
        dirty = self.chosen != self.task["progress_percentage"]
        self.task = task
        if not dirty or self.chosen == task["progress_percentage"]:
            self.chosen = task["progress_percentage"]
        self.title.setText(task["title"])
        color = PRIORITY_COLORS.get(task["priority"], "#999")
        self.priority.setText(task["priority"])
        self.priority.setStyleSheet("background: %s;" % color)
        self.setStyleSheet("QFrame#card { border-left: 5px solid %s; }" % color)
        self.status.setText(STATUS_NAMES.get(task["status"], task["status"]))
        self.status.setStyleSheet("background: %s;" % STATUS_COLORS.get(task["status"], "#999"))
        project = task.get("project")
        self.project.setText(project["name"] if project else "No project")
        due = parse_time(task.get("due_date"))
        self.due.setText("  ·  " + due_text(due) if due else "  ·  No due date")
        self.overdue.setText("⚠ Overdue" if is_overdue(task) else "")
        self.overdue.setVisible(is_overdue(task))
        self.unsent.setText("⏳ Saved here, waiting to send" if task.get("unsent") else "")
        open_task = task["status"] != "CANCELLED"
        for widget in list(self.quick.values()) + [self.bar, self.notes, self.update_button]:
            widget.setEnabled(open_task)
        self.complete_button.setEnabled(open_task and task["status"] != "DONE")
        self._show_chosen()

    def choose(self, value):
        self.chosen = max(0, min(100, int(value)))
        self._show_chosen()

    def _show_chosen(self):
        self.bar.setValue(self.chosen)
        self.bar.setProperty("status", "DONE" if self.chosen >= 100 else self.task["status"])
        self.bar.setProperty("dirty", "true" if self.chosen != self.task["progress_percentage"]
                             else "false")
        self.bar.style().unpolish(self.bar)
        self.bar.style().polish(self.bar)

    def _update(self):
        self.progress_requested.emit(self.task["id"], self.chosen, self.notes.text().strip())
        self.notes.clear()

    def _complete(self):
        self.complete_requested.emit(self.task["id"], self.notes.text().strip())
        self.notes.clear()
