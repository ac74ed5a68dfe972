"""Stored times: naive UTC in the database (both backends), ISO 8601 with offset on the way out."""
import datetime

from server.store.database import is_postgres


def utcnow():
    """Naive UTC: what the database stores (both backends); output adds the offset."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def db_time(value):
    """A naive UTC datetime as the backend stores it (SQLite: text as peewee writes it)."""
    if value is None or is_postgres():
        return value
    return str(value)


def as_time(stored):
    """A stored time as a naive UTC datetime: SQLite hands back text, PostgreSQL a datetime."""
    return datetime.datetime.fromisoformat(stored) if isinstance(stored, str) else stored


def unix_time(stored):
    """A stored naive UTC time (text or datetime) as a Unix time."""
    return as_time(stored).replace(tzinfo=datetime.timezone.utc).timestamp()


def iso(value):
    """A datetime as ISO 8601 UTC to the second; naive means UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="seconds")


def stored_iso(stored):
    """A stored time as ISO 8601 UTC; SQLite's text is cut up rather than parsed (hot path)."""
    if stored is None:
        return None
    if isinstance(stored, str):
        return stored[:10] + "T" + stored[11:19] + "+00:00"
    return iso(stored)


def micro_iso(value):
    """A naive datetime to the microsecond, the form the audit rows' hashes were computed over."""
    # Byte for byte strftime("%Y-%m-%dT%H:%M:%S.%f"), which hashed the rows already written.
    return value.isoformat(timespec="microseconds") if value is not None else None
