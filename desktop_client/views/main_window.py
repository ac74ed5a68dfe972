"""The main window: a header with connection and occupancy, the "Assigned Tasks" cards, toasts."""
import html

from PyQt5.QtCore import Qt, QTimer, pyqtSignal
from PyQt5.QtGui import QColor, QIcon, QPainter, QPixmap
from PyQt5.QtWidgets import (QFrame, QHBoxLayout, QLabel, QMainWindow, QMenu, QScrollArea,
                             QSystemTrayIcon, QVBoxLayout, QWidget)

from ..tasklist import ms_to_next_overdue
from .style import CONNECTION, OCCUPANCY, STYLESHEET, named
from .task_card import TaskCard


def pill():
    label = named(QLabel(), "pill")
    label.setTextFormat(Qt.RichText)
    return label


def single_shot(parent, slot):
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.timeout.connect(slot)
    return timer


def pill_text(text, color):
    return '<span style="color:%s">●</span>&nbsp;%s' % (color, html.escape(text))


def app_icon(color="#2f80ed"):
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.NoPen)
    painter.drawRoundedRect(4, 4, 56, 56, 14, 14)
    painter.setPen(QColor("#ffffff"))
    font = painter.font()
    font.setPixelSize(36)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), Qt.AlignCenter, "✓")
    painter.end()
    return QIcon(pixmap)


def connection_text(state, unsent):
    name, color = CONNECTION[state]
    if unsent and state == "offline":
        return "%s — %d unsent" % (name, unsent), color
    if unsent:
        return "%s — sending %d" % (name, unsent), color
    return name, color


class MainWindow(QMainWindow):
    closing = pyqtSignal()

    def __init__(self, manager, user=None, toast_ms=6000):
        super().__init__()
        self.manager, self.user, self.toast_ms = manager, user or {}, toast_ms
        self.cards = {}
        self.setWindowTitle("Employee Progress Tracker")
        self.setWindowIcon(app_icon())
        self.setStyleSheet(STYLESHEET)
        self.resize(760, 720)
        self._build()
        manager.tasks_changed.connect(self.show_tasks)
        manager.connection_changed.connect(self.show_connection)
        manager.update_refused.connect(self.show_refusal)
        manager.auth_required.connect(self.show_signed_out)
        self.tray = self._tray()
        self.show_connection(manager.state, manager.unsent())
        self.show_occupancy("ACTIVE")

    def _build(self):
        page = named(QWidget(), "page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header())
        layout.addWidget(self._task_column(), 1)
        self.setCentralWidget(page)
        self.toast = named(QLabel(self), "toast")
        self.toast.setWordWrap(True)
        self.toast.hide()
        self._toast_timer = single_shot(self, self.toast.hide)
        # Due dates pass with no event: redraw the cards when the next one turns overdue.
        self._overdue_timer = single_shot(self, lambda: self.show_tasks(self._shown))
        self._shown = []

    def _header(self):
        header = named(QFrame(), "header")
        who = named(QLabel(self.user.get("full_name") or self.user.get("username") or ""),
                    "appUser")
        self.connection, self.occupancy = pill(), pill()
        row = QHBoxLayout(header)
        row.setContentsMargins(20, 14, 20, 14)
        row.addWidget(named(QLabel("Progress Tracker"), "appTitle"))
        row.addSpacing(12)
        row.addWidget(who)
        row.addStretch(1)
        row.addWidget(self.occupancy)
        row.addWidget(self.connection)
        return header

    def _task_column(self):
        self.count = named(QLabel(), "sectionCount")
        heading = QHBoxLayout()
        heading.addWidget(named(QLabel("Assigned Tasks"), "sectionTitle"))
        heading.addWidget(self.count)
        heading.addStretch(1)
        self.empty = named(QLabel("No tasks assigned to you yet."), "empty")
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
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _tray(self):
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        tray = QSystemTrayIcon(app_icon(), self)
        menu = QMenu(self)
        menu.addAction("Show", self.showNormal)
        menu.addAction("Quit", self.close)
        tray.setContextMenu(menu)
        tray.setToolTip("Employee Progress Tracker")
        tray.show()
        return tray

    # ------------------------------------------------------------ slots

    def show_tasks(self, tasks):
        """Update cards in place (a note being typed survives a push), add new, drop gone."""
        seen = set()
        for position, task in enumerate(tasks):
            seen.add(task["id"])
            card = self.cards.get(task["id"])
            if card is None:
                card = self.cards[task["id"]] = TaskCard(task)
                card.progress_requested.connect(self.manager.submit_progress)
                card.complete_requested.connect(self.manager.complete)
            else:
                card.set_task(task)
            self.list.insertWidget(position, card)
        for task_id in set(self.cards) - seen:
            self.cards.pop(task_id).deleteLater()
        self.empty.setVisible(not tasks)
        open_count = sum(1 for t in tasks if t["status"] in ("PENDING", "IN_PROGRESS"))
        self.count.setText("  %d open · %d total" % (open_count, len(tasks)))
        self._watch_overdue(tasks)

    def _watch_overdue(self, tasks):
        self._shown = tasks
        wait = ms_to_next_overdue(tasks)
        if wait is None:
            self._overdue_timer.stop()
        else:
            self._overdue_timer.start(wait)

    def show_connection(self, state, unsent):
        text, color = connection_text(state, unsent)
        self.connection.setText(pill_text(text, color))
        self.connection.setToolTip({"live": "Updates arrive as they happen",
                                    "polling": "Checking for updates every few seconds",
                                    "offline": "The server does not answer; updates are kept "
                                               "on this computer and sent when it is back"}[state])

    def show_signed_out(self):
        unsent = self.manager.unsent()
        text = "Signed out — %d unsent" % unsent if unsent else "Signed out"
        self.connection.setText(pill_text(text, CONNECTION["offline"][1]))
        self.connection.setToolTip("Sign in again to send your updates; they are kept meanwhile")

    def show_occupancy(self, state):
        name, color = OCCUPANCY[state]
        self.occupancy.setText(pill_text(name, color))

    def show_refusal(self, entry):
        task = next((c.task for c in self.cards.values() if c.task["id"] == entry["task_id"]), None)
        what = "“%s”" % task["title"] if task else "task %d" % entry["task_id"]
        verb = ("Completion" if entry["kind"] == "complete"
                else "Update to %d %%" % entry["progress_percentage"])
        self.show_toast("%s of %s was refused: %s" % (verb, what, entry["refused_reason"]))
        if self.tray is not None:
            self.tray.showMessage("Update refused", self.toast.text(), QSystemTrayIcon.Warning)
        self.manager.dismiss_refused(entry["client_update_id"])

    def show_toast(self, text):
        self.toast.setText(text)
        width = min(520, self.width() - 40)
        self.toast.setFixedWidth(width)
        self.toast.adjustSize()
        self.toast.move((self.width() - width) // 2, self.height() - self.toast.height() - 24)
        self.toast.raise_()
        self.toast.show()
        self._toast_timer.start(self.toast_ms)

    def closeEvent(self, event):
        self.closing.emit()
        super().closeEvent(event)
