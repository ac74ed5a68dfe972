"""The monitor's in-memory task list (server/push/board.py) against a real database: it answers
what a fresh read would, filters included, follows events, names and the clock, and reads only
what changed."""
import datetime
import json
import time

import pytest

from server import settings
from server.push import board as snapshot
from server.push.bus import Bus
from server.store.database import db
from server.store.models import User
from server.store.times import utcnow
from server.services import statistics
from support.db import count_queries
from support.db import new_task as create, people, progress


@pytest.fixture
def bus(database):
    bus = Bus(dict(settings.DEFAULTS, db="unused"))
    bus.load()
    return bus


def cached(cache, filters=None):
    entries, cursor = cache.select(filters or {})
    body = json.loads(snapshot.answer(entries, cursor, []))
    return body


def fresh(filters=None):
    body = statistics.admin_status(filters or {})
    body["employees"] = []
    return json.loads(json.dumps(body))


def without_forecasts(body):
    for task in body["tasks"]:
        task.pop("forecast_completion_at")  # derived from the moment of reading
    return body


def test_the_cached_list_answers_what_a_fresh_read_would(bus):
    boss, ann, bob = people()
    first = create(boss, ann, priority="URGENT")
    create(boss, bob, due_date=utcnow() - datetime.timedelta(hours=1))
    bus.refresh()
    cache = snapshot.TaskSnapshot(bus)
    assert without_forecasts(cached(cache)) == without_forecasts(fresh())
    progress(ann, first["id"], 40)
    bus.refresh()
    body = cached(cache)
    assert [t["progress_percentage"] for t in body["tasks"]] == [40, 0]
    assert without_forecasts(body) == without_forecasts(fresh())
    for filters in ({"status": "IN_PROGRESS"}, {"priority": "URGENT"}, {"employee": bob.id},
                    {"project": 12345}, {"status": "PENDING", "employee": bob.id}):
        assert without_forecasts(cached(cache, filters)) == without_forecasts(fresh(filters)), filters


def test_nothing_is_read_while_nothing_changed_and_only_the_changed_task_after(bus):
    boss, ann, _bob = people()
    tasks_made = [create(boss, ann) for _ in range(5)]
    bus.refresh()
    cache = snapshot.TaskSnapshot(bus)
    cache.select({})
    assert count_queries(lambda: cache.select({}))[1] == 0
    progress(ann, tasks_made[2]["id"], 10)
    bus.refresh()
    (entries, cursor), reads = count_queries(lambda: cache.select({}))
    assert reads == 1 and cursor == bus.last_id
    assert json.loads(entries[2].data)["progress_percentage"] == 10


def test_a_renamed_user_shows_after_invalidate(bus):
    boss, ann, _bob = people()
    create(boss, ann)
    bus.refresh()
    cache = snapshot.TaskSnapshot(bus)
    cached(cache)
    with db.atomic():
        User.update(full_name="Ann Renamed").where(User.id == ann.id).execute()
    cache.invalidate()
    assert cached(cache)["tasks"][0]["assignee"]["full_name"] == "Ann Renamed"


def test_a_due_date_passing_turns_the_task_overdue_without_an_event(bus):
    boss, ann, _bob = people()
    create(boss, ann, due_date=utcnow() + datetime.timedelta(seconds=1.5))
    bus.refresh()
    cache = snapshot.TaskSnapshot(bus)
    assert cached(cache)["summary"]["overdue"] == 0
    time.sleep(1.6)
    body = cached(cache)
    assert body["summary"]["overdue"] == 1 and body["tasks"][0]["is_overdue"] is True


def test_open_tasks_forecasts_are_refreshed_by_the_clock(bus):
    boss, ann, _bob = people()
    create(boss, ann)
    bus.refresh()
    clock = [1000.0]
    cache = snapshot.TaskSnapshot(bus, refresh=30, clock=lambda: clock[0])
    cache.select({})
    clock[0] += 10  # within the refresh window (at least 15 s): kept
    assert count_queries(lambda: cache.select({}))[1] == 0
    before = cache.entries[next(iter(cache.entries))]
    stamp = before.until
    clock[0] += 60
    cache.select({})
    assert before.until > stamp  # recomputed from the row it holds (no read needed)
