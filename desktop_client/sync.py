"""TaskManager: keeps the task list current (push, else polling) and the cache on disk, and says
how progress, completions and comments go out through the one outbox and its sender (outbox.py,
sender.py). Signals only, no widgets; the network work runs on background threads."""
import logging
import threading
import time

from PyQt5.QtCore import QObject, pyqtSignal

from .api import AuthRequired, Refused, Unavailable
from .outbox import Outbox
from .sender import Sender
from .storage import TaskCache
from .tasklist import sort_key, with_update

log = logging.getLogger("tracker.desktop")

LIVE, POLLING, OFFLINE = "live", "polling", "offline"


class _Reset(Exception):
    """The server no longer has the events after our cursor: read the whole task list again."""


class TaskManager(QObject):
    tasks_changed = pyqtSignal(list)            # tasks to show, sorted, unsent updates applied
    connection_changed = pyqtSignal(str, int)   # LIVE / POLLING / OFFLINE, unsent updates
    update_refused = pyqtSignal(dict)           # outbox entry with refused_status, refused_reason
    update_delivered = pyqtSignal(dict, dict)   # outbox entry, the server's answer
    comment_event = pyqtSignal(dict)            # a comment.* event: {"type", "comment", "task"}
    time_event = pyqtSignal(dict)               # a time_entry.* event: {"type", "entry", "task"}
    auth_required = pyqtSignal()

    def __init__(self, client, folder, user_id, poll_seconds=5.0, push=True,
                 push_retry=(1.0, 30.0), liveness_seconds=75.0):
        super().__init__()
        self.client, self.user_id = client, user_id
        self.poll_seconds, self.push = poll_seconds, push
        self.push_retry, self.liveness_seconds = push_retry, liveness_seconds
        self.cache, self.outbox = TaskCache(folder), Outbox(folder, user_id)
        self.sender = Sender.of(self.outbox.journal, poll_seconds)
        self.sender.attach("update", self)
        self.sender.auth_required.connect(self._sender_signed_out)
        self.occupancy_status = None  # set by the occupancy tracker; recorded with each update
        cached = self.cache.load()
        mine = cached.get("user") in (None, user_id)
        self._tasks = {t["id"]: t for t in cached["tasks"]} if mine else {}
        self._cursor = cached["cursor"] if mine else None
        self._etag = cached["etag"] if mine else None
        self.had_cache = mine and cached["saved_at"] is not None  # a list to compare news against
        self.state = OFFLINE
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._authorized = threading.Event()
        self._authorized.set()
        self._stream = None
        self._threads = []

    # ------------------------------------------------------------ for the window

    def start(self):
        """Show the cached tasks at once, then go online in the background."""
        self._emit_tasks()
        self._emit_connection()
        for refused in self.outbox.refused():
            self.update_refused.emit(refused)
        thread = threading.Thread(target=self._feed_loop, name="tracker-feed", daemon=True)
        thread.start()
        self._threads.append(thread)
        self.sender.start()

    def stop(self, timeout=5.0):
        if self._threads:
            self.sender.stop(timeout)
        self._stop.set()
        self._authorized.set()
        stream = self._stream
        if stream is not None:
            stream.close()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def tasks(self):
        """The tasks to show: the server's, with the unsent updates laid over them, sorted."""
        with self._lock:
            shown = {tid: dict(task, unsent=False) for tid, task in self._tasks.items()}
        for entry in self.outbox.pending():
            task = shown.get(entry["task_id"])
            if task is not None and task["status"] != "CANCELLED" and entry["kind"] != "comment":
                shown[entry["task_id"]] = dict(
                    with_update(task, entry["progress_percentage"]), unsent=True)
        return sorted(shown.values(), key=sort_key)

    def submit_progress(self, task_id, progress_percentage, notes=""):
        """Save the update in the outbox (durably, before any network attempt); returns it."""
        return self._submit("progress", task_id, progress_percentage, notes)

    def complete(self, task_id, notes=""):
        return self._submit("complete", task_id, 100, notes)

    def add_comment(self, task_id, body):
        """Save a comment in the outbox, like an update: sent once, in order, when online."""
        return self._submit("comment", task_id, None, body)

    def unsent_comments(self, task_id):
        return [e for e in self.outbox.pending() if e["kind"] == "comment" and e["task_id"] == task_id]

    def set_token(self, token):
        """After the user logged in again: resume with the new token, outbox intact."""
        self.client.token = token
        self._authorized.set()
        self.sender.resume()
        self._emit_connection()

    def dismiss_refused(self, client_update_id):
        self.outbox.dismiss(client_update_id)

    def unsent(self):
        """Changes of every kind (updates, comments, timer) not yet acknowledged."""
        return len(self.outbox.journal)

    def _submit(self, kind, task_id, progress_percentage, notes):
        entry = self.outbox.add(kind, task_id, progress_percentage, notes, self.occupancy_status)
        self._emit_tasks()
        self._emit_connection()
        self.sender.wake()
        return entry

    # ------------------------------------------------------------ state and signals

    def _emit_tasks(self):
        self.tasks_changed.emit(self.tasks())

    def _emit_connection(self):
        self.connection_changed.emit(self.state, self.unsent())

    def _set_state(self, state):
        if state != self.state:
            log.info("connection: %s -> %s", self.state, state)
            self.state = state
            self._emit_connection()

    def _auth_lost(self):
        if self._authorized.is_set():
            self._authorized.clear()
            self.auth_required.emit()

    def _sender_signed_out(self):
        if self.sender.signed_out():  # not when a new token came meanwhile
            self._auth_lost()

    def _save_cache(self):
        with self._lock:
            self.cache.save(list(self._tasks.values()), self._cursor, self._etag, self.user_id)

    def _apply_task(self, task):
        """Take a task from the server unless we already hold a newer version of it."""
        with self._lock:
            if task["assignee"] is None or task["assignee"]["id"] != self.user_id:
                return self._tasks.pop(task["id"], None) is not None
            held = self._tasks.get(task["id"])
            if held is not None and held["version"] > task["version"]:
                return False
            self._tasks[task["id"]] = task
            return True

    # ------------------------------------------------------------ the feed: push, else polling

    def _refresh(self, force=False):
        """GET the task list (with ETag unless forced); the server answered, so we are online."""
        body, etag = self.client.employee_tasks(None if force else self._etag)
        if body is not None:
            with self._lock:
                self._tasks = {t["id"]: t for t in body["tasks"] if t["assignee"]["id"] == self.user_id}
                self._cursor, self._etag = body["cursor"], etag
            self._save_cache()
            self._emit_tasks()
        if self.state == OFFLINE:
            self._set_state(POLLING)
            self.sender.wake()

    def _feed_loop(self):
        self._retry, self._next_push = self.push_retry[0], 0.0
        force = False
        while not self._stop.is_set():
            if not self._authorized.is_set():
                self._authorized.wait()
                continue
            try:
                self._refresh(force)
                force = False
                if self.push and time.monotonic() >= self._next_push and self._push_once():
                    continue  # lost or reset: refresh, then reconnect
                self._set_state(POLLING)
            except _Reset:
                force = True
                continue
            except Unavailable as exc:
                log.info("server unavailable: %s", exc)
                self._set_state(OFFLINE)
            except AuthRequired:
                self._auth_lost()
                continue
            self._stop.wait(self.poll_seconds)

    def _push_once(self):
        """Connect and listen until the connection ends (True), or find push unavailable (False).
        Refused, or dropped soon after connecting: the next try waits, twice as long each time."""
        try:
            stream = self.client.open_events(self._cursor or 0)
        except Unavailable as exc:
            log.info("push unavailable, polling: %s", exc)
            opened, lasted = False, 0.0
        else:
            opened, lasted = True, self._listen(stream)
        if lasted < self.push_retry[1]:
            self._next_push = time.monotonic() + self._retry
            self._retry = min(self._retry * 2, self.push_retry[1])
        else:
            self._retry = self.push_retry[0]
        return opened

    def _listen(self, stream):
        """Apply pushed events until the connection ends; returns how long it lasted (s)."""
        self._stream = stream
        self._set_state(LIVE)
        started = last_traffic = time.monotonic()
        try:
            while not self._stop.is_set():
                message = stream.next(timeout=1.0)
                now = time.monotonic()
                if message is None:
                    if now - last_traffic > self.liveness_seconds:
                        raise Unavailable("push connection silent for %.0f s" % self.liveness_seconds)
                    continue
                last_traffic = now
                self._on_event(message)
        except Unavailable as exc:
            log.info("push lost: %s", exc)
            if not self._stop.is_set():
                self._set_state(POLLING)
        finally:
            self._stream = None
            stream.close()
        return time.monotonic() - started

    def _on_event(self, event):
        if event.get("type") == "reset":
            raise _Reset()
        event_id = event.get("id")
        if not isinstance(event_id, int) or (self._cursor is not None and event_id <= self._cursor):
            return  # a ping, a hello, or an event we already hold
        changed = self._apply_task(event["task"]) if event.get("task") else False
        with self._lock:
            self._cursor = event_id
        self._save_cache()
        if event.get("comment"):
            self.comment_event.emit(event)
        if event.get("entry"):
            self.time_event.emit(event)
        if changed:
            self._emit_tasks()

    # ------------------------------------------------------------ the outbox (sender.py asks)

    def send(self, entry):
        return self.client.send_update(entry)

    def accepted(self, entry, answer):
        self.outbox.acknowledge(entry["client_update_id"])
        self._apply_answer(entry, answer)
        self.update_delivered.emit(entry, answer)
        self._emit_tasks()
        self._emit_connection()

    def rejected(self, entry, exc):
        self.outbox.refuse(entry["client_update_id"], exc.status, exc.message, exc.code)
        self.update_refused.emit(dict(entry, refused_status=exc.status, refused_reason=exc.message,
                                      refused_code=exc.code))
        self._emit_tasks()
        self._emit_connection()

    def _apply_answer(self, entry, answer):
        if entry["kind"] == "comment":
            return  # the answer is the comment; its event brings the task's new count
        with self._lock:
            task = self._tasks.get(entry["task_id"])
            if task is None or task["version"] >= answer["version"]:
                return
            self._tasks[entry["task_id"]] = dict(
                with_update(task, answer["new_progress"]), status=answer["task_status"],
                version=answer["version"])
        # No cache write here: the server's event (or the next poll) brings the full task and
        # saves it; the outbox write just before already made the update durable.
