"""A bus observer: an erasure made by another process (`python -m server erase-user` beside a
SQLite server) reaches this one as its event; cached tokens and task objects are forgotten."""
import orjson

MARK = b'"username":"erased-'


def erasures(credentials_changed):
    """observer(items) for Bus.observers; `credentials_changed(user_id=, close=)` as Services'."""

    def observe(items):
        for item in items:
            if item.subject is None or MARK not in item.frame:  # bytes (data is a memoryview)
                continue
            event = orjson.loads(bytes(item.data))
            employee = event.get("employee") or {}
            if (event.get("type") == "occupancy.changed"
                    and employee.get("username") == "erased-%d" % item.subject):
                credentials_changed(user_id=item.subject, close=True)

    return observe
