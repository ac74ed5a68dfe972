"""Run by test_crash.py until it is killed: save an update to the outbox, tell the test it is saved
(one line on stdout, as the app tells the user), deliver the outbox, save the cache; repeat.
Kinds `timer` (timer runs through the journal) and `orphan` (one timer, kept ACTIVE) likewise."""
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

from desktop_client.api import Client
from desktop_client.sync import TaskManager
from desktop_client.timejournal import utc_now
from desktop_client.timer import TimeTracker


class StepClock:
    """A wall clock one second further at each reading, from `start` (in the past), and the
    monotonic reading of that same moment: every run lasts, and lands where its wall time says."""

    def __init__(self, start):
        self.now = start
        self.mono = time.monotonic() - (datetime.now(timezone.utc) - start).total_seconds()

    def __call__(self):
        self.now += timedelta(seconds=1)
        self.mono += 1.0
        return self.now

    def monotonic(self):
        return self.mono


def timers(folder, server, token, user_id, task_ids, round_no):
    """Start timers on the tasks in turn (each start stops the one before), sometimes stopping
    and sending, sometimes not: runs that never left the journal go as finished entries."""
    start = utc_now() - timedelta(hours=10, minutes=-20 * int(round_no))
    clock, window_end = StepClock(start), start + timedelta(minutes=19)
    tracker = TimeTracker(Client(server, token), folder, int(user_id), clock=clock)
    tracker.journal.close_orphan()  # what start() does first, without its sending thread
    n = 0
    while clock.now < window_end:  # each round its own 20 minutes: no run meets the next round's
        run = tracker.start_timer(task_ids[n % len(task_ids)])
        tracker.on_presence("ACTIVE", 0.0)  # a crash now closes it a second after its start
        print(run["client_entry_id"], flush=True)
        if n % 3 == 0:
            tracker.flush()
        if n % 4 == 1:
            tracker.stop_timer()
        if n % 2:
            tracker.flush()
        n += 1
    threading.Event().wait()  # until killed


def orphan(folder, server, token, user_id, task_id):
    """One timer, sent; then the user stays ACTIVE: print each moment saved as the last."""
    clock = StepClock(utc_now() - timedelta(hours=2))
    tracker = TimeTracker(Client(server, token), folder, int(user_id), clock=clock)
    tracker.start_timer(int(task_id))
    tracker.flush()
    while True:
        tracker.on_presence("ACTIVE", 0.0)
        print(tracker.running()["last_active_at"], flush=True)


def main(folder, server, token, user_id, task_id, tag, kind="progress"):
    if kind == "timer":
        return timers(folder, server, token, user_id, [int(t) for t in task_id.split(",")], tag)
    if kind == "orphan":
        return orphan(folder, server, token, user_id, task_id)
    manager = TaskManager(Client(server, token), folder, int(user_id))
    manager._refresh(force=True)
    n = 0
    while True:
        if kind == "comment":
            entry = manager.add_comment(int(task_id), "%s-%d" % (tag, n))
        else:
            entry = manager.submit_progress(int(task_id), n % 101, "%s-%d" % (tag, n))
        # a comment's client id is not in the comment object: the test matches its text
        print(entry["notes"] if kind == "comment" else entry["client_update_id"], flush=True)
        manager.sender.flush()
        manager._save_cache()
        n += 1


if __name__ == "__main__":
    main(*sys.argv[1:])
