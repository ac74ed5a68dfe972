"""Retention: `python -m server purge` removes what is past its days; totals and the chain stay."""
import sqlite3

from support.client import Company
from support.privacy import ALICE, eventually, fill, person
from support.server import run_cli, server_env, start_server


def test_purge_removes_old_rows_and_keeps_totals(tmp_path):
    srv = start_server(tmp_path)
    company = Company(srv)
    alice = person(company, ALICE)
    task = fill(company, alice, ALICE)
    alice.post("/api/heartbeat/", {"occupancy_status": "OFFLINE"})
    before = alice.get("/api/employee-tasks/").json()["tasks"][0]
    srv.stop()
    with sqlite3.connect(srv.db_path) as conn:  # the rows are 100 days old
        for table, column in (("occupancy_interval", "started_at"), ("occupancy_interval", "ended_at"),
                              ("time_entry", "started_at"), ("time_entry", "ended_at"),
                              ("comment", "created_at"), ("comment", "edited_at")):
            conn.execute("UPDATE %s SET %s = datetime(%s, '-100 days')" % (table, column, column))
    env = server_env(TRACKER_RETENTION_TIME_ENTRIES_DAYS="30", TRACKER_RETENTION_COMMENTS_DAYS="30")
    purged = run_cli("purge", db_url=srv.db_url, env=env)
    assert "purged 1 presence intervals, 1 time entries and 1 comments" in purged.stdout
    with sqlite3.connect(srv.db_path) as conn:
        for table in ("occupancy_interval", "time_entry", "comment", "comment_revision"):
            assert conn.execute("SELECT COUNT(*) FROM %s" % table).fetchone()[0] == 0, table
    assert run_cli("verify-audit", db_url=srv.db_url).returncode == 0
    srv.start()
    try:
        after = alice.get("/api/employee-tasks/").json()["tasks"][0]
    finally:
        srv.stop()
    assert after["id"] == task["id"]
    assert (after["progress_percentage"], after["tracked_minutes"]) == (
        before["progress_percentage"], before["tracked_minutes"])
    assert after["comment_count"] == 0


def test_a_bad_retention_setting_is_refused(tmp_path):
    srv = start_server(tmp_path)
    srv.stop()
    refused = run_cli("purge", db_url=srv.db_url, check=False,
                      env=server_env(TRACKER_RETENTION_PRESENCE_DAYS="soon"))
    assert refused.returncode != 0 and "retention_presence_days" in refused.stderr


def test_a_starting_server_purges_on_its_own(tmp_path):
    srv = start_server(tmp_path)
    employee = Company(srv).user()
    employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
    employee.post("/api/heartbeat/", {"occupancy_status": "OFFLINE"})
    srv.stop()
    with sqlite3.connect(srv.db_path) as conn:
        conn.execute("UPDATE occupancy_interval SET started_at = datetime(started_at, '-91 days'), "
                     "ended_at = datetime(ended_at, '-91 days')")
    srv.start()
    try:
        def left():
            with sqlite3.connect(srv.db_path) as conn:
                return conn.execute("SELECT COUNT(*) FROM occupancy_interval").fetchone()[0]
        eventually(lambda: left() == 0, "the purge at start")
        stats = Company(srv).owner.get("/api/admin/statistics/?hours=24").json()
        assert stats["occupancy"]["active_seconds"] == 0
    finally:
        srv.stop()
