"""The OpenAPI paths of webhooks and the calendar feed (openapi_paths.REGISTERED lists them)."""
from server.services.outbound.webhooks import EVENT_TYPES, FORMATS
from server.handlers.openapi.schemas import STR, answer, body, errors, obj, op, query

ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
HOOK_ID = {"name": "hook_id", "in": "path", "required": True, "schema": ID}
EVENTS = {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(EVENT_TYPES) + ["*"]}}
URL = {"type": "string", "minLength": 1, "maxLength": 2000}
ENDPOINT = {"type": "object", "description": "id, url, events, format, description, enabled, "
            "disabled_reason, failing_since, old_secret_expires_at, created_at, pending; "
            "`secret` only when created or rotated"}
DELIVERY = {"type": "object", "description": "id, event_id, event_type, webhook_id (the header), "
            "status (pending, delivered, failed), attempts, response_code, duration_ms, error, "
            "created_at, next_attempt_at, finished_at"}
FIELDS = {"url": URL, "events": EVENTS, "format": {"type": "string", "enum": list(FORMATS)},
          "description": {"type": "string", "maxLength": 500}}
FEED_URL = obj({"url": STR}, ["url"])

WEBHOOK_PATHS = {
    "/api/admin/webhooks/": {
        "get": op("Webhook endpoints (admin)", dict({"200": answer("Endpoints", obj(
            {"webhooks": {"type": "array", "items": ENDPOINT}}, ["webhooks"]))}, **errors(401, 403)),
            tag="webhooks"),
        "post": op("Register an endpoint; the answer carries its secret, shown this once",
                   dict({"201": answer("Registered", ENDPOINT)}, **errors(400, 401, 403, 413, 415)),
                   body(obj(FIELDS, ["url", "events"])), tag="webhooks")},
    "/api/admin/webhooks/{hook_id}/": {
        "parameters": [HOOK_ID],
        "get": op("One endpoint", dict({"200": answer("Endpoint", ENDPOINT)}, **errors(401, 403, 404)),
                  tag="webhooks"),
        "patch": op("Edit an endpoint; enabled: true restarts a disabled one",
                    dict({"200": answer("Changed", ENDPOINT)}, **errors(400, 401, 403, 404, 413, 415)),
                    body(obj(dict(FIELDS, enabled={"type": "boolean"}))), tag="webhooks"),
        "delete": op("Delete an endpoint and its queued deliveries",
                     dict({"204": answer("Deleted")}, **errors(401, 403, 404)), tag="webhooks")},
    "/api/admin/webhooks/{hook_id}/rotate-secret/": {
        "parameters": [HOOK_ID],
        "post": op("A new secret; the old one keeps signing beside it for 24 h",
                   dict({"200": answer("Rotated", ENDPOINT)}, **errors(401, 403, 404)), tag="webhooks")},
    "/api/admin/webhooks/{hook_id}/deliveries/": {
        "parameters": [HOOK_ID],
        "get": op("The endpoint's delivery log, newest first, 100 a page",
                  dict({"200": answer("Deliveries", obj(
                      {"deliveries": {"type": "array", "items": DELIVERY}}, ["deliveries"]))},
                      **errors(400, 401, 403, 404)),
                  params=[query("before", ID, "only deliveries with a smaller id (the next page)")],
                  tag="webhooks")},
    "/api/admin/webhooks/{hook_id}/deliveries/{delivery_id}/redeliver/": {
        "parameters": [HOOK_ID, dict(HOOK_ID, name="delivery_id")],
        "post": op("Send a delivery again (same webhook-id), after the endpoint's queue",
                   dict({"202": answer("Queued", DELIVERY)}, **errors(401, 403, 404, 409)),
                   tag="webhooks")},
    "/api/me/calendar/": {"get": op(
        "Your calendar feed's secret URL", dict({"200": answer("Feed", FEED_URL)}, **errors(401)),
        tag="calendar")},
    "/api/me/calendar/rotate/": {"post": op(
        "A new feed URL; the old one answers 404 from now on",
        dict({"200": answer("Feed", FEED_URL)}, **errors(401)), tag="calendar")},
}
