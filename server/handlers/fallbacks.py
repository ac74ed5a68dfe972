"""The answers outside every route list: static files, and a path nothing serves."""
import tornado.web

from server.handlers.base import PAGE_CSP, ApiError, ApiHandler, BaseHandler
from server.services.language.text import _l


class StaticHandler(tornado.web.StaticFileHandler):
    """/static/: the same security headers as every other answer, and no Server header."""

    def set_default_headers(self):
        self.clear_header("Server")
        for name, value in BaseHandler.default_headers + (("Content-Security-Policy", PAGE_CSP),):
            self.set_header(name, value)


class NotFoundHandler(ApiHandler):
    access = None

    def admit(self):
        super().admit()
        raise ApiError(404, _l("no such endpoint: %(path)s", path=self.request.path))
