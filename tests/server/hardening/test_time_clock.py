"""Time entries on the server's clock: the lock on new entries, elapsed seconds from clients, no
credit from a wrong wall clock (issue 24, items 1 and 14; SPEC 11.5)."""
import datetime
import uuid

import pytest


def iso(value):
    return value.replace(microsecond=0).isoformat() + "Z"


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def days_ago(days, minutes=0):
    return now() - datetime.timedelta(days=days, minutes=minutes)


def parse(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


@pytest.mark.parametrize("days", [8, 30, 400, 3650, 20000])
def test_a_back_dated_entry_is_locked_and_nothing_is_written(company, days):
    ann = company.user()
    task = company.task(ann)
    path = "/api/task/%d/time-entries/" % task["id"]
    answer = ann.post(path, {"started_at": iso(days_ago(days)),
                             "ended_at": iso(days_ago(days, -30))})
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "locked"
    assert ann.get(path).json()["entries"] == []
    assert [row for row in ann.history(task["id"]) if row["action"] == "time_entry"] == []


def test_an_entry_before_its_task_existed_is_locked_also_when_measured(company):
    ann = company.user()
    task = company.task(ann)
    path = "/api/task/%d/time-entries/" % task["id"]
    for body in ({"started_at": iso(days_ago(0, 90)), "ended_at": iso(days_ago(0, 60))},
                 {"started_ago_seconds": 5400, "ended_ago_seconds": 3600},
                 {"started_at": "1970-01-01T00:00:00Z", "ended_at": "1970-01-01T01:00:00Z"}):
        answer = ann.post(path, body)
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "locked", answer.text
    late = ann.post("/api/task/%d/timer/start/" % task["id"], {"started_ago_seconds": 3 * 3600})
    assert late.status_code == 403 and late.json()["error"]["code"] == "locked"
    assert ann.get(path).json()["entries"] == [] and ann.get("/api/me/time-entries/").json()["running"] is None


def test_admins_may_add_older_entries_and_corrections_say_locked(company):
    task = company.task(company.owner)
    path = "/api/task/%d/time-entries/" % task["id"]
    made = company.owner.post(path, {"started_at": iso(days_ago(9)), "ended_at": iso(days_ago(9, -20))})
    assert made.status_code == 201, made.text
    ann = company.user()
    mine = company.task(ann)
    started = ann.post("/api/task/%d/timer/start/" % mine["id"])
    assert started.status_code == 201
    moved = ann.patch("/api/time-entries/%d/" % started.json()["id"], {"started_at": iso(days_ago(8))})
    assert moved.status_code == 403 and moved.json()["error"]["code"] == "locked"


def test_elapsed_seconds_become_instants_on_the_servers_clock(company):
    task = company.task(company.owner)
    before = now()
    started = company.owner.post("/api/task/%d/timer/start/" % task["id"],
                                 {"started_ago_seconds": 1800})
    assert started.status_code == 201, started.text
    at = parse(started.json()["started_at"])
    assert before - datetime.timedelta(seconds=1802) <= at <= now() - datetime.timedelta(seconds=1799)
    stopped = company.owner.post("/api/timer/stop/", {"ended_ago_seconds": 600.4})
    assert stopped.status_code == 200 and stopped.json()["minutes"] == 20, stopped.text


def test_a_clock_hours_behind_credits_nothing(company):
    """A device 3 h behind sends its wall clock: refused, with the field to send instead."""
    task = company.task(company.owner)
    behind = iso(now() - datetime.timedelta(hours=3))
    answer = company.owner.post("/api/task/%d/timer/start/" % task["id"], {"started_at": behind})
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "started_at"
    assert "started_ago_seconds" in answer.json()["error"]["message"]
    ahead = iso(now() + datetime.timedelta(minutes=5))
    answer = company.owner.post("/api/task/%d/timer/start/" % task["id"], {"started_at": ahead})
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "started_at"
    started = company.owner.post("/api/task/%d/timer/start/" % task["id"],
                                 {"started_at": iso(now() - datetime.timedelta(seconds=20))})
    assert started.status_code == 201  # within the skew: the server stamps its own now
    assert abs(parse(started.json()["started_at"]) - now()) < datetime.timedelta(seconds=5)
    behind_stop = company.owner.post("/api/timer/stop/", {"ended_at": behind})
    assert behind_stop.status_code == 400 and behind_stop.json()["error"]["field"] == "ended_at"
    assert company.owner.post("/api/timer/stop/").json()["minutes"] == 0


def test_an_offline_timer_sent_as_elapsed_seconds_replays_when_resent_later(company):
    task = company.task(company.owner)
    path = "/api/task/%d/time-entries/" % task["id"]
    key = str(uuid.uuid4())
    first = company.owner.post(path, {"started_ago_seconds": 7200, "ended_ago_seconds": 5400,
                                      "client_entry_id": key, "note": "train"})
    assert first.status_code == 201, first.text
    assert first.json()["source"] == "timer" and first.json()["minutes"] == 30
    again = company.owner.post(path, {"started_ago_seconds": 7260, "ended_ago_seconds": 5460,
                                      "client_entry_id": key, "note": "train"})
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    other = company.owner.post(path, {"started_ago_seconds": 7260, "ended_ago_seconds": 6000,
                                      "client_entry_id": key, "note": "train"})
    assert other.status_code == 422
    header = str(uuid.uuid4())
    body = {"started_ago_seconds": 4000, "ended_ago_seconds": 3700}
    made = company.owner.post(path, body, headers={"Idempotency-Key": header})
    assert made.status_code == 201 and made.json()["client_entry_id"] == header
    replay = company.owner.post(path, body, headers={"Idempotency-Key": header})
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json()["id"] == made.json()["id"]
    assert len(company.owner.get(path).json()["entries"]) == 2


@pytest.mark.parametrize("body, field", [
    ({"started_ago_seconds": 600}, "ended_ago_seconds"),
    ({"started_ago_seconds": 600, "ended_ago_seconds": 700}, "ended_ago_seconds"),
    ({"started_ago_seconds": -1, "ended_ago_seconds": 0}, "started_ago_seconds"),
    ({"started_ago_seconds": "600", "ended_ago_seconds": 0}, "started_ago_seconds"),
    ({"started_ago_seconds": True, "ended_ago_seconds": 0}, "started_ago_seconds"),
    ({"started_ago_seconds": 10**30, "ended_ago_seconds": 0}, "started_ago_seconds"),
    ({"started_ago_seconds": 600, "ended_ago_seconds": 0, "ended_at": "2026-01-01"},
     "started_ago_seconds"),
])
def test_bad_elapsed_entries_name_their_field(company, body, field):
    task = company.task(company.owner)
    answer = company.owner.post("/api/task/%d/time-entries/" % task["id"], body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["field"] == field


@pytest.mark.parametrize("body, field", [
    ({"started_ago_seconds": 12 * 3600 + 1}, "started_ago_seconds"),
    ({"started_ago_seconds": -5}, "started_ago_seconds"),
    ({"started_ago_seconds": 5, "started_at": "2026-01-01T00:00:00Z"}, "started_ago_seconds"),
])
def test_bad_timer_starts_name_their_field(company, body, field):
    task = company.task(company.owner)
    answer = company.owner.post("/api/task/%d/timer/start/" % task["id"], body)
    assert answer.status_code == 400 and answer.json()["error"]["field"] == field, answer.text
