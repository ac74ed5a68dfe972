"""The admin pages: login and logout, the live monitor, assign, statistics and one task's page."""
import datetime

from peewee import fn

from . import charts
from ..push import board
from ..store.database import read_transaction
from ..store.models import PRIORITIES, Task, TaskProgress, User
from ..store.times import utcnow
from ..services import audit, auth, eventlog, statistics, tasks
from ..services.errors import Conflict, NotFound, Throttled, Unauthorized, ValidationError
from .auth import check_password
from .base import SESSION_COOKIE, PageHandler, path_id
from .task_forms import check_task, task_form

MONITOR = "/dashboard/tasks/monitor/"
STATUS_LABELS = {"PENDING": "Pending", "IN_PROGRESS": "In progress", "DONE": "Done",
                 "CANCELLED": "Cancelled"}
OCCUPANCY_LABELS = {"ACTIVE": "Active", "IDLE": "Idle", "OFFLINE": "Offline"}


def safe_next(target):
    """Only a local path may follow a login: never another site (`//host`, `/\\host`, `http:`)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return MONITOR
    return target


def recent_updates(per_task=5):
    """{task id: [audit row, newest first]} with at most `per_task` rows each, in one query."""
    rank = fn.ROW_NUMBER().over(partition_by=[TaskProgress.task],
                                order_by=[TaskProgress.id.desc()]).alias("rank")
    ranked = TaskProgress.select(TaskProgress.id, rank).alias("ranked")
    query = (TaskProgress.select(TaskProgress, User)
             .join(ranked, on=(ranked.c.id == TaskProgress.id))
             .join_from(TaskProgress, User, on=(TaskProgress.user == User.id))
             .where(ranked.c.rank <= per_task)
             .order_by(TaskProgress.task, TaskProgress.id.desc()))
    result = {}
    for row in query:
        result.setdefault(row.task_id, []).append(audit.row_dict(row))
    return result


class Page(PageHandler):
    """Template helpers every page shares."""

    def get_template_namespace(self):
        namespace = super().get_template_namespace()
        namespace.update(status_label=STATUS_LABELS.get, occupancy_label=OCCUPANCY_LABELS.get,
                         when=self.when, day=self.day, nav=getattr(self, "nav", None))
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


class LoginHandler(Page):
    admin_only = False

    def get(self):
        target = safe_next(self.get_query_argument("next", None))
        if self.current_user is not None and self.current_user.is_admin:
            return self.redirect(target)
        self.render("login.html", error=None, username="", next=target,
                    signed_out=self.get_query_argument("bye", None) is not None)

    async def post(self):
        previous = self.current_user and self.token_row
        username = self.get_body_argument("username", "").strip()[:64]
        password = self.get_body_argument("password", "")[:256]
        target = safe_next(self.get_body_argument("next", None))
        try:
            if not username or not password:
                raise ValidationError("Enter your username and your password.")
            user = await check_password(self.svc, username, password, self.request.remote_ip)
        except Throttled as exc:
            self.set_status(429)
            self.set_header("Retry-After", str(exc.retry_after))
            minutes = max(1, round(exc.retry_after / 60))
            return self.render("login.html", username=username, next=target, signed_out=False,
                               error="Too many failed sign-ins. Try again in %d minute%s."
                               % (minutes, "" if minutes == 1 else "s"))
        except (Unauthorized, ValidationError) as exc:
            self.set_status(401 if isinstance(exc, Unauthorized) else 400)
            message = exc.message if isinstance(exc, ValidationError) else "Wrong username or password."
            return self.render("login.html", error=message, username=username, next=target,
                               signed_out=False)
        if not user.is_admin:
            # A clear refusal, and no session: employees use the desktop app.
            self.current_user = None
            self.set_status(403)
            return self.render("error.html", status=403, phrase="Forbidden", employee=True,
                               message="employee")
        if previous:
            await self.svc.writer.submit(auth.revoke_token, previous.id)
            self.svc.credentials_changed(token_id=previous.id)
        token = await self.svc.writer.submit(auth.issue_token, user, "session")
        self.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Lax", path="/")
        self.redirect(target)


class LogoutHandler(Page):
    admin_only = False

    async def post(self):
        if self.current_user is not None:
            await self.svc.writer.submit(auth.revoke_token, self.token_row.id)
            self.svc.credentials_changed(token_id=self.token_row.id)
        self.clear_cookie(SESSION_COOKIE, path="/")
        self.redirect("/login?bye=1")


class HomeHandler(Page):
    admin_only = False

    def get(self):
        self.redirect(MONITOR if self.current_user is not None else "/login")


class MonitorHandler(Page):
    nav = "monitor"

    def get(self):
        self.render("monitor.html")


class MonitorSnapshotHandler(Page):
    """The monitor's data: the task board /api/admin/task-status/ answers from, plus each task's
    last updates (read after the board's cursor; the page skips an update it already holds)."""

    def get(self):
        entries, cursor = self.svc.board.select({})
        people = statistics.employees(utcnow(), self.svc.settings["offline_after_seconds"])
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(board.answer(entries, cursor, people, recent=recent_updates()))


class TaskFormPage(Page):
    """Shared by assign and the task page: the choices the form offers."""

    def choices(self):
        now = tasks.utcnow()
        people = statistics.employees(now, self.svc.settings["offline_after_seconds"])
        admins = [auth.user_dict(u) for u in User.select().where(
            User.role != "EMPLOYEE", User.is_active == True).order_by(User.full_name)]  # noqa: E712
        return {"employees": people, "admins": admins, "projects": statistics.projects(),
                "priorities": PRIORITIES}


class AssignHandler(TaskFormPage):
    nav = "assign"

    def get(self):
        created = None
        created_id = self.get_query_argument("created", None)
        if created_id and created_id.isdigit():
            created = Task.get_or_none(Task.id == int(created_id))
        self.show({"priority": "MEDIUM"}, {}, created=created)

    def show(self, values, errors, created=None):
        self.render("assign.html", values=values, errors=errors, created=created, **self.choices())

    async def post(self):
        data, errors = task_form(self)
        fields = check_task(tasks.parse_new_task, data, errors)
        if not errors:
            try:
                body = await self.svc.writer.submit(tasks.create, self.current_user, fields)
            except ValidationError as exc:
                errors[exc.field or "form"] = exc.message
        if errors:
            self.set_status(400)
            return self.show(dict(data, due_local=self.form("due_date")), errors)
        self.redirect("/dashboard/tasks/assign/?created=%d" % body["id"])


class StatisticsHandler(Page):
    nav = "statistics"

    def get(self):
        hours = statistics.parse_hours({"hours": self.get_query_argument("hours", None)})
        with read_transaction():
            cursor = eventlog.latest_id()
            stats = statistics.statistics(hours)
        template = "_stats_body.html" if self.get_query_argument("partial", None) else "statistics.html"
        self.render(template, stats=stats, cursor=cursor, **self.chart_data(stats))

    @staticmethod
    def chart_data(stats):
        dist = stats["status_distribution"]
        occ = stats["occupancy"]
        return {
            "status_bars": charts.hbars([(STATUS_LABELS[s], dist[s], s.lower()) for s in dist]),
            "bucket_bars": charts.bars([(name + " %", count, "b%d" % i) for i, (name, count)
                                        in enumerate(stats["progress_buckets"].items())]),
            "occupancy_ring": charts.donut([("Active", occ["active_seconds"], "active"),
                                            ("Idle", occ["idle_seconds"], "idle"),
                                            ("Offline", occ["offline_seconds"], "offline")]),
            "timeline": charts.timeline(stats["timeline"]),
        }


class TaskPageHandler(TaskFormPage):
    nav = "monitor"

    def get(self, task_id):
        with read_transaction():
            context = self.context(path_id(task_id))
        if self.get_query_argument("partial", None):
            return self.render("_task_live.html", **context)
        saved = self.get_query_argument("saved", None)
        self.show(context, values=None, errors={}, saved=saved)

    def context(self, task_id):
        cursor = eventlog.latest_id()  # read first: the page reflects at least this much
        task = tasks.load(task_id)
        return {"task": task, "cursor": cursor, "updates": audit.history(task_id),
                "chain_intact": audit.task_chain_intact(task_id)}

    def show(self, context, values, errors, saved=None):
        task = context["task"]
        if values is None:
            values = {"title": task["title"], "description": task["description"],
                      "assignee_id": task["assignee"]["id"], "priority": task["priority"],
                      "project_id": task["project"]["id"] if task["project"] else None,
                      "due_iso": task["due_date"]}
        self.render("task.html", values=values, errors=errors, saved=saved, **context,
                    **self.choices())

    async def post(self, task_id):
        task_id = path_id(task_id)
        action = self.get_body_argument("action", "edit")
        if action == "cancel":
            fields, errors = {"status": "CANCELLED"}, {}
        else:
            data, errors = task_form(self)
            fields = check_task(tasks.parse_edit, data, errors)
            fields = fields and self.changes(task_id, fields)
            if fields == {} and not errors:
                return self.redirect("/dashboard/tasks/%d/?saved=nothing" % task_id)
        if not errors:
            try:
                await self.svc.writer.submit(tasks.edit, self.current_user, task_id, fields)
                return self.redirect("/dashboard/tasks/%d/?saved=%s" % (task_id, action))
            except ValidationError as exc:
                errors[exc.field or "form"] = exc.message
            except Conflict as exc:
                errors["form"] = exc.message
        self.set_status(400)
        with read_transaction():
            context = self.context(task_id)
        values = dict(data, due_local=self.form("due_date")) if action != "cancel" else None
        self.show(context, values, errors)

    @staticmethod
    def changes(task_id, fields):
        """Only what differs from the stored task, so saving an untouched form writes nothing."""
        task = Task.get_or_none(Task.id == task_id)
        if task is None:
            raise NotFound("task %s does not exist" % task_id)
        current = {"title": task.title, "description": task.description,
                   "assignee_id": task.assignee_id, "project_id": task.project_id,
                   "priority": task.priority, "due_date": task.due_date}
        changed = {k: v for k, v in fields.items() if current.get(k) != v}
        due, stored = changed.get("due_date"), task.due_date
        if due and stored and abs((due - stored).total_seconds()) < 60:
            del changed["due_date"]  # the form shows minutes; unchanged seconds are not an edit
        return changed


class PageNotFoundHandler(Page):
    def prepare(self):
        super().prepare()
        if self._finished:
            return
        raise NotFound("There is no page at %s." % self.request.path)


routes = [
    (r"/", HomeHandler),
    (r"/login", LoginHandler),
    (r"/logout", LogoutHandler),
    (r"/dashboard/tasks/monitor/", MonitorHandler),
    (r"/dashboard/tasks/monitor/snapshot\.json", MonitorSnapshotHandler),
    (r"/dashboard/tasks/assign/", AssignHandler),
    (r"/dashboard/tasks/statistics/", StatisticsHandler),
    (r"/dashboard/tasks/([0-9]{1,15})/", TaskPageHandler),
    (r"/dashboard/.*", PageNotFoundHandler),
]
