"""The Teams and Projects pages (admins): the same rules and messages as the API, each change a
form that posts and comes back with a notice or the refusal next to its field."""
from server.store.database import read_transaction
from server.services.core.errors import ServiceError
from server.services.people import users
from server.services.reports import statistics
from server.services.tasks import projects
from server.services.teams import service
from server.handlers.base import path_id
from server.handlers.pages.page import Page
from server.handlers.teams.people import routes as people_routes

TEAMS = "/dashboard/teams/"
PROJECTS = "/dashboard/projects/"
SHOWN = 500


class TeamsPage(Page):
    nav = "teams"

    def show(self, errors=None, notice=None, values=None):
        with read_transaction():
            found = service.teams()
            people, _next = users.user_page(None, SHOWN)
        self.render("teams.html", teams=found, people=people, errors=errors or {},
                    notice=notice, values=values or {}, roles=service.TEAM_ROLES)

    def get(self):
        self.show(notice=self.get_query_argument("done", None))

    async def attempt(self, call, *args, done, key="form", values=None):
        """Run a change on the writer; a refusal is shown on the page under `key`."""
        try:
            await self.svc.writer.submit(call, self.current_user, *args)
        except ServiceError as exc:
            self.set_status(exc.status if exc.status in (400, 403, 404, 409) else 400)
            return self.show({key: exc.message}, values=values)
        self.redirect(TEAMS + "?done=" + done)

    def team_form(self):
        """The fields of the create and edit forms, as the API takes them."""
        return {name: self.form(name) for name in ("name", "description", "country", "region")}

    async def post(self):
        data = self.team_form()
        try:
            fields = service.parse_team(data)
        except ServiceError as exc:
            self.set_status(400)
            return self.show({"new-" + (exc.field or "form"): exc.message}, values=data)
        await self.attempt(service.create_team, fields, done="created", key="new-name", values=data)


class TeamPage(TeamsPage):
    """POST only: edit (name, description, country, region) or delete one team. A refused
    country or region is shown beside its field, the values typed kept."""

    async def post(self, team_id):
        team_id = path_id(team_id)
        if self.form("action") == "delete":
            return await self.attempt(service.delete_team, team_id, done="deleted")
        data, key = self.team_form(), "team-%d" % team_id
        try:
            fields = service.parse_team(data, partial=True)
        except ServiceError as exc:
            self.set_status(400)
            return self.show({field_key(key, exc): exc.message}, values={key: data})
        await self.attempt(service.edit_team, team_id, fields, done="saved", key=key,
                           values={key: data})


def field_key(key, exc):
    """Where the page shows a refusal: beside the country or region field, else under the form."""
    return "%s-%s" % (key, exc.field) if exc.field in ("country", "region") else key


class MemberPage(TeamsPage):
    """POST only: add a person with a role, change a role, or take a person out."""

    async def post(self, team_id):
        team_id, key = path_id(team_id), "members-%s" % team_id
        user_id = self.form("user_id")
        if not (user_id.isascii() and user_id.isdigit()):
            self.set_status(400)
            return self.show({key: "Choose a person."})
        if self.form("action") == "remove":
            return await self.attempt(service.remove_membership, team_id, path_id(user_id),
                                      done="removed", key=key)
        try:
            role = service.parse_role({"role": self.form("role")})
        except ServiceError as exc:
            self.set_status(400)
            return self.show({key: exc.message})
        await self.attempt(service.set_membership, team_id, path_id(user_id), role,
                           done="member", key=key)


class ProjectsPage(Page):
    nav = "projects"

    def show(self, errors=None, notice=None, values=None):
        with read_transaction():
            found = statistics.projects()
        self.render("projects.html", projects=found, errors=errors or {}, notice=notice,
                    values=values or {})

    def get(self):
        self.show(notice=self.get_query_argument("done", None))

    async def post(self):
        data = {"name": self.form("name"), "description": self.form("description")}
        try:
            fields = projects.parse_new_project(data)
            await self.svc.writer.submit(projects.create_project, fields)
        except ServiceError as exc:
            self.set_status(400 if exc.status != 409 else 409)
            return self.show({"new-" + (exc.field or "form"): exc.message}, values=data)
        self.redirect(PROJECTS + "?done=created")


class ProjectPage(ProjectsPage):
    """POST only: rename and describe, archive or restore one project."""

    async def post(self, project_id):
        project_id, action = path_id(project_id), self.form("action")
        if action in ("archive", "restore"):
            data = {"archived": action == "archive"}
        else:
            data = {"name": self.form("name"), "description": self.form("description")}
        try:
            fields = projects.parse_project_edit(data)
            await self.svc.writer.submit(projects.edit_project, project_id, fields)
        except ServiceError as exc:
            self.set_status(exc.status if exc.status in (400, 404, 409) else 400)
            return self.show({"project-%d" % project_id: exc.message})
        self.redirect(PROJECTS + "?done=" + (action if action in ("archive", "restore") else "saved"))


routes = [
    (r"/dashboard/teams/", TeamsPage),
    (r"/dashboard/teams/([0-9]{1,12})/", TeamPage),
    (r"/dashboard/teams/([0-9]{1,12})/members/", MemberPage),
    (r"/dashboard/projects/", ProjectsPage),
    (r"/dashboard/projects/([0-9]{1,12})/", ProjectPage),
] + people_routes
