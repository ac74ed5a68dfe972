"""kill -9 of the server in the middle of a burst: every acknowledged update survives, chain intact."""
import sqlite3
import threading
import time
import uuid

import pytest
import requests

from support.client import Api, Company
from support.server import ServerProcess, run_cli, server_env, start_server


def burst_then_kill(srv, company, writers=12, min_acked=80, max_wait=30):
    """Hammer the server with concurrent updates; kill -9 it once enough have been acknowledged."""
    employees = [company.user() for _ in range(writers)]
    tasks = [company.task(e) for e in employees]
    acked, stop = [], threading.Event()

    def hammer(employee, task):
        session, progress = requests.Session(), 0
        while not stop.is_set():
            progress = progress % 100 + 1
            key = str(uuid.uuid4())
            try:
                answer = session.post(srv.url + "/api/task/%d/progress/" % task["id"],
                                      json={"progress_percentage": progress, "client_update_id": key},
                                      headers=employee.headers(), timeout=10)
            except requests.RequestException:
                return  # the server died under us: this one was never acknowledged
            if answer.status_code == 200:
                acked.append((employee, task["id"], answer.json()["update_id"], key))

    threads = [threading.Thread(target=hammer, args=pair) for pair in zip(employees, tasks)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + max_wait
    while len(acked) < min_acked and time.monotonic() < deadline:
        time.sleep(0.02)
    srv.kill()  # mid-burst: requests are in flight, some acknowledged, some not
    stop.set()
    for thread in threads:
        thread.join()
    return acked


def check_all_acknowledged_present(srv, acked):
    by_task = {}
    for employee, task_id, update_id, key in acked:
        by_task.setdefault(task_id, (employee, set()))[1].add((update_id, key))
    for task_id, (employee, expected) in by_task.items():
        rows = Api(srv.url, employee.token).history(task_id)
        present = {(row["id"], row["client_update_id"]) for row in rows}
        assert expected <= present, "lost acknowledged updates: %s" % sorted(expected - present)[:5]


def test_kill_9_during_burst_loses_no_acknowledged_update_sqlite(tmp_path):
    srv = start_server(tmp_path)
    company = Company(srv)
    acked = burst_then_kill(srv, company)
    assert len(acked) > 50, "the burst was too small to prove anything"
    path = srv.db_path
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    srv.start()
    try:
        check_all_acknowledged_present(srv, acked)
        verify = run_cli("verify-audit", db_url=srv.db_url, check=False)
        assert verify.returncode == 0, verify.stdout + verify.stderr
    finally:
        srv.stop()


@pytest.mark.postgres
def test_kill_9_during_burst_loses_no_acknowledged_update_postgres(tmp_path, pg_url):
    srv = start_server(tmp_path, db_url=pg_url)
    company = Company(srv)
    acked = burst_then_kill(srv, company, writers=8)
    assert len(acked) > 50
    restarted = ServerProcess(pg_url, tmp_path / "server2.log", env=server_env(), port=srv.port).start()
    try:
        check_all_acknowledged_present(restarted, acked)
        verify = run_cli("verify-audit", db_url=pg_url, check=False)
        assert verify.returncode == 0, verify.stdout + verify.stderr
    finally:
        restarted.stop()
