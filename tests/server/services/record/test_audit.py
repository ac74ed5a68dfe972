"""The audit trail is append-only in the database itself and its hash chain exposes tampering."""
import shutil
import sqlite3

import peewee
import pytest

from support.client import Company
from support.server import run_cli, start_server
from server.store.database import db
from server.store.models import TaskProgress, User
from server.services.record import audit
from server.services.tasks import progress, tasks


def make_rows(count=3):
    with db.atomic():
        admin = User.create(username="boss", role="ADMIN", password_hash="x")
        worker = User.create(username="worker", password_hash="x")
        task = tasks.create(admin, {"title": "t", "description": "", "assignee_id": worker.id,
                                    "project_id": None, "due_date": None, "priority": "LOW"})
        for n in range(1, count):
            progress.record_progress(worker, task["id"], {
                "progress_percentage": n * 10, "notes": "n%d" % n, "occupancy_status": None,
                "client_update_id": None, "client_timestamp": None})
    return task


def test_triggers_refuse_update_and_delete(database):
    make_rows()
    for statement in ("UPDATE task_progress SET notes = 'forged'", "DELETE FROM task_progress"):
        with pytest.raises(peewee.DatabaseError, match="append-only"):
            with db.atomic():
                db.execute_sql(statement)
    assert TaskProgress.select().count() == 3
    assert {r.notes for r in TaskProgress.select()} == {"Assigned to worker", "n1", "n2"}
    if database == "postgres":
        with pytest.raises(peewee.DatabaseError, match="append-only"):
            with db.atomic():
                db.execute_sql("TRUNCATE task_progress CASCADE")
    assert audit.verify()[:2] == (True, 3)


def test_chain_links_every_row_to_the_previous(database):
    make_rows(4)
    rows = list(TaskProgress.select().order_by(TaskProgress.id))
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))
    assert audit.task_chain_intact(rows[0].task_id)


@pytest.mark.parametrize("tamper,bad_row", [
    ("UPDATE task_progress SET notes = 'I did it all' WHERE id = 3", 3),
    ("UPDATE task_progress SET new_percentage = 100 WHERE id = 2", 2),
    ("DELETE FROM task_progress WHERE id = 2", 3),
    ("UPDATE task_progress SET hash = '%s' WHERE id = 2" % ("0" * 64), 2),
])
def test_verify_audit_names_the_first_broken_row(tmp_path, tamper, bad_row):
    srv = start_server(tmp_path)
    company = Company(srv)
    employee = company.user()
    task = company.task(employee)
    for pct in (20, 40, 60):
        employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": pct})
    srv.stop()
    intact = run_cli("verify-audit", db_url=srv.db_url, check=False)
    assert intact.returncode == 0 and "intact" in intact.stdout

    copy = tmp_path / "tampered.db"
    shutil.copy(tmp_path / "tracker.db", copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TRIGGER task_progress_no_update")
        conn.execute("DROP TRIGGER task_progress_no_delete")
        conn.execute(tamper)
    broken = run_cli("verify-audit", db_url="sqlite:///%s" % copy, check=False)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "BROKEN at row %d" % bad_row in broken.stdout
    with sqlite3.connect(copy) as conn:
        task_id = conn.execute("SELECT task_id FROM task_progress LIMIT 1").fetchone()[0]
    assert task_id == task["id"]


@pytest.mark.postgres
def test_two_processes_on_postgres_never_fork_the_chain(tmp_path, pg_url):
    """Two servers append to one chain concurrently; the chain stays one line."""
    import concurrent.futures
    from support.client import Api
    from support.server import ServerProcess, server_env
    first = start_server(tmp_path, db_url=pg_url)
    second = ServerProcess(pg_url, tmp_path / "second.log", env=server_env()).start()
    try:
        company = Company(first)
        people = [company.user() for _ in range(6)]
        work = [(Api(srv.url, p.token), company.task(p)) for p in people for srv in (first, second)]

        def push(pair):
            api, task = pair
            return [api.post("/api/task/%d/progress/" % task["id"],
                             {"progress_percentage": pct}).status_code for pct in range(5, 100, 10)]

        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            codes = [c for batch in pool.map(push, work) for c in batch]
        assert set(codes) == {200} and len(codes) == 120
        verify = run_cli("verify-audit", db_url=pg_url, check=False)
        assert verify.returncode == 0, verify.stdout
        assert "%d rows" % (120 + len(work)) in verify.stdout
    finally:
        second.stop()
        first.stop()
