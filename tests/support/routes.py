"""Walking the OpenAPI document's routes for the scope tests (no tests here): each path filled
with Alpha's ids, Bravo's, or missing ones, and answers compared with the ids taken out."""
import re

MISSING = 2147480000
LEAK = re.compile("bravo", re.IGNORECASE)
# Routes a user calls about themselves: not a change to anyone else's work.
OWN = {"/api/auth/token/", "/api/auth/logout/", "/api/heartbeat/", "/api/me/",
       "/api/me/calendar/rotate/", "/api/me/pause/", "/api/me/resume/", "/api/me/absences/",
       "/api/me/timesheets/{week}/submit/", "/api/me/workdays/{day}/", "/api/me/2fa/totp/",
       "/api/me/2fa/totp/confirm/", "/api/me/passkeys/", "/api/me/passkeys/options/",
       "/api/me/passkeys/{passkey_id}/"}
QUERIES = {"/api/events/": "?after=0&timeout=0",
           "/api/admin/task-updates/": "?ids={task_id},{other_id}"}  # filled as the path is


def operations(document, methods):
    for path, item in sorted(document["paths"].items()):
        for method in item:
            if method in methods:
                yield path, method


def ids_of(alpha, bravo):
    """{path parameter: (Alpha's value, Bravo's value)}."""
    return {"task_id": (alpha.tasks[1]["id"], bravo.tasks[0]["id"]),
            "other_id": (alpha.tasks[0]["id"], bravo.tasks[1]["id"]),
            "comment_id": (alpha.comments[0]["id"], bravo.comments[0]["id"]),
            "entry_id": (alpha.entries[0]["id"], bravo.entries[0]["id"]),
            "user_id": (alpha.people["member1"].user["id"], bravo.people["member1"].user["id"]),
            "team_id": (alpha.team["id"], bravo.team["id"]),
            "sheet_id": (alpha.sheet["id"], bravo.sheet["id"]),
            "absence_id": (alpha.absence["id"], bravo.absence["id"]),
            "week": ("2026-W01", "2026-W01"), "day": ("2026-01-05", "2026-01-05"),  # one's own
            "hook_id": (MISSING - 1, MISSING - 1), "delivery_id": (MISSING - 2, MISSING - 2),
            "project_id": (MISSING - 3, MISSING - 3),  # projects belong to no team
            "passkey_id": (MISSING - 4, MISSING - 4)}  # one's own


def fill(path, values):
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def concrete(path, ids, side):
    """The path with Alpha's (0), Bravo's (1) ids, or missing ones (None)."""
    values = {name: (MISSING if side is None else pair[side]) for name, pair in ids.items()}
    return fill(path + QUERIES.get(path, ""), values)


def takes_ids(path):
    """Whether a route names objects (in its path or its query)."""
    return "{" in path + QUERIES.get(path, "")


def normal(text, numbers):
    for number in numbers:
        text = re.sub(r"\b%s\b" % re.escape(str(number)), "N", text)
    return text
