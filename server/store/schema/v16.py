"""Migration 16's schema, frozen as SQL and code: audit rows that can lose their personal text
without breaking the hash chain (docs/security.md, "Erasure"), paused presence, erasures.

Each audit row gains a salted digest of its notes. Rows written from now on hash the digest
instead of the text (hash_version 2); the rows already written keep their hash over the text and
gain a `seal`: a second chain over their digests that the new rows continue. Erasure may then
blank a row's notes and salt (the only UPDATE the triggers below allow); the digest, the hash and
the seal stay, so `verify-audit` still checks every other field of every row."""
import datetime
import hashlib
import json
import secrets

from server.store.schema.v1 import TYPES

GENESIS = "0" * 64
V1_FIELDS = ("id", "task_id", "user_id", "action", "previous_percentage", "new_percentage",
             "previous_status", "new_status", "notes", "occupancy_status", "client_update_id",
             "client_timestamp", "task_version", "created_at")

SQL = [
    'ALTER TABLE "task_progress" ADD COLUMN "hash_version" INTEGER NOT NULL DEFAULT 1',
    'ALTER TABLE "task_progress" ADD COLUMN "notes_salt" VARCHAR(64)',
    'ALTER TABLE "task_progress" ADD COLUMN "notes_digest" VARCHAR(64)',
    'ALTER TABLE "task_progress" ADD COLUMN "seal" VARCHAR(64)',
    'ALTER TABLE "task_progress" ADD COLUMN "redacted" {bool} NOT NULL DEFAULT {false}',
    'CREATE TABLE IF NOT EXISTS "presence_pause" ("user_id" INTEGER NOT NULL PRIMARY KEY, '
    '"started_at" {ts} NOT NULL, FOREIGN KEY ("user_id") REFERENCES "user" ("id"))',
    'CREATE TABLE IF NOT EXISTS "erasure" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "erased_at" {ts} NOT NULL, "redacted_rows" INTEGER NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "erasure_user_id" ON "erasure" ("user_id")',
]

# The one change the audit trail accepts: a redaction. Every column the chain covers stays; the
# notes (and the request's fingerprint) may be blanked or rewritten, the salt must go with them.
KEPT = ("id", "task_id", "user_id", "action", "previous_percentage", "new_percentage",
        "previous_status", "new_status", "occupancy_status", "client_update_id",
        "client_timestamp", "task_version", "created_at", "prev_hash", "hash", "hash_version",
        "notes_digest", "seal")
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER IF EXISTS task_progress_no_update"],
    "postgres": ["DROP TRIGGER IF EXISTS task_progress_no_change ON task_progress"],
}
SQLITE_UPDATE_TRIGGER = (
    "CREATE TRIGGER task_progress_no_update BEFORE UPDATE ON task_progress WHEN NOT ("
    "NEW.redacted = 1 AND NEW.notes_salt IS NULL AND (NEW.request_fingerprint IS NULL OR "
    "NEW.request_fingerprint IS OLD.request_fingerprint) AND %s) "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    % " AND ".join("NEW.%s IS OLD.%s" % (name, name) for name in KEPT))
PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION task_progress_append_only() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' AND NEW.redacted AND NEW.notes_salt IS NULL AND "
    "(NEW.request_fingerprint IS NULL OR NEW.request_fingerprint = OLD.request_fingerprint) AND "
    "ROW(%s) IS NOT DISTINCT FROM ROW(%s) THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION 'the audit trail is append-only'; END; $$ LANGUAGE plpgsql"
    % (", ".join("NEW.%s" % n for n in KEPT), ", ".join("OLD.%s" % n for n in KEPT)))
CREATE_TRIGGERS = {
    "sqlite": [SQLITE_UPDATE_TRIGGER],
    "postgres": [PG_FUNCTION,
                 "CREATE TRIGGER task_progress_no_change BEFORE UPDATE OR DELETE ON task_progress "
                 "FOR EACH ROW EXECUTE FUNCTION task_progress_append_only()"],
}


def statements(dialect):
    types = dict(TYPES[dialect], false="FALSE" if dialect == "postgres" else "0")
    return [sql.format(**types) for sql in SQL]


def digest(salt, notes):
    """The salted commitment to a row's notes (frozen: verify-audit recomputes exactly this)."""
    return hashlib.sha256((salt + "\n" + notes).encode("utf-8")).hexdigest()


def _time(value):
    value = datetime.datetime.fromisoformat(value) if isinstance(value, str) else value
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def sealed_canonical(fields, notes_digest):
    """A row's chained content with its notes replaced by their digest."""
    content = {name: fields[name] for name in V1_FIELDS if name != "notes"}
    content["created_at"] = _time(content["created_at"])
    content["notes_digest"] = notes_digest
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def seal(prev_link, row_hash, fields, notes_digest):
    """An old row's link in the chain that survives its notes: its hash and its sealed content."""
    material = (prev_link + "\n" + row_hash + "\n").encode("ascii")
    return hashlib.sha256(material + sealed_canonical(fields, notes_digest)).hexdigest()


def backfill(database, param):
    """Salt, digest and seal every row written before this migration, oldest first."""
    columns = ", ".join(V1_FIELDS + ("hash",))
    rows = database.execute_sql("SELECT %s FROM task_progress ORDER BY id" % columns).fetchall()
    update = ("UPDATE task_progress SET notes_salt = ?, notes_digest = ?, seal = ? WHERE id = ?"
              .replace("?", param))
    link, batch = GENESIS, []
    for row in rows:
        fields = dict(zip(V1_FIELDS, row))
        salt = secrets.token_hex(16)
        notes_digest = digest(salt, fields["notes"])
        link = seal(link, row[-1], fields, notes_digest)
        batch.append((salt, notes_digest, link, fields["id"]))
        if len(batch) >= 1000:
            database.cursor().executemany(update, batch)
            batch = []
    if batch:
        database.cursor().executemany(update, batch)
