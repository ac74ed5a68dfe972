"""The people page under the dashboard: every user with where their mail goes; add a user, set or
clear an address. The rules are the API's (services/people/auth.py): same checks, same messages."""
from server.store.database import read_transaction
from server.services.people import auth, passwords, users
from server.services.core.errors import ServiceError
from server.handlers.base import path_id
from server.handlers.pages.page import Page
from server.services.teams import service as team_service

HOME = "/dashboard/users/"
SHOWN = 500  # users listed; the API pages through any number


class PeoplePage(Page):
    nav = "users"

    def show(self, values, errors, notice=None, editing=None, link=None):
        with read_transaction():
            people, _next = users.user_page(None, SHOWN)
            teams = team_service.memberships_by_user()
        self.render("users.html", people=people, values=values, errors=errors, notice=notice,
                    editing=editing, roles=auth.grantable_roles(self.current_user.role), teams=teams,
                    link=link)

    def refused(self, exc, values, editing=None):
        self.set_status(exc.status if exc.status in (400, 403, 409) else 400)
        key = "email-%d" % editing if editing else exc.field or "form"
        self.show(values, {key: exc.message}, editing=editing)


class UsersPage(PeoplePage):
    def get(self):
        self.show({}, {}, notice=self.get_query_argument("done", None))

    async def post(self):
        data = {"username": self.form("username"), "full_name": self.form("full_name"),
                "role": self.form("role", "EMPLOYEE"), "password": self.get_body_argument("password", ""),
                "email": self.form("email")}
        try:
            fields = auth.validate_new_user(data, self.current_user.role)
            password_hash = await users.hash_password(self.svc, data["password"], passwords.context(
                fields["username"], fields["full_name"], fields["email"]))
            await self.svc.writer.submit(auth.create_user, fields["username"], fields["full_name"],
                                         fields["role"], password_hash, fields["email"])
        except ServiceError as exc:
            return self.refused(exc, dict(data, password=""))
        self.redirect(HOME + "?done=created")


class UserEmailPage(PeoplePage):
    """POST only: set (or, empty, clear) one user's address."""

    async def post(self, user_id):
        target = users.get_user(path_id(user_id))
        try:
            fields = auth.parse_user_edit({"email": self.form("email")}, self.current_user, target)
            user, close = await self.svc.writer.submit(auth.update_user, target.id, fields, None)
        except ServiceError as exc:
            return self.refused(exc, {"email-%d" % target.id: self.form("email")}, editing=target.id)
        self.svc.credentials_changed(user_id=user.id, close=close)
        self.redirect(HOME + "?done=email")


routes = [
    (r"/dashboard/users/", UsersPage),
    (r"/dashboard/users/([0-9]{1,12})/email/", UserEmailPage),
]
