"""Files in the app folder, each written atomically: the task cache, the outbox, settings, token."""
import json
import os
import sys
import tempfile
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path

CACHE_FILE = "task_cache.json"
OUTBOX_FILE = "outbox.json"
SETTINGS_FILE = "settings.json"
TOKEN_FILE = "token"


LEGACY_DIR = ".tracker_app"


def default_app_dir(environ, platform, home):
    """The app folder by the OS's convention: %LOCALAPPDATA% on Windows (per user, not roaming:
    the cache and outbox belong to this machine), ~/Library/Application Support on macOS,
    $XDG_DATA_HOME (else ~/.local/share) elsewhere."""
    if platform == "win32":
        base = environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "ProgressTracker"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "ProgressTracker"
    return Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "progress-tracker"


def app_dir(environ=None, platform=None, home=None):
    """$TRACKER_APP_DIR, else ~/.tracker_app where an older version made it (its outbox may hold
    unsent updates), else the OS's folder; created readable by the user only."""
    environ = os.environ if environ is None else environ
    platform, home = platform or sys.platform, Path(home or Path.home())
    if environ.get("TRACKER_APP_DIR"):
        path = Path(environ["TRACKER_APP_DIR"])
    elif (home / LEGACY_DIR).is_dir():
        path = home / LEGACY_DIR
    else:
        path = default_app_dir(environ, platform, home)
    # On Windows the mode is ignored; a folder under %LOCALAPPDATA% inherits the profile's ACL,
    # which only the user (and administrators) can read.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def remove_stale_temp_files(folder):
    """Temp files a killed process left behind (the real files are intact: rename is atomic)."""
    for stale in Path(folder).glob(".*.tmp"):
        try:
            stale.unlink()
        except FileNotFoundError:
            pass


def local_now():
    """The local time with its offset (informative only: the server orders updates)."""
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def fsync_dir(folder):
    """Make a rename durable where the OS lets a folder be opened (POSIX). Windows refuses
    os.open on a folder (PermissionError) and needs no such step: NTFS journals the rename."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        os.fsync(dir_fd)
    except OSError:
        return False  # some file systems cannot fsync a folder; the rename itself is done
    finally:
        os.close(dir_fd)
    return True


def write_atomic(path, data: bytes):
    """Temp file in the same folder, flush, fsync, replace, fsync the folder where possible:
    after a crash the file is either the old or the new version, never a torn one. New files are
    mode 0600 (mkstemp)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def write_json(path, value):
    write_atomic(path, json.dumps(value, indent=1, sort_keys=True).encode("utf-8"))


def read_json(path, default):
    """The parsed file, or `default` when it does not exist yet."""
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        return default


class TaskCache:
    """The last task list the server sent, with its cursor and ETag."""

    def __init__(self, folder):
        self.path = Path(folder) / CACHE_FILE

    def load(self):
        data = read_json(self.path, None)
        if not isinstance(data, dict) or not isinstance(data.get("tasks"), list):
            return {"tasks": [], "cursor": None, "etag": None, "user": None, "saved_at": None}
        return data

    def save(self, tasks, cursor, etag=None, user=None):
        write_json(self.path, {"tasks": tasks, "cursor": cursor, "etag": etag, "user": user,
                               "saved_at": local_now()})


def _renamed(entry):
    """An entry saved before the value was called progress_percentage (it may wait for days)."""
    entry = dict(entry)
    if "progress" in entry:
        entry["progress_percentage"] = entry.pop("progress")
    return entry


class Outbox:
    """Updates not yet acknowledged by the server, in the order they were made, on disk before
    anything is sent. Refused entries stay (under "refused") until the user has been shown them."""

    def __init__(self, folder):
        self.path = Path(folder) / OUTBOX_FILE
        self._lock = threading.Lock()
        data = read_json(self.path, {})
        self._pending = [_renamed(e) for e in data.get("pending", [])]
        self._refused = [_renamed(e) for e in data.get("refused", [])]

    def _save(self):
        write_json(self.path, {"pending": self._pending, "refused": self._refused})

    def add(self, kind, task_id, progress_percentage=None, notes="", occupancy_status=None):
        """Record an update durably and return it; when this returns, the update is saved.
        Everything sent later comes from this entry, so a replay is byte-for-byte the same."""
        entry = {"client_update_id": uuid.uuid4().hex, "kind": kind, "task_id": task_id,
                 "progress_percentage": 100 if kind == "complete" else progress_percentage,
                 "notes": notes or "", "occupancy_status": occupancy_status,
                 "client_timestamp": local_now()}
        with self._lock:
            self._pending.append(entry)
            self._save()
        return dict(entry)

    def pending(self):
        with self._lock:
            return [dict(e) for e in self._pending]

    def first(self):
        with self._lock:
            return dict(self._pending[0]) if self._pending else None

    def __len__(self):
        with self._lock:
            return len(self._pending)

    def acknowledge(self, client_update_id):
        with self._lock:
            self._pending = [e for e in self._pending if e["client_update_id"] != client_update_id]
            self._save()

    def refuse(self, client_update_id, status, reason):
        """Move an entry the server refused for good to the refused list, with the reason."""
        with self._lock:
            for entry in self._pending:
                if entry["client_update_id"] == client_update_id:
                    self._refused.append(dict(entry, refused_status=status, refused_reason=reason))
            self._pending = [e for e in self._pending if e["client_update_id"] != client_update_id]
            self._save()

    def refused(self):
        with self._lock:
            return [dict(e) for e in self._refused]

    def dismiss(self, client_update_id):
        """The user has seen the refusal: forget the entry."""
        with self._lock:
            self._refused = [e for e in self._refused if e["client_update_id"] != client_update_id]
            self._save()


class Settings:
    """Small user preferences: server URL, last username, idle threshold, poll interval."""

    DEFAULTS = {"server": "http://127.0.0.1:8000", "username": "", "idle_after_seconds": 180,
                "poll_seconds": 5}

    def __init__(self, folder):
        self.path = Path(folder) / SETTINGS_FILE
        self.values = dict(self.DEFAULTS, **read_json(self.path, {}))

    def __getitem__(self, name):
        return self.values[name]

    def update(self, **values):
        self.values.update(values)
        write_json(self.path, self.values)


class TokenStore:
    """The API token, in a file only the user can read (mode 0600)."""

    def __init__(self, folder):
        self.path = Path(folder) / TOKEN_FILE

    def load(self):
        data = read_json(self.path, None)
        return data if isinstance(data, dict) and data.get("token") else None

    def save(self, server, token, user):
        write_json(self.path, {"server": server, "token": token, "user": user})
        os.chmod(self.path, 0o600)

    def clear(self):
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
