"""Stale work: the flag appears and clears with time, presence and progress, and every change is
announced by exactly one task.changed event, also with two server processes on one database."""
import datetime
import json
import sqlite3
import time

import pytest

from support.client import Company
from support.server import ServerProcess, server_env, start_server
from support.wait import wait_until
from server.store.database import db
from server.store.models import Event, Task, User
from server.store.times import utcnow
from server.services.people import auth, presence as occupancy
from server.services.tasks import progress, stale, tasks

RULES = stale.Policy(after_hours=4, overdue_below=25, offline_after=90)


# ---------------------------------------------------------------- the service, clock injected

def write(fn, *args, **kwargs):
    with db.atomic():  # as the writer runs it
        return fn(*args, **kwargs)


def changed_events(task_id):
    rows = Event.select().where(Event.task == task_id, Event.type == "task.changed").order_by(Event.id)
    return [json.loads(row.payload)["task"]["is_stale"] for row in rows]


@pytest.fixture
def busy_employee(database):
    """An employee with a task at 10 %, reported just now; returns (employee, task id)."""
    admin = write(auth.create_user, "boss", "Boss", "ADMIN", "x")
    employee = write(auth.create_user, "worker", "Worker", "EMPLOYEE", "x")
    task = write(tasks.create, admin, tasks.parse_new_task({"title": "Report", "assignee_id": employee.id}))
    write(progress.record_progress, employee, task["id"],
          progress.parse_progress({"progress_percentage": 10}))
    return employee, task["id"]


def test_quiet_task_of_an_active_owner_turns_stale_once_and_clears_when_idle(busy_employee):
    employee, task_id = busy_employee
    start = utcnow()
    later = start + datetime.timedelta(hours=5)

    write(occupancy.heartbeat, employee, "ACTIVE", now=start + datetime.timedelta(hours=1))
    assert write(stale.check, start + datetime.timedelta(hours=1), RULES) == []

    write(occupancy.heartbeat, employee, "ACTIVE", now=later)
    assert write(stale.check, later, RULES) == [(task_id, True)]
    assert Task.get_by_id(task_id).stale is True
    assert changed_events(task_id) == [True]

    again = later + datetime.timedelta(seconds=10)
    assert write(stale.check, again, RULES) == []  # already announced: no second event
    assert changed_events(task_id) == [True]

    write(occupancy.heartbeat, employee, "IDLE", now=again)
    assert write(stale.check, again, RULES) == [(task_id, False)]
    assert changed_events(task_id) == [True, False]


def test_a_quiet_task_is_not_stale_while_its_owner_is_away(busy_employee):
    employee, task_id = busy_employee
    later = utcnow() + datetime.timedelta(hours=5)
    write(occupancy.heartbeat, employee, "IDLE", now=later)
    assert write(stale.check, later, RULES) == []
    assert write(stale.check, later + datetime.timedelta(hours=1), RULES) == []  # OFFLINE by now


def test_overdue_with_little_progress_is_stale_until_progress_passes_the_threshold(busy_employee):
    employee, task_id = busy_employee
    admin = User.get(User.username == "boss")
    past = (utcnow() - datetime.timedelta(hours=1)).isoformat()
    edited = write(tasks.edit, admin, task_id, tasks.parse_edit({"due_date": past}))
    assert edited["is_stale"] is True  # the edit's own event carries the new flag
    assert changed_events(task_id) == [True]
    assert write(stale.check, utcnow(), RULES) == []  # nothing left to announce

    write(progress.record_progress, employee, task_id,
          progress.parse_progress({"progress_percentage": 30}))
    assert Task.get_by_id(task_id).stale is False
    last = Event.select().where(Event.task == task_id).order_by(Event.id.desc()).first()
    assert last.type == "task.updated" and json.loads(last.payload)["task"]["is_stale"] is False


# ---------------------------------------------------------------- real servers, real clock

FAST_STALE = {"TRACKER_STALE_AFTER_HOURS": "0.0003",  # about a second
              "TRACKER_STALE_CHECK_SECONDS": "0.2"}


def task_events(srv, task_id):
    path = srv.db_path
    with sqlite3.connect(path, timeout=10) as conn:
        rows = conn.execute("SELECT type, payload FROM event WHERE task_id = ? ORDER BY id",
                            (task_id,)).fetchall()
    return [(kind, json.loads(payload)["task"]["is_stale"]) for kind, payload in rows]


def flips_of(srv, task_id, at_least):
    """The task's announced stale flags, once there are `at_least` of them."""
    flips = [flag for kind, flag in task_events(srv, task_id) if kind == "task.changed"]
    return flips if len(flips) >= at_least else None


def wait_for(condition, timeout=20):
    return wait_until(condition, timeout)


def stale_flag(owner, task_id):
    return owner.get("/api/admin/tasks/%d/" % task_id).json()["is_stale"]


def next_event_of(api, task_id, cursor, timeout=20):
    """Long-poll from `cursor` until an event of the task arrives; returns (event, new cursor)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = api.get("/api/events/?after=%d&timeout=5" % cursor).json()
        for event in body["events"]:
            cursor = event["id"]
            if event["task"] and event["task"]["id"] == task_id:
                return event, cursor
        cursor = body["cursor"]
    raise AssertionError("no event of task %d within %s s" % (task_id, timeout))


def test_server_flags_stale_work_and_pushes_each_change(tmp_path):
    srv = start_server(tmp_path, **FAST_STALE)
    try:
        company = Company(srv)
        employee = company.user()
        task = company.task(employee)
        cursor = company.owner.get("/api/admin/task-status/").json()["cursor"]
        employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
        employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 10})

        event, cursor = next_event_of(employee, task["id"], cursor)
        assert (event["type"], event["task"]["is_stale"]) == ("task.updated", False)
        event, cursor = next_event_of(employee, task["id"], cursor)  # the assignee hears it too
        assert (event["type"], event["task"]["is_stale"]) == ("task.changed", True)
        summary = company.owner.get("/api/admin/task-status/").json()["summary"]
        assert summary["stale"] == 1

        employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 20})
        event, cursor = next_event_of(company.owner, task["id"], cursor)
        assert (event["type"], event["task"]["is_stale"]) == ("task.updated", False)  # at once

        event, cursor = next_event_of(company.owner, task["id"], cursor)  # quiet again
        assert (event["type"], event["task"]["is_stale"]) == ("task.changed", True)
        employee.post("/api/heartbeat/", {"occupancy_status": "IDLE"})
        event, cursor = next_event_of(company.owner, task["id"], cursor)
        assert (event["type"], event["task"]["is_stale"]) == ("task.changed", False)
        assert stale_flag(company.owner, task["id"]) is False
    finally:
        srv.stop()


def test_two_server_processes_announce_each_flip_once(tmp_path):
    first = start_server(tmp_path, **FAST_STALE)
    second = ServerProcess(first.db_url, tmp_path / "second.log", env=server_env(**FAST_STALE))
    try:
        second.start()
        company = Company(first)
        employee = company.user()
        task = company.task(employee)
        employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
        employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 10})
        wait_for(lambda: stale_flag(company.owner, task["id"]))
        employee.post("/api/heartbeat/", {"occupancy_status": "IDLE"})
        wait_for(lambda: not stale_flag(company.owner, task["id"]))
        # A third flip closes the window of the second: a check that read the flag before it
        # could only have written its duplicate before this flip's event.
        employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
        flips = wait_for(lambda: flips_of(first, task["id"], at_least=3))
        assert flips[:3] == [True, False, True]
    finally:
        second.stop()
        first.stop()
