"""The discovery documents: ServiceProviderConfig, ResourceTypes and Schemas (RFC 7644 §4)."""
from scim2_models import (AuthenticationScheme, Bulk, ChangePassword, Context, ETag, Filter, Group,
                          Patch, ResourceType, ServiceProviderConfig, Sort, User)

MAX_RESULTS = 200
SCHEMAS = {User.__schema__: User.to_schema(), Group.__schema__: Group.to_schema()}
RESOURCE_TYPES = {"User": ResourceType.from_resource(User), "Group": ResourceType.from_resource(Group)}


def located(document, base, path):
    """The document's dump with its meta.location (every discovery resource has one)."""
    body = document.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    body.setdefault("meta", {}).update(location=base + path)
    body["meta"].setdefault("resourceType", body["schemas"][0].rsplit(":", 1)[-1])
    return body


def service_provider_config(base):
    config = ServiceProviderConfig(
        documentation_uri=None, patch=Patch(supported=True), bulk=Bulk(supported=False,
                                                                        max_operations=0,
                                                                        max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False), sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[AuthenticationScheme(
            type="oauthbearertoken", name="Bearer token",
            description="The token an owner creates with POST /api/admin/scim-token/",
            primary=True)])
    return located(config, base, "/ServiceProviderConfig")


def resource_type(base, name):
    return located(RESOURCE_TYPES[name], base, "/ResourceTypes/" + name)


def schema(base, schema_id):
    return located(SCHEMAS[schema_id], base, "/Schemas/" + schema_id)


def listing(resources):
    """A ListResponse body of already-dumped resources."""
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": len(resources), "startIndex": 1, "itemsPerPage": len(resources),
            "Resources": resources}
