"""On PostgreSQL every write that appends to the audit chain or the event log takes the chain's
advisory lock, so the processes write one at a time. A heartbeat that keeps an ACTIVE person
ACTIVE appends nothing and must not wait for that lock (docs/deploy.md, "Sizing"); a change of
status still does. Real server on real PostgreSQL; the lock is held by the test's own connection."""
import concurrent.futures
import time

import psycopg

from server.services.record.audit import CHAIN_LOCK_KEY
from support.client import Company
from support.server import start_server


def heartbeat(api, status):
    answer = api.post("/api/heartbeat/", {"occupancy_status": status})
    assert answer.status_code == 200, answer.text
    return answer.json()["occupancy_status"]


def interval_end(pg_url, user_id):
    with psycopg.connect(pg_url) as conn:
        return conn.execute("SELECT ended_at FROM occupancy_interval WHERE user_id = %s AND NOT closed",
                            (user_id,)).fetchone()[0]


def until_waiting(pg_url, locktype):
    """Wait until some backend waits for a lock of `locktype` (pg_locks: not granted)."""
    deadline = time.monotonic() + 30
    with psycopg.connect(pg_url, autocommit=True) as conn:
        while not conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = %s AND NOT granted",
                               (locktype,)).fetchone()[0]:
            assert time.monotonic() < deadline, "nobody waited for a %s lock" % locktype
            time.sleep(0.05)


def test_a_heartbeat_that_keeps_its_status_does_not_wait_for_the_chain(pg_url, tmp_path):
    srv = start_server(tmp_path, db_url=pg_url)
    try:
        employee = Company(srv).user()
        assert heartbeat(employee, "ACTIVE") == "ACTIVE"  # online: an event, under the lock
        before = interval_end(pg_url, employee.user["id"])
        with psycopg.connect(pg_url) as holder, concurrent.futures.ThreadPoolExecutor(1) as pool:
            holder.execute("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK_KEY,))  # held until rollback
            assert heartbeat(employee, "ACTIVE") == "ACTIVE"  # answered while the chain is held
            assert interval_end(pg_url, employee.user["id"]) > before
            going_idle = pool.submit(heartbeat, employee, "IDLE")  # a change: an event, so it waits
            until_waiting(pg_url, "advisory")
            assert not going_idle.done()
            holder.rollback()
            assert going_idle.result(timeout=30) == "IDLE"
    finally:
        srv.stop()


def test_a_heartbeat_whose_interval_another_writer_holds_takes_the_full_way(pg_url, tmp_path):
    """SKIP LOCKED: the fast way never waits on the row; it hands over to the full heartbeat,
    which waits for the row as every writer does, and the answer still comes."""
    srv = start_server(tmp_path, db_url=pg_url)
    try:
        employee = Company(srv).user()
        heartbeat(employee, "ACTIVE")
        with psycopg.connect(pg_url) as holder, concurrent.futures.ThreadPoolExecutor(1) as pool:
            holder.execute("SELECT id FROM occupancy_interval WHERE user_id = %s FOR UPDATE",
                           (employee.user["id"],))
            beat = pool.submit(heartbeat, employee, "ACTIVE")
            until_waiting(pg_url, "transactionid")  # the full heartbeat waits for the row
            assert not beat.done()
            holder.rollback()
            assert beat.result(timeout=30) == "ACTIVE"
        assert heartbeat(employee, "ACTIVE") == "ACTIVE"
    finally:
        srv.stop()
