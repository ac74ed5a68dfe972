"""The one outbox: every change made here and not yet acknowledged by the server — progress,
completions, comments and timer changes — in the order it was made, with the running timer, in one
file per person, written atomically before anything is sent. Earlier versions kept two files
(`outbox.json` and `timer-<id>.json`); they are folded in once, nothing lost, nothing sent twice."""
import threading
import uuid
import weakref
from pathlib import Path

from .storage import local_now, read_json, write_json

OUTBOX_FILE = "outbox-%d.json"  # one per person: a change is never sent under another's token
LEGACY_FILES = ("outbox.json", "timer-%d.json")  # before one outbox: updates, then the timer's
TIMER = "timer"  # the kind of every timer change; the rest are "progress", "complete", "comment"

_open = weakref.WeakValueDictionary()
_open_lock = threading.Lock()


def family(op):
    """Which part of the app sends and answers for an op: "timer" or "update"."""
    return TIMER if op.get("kind") == TIMER else "update"


def _renamed(entry):
    """An entry saved before the value was called progress_percentage (it may wait for days)."""
    entry = dict(entry)
    if "progress" in entry:
        entry["progress_percentage"] = entry.pop("progress")
    return entry


def _as_timer(op):
    return dict(op, kind=TIMER)


class Journal:
    """The file: `pending` (in order), `refused` (until the person has seen them), `running` (the
    timer). Shared by everything in the process that works for this person (`Journal.open`), so
    there is one lock and one writer per file."""

    def __init__(self, folder, user_id):
        self.folder, self.user_id = Path(folder), user_id
        self.path = self.folder / (OUTBOX_FILE % user_id)
        self.lock = threading.RLock()
        data = read_json(self.path, {})
        self.pending = list(data.get("pending", []))
        self.refused = list(data.get("refused", []))
        self.running = data.get("running")
        self.migrated = list(data.get("migrated", []))
        self.sender = None  # the one Sender (sender.py), made by the first who sends
        self._fold_legacy()

    @classmethod
    def open(cls, folder, user_id):
        """The process's one Journal for this file."""
        key = str((Path(folder) / (OUTBOX_FILE % user_id)).resolve())
        with _open_lock:
            journal = _open.get(key)
            if journal is None:
                journal = _open[key] = cls(folder, user_id)
            return journal

    def save(self):
        write_json(self.path, {"pending": self.pending, "refused": self.refused,
                               "running": self.running, "migrated": self.migrated})

    def _fold_legacy(self):
        """Take in the files of earlier versions, then remove them. The names folded are saved
        with the new file first, so a crash between the two steps never folds one twice."""
        names = [name % self.user_id if "%d" in name else name for name in LEGACY_FILES]
        found = [name for name in names if (self.folder / name).exists()]
        fresh = [name for name in found if name not in self.migrated]
        for name in fresh:
            data = read_json(self.folder / name, {})
            timer = name != names[0]
            convert = _as_timer if timer else _renamed
            self.pending += [convert(op) for op in data.get("pending", [])]
            self.refused += [convert(op) for op in data.get("refused", [])]
            if timer and self.running is None:
                self.running = data.get("running")
            self.migrated.append(name)
        if fresh:
            self.save()
        for name in found:
            (self.folder / name).unlink()

    def first(self):
        with self.lock:
            return dict(self.pending[0]) if self.pending else None

    def __len__(self):
        with self.lock:
            return len(self.pending)


class Outbox:
    """The updates' side of the journal: progress, completions and comments."""

    def __init__(self, folder, user_id):
        self.journal = Journal.open(folder, user_id)
        self.path = self.journal.path

    def _mine(self, ops):
        return [dict(op) for op in ops if family(op) == "update"]

    def add(self, kind, task_id, progress_percentage=None, notes="", occupancy_status=None):
        """Record an update durably and return it; when this returns, the update is saved.
        Everything sent later comes from this entry, so a replay is byte-for-byte the same."""
        entry = {"client_update_id": uuid.uuid4().hex, "kind": kind, "task_id": task_id,
                 "progress_percentage": 100 if kind == "complete" else progress_percentage,
                 "notes": notes or "", "occupancy_status": occupancy_status,
                 "client_timestamp": local_now()}
        with self.journal.lock:
            self.journal.pending.append(entry)
            self.journal.save()
        return dict(entry)

    def pending(self):
        with self.journal.lock:
            return self._mine(self.journal.pending)

    def first(self):
        mine = self.pending()
        return mine[0] if mine else None

    def __len__(self):
        return len(self.pending())

    def _without(self, ops, client_update_id):
        return [op for op in ops if family(op) != "update"
                or op["client_update_id"] != client_update_id]

    def acknowledge(self, client_update_id):
        with self.journal.lock:
            self.journal.pending = self._without(self.journal.pending, client_update_id)
            self.journal.save()

    def refuse(self, client_update_id, status, reason, code=None):
        """Move an entry the server refused for good to the refused list, with the reason."""
        with self.journal.lock:
            for entry in self._mine(self.journal.pending):
                if entry["client_update_id"] == client_update_id:
                    self.journal.refused.append(dict(entry, refused_status=status,
                                                     refused_reason=reason, refused_code=code))
            self.journal.pending = self._without(self.journal.pending, client_update_id)
            self.journal.save()

    def refused(self):
        with self.journal.lock:
            return self._mine(self.journal.refused)

    def dismiss(self, client_update_id):
        """The person has seen the refusal: forget the entry."""
        with self.journal.lock:
            self.journal.refused = self._without(self.journal.refused, client_update_id)
            self.journal.save()
