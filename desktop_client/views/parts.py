"""Small widgets the views share: a progress bar set by clicking, a badge, a row, a shadow, and
the accessible name every control carries."""
from PyQt5.QtCore import Qt, QTimer, pyqtSignal
from PyQt5.QtGui import QColor, QIcon, QPainter, QPixmap
from PyQt5.QtWidgets import (QButtonGroup, QGraphicsDropShadowEffect, QHBoxLayout, QLabel,
                             QMessageBox, QProgressBar, QPushButton)

from ..tasklist import FILTERS

from .style import named
from ..language import N_, _

STEP = 5
FILTER_NAMES = {"open": N_("Open"), "done": N_("Done"), "all": N_("All")}
FILTER_TIPS = {"open": N_("Show open tasks"), "done": N_("Show done tasks"), "all": N_("Show all tasks")}


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
        self.setToolTip(_("Click to set the progress"))

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


def single_shot(parent, slot):
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.timeout.connect(slot)
    return timer


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


def filter_buttons(parent, choose):
    """Open / Done / All as one exclusive group; `choose(name)` on a click."""
    group, layout = QButtonGroup(parent), QHBoxLayout()
    layout.setSpacing(0)
    buttons = {}
    for name in FILTERS:
        button = buttons[name] = named(QPushButton(_(FILTER_NAMES[name])), "filter")
        button.setCheckable(True)
        button.setAccessibleName(_(FILTER_TIPS[name]))
        button.clicked.connect(lambda _=False, n=name: choose(n))
        group.addButton(button)
        layout.addWidget(button)
    buttons["done"].setToolTip(_("Done and cancelled tasks"))
    return group, buttons, layout


def about_box(parent, server, source, approximate, folder):
    """The account menu's About: where the app is signed in, how presence is read, its folder."""
    box = QMessageBox(QMessageBox.Information, _("About Progress Tracker"),
                      _("Employee Progress Tracker"), QMessageBox.Ok, parent)
    source = source or "—"
    box.setInformativeText(_(
        "Signed in to %(server)s\nPresence read from: %(source)s\nApp folder and log: %(folder)s",
        server=server, folder=folder,
        source=_("%(source)s (approximate)", source=source) if approximate else source))
    return box


def place_beside(dialog, window, gap=8):
    """Put `dialog` next to `window` on its screen, right or left, narrowed to the room there
    (never below its minimum), so it does not cover the list; True when it fits. Where no side
    has room it opens over the window, modal, since the list could not be used beside it."""
    screen = (window.screen() if hasattr(window, "screen") else None)
    room = screen.availableGeometry() if screen is not None else None
    frame, width = window.frameGeometry(), dialog.width()
    least = max(dialog.minimumSizeHint().width(), 420)
    if room is not None:
        right = room.right() - frame.right() - gap
        left = frame.left() - room.left() - gap
        if max(right, left) >= least:
            width = min(width, max(right, left))
            x = frame.right() + gap if right >= least else frame.left() - gap - width
            dialog.resize(width, min(dialog.height(), room.height()))
            dialog.move(x, max(room.top(), frame.top()))
            return True
    dialog.setWindowModality(Qt.WindowModal)
    return False
