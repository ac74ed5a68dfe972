"""The OpenAPI paths of a person's own data, presence pause and erasure (SPEC 11.3)."""
from server.handlers.openapi.schemas import STR, answer, body, errors, obj, op

ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
ANY = {"type": "object", "additionalProperties": True}
LIST = {"type": "array", "items": ANY}
BOOL = {"type": "boolean"}
PAUSED = obj({"paused": BOOL}, ["paused"])
MY_DATA = obj({"generated_at": STR, "profile": ANY, "presence": LIST, "time_entries": LIST,
               "progress_reports": LIST, "comments": LIST, "audit_rows": LIST, "statistics": LIST},
              ["profile", "presence", "time_entries", "progress_reports", "comments", "audit_rows",
               "statistics"], extra=True)
ZIP = {"description": "A ZIP: README.txt, my-data.json and one CSV file per list",
       "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}

PRIVACY_PATHS = {
    "/api/me/privacy/": {"get": op(
        "What is recorded about you here: the presence level, pause, retention", dict(
            {"200": answer("The privacy settings that apply to you", obj(
                {"presence_detail": {"type": "string", "enum": ["full", "online", "off"]},
                 "allow_pause": BOOL, "paused": BOOL, "retention_days": ANY}, ["presence_detail",
                 "allow_pause", "paused", "retention_days"], extra=True))}, **errors(401)),
        tag="privacy")},
    "/api/me/data/": {"get": op(
        "Everything the employer sees about you, at the same detail (GDPR Art. 15)",
        dict({"200": answer("Your data", MY_DATA)}, **errors(401)), tag="privacy")},
    "/api/me/export": {"get": op(
        "Your data as a ZIP of JSON and CSV (GDPR Art. 20)", dict({"200": ZIP}, **errors(401)),
        tag="privacy")},
    "/api/me/pause/": {"post": op(
        "Pause your presence (private time): admins see PAUSED, your timer stops",
        dict({"200": answer("Paused", PAUSED)}, **errors(401, 403, 413, 415)), tag="privacy")},
    "/api/me/resume/": {"post": op(
        "End a pause; your next heartbeat reports presence again",
        dict({"200": answer("Resumed", PAUSED)}, **errors(401, 403, 413, 415)), tag="privacy")},
    "/api/admin/users/{user_id}/erase/": {
        "parameters": [{"name": "user_id", "in": "path", "required": True, "schema": ID}],
        "post": op("Erase a person (owners; GDPR Art. 17): confirm with their username", dict(
            {"200": answer("Erased", obj({"status": {"enum": ["erased"]}, "user_id": ID,
                                          "username": STR, "redacted_rows": {"type": "integer"}},
                                         ["status", "user_id", "username", "redacted_rows"]))},
            **errors(400, 401, 403, 404, 409, 413, 415)),
            body(obj({"confirm": STR}, ["confirm"])), tag="privacy")},
}
