"""Sign-in through the company's OpenID provider: /login/oidc sends the browser there, and
/login/oidc/callback takes it back, verifies who it is and opens a session. Every failure is a
page that says what happened and what to do, never a traceback."""
import hmac
import logging

import tornado.web

from server.services.people import auth
from server.services.identity import accounts
from server.services.identity.providers import flows, oidc
from server.handlers.base import SESSION_COOKIE
from server.handlers.pages.login import end_session, landing, safe_next
from server.handlers.pages.page import Page
from server.services.language.text import _l

log = logging.getLogger("tracker.identity")
STATE_COOKIE = "tracker_oidc_state"
CALLBACK = "/login/oidc/callback"


class SsoPage(Page):
    admin_only = False

    @property
    def client(self):
        return self.svc.identity.oidc

    def prepare(self):
        if self.client is None:
            self.fail(404, _l("Not configured"), _l("Sign-in with a company account is not set up "
                                                    "on this server. Sign in with your username and "
                                                    "password."))

    def redirect_uri(self):
        return (self.client.config.redirect_uri
                or "%s://%s%s" % (self.request.protocol, self.request.host, CALLBACK))

    def fail(self, status, title, message):
        """A page that says what went wrong and offers a way back; nothing else happens."""
        self.set_status(status)
        self.render("signin_error.html", title=title, message=message, status=status)
        raise tornado.web.Finish()  # the page is written: stop the handler here


class StartHandler(SsoPage):
    async def get(self):
        target = safe_next(self.get_query_argument("next", None))
        target = target if len(target) <= 2000 else "/"  # the flow keeps at most 2,000 characters
        try:
            url, state, nonce, verifier = await self.svc.identity.run(
                self.client.start, self.redirect_uri())
        except oidc.ProviderDown:
            self.provider_down()
        await self.svc.writer.submit(flows.begin, state, nonce, verifier, target)
        # The state also lives in this browser: a callback carried to another browser is refused.
        self.set_cookie(STATE_COOKIE, state, httponly=True, samesite="Lax", path=CALLBACK,
                        expires_days=flows.FLOW_MINUTES / 1440)
        self.redirect(url)

    def provider_down(self):
        self.fail(503, _l("Sign-in service not answering"),
                  _l("%(provider)s is not answering right now. Nothing was changed. Try again in a "
                     "few minutes; if it keeps failing, tell your admin.",
                     provider=self.client.config.display_name))


class CallbackHandler(StartHandler):
    async def get(self):
        state = self.get_query_argument("state", "")
        flow = await self.take_flow(state)
        self.clear_cookie(STATE_COOKIE, path=CALLBACK)
        error = self.get_query_argument("error", None)
        if error is not None:
            self.refused(error)
        code = self.get_query_argument("code", "")
        try:
            claims = await self.svc.identity.run(self.client.finish, code, flow.code_verifier,
                                                 flow.nonce, self.redirect_uri())
        except oidc.ProviderDown:
            self.provider_down()
        except oidc.Refused as exc:
            log.info("OIDC sign-in refused: %s", exc)
            self.refused("invalid_token")
        await self.sign_in(claims, flow.next_url)

    async def take_flow(self, state):
        cookie = self.get_cookie(STATE_COOKIE) or ""
        try:
            if not state or not hmac.compare_digest(cookie.encode(), state.encode()):
                raise flows.Expired()
            return await self.svc.writer.submit(flows.take, state)
        except flows.Expired:
            self.fail(400, _l("Sign-in expired"),
                      _l("This sign-in took too long, was already used, or was started in another "
                         "browser. Nothing was changed. Start again from the sign-in page."))

    def refused(self, error):
        name = self.client.config.display_name
        if error == "access_denied":
            message = _l("%(provider)s did not let you in, or you cancelled. You are not signed in.",
                         provider=name)
        else:
            message = _l("%(provider)s could not confirm who you are. You are not signed in; try "
                         "again.", provider=name)
        self.fail(403, _l("Not signed in"), message)

    async def sign_in(self, claims, target):
        cfg = self.client.config
        profile = oidc.profile_of(claims, cfg)
        try:
            user, role_changed = await self.svc.writer.submit(
                accounts.sign_in, profile, cfg.team_map, cfg.admin_groups, cfg.create_users)
        except accounts.NoAccount as exc:
            self.fail(403, _l("No access here"), _l("%(provider)s confirmed who you are, but "
                                                    "%(reason)s.", provider=cfg.display_name,
                                                    reason=exc.message))
        if role_changed:
            self.svc.credentials_changed(user_id=user.id, close=True)
        if self.current_user is not None:
            await end_session(self.svc, self.token_row.id)
        token = await self.svc.writer.submit(auth.issue_token, user, "session")
        self.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Lax", path="/")
        self.redirect(landing(user, target))


routes = [
    (r"/login/oidc", StartHandler),
    (CALLBACK, CallbackHandler),
]
