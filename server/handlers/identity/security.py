"""The "Security" page of the web app: turn the TOTP second factor on (QR code, first code,
recovery codes shown once) or off. Plain forms with the XSRF token; no script."""
import urllib.parse

from server.services.core.errors import ServiceError
from server.services.identity.factors import passkeys, totp
from server.services.identity.models import UserTotp
from server.handlers.pages.page import Page

PATH = "/security"


class SecurityPage(Page):
    admin_only = False

    def prepare(self):
        if self.current_user is None:
            if self.request.method in ("GET", "HEAD"):
                return self.redirect("/login?" + urllib.parse.urlencode({"next": PATH}))
            self.send_error(401)
            return
        self.touch(self.token_row)

    def show(self, **state):
        values = dict(enrolled=totp.enrolled(self.current_user.id), pending=None, qr=None,
                      passkeys=passkeys.listing(self.current_user.id),
                      codes=None, error=None,
                      required=self.get_query_argument("required", None) is not None)
        values.update(state)
        self.render("security.html", **values)


class SecurityHandler(SecurityPage):
    def get(self):
        self.show()


class TotpStartHandler(SecurityPage):
    async def post(self):
        try:
            pending = await self.svc.writer.submit(totp.begin, self.current_user)
        except ServiceError as exc:
            self.set_status(exc.status)
            return self.show(error=exc.message)
        self.show(pending=pending, qr=totp.qr_svg(pending["otpauth_uri"]))


class TotpConfirmHandler(SecurityPage):
    async def post(self):
        code = self.form("code")
        try:
            codes = await self.svc.writer.submit(totp.confirm, self.current_user, code)
        except ServiceError as exc:
            self.set_status(exc.status)
            row = UserTotp.get_or_none(UserTotp.user == self.current_user.id)
            pending = row and row.confirmed_at is None and {"secret": row.secret}
            return self.show(error=exc.message, pending=pending or None)
        self.show(enrolled=True, codes=codes)


class TotpOffHandler(SecurityPage):
    async def post(self):
        try:
            await self.svc.writer.submit(totp.remove, self.current_user.id, self.current_user.id)
        except ServiceError:
            pass  # off already: the page says so
        self.redirect(PATH)


class PasskeyRemoveHandler(SecurityPage):
    async def post(self, passkey_id):
        try:
            await self.svc.writer.submit(passkeys.remove, self.current_user.id, int(passkey_id))
        except ServiceError:
            pass  # gone already: the page shows what is left
        self.redirect(PATH)


routes = [
    (PATH + r"/passkeys/([0-9]{1,12})/remove", PasskeyRemoveHandler),
    (PATH, SecurityHandler),
    (PATH + "/totp", TotpStartHandler),
    (PATH + "/totp/confirm", TotpConfirmHandler),
    (PATH + "/totp/off", TotpOffHandler),
]
