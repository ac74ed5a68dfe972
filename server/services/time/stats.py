"""Tracked time and estimate accuracy per employee, for the statistics and the forecast."""
from server.store.models import Task, TimeEntry

# Fewer finished, estimated tasks than this and a person's accuracy is not yet a measure.
MIN_ESTIMATED_TASKS = 1


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


def accuracy_by_user():
    """{user_id: (tracked ÷ estimated, tasks)} over each person's done tasks that have both an
    estimate and tracked time: 1.0 is on estimate, 1.5 took half as long again."""
    sums = {}
    query = Task.select(Task.assignee, Task.estimate_minutes, Task.tracked_seconds).where(
        Task.status == "DONE", Task.estimate_minutes > 0, Task.tracked_seconds > 0)
    for task in query:
        tracked, estimated, count = sums.get(task.assignee_id, (0, 0, 0))
        sums[task.assignee_id] = (tracked + task.tracked_seconds / 60,
                                  estimated + task.estimate_minutes, count + 1)
    return {user_id: (round(tracked / estimated, 2), count)
            for user_id, (tracked, estimated, count) in sums.items()
            if count >= MIN_ESTIMATED_TASKS}


def add_to_rows(rows, since, until):
    """Each employee row gains tracked_hours (in the window), estimate_accuracy and the count."""
    tracked, accuracy = tracked_by_user(since, until), accuracy_by_user()
    for row in rows:
        ratio, count = accuracy.get(row["id"], (None, 0))
        row["tracked_hours"] = round(tracked.get(row["id"], 0) / 3600, 2)
        row["estimate_accuracy"], row["estimated_tasks_done"] = ratio, count
    return rows
