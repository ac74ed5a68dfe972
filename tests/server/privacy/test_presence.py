"""Presence detail and pause: what the level forbids never reaches the database or an admin."""
import pytest

from support.client import Company
from support.server import start_server


@pytest.fixture
def server_with(tmp_path):
    started = []

    def start(**env):
        srv = start_server(tmp_path / str(len(started)), **env)
        started.append(srv)
        return srv

    (tmp_path / "0").mkdir()
    (tmp_path / "1").mkdir()
    yield start
    for srv in started:
        srv.stop()


def rows(srv, table):
    import sqlite3
    with sqlite3.connect(srv.db_path) as conn:
        return conn.execute("SELECT COUNT(*) FROM %s" % table).fetchone()[0]


def employee_row(company, employee):
    people = company.owner.get("/api/admin/task-status/").json()["employees"]
    return next(p for p in people if p["id"] == employee.user["id"])


def test_off_stores_nothing_yet_idle_stops_the_timer(server_with):
    srv = server_with(TRACKER_PRESENCE_DETAIL="off")
    company = Company(srv)
    employee = company.user()
    task = company.task(employee)
    assert employee.post("/api/task/%d/timer/start/" % task["id"]).status_code == 201
    beat = employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"}).json()
    assert beat["occupancy_status"] is None and beat["presence_detail"] == "off"
    employee.post("/api/heartbeat/", {"occupancy_status": "IDLE", "idle_seconds": 60})
    assert rows(srv, "occupancy_interval") == 0
    person = employee_row(company, employee)
    assert person["occupancy_status"] is None and person["last_seen_at"] is None
    entries = employee.get("/api/task/%d/time-entries/" % task["id"]).json()["entries"]
    assert entries[0]["ended_at"] is not None  # the idle report stopped the timer
    report = employee.post("/api/task/%d/progress/" % task["id"],
                           {"progress_percentage": 10, "occupancy_status": "IDLE"}).json()
    history = employee.get("/api/task/%d/history/" % task["id"]).json()["updates"]
    assert history[0]["id"] == report["update_id"] and history[0]["occupancy_status"] is None


def test_online_never_lets_idle_reach_admins_or_statistics(server_with):
    srv = server_with(TRACKER_PRESENCE_DETAIL="online")
    company = Company(srv)
    employee = company.user()
    employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
    beat = employee.post("/api/heartbeat/", {"occupancy_status": "IDLE", "idle_seconds": 5}).json()
    assert beat["occupancy_status"] == "ACTIVE" and beat["presence_detail"] == "online"
    assert employee_row(company, employee)["occupancy_status"] == "ACTIVE"
    stats = company.owner.get("/api/admin/statistics/?hours=1").json()
    assert stats["occupancy"]["idle_seconds"] == 0
    assert all(row["idle_seconds"] == 0 for row in stats["employees"])
    import sqlite3
    with sqlite3.connect(srv.db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM occupancy_interval WHERE status = 'IDLE'"
                            ).fetchone()[0] == 0
    events = company.owner.get("/api/events/?after=0&timeout=0").json()["events"]
    told = [e["employee"]["occupancy_status"] for e in events
            if e["type"] == "occupancy.changed" and e["employee"]["id"] == employee.user["id"]]
    assert told == ["ACTIVE"]  # the idle report changed nothing anyone hears of


def test_pause_shows_paused_stops_the_timer_and_stores_nothing(server_with):
    srv = server_with()
    company = Company(srv)
    employee = company.user()
    task = company.task(employee)
    employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
    employee.post("/api/task/%d/timer/start/" % task["id"])
    assert employee.post("/api/me/pause/").json() == {"paused": True}
    assert employee_row(company, employee)["occupancy_status"] == "PAUSED"
    before = rows(srv, "occupancy_interval")
    beat = employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"}).json()
    assert beat["occupancy_status"] == "PAUSED" and beat["paused"] is True
    assert rows(srv, "occupancy_interval") == before
    entries = employee.get("/api/task/%d/time-entries/" % task["id"]).json()["entries"]
    assert entries[0]["ended_at"] is not None
    assert employee.post("/api/me/resume/").json() == {"paused": False}
    assert employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"}).json()["occupancy_status"] == "ACTIVE"
    assert employee.get("/api/me/privacy/").json()["paused"] is False


def test_pause_is_refused_when_turned_off(server_with):
    srv = server_with(TRACKER_ALLOW_PAUSE="false")
    employee = Company(srv).user()
    refused = employee.post("/api/me/pause/")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert employee.get("/api/me/privacy/").json()["paused"] is False
