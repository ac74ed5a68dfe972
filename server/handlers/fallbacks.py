"""The answers outside every route list: static files, and a path nothing serves."""
import tornado.web

from server.handlers.base import PAGE_CSP, ApiError, ApiHandler, BaseHandler
from server.services.language.text import _l


class StaticHandler(tornado.web.StaticFileHandler):
    """/static/: the same security headers as every other answer, and no Server header. A URL
    with its content hash (`?v=`: static_url, and the pages' import map) is kept a year and never
    asked again; one without is asked again every time (304 while it is unchanged), so a module
    a browser guessed fresh is never older than the page that imports it."""

    def set_default_headers(self):
        self.clear_header("Server")
        for name, value in BaseHandler.default_headers + (("Content-Security-Policy", PAGE_CSP),):
            self.set_header(name, value)

    def set_extra_headers(self, path):
        if self.get_query_argument("v", None):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.set_header("Cache-Control", "no-cache")


class NotFoundHandler(ApiHandler):
    access = None

    def admit(self):
        super().admit()
        raise ApiError(404, _l("no such endpoint: %(path)s", path=self.request.path))
