"""Recent activity for the monitor: each task's newest audit rows, read through the (task, id) index."""
from server.store.database import db, is_postgres
from server.store.times import stored_iso
from server.services.sentences.audit_rows import sentence

COLUMNS = ("id", "task_id", "action", "previous_percentage", "new_percentage", "previous_status",
           "new_status", "notes", "occupancy_status", "client_update_id", "client_timestamp",
           "created_at", "hash")
ROW = ", ".join("tp." + name for name in COLUMNS) + ", u.id, u.username, u.full_name"

# Per task, one short backward range on the (task_id, id) index: the cost follows tasks x
# per_task, never the length of the history (a window function over the whole table grew with
# every update). The join order is forced: SQLite's CROSS JOIN and PostgreSQL's LATERAL.
RECENT = {
    "sqlite": "SELECT " + ROW + " FROM task t CROSS JOIN task_progress tp "
              'CROSS JOIN "user" u WHERE tp.task_id = t.id AND u.id = tp.user_id AND '
              "tp.id >= COALESCE((SELECT x.id FROM task_progress x WHERE x.task_id = t.id "
              "ORDER BY x.id DESC LIMIT 1 OFFSET ?), 0){and_ids} ORDER BY t.id, tp.id DESC",
    "postgres": "SELECT " + ROW + " FROM task t CROSS JOIN LATERAL (SELECT x.* FROM task_progress x "
                "WHERE x.task_id = t.id ORDER BY x.id DESC LIMIT %s) tp "
                'JOIN "user" u ON u.id = tp.user_id{where_ids} ORDER BY t.id, tp.id DESC',
}


def _update(row):
    """An audit row as audit.row_dict writes it, from a RECENT row (no model construction:
    the monitor reads thousands of them)."""
    update = dict(zip(COLUMNS, row))
    update["created_at"] = stored_iso(update["created_at"])
    user_id, username, full_name = row[len(COLUMNS):]
    update["user"] = {"id": user_id, "username": username, "full_name": full_name}
    update["text"] = sentence(update)
    update["words"] = update["text"].words()  # the same sentence, for the reader's language
    return update


def recent_updates(per_task=5, task_ids=None):
    """{task id: [audit row, newest first]} with at most `per_task` rows each, by task id; of
    every task, or of those in `task_ids` (the monitor's board re-reads the tasks it was told of)."""
    ids = "" if task_ids is None else "t.id IN (%s)" % ", ".join("%d" % int(i) for i in task_ids)
    if task_ids is not None and not task_ids:
        return {}
    if is_postgres():
        statement = RECENT["postgres"].format(where_ids=ids and " WHERE " + ids)  # a few, or all
        rows = db.execute_sql(statement, (per_task,)).fetchall()
    else:
        statement = RECENT["sqlite"].format(and_ids=ids and " AND " + ids)
        rows = db.execute_sql(statement, (per_task - 1,)).fetchall()
    result = {}
    for row in rows:
        result.setdefault(row[1], []).append(_update(row))
    return result
