"""Rows made older than the test: a task created a day ago, so that time may be tracked on it
in the past (a non-admin's entry may not start before its task existed, SPEC 11.5)."""
import sqlite3

import psycopg


def backdate_task(db_url, task_id, seconds):
    """Move a task's creation `seconds` back, straight in the server's database."""
    if db_url.startswith("sqlite:///"):
        with sqlite3.connect(db_url[len("sqlite:///"):], timeout=30) as conn:
            conn.execute("UPDATE task SET created_at = datetime(created_at, ?) WHERE id = ?",
                         ("-%d seconds" % seconds, task_id))
        conn.close()
        return
    with psycopg.connect(db_url.replace("postgresql+psycopg", "postgresql")) as conn:
        conn.execute("UPDATE task SET created_at = created_at - make_interval(secs => %s) "
                     "WHERE id = %s", (seconds, task_id))


def backdate(server, task_id, days=14):
    """Make a test server's task `days` older (the timesheet tests' past weeks)."""
    backdate_task(server.db_url, task_id, int(days * 86400))
