"""Time entries through the services, on SQLite and PostgreSQL, with an injected clock."""
import datetime

import pytest

from server.services.record import audit
from server.services.people import presence as occupancy
from server.services.time import edits as time_edits, entries as timeentries
from server.services.core.errors import Conflict, Forbidden, IdempotencyMismatch, NotFound, ValidationError
from server.store.database import db
from server.store.models import Task, TaskProgress
from support.db import new_task, people

T0 = datetime.datetime(2030, 1, 7, 9, 0, 0)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


def write(fn, *args, **kwargs):
    with db.atomic():
        return fn(*args, **kwargs)


def entry(start, end, key=None, note="", source="manual"):
    return {"started_at": start, "ended_at": end, "note": note, "source": source,
            "client_entry_id": key}


def test_one_running_timer_per_user_and_stop(database):
    boss, ann, _bob = people()
    first, second = new_task(boss, ann), new_task(boss, ann)
    running, created = write(timeentries.start, ann, first["id"], now=at(0))
    assert created and running["running"] and running["ended_at"] is None
    switched, _ = write(timeentries.start, ann, second["id"], now=at(30))
    assert switched["stopped_entry"]["minutes"] == 30
    assert switched["stopped_entry"]["stop_reason"] == "switch"
    stopped = write(timeentries.stop, ann, now=at(75))
    assert stopped["minutes"] == 45 and stopped["task_id"] == second["id"]
    assert Task.get_by_id(first["id"]).tracked_seconds == 30 * 60
    with pytest.raises(NotFound):
        write(timeentries.stop, ann, now=at(80))
    assert audit.verify()[0]


def test_start_refused_on_anothers_or_cancelled_task(database):
    boss, ann, bob = people()
    task = new_task(boss, ann)
    with pytest.raises(Forbidden):
        write(timeentries.start, bob, task["id"], now=at(0))
    with pytest.raises(Forbidden):  # an employee cannot tell a missing id from another's task
        write(timeentries.start, bob, 999999, now=at(0))
    with db.atomic():
        Task.update(status="CANCELLED").where(Task.id == task["id"]).execute()
    with pytest.raises(Conflict):
        write(timeentries.start, ann, task["id"], now=at(0))


def test_idle_heartbeat_stops_the_timer_where_the_idle_period_began(database):
    boss, ann, _bob = people()
    task = new_task(boss, ann)
    write(occupancy.heartbeat, ann, "ACTIVE", now=at(0))
    write(timeentries.start, ann, task["id"], now=at(0))
    for minute in range(1, 6):
        write(occupancy.heartbeat, ann, "ACTIVE", now=at(minute))
    write(occupancy.heartbeat, ann, "IDLE", 240, now=at(6))  # no input since 09:02
    entries = time_edits.my_entries(ann, at(-60), at(60), now=at(7))
    assert [e["stop_reason"] for e in entries["entries"]] == ["idle"]
    assert entries["entries"][0]["ended_at"] == "2030-01-07T09:02:00+00:00"
    assert entries["running"] is None and entries["total_minutes"] == 2


def test_offline_and_silence_stop_the_timer(database):
    boss, ann, bob = people()
    task_a, task_b = new_task(boss, ann), new_task(boss, bob)
    for person, task in ((ann, task_a), (bob, task_b)):
        write(occupancy.heartbeat, person, "ACTIVE", now=at(0))
        write(timeentries.start, person, task["id"], now=at(0))
    for minute in range(1, 8):  # heartbeats a minute apart: present throughout
        write(occupancy.heartbeat, bob, "ACTIVE", now=at(minute))
        if minute < 5:
            write(occupancy.heartbeat, ann, "ACTIVE", now=at(minute))
    write(occupancy.heartbeat, ann, "OFFLINE", now=at(5))  # signs off: stops then
    write(occupancy.sweep, now=at(30), offline_after=90)  # bob fell silent after 09:07
    assert Task.get_by_id(task_a["id"]).tracked_seconds == 5 * 60
    assert Task.get_by_id(task_b["id"]).tracked_seconds == 7 * 60


def test_manual_entry_rules(database):
    boss, ann, _bob = people()
    task = new_task(boss, ann)
    made, replayed = write(timeentries.create, ann, task["id"], entry(at(0), at(90), "k1"), now=at(120))
    assert not replayed and made["minutes"] == 90 and made["source"] == "manual"
    again, replayed = write(timeentries.create, ann, task["id"], entry(at(0), at(90), "k1"), now=at(500))
    assert replayed and again == made
    with pytest.raises(IdempotencyMismatch):
        write(timeentries.create, ann, task["id"], entry(at(0), at(91), "k1"), now=at(120))
    with pytest.raises(Conflict) as overlap:
        write(timeentries.create, ann, task["id"], entry(at(60), at(100)), now=at(120))
    assert overlap.value.code == "overlap"
    bad = [(at(50), at(40)), (at(100), at(100)), (at(100), at(200)), (at(-800), at(-50))]
    for start, end in bad:  # backwards, empty, in the future, over 12 h
        with pytest.raises(ValidationError) as refused:
            write(timeentries.create, ann, task["id"], entry(start, end), now=at(120))
        assert refused.value.field == "ended_at"
    assert TaskProgress.select().where(TaskProgress.action == "time_entry").count() == 1


def test_corrections_lock_after_the_lock_days_except_for_admins(database):
    boss, ann, bob = people()
    task = new_task(boss, ann)
    made, _ = write(timeentries.create, ann, task["id"], entry(at(0), at(60)), now=at(61))
    changed = write(time_edits.edit, ann, made["id"], {"ended_at": at(30), "note": "n"}, now=at(70))
    assert changed["minutes"] == 30 and changed["note"] == "n"
    with pytest.raises(NotFound):
        write(time_edits.edit, bob, made["id"], {"note": "x"}, now=at(70))
    later = at(8 * 24 * 60)
    with pytest.raises(Forbidden):
        write(time_edits.edit, ann, made["id"], {"note": "late"}, now=later)
    with pytest.raises(Forbidden):
        write(time_edits.delete, ann, made["id"], now=later)
    write(time_edits.edit, boss, made["id"], {"note": "admin"}, now=later)
    write(time_edits.delete, boss, made["id"], now=later)
    assert Task.get_by_id(task["id"]).tracked_seconds == 0
    actions = [r.action for r in TaskProgress.select().order_by(TaskProgress.id)]
    assert actions[-4:] == ["time_entry", "time_entry_edit", "time_entry_edit", "time_entry_delete"]
    assert audit.verify()[0]


def test_edit_refuses_overlap_and_a_replay_of_a_deleted_entry_is_not_recreated(database):
    boss, ann, _bob = people()
    task = new_task(boss, ann)
    one, _ = write(timeentries.create, ann, task["id"], entry(at(0), at(30), "a"), now=at(200))
    two, _ = write(timeentries.create, ann, task["id"], entry(at(40), at(60)), now=at(200))
    with pytest.raises(Conflict):
        write(time_edits.edit, ann, two["id"], {"started_at": at(20)}, now=at(200))
    write(time_edits.delete, ann, one["id"], now=at(200))
    replay, replayed = write(timeentries.create, ann, task["id"], entry(at(0), at(30), "a"), now=at(210))
    assert replayed and replay["id"] == one["id"]
    assert Task.get_by_id(task["id"]).tracked_seconds == 20 * 60
