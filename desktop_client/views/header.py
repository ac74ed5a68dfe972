"""The window's header: who is signed in, occupancy (and how it is read), connection, account
menu; below them the running timer and the time tracked today."""
import functools
import html

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QVBoxLayout

from .style import CONNECTION, OCCUPANCY, named
from .words import clock_text, duration_text
from .. import language
from ..language import N_, _

CONNECTION_TIPS = {"live": N_("Updates arrive as they happen"),
                   "polling": N_("Checking for updates every few seconds"),
                   "offline": N_("The server does not answer; updates are kept on this computer "
                                 "and sent when it is back")}


def pill():
    label = named(QLabel(), "pill")
    label.setTextFormat(Qt.RichText)
    return label


def pill_text(text, color):
    return '<span style="color:%s">●</span>&nbsp;%s' % (color, html.escape(text))


def connection_text(state, unsent):
    name, color = CONNECTION[state]
    if unsent and state == "offline":
        return _("%(state)s — %(count)d unsent", state=_(name), count=unsent), color
    if unsent:
        return _("%(state)s — sending %(count)d", state=_(name), count=unsent), color
    return _(name), color


class Header(QFrame):
    sign_out_requested = pyqtSignal()
    about_requested = pyqtSignal()
    timer_stop_requested = pyqtSignal()
    language_requested = pyqtSignal(str)  # a language tag: pt-BR

    def __init__(self, user):
        super().__init__()
        self.setObjectName("header")
        self.presence_source, self.approximate = "", False
        self.who = named(QLabel(user.get("full_name") or user.get("username") or ""), "appUser")
        self.who.setTextFormat(Qt.PlainText)
        self.connection, self.occupancy = pill(), pill()
        self.connection.setAccessibleName(_("Connection"))
        self.occupancy.setAccessibleName(_("Presence"))
        self.menu_button = named(QToolButton(), "account")
        self.menu_button.setText("☰")
        self.menu_button.setAccessibleName(_("Account menu"))
        self.menu_button.setPopupMode(QToolButton.InstantPopup)
        self.menu = QMenu(self.menu_button)
        self.menu.addAction(_("About and presence…"), self.about_requested.emit)
        self.menu.addAction(_("Sign out"), self.sign_out_requested.emit)
        self.menu.addSeparator()
        self.menu.addMenu(self._languages())
        self.menu_button.setMenu(self.menu)
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 14, 14, 10)
        column.setSpacing(8)
        row = QHBoxLayout()
        row.addWidget(named(QLabel("Progress Tracker"), "appTitle"))
        row.addSpacing(12)
        row.addWidget(self.who)
        row.addStretch(1)
        self.dashboard = self._dashboard_link(user.get("dashboard_url"))
        if self.dashboard is not None:
            row.addWidget(self.dashboard)
        for widget in (self.occupancy, self.connection, self.menu_button):
            row.addWidget(widget)
        column.addLayout(row)
        column.addLayout(self._timer_row())
        self.state = "ACTIVE"

    def _languages(self):
        """The account menu's Language submenu: each language named in its own words."""
        menu = QMenu(_("Language"), self.menu)
        for code in language.shipped():
            action = menu.addAction(language.name_of(code))
            action.setCheckable(True)
            action.setChecked(code == language.current.code)
            action.triggered.connect(functools.partial(self.language_requested.emit, code))
        return menu

    @staticmethod
    def _dashboard_link(url):
        """"Open dashboard" for a team's lead or viewer (and admins): the monitor in the browser."""
        if not url:
            return None
        link = named(QLabel('<a href="%s">%s</a>' % (html.escape(url, quote=True),
                                                    html.escape(_("Open dashboard")))), "dashboard")
        link.setTextFormat(Qt.RichText)
        link.setOpenExternalLinks(True)
        link.setAccessibleName(_("Open dashboard in the browser"))
        return link

    def _timer_row(self):
        """The running timer (task, elapsed, Stop) and today's total."""
        self.timer_task = named(QLabel(), "timerTask")
        self.timer_task.setTextFormat(Qt.PlainText)
        self.timer_clock = named(QLabel(), "timerClock")
        self.timer_clock.setAccessibleName(_("Running timer"))
        self.timer_stop = named(QPushButton("■ " + _("Stop")), "timerStop")
        self.timer_stop.setAccessibleName(_("Stop the running timer"))
        self.timer_stop.clicked.connect(self.timer_stop_requested.emit)
        self.today = named(QLabel(), "today")
        self.today.setAccessibleName(_("Time tracked today"))
        row = QHBoxLayout()
        row.setSpacing(10)
        for widget in (self.timer_clock, self.timer_task, self.timer_stop):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.today)
        self.show_timer(None, 0)
        self.show_today(0)
        return row

    def show_timer(self, title, elapsed_seconds):
        """The running timer's task and elapsed time; `title` None: no timer runs."""
        running = title is not None
        self.timer_clock.setText("⏱ " + clock_text(elapsed_seconds) if running
                                 else "⏱ " + _("No timer running"))
        self.timer_clock.setAccessibleDescription(
            _("%(clock)s on %(task)s", clock=clock_text(elapsed_seconds), task=title) if running
            else _("No timer running"))
        if self.timer_clock.property("running") != running:
            self.timer_clock.setProperty("running", running)
            self.timer_clock.style().unpolish(self.timer_clock)
            self.timer_clock.style().polish(self.timer_clock)
        self.timer_task.setText(title or "")
        self.timer_task.setVisible(running)
        self.timer_stop.setVisible(running)

    def show_today(self, seconds):
        self.today.setText(_("Today %(duration)s", duration=duration_text(seconds)))

    def show_occupancy(self, state):
        self.state = state
        name, color = OCCUPANCY[state]
        name = _(name)
        if self.approximate and state != "OFFLINE":
            name = _("%(state)s (approx.)", state=name)
        self.occupancy.setText(pill_text(name, color))
        self.occupancy.setToolTip(self.presence_tip())

    def presence_tip(self):
        if not self.presence_source:
            return ""
        if self.approximate:
            return _("Presence is approximate: read from %(source)s, so work in other programs is "
                     "not seen", source=self.presence_source)
        return _("Presence read from %(source)s", source=self.presence_source)

    def show_presence_source(self, name, exact):
        self.presence_source, self.approximate = name, not exact
        self.show_occupancy(self.state)

    def show_connection(self, state, unsent):
        text, color = connection_text(state, unsent)
        self.connection.setText(pill_text(text, color))
        self.connection.setToolTip(_(CONNECTION_TIPS[state]))

    def show_signed_out(self, unsent):
        text = _("Signed out — %(count)d unsent", count=unsent) if unsent else _("Signed out")
        self.connection.setText(pill_text(text, CONNECTION["offline"][1]))
        self.connection.setToolTip(_("Sign in again to send your updates; they are kept meanwhile"))


class Refusals(QFrame):
    """Changes the server refused for good, each with why in words, in sight until the person
    dismisses it: a refused change is never dropped silently (a timer recorded offline too late,
    an update to a task cancelled meanwhile)."""

    def __init__(self):
        super().__init__()
        self.setObjectName("refusals")
        self.setStyleSheet("QFrame#refusals { background: #fdecea; border-bottom: 1px solid "
                           "#f5c2c0; } QLabel { color: #7f1d1d; }")
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(16, 6, 16, 6)
        self.items = []
        self.hide()

    def add(self, text, dismiss):
        """One refusal: `text` (plain), `dismiss()` when the person has read it."""
        label = QLabel(text)
        label.setTextFormat(Qt.PlainText)
        label.setWordWrap(True)
        button = QPushButton(_("Dismiss"))
        button.setAccessibleName(_("Dismiss: %(task)s", task=text))
        line = QHBoxLayout()
        line.addWidget(label, 1)
        line.addWidget(button, 0, Qt.AlignTop)
        holder = QFrame()
        holder.setLayout(line)
        self.rows.addWidget(holder)
        self.items.append(holder)
        button.clicked.connect(lambda: self._dismiss(holder, dismiss))
        self.show()
        return holder

    def _dismiss(self, holder, dismiss):
        dismiss()
        self.items.remove(holder)
        holder.deleteLater()
        self.setVisible(bool(self.items))
