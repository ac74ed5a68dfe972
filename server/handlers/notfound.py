"""An unknown URL: a browser (it asks for text/html) gets the HTML 404 page, an API client the
one JSON error."""
import http

from server.handlers import base, fallbacks


class NotFoundHandler(fallbacks.NotFoundHandler):
    def wants_page(self):
        accept = self.request.headers.get("Accept", "")
        return (self.request.method in ("GET", "HEAD") and "text/html" in accept
                and not self.request.path.startswith("/api/"))

    def get_template_namespace(self):
        namespace = super().get_template_namespace()
        namespace.update(nav=None, current_user=self.session_user()[1])
        return namespace

    def write_error(self, status_code, **kwargs):
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if getattr(exc, "status", status_code) != 404 or not self.wants_page():
            return super().write_error(status_code, **kwargs)
        self.set_status(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", self.svc.modules.csp(base.PAGE_CSP))
        self.render("error.html", status=404, phrase=http.HTTPStatus(404).phrase, employee=False,
                    message="There is no page at %s. Check the address, or start again from the "
                            "home page." % self.request.path)
