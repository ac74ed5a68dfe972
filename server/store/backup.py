"""Online backup of a SQLite database: a consistent copy taken while the server keeps writing."""
import os
import sqlite3
import tempfile
import time
from urllib.parse import unquote
from urllib.request import pathname2url

from server.store import database

PG_ADVICE = ("backup copies SQLite databases; for PostgreSQL use its own tool, e.g.\n"
             "  pg_dump --format=custom --file PATH 'URL'\n"
             "and restore with pg_restore (docs/deploy.md, \"Backup and restore\")")

# Exit statuses of `python -m server backup`.
VERIFIED, BROKEN, REFUSED = 0, 1, 2


class Refused(Exception):
    """The backup was not made and nothing was written; the message says why."""


def sqlite_path(url):
    """The file behind a sqlite:/// URL (as database.open_database reads it); anything else is refused."""
    if url.startswith(("postgresql:", "postgres:")):
        raise Refused(PG_ADVICE)
    if not url.startswith("sqlite:///"):
        raise Refused("unsupported database URL %r: use sqlite:///path" % url)
    path = unquote(url[len("sqlite:///"):]) or "tracker.db"
    if not os.path.isfile(path):
        raise Refused("no database at %s" % path)
    return path


def copy_online(source, target, pages=1024, pause=0.001):
    """Copy SQLite file `source` into `target` with the online backup API, `pages` at a time.

    One read transaction is held over every step, so the copy is the database as it stood when the
    backup began (WAL readers see one snapshot; writers carry on and the copy never restarts).
    Between steps the source is unlocked for `pause` seconds."""
    src = sqlite3.connect("file:%s?mode=ro" % pathname2url(os.path.abspath(source)), uri=True,
                          isolation_level=None)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # pins the snapshot now
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=pages, progress=lambda _status, _left, _total: time.sleep(pause))
        finally:
            dst.close()
        src.execute("COMMIT")
    finally:
        src.close()


def new_file(path):
    """A temporary file beside `path` (same file system, so it can be linked there), or Refused."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.lexists(path):
        raise Refused("%s exists; a backup never overwrites a file" % path)
    if not os.path.isdir(folder):
        raise Refused("folder %s does not exist" % folder)
    try:
        handle, temp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), suffix=".partial",
                                        dir=folder)
    except OSError as exc:
        raise Refused("cannot write in %s: %s" % (folder, exc.strerror)) from None
    os.close(handle)
    return temp


def publish(temp, path):
    """Give the finished copy its name without ever replacing a file that appeared meanwhile."""
    with open(temp, "rb+") as copy:
        os.fsync(copy.fileno())
    try:
        os.link(temp, path)  # fails if `path` exists, unlike rename
    except FileExistsError:
        raise Refused("%s appeared during the backup; it was not overwritten" % path) from None
    except OSError as exc:
        raise Refused("cannot write %s: %s" % (path, exc.strerror)) from None
    folder = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def backup(url, path, pages=1024):
    """Copy the SQLite database at `url` to the new file `path`; raises Refused with nothing written."""
    source = sqlite_path(url)
    temp = new_file(path)
    try:
        copy_online(source, temp, pages=pages)
        publish(temp, path)
    except sqlite3.Error as exc:
        raise Refused("copy failed: %s" % exc) from None
    finally:
        os.unlink(temp)


def verify_copy(path, verify):
    """Open the copy read as a database and run `verify` (the audit chain check) on it."""
    connection = database.open_database("sqlite:///%s" % path)
    connection.connect()
    try:
        return verify()
    finally:
        connection.close()
