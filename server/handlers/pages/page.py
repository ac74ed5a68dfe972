"""Page: the base of the admin pages, with the template helpers they share."""
import datetime

from server.handlers.base import PageHandler
from server.services.people.passwords import RULE as PASSWORD_RULE
from server.services.sentences.audit_rows import own_words

MONITOR = "/dashboard/tasks/monitor/"
STATUS_LABELS = {"PENDING": "Pending", "IN_PROGRESS": "In progress", "DONE": "Done",
                 "CANCELLED": "Cancelled"}
OCCUPANCY_LABELS = {"ACTIVE": "Active", "IDLE": "Idle", "OFFLINE": "Offline"}


class Page(PageHandler):
    """Template helpers every page shares."""

    def get_template_namespace(self):
        namespace = super().get_template_namespace()
        namespace.update(status_label=STATUS_LABELS.get, occupancy_label=OCCUPANCY_LABELS.get,
                         when=self.when, day=self.day, nav=getattr(self, "nav", None),
                         own_words=own_words, password_rule=PASSWORD_RULE,
                         scope=self.scope if self.current_user else None,  # what the nav offers
                         can_write=bool(self.current_user) and self.scope.writes)
        return namespace

    @staticmethod
    def when(value):
        """Server text for a time (UTC); the pages' JavaScript shows it in the reader's zone."""
        if not value:
            return ""
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        return value.strftime("%d %b %Y, %H:%M UTC")

    @staticmethod
    def day(value):
        if not value:
            return ""
        return datetime.datetime.fromisoformat(value).strftime("%d %b")

    def form(self, name, default=""):
        return self.get_body_argument(name, default).strip()
