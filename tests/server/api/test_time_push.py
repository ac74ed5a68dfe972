"""time_entry.* push events over a real WebSocket: what they carry, who receives them, and the
idempotent start and stop the desktop's journal relies on."""
import datetime
import uuid

import pytest

from support.client import Company
from support.push import connect, recv_json
from support.server import run_cli, start_server
from support.timer import ago, iso


def next_time_event(ws):
    """The next time_entry.* event on the socket (pings, hellos and task events skipped)."""
    while True:
        message = recv_json(ws)
        if message.get("type", "").startswith("time_entry."):
            return message


def test_every_timer_change_reaches_the_assignee_and_the_admins(company, server):
    ann, admin = company.user(), company.user("ADMIN")
    task = company.old_task(ann)
    sockets = {"ann": connect(server, ann), "admin": connect(server, admin)}
    try:
        started = ann.post("/api/task/%d/timer/start/" % task["id"]).json()
        stopped = ann.post("/api/timer/stop/").json()
        added = ann.post("/api/task/%d/time-entries/" % task["id"],
                         {"started_at": iso(ago(90)), "ended_at": iso(ago(30))}).json()
        assert ann.patch("/api/time-entries/%d/" % added["id"], {"note": "review"}).status_code == 200
        assert ann.request("DELETE", "/api/time-entries/%d/" % added["id"]).status_code == 204
        for ws in sockets.values():
            event = next_time_event(ws)
            assert event["type"] == "time_entry.started" and event["entry"] == started
            assert event["task"]["id"] == task["id"] and event["entry"]["running"]
            event = next_time_event(ws)
            assert event["type"] == "time_entry.stopped" and event["entry"]["id"] == started["id"]
            assert event["entry"]["stop_reason"] == "user" and not event["entry"]["running"]
            event = next_time_event(ws)
            assert event["type"] == "time_entry.added" and event["task"]["tracked_minutes"] == 60
            assert event["entry"]["id"] == added["id"]
            event = next_time_event(ws)
            assert event["type"] == "time_entry.edited" and event["entry"]["note"] == "review"
            event = next_time_event(ws)
            assert event["type"] == "time_entry.deleted" and event["task"]["tracked_minutes"] == 0
    finally:
        for ws in sockets.values():
            ws.close()


def test_an_outsider_receives_none_of_them(company, server):
    ann, outsider = company.user(), company.user()
    task = company.old_task(ann)
    ws = connect(server, outsider)
    try:
        ann.post("/api/task/%d/timer/start/" % task["id"])
        ann.post("/api/timer/stop/")
        own = company.task(outsider)  # a later event of the outsider's own comes first
        message = recv_json(ws)
        while message.get("type") != "task.created":
            assert not message.get("type", "").startswith("time_entry."), message
            message = recv_json(ws)
        assert message["task"]["id"] == own["id"]
    finally:
        ws.close()


def test_idle_heartbeat_stop_is_pushed_back_dated_to_the_idle_start(company, server):
    ann = company.user()
    task = company.old_task(ann)
    ann.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
    assert ann.post("/api/task/%d/timer/start/" % task["id"],
                    {"started_ago_seconds": 1800}).status_code == 201
    ws = connect(server, ann)
    try:
        assert ann.post("/api/heartbeat/", {"occupancy_status": "IDLE",
                                            "idle_seconds": 600}).status_code == 200
        event = next_time_event(ws)
        assert event["type"] == "time_entry.stopped" and event["entry"]["stop_reason"] == "idle"
        ended = datetime.datetime.fromisoformat(event["entry"]["ended_at"].replace("Z", "+00:00"))
        ended = ended.replace(tzinfo=None)
        assert abs((ended - ago(10)).total_seconds()) < 30  # now - idle_seconds, not now
        assert event["task"]["tracked_minutes"] == 20
    finally:
        ws.close()


def test_a_reassigned_task_still_tells_the_timer_owner(company, server):
    ann, bob = company.user(), company.user()
    task = company.old_task(ann)
    ann.post("/api/task/%d/timer/start/" % task["id"])
    assert company.owner.patch("/api/admin/tasks/%d/" % task["id"],
                               {"assignee_id": bob.user["id"]}).status_code == 200
    ws = connect(server, ann)
    try:
        ann.post("/api/timer/stop/")
        event = next_time_event(ws)
        assert event["type"] == "time_entry.stopped" and event["entry"]["user"]["id"] == ann.user["id"]
    finally:
        ws.close()


def test_start_and_stop_under_a_client_entry_id_are_safe_to_resend(company):
    ann = company.user()
    task, other = company.old_task(ann), company.old_task(ann)
    key = uuid.uuid4().hex
    start = ann.post("/api/task/%d/timer/start/" % task["id"],
                     {"client_entry_id": key, "started_ago_seconds": 300})
    assert start.status_code == 201 and start.json()["client_entry_id"] == key
    again = ann.post("/api/task/%d/timer/start/" % task["id"], {"client_entry_id": key})
    assert again.status_code == 200 and again.json()["id"] == start.json()["id"]
    stop = ann.post("/api/timer/stop/", {"client_entry_id": key, "ended_ago_seconds": 60})
    assert stop.status_code == 200 and stop.json()["minutes"] == 4
    # A resend after the stop: the stopped entry as it is; nothing else is started or stopped.
    assert ann.post("/api/task/%d/timer/start/" % task["id"],
                    {"client_entry_id": key}).json()["running"] is False
    ann.post("/api/task/%d/timer/start/" % other["id"])
    resent = ann.post("/api/timer/stop/", {"client_entry_id": key, "ended_ago_seconds": 0})
    assert resent.status_code == 200 and resent.json()["minutes"] == 4
    assert ann.get("/api/me/time-entries/").json()["running"]["task_id"] == other["id"]
    entries = ann.get("/api/task/%d/time-entries/" % task["id"]).json()["entries"]
    assert [e["client_entry_id"] for e in entries] == [key]


def test_bad_start_and_stop_fields_are_refused_and_change_nothing(company):
    ann = company.user()
    task, other = company.old_task(ann), company.old_task(ann)
    key = uuid.uuid4().hex
    ann.post("/api/task/%d/timer/start/" % task["id"], {"client_entry_id": key})
    cases = [
        ("/api/task/%d/timer/start/" % other["id"], {"client_entry_id": key}, 422, "client_entry_id"),
        ("/api/task/%d/timer/start/" % other["id"], {"started_at": "noon"}, 400, "started_at"),
        ("/api/task/%d/timer/start/" % other["id"], {"started_at": iso(ago(-10))}, 400, "started_at"),
        ("/api/task/%d/timer/start/" % other["id"], {"started_at": iso(ago(13 * 60))}, 400,
         "started_at"),
        ("/api/task/%d/timer/start/" % other["id"], {"client_entry_id": " "}, 400, "client_entry_id"),
        ("/api/task/%d/timer/start/" % other["id"], {"colour": "red"}, 400, None),
        ("/api/timer/stop/", {"client_entry_id": "never-used"}, 404, None),
        ("/api/timer/stop/", {"client_entry_id": 7}, 400, "client_entry_id"),
    ]
    for path, body, status, field in cases:
        answer = ann.post(path, body)
        assert answer.status_code == status, (body, answer.text)
        if field:
            assert answer.json()["error"]["field"] == field, (body, answer.text)
    running = ann.get("/api/me/time-entries/").json()["running"]
    assert running["task_id"] == task["id"] and running["client_entry_id"] == key
    assert len(ann.get("/api/me/time-entries/").json()["entries"]) == 1


def test_a_start_back_dated_into_another_entry_is_an_overlap(company):
    ann = company.user()
    task = company.old_task(ann)
    ann.post("/api/task/%d/time-entries/" % task["id"],
             {"started_at": iso(ago(30)), "ended_at": iso(ago(10))})
    refused = ann.post("/api/task/%d/timer/start/" % task["id"], {"started_ago_seconds": 1200})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "overlap"
    assert ann.get("/api/me/time-entries/").json()["running"] is None


@pytest.mark.postgres
def test_the_same_events_and_resends_on_postgresql(pg_url, tmp_path):
    srv = start_server(tmp_path, db_url=pg_url)
    try:
        company = Company(srv)
        ann = company.user()
        task = company.old_task(ann)
        ws = connect(srv, ann)
        try:
            key = uuid.uuid4().hex
            body = {"client_entry_id": key, "started_ago_seconds": 600}
            started = ann.post("/api/task/%d/timer/start/" % task["id"], body)
            assert started.status_code == 201
            assert ann.post("/api/task/%d/timer/start/" % task["id"], body).status_code == 200
            stop = {"client_entry_id": key, "ended_ago_seconds": 60}
            assert ann.post("/api/timer/stop/", stop).json() == ann.post("/api/timer/stop/",
                                                                         stop).json()
            assert next_time_event(ws)["type"] == "time_entry.started"
            event = next_time_event(ws)
            assert event["type"] == "time_entry.stopped" and event["task"]["tracked_minutes"] == 9
        finally:
            ws.close()
    finally:
        srv.stop()
    intact = run_cli("verify-audit", db_url=pg_url, check=False)
    assert intact.returncode == 0, intact.stdout + intact.stderr
