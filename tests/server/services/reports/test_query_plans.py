"""The admin's hot reads never scan a table that grows with history (EXPLAIN on both backends)."""
import re

from server.services.monitor import activity
from server.services.record import audit
from server.services.people import presence as occupancy, users
from server.services.reports import statistics
from server.services.tasks import tasks
from server.services.monitor import board
from server.store.database import db, is_postgres, sql
from server.store.times import utcnow
from support.db import new_task, people, progress

# Tables that grow with every day of use; a hot read reaches them only through an index.
GROWING = ("task_progress", "occupancy_interval", "progress_hour", "event")


def record(fn):
    """The SELECT statements (with their parameters) that fn() runs."""
    seen, original = [], db.obj.execute_sql

    def spy(statement, params=None, *args, **kwargs):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))
        return original(statement, params, *args, **kwargs)
    db.obj.execute_sql = spy
    try:
        fn()
    finally:
        db.obj.execute_sql = original
    return seen


def scans(statement, params, also=()):
    """The growing tables (plus `also`) the plan reads whole: a table scan, or an index read
    from end to end (SQLite's SCAN ... USING INDEX, PostgreSQL's index scan with no condition)."""
    tables = GROWING + tuple(also)
    if is_postgres():
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")  # only a missing index leaves a Seq Scan
            plan = db.execute_sql("EXPLAIN (FORMAT JSON) " + statement, params).fetchone()[0]
        return {node["Relation Name"] for node in nodes(plan[0]["Plan"])
                if node.get("Relation Name") in tables and whole(node)}
    plan = [r[-1] for r in db.execute_sql("EXPLAIN QUERY PLAN " + statement, params).fetchall()]
    names = {table: {table} | aliases(statement, table) for table in tables}
    return {table for table, known in names.items()
            for line in plan if re.match(r"SCAN (\w+)", line) and line.split()[1] in known}


def nodes(plan):
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def whole(node):
    return node["Node Type"] == "Seq Scan" or (
        node["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in node)


def aliases(statement, table):
    """The names a statement gives `table` (peewee writes "task_progress" AS "t1")."""
    found = re.findall(r'\b"?%s"?\s+(?:AS\s+)?"?(\w+)"?' % table, statement, re.IGNORECASE)
    return {name for name in found if name.upper() not in (
        "WHERE", "JOIN", "ON", "ORDER", "GROUP", "LIMIT", "INNER", "LEFT", "SET", "VALUES")}


def some_history():
    admin, ann, bob = people()
    for user in (ann, bob):
        task = new_task(admin, user)
        for percent in (10, 40, 100):
            progress(user, task["id"], percent)
        with db.atomic():
            occupancy.heartbeat(user, "ACTIVE")
    return admin, ann, task


def test_admin_reads_touch_growing_tables_only_through_indexes(database):
    _admin, _ann, task = some_history()
    reads = {
        "statistics 24 h": lambda: statistics.statistics(24),
        "statistics 7 days": lambda: statistics.statistics(168),
        "monitor recent updates": activity.recent_updates,
        "board's recent updates of touched tasks": lambda: activity.recent_updates(5, [task["id"]]),
        "monitor people and presence": lambda: statistics.employees(utcnow(), 90),
        "board's audit rows after its head": lambda: db.execute_sql(sql(board.AFTER_HEAD), (1,)).fetchall(),
        "presence of everyone": occupancy.current_all,
        "task history page": lambda: audit.history(task["id"], before=task["id"] + 50, limit=20),
        "task page chain check": lambda: audit.task_chain_intact(task["id"]),
        "users page": lambda: users.user_page("a", 10),
    }
    for name, read in reads.items():
        statements = record(read)
        assert statements, name
        for statement, params in statements:
            assert not scans(statement, params), "%s scans: %s" % (name, statement)


def test_the_employee_list_reads_only_the_callers_tasks(database):
    _admin, ann, _task = some_history()
    for view in ({}, {"include": "all"}, {"done_before": 99, "limit": 10}, {"status": "DONE"}):
        for statement, params in record(lambda: tasks.list_for_user(ann, view)):
            assert not scans(statement, params, also=("task",)), statement
    for statement, params in record(lambda: tasks.list_tag(ann)):
        assert not scans(statement, params, also=("task",)), statement
