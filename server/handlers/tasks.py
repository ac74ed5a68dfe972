"""The employee's side: own task list (with ETag), progress, completion, history, heartbeat."""
from ..store.database import read_transaction
from ..store.models import STATUSES
from ..services import audit, eventlog, occupancy, progress, tasks, validate
from .base import ApiHandler, path_id


class EmployeeTasksHandler(ApiHandler):
    def get(self):
        status = validate.query_choice({"status": self.get_query_argument("status", None)}, "status",
                                       STATUSES)
        # The ETag covers the caller's tasks, not the cursor: others' events leave it unchanged.
        # A poll that matches is answered from the app's tag cache (no query while nothing changed).
        known = [t.strip() for t in self.request.headers.get("If-None-Match", "").split(",")]
        if known != [""]:
            tag = self.svc.list_tags.get(self.current_user, status)
            if tag in known:
                self.set_header("ETag", tag)
                self.set_status(304)
                return self.finish()
        with read_transaction():  # the list and its cursor from one consistent state
            cursor = eventlog.latest_id()
            task_list = tasks.list_for_user(self.current_user, status)
        self.set_header("ETag", tasks.tag_of(self.current_user, status, [
            (t["id"], t["version"], t["is_overdue"]) for t in task_list]))
        self.reply({"tasks": task_list, "cursor": cursor})


class ProgressHandler(ApiHandler):
    complete = False

    async def post(self, task_id):
        fields = progress.parse_progress(self.json_body(optional=self.complete), complete=self.complete)
        fields = progress.with_idempotency_key(fields, self.request.headers.get("Idempotency-Key"))
        answer, replayed = await self.write_op(progress.record_progress, self.current_user,
                                               path_id(task_id), fields, self.complete)
        if replayed:
            self.set_header("Idempotent-Replayed", "true")
        self.reply(answer)


class CompleteHandler(ProgressHandler):
    complete = True


class HistoryHandler(ApiHandler):
    def get(self, task_id):
        task = tasks.visible_task(self.current_user, path_id(task_id))
        self.reply({"task_id": task["id"], "updates": audit.history(task["id"])})


class HeartbeatHandler(ApiHandler):
    async def post(self):
        status, idle = occupancy.parse_heartbeat(self.json_body())
        offline_after = self.svc.settings["offline_after_seconds"]
        status = await self.write_op(
            lambda: occupancy.heartbeat(self.current_user, status, idle, offline_after=offline_after))
        self.reply({"status": "success", "occupancy_status": status})


routes = [
    (r"/api/employee-tasks/", EmployeeTasksHandler),
    (r"/api/task/([0-9]{1,12})/progress/", ProgressHandler),
    (r"/api/task/([0-9]{1,12})/complete/", CompleteHandler),
    (r"/api/task/([0-9]{1,12})/history/", HistoryHandler),
    (r"/api/heartbeat/", HeartbeatHandler),
]
