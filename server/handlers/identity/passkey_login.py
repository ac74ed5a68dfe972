"""Passwordless sign-in with a passkey: POST /login/passkey/options gives the browser a challenge,
POST /login/passkey takes the signed answer and opens a session (JSON both ways, XSRF-checked)."""
import json

import tornado.web

from server.services.people import auth
from server.services.core.errors import ServiceError
from server.services.identity.factors import passkeys
from server.handlers.base import SESSION_COOKIE
from server.handlers.pages.login import relying_party
from server.handlers.pages.login import end_session, landing, safe_next
from server.handlers.pages.page import Page


class PasskeyPage(Page):
    admin_only = False

    def answer(self, body, status=200):
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body))

    def write_error(self, status_code, **kwargs):
        exc = kwargs.get("exc_info", (None, None, None))[1]
        message = exc.message if isinstance(exc, ServiceError) else (
            getattr(exc, "log_message", None) or "the passkey sign-in failed")
        status = exc.status if isinstance(exc, ServiceError) else status_code
        self.answer({"error": {"code": getattr(exc, "code", "error"), "message": message,
                               "field": getattr(exc, "field", None)}}, status)

    def body(self):
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400, "send a JSON object")
        return data


class OptionsHandler(PasskeyPage):
    async def post(self):
        rp_id, _origin = relying_party(self)
        self.answer(await self.svc.writer.submit(passkeys.signin_options, rp_id))


class SigninHandler(PasskeyPage):
    async def post(self):
        data = self.body()
        if not isinstance(data.get("credential"), dict) or not isinstance(data.get("handle"), str):
            raise tornado.web.HTTPError(400, "send the handle and the credential")
        rp_id, origin = relying_party(self)
        user = await self.svc.writer.submit(passkeys.authenticate, data["handle"][:64],
                                            data["credential"], rp_id, origin)
        if self.current_user is not None:
            await end_session(self.svc, self.token_row.id)
        token = await self.svc.writer.submit(auth.issue_token, user, "session")
        self.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Lax", path="/")
        target = data.get("next") if isinstance(data.get("next"), str) else None
        self.answer({"next": landing(user, safe_next(target))})


routes = [
    (r"/login/passkey/options", OptionsHandler),
    (r"/login/passkey", SigninHandler),
]
