"""Importing people from a CSV file on the dashboard: upload, a preview with each row's action
and errors, then apply (all rows or none). And /invite/<token>: where an invited person chooses
their password."""
import tornado.web

from server.services.people import passwords, users
from server.services.core.errors import ServiceError, ValidationError
from server.services.identity.config import invites
from server.services.identity.people import csv_import, invitations
from server.store.database import read_transaction
from server.handlers.pages.page import Page
from server.services.language.text import _l

PATH = "/dashboard/users/import/"
MAX_FILE = 2 * 1024 * 1024


class ImportPage(Page):
    nav = "users"

    def get(self):
        self.render("users_import.html", result=None, text="", error=None)

    async def post(self):
        text = self.uploaded() if self.request.files.get("file") else self.form("text")
        if self.get_body_argument("apply", None) is None:
            return self.preview(text)
        base_url = self.svc.mail_config and self.svc.mail_config.base_url
        try:
            result = await self.svc.writer.submit(csv_import.apply, text, self.current_user,
                                                  base_url, invites(self.svc.settings))
        except ServiceError as exc:
            return self.failed(exc, text)
        if result["applied"]:
            self.svc.credentials_changed()  # roles may have changed: forget cached lookups
        self.set_status(200 if result["applied"] else 400)
        self.render("users_import.html", result=result, text=text, error=None)

    def uploaded(self):
        body = self.request.files["file"][0]["body"]
        if len(body) > MAX_FILE:
            raise tornado.web.HTTPError(413, "the file is larger than 2 MB: split it")
        try:
            return body.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "\x00"  # reported as not a CSV below

    def preview(self, text):
        try:
            if "\x00" in text:
                raise ValidationError(_l("the file is not UTF-8 text (save it as CSV UTF-8)"), "file")
            with read_transaction():
                result = csv_import.public(csv_import.plan(text, self.current_user.role))
        except ServiceError as exc:
            return self.failed(exc, "")
        self.set_status(200 if result["valid"] else 400)
        self.render("users_import.html", result=result, text=text, error=None)

    def failed(self, exc, text):
        self.set_status(exc.status if exc.status < 500 else 400)
        self.render("users_import.html", result=None, text=text, error=exc.message)


class InvitePage(Page):
    admin_only = False

    def get(self, token):
        self.show(token)

    def show(self, token, error=None):
        try:
            _row, user = invitations.pending(token)
        except ServiceError as exc:
            self.set_status(404)
            return self.render("signin_error.html", status=404, title=_l("Link not valid"),
                               message=self.as_sentence(exc.message))
        self.render("invite.html", user=user, error=error)

    async def post(self, token):
        password = self.get_body_argument("password", "", strip=False)
        try:
            _row, user = invitations.pending(token)
            passwords.check_shape(password, user.username)
            password_hash = await users.hash_password(self.svc, password)
            await self.svc.writer.submit(invitations.accept, token, password_hash)
        except ServiceError as exc:
            self.set_status(exc.status if exc.status < 500 else 400)
            return self.show(token, exc.message)
        self.redirect("/login?invited=1")


routes = [
    (PATH, ImportPage),
    (r"/invite/([A-Za-z0-9_-]{20,80})", InvitePage),
]
