"""Timers and time entries over HTTP on a real server: every rule and every bad input."""
import csv
import datetime
import io
import uuid

import requests

from support.client import Api


def iso(value):
    return value.replace(microsecond=0).isoformat() + "Z"


def ago(minutes):
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(
        minutes=minutes)


def test_start_stop_and_tracked_minutes_on_the_task(company):
    ann = company.user()
    task = company.old_task(ann, estimate_minutes=120)
    assert task["estimate_minutes"] == 120 and task["tracked_minutes"] == 0
    started = ann.post("/api/task/%d/timer/start/" % task["id"])
    assert started.status_code == 201, started.text
    assert started.json()["running"] and started.json()["user"]["id"] == ann.user["id"]
    assert ann.post("/api/task/%d/timer/start/" % task["id"]).status_code == 200  # already runs
    assert ann.get("/api/me/time-entries/").json()["running"]["id"] == started.json()["id"]
    stopped = ann.post("/api/timer/stop/", {"ended_at": iso(ago(-0.01))})
    assert stopped.status_code == 200 and stopped.json()["stop_reason"] == "user"
    assert ann.post("/api/timer/stop/").status_code == 404
    made = ann.post("/api/task/%d/time-entries/" % task["id"],
                    {"started_at": iso(ago(200)), "ended_at": iso(ago(110))})
    assert made.status_code == 201, made.text
    mine = [t for t in ann.get("/api/employee-tasks/").json()["tasks"] if t["id"] == task["id"]]
    assert mine[0]["tracked_minutes"] == 90
    listed = ann.get("/api/task/%d/time-entries/" % task["id"]).json()
    assert len(listed["entries"]) == 2
    assert company.owner.get("/api/task/%d/time-entries/" % task["id"]).status_code == 200


def test_estimate_is_set_and_refused_on_the_admin_api(company):
    ann = company.user()
    task = company.old_task(ann)
    assert task["estimate_minutes"] is None
    edited = company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"estimate_minutes": 45})
    assert edited.status_code == 200 and edited.json()["estimate_minutes"] == 45
    for bad in (-1, "45", 1.5, True, 10**9):
        refused = company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"estimate_minutes": bad})
        assert refused.status_code == 400 and refused.json()["error"]["field"] == "estimate_minutes"
    assert company.owner.post("/api/admin/tasks/", {"title": "x", "assignee_id": ann.user["id"],
                                                    "estimate_minutes": -5}).status_code == 400


def test_bad_inputs_name_their_field_and_write_nothing(company):
    ann, bob = company.user(), company.user()
    task = company.old_task(ann)
    path = "/api/task/%d/time-entries/" % task["id"]
    cases = [
        ({"started_at": "yesterday", "ended_at": iso(ago(1))}, "started_at"),
        ({"started_at": iso(ago(10)), "ended_at": 5}, "ended_at"),
        ({"ended_at": iso(ago(1))}, "started_at"),
        ({"started_at": iso(ago(10)), "ended_at": iso(ago(20))}, "ended_at"),
        ({"started_at": iso(ago(10)), "ended_at": iso(ago(-30))}, "ended_at"),
        ({"started_at": iso(ago(800)), "ended_at": iso(ago(1))}, "ended_at"),
        ({"started_at": iso(ago(10)), "ended_at": iso(ago(1)), "source": "guess"}, "source"),
        ({"started_at": iso(ago(10)), "ended_at": iso(ago(1)), "client_entry_id": " "},
         "client_entry_id"),
        ({"started_at": iso(ago(10)), "ended_at": iso(ago(1)), "minutes": 9}, "minutes"),
    ]
    for body, field in cases:
        refused = ann.post(path, body)
        assert refused.status_code == 400, (body, refused.text)
        assert refused.json()["error"]["field"] == field
    assert ann.post("/api/timer/stop/", {"ended_at": "noon"}).json()["error"]["field"] == "ended_at"
    assert bob.post("/api/task/%d/timer/start/" % task["id"]).status_code == 403
    assert bob.post(path, {"started_at": iso(ago(10)), "ended_at": iso(ago(1))}).status_code == 403
    assert bob.get(path).status_code == 403
    assert ann.get("/api/me/time-entries/?since=never").status_code == 400
    assert ann.get(path).json()["entries"] == []


def test_cancelled_task_overlap_and_idempotency(company):
    ann = company.user()
    task, done = company.old_task(ann), company.old_task(ann)
    company.owner.patch("/api/admin/tasks/%d/" % done["id"], {"status": "CANCELLED"})
    refused = ann.post("/api/task/%d/timer/start/" % done["id"])
    assert refused.status_code == 409
    path, key = "/api/task/%d/time-entries/" % task["id"], str(uuid.uuid4())
    body = {"started_at": iso(ago(60)), "ended_at": iso(ago(30)), "client_entry_id": key}
    first = ann.post(path, body)
    replay = ann.post(path, body)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json() and replay.headers["Idempotent-Replayed"] == "true"
    other = ann.post(path, dict(body, note="something else"))
    assert other.status_code == 422
    overlap = ann.post(path, {"started_at": iso(ago(45)), "ended_at": iso(ago(20))})
    assert overlap.status_code == 409 and overlap.json()["error"]["code"] == "overlap"
    assert len(ann.get(path).json()["entries"]) == 1


def test_an_entry_sent_with_an_idempotency_key_header_is_made_once(company):
    """The header stands for client_entry_id, as it does for progress and comments."""
    ann = company.user()
    task = company.old_task(ann)
    path, key = "/api/task/%d/time-entries/" % task["id"], str(uuid.uuid4())
    body, header = {"started_at": iso(ago(60)), "ended_at": iso(ago(30))}, {"Idempotency-Key": key}
    first = ann.post(path, body, headers=header)
    replay = ann.post(path, body, headers=header)
    assert first.status_code == replay.status_code == 201, first.text
    assert first.json()["client_entry_id"] == key and "Idempotent-Replayed" not in first.headers
    assert replay.json() == first.json() and replay.headers["Idempotent-Replayed"] == "true"
    assert ann.post(path, dict(body, note="else"), headers=header).status_code == 422
    differ = ann.post(path, dict(body, client_entry_id="other"), headers=header)
    assert differ.status_code == 400 and differ.json()["error"]["field"] == "client_entry_id"
    long = ann.post(path, body, headers={"Idempotency-Key": "k" * 65})
    assert long.status_code == 400 and long.json()["error"]["field"] == "Idempotency-Key"
    assert len(ann.get(path).json()["entries"]) == 1


def test_corrections_by_author_and_admin_are_audited(company):
    ann, bob = company.user(), company.user()
    task = company.old_task(ann)
    made = ann.post("/api/task/%d/time-entries/" % task["id"],
                    {"started_at": iso(ago(60)), "ended_at": iso(ago(30))}).json()
    entry = "/api/time-entries/%d/" % made["id"]
    assert ann.patch(entry, {"ended_at": iso(ago(40))}).json()["minutes"] == 20
    assert ann.patch(entry, {"ended_at": iso(ago(70))}).status_code == 400
    assert ann.patch(entry, {}).status_code == 400
    assert bob.patch(entry, {"note": "mine now"}).status_code == 404
    assert bob.request("DELETE", entry).status_code == 404
    assert company.owner.patch(entry, {"note": "checked"}).json()["note"] == "checked"
    assert ann.request("DELETE", entry).status_code == 204
    assert ann.request("DELETE", entry).status_code == 404
    actions = [u["action"] for u in ann.get("/api/task/%d/history/" % task["id"]).json()["updates"]]
    assert actions[:4] == ["time_entry_delete", "time_entry_edit", "time_entry_edit", "time_entry"]


def test_a_real_idle_heartbeat_stops_the_timer_at_the_idle_start(company):
    ann = company.user()
    task = company.old_task(ann)
    assert ann.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"}).status_code == 200
    ann.post("/api/task/%d/timer/start/" % task["id"])
    assert ann.post("/api/heartbeat/", {"occupancy_status": "IDLE", "idle_seconds": 3600}).status_code == 200
    entries = ann.get("/api/me/time-entries/").json()
    assert entries["running"] is None
    stopped = entries["entries"][-1]
    assert stopped["stop_reason"] == "idle" and stopped["minutes"] == 0  # idle before it began


def test_time_csv_is_for_admins_and_carries_the_entries(company):
    ann = company.user()
    task = company.old_task(ann, estimate_minutes=30)
    ann.post("/api/task/%d/time-entries/" % task["id"],
             {"started_at": iso(ago(100)), "ended_at": iso(ago(55)), "note": "=1+1"})
    assert ann.get("/api/admin/export/time.csv").status_code == 403
    answer = company.owner.get("/api/admin/export/time.csv")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")
    rows = [r for r in csv.DictReader(io.StringIO(answer.text)) if r["task_id"] == str(task["id"])]
    assert rows[0]["minutes"] == "45" and rows[0]["username"] == ann.user["username"]
    assert rows[0]["note"] == "'=1+1" and rows[0]["estimate_minutes"] == "30"
    assert company.owner.get("/api/admin/export/time.csv?since=x").status_code == 400


def test_without_a_token_every_time_endpoint_is_401(server):
    anonymous = Api(server.url)
    for method, path in (("POST", "/api/task/1/timer/start/"), ("POST", "/api/timer/stop/"),
                         ("GET", "/api/task/1/time-entries/"), ("GET", "/api/me/time-entries/"),
                         ("PATCH", "/api/time-entries/1/"), ("GET", "/api/admin/export/time.csv")):
        assert requests.request(method, server.url + path, timeout=30).status_code == 401
    assert anonymous.token is None
