"""The OpenAPI 3.0 document of the REST API, built from small schema pieces."""
import functools

from ..store.models import OCCUPANCY, PRIORITIES, ROLES, STATUSES


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
    "Error": obj({"error": obj({"code": STR, "message": STR, "field": nullable(STR)},
                               ["code", "message", "field"])}, ["error"]),
    "UserBrief": BRIEF,
    "User": obj({"id": INT, "username": STR, "full_name": STR, "role": {"enum": list(ROLES)},
                 "is_active": {"type": "boolean"}}, ["id", "username", "full_name", "role"]),
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
    }, ["id", "title", "status", "priority", "progress_percentage", "assignee", "version"], extra=True),
    "AuditRow": obj({
        "id": INT, "task_id": INT, "user": ref("UserBrief"), "action": STR,
        "previous_percentage": nullable(INT), "new_percentage": INT,
        "previous_status": nullable(STR), "new_status": STR, "notes": STR,
        "occupancy_status": nullable(STR), "client_update_id": nullable(STR),
        "client_timestamp": nullable(STR), "created_at": TIME, "hash": STR,
    }, ["id", "task_id", "user", "new_percentage", "new_status", "created_at", "hash"], extra=True),
    "ProgressAnswer": obj({"status": {"enum": ["success"]}, "task_id": INT, "new_progress": INT,
                           "task_status": STR, "version": INT, "update_id": INT},
                          ["status", "task_id", "new_progress", "task_status", "version", "update_id"]),
    "Project": obj({"id": INT, "name": STR, "description": STR}, ["id", "name"]),
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


def errors(*codes):
    words = {400: "Bad input", 401: "No or invalid token", 403: "Not allowed", 404: "Not found",
             409: "Conflict", 413: "Body too large", 415: "Not JSON", 422: "Idempotency key reused",
             429: "Throttled"}
    return {str(c): answer(words[c], ref("Error")) for c in codes}


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


def paths():
    progress_body = obj(dict(UPDATE_FIELDS, progress_percentage={"type": "integer", "minimum": 0,
                                                                 "maximum": 100}),
                        ["progress_percentage"])
    progress_answers = dict({"200": answer("Recorded (or replayed)", ref("ProgressAnswer"), REPLAYED)},
                            **errors(400, 401, 403, 404, 409, 413, 415, 422))
    return {
        "/api/auth/token/": {"post": op(
            "Log in: exchange username and password for a bearer token",
            dict({"200": answer("Logged in", obj({"token": STR, "user": ref("User")}, ["token", "user"]))},
                 **errors(400, 401, 415, 429)),
            body(obj({"username": {"type": "string", "minLength": 1, "maxLength": 64},
                      "password": {"type": "string", "minLength": 1, "maxLength": 256}},
                     ["username", "password"])), secure=False,
            tag="auth")},
        "/api/auth/logout/": {"post": op("Revoke the token in use", dict(
            {"204": answer("Logged out")}, **errors(401)), tag="auth")},
        "/api/employee-tasks/": {"get": op(
            "The caller's own tasks and the push cursor they reflect (ETag / If-None-Match)",
            dict({"200": answer("Tasks", TASK_LIST, {"ETag": {"schema": STR}}),
                  "304": answer("Not modified")}, **errors(400, 401)),
            params=[query("status", {"type": "string", "enum": list(STATUSES)})])},
        "/api/task/{task_id}/progress/": {"post": dict(op(
            "Report progress on one of your tasks", progress_answers, body(progress_body)),
            parameters=[TASK_ID, IDEMPOTENCY])},
        "/api/task/{task_id}/complete/": {"post": dict(op(
            "Mark one of your tasks complete", progress_answers,
            {"required": False, "content": {"application/json": {"schema": obj(UPDATE_FIELDS)}}}),
            parameters=[TASK_ID, IDEMPOTENCY])},
        "/api/task/{task_id}/history/": {"get": dict(op(
            "A task's audit trail, newest first",
            dict({"200": answer("History", obj({"task_id": INT, "updates": {
                "type": "array", "items": ref("AuditRow")}}, ["task_id", "updates"]))},
                 **errors(401, 403, 404))), parameters=[TASK_ID])},
        "/api/heartbeat/": {"post": op(
            "Report presence", dict({"200": answer("Recorded", obj(
                {"status": {"enum": ["success"]}, "occupancy_status": STR}, ["status", "occupancy_status"]))},
                **errors(400, 401, 413, 415)),
            body(obj({"occupancy_status": {"type": "string", "enum": list(OCCUPANCY)},
                      "idle_seconds": nullable({"type": "number", "minimum": 0, "maximum": 2592000})},
                     ["occupancy_status"])), tag="presence")},
        "/api/admin/task-status/": {"get": op(
            "Every task, a summary and every employee's presence (admin)",
            dict({"200": answer("Snapshot", obj({
                "tasks": {"type": "array", "items": ref("Task")},
                "summary": obj({k: INT for k in ("total", "pending", "in_progress", "done", "cancelled",
                                                 "overdue", "at_risk", "stale")}, ["total"]),
                "employees": {"type": "array", "items": {"type": "object"}}, "cursor": INT},
                ["tasks", "summary", "employees", "cursor"]))}, **errors(400, 401, 403)),
            params=[query("status", {"type": "string", "enum": list(STATUSES)}),
                    query("employee", {"type": "integer", "minimum": 1, "maximum": 2147483647}),
                    query("project", {"type": "integer", "minimum": 1, "maximum": 2147483647}),
                    query("priority", {"type": "string", "enum": list(PRIORITIES)})], tag="admin")},
        "/api/admin/tasks/": {"post": op(
            "Create and assign a task (admin)",
            dict({"201": answer("Created", ref("Task"))}, **errors(400, 401, 403, 413, 415)),
            body(obj({"title": {"type": "string", "minLength": 1, "maxLength": 200},
                      "description": nullable({"type": "string", "maxLength": 10000}),
                      "assignee_id": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                      "project_id": nullable({"type": "integer", "minimum": 1, "maximum": 2147483647}),
                      "due_date": nullable(TIME),
                      "priority": nullable({"type": "string", "enum": list(PRIORITIES)})},
                     ["title", "assignee_id"])), tag="admin")},
        "/api/admin/tasks/{task_id}/": {
            "parameters": [TASK_ID],
            "get": op("One task (admin)", dict({"200": answer("Task", ref("Task"))},
                                               **errors(401, 403, 404)), tag="admin"),
            "patch": op("Edit, reassign or cancel a task (admin)",
                        dict({"200": answer("Changed", ref("Task"))},
                             **errors(400, 401, 403, 404, 409, 413, 415)),
                        body(obj({"title": {"type": "string", "minLength": 1, "maxLength": 200},
                                  "description": nullable({"type": "string", "maxLength": 10000}),
                                  "assignee_id": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                                  "project_id": nullable({"type": "integer", "minimum": 1, "maximum": 2147483647}),
                                  "due_date": nullable(TIME),
                                  "priority": {"type": "string", "enum": list(PRIORITIES)},
                                  "status": {"type": "string", "enum": ["CANCELLED"]}})), tag="admin")},
        "/api/admin/users/": {
            "get": op("All users (admin)", dict({"200": answer("Users", obj(
                {"users": {"type": "array", "items": ref("User")}}, ["users"]))}, **errors(401, 403)),
                tag="admin"),
            "post": op("Create a user; only an OWNER creates ADMIN or OWNER users",
                       dict({"201": answer("Created", ref("User"))},
                            **errors(400, 401, 403, 409, 413, 415)),
                       body(obj({"username": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{3,64}$"},
                                 "full_name": nullable({"type": "string", "maxLength": 200}),
                                 "role": nullable({"type": "string", "enum": list(ROLES)}),
                                 "password": {"type": "string", "minLength": 8, "maxLength": 256}},
                                ["username", "password"])), tag="admin")},
        "/api/admin/users/{user_id}/": {
            "parameters": [dict(TASK_ID, name="user_id")],
            "patch": op("Edit a user: full_name, role, is_active, password (disabling or a new "
                        "password ends the user's tokens and sessions)",
                        dict({"200": answer("Changed", ref("User"))},
                             **errors(400, 401, 403, 404, 409, 413, 415)),
                        body(obj({"full_name": {"type": "string", "maxLength": 200},
                                  "role": {"type": "string", "enum": list(ROLES)},
                                  "is_active": {"type": "boolean"},
                                  "password": {"type": "string", "minLength": 8, "maxLength": 256}})),
                        tag="admin")},
        "/api/admin/projects/": {
            "get": op("All projects (admin)", dict({"200": answer("Projects", obj(
                {"projects": {"type": "array", "items": ref("Project")}}, ["projects"]))},
                **errors(401, 403)), tag="admin"),
            "post": op("Create a project (admin)", dict({"201": answer("Created", ref("Project"))},
                                                        **errors(400, 401, 403, 409, 413, 415)),
                       body(obj({"name": {"type": "string", "minLength": 1, "maxLength": 200},
                                 "description": nullable({"type": "string", "maxLength": 10000})},
                                ["name"])),
                       tag="admin")},
        "/api/admin/statistics/": {"get": op(
            "Completion, distributions, per-employee table and occupancy over a window (admin)",
            dict({"200": answer("Statistics", {"type": "object"})}, **errors(400, 401, 403)),
            params=[query("hours", {"type": "integer", "minimum": 1, "maximum": 720})], tag="admin")},
        "/api/admin/export/audit.csv": {"get": op(
            "The audit trail as CSV, every row with its hash, streamed (admin)",
            dict({"200": csv_answer("audit-<time>.csv: one row per audit row, oldest first")},
                 **errors(400, 401, 403)),
            params=[query("task", {"type": "integer", "minimum": 1}, "only this task's rows"),
                    query("since", TIME, "rows created at or after (a bare date: its midnight)"),
                    query("until", TIME, "rows created at or before (a bare date: its end)")],
            tag="export")},
        "/api/admin/export/statistics.csv": {"get": op(
            "The per-employee statistics table as CSV (admin)",
            dict({"200": csv_answer("statistics-<hours>h-<time>.csv: one row per employee")},
                 **errors(400, 401, 403)),
            params=[query("hours", {"type": "integer", "minimum": 1, "maximum": 720})],
            tag="export")},
        "/api/openapi.json": {"get": op("This document", {"200": answer("OpenAPI 3 document",
                                                                        {"type": "object"})},
                                        secure=False, tag="meta")},
        "/healthz": {"get": op("Database health", {
            "200": answer("Healthy", obj({"status": STR}, ["status"])),
            "503": answer("Database unavailable", obj({"status": STR}, ["status"]))},
            secure=False, tag="meta")},
    }


EXTRA_PATHS = []  # (path, path item) added by other modules: the push channel, exports


@functools.lru_cache(maxsize=1)
def _document():
    all_paths = paths()
    for path, item in EXTRA_PATHS:
        all_paths[path] = item
    return {
        "openapi": "3.0.3",
        "info": {"title": "Employee Progress Tracker API", "version": "1.0.0",
                 "description": "Tasks, progress, presence and an append-only audit trail."},
        "paths": all_paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


def document():
    return _document()
