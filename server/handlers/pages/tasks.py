"""The task pages: assign a new task, and one task's page (edit, reassign, cancel, its audit)."""
from server.store.database import read_transaction
from server.store.models import PRIORITIES, Task
from server.services.record import audit, eventlog
from server.services.tasks import links as dependencies, edits as task_edits, tasks
from server.services.reports import statistics
from server.services.people import users
from server.services.core import validate
from server.services.core.errors import Conflict, Forbidden, ValidationError
from server.handlers.base import path_id
from server.handlers.pages.dependencies import REFUSALS
from server.web.escape import CheapEscape
from server.handlers.pages.page import Page
from server.handlers.pages.task_forms import check_task, estimate_text, task_form
from server.services.teams import guard, reads
from server.services.language.text import _l


class TaskFormPage(Page):
    """Shared by assign and the task page: the choices the form offers."""

    def choices(self):
        """A lead is offered the people of the teams they lead, and no admins; nobody is offered
        an archived project (the task page keeps the task's own)."""
        people = statistics.employees_shown(self.svc.settings)
        scope, admins = self.scope, users.active_staff()
        if not scope.everything:
            people, admins = [p for p in people if scope.manages_user(p["id"])], []
        projects = [p for p in statistics.projects() if not p["archived"]]
        return {"employees": people, "admins": admins, "projects": projects,
                "priorities": PRIORITIES}

    def typed(self, data):
        """The form as typed, to show again beside its messages."""
        return dict(data, due_local=self.form("due_date"), estimate=self.form("estimate"))


class AssignHandler(TaskFormPage):
    nav = "assign"
    admin_only = "staff"

    def prepare(self):
        super().prepare()
        if not self._finished and not self.scope.writes:
            raise Forbidden(_l("You read your teams' work; their leads assign it."))

    def get(self):
        created = None
        created_id = self.get_query_argument("created", None)
        if created_id and created_id.isascii() and created_id.isdigit() and len(created_id) < 16:
            created = Task.get_or_none(Task.id == int(created_id))
        self.show({"priority": "MEDIUM"}, {}, created=created)

    def show(self, values, errors, created=None):
        self.render("assign.html", values=values, errors=errors, created=created, **self.choices())

    async def post(self):
        data, errors = task_form(self)
        fields = check_task(tasks.parse_new_task, data, errors)
        if not errors:
            try:
                body = await self.svc.writer.submit(guard.create_task, self.current_user, fields,
                                                      self.svc.stale_policy)
            except ValidationError as exc:
                errors[exc.field or "form"] = exc.message
        if errors:
            self.set_status(400)
            return self.show(self.typed(data), errors)
        self.redirect("/dashboard/tasks/assign/?created=%d" % body["id"])


def stored_values(task, reader):
    """The edit form filled from the stored task, the due date in the reader's zone."""
    return {"title": task["title"], "description": task["description"],
            "assignee_id": task["assignee"]["id"], "priority": task["priority"],
            "project_id": task["project"]["id"] if task["project"] else None,
            "due_local": reader.local_input(task["due_date"]),
            "estimate": estimate_text(task["estimate_minutes"], reader)}


class TaskPageHandler(CheapEscape, TaskFormPage):
    nav = "monitor"
    admin_only = "staff"  # leads and viewers: their teams' tasks; anything else is a 404

    def get(self, task_id):
        before = validate.query_id({"before": self.get_query_argument("before", None)}, "before")
        with read_transaction():
            context = self.context(path_id(task_id), before)
        if self.get_query_argument("partial", None):
            return self.render("_task_live.html", **context)
        self.show(context, values=None, errors={}, saved=self.get_query_argument("saved", None))

    def context(self, task_id, before=None):
        cursor = eventlog.latest_id()  # read first: the page reflects at least this much
        task = tasks.task_in_scope(self.scope, task_id)  # outside the scope: as missing
        updates, older = audit.history(task_id, before)  # a page of the trail: ?before= for older
        return {"task": task, "cursor": cursor, "updates": updates, "older": older, "before": before,
                "chain_intact": audit.task_chain_intact(task_id, before=before),
                "links": reads.neighbours(self.scope, dependencies.neighbours(task_id)),
                "can_write": self.scope.manages_user(task["assignee"]["id"])}

    def show(self, context, values, errors, saved=None):
        values = stored_values(context["task"], self.reader) if values is None else values
        self.render("task.html", values=values, errors=errors, saved=saved, **context,
                    link_error=REFUSALS.get(self.get_query_argument("link_error", "")),
                    **self.choices())

    async def post(self, task_id):
        task_id = path_id(task_id)
        action = self.get_body_argument("action", "edit")
        data, fields, errors = self.submitted(task_id, action)
        if fields == {} and not errors:
            return self.redirect("/dashboard/tasks/%d/?saved=nothing" % task_id)
        if not errors:
            await self.save(task_id, fields, errors)
        if not errors:
            return self.redirect("/dashboard/tasks/%d/?saved=%s" % (task_id, action))
        self.set_status(400)
        with read_transaction():
            context = self.context(task_id)
        self.show(context, data and self.typed(data), errors)

    def submitted(self, task_id, action):
        """(form data, fields to write, {field: message}); cancelling sends no form."""
        if action == "cancel":
            return None, {"status": "CANCELLED"}, {}
        data, errors = task_form(self)
        fields = check_task(tasks.parse_edit, data, errors)
        return data, fields and task_edits.changed_fields(task_id, fields), errors

    async def save(self, task_id, fields, errors):
        """Write the edit; what the service refuses becomes a message on the form."""
        try:
            await self.svc.writer.submit(guard.edit_task, self.current_user, task_id, fields,
                                             self.svc.stale_policy)
        except ValidationError as exc:
            errors[exc.field or "form"] = exc.message
        except Conflict as exc:
            errors["form"] = exc.message


routes = [
    (r"/dashboard/tasks/assign/", AssignHandler),
    (r"/dashboard/tasks/([0-9]{1,15})/", TaskPageHandler),
]
