"""/healthz tells the truth about the database, and the server recovers when it comes back."""
import psycopg
import pytest
import requests

from support.client import Company
from support.server import PG_URL, start_server


def terminate(name):
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))


@pytest.mark.postgres
def test_healthz_is_503_while_postgres_refuses_and_recovers_after(tmp_path, pg_url):
    name = pg_url.rsplit("/", 1)[1]
    srv = start_server(tmp_path, db_url=pg_url)
    try:
        company = Company(srv)
        employee = company.user()
        terminate(name)  # connections cut under the server: it reconnects by itself
        assert requests.get(srv.url + "/healthz", timeout=10).json() == {"status": "ok"}
        assert employee.get("/api/employee-tasks/").status_code in (200, 503)
        assert employee.get("/api/employee-tasks/").status_code == 200
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute('ALTER DATABASE "%s" ALLOW_CONNECTIONS false' % name)
        terminate(name)
        down = requests.get(srv.url + "/healthz", timeout=10)
        assert down.status_code == 503 and down.json() == {"status": "unavailable"}
        refused = employee.get("/api/employee-tasks/")
        assert refused.status_code == 503 and "Traceback" not in refused.text
        assert refused.json()["error"]["code"] == "database_unavailable"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute('ALTER DATABASE "%s" ALLOW_CONNECTIONS true' % name)
        assert requests.get(srv.url + "/healthz", timeout=10).status_code == 200
        assert employee.get("/api/employee-tasks/").status_code == 200
    finally:
        srv.stop()


@pytest.mark.postgres
def test_the_monitor_snapshot_catches_up_after_the_database_was_away(tmp_path, pg_url):
    """A change taken in just before the outage is not lost from the cached monitor: the read
    that failed is made again once the database answers."""
    name = pg_url.rsplit("/", 1)[1]
    srv = start_server(tmp_path, db_url=pg_url)
    try:
        company = Company(srv)
        employee = company.user()
        task = company.task(employee)
        path = "/api/admin/task-status/?employee=%d" % employee.user["id"]
        assert company.owner.get(path).json()["tasks"][0]["progress_percentage"] == 0
        assert employee.post("/api/task/%d/progress/" % task["id"],
                             {"progress_percentage": 70}).status_code == 200
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute('ALTER DATABASE "%s" ALLOW_CONNECTIONS false' % name)
        terminate(name)
        assert company.owner.get(path).status_code == 503
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute('ALTER DATABASE "%s" ALLOW_CONNECTIONS true' % name)
        assert company.owner.get(path).json()["tasks"][0]["progress_percentage"] == 70
    finally:
        srv.stop()
