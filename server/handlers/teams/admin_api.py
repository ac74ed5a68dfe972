"""Admin endpoints beside the teams: renaming and archiving a project, and the one-time
set-password link of a user (the People page uses both)."""
from server.services.tasks import projects
from server.services.people import links
from server.handlers.base import ApiHandler, path_id

ID = r"([0-9]{1,12})"


def base_url(handler):
    return "%s://%s" % (handler.request.protocol, handler.request.host)


class ProjectHandler(ApiHandler):
    access = "admin"

    async def patch(self, project_id):
        fields = projects.parse_project_edit(self.json_body())
        self.reply(await self.write_op(projects.edit_project, path_id(project_id), fields))


class PasswordLinkHandler(ApiHandler):
    access = "admin"

    async def post(self, user_id):
        self.json_body(optional=True)
        self.reply(await self.write_op(links.create_link, self.current_user, path_id(user_id),
                                       base_url(self)), status=201)


routes = [
    (r"/api/admin/projects/%s/" % ID, ProjectHandler),
    (r"/api/admin/users/%s/password-link/" % ID, PasswordLinkHandler),
]
