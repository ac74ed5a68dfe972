"""/login/desktop: the page the desktop app opens in the system browser. Signed in (any way the
server allows: password, company account, passkey), the person confirms, and the browser goes back
to the app's loopback address with a one-time code (RFC 8252)."""
import urllib.parse

from server.services.core.errors import ServiceError
from server.services.identity import desktop
from server.handlers.base import PAGE_CSP
from server.handlers.pages.page import Page

PATH = "/login/desktop"


class DesktopSigninPage(Page):
    admin_only = False

    def args(self, source):
        names = ("redirect_uri", "state", "code_challenge", "code_challenge_method")
        return [source(name, "") for name in names]

    def refuse(self, exc):
        self.set_status(400)
        self.render("signin_error.html", status=400, title="This sign-in link is not valid",
                    message="The desktop app sent a request this server does not accept (%s). "
                            "Start the sign-in again from the app." % exc.message)

    def get(self):
        values = self.args(self.get_query_argument)
        try:
            desktop.check_request(*values)
        except ServiceError as exc:
            return self.refuse(exc)
        if self.current_user is None:
            return self.redirect("/login?" + urllib.parse.urlencode({"next": self.request.uri}))
        # The form's answer redirects to the app's loopback address: this page's CSP allows it.
        origin = "/".join(values[0].split("/")[:3])
        self.set_header("Content-Security-Policy", self.svc.modules.csp(
            PAGE_CSP.replace("form-action 'self'", "form-action 'self' " + origin)))
        self.render("desktop_signin.html", values=dict(zip(
            ("redirect_uri", "state", "code_challenge", "code_challenge_method"), values)))

    async def post(self):
        values = self.args(self.get_body_argument)
        try:
            desktop.check_request(*values)
        except ServiceError as exc:
            return self.refuse(exc)
        if self.current_user is None:
            return self.redirect("/login")
        target = await self.svc.writer.submit(desktop.grant, self.current_user, *values[:3])
        self.redirect(target)


routes = [
    (PATH, DesktopSigninPage),
]
