"""ApiHandler (JSON in and out, one error shape) and PageHandler (HTML pages, session cookie)."""
import http
import json
import logging
import urllib.parse

import orjson
import tornado.web
from tornado.log import app_log

from server.store.database import drop_connection
from server.services.people import auth
from server.services.core import idempotency
from server.services.core.errors import NotFound, ServiceError, Unauthorized
from server.services.core.validate import MAX_ID
from server.handlers.refusals import CODES, ApiError, CloseAfter, drain_max, refuser, too_large
from server.store import outage
from server.web.accesslog import redacted
from server.handlers.readers import Readers
from server.handlers.scoped import Scoped
from server.services.language.text import _l

log = logging.getLogger("tracker.api")

SESSION_COOKIE = "tracker_session"
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
PAGE_CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'")
def _log_failure(future):
    if not future.cancelled() and future.exception() is not None:
        log.warning("background write failed: %s", future.exception())


def path_id(raw):
    """A numeric id from the URL; beyond the id range it cannot exist."""
    value = int(raw)
    if value > MAX_ID:
        raise NotFound(_l("no object has id %(raw)s", raw=raw))
    return value


class BaseHandler(Scoped, Readers, tornado.web.RequestHandler):
    """What both kinds share: security headers, the session lookup, access to app services."""

    @property
    def svc(self):
        return self.application.settings["services"]

    default_headers = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
                       ("X-Frame-Options", "DENY"))

    def set_default_headers(self):
        # Constant, known-good values: straight into the header map, skipping set_header's checks
        # (they cost a few percent of a small request).
        headers = self._headers
        del headers["Server"]
        for name, value in self.default_headers:
            headers[name] = value

    def session_user(self):
        """(token row, user) from the admin session cookie, or (None, None)."""
        cookie = self.get_cookie(SESSION_COOKIE)
        if not cookie:
            return None, None
        try:
            return self.svc.tokens.resolve(cookie, kind="session",
                                           idle_seconds=self.svc.settings["session_idle_hours"] * 3600)
        except Unauthorized:
            return None, None

    def credentials(self):
        """(token row, user, from_cookie): the bearer token when one is sent, else the session
        cookie. Raises Unauthorized when neither is valid."""
        header = self.request.headers.get("Authorization")
        if header is not None:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthorized(_l("use Authorization: Bearer <token>"))
            token_row, user = self.svc.tokens.resolve(token.strip())
            return token_row, user, False
        token_row, user = self.session_user()
        if user is None:
            raise Unauthorized(_l("a valid token is required"))
        return token_row, user, True

    def outage(self, exc):
        """(code, message) of a request the database failed: counted, logged once per change."""
        drop_connection()  # the next request reconnects
        self.svc.metrics.database_error("request")
        return outage.ANSWERS[outage.OUTAGES.failed(exc, "request")]

    def _request_summary(self):
        """Tornado's own log lines name the request as the access log does: no token, no query value."""
        return "%s %s (%s)" % (self.request.method, redacted(self.request), self.request.remote_ip)

    def log_exception(self, typ, value, tb):
        """An outage is counted in write_error; anything else logged with the redacted summary."""
        if isinstance(value, (ServiceError,) + outage.OUTAGE_ERRORS):
            return  # an expected refusal or outage, already answered; the access log has the line
        if isinstance(value, tornado.web.HTTPError):
            return super().log_exception(typ, value, tb)
        app_log.error("Uncaught exception %s", self._request_summary(), exc_info=(typ, value, tb))

    def touch(self, token_row):
        if auth.needs_touch(token_row):
            token_row.last_used_at = auth.utcnow()  # optimistic: one write a minute per token
            done = self.svc.writer.submit(auth.touch_token, token_row.id)
            done.add_done_callback(_log_failure)


@tornado.web.stream_request_body
class ApiHandler(BaseHandler):
    """JSON endpoints. `access` is None (anyone), "user" or "admin". Bodies are capped while they
    stream in, so an oversized one is refused with 413 before it is read or parsed."""
    access = "user"
    token_row = xsrf_refusal = None
    admitted = False  # until prepare returns, a refusal is answered before the body is read

    default_headers = BaseHandler.default_headers + (("Content-Security-Policy", API_CSP),
                                                     ("Cache-Control", "no-store"))

    def check_xsrf_cookie(self):
        # The bearer-token API is not cookie-authenticated; a request that could ride on the
        # session cookie must carry the XSRF token (refused in prepare, after its body).
        if self.get_cookie(SESSION_COOKIE) and not self.request.headers.get("Authorization"):
            try:
                super().check_xsrf_cookie()
            except tornado.web.HTTPError as refusal:
                self.xsrf_refusal = refusal

    def prepare(self):
        self._chunks, self._size = [], 0
        try:
            if self.xsrf_refusal is not None:
                raise self.xsrf_refusal
            self.admit()
        except (ServiceError, tornado.web.HTTPError) as refusal:
            self.refuse_after_body(refusal)
        self.admitted = True  # whatever is answered now is answered after the body

    def admit(self):
        """Every check made before the body arrives: its size, then the credentials."""
        limit = self.svc.settings["max_body_bytes"]
        length = self.request.headers.get("Content-Length")
        if length is not None:
            if not (length.isascii() and length.isdigit()):  # "²" is a digit to str.isdigit
                raise CloseAfter(400, _l("Content-Length must be a number"))  # no framing: unsafe
            if int(length) > drain_max(limit):
                raise too_large(limit, CloseAfter)
        # Tornado cuts a body over drain_max off (and the connection with it); one over `limit`
        # but within drain_max is read, thrown away and refused (see data_received).
        self.request.connection.set_max_body_size(drain_max(limit))
        if length is not None and int(length) > limit:
            raise too_large(limit)
        if self.access is not None:
            self.authenticate()

    def refuse_after_body(self, refusal):
        """Answer `refusal` once the body has been read: Tornado closes a keep-alive connection
        whose request is answered before its body is read, and the client's next request on it
        meets a reset. Only a refusal for which reading is unsafe is answered at once."""
        if isinstance(refusal, CloseAfter):
            raise refusal
        self._chunks = None  # the body is read and dropped, never parsed
        # prepare runs only for a method in SUPPORTED_METHODS: the name is one of get, post...
        setattr(self, self.request.method.lower(), refuser(refusal))

    def data_received(self, chunk):
        self._size += len(chunk)
        limit = self.svc.settings["max_body_bytes"]
        if self._chunks is not None and self._size > limit:  # chunked: no length announced
            self.refuse_after_body(too_large(limit))
        if self._chunks is not None:
            self._chunks.append(chunk)

    def authenticate(self):
        self.token_row, self.current_user, _from_cookie = self.credentials()
        self.touch(self.token_row)
        self.check_access(self.access)  # "admin", or "staff" (a team's leads and viewers too)

    def json_body(self, optional=False):
        """The parsed JSON body; 415 unless it is application/json, 400 if it does not parse."""
        raw = b"".join(self._chunks)
        if not raw.strip() and optional:
            return {}
        ctype = self.request.headers.get("Content-Type", "")
        if ctype.split(";")[0].strip().lower() != "application/json":
            raise ApiError(415, _l("send the body as application/json"))
        try:  # strict: no NaN, no lone surrogates (text that could never be stored)
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise ApiError(400, _l("the body is not valid JSON")) from None

    def reply(self, body, status=200):
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(orjson.dumps(body))

    def idempotent(self, fields, field):
        """fields with the Idempotency-Key header as their key `field` (services/core/idempotency)."""
        return idempotency.with_header(fields, field, self.request.headers.get(idempotency.HEADER))

    def reply_once(self, outcome, status=200):
        """An idempotent write's (answer, replayed): a replay says so in Idempotent-Replayed."""
        answer, replayed = outcome
        if replayed:
            self.set_header("Idempotent-Replayed", "true")
        self.reply(answer, status)

    def write_error(self, status_code, **kwargs):
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, ServiceError):
            status, code, message, field = exc.status, exc.code, exc.message, exc.field
            if getattr(exc, "retry_after", None):
                self.set_header("Retry-After", str(exc.retry_after))
        elif isinstance(exc, tornado.web.HTTPError) and status_code < 500:
            status, code, field = status_code, CODES.get(status_code, "error"), None
            message = exc.log_message or http.HTTPStatus(status_code).phrase
            if status_code == 403 and "xsrf" in message.lower():
                code = "xsrf_failed"
        elif isinstance(exc, outage.OUTAGE_ERRORS):
            status, code, message, field = (503,) + self.outage(exc) + (None,)
            message = self.reader.gettext(message)
        else:
            status, code, field = 500, "server_error", None
            message = _l("internal error; it has been logged")
        if status == 405:
            self.set_header("Allow", ", ".join(self.allowed_methods()))
        if not self.admitted:  # answered before the body: Tornado closes; say so, or the
            self.set_header("Connection", "close")  # client's next request meets a reset
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        error = {"code": code, "message": self.reader.say(message), "field": field}
        error.update(getattr(exc, "details", None) or {})  # e.g. a dependency cycle's path
        self.finish(json.dumps({"error": error}))

    def allowed_methods(self):
        base = tornado.web.RequestHandler
        return [m for m in self.SUPPORTED_METHODS
                if getattr(type(self), m.lower()) is not getattr(base, m.lower())]

    async def write_op(self, fn, *args):
        return await self.svc.writer.submit(fn, *args)


class PageHandler(BaseHandler):
    """HTML pages for admins and owners: session cookie, strict CSP, errors as an HTML page.

    Anyone without a session is sent to /login; an employee gets a clear refusal, never a page."""
    admin_only = True
    token_row = None

    default_headers = BaseHandler.default_headers + (("Content-Security-Policy", PAGE_CSP),
                                                     ("Cache-Control", "no-store"))

    def set_default_headers(self):
        super().set_default_headers()
        self._headers["Content-Security-Policy"] = self.svc.modules.csp(PAGE_CSP)  # its import map

    def get_current_user(self):
        self.token_row, user = self.session_user()
        return user

    def set_cookie(self, name, value, *args, **kwargs):
        # Served over HTTPS (directly, or behind a proxy trusted with TRACKER_XHEADERS), every
        # cookie a page sets (session and _xsrf) is Secure.
        if self.request.protocol == "https":
            kwargs["secure"] = True
        super().set_cookie(name, value, *args, **kwargs)

    def prepare(self):
        if not self.admin_only:
            return
        if self.current_user is None:
            if self.request.method in ("GET", "HEAD"):
                return self.redirect(self.get_login_url() + "?" + urllib.parse.urlencode(
                    {"next": self.request.uri}))
            raise tornado.web.HTTPError(401, _l("sign in first"))
        self.touch(self.token_row)
        if not self.current_user.is_admin and not (self.admin_only == "staff" and self.scope.staff):
            raise tornado.web.HTTPError(403, "employee")

    def write_error(self, status_code, **kwargs):
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, ServiceError):
            status_code, message = exc.status, exc.message
        elif isinstance(exc, tornado.web.HTTPError) and status_code < 500:
            message = exc.log_message or http.HTTPStatus(status_code).phrase
        elif isinstance(exc, outage.OUTAGE_ERRORS):
            status_code, message = 503, self.as_sentence(self.reader.gettext(self.outage(exc)[1]))
        else:
            status_code, message = 500, _l("Something went wrong on our side; it has been logged.")
        self.set_status(status_code)
        employee = status_code == 403 and message == "employee"
        self.render("error.html", status=status_code, message=self.reader.say(message), employee=employee,
                    phrase=http.HTTPStatus(status_code).phrase)
