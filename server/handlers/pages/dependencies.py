"""The task page's dependency forms: link to a predecessor picked by search, unlink one."""
from server.services.tasks import links as dependencies
from server.services.core.errors import ServiceError
from server.handlers.base import path_id
from server.handlers.pages.page import Page
from server.services.language.text import _l
from server.services.teams import guard

# What the page says after a refusal: fixed words per code (never text taken from the URL).
REFUSALS = {
    "dependency_cycle": _l("Not linked: that link would close a cycle of tasks waiting for each other."),
    "dependency_exists": _l("Not linked: this task already depends on that one."),
    "validation_error": _l("Not linked: pick another task (a task cannot depend on itself)."),
    "not_found": _l("That task or link no longer exists."),
    "forbidden": _l("Not changed: you read this team's work; its leads change it."),
}


class DependencyFormHandler(Page):
    admin_only = "staff"  # a lead on their teams' tasks (services/teams/guard.py)

    async def post(self, task_id):
        task_id, action = path_id(task_id), self.form("action")
        try:
            other = path_id(self.form("depends_on")) if self.form("depends_on").isdigit() else None
            if other is None:
                raise dependencies.ValidationError(_l("pick a task"), "depends_on")
            write = guard.unlink if action == "unlink" else guard.link
            await self.svc.writer.submit(write, self.current_user, task_id, other)
        except ServiceError as exc:
            code = exc.code if exc.code in REFUSALS else "validation_error"
            return self.redirect("/dashboard/tasks/%d/?link_error=%s#dependencies" % (task_id, code))
        done = "unlinked" if action == "unlink" else "linked"
        self.redirect("/dashboard/tasks/%d/?saved=%s#dependencies" % (task_id, done))


routes = [
    (r"/dashboard/tasks/([0-9]{1,15})/dependencies/", DependencyFormHandler),
]
