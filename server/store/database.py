"""The connection: one peewee DatabaseProxy, opened from a URL, with SQLite's durability checked."""
import contextlib
from urllib.parse import urlparse, unquote

import peewee as pw

from .outage import OUTAGES

db = pw.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: the WAL is synced at every commit
    "foreign_keys": 1,
    "busy_timeout": 10000,
}


def open_database(url):
    """A peewee database for a sqlite:/// or postgresql:// URL, bound to the proxy."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else parsed.path
        database = pw.SqliteDatabase(path or "tracker.db", pragmas=SQLITE_PRAGMAS, timeout=10,
                                     lock_type="IMMEDIATE")  # writers take the lock up front
    elif parsed.scheme in ("postgresql", "postgres"):
        database = pw.PostgresqlDatabase(
            unquote(parsed.path.lstrip("/")) or "postgres",
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
        )
    else:
        raise ValueError("unsupported database URL %r: use sqlite:///path or postgresql://..." % url)
    db.initialize(database)
    return database


@contextlib.contextmanager
def read_transaction():
    """A read transaction: every query inside sees one consistent state (no write lock taken).
    One that ends well tells the outage log that the database answers again."""
    if is_postgres():
        transaction = db.obj.transaction(isolation_level="REPEATABLE READ")
    else:
        transaction = db.obj.transaction(lock_type="DEFERRED")
    with transaction:
        yield
    OUTAGES.answered()


def ping():
    """True when the database answers. A dead connection is dropped and tried once afresh, so a
    restarted PostgreSQL is picked up again without restarting the server."""
    for _attempt in range(2):
        try:
            db.execute_sql("SELECT 1").fetchone()
            OUTAGES.answered()
            return True
        except (pw.OperationalError, pw.InterfaceError):
            drop_connection()
    return False


def drop_connection():
    """Forget this thread's connection (after it failed); the next query opens a new one."""
    try:
        db.close()
    except pw.PeeweeException:
        pass


def sql(statement):
    """Hand-written statements use ? placeholders; PostgreSQL's driver wants %s."""
    return statement if db.obj.param == "?" else statement.replace("?", db.obj.param)


def is_postgres():
    return isinstance(db.obj, pw.PostgresqlDatabase)


def check_sqlite_durability():
    """Read the pragmas back: a connection that is not WAL + FULL must not serve writes."""
    if is_postgres():
        return
    mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0]
    sync = db.execute_sql("PRAGMA synchronous").fetchone()[0]
    fks = db.execute_sql("PRAGMA foreign_keys").fetchone()[0]
    if mode.lower() != "wal" or sync != 2 or fks != 1:
        raise RuntimeError("SQLite is not durable: journal_mode=%s synchronous=%s foreign_keys=%s"
                           % (mode, sync, fks))
