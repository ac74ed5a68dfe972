"""CSV exports of the audit trail and the per-employee statistics: read in batches, and every cell
safe to open in a spreadsheet (text that would run as a formula gets a leading apostrophe)."""
import csv
import datetime
import io

from server.store.models import Task, TaskProgress, TimeEntry, User
from server.store.times import utcnow
from server.services.reports import statistics
from server.services.core import validate
from server.services.core.errors import ValidationError
from server.services.sentences.audit_rows import sentence
from server.services.language.text import _l

BATCH = 1000
# OWASP "CSV injection": a cell whose first visible character is one of these is a formula to a
# spreadsheet, which skips blanks (a no-break space, a zero-width space...) and reads the
# full-width forms too; a leading tab or carriage return is neutralised whatever follows.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\t\r")
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")

AUDIT_COLUMNS = ("id", "task_id", "user_id", "username", "full_name", "action",
                 "previous_percentage", "new_percentage", "previous_status", "new_status", "notes",
                 "occupancy_status", "client_update_id", "client_timestamp", "task_version",
                 "created_at", "prev_hash", "hash", "text")
STATISTICS_COLUMNS = ("id", "username", "full_name", "assigned", "done", "in_progress",
                      "average_progress", "overdue", "at_risk", "active_seconds", "idle_seconds",
                      "active_ratio", "progress_points", "progress_per_active_hour")


def starts_a_formula(text):
    """True when the first character that is not blank or invisible would start a formula."""
    for char in text:
        if char in FORMULA_STARTS:
            return True
        if not (char.isspace() or char in INVISIBLE):
            return False
    return False


def cell(value):
    """One CSV cell: None is empty, numbers stay numbers, formula-looking text is neutralised."""
    if value.__class__ is not str:
        if value is None:
            return ""
        if isinstance(value, (int, float)):
            return value
        value = str(value)
    return "'" + value if value and starts_a_formula(value) else value


def encode(rows):
    """CSV text of rows of raw values (RFC 4180: CRLF line ends, quoting where needed)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def stamp(value):
    """Full-precision UTC time: the audit export keeps the microseconds each row's hash covers."""
    return value.replace(tzinfo=datetime.timezone.utc).isoformat(timespec="microseconds")


def _time_filter(raw, field, start_of_day):
    raw = raw.replace(" ", "+")  # an unescaped '+' of an offset arrives as a space
    if start_of_day and len(raw) == 10:
        raw += "T00:00:00"
    return validate.parse_datetime(raw, field)


def parse_audit_filters(args):
    """?task=<id>&since=<ISO 8601>&until=<ISO 8601> -> filters (a bare `since` date is midnight)."""
    filters = {}
    if args.get("task") is not None:
        raw = args["task"]
        if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < 10 ** 15):
            raise ValidationError(_l("task must be a task id"), "task")
        filters["task"] = int(raw)
    if args.get("since") is not None:
        filters["since"] = _time_filter(args["since"], "since", start_of_day=True)
    if args.get("until") is not None:
        filters["until"] = _time_filter(args["until"], "until", start_of_day=False)
    if "since" in filters and "until" in filters and filters["since"] > filters["until"]:
        raise ValidationError(_l("since must not be after until"), "since")
    return filters


def audit_filename(filters, now=None):
    when = (now or utcnow()).strftime("%Y%m%dT%H%M%SZ")
    scope = "-task-%d" % filters["task"] if "task" in filters else ""
    return "audit%s-%s.csv" % (scope, when)


AUDIT_FIELDS = (TaskProgress.id, TaskProgress.task, User.id, User.username, User.full_name,
                TaskProgress.action, TaskProgress.previous_percentage, TaskProgress.new_percentage,
                TaskProgress.previous_status, TaskProgress.new_status, TaskProgress.notes,
                TaskProgress.occupancy_status, TaskProgress.client_update_id,
                TaskProgress.client_timestamp, TaskProgress.task_version, TaskProgress.created_at,
                TaskProgress.prev_hash, TaskProgress.hash)
CREATED_AT = AUDIT_COLUMNS.index("created_at")


def _as_row(values):
    """The fields a sentence reads, from an export row (AUDIT_COLUMNS order)."""
    found = dict(zip(AUDIT_COLUMNS, values))
    found["user"] = {"username": found["username"], "full_name": found["full_name"]}
    return found


def audit_batches(filters, batch=BATCH):
    """Rows of the audit export in id order, `batch` at a time: one keyset query per batch (plain
    tuples, no model objects), so memory stays bounded however long the trail is. Rows appended
    while the export runs may be included."""
    last = 0
    while True:
        query = (TaskProgress.select(*AUDIT_FIELDS)
                 .join(User, on=(TaskProgress.user == User.id))
                 .where(TaskProgress.id > last))
        if "task" in filters:
            query = query.where(TaskProgress.task == filters["task"])
        if filters.get("people") is not None:  # a lead's or viewer's: their people's tasks only
            query = query.where(TaskProgress.task.in_(
                Task.select(Task.id).where(Task.assignee.in_(sorted(filters["people"])))))
        if "since" in filters:
            query = query.where(TaskProgress.created_at >= filters["since"])
        if "until" in filters:
            query = query.where(TaskProgress.created_at <= filters["until"])
        rows = [list(row) for row in query.order_by(TaskProgress.id).limit(batch).tuples()]
        for row in rows:
            row[CREATED_AT] = stamp(row[CREATED_AT])
            row.append(sentence(_as_row(row)))  # the row in words, as the API's `text`
        if rows:
            yield rows
        if len(rows) < batch:
            return
        last = rows[-1][0]


def statistics_filename(hours, now=None):
    return "statistics-%dh-%s.csv" % (hours, (now or utcnow()).strftime("%Y%m%dT%H%M%SZ"))


def statistics_rows(hours, now=None):
    """The per-employee table of /api/admin/statistics/ as CSV rows."""
    table = statistics.statistics(hours, now)["employees"]
    return [tuple(employee[name] for name in STATISTICS_COLUMNS) for employee in table]


# ---------------------------------------------------------------- time entries (section 10.3)

TIME_COLUMNS = ("id", "task_id", "task_title", "user_id", "username", "full_name", "started_at",
                "ended_at", "minutes", "source", "stop_reason", "note", "estimate_minutes")


def time_rows(since, until, people=None):
    """Finished, live entries that start in [since, until), in start order (with `people`, of
    their tasks only: a lead's or viewer's export)."""
    query = (TimeEntry.select(TimeEntry.id, TimeEntry.task, Task.title, TimeEntry.user,
                              User.username, User.full_name, TimeEntry.started_at,
                              TimeEntry.ended_at, TimeEntry.seconds, TimeEntry.source,
                              TimeEntry.stop_reason, TimeEntry.note, Task.estimate_minutes)
             .join(Task, on=(TimeEntry.task == Task.id))
             .join(User, on=(TimeEntry.user == User.id))
             .where(TimeEntry.deleted_at.is_null(), TimeEntry.ended_at.is_null(False),
                    TimeEntry.started_at >= since, TimeEntry.started_at < until)
             .order_by(TimeEntry.started_at, TimeEntry.id))
    if people is not None:
        query = query.where(Task.assignee.in_(sorted(people)))
    rows = []
    for row in query.tuples():
        row = list(row)
        row[6], row[7] = stamp(row[6]), stamp(row[7])
        row[8] = round(row[8] / 60)
        rows.append(tuple(row))
    return rows
