"""Rows made straight through the services on the `database` fixture, and a query counter."""
from server.services.tasks import tasks
from server.services.tasks.progress import record_progress
from server.store.database import db
from server.store.models import User


def people():
    with db.atomic():
        return (User.create(username="boss", role="ADMIN", password_hash="x"),
                User.create(username="ann", full_name="Ann", password_hash="x"),
                User.create(username="bob", full_name="Bob", password_hash="x"))


def new_task(admin, assignee, **extra):
    fields = {"title": "t", "description": "", "assignee_id": assignee.id, "project_id": None,
              "due_date": None, "priority": "MEDIUM"}
    fields.update(extra)
    with db.atomic():
        return tasks.create(admin, fields)


def progress(user, task_id, progress_percentage, key=None, complete=False, notes=""):
    fields = {"progress_percentage": 100 if complete else progress_percentage, "notes": notes,
              "occupancy_status": None, "client_update_id": key, "client_timestamp": None}
    with db.atomic():
        return record_progress(user, task_id, fields, complete=complete)


def count_queries(fn):
    """fn() and the number of SQL statements it ran (peewee's execute_sql, wrapped)."""
    seen, original = [], db.obj.execute_sql
    db.obj.execute_sql = lambda *args, **kwargs: seen.append(args[0]) or original(*args, **kwargs)
    try:
        return fn(), len(seen)
    finally:
        db.obj.execute_sql = original
