"""Absences (SPEC 11.5): employees request days off; approvers list, approve and reject them."""
from server.store.database import read_transaction
from server.handlers.base import ApiHandler, path_id
from server.services.timesheets import steps
from server.services.absences import absences


class MyAbsencesHandler(ApiHandler):
    def get(self):
        with read_transaction():
            self.reply({"absences": absences.mine(self.current_user)})

    async def post(self):
        fields = absences.parse_request(self.json_body())
        self.reply(await self.write_op(absences.request, self.current_user, fields), status=201)


class AbsencesHandler(ApiHandler):
    def get(self):
        with read_transaction():
            self.reply({"absences": absences.listing(self.current_user,
                                                     self.get_query_argument("state", None))})


class ApproveAbsenceHandler(ApiHandler):
    async def post(self, absence_id):
        self.json_body(optional=True)
        self.reply(await self.write_op(absences.decide, self.current_user, path_id(absence_id), True))


class RejectAbsenceHandler(ApiHandler):
    async def post(self, absence_id):
        reason = steps.parse_reason(self.json_body())
        self.reply(await self.write_op(absences.decide, self.current_user, path_id(absence_id), False,
                                       reason))


routes = [
    (r"/api/me/absences/", MyAbsencesHandler),
    (r"/api/absences/", AbsencesHandler),
    (r"/api/absences/([0-9]{1,12})/approve/", ApproveAbsenceHandler),
    (r"/api/absences/([0-9]{1,12})/reject/", RejectAbsenceHandler),
]
