"""How far each person's estimates run: tracked ÷ estimated over their done tasks. The task object's
estimate-based forecast scales by it; the statistics show it (services/time/stats.py)."""
from server.store.models import Task

# Fewer finished, estimated tasks than this and a person's accuracy is not yet a measure.
MIN_ESTIMATED_TASKS = 1


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
