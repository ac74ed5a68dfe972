"""The desktop timer against a real server: the journal sent in order and exactly once, offline
runs as finished entries, the idle stop and its question, refusals kept, a second device following."""
import collections
from datetime import timedelta

from desktop_client.api import Client
from desktop_client.sync import LIVE
from desktop_client.timejournal import IDLE_NOTE, TimerJournal, back, moment
from desktop_client.timer import TimeTracker
from support.desktop import WAIT
from support.timer import Clock, entries


def tracker_for(api, folder, clock, url=None):
    return TimeTracker(Client(url or api.base_url, api.token), folder, api.user["id"], clock=clock)


def test_online_start_and_stop_make_one_entry_with_the_client_times(company, app_dir):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock()
    tracker = tracker_for(ann, app_dir, clock)
    run = tracker.start_timer(task["id"])
    assert tracker.flush() and tracker.unsent() == 0
    running = ann.get("/api/me/time-entries/").json()["running"]
    assert running["client_entry_id"] == run["client_entry_id"]
    assert moment(running["started_at"]) == clock.now
    clock.advance(minutes=25)
    tracker.stop_timer()
    assert tracker.flush()
    [entry] = entries(ann, task["id"])
    assert entry["minutes"] == 25 and entry["stop_reason"] == "user" and not entry["running"]
    assert tracker.running() is None


def test_offline_runs_are_sent_once_in_order_when_the_server_returns(own_company, own_server, app_dir):
    ann = own_company.user()
    first, second = own_company.old_task(ann), own_company.old_task(ann)
    clock = Clock()
    own_server.stop()
    tracker = tracker_for(ann, app_dir, clock)
    keys = [tracker.start_timer(first["id"])["client_entry_id"]]
    clock.advance(minutes=10)
    keys.append(tracker.start_timer(second["id"])["client_entry_id"])  # the first stops here
    clock.advance(minutes=5)
    tracker.stop_timer()
    clock.advance(minutes=1)
    keys.append(tracker.start_timer(first["id"])["client_entry_id"])   # still running at return
    clock.advance(minutes=2)
    assert not tracker.flush()
    assert [op["op"] for op in TimerJournal(app_dir, ann.user["id"]).pending()] == ["entry", "entry", "start"]
    assert tracker.today_seconds() == 17 * 60 or clock.now.astimezone().hour < 1
    own_server.start()
    assert tracker.flush()
    assert tracker.flush()  # a second pass sends nothing again
    by_key = collections.Counter(e["client_entry_id"] for task in (first, second)
                                 for e in entries(ann, task["id"]))
    assert by_key == collections.Counter(keys)
    running = ann.get("/api/me/time-entries/").json()["running"]
    assert running["client_entry_id"] == keys[2]
    assert moment(running["started_at"]) == clock.now - timedelta(minutes=2)  # the client's start
    minutes = {e["client_entry_id"]: e["minutes"] for e in entries(ann, first["id"])}
    assert minutes[keys[0]] == 10


def test_a_resend_after_a_lost_answer_is_answered_not_doubled(company, app_dir):
    """The start went out but the app died before it heard back: the stop that follows is sent
    as a stop of that timer (never a second entry), and resending the start changes nothing."""
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock()
    tracker = tracker_for(ann, app_dir, clock)
    run = tracker.start_timer(task["id"])
    op = tracker.journal.first()
    tracker.journal.mark_sent(op)
    ann.post("/api/task/%d/timer/start/" % task["id"],
             {"client_entry_id": run["client_entry_id"], "started_at": run["started_at"]})
    clock.advance(minutes=3)
    again = tracker_for(ann, app_dir, clock)  # a new process reads the journal
    again.stop_timer()
    assert [o["op"] for o in again.journal.pending()] == ["start", "stop"]
    assert again.flush()
    [entry] = entries(ann, task["id"])
    assert entry["client_entry_id"] == run["client_entry_id"] and entry["minutes"] == 3


def test_idle_stops_the_timer_where_the_idle_period_began_and_keep_adds_that_span(company, app_dir,
                                                                                 qtbot):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock()
    tracker = tracker_for(ann, app_dir, clock)
    tracker.start_timer(task["id"])
    tracker.flush()
    clock.advance(minutes=40)
    tracker.on_presence("IDLE", 15 * 60.0)  # the last input was 15 minutes ago
    assert tracker.running() is None
    clock.advance(minutes=5)
    with qtbot.waitSignal(tracker.idle_question, timeout=WAIT) as asked:
        tracker.on_presence("ACTIVE", 0.0)
    span = asked.args[0]
    assert (moment(span["ended_at"]) - moment(span["started_at"])) == timedelta(minutes=20)
    tracker.keep_idle(span)
    assert tracker.flush()
    timer, kept = sorted(entries(ann, task["id"]), key=lambda e: e["started_at"])
    assert timer["minutes"] == 25 and kept["minutes"] == 20 and kept["note"] == IDLE_NOTE
    assert kept["started_at"] == timer["ended_at"]
    history = ann.get("/api/task/%d/history/" % task["id"]).json()
    assert any("Entry added" in (row.get("notes") or "") for row in history["updates"])  # audited


def test_idle_without_a_timer_asks_nothing(company, app_dir, qtbot):
    ann = company.user()
    tracker = tracker_for(ann, app_dir, Clock())
    asked = []
    tracker.idle_question.connect(asked.append)
    tracker.on_presence("IDLE", 300.0)
    tracker.on_presence("ACTIVE", 0.0)
    assert asked == [] and tracker.unsent() == 0


def test_refusals_are_kept_with_the_servers_reason_and_drop_their_timer(company, app_dir):
    ann, bob = company.user(), company.user()
    task, theirs = company.old_task(ann), company.old_task(bob)
    clock = Clock()
    company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"status": "CANCELLED"})
    tracker = tracker_for(ann, app_dir, clock)
    refused = []
    tracker.refused.connect(refused.append)
    tracker.start_timer(task["id"])
    assert tracker.flush()
    assert refused[0]["refused_status"] == 409 and "cancelled" in refused[0]["refused_reason"]
    assert tracker.running() is None and tracker.unsent() == 0
    tracker.start_timer(theirs["id"])
    clock.advance(minutes=1)
    tracker.stop_timer()  # never sent: one entry op, refused as a whole
    assert tracker.flush()
    assert refused[1]["refused_status"] in (403, 404) and refused[1]["op"] == "entry"
    kept = TimerJournal(app_dir, ann.user["id"]).refused()
    assert [op["refused_status"] for op in kept] == [409, refused[1]["refused_status"]]
    assert entries(company.owner, task["id"]) == [] and entries(company.owner, theirs["id"]) == []
    tracker.dismiss_refused(kept[0])
    assert len(TimerJournal(app_dir, ann.user["id"]).refused()) == 1
    # One not dismissed yet (the app died first) is shown again at the next start.
    again, shown = tracker_for(ann, app_dir, clock), []
    again.refused.connect(shown.append)
    again.start()
    again.quit()
    assert [op["client_entry_id"] for op in shown] == [kept[1]["client_entry_id"]]


def test_an_overlapping_run_is_refused_with_the_overlap_reason(company, app_dir):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock()
    tracker = tracker_for(ann, app_dir, clock)
    ann.post("/api/task/%d/time-entries/" % task["id"],
             {"started_at": (clock.now - timedelta(minutes=5)).isoformat(),
              "ended_at": (clock.now + timedelta(minutes=5)).isoformat()})
    refused = []
    tracker.refused.connect(refused.append)
    tracker.start_timer(task["id"])
    assert tracker.flush()
    assert refused[0]["refused_status"] == 409 and "overlap" in refused[0]["refused_reason"]


def test_a_second_device_follows_the_timer_over_push(company, make_manager, tmp_path, qtbot):
    ann = company.user()
    task = company.old_task(ann)
    devices = []
    for name in ("laptop", "desktop"):
        folder = tmp_path / name
        folder.mkdir()
        manager = make_manager(ann, folder=folder)
        tracker = TimeTracker(manager.client, folder, ann.user["id"])
        manager.time_event.connect(tracker.on_event)
        manager.start()
        devices.append((manager, tracker))
    for manager, _ in devices:
        qtbot.waitUntil(lambda m=manager: m.state == LIVE, timeout=WAIT)
    (_, laptop), (_, desktop) = devices
    run = laptop.start_timer(task["id"])
    laptop.flush()
    qtbot.waitUntil(lambda: (desktop.running() or {}).get("client_entry_id")
                    == run["client_entry_id"], timeout=WAIT)
    laptop.stop_timer()
    laptop.flush()
    qtbot.waitUntil(lambda: desktop.running() is None, timeout=WAIT)
    # The web app starts one: the desktop shows it and can stop it.
    started = ann.post("/api/task/%d/timer/start/" % task["id"]).json()
    qtbot.waitUntil(lambda: (desktop.running() or {}).get("entry_id") == started["id"], timeout=WAIT)
    desktop.stop_timer()
    assert desktop.flush()
    assert ann.get("/api/me/time-entries/").json()["running"] is None
    qtbot.waitUntil(lambda: laptop.running() is None, timeout=WAIT)


def test_kept_idle_time_starts_where_the_servers_idle_stop_ended_the_timer(company, app_dir, qtbot):
    """The server's IDLE heartbeat stopped the timer a little later than the app did: the kept
    span starts there, so it meets the timer's entry instead of overlapping it (409)."""
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock(behind=timedelta(minutes=50))
    tracker = tracker_for(ann, app_dir, clock)
    ann.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
    tracker.start_timer(task["id"])
    tracker.flush()
    clock.advance(minutes=40)
    ann.post("/api/heartbeat/", {"occupancy_status": "IDLE", "idle_seconds": 20 * 60})
    tracker.on_presence("IDLE", 15 * 60.0)  # the app's own reading: 5 minutes earlier
    tracker.flush()
    clock.advance(minutes=5)
    with qtbot.waitSignal(tracker.idle_question, timeout=WAIT) as asked:
        tracker.on_presence("ACTIVE", 0.0)
    refused = []
    tracker.refused.connect(refused.append)
    tracker.keep_idle(asked.args[0])
    assert tracker.flush() and refused == []
    timer, kept = sorted(entries(ann, task["id"]), key=lambda e: e["started_at"])
    assert timer["stop_reason"] == "idle" and kept["started_at"] == timer["ended_at"]
    assert kept["ended_at"] == asked.args[0]["ended_at"] and 14 <= kept["minutes"] <= 16


def test_a_stop_between_reading_a_start_and_sending_it_sends_the_finished_entry(company, app_dir):
    """The sender read the start; the user stopped before it went out: the start is not sent
    (it became a finished entry), so no timer is left running on the server."""
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock()
    tracker = tracker_for(ann, app_dir, clock)
    run = tracker.start_timer(task["id"])
    read = tracker.journal.first()
    clock.advance(minutes=2)
    tracker.stop_timer()
    assert not tracker.journal.mark_sent(read)
    assert tracker.flush()
    [entry] = entries(ann, task["id"])
    assert entry["client_entry_id"] == run["client_entry_id"] and entry["minutes"] == 2
    assert ann.get("/api/me/time-entries/").json()["running"] is None


def test_a_reused_client_entry_id_is_refused_422_with_the_reason(company, app_dir):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock()
    tracker = tracker_for(ann, app_dir, clock)
    now = tracker.now()
    op = tracker.journal.add_entry(task["id"], back(now, 30 * 60), now)
    ann.post("/api/task/%d/time-entries/" % task["id"], {
        "started_at": (clock.now - timedelta(hours=2)).isoformat(),
        "ended_at": (clock.now - timedelta(hours=1)).isoformat(),
        "client_entry_id": op["client_entry_id"]})
    refused = []
    tracker.refused.connect(refused.append)
    assert tracker.flush()
    assert refused[0]["refused_status"] == 422 and "client_entry_id" in refused[0]["refused_reason"]
    assert [e["minutes"] for e in entries(ann, task["id"])] == [60]
