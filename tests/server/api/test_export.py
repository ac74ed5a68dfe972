"""CSV exports: admin only, exact round-trip of awkward text, formula cells neutralised, and a
100,000-row audit export streamed in bounded server memory."""
import csv
import datetime
import io
import sqlite3
import threading

import pytest
import requests

from support.client import Company
from support.server import start_server
from server.services.record import audit
from server.services.reports import export

ROUTES = ("/api/admin/export/audit.csv", "/api/admin/export/statistics.csv?hours=24")


def rows_of(answer):
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8"), newline="")))


def progress(employee, task_id, pct, notes):
    answer = employee.post("/api/task/%d/progress/" % task_id,
                           {"progress_percentage": pct, "notes": notes})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("path", ROUTES)
def test_employees_are_refused_the_exports(company, path):
    answer = company.user().get(path)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    assert "text/csv" not in answer.headers["Content-Type"]


@pytest.mark.parametrize("path", ROUTES)
def test_exports_need_credentials(server, path):
    answer = requests.get(server.url + path, timeout=10)
    assert answer.status_code == 401


AWKWARD = ["comma, inside", 'a "quoted" word', "line one\nline two", "crlf\r\nend",
           "unicode ✓ ü 日本", "tab\tinside", "  padded  ", "", "'already quoted"]


def test_audit_export_round_trips_awkward_notes(company):
    employee = company.user()
    task = company.task(employee)
    for pct, notes in enumerate(AWKWARD, start=1):
        progress(employee, task["id"], pct, notes)
    answer = company.owner.get("/api/admin/export/audit.csv?task=%d" % task["id"])
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="audit-task-%d-' % task["id"] in disposition and disposition.endswith('.csv"')
    assert answer.content.decode().split("\r\n", 1)[0] == ",".join(export.AUDIT_COLUMNS)

    rows = rows_of(answer)
    assert [row["action"] for row in rows] == ["create"] + ["progress"] * len(AWKWARD)
    assert [row["notes"] for row in rows[1:]] == AWKWARD
    history = company.owner.get("/api/task/%d/history/" % task["id"]).json()["updates"]
    assert [row["hash"] for row in rows] == [update["hash"] for update in reversed(history)]
    assert all(row["prev_hash"] and row["username"] == employee.user["username"]
               for row in rows[1:])


FORMULAS = ["=1+2", "+33", "-4", "@SUM(A1:A2)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\",\"y\")"]


def test_formula_looking_cells_are_neutralised(company):
    answer = company.owner.post("/api/admin/users/", {
        "username": "dash_user", "full_name": "=cmd|' /C calc'!A0", "role": "EMPLOYEE",
        "password": "user-test-password"})
    assert answer.status_code == 201, answer.text
    # New names may no longer start with "-"; one made before that rule still may
    with sqlite3.connect(company.server.db_path) as conn:
        conn.execute("UPDATE user SET username = '-dash_user' WHERE id = ?", (answer.json()["id"],))
    conn.close()
    employee = company.owner.login("-dash_user", "user-test-password")
    task = company.task(employee)
    for pct, notes in enumerate(FORMULAS, start=1):
        progress(employee, task["id"], pct, notes)

    rows = rows_of(company.owner.get("/api/admin/export/audit.csv?task=%d" % task["id"]))
    assert [row["notes"] for row in rows[1:]] == ["'" + notes for notes in FORMULAS]
    assert rows[1]["username"] == "'-dash_user"
    assert rows[1]["full_name"] == "'=cmd|' /C calc'!A0"

    stats = rows_of(company.owner.get("/api/admin/export/statistics.csv"))
    mine, = [row for row in stats if row["id"] == str(employee.user["id"])]
    assert mine["full_name"] == "'=cmd|' /C calc'!A0" and mine["username"] == "'-dash_user"


def test_audit_export_filters_by_time(company):
    employee = company.user()
    task = company.task(employee)
    progress(employee, task["id"], 50, "half")
    path = "/api/admin/export/audit.csv?task=%d" % task["id"]
    rows = rows_of(company.owner.get(path))
    first, last = rows[0]["created_at"], rows[-1]["created_at"]
    since_last = rows_of(company.owner.get(path, params={"since": last}))
    assert [row["id"] for row in since_last] == [rows[-1]["id"]]
    until_first = rows_of(company.owner.get(path, params={"until": first}))
    assert [row["id"] for row in until_first] == [rows[0]["id"]]
    tomorrow = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).date()
    later = company.owner.get(path, params={"since": tomorrow.isoformat()})
    assert later.status_code == 200 and rows_of(later) == []
    assert later.content.decode() == ",".join(export.AUDIT_COLUMNS) + "\r\n"


@pytest.mark.parametrize("query, field", [("task=abc", "task"), ("task=0", "task"),
                                          ("since=yesterday", "since"), ("until=", "until"),
                                          ("since=2026-11-29&until=2026-11-01", "since")])
def test_bad_audit_filters_are_refused_before_any_csv(company, query, field):
    answer = company.owner.get("/api/admin/export/audit.csv?" + query)
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == field


def test_statistics_export_is_the_per_employee_table(company):
    employee = company.user()
    task = company.task(employee)
    progress(employee, task["id"], 40, "")
    answer = company.owner.get("/api/admin/export/statistics.csv?hours=24")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")
    assert 'filename="statistics-24h-' in answer.headers["Content-Disposition"]
    assert answer.content.decode().split("\r\n", 1)[0] == ",".join(export.STATISTICS_COLUMNS)
    table = company.owner.get("/api/admin/statistics/?hours=24").json()["employees"]
    rows = rows_of(answer)
    assert [row["id"] for row in rows] == [str(row["id"]) for row in table]
    mine, = [row for row in rows if row["id"] == str(employee.user["id"])]
    assert mine["assigned"] == "1" and mine["in_progress"] == "1"
    assert mine["average_progress"] == "40.0" and mine["progress_points"] == "40"
    assert company.owner.get("/api/admin/export/statistics.csv?hours=0").status_code == 400


def test_openapi_describes_both_exports_as_csv(company):
    paths = company.owner.get("/api/openapi.json").json()["paths"]
    for path in ("/api/admin/export/audit.csv", "/api/admin/export/statistics.csv"):
        assert "text/csv" in paths[path]["get"]["responses"]["200"]["content"]


def test_audit_batches_page_through_every_row_on_both_databases(database):
    """Keyset paging on SQLite and PostgreSQL: every row once, in id order, times at full precision."""
    from server.store.database import db
    from server.services.people import auth
    from server.services.tasks import progress, tasks
    with db.atomic():
        boss = auth.create_user("boss", "Boss", "ADMIN", "x")
        ann = auth.create_user("ann", "Ann", "EMPLOYEE", "x")
        first = tasks.create(boss, tasks.parse_new_task({"title": "a", "assignee_id": ann.id}))
        other = tasks.create(boss, tasks.parse_new_task({"title": "b", "assignee_id": ann.id}))
        for pct in (10, 20, 30):
            progress.record_progress(ann, first["id"], progress.parse_progress(
                {"progress_percentage": pct, "notes": "=%d, \"x\"" % pct}))
    batches = list(export.audit_batches({}, batch=2))
    assert [len(b) for b in batches] == [2, 2, 1]
    ids = [row[0] for batch in batches for row in batch]
    assert ids == [1, 2, 3, 4, 5]
    mine = [row for batch in export.audit_batches({"task": first["id"]}, batch=2) for row in batch]
    assert [row[0] for row in mine] == [1, 3, 4, 5] and other["id"] != first["id"]
    created = mine[-1][export.AUDIT_COLUMNS.index("created_at")]
    assert datetime.datetime.fromisoformat(created).tzinfo is not None and "." in created
    text = export.encode(mine)
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[-1][export.AUDIT_COLUMNS.index("notes")] == "'=30, \"x\""


# ---------------------------------------------------------------- a big export

BIG = 100_000
LONG_NOTE = "Refactored the importer, checked \"edge\" cases\nand wrote notes: " + "x" * 60


def append_rows(path, task_id, user_id, count, notes):
    """Append `count` audit rows straight into the SQLite file, chained by audit.row_hash in one
    transaction (audit.append builds three peewee statements a row: ~2 ms, minutes for 100,000)."""
    columns = audit.HASHED_FIELDS + ("prev_hash", "hash")
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        last_id, prev = conn.execute(
            "SELECT id, hash FROM task_progress ORDER BY id DESC LIMIT 1").fetchone()
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)
        values = []
        for offset in range(1, count + 1):
            content = {"id": last_id + offset, "task_id": task_id, "user_id": user_id,
                       "action": "progress", "previous_percentage": 10, "new_percentage": 10,
                       "previous_status": "IN_PROGRESS", "new_status": "IN_PROGRESS",
                       "notes": notes, "occupancy_status": "ACTIVE", "client_update_id": None,
                       "client_timestamp": None, "task_version": 2,
                       "created_at": now + datetime.timedelta(microseconds=offset)}
            digest = audit.row_hash(prev, content)
            content.update(created_at=str(content["created_at"]), prev_hash=prev, hash=digest)
            values.append(tuple(content[name] for name in columns))
            prev = digest
        conn.executemany("INSERT INTO task_progress (%s) VALUES (%s)"
                         % (", ".join(columns), ", ".join("?" * len(columns))), values)
        conn.execute("COMMIT")
    finally:
        conn.close()


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for %d" % pid)


class PeakRss(threading.Thread):
    """Samples a process's resident memory every 10 ms until stopped; keeps the peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, rss_kib(pid), threading.Event()

    def run(self):
        while not self.done.wait(0.01):
            self.peak = max(self.peak, rss_kib(self.pid))

    def stop(self):
        self.done.set()
        self.join()
        return self.peak


def test_a_100k_row_export_streams_in_bounded_memory(tmp_path):
    srv = start_server(tmp_path)
    try:
        company = Company(srv)
        employee = company.user()
        task = company.task(employee)
        progress(employee, task["id"], 10, "start")
        path = srv.db_path
        append_rows(path, task["id"], employee.user["id"], BIG, LONG_NOTE)
        warm = company.owner.get("/api/admin/export/audit.csv?task=%d&since=2100-01-01" % task["id"])
        assert warm.status_code == 200

        baseline = rss_kib(srv.proc.pid)
        sampler = PeakRss(srv.proc.pid)
        sampler.start()
        answer = company.owner.get("/api/admin/export/audit.csv", stream=True)
        assert answer.status_code == 200
        chunks = answer.iter_content(64 * 1024)
        received = [next(chunks)]
        # The first bytes are here: a row appended now still makes the export, so the server
        # had not read to the end yet (it reads as the client reads).
        append_rows(path, task["id"], employee.user["id"], 1, "marker, appended mid-export")
        received.extend(chunks)
        peak = sampler.stop()

        body = b"".join(received)
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert rows[0] == list(export.AUDIT_COLUMNS)
        assert len(rows) == 1 + 2 + BIG + 1  # header, create + progress, the bulk, the marker
        assert rows[-1][export.AUDIT_COLUMNS.index("notes")] == "marker, appended mid-export"
        assert rows[1000][export.AUDIT_COLUMNS.index("notes")] == LONG_NOTE
        growth_mib = (peak - baseline) / 1024
        size_mib = len(body) / 2 ** 20
        print("export: %.1f MiB of CSV, server RSS grew %.1f MiB (%.2f of the size)"
              % (size_mib, growth_mib, growth_mib / size_mib))
        assert size_mib > 20
        assert growth_mib < 16  # holding the rows (or the CSV) would take more than the size
        assert srv.proc.poll() is None
        assert "Traceback" not in srv.log()
    finally:
        srv.stop()
