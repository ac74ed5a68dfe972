"""The OpenAPI paths of timers and time entries (openapi_paths.REGISTERED lists them)."""
from server.handlers.openapi.schemas import (IDEMPOTENCY, INT, REPLAYED, STR, TIME, answer, body, csv_answer,
                                             errors, nullable, obj, op, query)

ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
TASK = {"name": "task_id", "in": "path", "required": True, "schema": ID}
ENTRY_ID = {"name": "entry_id", "in": "path", "required": True, "schema": ID}
ENTRY = obj({
    "id": INT, "task_id": INT, "user": {"type": "object"}, "started_at": TIME,
    "ended_at": nullable(TIME), "minutes": INT, "seconds": INT, "running": {"type": "boolean"},
    "source": {"type": "string", "enum": ["timer", "manual"]}, "note": STR,
    "stop_reason": nullable(STR), "client_entry_id": nullable(STR),
}, ["id", "task_id", "user", "started_at", "ended_at", "minutes", "source", "note"], extra=True)
ENTRIES = {"type": "array", "items": ENTRY}
NOTE = {"type": "string", "maxLength": 2000}
# Elapsed seconds a client measured (a clock that does not jump): "how long before this request".
TIMER_AGO = {"type": "number", "minimum": 0, "maximum": 43200}
ENTRY_AGO = {"type": "number", "minimum": 0, "maximum": 31622400}
_ENTRY_REST = {"note": nullable(NOTE), "source": {"type": "string", "enum": ["timer", "manual"]},
               "client_entry_id": nullable({"type": "string", "minLength": 1, "maxLength": 64})}
# Either the dates a person typed (manual) or a timer recorded offline, as elapsed seconds.
NEW_ENTRY = {"oneOf": [
    obj(dict(_ENTRY_REST, started_at=TIME, ended_at=TIME), ["started_at", "ended_at"]),
    obj(dict(_ENTRY_REST, started_ago_seconds=ENTRY_AGO, ended_ago_seconds=ENTRY_AGO),
        ["started_ago_seconds", "ended_ago_seconds"])]}
RANGE = [query("since", TIME), query("until", TIME)]
KEY = nullable({"type": "string", "minLength": 1, "maxLength": 64})
# started_at / ended_at: only within 60 s of the server's clock (then the server's now is used).
OPTIONAL_STOP = {"required": False, "content": {"application/json": {"schema": obj(
    {"ended_ago_seconds": nullable(TIMER_AGO), "ended_at": nullable(TIME), "client_entry_id": KEY})}}}
OPTIONAL_START = {"required": False, "content": {"application/json": {"schema": obj(
    {"started_ago_seconds": nullable(TIMER_AGO), "started_at": nullable(TIME),
     "client_entry_id": KEY})}}}

TIME_PATHS = {
    "/api/task/{task_id}/timer/start/": {"parameters": [TASK], "post": op(
        "Start a timer on one of your tasks (stops your other running timer); started_ago_seconds "
        "for a start recorded offline",
        dict({"201": answer("Started", ENTRY),
              "200": answer("Already running, or started before under this client_entry_id", ENTRY)},
             **errors(400, 401, 403, 404, 409, 413, 415, 422)), OPTIONAL_START, tag="time")},
    # 403 code `locked`: a non-admin's start before the task existed (or outside time_lock_days)
    "/api/timer/stop/": {"post": op(
        "Stop your running timer (or the one started under client_entry_id), now or "
        "ended_ago_seconds before the request",
        dict({"200": answer("Stopped", ENTRY)}, **errors(400, 401, 404, 413, 415)),
        OPTIONAL_STOP, tag="time")},
    "/api/task/{task_id}/time-entries/": {
        "parameters": [TASK],
        "get": op("The task's time entries (assignee, admin)", dict({"200": answer("Entries", obj(
            {"task_id": INT, "entries": ENTRIES}, ["task_id", "entries"]))},
            **errors(401, 403, 404)), tag="time"),
        "post": op("Add a finished entry: typed dates (manual) or elapsed seconds (a timer "
                   "recorded offline); a non-admin's must start within time_lock_days and not "
                   "before the task existed (403 locked); idempotent on client_entry_id or "
                   "Idempotency-Key",
                   dict({"201": answer("Added (or replayed)", ENTRY, REPLAYED)},
                        **errors(400, 401, 403, 404, 409, 413, 415, 422)),
                   body(NEW_ENTRY), params=[IDEMPOTENCY], tag="time")},
    "/api/me/time-entries/": {"get": op(
        "Your entries between since and until (default: the last 7 days)",
        dict({"200": answer("Entries", obj({"entries": ENTRIES, "running": nullable(ENTRY),
                                            "total_minutes": INT}, ["entries"]))},
             **errors(400, 401)), params=RANGE, tag="time")},
    "/api/time-entries/{entry_id}/": {
        "parameters": [ENTRY_ID],
        "patch": op("Correct an entry: the author within time_lock_days, an admin any time",
                    dict({"200": answer("Changed", ENTRY)},
                         **errors(400, 401, 403, 404, 409, 413, 415)),
                    body(obj({"started_at": TIME, "ended_at": TIME, "note": nullable(NOTE)})),
                    tag="time"),
        "delete": op("Delete an entry (same rule)", dict({"204": answer("Deleted")},
                                                         **errors(401, 403, 404, 409)), tag="time")},
    "/api/admin/export/time.csv": {"get": op(
        "Time entries as CSV (admin)", dict({"200": csv_answer("Time entries")},
                                            **errors(400, 401, 403)), params=RANGE, tag="time")},
}
