"""The OpenAPI paths of timesheets, absences and the time reports (openapi.paths.REGISTERED lists them)."""
from server.handlers.openapi.schemas import (BRIEF, INT, STR, TIME, answer, body, errors, nullable, obj,
                                             op, query)

ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
SHEET_ID = {"name": "sheet_id", "in": "path", "required": True, "schema": ID}
WEEK = {"type": "string", "pattern": r"^[0-9]{4}-W[0-9]{2}$"}
WEEK_PARAM = {"name": "week", "in": "path", "required": True, "schema": WEEK}
STATE = {"type": "string", "enum": ["draft", "submitted", "approved", "rejected"]}
HEAD = obj({"id": nullable(INT), "week": STR, "user": BRIEF, "state": STATE, "reason": STR,
            "submitted_at": nullable(TIME), "decided_at": nullable(TIME),
            "total_minutes": nullable(INT)}, ["id", "week", "user", "state", "reason"], extra=True)
SHEET = obj({"id": nullable(INT), "week": STR, "state": STATE, "days": {"type": "array"},
             "total_minutes": INT, "entries": {"type": "array"}, "steps": {"type": "array"},
             "locked": {"type": "boolean"}},
            ["week", "state", "days", "total_minutes", "entries"], extra=True)
HEADS = obj({"timesheets": {"type": "array", "items": HEAD}}, ["timesheets"])
REASON = body(obj({"reason": {"type": "string", "minLength": 1, "maxLength": 2000}}, ["reason"]))
IDS = body(obj({"ids": {"type": "array", "minItems": 1, "maxItems": 200, "items": ID}}, ["ids"]))


def _decision(summary, request=None):
    return {"parameters": [SHEET_ID], "post": op(
        summary, dict({"200": answer("The sheet's new state", HEAD)},
                      **errors(400, 401, 403, 404, 409, 413, 415)), request, tag="timesheets")}


DAY = {"name": "day", "in": "path", "required": True,
       "schema": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}}
CLOCK = obj({"clock_in": TIME, "clock_out": TIME,
             "break_minutes": nullable({"type": "integer", "minimum": 0, "maximum": 960})},
            ["clock_in", "clock_out"])

DAY_TEXT = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
KIND = {"type": "string", "enum": ["vacation", "sick", "other"]}
ABSENCE = obj({"id": INT, "user": BRIEF, "kind": KIND, "starts_on": DAY_TEXT, "ends_on": DAY_TEXT,
               "half_day": {"type": "boolean"},
               "state": {"type": "string", "enum": ["requested", "approved", "rejected"]},
               "note": STR, "reason": STR}, ["id", "user", "kind", "starts_on", "ends_on",
                                              "half_day", "state"], extra=True)
ABSENCES = obj({"absences": {"type": "array", "items": ABSENCE}}, ["absences"])
NEW_ABSENCE = obj({"kind": KIND, "starts_on": DAY_TEXT, "ends_on": nullable(DAY_TEXT),
                   "half_day": {"type": "boolean"}, "note": nullable({"type": "string", "maxLength": 2000})},
                  ["kind", "starts_on"])
ABSENCE_ID = {"name": "absence_id", "in": "path", "required": True, "schema": ID}


def _absence_decision(summary, request=None):
    return {"parameters": [ABSENCE_ID], "post": op(
        summary, dict({"200": answer("The absence", ABSENCE)},
                      **errors(400, 401, 403, 404, 409, 413, 415)), request, tag="timesheets")}


REPORT_PARAMS = [
    {"name": "month", "in": "query", "required": True,
     "schema": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$"}},
    query("user", {"type": "string", "pattern": r"^[0-9]{1,12}$"}, "one person (default: yourself, "
          "or everyone you approve)"),
    query("team", {"type": "string", "pattern": r"^[0-9]{1,12}$"}, "one team's members")]


def _report(kind, media):
    return {"get": op("The month's working time per person as %s: hours per day and project, "
                      "absences, approval state (an employee: their own)" % kind,
                      dict({"200": {"description": kind, "content": {media: {"schema": {
                          "type": "string", "format": "binary"}}}}}, **errors(400, 401, 403, 404)),
                      params=REPORT_PARAMS, tag="timesheets")}


TIMESHEET_PATHS = {
    "/api/reports/time.pdf": _report("PDF", "application/pdf"),
    "/api/reports/time.xlsx": _report(
        "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "/api/me/absences/": {
        "get": op("Your absences, newest first", dict({"200": answer("Absences", ABSENCES)},
                                                      **errors(401)), tag="timesheets"),
        "post": op("Ask for days off (vacation, sick, other; a half day is one day)",
                   dict({"201": answer("Requested", ABSENCE)}, **errors(400, 401, 409, 413, 415)),
                   body(NEW_ABSENCE), tag="timesheets")},
    "/api/absences/": {"get": op(
        "The absences of the people you approve", dict({"200": answer("Absences", ABSENCES)},
                                                       **errors(400, 401, 403)),
        params=[query("state", {"type": "string", "enum": ["requested", "approved", "rejected"]})],
        tag="timesheets")},
    "/api/absences/{absence_id}/approve/": _absence_decision("Approve a requested absence"),
    "/api/absences/{absence_id}/reject/": _absence_decision("Reject a requested absence, saying why",
                                                            REASON),
    "/api/me/workdays/{day}/": {
        "parameters": [DAY],
        "put": op("Clock in and out by hand on a day without time entries (UTC day)",
                  dict({"200": answer("Set", CLOCK)}, **errors(400, 401, 404, 409, 413, 415)),
                  body(CLOCK), tag="timesheets"),
        "delete": op("Clear a day's clock-in", dict({"204": answer("Cleared")},
                                                    **errors(400, 401, 404, 409)), tag="timesheets")},
    "/api/me/timesheets/": {"get": op(
        "Your week (default: this one): days with working time and flags, entries, state, steps",
        dict({"200": answer("The week", SHEET)}, **errors(400, 401)),
        params=[query("week", WEEK, "ISO week, e.g. 2026-W49")], tag="timesheets")},
    "/api/me/timesheets/{week}/submit/": {"parameters": [WEEK_PARAM], "post": op(
        "Submit your week for approval (a draft or rejected week, no timer running)",
        dict({"200": answer("Submitted", HEAD)}, **errors(400, 401, 404, 409, 413, 415)),
        tag="timesheets")},
    "/api/timesheets/": {"get": op(
        "The sheets of the people you approve: a week's (everyone, drafts without id) or by state",
        dict({"200": answer("Sheets", HEADS)}, **errors(400, 401, 403)),
        params=[query("week", WEEK), query("state", STATE)], tag="timesheets")},
    "/api/timesheets/approve/": {"post": op(
        "Approve several submitted sheets at once: all or none",
        dict({"200": answer("Approved", HEADS)}, **errors(400, 401, 403, 404, 409, 413, 415)),
        IDS, tag="timesheets")},
    "/api/timesheets/{sheet_id}/": {"parameters": [SHEET_ID], "get": op(
        "One sheet in full (its owner, an approver)", dict({"200": answer("The week", SHEET)},
                                                           **errors(401, 403, 404)),
        tag="timesheets")},
    "/api/timesheets/{sheet_id}/approve/": _decision("Approve a submitted sheet: its week locks"),
    "/api/timesheets/{sheet_id}/reject/": _decision(
        "Send a submitted sheet back with a reason: editable and resubmittable", REASON),
    "/api/timesheets/{sheet_id}/reopen/": _decision(
        "Reopen an approved week with a reason (admin): it unlocks", REASON),
}
