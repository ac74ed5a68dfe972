"""Recent activity for the monitor: each task's newest audit rows, read through the (task, id) index."""
from ..store.database import db, is_postgres
from ..store.models import TaskProgress, User
from . import audit

# Per task, one short backward range on the (task_id, id) index: the cost follows tasks x
# per_task, never the length of the history (a window function over the whole table grew with
# every update). The join order is forced: SQLite's CROSS JOIN and PostgreSQL's LATERAL.
RECENT = {
    "sqlite": "SELECT tp.id FROM task t CROSS JOIN task_progress tp WHERE tp.task_id = t.id AND "
              "tp.id >= COALESCE((SELECT x.id FROM task_progress x WHERE x.task_id = t.id "
              "ORDER BY x.id DESC LIMIT 1 OFFSET ?), 0)",
    "postgres": "SELECT tp.id FROM task t CROSS JOIN LATERAL (SELECT x.id FROM task_progress x "
                "WHERE x.task_id = t.id ORDER BY x.id DESC LIMIT %s) tp",
}


def recent_ids(per_task=5):
    """Ids of the newest `per_task` audit rows of every task."""
    if is_postgres():
        return [row[0] for row in db.execute_sql(RECENT["postgres"], (per_task,)).fetchall()]
    return [row[0] for row in db.execute_sql(RECENT["sqlite"], (per_task - 1,)).fetchall()]


def recent_updates(per_task=5):
    """{task id: [audit row, newest first]} with at most `per_task` rows each."""
    ids = recent_ids(per_task)
    result = {}
    for start in range(0, len(ids), 5000):  # bound the IN list (SQLite's variable limit)
        query = (TaskProgress.select(TaskProgress, User)
                 .join(User, on=(TaskProgress.user == User.id))
                 .where(TaskProgress.id.in_(ids[start:start + 5000])))
        for row in query:
            result.setdefault(row.task_id, []).append(audit.row_dict(row))
    for rows in result.values():
        rows.sort(key=lambda row: -row["id"])
    return dict(sorted(result.items()))
