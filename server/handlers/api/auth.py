"""POST /api/auth/token/ (login) and POST /api/auth/logout/."""
from server.services.people import auth
from server.services.core import validate
from server.services.core.errors import ValidationError
from server.handlers.base import ApiHandler
from server.services.identity.signin import must_enrol, password_sign_in
from server.handlers.refusals import ApiError
from server.services.language.text import _l


def parse_credentials(data):
    """The password exactly as sent: never trimmed (spaces are part of a passphrase)."""
    validate.require_object(data)
    username = validate.text(data, "username", 64, min_len=1, required=True)
    password = validate.text(data, "password", 256, required=True)
    if not password:
        raise ValidationError(_l("password is required"), "password")
    return username, password, validate.text(data, "otp", 64) or None


class TokenHandler(ApiHandler):
    access = None

    async def post(self):
        username, password, otp = parse_credentials(self.json_body())
        user = await password_sign_in(self.svc, username, password, self.request.remote_ip, otp)
        if must_enrol(self.svc.settings, user):
            raise ApiError(403, _l("this server asks you to turn on two-factor sign-in first: open "
                                   "Security in the web app"), code="enrolment_required")
        token = await self.write_op(auth.issue_token, user)
        self.reply({"token": token, "user": auth.user_dict(user)})


class LogoutHandler(ApiHandler):
    async def post(self):
        await self.write_op(auth.revoke_token, self.token_row.id)
        self.svc.credentials_changed(token_id=self.token_row.id)
        self.set_status(204)
        self.finish()


routes = [
    (r"/api/auth/token/", TokenHandler),
    (r"/api/auth/logout/", LogoutHandler),
]
