"""The pieces the OpenAPI document is built from: schema helpers, shared parameters, components."""
from server.store.models import OCCUPANCY, PRIORITIES, ROLES, STATUSES


def obj(props, required=(), extra=False):
    return {"type": "object", "properties": props, "required": list(required),
            "additionalProperties": extra}


def ref(name):
    return {"$ref": "#/components/schemas/%s" % name}


def nullable(schema):
    """OpenAPI 3.0: an enum must list null too, or `nullable` does not admit it."""
    out = dict(schema, nullable=True)
    if "enum" in out:
        out["enum"] = list(out["enum"]) + [None]
    return out


STR = {"type": "string"}
INT = {"type": "integer"}
TIME = {"type": "string", "format": "date-time"}
BRIEF = obj({"id": INT, "username": STR, "full_name": STR}, ["id", "username", "full_name"])

SCHEMAS = {
    "Error": obj({"error": obj({"code": STR, "message": STR, "field": nullable(STR),
                                # dependency_cycle: the path, first = last; blocked: the blockers
                                "cycle": {"type": "array", "items": INT},
                                "blocked_by": {"type": "array", "items": INT}},
                               ["code", "message", "field"])}, ["error"]),
    "UserBrief": BRIEF,
    "User": obj({"id": INT, "username": STR, "full_name": STR, "role": {"enum": list(ROLES)},
                 "is_active": {"type": "boolean"}, "email": nullable(STR),
                 "mail_unsubscribed": {"type": "array", "items": STR}},
                ["id", "username", "full_name", "role"]),
    "Task": obj({
        "id": INT, "title": STR, "description": STR, "status": {"type": "string", "enum": list(STATUSES)},
        "priority": {"type": "string", "enum": list(PRIORITIES)},
        "progress_percentage": {"type": "integer", "minimum": 0, "maximum": 100},
        "due_date": nullable(TIME), "is_overdue": {"type": "boolean"},
        "overdue_at": nullable(TIME), "assignee": ref("UserBrief"),
        "project": nullable(obj({"id": INT, "name": STR}, ["id", "name"])),
        "created_at": TIME, "updated_at": TIME, "completed_at": nullable(TIME),
        "last_progress_update_at": nullable(TIME),
        "last_progress_updated_by": nullable(BRIEF), "version": INT,
        "forecast_completion_at": nullable(TIME), "at_risk": {"type": "boolean"},
        "is_stale": {"type": "boolean"},
        "depends_on": {"type": "array", "items": INT}, "blocked_by": {"type": "array", "items": INT},
        "is_blocked": {"type": "boolean"},
        "estimate_minutes": nullable(INT), "tracked_minutes": INT,
        "comment_count": INT,
    }, ["id", "title", "status", "priority", "progress_percentage", "assignee", "version"], extra=True),
    "AuditRow": obj({
        "id": INT, "task_id": INT, "user": ref("UserBrief"), "action": STR,
        "previous_percentage": nullable(INT), "new_percentage": INT,
        "previous_status": nullable(STR), "new_status": STR, "notes": STR,
        "occupancy_status": nullable(STR), "client_update_id": nullable(STR),
        "client_timestamp": nullable(STR), "created_at": TIME, "hash": STR,
        "text": {"type": "string", "description": "the row in words, without its time"},
        "words": {"type": "object", "additionalProperties": True,
                  "description": "the same sentence to say in another language: msgid, values "
                                 "(each a string, a number, such an object, a list or {date})"},
    }, ["id", "task_id", "user", "new_percentage", "new_status", "created_at", "hash", "text"],
        extra=True),
    "ProgressAnswer": obj({"status": {"enum": ["success"]}, "task_id": INT, "new_progress": INT,
                           "task_status": STR, "version": INT, "update_id": INT},
                          ["status", "task_id", "new_progress", "task_status", "version", "update_id"]),
    "Project": obj({"id": INT, "name": STR, "description": STR, "archived": {"type": "boolean"}},
                   ["id", "name"]),
}

UPDATE_FIELDS = {
    "notes": nullable({"type": "string", "maxLength": 2000}),
    "occupancy_status": nullable({"type": "string", "enum": list(OCCUPANCY)}),
    "client_update_id": nullable({"type": "string", "minLength": 1, "maxLength": 64}),
    "client_timestamp": nullable(TIME),
}


def body(schema):
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def answer(description, schema=None, headers=None):
    out = {"description": description}
    if schema is not None:
        out["content"] = {"application/json": {"schema": schema}}
    if headers:
        out["headers"] = headers
    return out


ERROR_WORDS = {400: "Bad input", 401: "No or invalid token", 403: "Not allowed", 404: "Not found",
               409: "Conflict", 413: "Body too large", 415: "Not JSON", 422: "Idempotency key reused",
               429: "Throttled", 503: "A service it depends on is not answering (the directory)"}


def errors(*codes):
    """The error answers of an operation, each with the one error body."""
    return {str(c): answer(ERROR_WORDS[c], ref("Error")) for c in codes}


def csv_answer(description):
    """A CSV download: header row, then rows; cells that a spreadsheet would run start with '."""
    return {"description": description,
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "headers": {"Content-Disposition": {"schema": STR,
                                                "description": "attachment; filename=..."}}}


def op(summary, responses, request=None, secure=True, params=None, tag="tasks"):
    out = {"summary": summary, "tags": [tag], "responses": responses}
    if request:
        out["requestBody"] = request
    if not secure:
        out["security"] = []
    if params:
        out["parameters"] = params
    return out


def query(name, schema, description=""):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


TASK_ID = {"name": "task_id", "in": "path", "required": True,
           "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}
TASK_LIST = obj({"tasks": {"type": "array", "items": ref("Task")}, "cursor": INT}, ["tasks", "cursor"],
                extra=True)
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "schema": {"type": "string", "minLength": 1, "maxLength": 64}}
REPLAYED = {"Idempotent-Replayed": {"schema": {"type": "string"},
                                    "description": "true when this answer replays an earlier one"}}

