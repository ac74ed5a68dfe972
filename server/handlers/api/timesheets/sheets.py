"""Week timesheets (SPEC 11.5): my week and its submission; the approvers' list and decisions."""
from server.store.database import read_transaction
from server.store.times import utcnow
from server.handlers.base import ApiHandler, path_id
from server.services.timesheets import clock, sheets, steps, workday
from server.services.periods.weeks import parse_day


class SheetReader(ApiHandler):
    """What reading a sheet needs from the settings: the working-time rules."""

    def rules(self):
        return workday.rules_of(self.svc.settings)


class MyTimesheetHandler(SheetReader):
    def get(self):
        with read_transaction():
            self.reply(sheets.my_week(self.current_user, self.get_query_argument("week", None),
                                      self.rules(), utcnow()))


class SubmitHandler(SheetReader):
    async def post(self, week):
        self.json_body(optional=True)
        head = await self.write_op(steps.submit, self.current_user, week)
        self.reply(head)


class TimesheetsHandler(SheetReader):
    def get(self):
        query = sheets.parse_list({name: self.get_query_argument(name, None)
                                   for name in ("week", "state")})
        with read_transaction():
            self.reply({"timesheets": sheets.listing(self.current_user, query["first_day"],
                                                     query["state"])})


class TimesheetHandler(SheetReader):
    def get(self, sheet_id):
        with read_transaction():
            self.reply(sheets.one(self.current_user, path_id(sheet_id), self.rules(), utcnow()))


class ApproveHandler(ApiHandler):
    async def post(self, sheet_id):
        self.json_body(optional=True)
        self.reply(await self.write_op(steps.approve, self.current_user, path_id(sheet_id)))


class RejectHandler(ApiHandler):
    async def post(self, sheet_id):
        reason = steps.parse_reason(self.json_body())
        self.reply(await self.write_op(steps.reject, self.current_user, path_id(sheet_id), reason))


class ReopenHandler(ApiHandler):
    async def post(self, sheet_id):
        reason = steps.parse_reason(self.json_body())
        self.reply(await self.write_op(steps.reopen, self.current_user, path_id(sheet_id), reason))


class BulkApproveHandler(ApiHandler):
    async def post(self):
        ids = steps.parse_ids(self.json_body())
        self.reply({"timesheets": await self.write_op(steps.approve_many, self.current_user, ids)})


class WorkdayHandler(ApiHandler):
    async def put(self, day):
        day = parse_day(day, "date")
        fields = clock.parse(self.json_body(), day)
        self.reply(await self.write_op(clock.put, self.current_user, day, fields))

    async def delete(self, day):
        await self.write_op(clock.clear, self.current_user, parse_day(day, "date"))
        self.set_status(204)
        self.finish()


routes = [
    (r"/api/me/workdays/([0-9]{4}-[0-9]{2}-[0-9]{2})/", WorkdayHandler),
    (r"/api/me/timesheets/", MyTimesheetHandler),
    (r"/api/me/timesheets/([0-9]{4}-W[0-9]{2})/submit/", SubmitHandler),
    (r"/api/timesheets/", TimesheetsHandler),
    (r"/api/timesheets/approve/", BulkApproveHandler),
    (r"/api/timesheets/([0-9]{1,12})/", TimesheetHandler),
    (r"/api/timesheets/([0-9]{1,12})/approve/", ApproveHandler),
    (r"/api/timesheets/([0-9]{1,12})/reject/", RejectHandler),
    (r"/api/timesheets/([0-9]{1,12})/reopen/", ReopenHandler),
]
