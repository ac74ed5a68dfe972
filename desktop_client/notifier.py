"""Tells the person what changed in their list without them looking: a new assignment, a task
reassigned away or cancelled, a mention in a comment, as a tray notification (or a toast where
there is no tray)."""
from PyQt5.QtCore import QObject, pyqtSignal

from .language import N_, _
from .tasklist import changes

MESSAGES = {"assigned": (N_("New task"), N_("“%(title)s” was assigned to you.")),
            "cancelled": (N_("Task cancelled"), N_("“%(title)s” was cancelled.")),
            "removed": (N_("Task reassigned"), N_("“%(title)s” is no longer assigned to you."))}
MENTION = (N_("Mentioned"), N_("%(author)s mentioned you on “%(title)s”."))


def mention_of(event, user_id):
    """(who, task title) when `event` is a new comment by someone else naming `user_id`."""
    comment = event.get("comment") or {}
    if event.get("type") != "comment.created" or comment.get("deleted"):
        return None
    author = comment["author"]
    if author["id"] == user_id or user_id not in {m["id"] for m in comment.get("mentions", [])}:
        return None
    return author.get("full_name") or author["username"], event["task"]["title"]


class Notifier(QObject):
    """Compares each task list with the one before. The first lists are the baseline, not news:
    the cached one (when there is a cache) and the server's first answer when there was none."""
    notified = pyqtSignal(str, str)  # title, message

    def __init__(self, had_cache, user_id=None):
        super().__init__()
        self.absorb = 1 if had_cache else 2
        self.before = []
        self.user_id = user_id
        self.mentioned_in = set()  # comment ids told about: a replayed event is not news twice

    def tasks_changed(self, tasks):
        if self.absorb:
            self.absorb -= 1
            self.before = list(tasks)
            return
        for kind, task in changes(self.before, tasks):
            title, message = MESSAGES[kind]
            self.notified.emit(_(title), _(message, title=task["title"]))
        self.before = list(tasks)

    def comment_event(self, event):
        """A comment.* event from the push channel: one notice per comment that mentions us.
        An edit that adds the mention later is not announced (the thread shows it)."""
        found = mention_of(event, self.user_id)
        if found is None or event["comment"]["id"] in self.mentioned_in:
            return
        self.mentioned_in.add(event["comment"]["id"])
        self.notified.emit(_(MENTION[0]), _(MENTION[1], author=found[0], title=found[1]))
