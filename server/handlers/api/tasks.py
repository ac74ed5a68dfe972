"""The employee's side: own task list (with ETag), progress, completion, history, heartbeat."""
from server.store.database import read_transaction
from server.services.record import audit, eventlog
from server.services.people import presence as occupancy
from server.services.core import paging
from server.services.tasks import progress, tasks
from server.handlers.base import ApiHandler, path_id
from server.services.people.detail import reported


class EmployeeTasksHandler(ApiHandler):
    def get(self):
        view = tasks.parse_list({name: self.get_query_argument(name, None)
                                 for name in ("status", "include", "done_before", "limit")})
        default = view["include"] == "recent" and view["done_before"] is None
        # The ETag covers the caller's tasks, not the cursor: others' events leave it unchanged.
        # A poll of the default list that matches is answered from the app's tag cache (no query
        # while nothing changed); the other views compare after their query.
        known = [t.strip() for t in self.request.headers.get("If-None-Match", "").split(",")]
        if default and known != [""]:
            cached = self.svc.list_tags.get(self.current_user, view["status"])
            if cached in known:
                return self.not_modified(cached)
        with read_transaction():  # the list and its cursor from one consistent state
            cursor = eventlog.latest_id()
            task_list, older = tasks.list_for_user(self.current_user, view)
        tag = tasks.tag_of(self.current_user, tasks.view_key(view), [
            (t["id"], t["version"], t["is_overdue"]) for t in task_list])
        if tag in known:
            return self.not_modified(tag)
        self.set_header("ETag", tag)
        self.reply({"tasks": task_list, "cursor": cursor, "next": older})

    def not_modified(self, tag):
        self.set_header("ETag", tag)
        self.set_status(304)
        return self.finish()


class ProgressHandler(ApiHandler):
    complete = False

    async def post(self, task_id):
        fields = progress.parse_progress(self.json_body(optional=self.complete), complete=self.complete)
        fields = self.idempotent(fields, "client_update_id")
        fields["occupancy_status"] = reported(self.svc.settings["presence_detail"], fields["occupancy_status"])
        self.reply_once(await self.write_op(progress.record_progress, self.current_user,
                                            path_id(task_id), fields, self.complete,
                                            self.svc.stale_policy))


class CompleteHandler(ProgressHandler):
    complete = True


class HistoryHandler(ApiHandler):
    def get(self, task_id):
        task = tasks.visible_task(self.current_user, path_id(task_id))
        before, limit = paging.parse_page({name: self.get_query_argument(name, None)
                                           for name in ("before", "limit")})
        updates, before = audit.history(task["id"], before, limit)
        self.reply({"task_id": task["id"], "updates": updates, "next": before})


class HeartbeatHandler(ApiHandler):
    async def post(self):
        status, idle = occupancy.parse_heartbeat(self.json_body())
        offline_after, detail = self.svc.settings["offline_after_seconds"], self.svc.settings["presence_detail"]
        status = await self.write_op(occupancy.beat, self.current_user, status, idle,
                                     offline_after, detail)
        self.reply({"status": "success", "occupancy_status": status, "presence_detail": detail,
                    "paused": status == "PAUSED"})


routes = [
    (r"/api/employee-tasks/", EmployeeTasksHandler),
    (r"/api/task/([0-9]{1,12})/progress/", ProgressHandler),
    (r"/api/task/([0-9]{1,12})/complete/", CompleteHandler),
    (r"/api/task/([0-9]{1,12})/history/", HistoryHandler),
    (r"/api/heartbeat/", HeartbeatHandler),
]
