"""A history generator for tests/bench/history.py: a valid hash chain written in bulk.

The bulk path writes what the services would have written, faster: users, tasks, audit rows
(each hashing its predecessor exactly as services/audit.append does, ids consecutive, times
increasing), the per-hour progress aggregate (the rule of audit._count_progress) and closed
presence intervals. `python -m server verify-audit` passes on the result."""
import datetime
import random

from peewee import fn

from server.services.record import audit
from server.services.record import seal
from server.store import database, migrations, models, times

BATCH = 2000


def time_at(start, span, i, count):
    """The i-th of `count` moments spread evenly over [start, start + span)."""
    return start + span * (i / count)


def people(count):
    rows = [{"username": "emp%05d" % i, "full_name": "Employee %d" % i, "password_hash": "x"}
            for i in range(count)]
    for start in range(0, count, BATCH):
        models.User.insert_many(rows[start:start + BATCH]).execute()
    return [u.id for u in models.User.select(models.User.id).where(models.User.role == "EMPLOYEE")]


def plan_reports(rng, task_count, rows):
    """(task index, previous %, new %) for `rows` progress reports over random tasks."""
    level, plan = [0] * task_count, []
    for _ in range(rows):
        i = rng.randrange(task_count)
        new = min(100, level[i] + rng.randint(1, 3)) if rng.random() > 0.1 else max(0, level[i] - 5)
        plan.append((i, level[i], new))
        level[i] = new
    return plan, level


def tasks(rng, admin_id, staff, levels, created):
    rows = [{"title": "History task %d" % i, "description": "", "assignee": staff[i % len(staff)],
             "created_by": admin_id, "priority": ("LOW", "MEDIUM", "HIGH", "URGENT")[i % 4],
             "status": "DONE" if p == 100 else ("IN_PROGRESS" if p else "PENDING"),
             "progress_percentage": p, "created_at": created, "updated_at": created,
             "version": 1} for i, p in enumerate(levels)]
    for start in range(0, len(rows), BATCH):
        models.Task.insert_many(rows[start:start + BATCH]).execute()
    return [t.id for t in models.Task.select(models.Task.id).order_by(models.Task.id)]


class Chain:
    """Appends audit rows in batches, hashing as audit.append does, and sums the hours."""

    def __init__(self):
        head = database.db.execute_sql("SELECT id, COALESCE(seal, hash) FROM task_progress "
                                       "ORDER BY id DESC LIMIT 1").fetchone()
        self.head_id, self.prev = head if head else (0, audit.GENESIS)
        self.pending, self.hours = [], {}

    def add(self, **content):
        content["id"] = self.head_id + 1
        for name in ("previous_percentage", "previous_status", "occupancy_status", "client_update_id",
                     "client_timestamp"):
            content.setdefault(name, None)
        content.setdefault("notes", "")
        salt, notes_digest = seal.commit(content["notes"])  # as audit.append: hash version 2
        digest = seal.hash_v2(self.prev, content, notes_digest)
        self.pending.append(dict(content, prev_hash=self.prev, hash=digest, request_fingerprint=None,
                                 hash_version=2, notes_salt=salt, notes_digest=notes_digest))
        self.head_id, self.prev = content["id"], digest
        gain = content["new_percentage"] - (content["previous_percentage"] or 0)
        if content["action"] == "progress" and gain > 0:
            key = (content["user_id"], audit.hour_of(content["created_at"]))
            points, first, _last = self.hours.get(key, (0, content["created_at"], None))
            self.hours[key] = (points + gain, first, content["created_at"])
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self):
        if self.pending:
            models.TaskProgress.insert_many(self.pending).execute()
        self.pending = []

    def finish(self):
        self.flush()
        rows = [{"user": u, "bucket": b, "points": p, "first_at": f, "last_at": last}
                for (u, b), (p, f, last) in self.hours.items()]
        for start in range(0, len(rows), BATCH):
            models.ProgressHour.insert_many(rows[start:start + BATCH]).execute()


def presence(rng, staff, count, start, span):
    """`count` closed ACTIVE/IDLE intervals, each person's back to back over the span."""
    per, rows = max(1, count // len(staff)), []
    for user_id in staff:
        step = span / per
        for k in range(per):
            begin = start + step * k
            rows.append({"user": user_id, "status": ("ACTIVE", "IDLE")[k % 2 or rng.random() < 0.2],
                         "started_at": begin, "ended_at": begin + step * 0.9, "closed": True})
            if len(rows) >= BATCH:
                models.OccupancyInterval.insert_many(rows).execute()
                rows = []
    if rows:
        models.OccupancyInterval.insert_many(rows).execute()


def build(db_url, employees, task_count, rows, intervals, days, seed=1):
    """Fill a database (its owner already made) with `rows` audit rows over the last `days`."""
    rng = random.Random(seed)
    database.open_database(db_url)
    migrations.migrate()
    now = times.utcnow()
    start, span = now - datetime.timedelta(days=days), datetime.timedelta(days=days)
    with database.db.atomic():
        admin_id = models.User.get(models.User.role == "OWNER").id
        staff = people(employees)
        plan, levels = plan_reports(rng, task_count, rows - task_count)
        ids = tasks(rng, admin_id, staff, levels, start)
        chain = Chain()
        for task_id in ids:
            chain.add(task_id=task_id, user_id=admin_id, action="create", new_percentage=0,
                      new_status="PENDING", task_version=1, created_at=start)
        for n, (i, before, after) in enumerate(plan):
            chain.add(task_id=ids[i], user_id=staff[i % len(staff)], action="progress",
                      previous_percentage=before, new_percentage=after, new_status="IN_PROGRESS",
                      task_version=1, created_at=time_at(start, span, n + 1, len(plan) + 1))
        chain.finish()
        presence(rng, staff, intervals, start, span)
    database.db.close()
    return ids


def task_ids(db_url):
    """The task ids of a database built earlier, in id order."""
    database.open_database(db_url)
    try:
        return [t.id for t in models.Task.select(models.Task.id).order_by(models.Task.id)]
    finally:
        database.db.close()


def busiest_task(db_url):
    """(task id, audit rows) of the task with the most audit rows: the longest trail to page."""
    database.open_database(db_url)
    try:
        rows = fn.COUNT(models.TaskProgress.id)
        found = (models.TaskProgress.select(models.TaskProgress.task, rows.alias("rows"))
                 .group_by(models.TaskProgress.task).order_by(rows.desc()).limit(1).get())
        return found.task_id, found.rows
    finally:
        database.db.close()
