"""The approvers' pages: week timesheets to approve, reject or reopen (one by one or several at
once), and absences to approve or reject. The rules are the API's (services/timesheets)."""
from server.store.database import read_transaction
from server.handlers.base import path_id
from server.handlers.pages.page import Page
from server.services.core.errors import ServiceError
from server.services.timesheets import sheets, steps
from server.services.absences import absences
from server.services.language.text import _l

SHEETS = "/dashboard/timesheets/"
ABSENCES = "/dashboard/absences/"
DONE = {"approved": _l("Approved."), "rejected": _l("Sent back with your reason."),
        "reopened": _l("Reopened."), "bulk": _l("The chosen weeks are approved.")}


class ApprovalPage(Page):
    nav = "timesheets"

    def refused(self, exc):
        self.set_status(exc.status if exc.status in (400, 403, 404, 409) else 400)
        self.show(error=exc.message)

    async def act(self, fn, *args, done):
        try:
            await self.svc.writer.submit(fn, self.current_user, *args)
        except ServiceError as exc:
            return self.refused(exc)
        self.redirect(self.home + "?done=" + done + self.keep())

    def keep(self):
        week = self.get_body_argument("week", "") if self.request.method == "POST" else ""
        return "&week=" + week if week else ""


class TimesheetsPage(ApprovalPage):
    home = SHEETS

    def show(self, error=None):
        week = self.get_argument("week", "") or None
        state = None if week else "submitted"
        try:
            query = sheets.parse_list({"week": week, "state": None})
            with read_transaction():
                rows = sheets.listing(self.current_user, query["first_day"], state)
        except ServiceError as exc:
            rows, error = [], exc.message
        self.render("timesheets.html", rows=rows, week=week or "", error=error,
                    notice=DONE.get(self.get_query_argument("done", "")))

    def get(self):
        self.show()


class SheetActionPage(ApprovalPage):
    home = SHEETS
    show = TimesheetsPage.show

    async def post(self, sheet_id, action):
        sheet_id = path_id(sheet_id)
        if action == "approve":
            return await self.act(steps.approve, sheet_id, done="approved")
        reason = self.form("reason")
        try:
            reason = steps.parse_reason({"reason": reason})
        except ServiceError as exc:
            return self.refused(exc)
        fn = steps.reject if action == "reject" else steps.reopen
        await self.act(fn, sheet_id, reason, done="rejected" if action == "reject" else "reopened")


class BulkApprovePage(ApprovalPage):
    home = SHEETS
    show = TimesheetsPage.show

    async def post(self):
        try:
            ids = steps.parse_ids({"ids": [int(v) for v in self.get_body_arguments("ids")
                                           if v.isdigit() and len(v) <= 12]})
        except ServiceError as exc:
            return self.refused(exc)
        await self.act(steps.approve_many, ids, done="bulk")


class AbsencesPage(ApprovalPage):
    nav = "absences"
    home = ABSENCES

    def show(self, error=None):
        with read_transaction():
            waiting = absences.listing(self.current_user, "requested")
            approved = absences.listing(self.current_user, "approved")
        self.render("absences.html", waiting=waiting, approved=approved[-100:], error=error,
                    notice=DONE.get(self.get_query_argument("done", "")))

    def get(self):
        self.show()

    async def post(self, absence_id, action):
        reason = ""
        if action == "reject":
            try:
                reason = steps.parse_reason({"reason": self.form("reason")})
            except ServiceError as exc:
                return self.refused(exc)
        await self.act(absences.decide, path_id(absence_id), action == "approve", reason,
                       done="approved" if action == "approve" else "rejected")


routes = [
    (r"/dashboard/timesheets/", TimesheetsPage),
    (r"/dashboard/timesheets/approve/", BulkApprovePage),
    (r"/dashboard/timesheets/([0-9]{1,12})/(approve|reject|reopen)/", SheetActionPage),
    (r"/dashboard/absences/", AbsencesPage),
    (r"/dashboard/absences/([0-9]{1,12})/(approve|reject)/", AbsencesPage),
]
