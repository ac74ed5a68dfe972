"""The People page's changes to one user — rename, change the role, disable or enable, make a
one-time set-password link — with the API's rules (services/auth.py), and the page that link
opens (anyone holding it, signed in or not)."""
import tornado.web

from server.services.core.errors import ServiceError
from server.services.people import auth, links, passwords, users
from server.handlers.base import path_id
from server.handlers.pages.page import Page
from server.handlers.pages.people.users import HOME, PeoplePage
from server.handlers.teams.admin_api import base_url

EDITS = {"rename": lambda page: {"full_name": page.form("full_name")},
         "role": lambda page: {"role": page.form("role")},
         "disable": lambda page: {"is_active": False},
         "enable": lambda page: {"is_active": True}}


class UserActionPage(PeoplePage):
    """POST only: one change to one user, named by `action`."""

    async def post(self, user_id):
        target, action = users.get_user(path_id(user_id)), self.form("action")
        if action == "link":
            return await self.make_link(target)
        if action not in EDITS:
            raise tornado.web.HTTPError(400, "unknown action")
        data = EDITS[action](self)
        try:
            fields = auth.parse_user_edit(data, self.current_user, target)
            user, close = await self.svc.writer.submit(auth.update_user, target.id, fields, None)
        except ServiceError as exc:
            return self.refused(exc, {}, editing=target.id)
        self.svc.credentials_changed(user_id=user.id, close=close)
        self.redirect(HOME + "?done=" + action)

    def refused(self, exc, values, editing=None):
        self.set_status(exc.status if exc.status in (400, 403, 409) else 400)
        self.show(values, {"user-%d" % editing: exc.message}, editing=editing)

    async def make_link(self, target):
        try:
            link = await self.svc.writer.submit(links.create_link, self.current_user, target.id,
                                                base_url(self))
        except ServiceError as exc:
            return self.refused(exc, {}, editing=target.id)
        self.show({}, {}, notice="link", link=link)  # shown this once, never stored in clear


class SetPasswordPage(Page):
    """/set-password/<token>: choose a new password through a one-time link."""
    admin_only = False

    def get(self, token):
        links.find(token)
        self.render("set_password.html", error=None, done=False)

    async def post(self, token):
        password = self.get_body_argument("password", "")
        if password != self.get_body_argument("again", ""):
            links.find(token)
            self.set_status(400)
            return self.render("set_password.html", error="The two passwords differ.", done=False)
        try:
            link = links.find(token)
            passwords.check_shape(password, link.user.username)
            password_hash = await users.hash_password(self.svc, password)
            user = await self.svc.writer.submit(links.use, token, password_hash)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            self.set_status(400)
            return self.render("set_password.html", error=exc.message, done=False)
        self.svc.credentials_changed(user_id=user.id)
        self.render("set_password.html", error=None, done=True)


routes = [
    (r"/dashboard/users/([0-9]{1,12})/change/", UserActionPage),
    (r"/set-password/([A-Za-z0-9_-]{20,100})", SetPasswordPage),
]
