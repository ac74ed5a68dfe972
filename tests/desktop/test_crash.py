"""kill -9 at random moments while the app writes its outbox and cache: every file left behind
parses, and every update or comment acknowledged as saved is delivered exactly once afterwards."""
import collections
import json
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from support.server import ROOT
from support.desktop import WAIT
from desktop_client.api import Client
from desktop_client.outbox import OUTBOX_FILE, Outbox
from desktop_client.storage import CACHE_FILE
from desktop_client.sync import LIVE
from desktop_client.timejournal import TimerJournal, moment
from desktop_client.timer import TimeTracker

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 25


def run_and_kill(args, delay):
    """Start the writer, let it save at least one update, kill -9 it after `delay` more seconds;
    returns the ids it acknowledged (complete lines only)."""
    proc = subprocess.Popen([sys.executable, str(WRITER), *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env={"PYTHONPATH": str(ROOT)})
    first = proc.stdout.readline()
    time.sleep(delay)  # the random moment of the crash: deliberately not a condition
    proc.kill()
    proc.wait()
    rest = proc.stdout.read().decode()
    proc.stdout.close()
    lines = (first.decode() + rest).split("\n")
    return [line for line in lines[:-1] if line]  # the last piece has no newline: not acknowledged


def test_kill_9_loses_no_saved_update_and_sends_none_twice(qtbot, company, make_manager, app_dir):
    employee = company.user()
    task = company.old_task(employee)
    rng = random.Random(20261129)
    acknowledged = []
    for round_no in range(ROUNDS):
        args = [str(app_dir), employee.base_url, employee.token, str(employee.user["id"]),
                str(task["id"]), "r%d" % round_no]
        acknowledged += run_and_kill(args, rng.uniform(0.0, 0.25))
        for name in (CACHE_FILE, OUTBOX_FILE % employee.user["id"]):
            json.loads((app_dir / name).read_text())  # never torn, never empty
        leftovers = [p.name for p in app_dir.iterdir()
                     if p.name not in (CACHE_FILE, OUTBOX_FILE % employee.user["id"])]
        assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers), leftovers
    assert len(acknowledged) > ROUNDS

    unsent = len(Outbox(app_dir, employee.user["id"]))
    manager = make_manager(employee)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE and manager.unsent() == 0, timeout=2 * WAIT)

    rows = [r for r in employee.history(task["id"])
            if r["client_update_id"]]
    ids = collections.Counter(r["client_update_id"] for r in rows)
    notes = collections.Counter(r["notes"] for r in rows)
    assert set(acknowledged) <= set(ids), "an update acknowledged as saved was lost"
    assert max(ids.values()) == 1 and max(notes.values()) == 1, "an update was written twice"
    # At most one update per round can be saved yet unacknowledged (killed before it said so).
    assert len(acknowledged) <= len(rows) <= len(acknowledged) + ROUNDS
    print("crash rounds %d, acknowledged %d, left in the outbox %d, delivered %d"
          % (ROUNDS, len(acknowledged), unsent, len(rows)))


def test_kill_9_loses_no_saved_comment_and_posts_none_twice(qtbot, company, make_manager, app_dir):
    """The same for comments written offline: each saved one arrives once, under its client id."""
    employee = company.user()
    task = company.old_task(employee)
    rng = random.Random(20261130)
    acknowledged = []
    for round_no in range(ROUNDS):
        args = [str(app_dir), employee.base_url, employee.token, str(employee.user["id"]),
                str(task["id"]), "c%d" % round_no, "comment"]
        acknowledged += run_and_kill(args, rng.uniform(0.0, 0.25))
        json.loads((app_dir / (OUTBOX_FILE % employee.user["id"])).read_text())  # never torn, never empty
    assert len(acknowledged) > ROUNDS

    manager = make_manager(employee)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE and manager.unsent() == 0, timeout=2 * WAIT)
    comments = employee.get("/api/task/%d/comments/" % task["id"]).json()["comments"]
    bodies = collections.Counter(c["body"] for c in comments)
    assert set(acknowledged) <= set(bodies), "a comment acknowledged as saved was lost"
    assert max(bodies.values()) == 1, "a comment was posted twice"
    assert len(acknowledged) <= len(comments) <= len(acknowledged) + ROUNDS
    qtbot.waitUntil(lambda: manager.tasks()[0]["comment_count"] == len(comments), timeout=WAIT)


def time_entries(api, task_ids):
    return [e for task_id in task_ids
            for e in api.get("/api/task/%d/time-entries/" % task_id).json()["entries"]]


def test_kill_9_loses_no_timer_run_and_sends_none_twice(qtbot, company, app_dir):
    """Timer runs through the journal, killed at random: afterwards the server holds each saved
    run exactly once (by client_entry_id), finished, and nothing was refused."""
    employee = company.user()
    tasks = [company.old_task(employee)["id"] for _ in range(2)]
    rng = random.Random(20261201)
    acknowledged = []
    for round_no in range(ROUNDS):
        args = [str(app_dir), employee.base_url, employee.token, str(employee.user["id"]),
                ",".join(map(str, tasks)), str(round_no), "timer"]
        acknowledged += run_and_kill(args, rng.uniform(0.0, 0.25))
        json.loads((app_dir / (OUTBOX_FILE % employee.user["id"])).read_text())  # never torn or empty
    assert len(acknowledged) > ROUNDS
    unsent = len(TimerJournal(app_dir, employee.user["id"]))

    tracker = TimeTracker(Client(employee.base_url, employee.token), app_dir, employee.user["id"])
    tracker.start()  # closes the last round's timer, then sends everything
    qtbot.waitUntil(lambda: tracker.unsent() == 0, timeout=2 * WAIT)
    tracker.quit()
    entries = time_entries(employee, tasks)
    keys = collections.Counter(e["client_entry_id"] for e in entries)
    assert set(acknowledged) <= set(keys), "a timer run saved in the journal was lost"
    assert max(keys.values()) == 1 and None not in keys, "a timer run was sent twice"
    assert len(acknowledged) <= len(entries) <= len(acknowledged) + ROUNDS
    assert not any(e["running"] for e in entries)
    assert TimerJournal(app_dir, employee.user["id"]).refused() == []
    print("timer crash rounds %d, runs saved %d, left in the journal %d, entries %d"
          % (ROUNDS, len(acknowledged), unsent, len(entries)))


def test_a_timer_left_running_by_kill_9_closes_where_the_user_was_last_active(qtbot, company,
                                                                             app_dir):
    employee = company.user()
    task = company.old_task(employee)
    args = [str(app_dir), employee.base_url, employee.token, str(employee.user["id"]),
            str(task["id"]), "o", "orphan"]
    moments = run_and_kill(args, random.Random(7).uniform(0.2, 0.5))
    running = employee.get("/api/me/time-entries/").json()["running"]
    assert running is not None  # the server still counts it: the app died without a word

    tracker = TimeTracker(Client(employee.base_url, employee.token), app_dir, employee.user["id"])
    tracker.start()
    qtbot.waitUntil(lambda: employee.get("/api/me/time-entries/").json()["running"] is None,
                    timeout=WAIT)
    tracker.quit()
    [entry] = time_entries(employee, [task["id"]])
    last = moment(moments[-1])
    # Killed after saving a moment and before printing it: that moment, one second later.
    assert moment(entry["ended_at"]) - last in (timedelta(0), timedelta(seconds=1))
    assert entry["stop_reason"] == "user" and entry["client_entry_id"] == running["client_entry_id"]
