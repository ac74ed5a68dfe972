"""The employee web app: its shell page, service worker and manifest under /app/."""
import os

import tornado.web

from server.handlers.base import PAGE_CSP
from server.handlers.pages.page import Page

# The admin pages' policy, with the two sources the app adds named outright.
APP_CSP = PAGE_CSP + "; worker-src 'self'; manifest-src 'self'"


class AppPage(Page):
    """/app/: any signed-in user (employee, admin or owner) works on their own tasks here."""
    admin_only = False

    def set_default_headers(self):
        super().set_default_headers()
        self._headers["Content-Security-Policy"] = APP_CSP

    def prepare(self):
        if self.current_user is None:
            url = self.get_login_url() + "?next=%2Fapp%2F"
            if self.request.method in ("GET", "HEAD"):
                return self.redirect(url)
            raise tornado.web.HTTPError(401, "sign in first")
        self.touch(self.token_row)

    def get(self):
        self.xsrf_token  # sets the _xsrf cookie the app's requests echo in a header
        self.render("app.html", user=self.current_user)


class AppFile(tornado.web.RequestHandler):
    """A file of static/app/ at a path under /app/ (a worker's scope is the folder it is served
    from), never cached without a check so a new version reaches every phone."""
    name = content_type = None

    def set_default_headers(self):
        self.clear_header("Server")
        for header, value in (("X-Content-Type-Options", "nosniff"),
                              ("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-cache"),
                              ("Content-Security-Policy", APP_CSP)):
            self.set_header(header, value)

    def get(self):
        # The application's static folder: beside the package in a checkout, inside it once
        # installed (app.pages_folder), so the installed web app keeps its offline mode.
        with open(os.path.join(self.settings["static_path"], "app", self.name), "rb") as source:
            body = source.read()
        self.set_header("Content-Type", self.content_type)
        self.finish(body)


class ServiceWorker(AppFile):
    name, content_type = "sw.js", "text/javascript; charset=utf-8"


class Manifest(AppFile):
    name, content_type = "manifest.webmanifest", "application/manifest+json"


routes = [
    (r"/app/", AppPage),
    (r"/app", tornado.web.RedirectHandler, {"url": "/app/"}),
    (r"/app/sw\.js", ServiceWorker),
    (r"/app/manifest\.webmanifest", Manifest),
]
