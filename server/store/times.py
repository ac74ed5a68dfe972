"""Stored times: naive UTC in the database (both backends), ISO 8601 with offset on the way out."""
import datetime

from .database import is_postgres


def utcnow():
    """Naive UTC: what the database stores (both backends); output adds the offset."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def db_time(value):
    """A naive UTC datetime as the backend stores it (SQLite: text as peewee writes it)."""
    if value is None or is_postgres():
        return value
    return str(value)


def iso(value):
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="seconds")
