"""The audit trail: appends serialized under one lock, each row hashing its predecessor and itself."""
import hashlib
import json
import types

from server.store.database import db, is_postgres, sql
from server.store.models import TaskProgress, User
from server.store import txn
from server.store.times import db_time, iso, micro_iso, unix_time, utcnow
from server.store.models import AUDIT_ACTIONS
from server.services.sentences.audit_rows import sentence
from server.services.record import seal

GENESIS = "0" * 64
CHAIN_LOCK_KEY = 727001
HASHED_FIELDS = ("id", "task_id", "user_id", "action", "previous_percentage", "new_percentage",
                 "previous_status", "new_status", "notes", "occupancy_status", "client_update_id",
                 "client_timestamp", "task_version", "created_at")


def lock_chain():
    """Serialize appends across processes (held to the end of the transaction, so taken once per
    writer group). SQLite writers already hold the database write lock."""
    scope = txn.current()
    if scope is not None and "locked" in scope.facts:
        return
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK_KEY,))
    if scope is not None:
        scope.facts["locked"] = True


def canonical(content):
    """The bytes a row's hash covers: its fields as sorted, compact, ASCII JSON."""
    fields = {name: content[name] for name in HASHED_FIELDS}
    fields["created_at"] = micro_iso(fields["created_at"])
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def row_hash(prev_hash, content):
    """A version 1 row's hash, over its notes' text (rows written before migration 16)."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(content)).hexdigest()


def append(**content):
    """Write one audit row at the head of the chain; the caller's transaction holds the lock."""
    if content["action"] not in AUDIT_ACTIONS:  # a kind without a sentence people can read
        raise ValueError("audit action %r is not in store.models.AUDIT_ACTIONS" % content["action"])
    lock_chain()
    scope = txn.current()
    head = scope.facts.get("audit_head") if scope is not None else None
    if head is None:  # once per writer group: under the lock, nobody else moves the head
        head = db.execute_sql("SELECT id, COALESCE(seal, hash) FROM task_progress "
                              "ORDER BY id DESC LIMIT 1").fetchone()
    head_id, prev_hash = head if head else (0, GENESIS)
    content["id"] = head_id + 1
    content.setdefault("created_at", utcnow())
    for name in ("previous_percentage", "previous_status", "occupancy_status", "client_update_id",
                 "client_timestamp"):
        content.setdefault(name, None)
    content.setdefault("notes", "")
    salt, notes_digest = seal.commit(content["notes"])
    values = dict(content, prev_hash=prev_hash, hash=seal.hash_v2(prev_hash, content, notes_digest),
                  hash_version=2, notes_salt=salt, notes_digest=notes_digest, redacted=False)
    values.setdefault("request_fingerprint", None)
    names = tuple(sorted(values))
    db.execute_sql(_insert(names), [db_time(values[n]) if n == "created_at" else values[n] for n in names])
    if scope is not None:
        scope.facts["audit_head"] = (values["id"], values["hash"])
    _count_progress(values)
    return types.SimpleNamespace(**values)  # the row's fields, without a model's construction cost


HOUR = 3600
# One statement for both backends: an upsert is atomic, and the chain lock orders the writers.
ADD_TO_HOUR = (
    "INSERT INTO progress_hour (user_id, bucket, points, first_at, last_at) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (bucket, user_id) DO UPDATE SET points = progress_hour.points + excluded.points, "
    "first_at = CASE WHEN excluded.first_at < progress_hour.first_at "
    "THEN excluded.first_at ELSE progress_hour.first_at END, "
    "last_at = CASE WHEN excluded.last_at > progress_hour.last_at "
    "THEN excluded.last_at ELSE progress_hour.last_at END")


def hour_of(created_at):
    """The start (Unix seconds) of the hour a naive UTC time falls in."""
    return int(unix_time(created_at)) // HOUR * HOUR


def _count_progress(values):
    """Add a report's gain to its author's hour (statistics.progress_gained reads these)."""
    gain = values["new_percentage"] - (values["previous_percentage"] or 0)
    if values["action"] not in ("progress", "complete") or gain <= 0:
        return
    at = db_time(values["created_at"])
    db.execute_sql(sql(ADD_TO_HOUR), (values["user_id"], hour_of(values["created_at"]), gain, at, at))  # the row's fields, without a model's construction cost


_INSERTS = {}


def _insert(names):
    """The INSERT for these columns, built once per column set and placeholder style."""
    key = (names, db.obj.param)
    statement = _INSERTS.get(key)
    if statement is None:
        statement = _INSERTS[key] = sql('INSERT INTO task_progress (%s) VALUES (%s)' % (
            ", ".join(names), ", ".join("?" * len(names))))
    return statement


def _content(row):
    return {name: getattr(row, name) for name in HASHED_FIELDS}


def _v1_hash(prev_hash, row):
    return row_hash(prev_hash, _content(row))


def verify(batch=2000):
    """Recompute the chain from the first row: (True, count, None, None) or (False, count, id, why)."""
    return verify_counting(batch)[:4]


def verify_counting(batch=2000):
    """verify(), and how many rows erasure redacted: (ok, count, bad id, why, redacted)."""
    prev, expected_id, count, redacted = None, 1, 0, 0
    query = TaskProgress.select().order_by(TaskProgress.id)
    for row in query.iterator():
        count += 1
        if row.id != expected_id:
            return False, count, row.id, "row %d is missing before it" % expected_id, redacted
        why = seal.check(row, prev, _v1_hash)
        if why is not None:
            return False, count, row.id, why, redacted
        redacted += bool(row.redacted)
        prev, expected_id = row, row.id + 1
    return True, count, None, None, redacted


def task_chain_intact(task_id, newest=100, before=None):
    """Check the task's newest rows (below `before`: those its page shows) against their stored
    hashes and their predecessors; `python -m server verify-audit` checks the whole chain."""
    query = TaskProgress.select().where(TaskProgress.task == task_id)
    if before is not None:
        query = query.where(TaskProgress.id < before)
    rows = list(query.order_by(TaskProgress.id.desc()).limit(newest))
    prev_ids = [r.id - 1 for r in rows if r.id > 1]
    prevs = {r.id: r for r in TaskProgress.select(
        TaskProgress.id, TaskProgress.hash, TaskProgress.seal, TaskProgress.hash_version)
        .where(TaskProgress.id.in_(prev_ids))} if prev_ids else {}
    for row in rows:
        prev = None if row.id == 1 else prevs.get(row.id - 1)
        if (row.id > 1 and prev is None) or seal.check(row, prev, _v1_hash) is not None:
            return False
    return True


def user_brief(user):
    return {"id": user.id, "username": user.username, "full_name": user.full_name}


def row_dict(row, user=None):
    """The row as the API sends it, with `text`: the row in words."""
    user = user or row.user
    found = {
        "id": row.id,
        "task_id": row.task_id,
        "user": user_brief(user),
        "action": row.action,
        "previous_percentage": row.previous_percentage,
        "new_percentage": row.new_percentage,
        "previous_status": row.previous_status,
        "new_status": row.new_status,
        "notes": row.notes,
        "occupancy_status": row.occupancy_status,
        "client_update_id": row.client_update_id,
        "client_timestamp": row.client_timestamp,
        "created_at": iso(row.created_at),
        "hash": row.hash,
    }
    found["text"] = sentence(found)
    found["words"] = found["text"].words()  # the same sentence, for the reader's language
    return found


def history(task_id, before=None, limit=100):
    """(audit rows of one task, newest first, below `before`; the next cursor or None). The
    (task_id, id) index bounds the read by the page, however long the task's history is."""
    query = (TaskProgress.select(TaskProgress, User).join(User, on=(TaskProgress.user == User.id))
             .where(TaskProgress.task == task_id).order_by(TaskProgress.id.desc()).limit(limit + 1))
    if before is not None:
        query = query.where(TaskProgress.id < before)
    rows = [row_dict(row) for row in query]
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], rows[limit - 1]["id"]
