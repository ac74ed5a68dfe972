"""Expected database outages: a clean 503 with its own code, one WARNING line per change of state
and a counter, never a traceback; the command line tells "down" from "tampered" (issue 24, items
4, 15, 16 and 17)."""
import sqlite3
import threading

import peewee as pw
import psycopg
import pytest
import requests

from server.store import outage
from support.client import Company
from support.pg import PG_URL
from support.server import free_port, run_cli, server_env, start_server
from support.wait import wait_until



def _warnings(log):
    return [line for line in log.splitlines() if "tracker.database" in line]


def _connections(name, allowed):
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute('ALTER DATABASE "%s" ALLOW_CONNECTIONS %s' % (name, "true" if allowed else "false"))
        if not allowed:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                         (name,))


@pytest.mark.postgres
def test_postgresql_going_away_logs_one_line_each_way_and_counts(pg_url, tmp_path):
    name = pg_url.rsplit("/", 1)[1]
    srv = start_server(tmp_path, db_url=pg_url)
    try:
        company = Company(srv)
        ann = company.user()
        task = company.task(ann)
        _connections(name, False)
        try:
            for _ in range(15):
                read = ann.get("/api/me/time-entries/")
                assert read.status_code == 503, read.text
                assert read.json()["error"]["code"] == "database_unavailable"
                write = ann.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 10})
                assert write.status_code == 503 and write.json()["error"]["code"] == "database_unavailable"
        finally:
            _connections(name, True)
        wait_until(lambda: ann.get("/api/me/time-entries/").status_code == 200, 30)
        wait_until(lambda: len(_warnings(srv.log())) >= 2, 30)
        metrics = requests.get(srv.url + "/metrics", timeout=10).text
    finally:
        srv.stop()
    log = srv.log()
    lines = _warnings(log)
    assert len(lines) == 2, lines
    assert "WARNING" in lines[0] and "database unavailable" in lines[0]
    assert "answering again" in lines[1]
    assert "Traceback" not in log and "Uncaught exception" not in log
    counted = [line for line in metrics.splitlines()
               if line.startswith('tracker_database_outage_errors_total{kind="unavailable"}')]
    assert counted and float(counted[0].split()[-1]) >= 30, counted


def test_a_locked_sqlite_database_answers_database_busy_and_writes_nothing(tmp_path):
    srv = start_server(tmp_path)
    try:
        company = Company(srv)
        ann = company.user()
        task = company.task(ann)
        holder = sqlite3.connect(srv.db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            answer = ann.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 40},
                              timeout=60)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["code"] == "database_busy"
        assert "busy" in answer.json()["error"]["message"]
        assert [t for t in ann.get("/api/employee-tasks/").json()["tasks"]
                if t["id"] == task["id"]][0]["progress_percentage"] == 0
    finally:
        srv.stop()
    lines = _warnings(srv.log())
    assert lines and "database busy" in lines[0] and "Traceback" not in srv.log()


def test_a_full_disk_is_told_apart_from_a_lock_and_from_an_outage(tmp_path):
    """A real SQLite that may not grow (max_page_count) fails as a full disk does: SQLITE_FULL."""
    database = pw.SqliteDatabase(str(tmp_path / "small.db"))
    database.execute_sql("CREATE TABLE t (x TEXT)")
    database.execute_sql("PRAGMA max_page_count = %d" % database.execute_sql(
        "PRAGMA page_count").fetchone()[0])
    with pytest.raises(pw.OperationalError) as full:
        database.execute_sql("INSERT INTO t VALUES (?)", ("x" * 100000,))
    assert outage.kind_of(full.value) == "full"
    assert outage.ANSWERS["full"][0] == "database_full"
    other = pw.SqliteDatabase(str(tmp_path / "small.db"), timeout=0.01)
    database.execute_sql("PRAGMA max_page_count = 100000")
    database.execute_sql("BEGIN IMMEDIATE")
    with pytest.raises(pw.OperationalError) as locked:
        other.execute_sql("BEGIN IMMEDIATE")
    assert outage.kind_of(locked.value) == "busy"
    database.execute_sql("ROLLBACK")
    assert outage.kind_of(ValueError("x")) is None


def test_one_warning_per_change_of_state_from_many_threads(caplog):
    log = outage.OutageLog()
    errors = [pw.OperationalError(sqlite3.OperationalError("database is locked")),
              pw.OperationalError(sqlite3.OperationalError("database or disk is full"))]
    with caplog.at_level("WARNING", logger="tracker.database"):
        threads = [threading.Thread(target=lambda: [log.failed(errors[0], "request") for _ in range(200)])
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        log.failed(errors[1], "writer")
        log.answered()
        log.answered()
    assert [record.getMessage().split(" (")[0] for record in caplog.records] == [
        "database busy", "database full", "database answering again"]
    assert all(record.exc_info is None for record in caplog.records)
    assert log.counts == {"unavailable": 0, "busy": 800, "full": 1}


@pytest.mark.parametrize("command", [("verify-audit",), ("serve", "--port", "0")])
def test_the_command_line_says_unreachable_in_one_line_with_exit_3(tmp_path, command):
    for url in ("postgresql://postgres@127.0.0.1:%d/none" % free_port(),
                "sqlite:///%s" % (tmp_path / "no" / "such" / "dir" / "tracker.db")):
        done = run_cli(*command, db_url=url, env=server_env(), check=False)
        assert done.returncode == 3, (url, done.returncode, done.stdout, done.stderr)
        errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "database" in errors[0], done.stderr
        assert "Traceback" not in done.stderr and "BROKEN" not in done.stdout


def test_tornado_error_lines_carry_no_calendar_token_or_query_value(tmp_path):
    """A 500 on a feed (a task whose stored due date cannot be read) is logged without the
    feed's token or the query's values, like the access log."""
    srv = start_server(tmp_path)
    try:
        company = Company(srv)
        ann = company.user()
        task = company.task(ann, due_date="2031-05-01T12:00:00Z")
        url = ann.get("/api/me/calendar/").json()["url"]
        token = url.rsplit("/", 1)[1][:-len(".ics")]
        with sqlite3.connect(srv.db_path) as conn:
            conn.execute("UPDATE task SET due_date = 'garbled' WHERE id = ?", (task["id"],))
        conn.close()
        answer = requests.get(url + "?secretvalue=hunter2", timeout=30)
        assert answer.status_code == 500
        wait_until(lambda: "Uncaught exception" in srv.log(), 30)
    finally:
        srv.stop()
    log = srv.log()
    assert token not in log and "hunter2" not in log
    assert "Uncaught exception GET /calendar/<token>.ics (127.0.0.1)" in log
