"""The timer's side of the outbox (outbox.py): the running timer and its changes not yet
acknowledged by the server, recorded before anything is sent. Each moment is kept as a monotonic
reading (what the server is told, as elapsed seconds) and the wall clock (to show, and after a
restart, where only a difference of two wall readings cancels a wrong clock)."""
import collections
import uuid
from datetime import datetime, timedelta, timezone

from .language import N_, _
from .outbox import TIMER, Journal

MAX_RUN = timedelta(hours=12)  # the server's longest entry: a run is never sent longer
IDLE_NOTE = N_("Idle time kept as work")  # the note is the person's: written in their language
SESSION = uuid.uuid4().hex  # this process: monotonic readings compare only within one

Now = collections.namedtuple("Now", "wall mono")  # an aware UTC datetime, time.monotonic()


def utc_now():
    return datetime.now(timezone.utc).replace(microsecond=0)


def stamp(moment):
    """A moment as the journal and the server keep it: UTC, whole seconds."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def back(now, seconds):
    return Now(now.wall - timedelta(seconds=seconds), now.mono - seconds)


def ago(held, name, now):
    """Seconds from a kept moment (`name`_at / `name`_mono of `held`) to `now`: by the monotonic
    clock within this process, else by the wall clock. Never negative."""
    mono = held.get(name + "_mono")
    if held.get("session") == SESSION and mono is not None:
        return max(0.0, now.mono - mono)
    return max(0.0, (now.wall - moment(held[name + "_at"])).total_seconds())


def run_seconds(op):
    """A finished run's length in whole seconds, as recorded when it ended."""
    if op.get("seconds") is not None:
        return op["seconds"]
    return max(0, int((moment(op["ended_at"]) - moment(op["started_at"])).total_seconds()))


class TimerJournal:
    """`running`: {client_entry_id, task_id, started_at/_mono, last_active_at/_mono, session}
    or None. Pending ops: `start` (sent as a timer start under its client_entry_id), `stop` (that
    timer's stop) and `entry` (a finished run: a timer recorded before its start was sent, or
    kept idle time). Every op goes under a client_entry_id: a resend is answered, never doubled."""

    def __init__(self, folder, user_id):
        self.journal = Journal.open(folder, user_id)
        self._lock = self.journal.lock

    @property
    def running(self):
        return self.journal.running

    @running.setter
    def running(self, run):
        self.journal.running = run

    def _ops(self, ops):
        return [op for op in ops if op.get("kind") == TIMER]

    @property
    def _pending(self):
        return self._ops(self.journal.pending)

    def _save(self):
        self.journal.save()

    # ------------------------------------------------------------ recording (durable on return)

    def start(self, task_id, now):
        """Start a timer on `task_id` at `now` (a Now), stopping the running one there."""
        with self._lock:
            if self.running is not None:
                self._stop(now, save=False)
            key = uuid.uuid4().hex
            self.running = {"client_entry_id": key, "task_id": task_id, "session": SESSION,
                            "started_at": stamp(now.wall), "started_mono": now.mono,
                            "last_active_at": stamp(now.wall), "last_active_mono": now.mono}
            self.journal.pending.append({
                "kind": TIMER, "op": "start", "client_entry_id": key, "task_id": task_id,
                "started_at": stamp(now.wall), "started_mono": now.mono, "session": SESSION,
                "sent": False})
            self._save()
            return dict(self.running)

    def stop(self, now):
        """Stop the running timer at `now` (never before its start); the stopped run, or None."""
        with self._lock:
            return self._stop(now) if self.running is not None else None

    def _stop(self, now, save=True, session=None):
        run, self.running = self.running, None
        session = session or SESSION
        began = moment(run["started_at"])
        if run.get("session") == session and run.get("started_mono") is not None:
            seconds = now.mono - run["started_mono"]
        else:
            seconds = (now.wall - began).total_seconds()
        seconds = int(min(max(seconds, 0), MAX_RUN.total_seconds()))
        ended = {"ended_at": stamp(began + timedelta(seconds=seconds)), "session": session,
                 "ended_mono": now.mono if run.get("started_mono") is None
                 else run["started_mono"] + seconds if run.get("session") == session else now.mono}
        run = dict(run, **ended)
        held = next((op for op in self.journal.pending if op.get("kind") == TIMER
                     and op["op"] == "start" and not op["sent"]
                     and op["client_entry_id"] == run["client_entry_id"]), None)
        if held is not None:  # the server never heard of it: one finished entry, or nothing
            index = self.journal.pending.index(held)
            if seconds > 0:
                self.journal.pending[index] = self._entry_op(run, seconds, "")
            else:
                del self.journal.pending[index]
        else:
            self.journal.pending.append(dict(
                {"kind": TIMER, "op": "stop", "client_entry_id": run["client_entry_id"],
                 "task_id": run["task_id"], "started_at": run["started_at"]}, **ended))
        if save:
            self._save()
        return run

    @staticmethod
    def _entry_op(run, seconds, note, key=None):
        return {"kind": TIMER, "op": "entry", "client_entry_id": key or run["client_entry_id"],
                "task_id": run["task_id"], "started_at": run["started_at"],
                "ended_at": run["ended_at"], "ended_mono": run["ended_mono"],
                "session": run["session"], "seconds": seconds, "note": note}

    def add_entry(self, task_id, started, ended, note=None):
        """A finished span of work on `task_id` between two Now readings (idle minutes kept)."""
        note = _(IDLE_NOTE) if note is None else note
        with self._lock:
            seconds = int(min(max(ended.mono - started.mono, 0), MAX_RUN.total_seconds()))
            run = {"task_id": task_id, "started_at": stamp(started.wall),
                   "ended_at": stamp(ended.wall), "ended_mono": ended.mono, "session": SESSION}
            op = self._entry_op(run, seconds, note, key=uuid.uuid4().hex)
            self.journal.pending.append(op)
            self._save()
            return dict(op)

    def touch_active(self, now):
        """The person was ACTIVE at `now`: where a timer left running by a crash is closed."""
        with self._lock:
            if self.running is not None:
                self.running.update(last_active_at=stamp(now.wall), last_active_mono=now.mono)
                self._save()

    def close_orphan(self):
        """A timer still running when the app starts was left by a crash: stop it at the last
        moment the person was known ACTIVE. Returns the stopped run, or None."""
        with self._lock:
            run = self.running
            if run is None:
                return None
            last = Now(moment(run["last_active_at"]), run.get("last_active_mono"))
            if last.mono is None:
                return self._stop(Now(last.wall, 0.0), session="wall")
            return self._stop(last, session=run.get("session") or "wall")

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
            mine = self._pending
            return dict(mine[0]) if mine else None

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
            self.journal.pending = [held for held in self.journal.pending if not _same(held, op)]
            self._save()

    def refuse(self, op, status, reason, code=None):
        """The server refused `op` for good: it goes to the refused list with the reason, and the
        later ops of the same timer go with it (they cannot succeed without it)."""
        with self._lock:
            key = op["client_entry_id"]
            self.journal.pending = [
                held for held in self.journal.pending if not _same(held, op) and not (
                    op["op"] == "start" and held.get("kind") == TIMER
                    and held["client_entry_id"] == key)]
            if op["op"] == "start" and self.running and self.running["client_entry_id"] == key:
                self.running = None
            refused = dict(op, refused_status=status, refused_reason=reason, refused_code=code)
            self.journal.refused.append(refused)
            self._save()
            return refused

    def refused(self):
        with self._lock:
            return [dict(op) for op in self._ops(self.journal.refused)]

    def dismiss(self, op):
        with self._lock:
            self.journal.refused = [held for held in self.journal.refused if not _same(held, op)]
            self._save()


def _adopted(entry):
    return {"client_entry_id": entry.get("client_entry_id"), "task_id": entry["task_id"],
            "started_at": stamp(moment(entry["started_at"])), "session": None,
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
    return (a.get("kind") == TIMER and a["op"] == b["op"]
            and a["client_entry_id"] == b["client_entry_id"])
