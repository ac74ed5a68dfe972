"""The SCIM discovery documents (RFC 7644 §4): ServiceProviderConfig, ResourceTypes, Schemas."""
import tornado.web

from server.services.identity.scim import discovery
from server.handlers.identity.scim.base import BASE, ScimHandler


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
