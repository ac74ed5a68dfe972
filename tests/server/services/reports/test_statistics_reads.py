"""The statistics read the database's own counts and one covering index of presence, and their
figures equal a recount of every row in Python (the reads they replaced)."""
import datetime
import random
import shutil
import sqlite3
from pathlib import Path

from server.services.tasks import forecast
from server.services.people import presence as occupancy
from server.services.reports import presence, statistics
from server.store import database as store, migrations
from server.store.database import db
from server.store.models import OccupancyInterval, Task, User
from support.db import new_task, people

T0 = datetime.datetime(2026, 11, 2, 8, 0, 0)


def random_presence(users, rng, count=120):
    """Intervals of a few minutes to ten hours, with microseconds, around a day from T0."""
    with db.atomic():
        for _ in range(count):
            start = T0 + datetime.timedelta(seconds=rng.uniform(-6 * 3600, 30 * 3600))
            OccupancyInterval.create(user=rng.choice(users), status=rng.choice(("ACTIVE", "IDLE")),
                                     started_at=start, closed=True,
                                     ended_at=start + datetime.timedelta(seconds=rng.uniform(1, 36000)))


def presence_by_clipping_every_interval(since, until, bucket_minutes=10):
    """({user: {status: s}}, [{ACTIVE, IDLE} per bucket]) from every interval, in datetimes."""
    size = datetime.timedelta(minutes=bucket_minutes)
    count = int((until - since) / size)
    by_user, buckets = {}, [{"ACTIVE": 0.0, "IDLE": 0.0} for _ in range(count)]
    for interval in OccupancyInterval.select():
        start, end = max(interval.started_at, since), min(interval.ended_at, until)
        if end <= start:
            continue
        per_user = by_user.setdefault(interval.user_id, {"ACTIVE": 0.0, "IDLE": 0.0})
        per_user[interval.status] += (end - start).total_seconds()
        for index in range(count):
            left, right = since + index * size, since + (index + 1) * size
            cut = (min(end, right) - max(start, left)).total_seconds()
            buckets[index][interval.status] += max(0.0, cut)
    return by_user, buckets


def rounded(by_user):
    return {user: {status: round(s) for status, s in row.items()} for user, row in by_user.items()}


def test_presence_equals_clipping_every_interval(database):
    rng = random.Random(12)
    random_presence(people()[1:], rng)
    windows = [(T0, T0 + datetime.timedelta(hours=24)),
               (T0 - datetime.timedelta(hours=2, seconds=7.25), T0 + datetime.timedelta(hours=5)),
               (T0 + datetime.timedelta(minutes=3), T0 + datetime.timedelta(minutes=63))]
    for since, until in windows:
        by_user, buckets = presence_by_clipping_every_interval(since, until)
        found = presence.Presence(since, until)
        assert rounded(found.by_user) == rounded(by_user) != {}
        assert [{k: round(v) for k, v in b.items()} for b in buckets] == [
            {"ACTIVE": b["ACTIVE"], "IDLE": b["IDLE"]} for b in found.timeline(10)]
        assert found.timeline(10)[0]["start"] == statistics.iso(since)


def counts_by_reading_every_task(now):
    """The statistics' task figures as they were computed before: every task in Python."""
    distribution = {status: 0 for status in statistics.STATUSES}
    buckets = {name: 0 for name in statistics.BUCKETS}
    per_user = {}
    for task in Task.select():
        distribution[task.status] += 1
        if task.status == "CANCELLED":
            continue
        buckets[statistics.bucket_of(task.progress_percentage)] += 1
        row = per_user.setdefault(task.assignee_id, statistics._no_tasks())
        row["assigned"] += 1
        row["done"] += task.status == "DONE"
        row["in_progress"] += task.status == "IN_PROGRESS"
        row["progress_sum"] += task.progress_percentage
        row["overdue"] += task.status in ("PENDING", "IN_PROGRESS") and task.due_date is not None \
            and task.due_date < now
        row["at_risk"] += forecast.for_task(task, now)[1]
    return distribution, buckets, per_user


def test_task_counts_equal_reading_every_task(database):
    admin, ann, bob = people()
    rng = random.Random(3)
    now = T0 + datetime.timedelta(days=2)
    for n in range(60):
        due = now + datetime.timedelta(hours=rng.randint(-48, 48)) if n % 3 else None
        task = new_task(admin, (ann, bob)[n % 2], due_date=due)
        progress = rng.choice((0, 10, 30, 55, 80, 100))
        status = "CANCELLED" if n % 11 == 0 else ("DONE" if progress == 100 else
                                                   "IN_PROGRESS" if progress else "PENDING")
        # A pace that forecasts some open tasks past their due date (at risk), some before.
        Task.update(progress_percentage=progress, status=status, pace_gain=rng.uniform(0.1, 5),
                    pace_seconds=3600.0, last_progress_update_at=now - datetime.timedelta(minutes=5),
                    completed_at=now if status == "DONE" else None).where(Task.id == task["id"]).execute()
    found = statistics._task_counts(now)
    assert found == counts_by_reading_every_task(now)
    assert sum(row["at_risk"] for row in found[2].values()) > 0
    assert sum(row["overdue"] for row in found[2].values()) > 0


def test_an_upgraded_file_reads_presence_from_the_window_index(tmp_path):
    """Migration 13 on an existing file: the covering index is built over the rows already there,
    the ended_at index it replaces is gone, and the figures equal the recount."""
    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parents[3] / "data" / "schema_v1.db", path)
    with sqlite3.connect(path) as conn:  # a version-1 history of presence, written as v1 wrote it
        (user_id,) = conn.execute("SELECT id FROM \"user\" WHERE username = 'ann'").fetchone()
        conn.executemany("INSERT INTO occupancy_interval (user_id, status, started_at, ended_at, closed) "
                         "VALUES (?, ?, ?, ?, 1)", [(user_id, ("ACTIVE", "IDLE")[n % 2],
                                                     str(T0 + datetime.timedelta(minutes=50 * n)),
                                                     str(T0 + datetime.timedelta(minutes=50 * n + 47)))
                                                    for n in range(30)])
    connection = store.open_database("sqlite:///%s" % path)
    connection.connect()
    try:
        migrations.migrate()
        since, until = datetime.datetime(2000, 1, 1), datetime.datetime(2100, 1, 1)
        plan = " ".join(row[-1] for row in db.execute_sql(
            "EXPLAIN QUERY PLAN " + presence.spans_statement(),
            (0, 0, str(since), str(until))).fetchall())
        assert "COVERING INDEX occupancy_interval_ended_at_started_at_user_id_status" in plan
        assert rounded(presence.Presence(since, until, 60 * 24 * 365).by_user) == rounded(
            presence_by_clipping_every_interval(since, until, 60 * 24 * 365)[0]) != {}
    finally:
        connection.close()
    with sqlite3.connect(path) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "occupancy_interval_ended_at_started_at_user_id_status" in names
    assert "occupancy_interval_ended_at" not in names


def employees_by_models(now, offline_after):
    """The people with their presence as the statistics read them before: models, one by one."""
    states = occupancy.current_all(now, offline_after)
    return [dict(occupancy.employee_dict(user, states.get(user.id, ("OFFLINE", None))[0]),
                 last_seen_at=statistics.iso(states.get(user.id, ("OFFLINE", None))[1]),
                 away_until=None)  # nobody is away in this test (tests/server/timesheets test it)
            for user in User.select().where(User.role == "EMPLOYEE", User.is_active == True)  # noqa: E712
            .order_by(User.full_name, User.username)]


def test_people_and_presence_equal_reading_them_as_models(database):
    _boss, ann, bob = people()
    with db.atomic():
        cid = User.create(username="cid", full_name="Cid", password_hash="x")  # never seen
        User.create(username="gone", full_name="Gone", password_hash="x", is_active=False)
        OccupancyInterval.create(user=ann, status="IDLE", started_at=T0,
                                 ended_at=T0 + datetime.timedelta(minutes=5))
        OccupancyInterval.create(user=bob, status="ACTIVE", started_at=T0, closed=True,
                                 ended_at=T0 + datetime.timedelta(minutes=9))
    for later in (10, 60, 600):
        now = T0 + datetime.timedelta(seconds=later)
        found = statistics.employees(now, 90)
        assert found == employees_by_models(now, 90)
        assert {e["id"] for e in found} == {ann.id, bob.id, cid.id}


def test_the_pages_escape_equals_tornados_for_every_kind_of_value():
    from tornado.escape import to_unicode, xhtml_escape
    from server.web.escape import escape
    for value in (b"12", b"0.25", b"Ann", "<b>".encode(), b"a & b", b"it's", b'"q"', "Zoë".encode(),
                  "<script>alert(1)</script>", b""):
        assert to_unicode(escape(value)) == xhtml_escape(value)
