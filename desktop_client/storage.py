"""Files in the app folder, each written atomically: the task cache, settings, the token (and the
helpers the outbox file uses, outbox.py)."""
import json
import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

CACHE_FILE = "task_cache.json"
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


class Settings:
    """Small user preferences: server URL, last username, idle threshold, poll interval, the
    language picked in the app (None: the OS's) and the last time zone the server gave."""

    DEFAULTS = {"server": "http://127.0.0.1:8000", "username": "", "idle_after_seconds": 180,
                "poll_seconds": 5, "language": None, "time_zone": None}

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
