"""Colours and the one stylesheet of the app: the web pages' palette, mirrored."""
from ..language import N_

# The same values as the :root block of static/css/app.css and webapp.css (a test compares them):
# one palette, every text colour at WCAG AA on the light backgrounds, white text on the badges.
PALETTE = {
    "bg": "#f4f6f9", "surface": "#ffffff", "ink": "#111827", "ink-2": "#374151",
    "muted": "#4b5563", "line": "#e5e7eb", "line-2": "#d1d5db", "brand": "#1d4ed8",
    "brand-ink": "#ffffff", "focus": "#2563eb",
    "pending": "#92400e", "pending-bg": "#fef3c7", "pending-bar": "#f5b800",
    "progress": "#1d4ed8", "progress-bg": "#dbeafe", "progress-bar": "#3b82f6",
    "done": "#166534", "done-bg": "#dcfce7", "done-bar": "#22c55e",
    "cancelled": "#4b5563", "cancelled-bg": "#f3f4f6",
    "danger": "#b91c1c", "danger-bg": "#fee2e2", "warn": "#9a3412", "warn-bg": "#ffedd5",
    "prio-low": "#4b5563", "prio-medium": "#3730a3", "prio-medium-bg": "#e0e7ff",
    "stale": "#5b21b6", "stale-bg": "#ede9fe",
    "active": "#16a34a", "idle": "#f59e0b", "offline": "#111827",
}
_P = PALETTE
# Badge backgrounds under white text: the palette's text colours, each above 5:1 against white.
PRIORITY_COLORS = {"LOW": _P["prio-low"], "MEDIUM": _P["prio-medium"], "HIGH": _P["warn"],
                   "URGENT": _P["danger"]}
STATUS_COLORS = {"PENDING": _P["pending"], "IN_PROGRESS": _P["progress"], "DONE": _P["done"],
                 "CANCELLED": _P["cancelled"]}
# Dots beside a written state on the dark header: light tints, as the web app's bar shows them.
# The names are said in the app's language where they are shown (N_ marks them for the catalogs).
CONNECTION = {"live": (N_("Live"), "#4ade80"), "polling": (N_("Polling"), "#fbbf24"),
              "offline": (N_("Offline"), "#f87171")}
OCCUPANCY = {"ACTIVE": (N_("Active"), "#4ade80"), "IDLE": (N_("Idle"), "#fb923c"),
             "OFFLINE": (N_("Offline"), "#9ca3af")}

STYLESHEET = """
QMainWindow, QWidget#page { background: %(bg)s; }
QWidget { font-family: "DejaVu Sans", "Noto Sans", "Noto Sans CJK JP", "Noto Sans Arabic", "Segoe UI", sans-serif;
          font-size: 10pt; color: %(ink)s; }
QFrame#header { background: #1e2a3a; }
QLabel#appTitle { color: #ffffff; font-size: 15pt; font-weight: bold; }
QLabel#appUser { color: #b8c4d6; }
QLabel#timerClock { color: #ffffff; font-weight: bold; font-size: 11pt; }
QLabel#timerClock[running="false"] { color: #b8c4d6; font-weight: normal; font-size: 10pt; }
QLabel#timerTask { color: #e8eef7; }
QLabel#today { color: #b8c4d6; font-weight: bold; }
QPushButton#timerStop { color: #ffffff; background: %(danger)s; border-color: %(danger)s;
                        border-radius: 11px; padding: 2px 12px; font-weight: bold; }
QPushButton#timerStop:hover { background: #991b1b; }
QPushButton#timer { font-weight: bold; }
QPushButton#timer[running="true"] { color: #ffffff; background: %(danger)s; border-color: %(danger)s; }
QLabel#pill { color: #e8eef7; background: #2b3a4f; border: 1px solid #3a4b63; border-radius: 11px;
               padding: 3px 11px; font-weight: bold; }
QLabel#sectionTitle { font-size: 13pt; font-weight: bold; color: #1e2a3a; }
QLabel#sectionCount { color: %(muted)s; }
QFrame#card { background: #ffffff; border: 1px solid #e3e8ef; border-radius: 10px; }
QLabel#cardTitle { font-size: 12pt; font-weight: bold; color: #111827; }
QLabel#meta { color: %(muted)s; }
QLabel#overdue { color: %(danger)s; font-weight: bold; }
QLabel#badge { color: #ffffff; border-radius: 9px; padding: 2px 9px; font-size: 9pt;
               font-weight: bold; }
QLabel#unsent { color: %(pending)s; font-size: 9pt; }
QProgressBar { border: none; border-radius: 7px; background: #e8edf3; height: 14px;
               text-align: center; font-size: 9pt; font-weight: bold; color: %(ink)s; }
QProgressBar::chunk { border-radius: 7px; background: %(progress-bar)s; }
QProgressBar[status="DONE"]::chunk { background: %(done-bar)s; }
QProgressBar[dirty="true"]::chunk { background: #7fb0f5; }
QPushButton { border: 1px solid #d5dbe5; border-radius: 6px; padding: 5px 12px; background: #ffffff; }
QPushButton:hover { background: #f0f4fa; }
QPushButton:disabled { color: #a0a8b5; background: #f5f6f8; }
QPushButton#primary { background: %(brand)s; border-color: %(brand)s; color: #ffffff; font-weight: bold; }
QPushButton#primary:hover { background: #1e40af; }
QPushButton#complete { background: %(done)s; border-color: %(done)s; color: #ffffff; font-weight: bold; }
QPushButton#complete:hover { background: #14532d; }
QLineEdit { border: 1px solid #d5dbe5; border-radius: 6px; padding: 5px 8px; background: #fbfcfe; }
QLineEdit:focus { border-color: %(focus)s; }
QLabel#toast { background: #323a46; color: #ffffff; border-radius: 8px; padding: 10px 16px; }
QLabel#description { color: %(ink-2)s; }
QPushButton#filter { border-radius: 0; padding: 4px 12px; }
QPushButton#filter:checked { background: #1e2a3a; border-color: #1e2a3a; color: #ffffff; }
QToolButton#account { color: #e8eef7; background: #2b3a4f; border: 1px solid #3a4b63;
                      border-radius: 11px; padding: 2px 9px; font-size: 11pt; }
QToolButton#account::menu-indicator { image: none; }
QSpinBox { border: 1px solid #d5dbe5; border-radius: 6px; padding: 2px 6px; background: #fbfcfe; }
QSpinBox:focus { border-color: %(focus)s; }
QLabel#empty { color: #6b7280; font-size: 11pt; }
QScrollArea { border: none; background: transparent; }
""" % PALETTE


def named(widget, name):
    """The widget, given the object name the stylesheet above styles it by."""
    widget.setObjectName(name)
    return widget
