"""The timer journal: the running timer and every timer change not yet acknowledged by the server,
in the order they were made, written atomically before anything is sent (like the outbox)."""
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .storage import read_json, write_json

TIMER_FILE = "timer-%d.json"  # one per user: a journal is never sent under another's token
MAX_RUN = timedelta(hours=12)  # the server's longest entry: a run is never sent longer
IDLE_NOTE = "Idle time kept as work"


def utc_now():
    return datetime.now(timezone.utc).replace(microsecond=0)


def stamp(moment):
    """A moment as the journal and the server keep it: UTC, whole seconds."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


class TimerJournal:
    """`running`: {client_entry_id, task_id, started_at, last_active_at} or None. Pending ops:
    `start` (sent as a timer start under its client_entry_id), `stop` (that timer's stop) and
    `entry` (a finished run: a timer recorded before its start was sent, or kept idle time). Every
    op is sent under a client_entry_id, so a resend after a kill -9 is answered, never doubled."""

    def __init__(self, folder, user_id):
        self.path = Path(folder) / (TIMER_FILE % user_id)
        self._lock = threading.RLock()
        data = read_json(self.path, {})
        self.running = data.get("running")
        self._pending = list(data.get("pending", []))
        self._refused = list(data.get("refused", []))

    def _save(self):
        write_json(self.path, {"running": self.running, "pending": self._pending,
                               "refused": self._refused})

    # ------------------------------------------------------------ recording (durable on return)

    def start(self, task_id, at):
        """Start a timer on `task_id` at `at`, stopping the running one at the same moment."""
        with self._lock:
            if self.running is not None:
                self._stop(at, save=False)
            key = uuid.uuid4().hex
            self.running = {"client_entry_id": key, "task_id": task_id, "started_at": stamp(at),
                            "last_active_at": stamp(at)}
            self._pending.append({"op": "start", "client_entry_id": key, "task_id": task_id,
                                  "started_at": stamp(at), "sent": False})
            self._save()
            return dict(self.running)

    def stop(self, at):
        """Stop the running timer at `at` (never before its start); the stopped run, or None."""
        with self._lock:
            return self._stop(at) if self.running is not None else None

    def _stop(self, at, save=True):
        run, self.running = self.running, None
        began = moment(run["started_at"])
        end = min(max(at, began), began + MAX_RUN)
        run = dict(run, ended_at=stamp(end))
        unsent = next((op for op in self._pending if op["op"] == "start" and not op["sent"]
                       and op["client_entry_id"] == run["client_entry_id"]), None)
        if unsent is not None:  # the server never heard of it: one finished entry, or nothing
            index = self._pending.index(unsent)
            if end > began:
                self._pending[index] = self._entry_op(run["client_entry_id"], run["task_id"],
                                                      run["started_at"], run["ended_at"], "")
            else:
                del self._pending[index]
        else:
            self._pending.append({"op": "stop", "client_entry_id": run["client_entry_id"],
                                  "task_id": run["task_id"], "started_at": run["started_at"],
                                  "ended_at": run["ended_at"]})
        if save:
            self._save()
        return run

    @staticmethod
    def _entry_op(key, task_id, started_at, ended_at, note):
        return {"op": "entry", "client_entry_id": key, "task_id": task_id,
                "started_at": started_at, "ended_at": ended_at, "note": note}

    def add_entry(self, task_id, started_at, ended_at, note=IDLE_NOTE):
        """A finished span of work on `task_id` (the idle minutes kept), under its own id."""
        with self._lock:
            op = self._entry_op(uuid.uuid4().hex, task_id, stamp(started_at), stamp(ended_at), note)
            self._pending.append(op)
            self._save()
            return dict(op)

    def touch_active(self, at):
        """The user was ACTIVE at `at`: where a timer left running by a crash will be closed."""
        with self._lock:
            if self.running is not None:
                self.running["last_active_at"] = stamp(at)
                self._save()

    def close_orphan(self):
        """A timer still running when the app starts was left by a crash: stop it at the last
        moment the user was known ACTIVE. Returns the stopped run, or None."""
        with self._lock:
            if self.running is None:
                return None
            return self._stop(moment(self.running["last_active_at"]))

    def adopt(self, entry):
        """A timer started elsewhere (another device, the web app) runs here too."""
        with self._lock:
            self.running = _adopted(entry)
            self._save()

    def reconcile(self, before, server_running):
        """The server's running timer, read while the local one was `before`: with nothing
        waiting to be sent and no local change meanwhile, the server's word holds."""
        with self._lock:
            if self._pending or _key(self.running) != _key(before):
                return False
            if server_running is None:
                if self.running is None:
                    return False
                self.running = None
            elif same_run(self.running, server_running):
                return False
            else:
                self.running = _adopted(server_running)
            self._save()
            return True

    def forget(self):
        """The server stopped the running timer (IDLE, OFFLINE, another device): nothing to send."""
        with self._lock:
            self.running = None
            self._save()

    # ------------------------------------------------------------ sending

    def first(self):
        with self._lock:
            return dict(self._pending[0]) if self._pending else None

    def pending(self):
        with self._lock:
            return [dict(op) for op in self._pending]

    def __len__(self):
        with self._lock:
            return len(self._pending)

    def mark_sent(self, op):
        """Before a start goes on the wire: from now on its stop is a stop, never an entry.
        False when the op changed meanwhile (stopped before it was sent: now an entry)."""
        with self._lock:
            held = next((held for held in self._pending if _same(held, op)), None)
            if held is None:
                return False
            if held["sent"] is False:
                held["sent"] = True
                self._save()
            return True

    def acknowledge(self, op):
        with self._lock:
            self._pending = [held for held in self._pending if not _same(held, op)]
            self._save()

    def refuse(self, op, status, reason):
        """The server refused `op` for good: it goes to the refused list with the reason, and the
        later ops of the same timer go with it (they cannot succeed without it)."""
        with self._lock:
            key = op["client_entry_id"]
            self._pending = [held for held in self._pending if not _same(held, op)
                             and not (op["op"] == "start" and held["client_entry_id"] == key)]
            if op["op"] == "start" and self.running and self.running["client_entry_id"] == key:
                self.running = None
            refused = dict(op, refused_status=status, refused_reason=reason)
            self._refused.append(refused)
            self._save()
            return refused

    def refused(self):
        with self._lock:
            return [dict(op) for op in self._refused]

    def dismiss(self, op):
        with self._lock:
            self._refused = [held for held in self._refused if not _same(held, op)]
            self._save()


def _adopted(entry):
    return {"client_entry_id": entry.get("client_entry_id"), "task_id": entry["task_id"],
            "started_at": stamp(moment(entry["started_at"])),
            "last_active_at": stamp(moment(entry["started_at"])), "entry_id": entry["id"]}


def _key(run):
    return (run["client_entry_id"], run.get("entry_id"), run["started_at"]) if run else None


def same_run(run, entry):
    """Whether the local run is that server entry."""
    if run is None:
        return False
    key = entry.get("client_entry_id")
    return run.get("entry_id") == entry["id"] or (key is not None and run["client_entry_id"] == key)


def _same(a, b):
    return a["op"] == b["op"] and a["client_entry_id"] == b["client_entry_id"]
