"""Schema migrations, in order, one transaction each; the schema version table says where a database is."""
import datetime
import importlib
import logging
import math

import peewee as pw

from server.store.database import db, is_postgres, sql
from server.store.schema import v1 as schema_v1
from server.store.models import SchemaVersion

log = logging.getLogger("tracker.db")

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


def _dialect():
    return "postgres" if is_postgres() else "sqlite"


def _run_frozen(database, schema):
    """Run a frozen schema module's statements (server/store/schema/vN.py) for this backend."""
    for statement in schema.statements(_dialect()):
        database.execute_sql(statement)


def _migrate_1(database):
    """The first schema (frozen SQL) and the triggers that make the audit trail append-only."""
    _run_frozen(database, schema_v1)
    for trigger in (PG_AUDIT_TRIGGERS if is_postgres() else SQLITE_AUDIT_TRIGGERS):
        database.execute_sql(trigger)


def _migrate_2(database):
    """Time-range indexes: statistics, exports and event retention select by created_at."""
    database.execute_sql('CREATE INDEX IF NOT EXISTS "task_progress_created_at" '
                         'ON "task_progress" ("created_at")')
    database.execute_sql('CREATE INDEX IF NOT EXISTS "event_created_at" ON "event" ("created_at")')


# Migration 3's pace backfill, frozen as services/tasks/forecast.py computed it when the migration was
# written: what an upgrade writes must not change with later forecasts (nor import them).
V3_PAUSE_CAP = 2 * 3600
V3_TAU = 2 * 3600 / math.log(2)


def _v3_fold(gain, seconds, delta, gap):
    """The decayed pace after one more stretch of `gap` seconds that added `delta` points."""
    work = min(max(gap, 0.0), V3_PAUSE_CAP)
    decay = math.exp(-work / V3_TAU)
    weight = -V3_TAU * math.expm1(-work / V3_TAU)
    share = weight / work if work else 1.0
    return decay * gain + delta * share, decay * seconds + weight


def _v3_time(stored):
    return datetime.datetime.fromisoformat(stored) if isinstance(stored, str) else stored


def _v3_paces(database):
    """{task id: (gain, seconds, last report)} folded over the audit trail, oldest first."""
    paces = {task_id: (0.0, 0.0, _v3_time(created))
             for task_id, created in database.execute_sql("SELECT id, created_at FROM task")}
    reports = database.execute_sql(
        "SELECT task_id, previous_percentage, new_percentage, created_at FROM task_progress "
        "WHERE action IN ('progress', 'complete') ORDER BY id")
    for task_id, previous, new, created in reports:
        gain, seconds, last_at = paces[task_id]
        created = _v3_time(created)
        gain, seconds = _v3_fold(gain, seconds, new - (previous or 0),
                                 (created - last_at).total_seconds())
        paces[task_id] = (gain, seconds, created)
    return paces


def _migrate_3(database):
    """Forecast pace and the stale flag on each task: columns with defaults, pace backfilled."""
    pg = is_postgres()
    double, false = ("DOUBLE PRECISION", "FALSE") if pg else ("REAL", "0")
    added = (("pace_gain", double + " NOT NULL DEFAULT 0"),
             ("pace_seconds", double + " NOT NULL DEFAULT 0"),
             ("stale", ("BOOLEAN" if pg else "INTEGER") + " NOT NULL DEFAULT " + false))
    for name, ddl in added:
        database.execute_sql('ALTER TABLE "task" ADD COLUMN "%s" %s' % (name, ddl))
    for task_id, (gain, seconds, _last) in _v3_paces(database).items():
        if seconds:
            database.execute_sql(sql("UPDATE task SET pace_gain = ?, pace_seconds = ? WHERE id = ?"),
                                 (gain, seconds, task_id))


UNUSED_INDEXES = ("event_task_id", "event_subject_id", "event_former_subject_id",
                  "task_progress_task_id", "task_progress_user_id")


def _migrate_4(database):
    """Drop indexes every audit and event insert paid for and no query uses: the event table is
    read by id only, and (task_id, id) and (user_id, client_update_id) cover the other two."""
    for name in UNUSED_INDEXES:
        database.execute_sql('DROP INDEX IF EXISTS "%s"' % name)


def _migrate_5(database):
    """Webhook endpoints and their delivery outbox, calendar feeds, the app's generated keys."""
    from server.store.schema import v5 as schema_v5
    _run_frozen(database, schema_v5)


def _migrate_6(database):
    """The login throttle's failures, in the database so that every process counts them."""
    pk, ts = ("SERIAL", "TIMESTAMP") if is_postgres() else ("INTEGER", "DATETIME")
    database.execute_sql('CREATE TABLE IF NOT EXISTS "login_failure" ("id" %s NOT NULL PRIMARY KEY, '
                         '"key" VARCHAR(64) NOT NULL, "created_at" %s NOT NULL)' % (pk, ts))
    database.execute_sql('CREATE INDEX IF NOT EXISTS "login_failure_key_created_at" '
                         'ON "login_failure" ("key", "created_at")')


class Refused(Exception):
    """A migration that cannot run on this data; it changed nothing, and the message says what
    to fix before the server can start."""


def username_clashes(database):
    """[[username, ...]] of existing users whose names differ only in case."""
    rows = database.execute_sql(
        'SELECT lower(username), id, username FROM "user" WHERE lower(username) IN '
        '(SELECT lower(username) FROM "user" GROUP BY lower(username) HAVING COUNT(*) > 1) '
        'ORDER BY lower(username), id')
    groups = {}
    for folded, user_id, username in rows:
        groups.setdefault(folded, []).append("%s (id %d)" % (username, user_id))
    return list(groups.values())


def _migrate_7(database):
    """Usernames unique whatever their case (logins fold case). Existing users whose names clash
    stop the upgrade before it changes anything: which account keeps a name is a person's call."""
    clashes = username_clashes(database)
    if clashes:
        raise Refused(
            "cannot upgrade the schema to version 7: usernames must be unique whatever their "
            "case, and these differ only in case: %s. Rename all but one of each group (e.g. "
            "UPDATE \"user\" SET username = 'casey2' WHERE id = 7) and start the server again."
            % "; ".join(", ".join(group) for group in clashes))
    database.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "user_username_folded" '
                         'ON "user" (lower("username"))')


PROGRESS_HOUR_TABLE = (
    'CREATE TABLE IF NOT EXISTS "progress_hour" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "bucket" INTEGER NOT NULL, "points" INTEGER NOT NULL, '
    '"first_at" {ts} NOT NULL, "last_at" {ts} NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id"))')
V8_HOUR = {"sqlite": "CAST(strftime('%s', created_at) AS INTEGER) / 3600 * 3600",
           "postgres": "CAST(floor(extract(epoch FROM created_at) / 3600) AS INTEGER) * 3600"}


def _migrate_8(database):
    """Progress points per user and hour, backfilled from the audit trail in one statement: the
    statistics read a window's hours instead of every audit row inside it."""
    dialect = _dialect()
    database.execute_sql(PROGRESS_HOUR_TABLE.format(**schema_v1.TYPES[dialect]))
    database.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "progress_hour_bucket_user_id" '
                         'ON "progress_hour" ("bucket", "user_id")')
    hour = V8_HOUR[dialect]
    database.execute_sql(
        "INSERT INTO progress_hour (user_id, bucket, points, first_at, last_at) "
        "SELECT user_id, %s AS hour, SUM(new_percentage - COALESCE(previous_percentage, 0)), "
        "MIN(created_at), MAX(created_at) FROM task_progress "
        "WHERE action IN ('progress', 'complete') "
        "AND new_percentage > COALESCE(previous_percentage, 0) GROUP BY user_id, %s" % (hour, hour))


def _migrate_9(database):
    """Finish-to-start links between tasks (SPEC 10.2)."""
    from server.store.schema import v9 as schema_v9
    _run_frozen(database, schema_v9)


def _migrate_10(database):
    """Estimates and tracked time on tasks, and the time entries (section 10.3)."""
    from server.store.schema import v10 as schema_v10
    _run_frozen(database, schema_v10)


def _migrate_11(database):
    """Comments on tasks, each revision of their text, and the task's comment count."""
    from server.store.schema import v11 as schema_v11
    _run_frozen(database, schema_v11)


def _migrate_12(database):
    """Users' e-mail addresses, the mail outbox, and the marks of mails sent once (SPEC 10.4)."""
    from server.store.schema import v12 as schema_v12
    _run_frozen(database, schema_v12)


def _migrate_13(database):
    """Presence over a window read from one index: (ended_at, started_at, user_id, status) covers
    what the statistics read of each interval, so a week at a year's size (~10,000 intervals
    spread over the file) costs no table lookups. It replaces the ended_at index, its prefix."""
    database.execute_sql('CREATE INDEX IF NOT EXISTS "occupancy_interval_ended_at_started_at_user_id_status" '
                         'ON "occupancy_interval" ("ended_at", "started_at", "user_id", "status")')
    database.execute_sql('DROP INDEX IF EXISTS "occupancy_interval_ended_at"')


def _migrate_16(database):
    """Audit rows that erasure can redact without breaking the chain (salted digests of the
    notes, seals over the rows already written), paused presence, and the erasures done."""
    from server.store.schema import v16 as schema_v16
    dialect = _dialect()
    _run_frozen(database, schema_v16)
    for statement in schema_v16.DROP_TRIGGERS[dialect]:
        database.execute_sql(statement)
    schema_v16.backfill(database, database.param)
    for statement in schema_v16.CREATE_TRIGGERS[dialect]:
        database.execute_sql(statement)


def _frozen(version):
    """A migration that only runs version N's frozen SQL (store/schema/vN.py says what it adds):
    17 teams and memberships (SPEC 11.1), 18 timesheets and absences (11.5), 19 sign-in (11.2),
    20 SCIM Groups (11.2), 21 an employee's events by person (push/bus.py)."""
    def run(database):
        _run_frozen(database, importlib.import_module("server.store.schema.v%d" % version))
    return run


MIGRATIONS = [
    (1, _migrate_1),
    (2, _migrate_2),
    (3, _migrate_3),
    (4, _migrate_4),
    (5, _migrate_5),
    (6, _migrate_6),
    (7, _migrate_7),
    (8, _migrate_8),
    (9, _migrate_9),
    (10, _migrate_10),
    (11, _migrate_11),
    (12, _migrate_12),
    (13, _migrate_13),
    (16, _migrate_16),
    (17, _frozen(17)),
    (18, _frozen(18)),
    (19, _frozen(19)),
    (20, _frozen(20)),
    (21, _frozen(21)),
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
            try:
                step(db)
            except Refused as exc:
                log.error("%s", exc)
                raise
            SchemaVersion.create(version=version)
    return current_version()
