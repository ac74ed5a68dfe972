"""Admin and owner endpoints: the monitor snapshot, task create/edit, users, projects, statistics."""
import orjson

from server.services.monitor import answers, board
from server.store.database import read_transaction
from server.services.people import auth, users
from server.services.monitor import query as board_query
from server.services.tasks import projects, tasks
from server.services.reports import statistics
from server.handlers.base import ApiError, ApiHandler, path_id
from server.web.parts import write_parts
from server.services.people import passwords
from server.services.reports import teams as team_stats
from server.services.teams import guard, reads
from server.services.monitor import scoped as team_board
from server.services.language.text import _l


QUERY = ("status", "employee", "project", "priority", "q", "group", "team") + board_query.FLAGS


def query_args(handler, *names):
    return {name: handler.get_query_argument(name, None) for name in names}


class AdminHandler(ApiHandler):
    access = "admin"


class StaffHandler(ApiHandler):
    """Admins, owners, and the leads and viewers of a team (scoped: services/people/scope.py)."""
    access = "staff"

    def require_admin(self):
        if not self.current_user.is_admin:
            raise ApiError(403, _l("this endpoint is for admins and owners only"))


class TaskStatusHandler(StaffHandler):
    def get(self):
        args = query_args(self, *QUERY)
        if not self.scope.everything or args["team"] is not None or args["group"] == "team":
            self.set_header("Content-Type", "application/json; charset=utf-8")
            return self.finish(team_board.task_status(self.svc.board, self.scope, args,
                                                      self.svc.settings))
        filters, group = board_query.parse(args)
        people = statistics.employees_shown(self.svc.settings)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        if not filters and not group:  # the whole board: its pieces, joined once per change
            pieces, cursor = self.svc.board.whole()
            return write_parts(self, answers.snapshot_parts(pieces, cursor, orjson.dumps(people)))
        entries, cursor = self.svc.board.select(filters)  # kept up to date from the bus
        more = {"groups": board.groups(entries, group)} if group else {}
        self.finish(answers.answer(entries, cursor, people, **more))


class TaskUpdatesHandler(StaffHandler):
    """The last updates of the monitor cards a page draws, asked for together: the monitor's
    first answer carries none (services/monitor/board.py recent_of)."""

    def get(self):
        ids = board_query.task_ids(self.get_query_argument("ids", None))
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(team_board.updates(self.svc.board, self.scope, ids))


class TasksHandler(StaffHandler):
    async def post(self):
        fields = tasks.parse_new_task(self.json_body())
        body = await self.write_op(guard.create_task, self.current_user, fields, self.svc.stale_policy)
        self.set_header("Location", "/dashboard/tasks/%d/" % body["id"])
        self.reply(body, status=201)


class TaskHandler(StaffHandler):
    async def patch(self, task_id):
        fields = tasks.parse_edit(self.json_body())
        self.reply(await self.write_op(guard.edit_task, self.current_user, path_id(task_id), fields,
                                       self.svc.stale_policy))

    def get(self, task_id):
        with read_transaction():
            self.reply(tasks.task_in_scope(self.scope, path_id(task_id)))


class UsersHandler(AdminHandler):
    def get(self):
        after, limit = users.parse_user_page(query_args(self, "after", "limit"))
        page, after = users.user_page(after, limit)
        self.reply({"users": page, "next": after})

    async def post(self):
        data = self.json_body()
        fields = auth.validate_new_user(data, self.current_user.role)
        password_hash = await users.hash_password(self.svc, data["password"], passwords.context(
            fields["username"], fields["full_name"], fields["email"]))
        user = await self.write_op(auth.create_user, fields["username"], fields["full_name"],
                                   fields["role"], password_hash, fields["email"])
        self.reply(users.user_with_state(user), status=201)


class UserHandler(AdminHandler):
    async def patch(self, user_id):
        target = users.get_user(path_id(user_id))
        data = self.json_body()
        fields = auth.parse_user_edit(data, self.current_user, target)
        password_hash = None
        if "password" in data:
            password_hash = await users.hash_password(self.svc, data["password"], passwords.context(
                target.username, fields.get("full_name", target.full_name),
                fields.get("email", target.email)))
        user, close = await self.write_op(auth.update_user, target.id, fields, password_hash)
        self.svc.credentials_changed(user_id=user.id, close=close)
        self.reply(users.user_with_state(user))


class ProjectsHandler(StaffHandler):
    def get(self):
        self.reply({"projects": statistics.projects()})

    async def post(self):
        self.require_admin()
        fields = projects.parse_new_project(self.json_body())
        self.reply(await self.write_op(projects.create_project, fields), status=201)


class StatisticsHandler(StaffHandler):
    def get(self):
        hours = statistics.parse_hours(query_args(self, "hours"))
        with read_transaction():
            team_id = reads.parse_team(self.scope, query_args(self, "team"))
            self.reply(team_stats.statistics(self.scope, hours, team_id))


routes = [
    (r"/api/admin/task-status/", TaskStatusHandler),
    (r"/api/admin/task-updates/", TaskUpdatesHandler),
    (r"/api/admin/tasks/", TasksHandler),
    (r"/api/admin/tasks/([0-9]{1,12})/", TaskHandler),
    (r"/api/admin/users/", UsersHandler),
    (r"/api/admin/users/([0-9]{1,12})/", UserHandler),
    (r"/api/admin/projects/", ProjectsHandler),
    (r"/api/admin/statistics/", StatisticsHandler),
]
