"""How the audit chain commits to personal text through values that survive its removal.

A row's notes are committed by a salted digest, sha256(salt + "\\n" + notes). Rows of hash
version 2 hash their fields with that digest in place of the notes; rows written before
migration 16 (version 1) keep their hash over the text and carry a seal, a chain over their
digests that the version 2 rows continue. Erasure blanks the notes and the salt and marks the row
redacted: the digest, hash and seal stay, so every other field stays checked. docs/security.md."""
import hashlib
import json
import secrets

from server.store.times import micro_iso

GENESIS = "0" * 64
CHAINED = ("id", "task_id", "user_id", "action", "previous_percentage", "new_percentage",
           "previous_status", "new_status", "occupancy_status", "client_update_id",
           "client_timestamp", "task_version", "created_at")


def commit(notes):
    """(salt, digest) for a new row's notes."""
    salt = secrets.token_hex(16)
    return salt, digest(salt, notes)


def digest(salt, notes):
    return hashlib.sha256((salt + "\n" + notes).encode("utf-8")).hexdigest()


def sealed_canonical(content, notes_digest):
    """The bytes a version 2 hash (and a version 1 seal) covers: the chained fields, the notes'
    digest instead of the notes, as sorted, compact, ASCII JSON."""
    fields = {name: content[name] for name in CHAINED}
    fields["created_at"] = micro_iso(fields["created_at"])
    fields["notes_digest"] = notes_digest
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def hash_v2(prev_link, content, notes_digest):
    return hashlib.sha256(prev_link.encode("ascii") + b"\n"
                          + sealed_canonical(content, notes_digest)).hexdigest()


def seal_of(prev_link, row):
    """A version 1 row's seal (schema_v16.seal, recomputed from the model row)."""
    material = (prev_link + "\n" + row.hash + "\n").encode("ascii")
    return hashlib.sha256(material + sealed_canonical(_content(row), row.notes_digest)).hexdigest()


def link(row):
    """What the next row chains to: a version 1 row's seal, a version 2 row's hash."""
    return row.seal if row.hash_version == 1 else row.hash


def _content(row):
    return {name: getattr(row, name) for name in CHAINED}


def check(row, prev, v1_hash):
    """Why `row` breaks the chain after `prev` (None for the first row), or None when it holds.
    `v1_hash(prev_hash, row)` recomputes a version 1 row's hash over its text."""
    prev_link = GENESIS if prev is None else link(prev)
    if row.hash_version == 1:
        if row.prev_hash != (GENESIS if prev is None else prev.hash):
            return "its prev_hash does not match the row before it"
        if not row.redacted and v1_hash(row.prev_hash, row) != row.hash:
            return "its content does not match its hash"
        if row.seal != seal_of(prev_link, row):
            return "its content does not match its seal"
    else:
        if row.prev_hash != prev_link:
            return "its prev_hash does not match the row before it"
        if hash_v2(row.prev_hash, _content(row), row.notes_digest) != row.hash:
            return "its content does not match its hash"
    if row.redacted:
        return None if row.notes_salt is None else "it is marked redacted but keeps its salt"
    if row.notes_salt is None or digest(row.notes_salt, row.notes) != row.notes_digest:
        return "its notes do not match their digest"
    return None
