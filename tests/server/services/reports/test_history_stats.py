"""Statistics and the monitor's recent updates read what they show, and agree with the history."""
import datetime
import random
import shutil
import sqlite3
from pathlib import Path

from server.services.monitor import activity
from server.services.record import audit
from server.services.reports import statistics
from server.store import database as store, migrations
from server.store.database import db
from server.store.models import ProgressHour, TaskProgress
from support.db import new_task, people, progress

T0 = datetime.datetime(2026, 11, 2, 8, 0, 0)


def write_reports(user, task_id, count, rng):
    """`count` audit rows of random gains and drops at random times over six hours from T0."""
    level = 0
    with db.atomic():
        for _ in range(count):
            new = rng.randrange(0, 101)
            when = T0 + datetime.timedelta(seconds=rng.randrange(0, 6 * 3600), microseconds=rng.randrange(2))
            audit.append(task_id=task_id, user_id=user.id, action=rng.choice(("progress", "complete", "edit")),
                         previous_percentage=level, new_percentage=new, new_status="IN_PROGRESS",
                         task_version=1, created_at=when)
            level = new


def gained_by_reading_every_row(since, until):
    gained = {}
    for row in TaskProgress.select().where(TaskProgress.action.in_(("progress", "complete"))):
        delta = row.new_percentage - (row.previous_percentage or 0)
        if since <= row.created_at <= until and delta > 0:
            gained[row.user_id] = gained.get(row.user_id, 0) + delta
    return gained


def test_progress_gained_from_hours_equals_reading_every_row(database):
    """Windows cut hours anywhere, at a row's own time too: the hour sums never miss or double."""
    admin, ann, bob = people()
    rng = random.Random(7)
    for user in (ann, bob):
        write_reports(user, new_task(admin, user)["id"], 150, rng)
    times = [row.created_at for row in TaskProgress.select()]
    edges = [T0 - datetime.timedelta(minutes=5), T0 + datetime.timedelta(hours=7)] + rng.sample(times, 12)
    edges += [T0 + datetime.timedelta(hours=h) for h in (1, 2, 3)]
    for since in edges:
        for until in edges:
            if since <= until:
                assert statistics._progress_gained(since, until) == gained_by_reading_every_row(since, until)


def test_every_gain_lands_in_its_hour_in_the_write_transaction(database):
    admin, ann, _bob = people()
    task = new_task(admin, ann)
    progress(ann, task["id"], 30)
    progress(ann, task["id"], 10)   # a drop counts nothing
    progress(ann, task["id"], 45)
    hours = list(ProgressHour.select())
    assert sum(h.points for h in hours) == 65 and {h.user_id for h in hours} == {ann.id}


def test_recent_updates_are_each_tasks_newest_five(database):
    admin, ann, bob = people()
    busy, quiet = new_task(admin, ann), new_task(admin, bob)
    for percent in range(5, 60, 5):
        progress(ann, busy["id"], percent)
    recent = activity.recent_updates()
    assert [row["new_percentage"] for row in recent[busy["id"]]] == [55, 50, 45, 40, 35]
    assert [row["action"] for row in recent[quiet["id"]]] == ["create"]
    assert list(recent) == sorted(recent)


def test_upgrade_backfills_the_hours_from_an_existing_history(tmp_path):
    """A version-1 file's audit rows are summed by migration 8; nothing is read from services."""
    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parents[3] / "data" / "schema_v1.db", path)
    connection = store.open_database("sqlite:///%s" % path)
    connection.connect()
    try:
        migrations.migrate()
        far = datetime.datetime(2000, 1, 1), datetime.datetime(2100, 1, 1)
        assert statistics._progress_gained(*far) == gained_by_reading_every_row(*far) != {}
    finally:
        connection.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM progress_hour").fetchone()[0] > 0
