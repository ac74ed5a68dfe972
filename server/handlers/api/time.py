"""Timers and time entries (section 10.3): start, stop, add, list, correct, delete, the CSV."""
from server.store.database import read_transaction
from server.store.times import utcnow
from server.services.time import edits as time_edits, entries as timeentries
from server.handlers.api.admin import AdminHandler
from server.handlers.base import ApiHandler, path_id
from server.handlers.api.export import CsvHandler
from server.services.reports import export
from server.services.teams import reads


class TimerStartHandler(ApiHandler):
    async def post(self, task_id):
        fields = timeentries.parse_start(self.json_body(optional=True), utcnow())
        answer, created = await self.write_op(timeentries.start, self.current_user, path_id(task_id),
                                              fields, None, self.svc.settings["time_lock_days"])
        self.reply(answer, status=201 if created else 200)


class TimerStopHandler(ApiHandler):
    async def post(self):
        fields = timeentries.parse_stop(self.json_body(optional=True), utcnow())
        self.reply(await self.write_op(timeentries.stop, self.current_user, fields))


class TaskEntriesHandler(ApiHandler):
    def get(self, task_id):
        with read_transaction():
            entries = time_edits.task_entries(self.current_user, path_id(task_id))
        self.reply({"task_id": int(task_id), "entries": entries})

    async def post(self, task_id):
        fields = self.idempotent(timeentries.parse_entry(self.json_body(), utcnow()),
                                 "client_entry_id")
        self.reply_once(await self.write_op(timeentries.create, self.current_user, path_id(task_id),
                                            fields, None, self.svc.settings["time_lock_days"]), 201)


class MyEntriesHandler(ApiHandler):
    def get(self):
        now = utcnow()
        since, until = time_edits.parse_range(
            {name: self.get_query_argument(name, None) for name in ("since", "until")}, now)
        with read_transaction():
            self.reply(time_edits.my_entries(self.current_user, since, until, now))


class EntryHandler(ApiHandler):
    async def patch(self, entry_id):
        fields = time_edits.parse_edit(self.json_body())
        self.reply(await self.write_op(time_edits.edit, self.current_user, path_id(entry_id),
                                       fields, self.svc.settings["time_lock_days"]))

    async def delete(self, entry_id):
        await self.write_op(time_edits.delete, self.current_user, path_id(entry_id),
                            self.svc.settings["time_lock_days"])
        self.set_status(204)
        self.finish()


class TimeExportHandler(CsvHandler, AdminHandler):
    async def get(self):
        since, until = time_edits.parse_range(
            {name: self.get_query_argument(name, None) for name in ("since", "until")}, utcnow())
        with read_transaction():
            rows = export.time_rows(since, until, reads.people_of(self.scope))
        await self.stream("time-%s-%s.csv" % (since.date(), until.date()), export.TIME_COLUMNS,
                          [rows])


routes = [
    (r"/api/task/([0-9]{1,12})/timer/start/", TimerStartHandler),
    (r"/api/timer/stop/", TimerStopHandler),
    (r"/api/task/([0-9]{1,12})/time-entries/", TaskEntriesHandler),
    (r"/api/me/time-entries/", MyEntriesHandler),
    (r"/api/time-entries/([0-9]{1,12})/", EntryHandler),
    (r"/api/admin/export/time\.csv", TimeExportHandler),
]
