"""Colours and the one stylesheet of the app."""

PRIORITY_COLORS = {"LOW": "#4caf50", "MEDIUM": "#ff9800", "HIGH": "#f44336", "URGENT": "#9c27b0"}
STATUS_COLORS = {"PENDING": "#f5a623", "IN_PROGRESS": "#2f80ed", "DONE": "#27ae60",
                 "CANCELLED": "#9e9e9e"}
CONNECTION = {"live": ("Live", "#4ade80"), "polling": ("Polling", "#fbbf24"),
              "offline": ("Offline", "#f87171")}
OCCUPANCY = {"ACTIVE": ("Active", "#4ade80"), "IDLE": ("Idle", "#fb923c"),
             "OFFLINE": ("Offline", "#9ca3af")}

STYLESHEET = """
QMainWindow, QWidget#page { background: #f3f5f9; }
QWidget { font-family: "DejaVu Sans", "Segoe UI", sans-serif; font-size: 10pt; color: #1f2937; }
QFrame#header { background: #1e2a3a; }
QLabel#appTitle { color: #ffffff; font-size: 15pt; font-weight: bold; }
QLabel#appUser { color: #b8c4d6; }
QLabel#pill { color: #e8eef7; background: #2b3a4f; border: 1px solid #3a4b63; border-radius: 11px;
               padding: 3px 11px; font-weight: bold; }
QLabel#sectionTitle { font-size: 13pt; font-weight: bold; color: #1e2a3a; }
QLabel#sectionCount { color: #6b7280; }
QFrame#card { background: #ffffff; border: 1px solid #e3e8ef; border-radius: 10px; }
QLabel#cardTitle { font-size: 12pt; font-weight: bold; color: #111827; }
QLabel#meta { color: #6b7280; }
QLabel#overdue { color: #d32f2f; font-weight: bold; }
QLabel#badge { color: #ffffff; border-radius: 9px; padding: 2px 9px; font-size: 8pt;
               font-weight: bold; }
QLabel#unsent { color: #b26a00; font-size: 9pt; }
QProgressBar { border: none; border-radius: 7px; background: #e8edf3; height: 14px;
               text-align: center; font-size: 8pt; font-weight: bold; color: #1f2937; }
QProgressBar::chunk { border-radius: 7px; background: #2f80ed; }
QProgressBar[status="DONE"]::chunk { background: #27ae60; }
QProgressBar[dirty="true"]::chunk { background: #7fb0f5; }
QPushButton { border: 1px solid #d5dbe5; border-radius: 6px; padding: 5px 12px; background: #ffffff; }
QPushButton:hover { background: #f0f4fa; }
QPushButton:disabled { color: #a0a8b5; background: #f5f6f8; }
QPushButton#primary { background: #2f80ed; border-color: #2f80ed; color: #ffffff; font-weight: bold; }
QPushButton#primary:hover { background: #256fd1; }
QPushButton#complete { background: #27ae60; border-color: #27ae60; color: #ffffff; font-weight: bold; }
QPushButton#complete:hover { background: #219150; }
QLineEdit { border: 1px solid #d5dbe5; border-radius: 6px; padding: 5px 8px; background: #fbfcfe; }
QLineEdit:focus { border-color: #2f80ed; }
QLabel#toast { background: #323a46; color: #ffffff; border-radius: 8px; padding: 10px 16px; }
QLabel#description { color: #374151; }
QPushButton#filter { border-radius: 0; padding: 4px 12px; }
QPushButton#filter:checked { background: #1e2a3a; border-color: #1e2a3a; color: #ffffff; }
QToolButton#account { color: #e8eef7; background: #2b3a4f; border: 1px solid #3a4b63;
                      border-radius: 11px; padding: 2px 9px; font-size: 11pt; }
QToolButton#account::menu-indicator { image: none; }
QSpinBox { border: 1px solid #d5dbe5; border-radius: 6px; padding: 2px 6px; background: #fbfcfe; }
QSpinBox:focus { border-color: #2f80ed; }
QLabel#empty { color: #6b7280; font-size: 11pt; }
QScrollArea { border: none; background: transparent; }
"""


def named(widget, name):
    """The widget, given the object name the stylesheet above styles it by."""
    widget.setObjectName(name)
    return widget
