"""Timers and entries given as elapsed seconds (what the web app measures): the server computes
the instants from its own clock, a resend measured later replays, a bad value is refused."""
import datetime


def server_time(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def test_a_start_and_a_stop_given_as_seconds_ago_are_placed_by_the_servers_clock(company):
    ann = company.user()
    task = company.task(ann)
    started = ann.post("/api/task/%d/timer/start/" % task["id"], {"started_ago_seconds": 600})
    assert started.status_code == 201, started.text
    assert abs((now() - server_time(started.json()["started_at"])).total_seconds() - 600) < 5
    stopped = ann.post("/api/timer/stop/", {"ended_ago_seconds": 300})
    assert stopped.status_code == 200, stopped.text
    assert abs(stopped.json()["seconds"] - 300) <= 2


def test_an_offline_run_given_as_seconds_ago_is_one_entry_and_a_later_resend_replays(company):
    ann = company.user()
    task = company.task(ann)
    body = {"started_ago_seconds": 900, "ended_ago_seconds": 840, "client_entry_id": "web-elapsed-1",
            "source": "timer"}
    first = ann.post("/api/task/%d/time-entries/" % task["id"], body)
    assert first.status_code == 201, first.text
    assert first.json()["seconds"] == 60
    # The answer was lost; the resend measures again, a little later: the same entry.
    again = ann.post("/api/task/%d/time-entries/" % task["id"],
                     dict(body, started_ago_seconds=905, ended_ago_seconds=845))
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true", again.text
    assert again.json() == first.json()
    assert len(ann.get("/api/me/time-entries/").json()["entries"]) == 1


def test_elapsed_seconds_that_are_not_a_number_of_seconds_are_refused(company):
    ann = company.user()
    task = company.task(ann)
    for bad in (-1, "60", True, None):
        answer = ann.post("/api/task/%d/timer/start/" % task["id"], {"started_ago_seconds": bad})
        if bad is None:
            assert answer.status_code == 201  # absent: now
            ann.post("/api/timer/stop/")
            continue
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["field"] == "started_ago_seconds"
    assert ann.get("/api/me/time-entries/").json()["running"] is None


def test_measured_moments_a_second_on_the_wrong_side_of_a_neighbour_meet_it(company):
    ann = company.user()
    task = company.task(ann)
    ran = ann.post("/api/task/%d/time-entries/" % task["id"],
                   {"started_ago_seconds": 100, "ended_ago_seconds": 50, "source": "timer"}).json()
    # A switch measured a second apart: the start lands before the end; it continues from it.
    started = ann.post("/api/task/%d/timer/start/" % task["id"], {"started_ago_seconds": 51})
    assert started.status_code == 201, started.text
    assert started.json()["started_at"] == ran["ended_at"]
    # A stop measured a second before its start is a run of no time, not a refusal ...
    stopped = ann.post("/api/timer/stop/", {"ended_ago_seconds": 52})
    assert stopped.status_code == 200 and stopped.json()["seconds"] == 0, stopped.text
    # ... but a stop far before its start still is.
    ann.post("/api/task/%d/timer/start/" % task["id"], {"started_ago_seconds": 20})
    early = ann.post("/api/timer/stop/", {"ended_ago_seconds": 40})
    assert early.status_code == 400 and early.json()["error"]["field"] == "ended_at"


def test_a_measured_entry_a_second_early_follows_the_last_one_keeping_its_length(company):
    ann = company.user()
    task = company.task(ann)
    first = ann.post("/api/task/%d/time-entries/" % task["id"],
                     {"started_ago_seconds": 100, "ended_ago_seconds": 50, "source": "timer"}).json()
    second = ann.post("/api/task/%d/time-entries/" % task["id"],
                      {"started_ago_seconds": 51, "ended_ago_seconds": 40, "source": "timer"})
    assert second.status_code == 201, second.text
    assert second.json()["started_at"] == first["ended_at"] and second.json()["seconds"] == 11


def test_a_measured_entry_over_the_same_minutes_as_another_is_still_refused(company):
    ann = company.user()
    task = company.task(ann)
    ann.post("/api/task/%d/time-entries/" % task["id"], {"started_ago_seconds": 60, "ended_ago_seconds": 58})
    same = ann.post("/api/task/%d/time-entries/" % task["id"], {"started_ago_seconds": 61, "ended_ago_seconds": 59})
    assert same.status_code == 409 and same.json()["error"]["code"] == "overlap", same.text
