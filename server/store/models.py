"""peewee models on one DatabaseProxy, the connection settings, and the schema migrations."""
import datetime
import logging
from urllib.parse import urlparse, unquote

import peewee as pw

log = logging.getLogger("tracker.db")

db = pw.DatabaseProxy()

ROLES = ("EMPLOYEE", "ADMIN", "OWNER")
PRIORITIES = ("LOW", "MEDIUM", "HIGH", "URGENT")
STATUSES = ("PENDING", "IN_PROGRESS", "DONE", "CANCELLED")
OCCUPANCY = ("ACTIVE", "IDLE", "OFFLINE")

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: the WAL is synced at every commit
    "foreign_keys": 1,
    "busy_timeout": 10000,
}


def utcnow():
    """Naive UTC: what the database stores (both backends); output adds the offset."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class BaseModel(pw.Model):
    class Meta:
        database = db
        legacy_table_names = False


class User(BaseModel):
    username = pw.CharField(max_length=64, unique=True)
    full_name = pw.CharField(max_length=200, default="")
    role = pw.CharField(max_length=16, default="EMPLOYEE")
    password_hash = pw.CharField(max_length=255)
    is_active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=utcnow)

    @property
    def is_admin(self):
        return self.role in ("ADMIN", "OWNER")


class ApiToken(BaseModel):
    """A bearer token (kind 'api') or an admin page session (kind 'session'); only its SHA-256 is kept."""
    user = pw.ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    token_hash = pw.CharField(max_length=64, unique=True)
    kind = pw.CharField(max_length=16, default="api")
    created_at = pw.DateTimeField(default=utcnow)
    last_used_at = pw.DateTimeField(null=True)
    revoked = pw.BooleanField(default=False)


class Project(BaseModel):
    name = pw.CharField(max_length=200, unique=True)
    description = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)


class Task(BaseModel):
    title = pw.CharField(max_length=200)
    description = pw.TextField(default="")
    assignee = pw.ForeignKeyField(User, backref="tasks")
    project = pw.ForeignKeyField(Project, null=True, backref="tasks")
    created_by = pw.ForeignKeyField(User, backref="created_tasks")
    priority = pw.CharField(max_length=16, default="MEDIUM")
    status = pw.CharField(max_length=16, default="PENDING")
    progress_percentage = pw.IntegerField(default=0)
    due_date = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    completed_at = pw.DateTimeField(null=True)
    last_progress_update_at = pw.DateTimeField(null=True)
    last_progress_updated_by = pw.ForeignKeyField(User, null=True, backref="+")
    version = pw.IntegerField(default=1)
    # The forecast's running pace (services/forecast.py) and the last announced stale flag.
    pace_gain = pw.DoubleField(default=0.0)
    pace_seconds = pw.DoubleField(default=0.0)
    stale = pw.BooleanField(default=False)

    class Meta:
        indexes = (
            (("assignee", "status"), False),
            (("status",), False),
        )


class TaskProgress(BaseModel):
    """The audit trail: append-only (triggers refuse UPDATE and DELETE) and hash-chained."""
    id = pw.IntegerField(primary_key=True)  # assigned under the chain lock: id = previous id + 1
    task = pw.ForeignKeyField(Task, backref="updates", index=False)  # (task, id) below covers it
    user = pw.ForeignKeyField(User, backref="+", index=False)  # (user, client_update_id) covers it
    action = pw.CharField(max_length=16)  # create, progress, complete, edit, reassign, cancel
    previous_percentage = pw.IntegerField(null=True)
    new_percentage = pw.IntegerField()
    previous_status = pw.CharField(max_length=16, null=True)
    new_status = pw.CharField(max_length=16)
    notes = pw.TextField(default="")
    occupancy_status = pw.CharField(max_length=16, null=True)
    client_update_id = pw.CharField(max_length=64, null=True)
    client_timestamp = pw.CharField(max_length=64, null=True)
    request_fingerprint = pw.CharField(max_length=64, null=True)
    task_version = pw.IntegerField()
    created_at = pw.DateTimeField(default=utcnow)
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)

    class Meta:
        indexes = (
            (("user", "client_update_id"), True),
            (("task", "id"), False),
            (("created_at",), False),
        )


class Event(BaseModel):
    """The push log: id is the cursor. payload is the event JSON, serialized once at write time."""
    type = pw.CharField(max_length=32)
    # Read by id only (the fan-out decides visibility in memory): no index beyond the key.
    task = pw.ForeignKeyField(Task, null=True, backref="+", index=False)
    subject = pw.ForeignKeyField(User, null=True, backref="+", index=False)
    former_subject = pw.ForeignKeyField(User, null=True, backref="+", index=False)
    payload = pw.TextField()
    created_at = pw.DateTimeField(default=utcnow, index=True)


class OccupancyInterval(BaseModel):
    """One merged stretch of ACTIVE or IDLE for one employee; ended_at moves with each heartbeat."""
    user = pw.ForeignKeyField(User, backref="occupancy")
    status = pw.CharField(max_length=16)
    started_at = pw.DateTimeField()
    ended_at = pw.DateTimeField()
    closed = pw.BooleanField(default=False)

    class Meta:
        indexes = (
            (("user", "ended_at"), False),
            (("ended_at",), False),
        )


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    applied_at = pw.DateTimeField(default=utcnow)


# ---------------------------------------------------------------- connection

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


def read_snapshot():
    """A read transaction: every query inside sees one consistent state (no write lock taken)."""
    if is_postgres():
        return db.obj.transaction(isolation_level="REPEATABLE READ")
    return db.obj.transaction(lock_type="DEFERRED")


def ping():
    """True when the database answers. A dead connection is dropped and tried once afresh, so a
    restarted PostgreSQL is picked up again without restarting the server."""
    for _attempt in range(2):
        try:
            db.execute_sql("SELECT 1").fetchone()
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


def db_time(value):
    """A naive UTC datetime as the backend stores it (SQLite: text as peewee writes it)."""
    if value is None or is_postgres():
        return value
    return str(value)


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


# ---------------------------------------------------------------- migrations

SQLITE_AUDIT_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS task_progress_no_update BEFORE UPDATE ON task_progress
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS task_progress_no_delete BEFORE DELETE ON task_progress
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]

PG_AUDIT_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION task_progress_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS task_progress_no_change ON task_progress",
    """CREATE TRIGGER task_progress_no_change BEFORE UPDATE OR DELETE ON task_progress
       FOR EACH ROW EXECUTE FUNCTION task_progress_append_only()""",
    "DROP TRIGGER IF EXISTS task_progress_no_truncate ON task_progress",
    """CREATE TRIGGER task_progress_no_truncate BEFORE TRUNCATE ON task_progress
       FOR EACH STATEMENT EXECUTE FUNCTION task_progress_append_only()""",
]

def _migrate_1(database):
    """The first schema (frozen SQL) and the triggers that make the audit trail append-only."""
    from . import schema_v1
    for sql in schema_v1.statements("postgres" if is_postgres() else "sqlite"):
        database.execute_sql(sql)
    for sql in (PG_AUDIT_TRIGGERS if is_postgres() else SQLITE_AUDIT_TRIGGERS):
        database.execute_sql(sql)


def _migrate_2(database):
    """Time-range indexes: statistics, exports and event retention select by created_at."""
    database.execute_sql('CREATE INDEX IF NOT EXISTS "task_progress_created_at" '
                         'ON "task_progress" ("created_at")')
    database.execute_sql('CREATE INDEX IF NOT EXISTS "event_created_at" ON "event" ("created_at")')


UNUSED_INDEXES = ("event_task_id", "event_subject_id", "event_former_subject_id",
                  "task_progress_task_id", "task_progress_user_id")


def _migrate_4(database):
    """Drop indexes every audit and event insert paid for and no query uses: the event table is
    read by id only, and (task_id, id) and (user_id, client_update_id) cover the other two."""
    for name in UNUSED_INDEXES:
        database.execute_sql('DROP INDEX IF EXISTS "%s"' % name)


def _migrate_3(database):
    """Forecast pace and the stale flag on each task: columns with defaults, pace backfilled."""
    pg = is_postgres()
    double, false = ("DOUBLE PRECISION", "FALSE") if pg else ("REAL", "0")
    added = (("pace_gain", double + " NOT NULL DEFAULT 0"),
             ("pace_seconds", double + " NOT NULL DEFAULT 0"),
             ("stale", ("BOOLEAN" if pg else "INTEGER") + " NOT NULL DEFAULT " + false))
    for name, ddl in added:
        database.execute_sql('ALTER TABLE "task" ADD COLUMN "%s" %s' % (name, ddl))
    from ..services import forecast
    forecast.backfill()


MIGRATIONS = [
    (1, _migrate_1),
    (2, _migrate_2),
    (3, _migrate_3),
    (4, _migrate_4),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_version():
    if not db.table_exists("schema_version"):
        return 0
    row = SchemaVersion.select(pw.fn.MAX(SchemaVersion.version)).scalar()
    return row or 0


def migrate(target=None):
    """Bring the schema up to `target` (default: newest), one migration per transaction."""
    target = SCHEMA_VERSION if target is None else target
    with db.atomic():
        db.create_tables([SchemaVersion])
        if is_postgres():  # two processes starting together must not both migrate
            db.execute_sql("SELECT pg_advisory_xact_lock(727000)")
    for version, step in MIGRATIONS:
        if version > target:
            break
        with db.atomic():
            if is_postgres():
                db.execute_sql("SELECT pg_advisory_xact_lock(727000)")
            if current_version() >= version:
                continue
            log.info("migrating schema to version %d", version)
            step(db)
            SchemaVersion.create(version=version)
    return current_version()
