"""The teams endpoints (admins: SPEC 11.1) and GET / PATCH /api/me/ (everyone)."""
from server.store.database import read_transaction
from server.services.teams import profile, service
from server.handlers.base import ApiHandler, path_id

ID = r"([0-9]{1,12})"


class TeamsHandler(ApiHandler):
    access = "admin"

    def get(self):
        with read_transaction():
            self.reply({"teams": service.teams()})

    async def post(self):
        fields = service.parse_team(self.json_body())
        body = await self.write_op(service.create_team, self.current_user, fields)
        self.set_header("Location", "/api/admin/teams/%d/" % body["id"])
        self.reply(body, status=201)


class TeamHandler(ApiHandler):
    access = "admin"

    def get(self, team_id):
        with read_transaction():
            self.reply(service.team(path_id(team_id)))

    async def patch(self, team_id):
        fields = service.parse_team(self.json_body(), partial=True)
        self.reply(await self.write_op(service.edit_team, self.current_user, path_id(team_id), fields))

    async def delete(self, team_id):
        await self.write_op(service.delete_team, self.current_user, path_id(team_id))
        self.set_status(204)
        self.finish()


class MemberHandler(ApiHandler):
    access = "admin"

    async def put(self, team_id, user_id):
        role = service.parse_role(self.json_body())
        self.reply(await self.write_op(service.set_membership, self.current_user, path_id(team_id),
                                       path_id(user_id), role))

    async def delete(self, team_id, user_id):
        self.reply(await self.write_op(service.remove_membership, self.current_user,
                                       path_id(team_id), path_id(user_id)))


class MeHandler(ApiHandler):
    def get(self):
        with read_transaction():
            # The request's user is the token cache's brief copy: read the whole row.
            self.reply(profile.me(profile.load(self.current_user.id), self.svc.settings))

    async def patch(self):
        fields = profile.parse_me(self.json_body())
        user = await self.write_op(profile.update_me, self.current_user.id, fields)
        self.svc.credentials_changed(user_id=user.id, close=False)  # next answers: new language
        with read_transaction():
            self.reply(profile.me(user, self.svc.settings))


routes = [
    (r"/api/admin/teams/", TeamsHandler),
    (r"/api/admin/teams/%s/" % ID, TeamHandler),
    (r"/api/admin/teams/%s/members/%s/" % (ID, ID), MemberHandler),
    (r"/api/me/", MeHandler),
]
