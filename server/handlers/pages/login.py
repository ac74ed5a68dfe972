"""The sign-in pages: /login, /logout and / (which sends you to one or the other)."""
import urllib.parse

from server.services.people import auth
from server.services.core.errors import ServiceError, Throttled, Unauthorized, ValidationError
from server.handlers.base import SESSION_COOKIE
from server.handlers.pages.page import MONITOR, Page
from server.services.people import scope as scope_rule
from server.services.identity.factors import passkeys
from server.services.identity.signin import PasskeyRequired, must_enrol, password_sign_in
from server.services.language.text import _l

APP = "/app/"
ANYONE = (APP, "/login/desktop", "/security")  # pages for employees too


def landing(user, target):
    """Admins, and the leads and viewers of a team, go where they asked (the monitor by default);
    employees have only the web app."""
    if user.is_admin or scope_rule.of(user).staff:
        return target
    return target if target.startswith(ANYONE) else APP


def safe_next(target):
    """Only a path on this site may follow a login. Judged as a browser parses it: browsers drop
    tabs and newlines and read a backslash as a slash, so `/<tab>/evil.example` is `//evil.example`;
    any control character, backslash or non-ASCII character, or a parsed host, is refused."""
    if (not target or not target.startswith("/") or "\\" in target
            or any(ord(ch) < 0x21 or ord(ch) > 0x7e for ch in target)):
        return MONITOR
    parsed = urllib.parse.urlsplit(target)
    if parsed.scheme or parsed.netloc or target.startswith("//"):
        return MONITOR
    return target


def refusal_text(exc, reader):
    """What the login form says for a refused sign-in, in the reader's language."""
    if isinstance(exc, Throttled):
        minutes = max(1, round(exc.retry_after / 60))
        return reader.ngettext("Too many failed sign-ins. Try again in %(num)s minute.",
                               "Too many failed sign-ins. Try again in %(num)s minutes.", minutes)
    message = reader.say(exc.message)
    if isinstance(exc, ValidationError):
        return message
    if not isinstance(exc, Unauthorized) or exc.code != "unauthorized":  # directory down, SSO only
        return message[:1].upper() + message[1:] + ("" if message.endswith((".", "。")) else ".")
    return reader.gettext("Wrong username or password.")  # never which of the two


async def end_session(svc, token_id):
    await svc.writer.submit(auth.revoke_token, token_id)
    svc.credentials_changed(token_id=token_id)


def relying_party(handler):
    """(rp_id, origin) of this request: the setting, else the host the browser used."""
    origin = "%s://%s" % (handler.request.protocol, handler.request.host)
    rp_id = handler.svc.settings["webauthn_rp_id"] or handler.request.host.rsplit(":", 1)[0]
    return rp_id.strip("[]"), origin


class LoginHandler(Page):
    admin_only = False

    def get(self):
        target = safe_next(self.get_query_argument("next", None))
        if self.current_user is not None:
            return self.redirect(landing(self.current_user, target))
        self.show(target, signed_out=self.get_query_argument("bye", None) is not None)

    def show(self, target, username="", error=None, signed_out=False, ask_otp=False,
             passkey_step=None):
        oidc = self.svc.identity.oidc
        self.render("login.html", error=error, username=username, next=target,
                    signed_out=signed_out, sso_name=oidc and oidc.config.display_name, ask_otp=ask_otp,
                    passkey_step=passkey_step,
                    passwords_first=not self.svc.settings["sso_only"] or bool(
                        self.svc.identity.ldap))

    async def post(self):
        previous = self.current_user and self.token_row
        username = self.get_body_argument("username", "").strip()[:64]
        password = self.get_body_argument("password", "", strip=False)  # exactly as typed
        target = safe_next(self.get_body_argument("next", None))
        try:
            user = await self.verify(username, password)
        except PasskeyRequired as exc:
            return await self.passkey_step(exc.user, username, target)
        except ServiceError as exc:
            return self.refuse(exc, username, target)
        if previous:  # a new sign-in in this browser ends the session it had
            await end_session(self.svc, previous.id)
        token = await self.svc.writer.submit(auth.issue_token, user, "session")
        self.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Lax", path="/")
        self.redirect("/security?required=1" if must_enrol(self.svc.settings, user)
                      else landing(user, target))

    async def verify(self, username, password):
        if not username or not password:
            raise ValidationError(_l("Enter your username and your password."))
        otp = self.get_body_argument("otp", "").strip()[:64] or None
        return await password_sign_in(self.svc, username, password, self.request.remote_ip, otp)

    async def passkey_step(self, user, username, target):
        """The password was right: now the user's passkey (static/js/passkeys.js asks for it)."""
        rp_id, _origin = relying_party(self)
        step = await self.svc.writer.submit(passkeys.second_factor_options, user, rp_id)
        self.set_status(401)
        self.show(target, username,
                  self.reader.gettext("Confirm with your passkey to finish signing in."),
                  passkey_step=step)

    def refuse(self, exc, username, target):
        """The form again with the reason: 400 empty, 401 wrong, 429 throttled."""
        self.set_status(exc.status)
        if isinstance(exc, Throttled):
            self.set_header("Retry-After", str(exc.retry_after))
        self.show(target, username, refusal_text(exc, self.reader),
                  ask_otp=exc.code in ("otp_required", "otp_invalid"))


class LogoutHandler(Page):
    admin_only = False

    async def post(self):
        if self.current_user is not None:
            await end_session(self.svc, self.token_row.id)
        self.clear_cookie(SESSION_COOKIE, path="/")
        # The browser drops this site's caches and storage (the web app's cached shell, tasks
        # and outbox, its service worker): nothing of the session is left on the device.
        self.set_header("Clear-Site-Data", '"cache", "storage"')
        self.redirect("/login?bye=1")


class HomeHandler(Page):
    admin_only = False

    def get(self):
        user = self.current_user
        self.redirect(landing(user, MONITOR) if user is not None else "/login")


routes = [
    (r"/", HomeHandler),
    (r"/login", LoginHandler),
    (r"/logout", LogoutHandler),
]
