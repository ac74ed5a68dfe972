"""The REST API's paths as data, one table per resource; REGISTERED lists the tables served."""
from server.handlers.openapi.comments import COMMENT_PATHS
from server.handlers.openapi.dependencies import DEPENDENCY_PATHS
from server.handlers.openapi.integrations import WEBHOOK_PATHS
from server.handlers.openapi.time import TIME_PATHS
from server.handlers.openapi.timesheets import TIMESHEET_PATHS
from server.store.models import OCCUPANCY, PRIORITIES, ROLES, STATUSES
from server.services.core.validate import EMAIL_RE
from server.handlers.openapi.schemas import (IDEMPOTENCY, INT, REPLAYED, STR, TASK_ID, TASK_LIST, TIME,
                                             UPDATE_FIELDS, answer, body, csv_answer, errors, nullable, obj,
                                             op, query, ref)
from server.handlers.openapi.privacy import PRIVACY_PATHS
from server.handlers.openapi.teams import TEAM_PATHS
from server.handlers.openapi.identity import IDENTITY_PATHS

ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
PERCENTAGE = {"type": "integer", "minimum": 0, "maximum": 100}
TITLE = {"type": "string", "minLength": 1, "maxLength": 200}
DESCRIPTION = nullable({"type": "string", "maxLength": 10000})
PASSWORD = {"type": "string", "minLength": 8, "maxLength": 256}
HOURS = query("hours", {"type": "integer", "minimum": 1, "maximum": 720})
STATUS_QUERY = query("status", {"type": "string", "enum": list(STATUSES)})
# Cursor paging: a page holds at most `limit` items; `next` is the value to send back as the
# page's cursor argument for the following page, or null on the last page.
LIMIT = query("limit", {"type": "integer", "minimum": 1, "maximum": 500},
              "Page size (default 100)")
BEFORE = query("before", ID, "Cursor: only rows with a smaller id (a previous page's next)")
NEXT_ID = nullable(dict(ID, description="The cursor of the next page; null on the last page"))
EMPLOYEE_LIST_QUERY = [
    STATUS_QUERY,
    query("include", {"type": "string", "enum": ["recent", "all"]},
          "recent (default): open tasks and those closed in the last 30 days; all: every task"),
    query("done_before", ID, "Page through the tasks closed over 30 days ago, newest id first: "
          "only ids below this (the default answer's next, then each page's next)"),
    dict(LIMIT, description="Page size of a done_before page (default 100); only with done_before"),
]
SUMMARY_COUNTS = ("total", "pending", "in_progress", "done", "cancelled", "overdue", "at_risk", "stale")

PROGRESS_ANSWERS = dict({"200": answer("Recorded (or replayed)", ref("ProgressAnswer"), REPLAYED)},
                        **errors(400, 401, 403, 404, 409, 413, 415, 422))
PROGRESS_BODY = obj(dict(UPDATE_FIELDS, progress_percentage=PERCENTAGE), ["progress_percentage"])
OPTIONAL_UPDATE = {"required": False, "content": {"application/json": {"schema": obj(UPDATE_FIELDS)}}}

AUTH_PATHS = {
    "/api/auth/token/": {"post": op(
        "Log in: exchange username and password for a bearer token",
        dict({"200": answer("Logged in", obj({"token": STR, "user": ref("User")}, ["token", "user"]))},
             **errors(400, 401, 403, 415, 429, 503)),
        body(obj({"username": {"type": "string", "minLength": 1, "maxLength": 64},
                  "password": {"type": "string", "minLength": 1, "maxLength": 256},
                  "otp": {"type": "string", "maxLength": 64, "description": "The second factor "
                          "(a TOTP code or a recovery code); without it an enrolled user gets "
                          "401 otp_required"}},
                 ["username", "password"])), secure=False, tag="auth")},
    "/api/auth/logout/": {"post": op("Revoke the token in use", dict(
        {"204": answer("Logged out")}, **errors(401)), tag="auth")},
}

EMPLOYEE_PATHS = {
    "/api/employee-tasks/": {"get": op(
        "The caller's own tasks and the push cursor they reflect (ETag / If-None-Match); closed "
        "tasks older than 30 days come in pages (next -> done_before)",
        dict({"200": answer("Tasks", dict(TASK_LIST, properties=dict(
            TASK_LIST["properties"], next=NEXT_ID)), {"ETag": {"schema": STR}}),
              "304": answer("Not modified")}, **errors(400, 401)),
        params=EMPLOYEE_LIST_QUERY)},
    "/api/task/{task_id}/progress/": {"post": dict(op(
        "Report progress on one of your tasks", PROGRESS_ANSWERS, body(PROGRESS_BODY)),
        parameters=[TASK_ID, IDEMPOTENCY])},
    "/api/task/{task_id}/complete/": {"post": dict(op(
        "Mark one of your tasks complete", PROGRESS_ANSWERS, OPTIONAL_UPDATE),
        parameters=[TASK_ID, IDEMPOTENCY])},
    "/api/task/{task_id}/history/": {"get": dict(op(
        "A task's audit trail, newest first, a page at a time (next -> before)",
        dict({"200": answer("History", obj({"task_id": INT, "updates": {
            "type": "array", "items": ref("AuditRow")}, "next": NEXT_ID},
            ["task_id", "updates", "next"]))},
             **errors(400, 401, 403, 404)), params=[BEFORE, LIMIT]), parameters=[TASK_ID])},
    "/api/heartbeat/": {"post": op(
        "Report presence", dict({"200": answer("Recorded", obj(
            {"status": {"enum": ["success"]}, "occupancy_status": nullable(STR), "presence_detail": STR,
             "paused": {"type": "boolean"}}, ["status", "occupancy_status"]))},
            **errors(400, 401, 413, 415)),
        body(obj({"occupancy_status": {"type": "string", "enum": list(OCCUPANCY)},
                  "idle_seconds": nullable({"type": "number", "minimum": 0, "maximum": 2592000})},
                 ["occupancy_status"])), tag="presence")},
}

TASK_STATUS = obj({"tasks": {"type": "array", "items": ref("Task")},
                   "summary": obj({k: INT for k in SUMMARY_COUNTS}, ["total"]),
                   "employees": {"type": "array", "items": {"type": "object"}}, "cursor": INT,
                   "groups": {"type": "array", "items": obj(dict(
                       {"id": nullable(INT), "name": STR}, **{k: INT for k in SUMMARY_COUNTS}),
                       ["id", "name", "total"])}},
                  ["tasks", "summary", "employees", "cursor"])
YES_NO = {"type": "string", "enum": ["true", "false"]}
BOARD_QUERY = [
    STATUS_QUERY, query("employee", ID),
    query("project", {"oneOf": [ID, {"type": "string", "enum": ["none"]}]},
          "A project id, or `none` for the tasks outside every project"),
    query("priority", {"type": "string", "enum": list(PRIORITIES)}),
    query("q", {"type": "string", "maxLength": 200}, "Search: every word appears in the title, "
          "the assignee's username or full name, or the project's name (case-insensitive)"),
    query("at_risk", YES_NO), query("stale", YES_NO), query("overdue", YES_NO),
    query("group", {"type": "string", "enum": ["employee", "project"]},
          "Adds `groups`: per-group counts of the selected tasks")]
TASK_FIELDS = {"title": TITLE, "description": DESCRIPTION, "assignee_id": ID, "project_id": nullable(ID),
               "due_date": nullable(TIME)}
NEW_TASK = obj(dict(TASK_FIELDS, priority=nullable({"type": "string", "enum": list(PRIORITIES)})),
               ["title", "assignee_id"])
TASK_EDIT = obj(dict(TASK_FIELDS, priority={"type": "string", "enum": list(PRIORITIES)},
                     status={"type": "string", "enum": ["CANCELLED"]}))

TASK_ADMIN_PATHS = {
    "/api/admin/task-status/": {"get": op(
        "Every task, a summary and every employee's presence (admin)",
        dict({"200": answer("Snapshot", TASK_STATUS)}, **errors(400, 401, 403)),
        params=BOARD_QUERY, tag="admin")},
    "/api/admin/task-updates/": {"get": op(
        "The last five updates of each task named, newest first: what a monitor card shows "
        "(a lead or viewer gets those of their teams' tasks; others are left out, as missing ones)",
        dict({"200": answer("Updates by task id", obj({"updates": {
            "type": "object", "additionalProperties": {"type": "array", "items": ref("AuditRow")}}},
            ["updates"]))}, **errors(400, 401, 403)),
        params=[dict(query("ids", {"type": "string", "pattern": "^[0-9]{1,12}(,[0-9]{1,12}){0,199}$"},
                           "Task ids separated by commas, at most 200"), required=True)], tag="admin")},
    "/api/admin/tasks/": {"post": op(
        "Create and assign a task (admin)",
        dict({"201": answer("Created", ref("Task"))}, **errors(400, 401, 403, 413, 415)),
        body(NEW_TASK), tag="admin")},
    "/api/admin/tasks/{task_id}/": {
        "parameters": [TASK_ID],
        "get": op("One task (admin)", dict({"200": answer("Task", ref("Task"))},
                                           **errors(401, 403, 404)), tag="admin"),
        "patch": op("Edit, reassign or cancel a task (admin)",
                    dict({"200": answer("Changed", ref("Task"))},
                         **errors(400, 401, 403, 404, 409, 413, 415)),
                    body(TASK_EDIT), tag="admin")},
}

# Where notification mail goes (SPEC 10.4); null or "" clears it.
EMAIL = nullable({"type": "string", "maxLength": 254, "pattern": "^(?:%s)?$" % EMAIL_RE.pattern[1:-1]})
NEW_USER = obj({"username": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{3,64}$"},
                "full_name": nullable({"type": "string", "maxLength": 200}),
                "role": nullable({"type": "string", "enum": list(ROLES)}), "password": PASSWORD,
                "email": EMAIL},
               ["username", "password"])
USER_EDIT = obj({"full_name": {"type": "string", "maxLength": 200},
                 "role": {"type": "string", "enum": list(ROLES)},
                 "is_active": {"type": "boolean"}, "password": PASSWORD, "email": EMAIL})

USER_PATHS = {
    "/api/admin/users/": {
        "get": op("Users by username, a page at a time (admin; next -> after)", dict(
            {"200": answer("Users", obj({"users": {"type": "array", "items": ref("User")},
                                        "next": nullable(dict(STR, description="The next page's after"))},
                                       ["users", "next"]))}, **errors(400, 401, 403)),
            params=[query("after", {"type": "string", "minLength": 1, "maxLength": 64},
                          "Cursor: only usernames after this one (a previous page's next)"),
                    LIMIT], tag="admin"),
        "post": op("Create a user; only an OWNER creates ADMIN or OWNER users",
                   dict({"201": answer("Created", ref("User"))},
                        **errors(400, 401, 403, 409, 413, 415)), body(NEW_USER), tag="admin")},
    "/api/admin/users/{user_id}/": {
        "parameters": [dict(TASK_ID, name="user_id")],
        "patch": op("Edit a user: full_name, role, is_active, password, email (disabling or a new "
                    "password ends the user's tokens and sessions)",
                    dict({"200": answer("Changed", ref("User"))},
                         **errors(400, 401, 403, 404, 409, 413, 415)), body(USER_EDIT), tag="admin")},
}

PROJECT_AND_STATISTICS_PATHS = {
    "/api/admin/projects/": {
        "get": op("All projects (admin)", dict({"200": answer("Projects", obj(
            {"projects": {"type": "array", "items": ref("Project")}}, ["projects"]))},
            **errors(401, 403)), tag="admin"),
        "post": op("Create a project (admin)", dict({"201": answer("Created", ref("Project"))},
                                                    **errors(400, 401, 403, 409, 413, 415)),
                   body(obj({"name": TITLE, "description": DESCRIPTION}, ["name"])), tag="admin")},
    "/api/admin/statistics/": {"get": op(
        "Completion, distributions, per-employee table and occupancy over a window (admin)",
        dict({"200": answer("Statistics", {"type": "object"})}, **errors(400, 401, 403)),
        params=[HOURS], tag="admin")},
}

EXPORT_PATHS = {
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
        params=[HOURS], tag="export")},
}

META_PATHS = {
    "/api/openapi.json": {"get": op("This document", {"200": answer("OpenAPI 3 document",
                                                                    {"type": "object"})},
                                    secure=False, tag="meta")},
    "/healthz": {"get": op("Database health", {
        "200": answer("Healthy", obj({"status": STR}, ["status"])),
        "503": answer("Database unavailable", obj({"status": STR}, ["status"]))},
        secure=False, tag="meta")},
}

EVENTS = obj({"events": {"type": "array", "items": {"type": "object"}}, "cursor": INT,
              "type": {"type": "string", "enum": ["reset"]}}, ["events", "cursor"])

PUSH_PATHS = {
    "/api/events/": {"get": op(
        "Long-poll the push channel: the events after the cursor, at once or at the first new one "
        "(the WebSocket twin is /api/events/ws?after=N, one JSON text message per event)",
        dict({"200": answer("Events and the new cursor; a reset when the cursor is too old", EVENTS)},
             **errors(400, 401, 429)),
        params=[dict(query("after", {"type": "integer", "minimum": 0, "maximum": 10 ** 18 - 1},
                           "the newest event id the client already has"), required=True),
                query("timeout", {"type": "number", "minimum": 0, "maximum": 60},
                      "seconds to wait when nothing is new (default 25)")],
        tag="push")},
}

# Every table the document serves, in the order it lists them: a new resource adds its table here.
REGISTERED = (AUTH_PATHS, EMPLOYEE_PATHS, TASK_ADMIN_PATHS, USER_PATHS, PROJECT_AND_STATISTICS_PATHS,
              EXPORT_PATHS, META_PATHS, PUSH_PATHS, WEBHOOK_PATHS, DEPENDENCY_PATHS, TIME_PATHS,
              COMMENT_PATHS, PRIVACY_PATHS, TEAM_PATHS,
              TIMESHEET_PATHS, IDENTITY_PATHS)
