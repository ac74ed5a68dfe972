"""The contract the desktop's timer relies on (SPEC 10.3, issue 24 item 14): the server places a
timer on its own clock from the elapsed seconds a client measured, so a device's wrong wall clock
moves nothing; a resend with newer elapsed times is the same entry; bad values are 400."""
import datetime
import uuid

from support.timer import entries


def server_now():
    return datetime.datetime.now(datetime.timezone.utc)


def moment(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def near(text, expected, seconds=5):
    return abs((moment(text) - expected).total_seconds()) <= seconds


def test_start_and_stop_from_elapsed_seconds_land_on_the_servers_clock(company):
    ann = company.user()
    task = company.old_task(ann)
    started = ann.post("/api/task/%d/timer/start/" % task["id"], {"started_ago_seconds": 1800})
    assert started.status_code == 201, started.text
    assert near(started.json()["started_at"], server_now() - datetime.timedelta(minutes=30))
    stopped = ann.post("/api/timer/stop/", {"ended_ago_seconds": 600.5})
    assert stopped.status_code == 200, stopped.text
    assert near(stopped.json()["ended_at"], server_now() - datetime.timedelta(minutes=10))
    assert stopped.json()["minutes"] == 20


def test_an_offline_entry_from_elapsed_seconds_is_idempotent_across_resends(company):
    ann = company.user()
    task = company.old_task(ann)
    key = uuid.uuid4().hex
    first = ann.post("/api/task/%d/time-entries/" % task["id"], {
        "started_ago_seconds": 3600, "ended_ago_seconds": 900, "client_entry_id": key,
        "source": "timer"})
    assert first.status_code == 201, first.text
    assert near(first.json()["ended_at"], server_now() - datetime.timedelta(minutes=15))
    # Sent again a minute later (the answer was lost): both readings grew, the run did not.
    again = ann.post("/api/task/%d/time-entries/" % task["id"], {
        "started_ago_seconds": 3660, "ended_ago_seconds": 960, "client_entry_id": key,
        "source": "timer"})
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    assert [e["minutes"] for e in entries(ann, task["id"])] == [45]


def test_bad_elapsed_seconds_are_refused_and_nothing_is_written(company):
    ann = company.user()
    task = company.old_task(ann)
    path = "/api/task/%d/time-entries/" % task["id"]
    for body, field in (({"started_ago_seconds": -1, "ended_ago_seconds": 0}, "started_ago_seconds"),
                        ({"started_ago_seconds": "60", "ended_ago_seconds": 0}, "started_ago_seconds"),
                        ({"started_ago_seconds": True, "ended_ago_seconds": 0}, "started_ago_seconds"),
                        ({"started_ago_seconds": 60}, "ended_ago_seconds"),
                        ({"started_ago_seconds": 60, "ended_ago_seconds": 120}, "ended_ago_seconds"),
                        ({"started_ago_seconds": 1e30, "ended_ago_seconds": 0}, "started_ago_seconds"),
                        ({"started_ago_seconds": 60, "ended_ago_seconds": 0,
                          "started_at": "2026-01-01T00:00:00Z"}, "started_ago_seconds")):
        answer = ann.post(path, body)
        assert answer.status_code == 400, (body, answer.text)
        assert answer.json()["error"]["field"] == field, (body, answer.text)
    start = ann.post("/api/task/%d/timer/start/" % task["id"], {"started_ago_seconds": -5})
    assert start.status_code == 400 and start.json()["error"]["field"] == "started_ago_seconds"
    assert entries(ann, task["id"]) == []
