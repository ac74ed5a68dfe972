"""python -m server: help, adduser, verify-audit, and the demo company."""
import subprocess
import sys

import pytest

from support.client import Api
from support.server import ROOT, ServerProcess, run_cli, server_env


@pytest.mark.parametrize("args,expect", [
    ([], ["serve", "adduser", "verify-audit", "--db", "--demo", "--port"]),
    (["serve"], ["--port", "--address", "--demo", "--db"]),
    (["adduser"], ["USERNAME", "--role", "--full-name", "--password", "--db"]),
    (["verify-audit"], ["--db"]),
])
def test_help_of_every_command(args, expect):
    out = subprocess.run([sys.executable, "-m", "server", *args, "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=30)
    assert out.returncode == 0
    for word in expect:
        assert word in out.stdout


def test_adduser_then_login(tmp_path):
    url = "sqlite:///%s" % (tmp_path / "cli.db")
    made = run_cli("adduser", "carol", "--role", "ADMIN", "--full-name", "Carol C", "--password",
                   "carol-orchid-ferry", db_url=url)
    assert "created ADMIN carol" in made.stdout
    again = run_cli("adduser", "carol", "--role", "ADMIN", "--password", "carol-orchid-ferry", db_url=url,
                    check=False)
    assert again.returncode == 2 and "taken" in again.stderr
    weak = run_cli("adduser", "dave", "--role", "EMPLOYEE", "--password", "short", db_url=url, check=False)
    assert weak.returncode == 2 and "password" in weak.stderr
    srv = ServerProcess(url, tmp_path / "s.log", env=server_env()).start()
    try:
        assert Api(srv.url).login("carol", "carol-orchid-ferry").user["role"] == "ADMIN"
    finally:
        srv.stop()


def test_adduser_reads_tracker_db_from_the_environment(tmp_path):
    env = server_env(TRACKER_DB="sqlite:///%s" % (tmp_path / "env.db"))
    out = subprocess.run([sys.executable, "-m", "server", "adduser", "erin", "--role", "EMPLOYEE",
                          "--password", "erin-quartz-lake"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and (tmp_path / "env.db").exists()


def test_verify_audit_on_an_empty_database_is_intact(tmp_path):
    out = run_cli("verify-audit", db_url="sqlite:///%s" % (tmp_path / "empty.db"))
    assert "intact: 0 rows" in out.stdout


def test_demo_company_has_something_real_everywhere(tmp_path):
    srv = ServerProcess("sqlite:///%s" % (tmp_path / "demo.db"), tmp_path / "demo.log",
                        env=server_env(TRACKER_DEMO="true")).start()
    try:
        log = srv.log()
        assert "adam" in log and "admin-demo-pass" in log
        admin = Api(srv.url).login("adam", "admin-demo-pass")
        status = admin.get("/api/admin/task-status/").json()
        summary = status["summary"]
        assert 25 <= summary["total"] <= 40
        assert all(summary[k] > 0 for k in ("pending", "in_progress", "done", "cancelled", "overdue"))
        assert {t["priority"] for t in status["tasks"]} == {"LOW", "MEDIUM", "HIGH", "URGENT"}
        assert len(status["employees"]) == 8
        stats = admin.get("/api/admin/statistics/").json()
        assert stats["occupancy"]["active_seconds"] > 0
        assert sum(b["ACTIVE"] for b in stats["timeline"]) > 0
        busy = max(status["tasks"], key=lambda t: t["version"])
        assert len(admin.get("/api/task/%d/history/" % busy["id"]).json()["updates"]) >= 3
        assert Api(srv.url).login("olivia", "owner-demo-pass").user["role"] == "OWNER"
        assert Api(srv.url).login("emma", "employee-demo-pass").user["role"] == "EMPLOYEE"
    finally:
        srv.stop()
    assert run_cli("verify-audit", db_url=srv.db_url).returncode == 0
    srv.start()  # a second --demo start leaves the filled database alone
    try:
        assert "Demo company ready" not in srv.log().split("Employee Progress Tracker on")[-1]
    finally:
        srv.stop()


def test_sqlite_connections_are_durable(tmp_path):
    """WAL, synchronous=FULL, foreign keys and a busy timeout on every connection."""
    from server.store import database as store
    database = store.open_database("sqlite:///%s" % (tmp_path / "p.db"))
    try:
        store.check_sqlite_durability()
        pragmas = {p: database.execute_sql("PRAGMA %s" % p).fetchone()[0]
                   for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
        assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10000}
        database.close()
        database.connect()  # a new connection gets them again
        assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
        database.execute_sql("PRAGMA synchronous=NORMAL")
        with pytest.raises(RuntimeError, match="not durable"):
            store.check_sqlite_durability()
    finally:
        database.close()
