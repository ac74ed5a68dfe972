"""Tells the person what changed in their list without them looking: a new assignment, a task
reassigned away or cancelled, as a tray notification (or a toast where there is no tray)."""
from PyQt5.QtCore import QObject, pyqtSignal

from ..tasklist import changes

MESSAGES = {"assigned": ("New task", "“%s” was assigned to you."),
            "cancelled": ("Task cancelled", "“%s” was cancelled."),
            "removed": ("Task reassigned", "“%s” is no longer assigned to you.")}


class Notifier(QObject):
    """Compares each task list with the one before. The first lists are the baseline, not news:
    the cached one (when there is a cache) and the server's first answer when there was none."""
    notified = pyqtSignal(str, str)  # title, message

    def __init__(self, had_cache):
        super().__init__()
        self.absorb = 1 if had_cache else 2
        self.before = []

    def tasks_changed(self, tasks):
        if self.absorb:
            self.absorb -= 1
            self.before = list(tasks)
            return
        for kind, task in changes(self.before, tasks):
            title, message = MESSAGES[kind]
            self.notified.emit(title, message % task["title"])
        self.before = list(tasks)
