"""Tracked time and estimate accuracy per employee, for the statistics (the accuracy itself is
services/tasks/estimates.py: the task object's forecast reads it too)."""
from server.store.models import TimeEntry
from server.services.tasks.estimates import accuracy_by_user


def tracked_by_user(since, until):
    """{user_id: seconds} of finished, live entries clipped to [since, until)."""
    totals = {}
    query = TimeEntry.select(TimeEntry.user, TimeEntry.started_at, TimeEntry.ended_at).where(
        TimeEntry.deleted_at.is_null(), TimeEntry.ended_at.is_null(False),
        TimeEntry.started_at < until, TimeEntry.ended_at > since)
    for entry in query:
        seconds = (min(entry.ended_at, until) - max(entry.started_at, since)).total_seconds()
        totals[entry.user_id] = totals.get(entry.user_id, 0) + max(0, seconds)
    return totals


def add_to_rows(rows, since, until):
    """Each employee row gains tracked_hours (in the window), estimate_accuracy and the count."""
    tracked, accuracy = tracked_by_user(since, until), accuracy_by_user()
    for row in rows:
        ratio, count = accuracy.get(row["id"], (None, 0))
        row["tracked_hours"] = round(tracked.get(row["id"], 0) / 3600, 2)
        row["estimate_accuracy"], row["estimated_tasks_done"] = ratio, count
    return rows
