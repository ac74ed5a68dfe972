"""A past for a test's tasks: entries may start no earlier than their task was created, so a test
that records last week's hours moves its task's creation back first (a row written straight into
the server's database, as an import of older data would)."""
import datetime
import sqlite3


def backdate_task(server, task_id, days=14):
    """Make the task `days` older; returns the new creation time (naive UTC)."""
    when = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(days=days)
    if server.db_url.startswith("postgresql"):
        import psycopg
        with psycopg.connect(server.db_url) as connection:
            connection.execute("UPDATE task SET created_at = %s WHERE id = %s", (when, task_id))
        return when
    with sqlite3.connect(server.db_url[len("sqlite:///"):], timeout=30) as connection:
        connection.execute("UPDATE task SET created_at = ? WHERE id = ?",
                           (when.isoformat(" "), task_id))
    return when
