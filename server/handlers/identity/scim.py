"""SCIM 2.0 at /scim/v2/ (RFC 7644) for Entra ID, Okta and others: the discovery documents and
Users. Answers and errors are SCIM's own (application/scim+json, the Error message), as SCIM
clients expect; the bearer token is the one an owner made with POST /api/admin/scim-token/."""
import http
import json
import logging
import re

import pydantic
import tornado.web
from scim2_models import (Context, Error, InvalidFilterException, ResponseParameters,
                          SCIMException, User)

from server.services.core.errors import ServiceError
from server.services.identity.scim import discovery, token
from server.handlers.base import BaseHandler

log = logging.getLogger("tracker.scim")
BASE = "/scim/v2"
SCIM_TYPES = ("application/scim+json", "application/json")
USER_NAME_EQ = re.compile(r'^\s*userName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.I)


class ScimHandler(BaseHandler):
    default_headers = BaseHandler.default_headers + (("Cache-Control", "no-store"),)

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
            return ResponseParameters[User].model_validate(raw) if raw else None
        except pydantic.ValidationError:
            raise InvalidFilterException(detail="attributes name no attribute of User") from None

    def resource(self, resource, context=Context.RESOURCE_QUERY_RESPONSE):
        return resource.model_dump(scim_ctx=context, response_parameters=self.params())



class ServiceProviderConfigHandler(ScimHandler):
    def get(self):
        self.reply(discovery.service_provider_config(self.base))


class ResourceTypesHandler(ScimHandler):
    def get(self, name=None):
        if name is None:
            return self.reply(discovery.listing([discovery.resource_type(self.base, n)
                                                 for n in discovery.RESOURCE_TYPES]))
        if name not in discovery.RESOURCE_TYPES:
            raise tornado.web.HTTPError(404, "no resource type %s" % name)
        self.reply(discovery.resource_type(self.base, name))


class SchemasHandler(ScimHandler):
    def get(self, schema_id=None):
        if schema_id is None:
            return self.reply(discovery.listing([discovery.schema(self.base, s)
                                                 for s in discovery.SCHEMAS]))
        if schema_id not in discovery.SCHEMAS:
            raise tornado.web.HTTPError(404, "no schema %s" % schema_id)
        self.reply(discovery.schema(self.base, schema_id))


routes = [
    (BASE + r"/ServiceProviderConfig/?", ServiceProviderConfigHandler),
    (BASE + r"/ResourceTypes/?", ResourceTypesHandler),
    (BASE + r"/ResourceTypes/([^/]+)", ResourceTypesHandler),
    (BASE + r"/Schemas/?", SchemasHandler),
    (BASE + r"/Schemas/([^/]+)", SchemasHandler),
]
