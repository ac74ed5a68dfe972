"""One outbox, one sender (issue 23 item 5): progress, comments and timer changes share one file
and go out in the order they were made on one thread; the two files of earlier versions are
folded in once — nothing lost, each change on the server exactly once."""
import threading
from datetime import timedelta

from desktop_client.api import Client
from desktop_client.outbox import OUTBOX_FILE, Journal, Outbox
from desktop_client.sender import Sender
from desktop_client.storage import write_json
from desktop_client.timer import TimeTracker
from support.desktop import WAIT
from desktop_client.timejournal import stamp as iso
from support.timer import Clock, entries


def test_the_outbox_keeps_order_across_reopen_and_removes_only_acknowledged(tmp_path):
    outbox = Outbox(tmp_path, 5)
    first = outbox.add("progress", 7, 10, "started", "ACTIVE")
    second = outbox.add("progress", 7, 20)
    third = outbox.add("complete", 8, notes="done")
    assert [e["client_update_id"] for e in Journal(tmp_path, 5).pending] == [
        first["client_update_id"], second["client_update_id"], third["client_update_id"]]
    assert third["progress_percentage"] == 100 and first["occupancy_status"] == "ACTIVE"
    outbox.acknowledge(second["client_update_id"])
    outbox.refuse(third["client_update_id"], 409, "task 8 is cancelled")
    again = Journal(tmp_path, 5)  # what a new process reads
    assert [e["client_update_id"] for e in again.pending] == [first["client_update_id"]]
    assert again.refused[0]["refused_reason"] == "task 8 is cancelled"
    outbox.dismiss(third["client_update_id"])
    assert Journal(tmp_path, 5).refused == []


def legacy_files(folder, user_id, task_id, clock):
    """What an earlier version left: an update and a comment in outbox.json (one under the old
    key `progress`), a finished run and a start in timer-<id>.json, and a refusal in each."""
    old_update = {"client_update_id": "u1", "kind": "progress", "task_id": task_id,
                  "progress": 60, "notes": "from the old outbox", "occupancy_status": None,
                  "client_timestamp": clock.now.isoformat()}
    comment = dict(old_update, client_update_id="c1", kind="comment", progress=None,
                   notes="an old comment")
    write_json(folder / "outbox.json", {"pending": [old_update, comment],
                                        "refused": [dict(old_update, client_update_id="r1",
                                                         refused_status=409,
                                                         refused_reason="task cancelled")]})
    run_start, run_end = clock.now, clock.advance(minutes=20)
    clock.advance(minutes=5)
    write_json(folder / ("timer-%d.json" % user_id), {
        "running": {"client_entry_id": "t2", "task_id": task_id, "started_at": iso(clock.now),
                    "last_active_at": iso(clock.now)},
        "pending": [{"op": "entry", "client_entry_id": "t1", "task_id": task_id,
                     "started_at": iso(run_start), "ended_at": iso(run_end), "note": ""},
                    {"op": "start", "client_entry_id": "t2", "task_id": task_id,
                     "started_at": iso(clock.now), "sent": False}],
        "refused": []})


def test_the_files_of_an_earlier_version_are_folded_in_and_sent_exactly_once(company, app_dir,
                                                                           make_manager, qtbot):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock(behind=timedelta(hours=2))
    legacy_files(app_dir, ann.user["id"], task["id"], clock)
    manager = make_manager(ann, folder=app_dir)
    tracker = TimeTracker(manager.client, app_dir, ann.user["id"], clock=clock)
    assert sorted(p.name for p in app_dir.iterdir()) == [OUTBOX_FILE % ann.user["id"]]
    assert manager.unsent() == 4 and [op["kind"] for op in manager.outbox.journal.pending] == [
        "progress", "comment", "timer", "timer"]
    assert [e["client_update_id"] for e in manager.outbox.refused()] == ["r1"]
    assert tracker.running()["client_entry_id"] == "t2"
    assert manager.sender is tracker.sender  # one sender for every kind
    clock.advance(minutes=3)
    tracker.stop_timer()  # the old start, never sent: now one finished run
    manager.start()
    qtbot.waitUntil(lambda: manager.unsent() == 0, timeout=WAIT)
    history = ann.get("/api/task/%d/history/" % task["id"]).json()["updates"]
    assert [r["client_update_id"] for r in history if r["client_update_id"]] == ["u1"]
    comments = ann.get("/api/task/%d/comments/" % task["id"]).json()["comments"]
    assert [c["body"] for c in comments] == ["an old comment"]
    assert sorted((e["client_entry_id"], e["minutes"]) for e in entries(ann, task["id"])) == [
        ("t1", 20), ("t2", 3)]
    # A second start reads the one file: the old ones are gone, nothing goes out again.
    manager.stop()
    again = Journal(app_dir, ann.user["id"])
    assert again.pending == [] and again.migrated == ["outbox.json", "timer-%d.json" % ann.user["id"]]


def test_a_crash_between_folding_and_removing_the_old_files_folds_nothing_twice(tmp_path):
    write_json(tmp_path / "outbox.json", {"pending": [{"client_update_id": "u1", "kind": "progress",
                                                       "task_id": 1, "progress_percentage": 5}]})
    folded = Journal(tmp_path, 3)
    assert [op["client_update_id"] for op in folded.pending] == ["u1"]
    folded.pending = []  # sent and acknowledged ...
    folded.save()
    write_json(tmp_path / "outbox.json", {"pending": [{"client_update_id": "u1", "kind": "progress",
                                                       "task_id": 1, "progress_percentage": 5}]})
    # ... and the old file is back, as if the app died before it could remove it.
    assert Journal(tmp_path, 3).pending == []
    assert not (tmp_path / "outbox.json").exists()


def test_an_entry_saved_under_the_old_key_is_read_as_progress_percentage(tmp_path):
    """Entries may wait in the file across an upgrade: they keep their value under the new name."""
    old = {"client_update_id": "k1", "kind": "progress", "task_id": 7, "progress": 60,
           "notes": "", "occupancy_status": None, "client_timestamp": "2030-01-01T10:00:00+00:00"}
    write_json(tmp_path / "outbox.json", {"pending": [old],
                                          "refused": [dict(old, client_update_id="k2")]})
    outbox = Outbox(tmp_path, 9)
    pending, refused = outbox.pending()[0], outbox.refused()[0]
    assert pending == dict({k: v for k, v in old.items() if k != "progress"}, progress_percentage=60)
    assert refused["progress_percentage"] == 60 and "progress" not in refused


class HeldClient(Client):
    """The desktop's client, noting which thread sends each change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.threads = set()

    def request(self, method, path, *args, **kwargs):
        if method == "POST":
            self.threads.add(threading.current_thread().name)
        return super().request(method, path, *args, **kwargs)


def test_updates_comments_and_timer_changes_leave_in_order_on_one_thread(company, make_manager,
                                                                         qtbot):
    ann = company.user()
    task = company.old_task(ann)
    manager = make_manager(ann)
    client = manager.client = HeldClient(ann.base_url, ann.token)
    tracker = TimeTracker(client, manager.cache.path.parent, ann.user["id"], clock=Clock())
    tracker.start()  # before the timer runs: a timer running at start() was left by a crash
    manager.submit_progress(task["id"], 30, "first")
    tracker.start_timer(task["id"])
    manager.add_comment(task["id"], "second")
    assert isinstance(manager.sender, Sender) and tracker.sender is manager.sender
    manager.start()
    qtbot.waitUntil(lambda: manager.unsent() == 0, timeout=WAIT)
    assert client.threads == {"tracker-send"}
    history = ann.get("/api/task/%d/history/" % task["id"]).json()["updates"][::-1]
    assert [r["action"] for r in history if r["action"] != "create"] == [
        "progress", "time_entry", "comment"]
    tracker.quit()
