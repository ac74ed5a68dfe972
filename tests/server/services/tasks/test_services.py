"""The rules without HTTP, on SQLite and on the real PostgreSQL."""
import datetime

import pytest

from server.store.database import db, is_postgres
from server.store.models import Event, OccupancyInterval, Task, TaskProgress
from server.store.times import utcnow
from server.services.record import eventlog
from server.services.people import presence as occupancy
from server.services.tasks import view as task_view, tasks
from server.services.reports.presence import Presence
from server.services.core.errors import Conflict, Forbidden, IdempotencyMismatch, NotFound
from support.db import count_queries, new_task, people, progress


@pytest.mark.parametrize("pct,status", [(0, "PENDING"), (1, "IN_PROGRESS"), (99, "IN_PROGRESS"),
                                        (100, "DONE")])
def test_status_is_derived_from_progress(pct, status):
    assert task_view.status_for(pct) == status


def test_progress_sets_status_completion_and_version(database):
    admin, ann, _bob = people()
    task = new_task(admin, ann)
    answer, replayed = progress(ann, task["id"], 100)
    assert not replayed and answer["task_status"] == "DONE" and answer["version"] == 2
    done = Task.get_by_id(task["id"])
    assert done.completed_at is not None and done.last_progress_updated_by_id == ann.id
    progress(ann, task["id"], 40)
    reopened = Task.get_by_id(task["id"])
    assert reopened.status == "IN_PROGRESS" and reopened.completed_at is None and reopened.version == 3


def test_every_change_writes_one_event_in_order(database):
    admin, ann, bob = people()
    task = new_task(admin, ann)
    progress(ann, task["id"], 30)
    with db.atomic():
        tasks.edit(admin, task["id"], {"assignee_id": bob.id})
    events = list(Event.select().order_by(Event.id))
    assert [e.type for e in events] == ["task.created", "task.updated", "task.changed"]
    assert [e.id for e in events] == [1, 2, 3] and eventlog.latest_id() == 3
    reassigned = events[-1]
    assert (reassigned.subject_id, reassigned.former_subject_id) == (bob.id, ann.id)
    assert eventlog.visible_to(reassigned, ann.id, False) and eventlog.visible_to(reassigned, bob.id, False)
    assert not eventlog.visible_to(events[0], bob.id, False)
    assert eventlog.visible_to(events[0], admin.id, True)
    assert [e.id for e in eventlog.load_after(1)] == [2, 3]


def test_cancel_refuses_progress_and_a_second_cancel(database):
    admin, ann, _bob = people()
    task = new_task(admin, ann)
    with db.atomic():
        cancelled = tasks.edit(admin, task["id"], {"status": "CANCELLED"})
    assert cancelled["status"] == "CANCELLED"
    with pytest.raises(Conflict):
        progress(ann, task["id"], 10)
    with pytest.raises(Conflict):
        with db.atomic():
            tasks.edit(admin, task["id"], {"status": "CANCELLED"})
    assert TaskProgress.select().where(TaskProgress.task == task["id"]).count() == 2


def test_only_the_assignee_reports_progress(database):
    admin, ann, bob = people()
    task = new_task(admin, ann)
    with pytest.raises(Forbidden):
        progress(bob, task["id"], 10)
    with pytest.raises(Forbidden):  # to an employee a missing task is "not yours" too
        progress(ann, 424242, 10)
    with pytest.raises(NotFound):  # an admin sees every task, so learns it does not exist
        progress(admin, 424242, 10)


def test_idempotent_replay_and_mismatch(database):
    admin, ann, _bob = people()
    task = new_task(admin, ann)
    first, replayed = progress(ann, task["id"], 20, key="k")
    again, replayed_again = progress(ann, task["id"], 20, key="k")
    assert (replayed, replayed_again) == (False, True) and again == first
    with pytest.raises(IdempotencyMismatch):
        progress(ann, task["id"], 25, key="k")
    assert TaskProgress.select().where(TaskProgress.client_update_id == "k").count() == 1


def test_overdue_reads_a_stored_due_date_as_text_or_datetime_alike():
    """SQLite hands due dates back as text, PostgreSQL as datetimes: one rule, one answer."""
    now = datetime.datetime(2026, 11, 2, 9, 0, 0, 500000)
    for due in (now - datetime.timedelta(microseconds=1), now, now + datetime.timedelta(seconds=1),
                now.replace(microsecond=0), datetime.datetime(2026, 11, 2, 9, 0, 1)):
        expected = due < now
        assert task_view.is_overdue("IN_PROGRESS", due, now) is expected
        assert task_view.is_overdue("IN_PROGRESS", str(due), now) is expected
    assert not task_view.is_overdue("DONE", now.replace(year=2020), now)
    assert not task_view.is_overdue("PENDING", None, now)


def test_a_progress_report_and_its_replay_run_a_fixed_few_statements(database):
    """The hot path reads the task once and writes task, audit row and event; no model layer."""
    admin, ann, _bob = people()
    task = new_task(admin, ann)
    counts = [count_queries(lambda: progress(ann, task["id"], 10))[1],
              count_queries(lambda: progress(ann, task["id"], 20, key="k"))[1],
              count_queries(lambda: progress(ann, task["id"], 20, key="k"))[1]]
    # PostgreSQL adds the chain lock (taken by each step outside the writer's scope) and NOTIFY;
    # each event also writes its webhook outbox rows (one INSERT ... SELECT, however many endpoints);
    # a gain adds its points to the author's hour (progress_hour, read by the statistics).
    # one read finds the links on either side of the task (dependencies: its object, its dependents).
    assert counts == ([13, 13, 3] if is_postgres() else [9, 9, 2])


def test_overdue(database):
    admin, ann, _bob = people()
    past = utcnow() - datetime.timedelta(days=1)
    task = new_task(admin, ann, due_date=past)
    assert task["is_overdue"] is True
    progress(ann, task["id"], 100)
    assert tasks.load(task["id"])["is_overdue"] is False


def beat(user, status, at, idle=None):
    with db.atomic():
        return occupancy.heartbeat(user, status, idle, now=at)


def test_heartbeats_merge_into_intervals(database):
    _admin, ann, _bob = people()
    t0 = utcnow().replace(microsecond=0) - datetime.timedelta(minutes=30)
    for second in range(0, 300, 30):
        beat(ann, "ACTIVE", t0 + datetime.timedelta(seconds=second))
    intervals = list(OccupancyInterval.select())
    assert len(intervals) == 1
    assert (intervals[0].status, intervals[0].started_at, intervals[0].ended_at) == (
        "ACTIVE", t0, t0 + datetime.timedelta(seconds=270))
    assert Event.select().where(Event.type == "occupancy.changed").count() == 1


def test_idle_is_back_dated_to_the_last_input(database):
    _admin, ann, _bob = people()
    t0 = utcnow().replace(microsecond=0) - datetime.timedelta(minutes=30)
    for second in range(0, 240, 30):  # the app keeps beating ACTIVE until it notices the idling
        beat(ann, "ACTIVE", t0 + datetime.timedelta(seconds=second))
    beat(ann, "IDLE", t0 + datetime.timedelta(seconds=240), idle=200)
    active, idle = OccupancyInterval.select().order_by(OccupancyInterval.started_at)
    assert active.ended_at == t0 + datetime.timedelta(seconds=40) and active.closed
    assert idle.status == "IDLE" and idle.started_at == t0 + datetime.timedelta(seconds=40)
    states = occupancy.current(ann.id, now=t0 + datetime.timedelta(seconds=250))
    assert states[0] == "IDLE"


def test_silence_and_explicit_offline(database):
    _admin, ann, bob = people()
    t0 = utcnow().replace(microsecond=0) - datetime.timedelta(minutes=30)
    beat(ann, "ACTIVE", t0)
    beat(bob, "ACTIVE", t0)
    assert occupancy.current(ann.id, now=t0 + datetime.timedelta(seconds=89))[0] == "ACTIVE"
    assert occupancy.current(ann.id, now=t0 + datetime.timedelta(seconds=91))[0] == "OFFLINE"
    beat(bob, "OFFLINE", t0 + datetime.timedelta(seconds=10))
    assert occupancy.current(bob.id, now=t0 + datetime.timedelta(seconds=11))[0] == "OFFLINE"
    with db.atomic():
        swept = occupancy.sweep(now=t0 + datetime.timedelta(seconds=120))
    assert swept == [ann.id]
    with db.atomic():
        assert occupancy.sweep(now=t0 + datetime.timedelta(seconds=180)) == []
    offline_events = [e for e in Event.select().where(Event.type == "occupancy.changed")
                      if '"occupancy_status":"OFFLINE"' in e.payload]
    assert len(offline_events) == 2  # bob's explicit OFFLINE and ann's silence, each once
    beat(ann, "ACTIVE", t0 + datetime.timedelta(seconds=600))
    assert OccupancyInterval.select().where(OccupancyInterval.user == ann.id).count() == 2


def test_occupancy_seconds_are_clipped_to_the_window(database):
    _admin, ann, _bob = people()
    t0 = utcnow().replace(microsecond=0) - datetime.timedelta(hours=2)
    beat(ann, "ACTIVE", t0)
    beat(ann, "ACTIVE", t0 + datetime.timedelta(seconds=60))
    beat(ann, "IDLE", t0 + datetime.timedelta(seconds=90))
    totals = Presence(t0 + datetime.timedelta(seconds=30), t0 + datetime.timedelta(hours=1)).by_user
    assert totals[ann.id] == {"ACTIVE": 60.0, "IDLE": 0.0}


def test_everyones_presence_comes_from_their_latest_interval(database):
    _admin, ann, bob = people()
    t0 = utcnow().replace(microsecond=0) - datetime.timedelta(days=3)
    for day in range(3):  # a long history: only the newest interval per person counts
        beat(ann, "ACTIVE", t0 + datetime.timedelta(days=day))
        beat(ann, "OFFLINE", t0 + datetime.timedelta(days=day, seconds=30))
    now = utcnow()
    beat(ann, "ACTIVE", now - datetime.timedelta(seconds=20))
    beat(ann, "IDLE", now - datetime.timedelta(seconds=10))  # closes ACTIVE and opens IDLE together
    beat(bob, "ACTIVE", now - datetime.timedelta(seconds=200))
    states = occupancy.current_all(now)
    assert states[ann.id][0] == "IDLE"
    assert states[bob.id] == ("OFFLINE", now - datetime.timedelta(seconds=200))
    assert set(states) == {ann.id, bob.id}
