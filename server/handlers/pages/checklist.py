"""The monitor's first-run checklist: its data for the page, and its two forms (create a project
there, hide the list)."""
from server.store.database import read_transaction
from server.services.tasks import projects
from server.services.core.errors import ServiceError
from server.services.onboarding import checklist
from server.handlers.pages.page import MONITOR, Page


def first_run(error=None, name=""):
    """What the monitor's checklist shows: None when hidden, else its steps and the project form's
    refusal (and what was typed)."""
    with read_transaction():
        steps = checklist.checklist()
    return None if steps is None else {"steps": steps, "error": error, "name": name}


def render_monitor(page, checklist):
    """The monitor page, from its handler and from the checklist's refusal alike: the template
    needs the board's page size (its script draws that many cards at first)."""
    page.render("monitor.html", first_run=checklist, page_size=page.svc.settings["monitor_page_size"])


class ProjectForm(Page):
    """POST a project's name from the checklist; a refusal shows on the monitor beside the field."""

    async def post(self):
        name = self.form("name")
        try:
            fields = projects.parse_new_project({"name": name, "description": ""})
            await self.svc.writer.submit(projects.create_project, fields)
        except ServiceError as exc:
            self.set_status(exc.status if exc.status in (400, 409) else 400)
            return render_monitor(self, first_run(self.reader.say(exc.message), name))
        self.redirect(MONITOR + "#checklist")


class DismissForm(Page):
    async def post(self):
        await self.svc.writer.submit(checklist.dismiss)
        self.redirect(MONITOR)


routes = [
    (r"/dashboard/checklist/project/", ProjectForm),
    (r"/dashboard/checklist/dismiss/", DismissForm),
]
