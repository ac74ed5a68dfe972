"""SCIM 2.0 at /scim/v2/ (RFC 7644) for Entra ID, Okta and others: what every SCIM endpoint
shares. Answers and errors are SCIM's own (application/scim+json, the Error message), as SCIM
clients expect; the bearer token is the one an owner made with POST /api/admin/scim-token/."""
import http
import json
import logging

import pydantic
import tornado.web
from scim2_models import (Context, Error, InvalidFilterException, ResponseParameters,
                          SCIMException, ScimFilter, User)

from server.services.core.errors import ServiceError
from server.services.identity.scim import discovery, token
from server.handlers.base import BaseHandler

log = logging.getLogger("tracker.scim")
BASE = "/scim/v2"
SCIM_TYPES = ("application/scim+json", "application/json")
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def page_args(handler):
    """(startIndex from 1, count at most MAX_RESULTS) from the query."""
    try:
        start = max(1, int(handler.get_query_argument("startIndex", "1")))
        count = min(discovery.MAX_RESULTS, max(0, int(handler.get_query_argument(
            "count", str(discovery.MAX_RESULTS)))))
    except ValueError:
        raise tornado.web.HTTPError(400, "startIndex and count must be numbers") from None
    return start, count


def parsed_filter(text, model):
    try:
        return ScimFilter[model](text)
    except Exception as exc:  # the parser's own errors: every one means a bad filter
        raise InvalidFilterException(detail="the filter does not parse: %s" % exc) from None


class ScimHandler(BaseHandler):
    default_headers = BaseHandler.default_headers + (("Cache-Control", "no-store"),)
    model = User  # the resource an endpoint serves: what `attributes` may name

    def check_xsrf_cookie(self):
        pass  # bearer token only: no cookie rides along

    def prepare(self):
        scheme, _, value = (self.request.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not token.valid(value.strip()):
            self.set_header("WWW-Authenticate", 'Bearer realm="scim"')
            raise tornado.web.HTTPError(401, "a valid SCIM bearer token is required")

    @property
    def base(self):
        return "%s://%s%s" % (self.request.protocol, self.request.host, BASE)

    def body(self):
        if len(self.request.body) > self.svc.settings["max_body_bytes"] * 4:
            raise tornado.web.HTTPError(413, "the body is too large")
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind not in SCIM_TYPES:
            raise tornado.web.HTTPError(415, "send application/scim+json")
        try:
            return json.loads(self.request.body)
        except ValueError:
            raise tornado.web.HTTPError(400, "the body is not valid JSON") from None

    def reply(self, body, status=200):
        self.set_status(status)
        self.set_header("Content-Type", "application/scim+json")
        self.finish(json.dumps(body))

    def write_error(self, status_code, **kwargs):
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, SCIMException):
            error = exc.to_error()
        elif isinstance(exc, ServiceError):
            error = Error(status=exc.status, detail=exc.message)
        elif isinstance(exc, tornado.web.HTTPError) and status_code < 500:
            error = Error(status=status_code,
                          detail=exc.log_message or http.HTTPStatus(status_code).phrase)
        else:
            error = Error(status=500, detail="internal error; it has been logged")
        self.set_status(int(error.status))
        self.reply(error.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), int(error.status))

    def log_exception(self, typ, value, tb):
        if not isinstance(value, (SCIMException, ServiceError)):
            super().log_exception(typ, value, tb)

    def params(self):
        raw = {k: self.get_query_argument(v) for k, v in (("attributes", "attributes"),
               ("excluded_attributes", "excludedAttributes")) if self.get_query_argument(v, None)}
        try:
            return ResponseParameters[self.model].model_validate(raw) if raw else None
        except pydantic.ValidationError:
            raise InvalidFilterException(detail="attributes name no attribute of %s"
                                         % self.model.__name__) from None

    def resource(self, resource, context=Context.RESOURCE_QUERY_RESPONSE):
        return resource.model_dump(scim_ctx=context, response_parameters=self.params())

    def listed(self, found, start, count, params):
        """A ListResponse of one page of `found` (every match, in order)."""
        chosen = found[start - 1:start - 1 + count]
        resources = [r.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=params)
                     for r in chosen]
        self.reply({"schemas": [LIST_RESPONSE], "totalResults": len(found), "startIndex": start,
                    "itemsPerPage": len(chosen), "Resources": resources})


class NoSuchHandler(ScimHandler):
    def prepare(self):
        super().prepare()
        raise tornado.web.HTTPError(404, "no such SCIM endpoint: %s" % self.request.path)


routes = [(BASE + r"/.*", NoSuchHandler)]  # last: after every other SCIM route
