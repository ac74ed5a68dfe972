"""Page: the base of the admin pages, with the template helpers they share."""
from tornado.escape import xhtml_escape

from server.handlers.base import PageHandler
from server.services.language.text import N_
from server.services.outbound.letters import KIND_WORDS
from server.services.people.passwords import RULE as PASSWORD_RULE
from server.services.sentences.audit_rows import own_words

MONITOR = "/dashboard/tasks/monitor/"
STATUS_LABELS = {"PENDING": N_("Pending"), "IN_PROGRESS": N_("In progress"), "DONE": N_("Done"),
                 "CANCELLED": N_("Cancelled")}
OCCUPANCY_LABELS = {"ACTIVE": N_("Active"), "IDLE": N_("Idle"), "OFFLINE": N_("Offline")}
ROLE_LABELS = {"OWNER": N_("Owner"), "ADMIN": N_("Admin"), "EMPLOYEE": N_("Employee")}
TEAM_ROLES = {"member": N_("member"), "lead": N_("lead"), "viewer": N_("viewer")}
PRIORITY_LABELS = {"LOW": N_("Low"), "MEDIUM": N_("Medium"), "HIGH": N_("High"), "URGENT": N_("Urgent")}


class Page(PageHandler):
    """Template helpers every page shares."""

    def get_template_namespace(self):
        namespace = super().get_template_namespace()
        namespace.update(status_label=self.status_label, occupancy_label=self.occupancy_label,
                         priority_label=self.priority_label, time_tag=self.time_tag, when=self.when, day=self.day, nav=getattr(self, "nav", None),
                         own_words=own_words, password_rule=PASSWORD_RULE,
                         role_label=self.role_label, role_name=self.role_name,
                         team_role_name=self.team_role_name, mail_kind=self.mail_kind,
                         scope=self.scope if self.current_user else None,  # what the nav offers
                         can_write=bool(self.current_user) and self.scope.writes)
        return namespace

    def when(self, value):
        """A moment in the reader's language and zone (the pages' scripts write it the same way)."""
        return self.reader.moment(value)

    def day(self, value):
        return self.reader.day(value)

    def time_tag(self, value, kind="local"):
        """<time datetime data-local|data-day> around a moment, written for the reader (markup
        for _html; the pages' scripts write it again the same way)."""
        text = self.reader.day(value) if kind == "day" else self.reader.moment(value)
        return '<time datetime="%s" data-%s>%s</time>' % (xhtml_escape(value), kind, xhtml_escape(text))

    def priority_label(self, code):
        return self.reader.gettext(PRIORITY_LABELS[code]) if code in PRIORITY_LABELS else code

    def status_label(self, code):
        return self.reader.gettext(STATUS_LABELS[code]) if code in STATUS_LABELS else None

    def occupancy_label(self, code):
        return self.reader.gettext(OCCUPANCY_LABELS[code]) if code in OCCUPANCY_LABELS else None

    def role_name(self, role):
        return self.reader.gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role

    def team_role_name(self, role):
        return self.reader.gettext(TEAM_ROLES[role]) if role in TEAM_ROLES else role

    def mail_kind(self, kind):
        """A kind of mail as the unsubscribe links name it: "the daily digest"."""
        return self.reader.gettext(KIND_WORDS[kind]) if kind in KIND_WORDS else kind

    def role_label(self, user, scope):
        """"Owner", "Admin"; a team's "Lead" or "Viewer"."""
        if user.is_admin:
            return self.reader.gettext(ROLE_LABELS[user.role])
        return self.reader.gettext(N_("Lead") if scope.writes else N_("Viewer"))

    def form(self, name, default=""):
        return self.get_body_argument(name, default).strip()
