"""Recent activity for the monitor: each task's newest audit rows, in one query."""
from peewee import fn

from ..store.models import TaskProgress, User
from . import audit


def recent_updates(per_task=5):
    """{task id: [audit row, newest first]} with at most `per_task` rows each, in one query."""
    rank = fn.ROW_NUMBER().over(partition_by=[TaskProgress.task],
                                order_by=[TaskProgress.id.desc()]).alias("rank")
    ranked = TaskProgress.select(TaskProgress.id, rank).alias("ranked")
    query = (TaskProgress.select(TaskProgress, User)
             .join(ranked, on=(ranked.c.id == TaskProgress.id))
             .join_from(TaskProgress, User, on=(TaskProgress.user == User.id))
             .where(ranked.c.rank <= per_task)
             .order_by(TaskProgress.task, TaskProgress.id.desc()))
    result = {}
    for row in query:
        result.setdefault(row.task_id, []).append(audit.row_dict(row))
    return result
