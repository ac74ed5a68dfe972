"""The monitor's task board (server/services/monitor/board.py) against a real database: it answers what the
task service would, filters and counts included, follows events, names and the clock, and reads
only what changed. The API and the monitor page both answer from it (test_push_inprocess.py)."""
import datetime
import json

import pytest

from server import settings
from server.services.monitor import answers, board
from server.push.bus import Bus
from server.store.database import db
from server.store.models import Task, User
from server.store.times import utcnow
from server.services.monitor import activity
from server.services.tasks import tasks
from server.services.time import entries as timeentries
from support.db import count_queries
from support.db import new_task as create, people, progress


@pytest.fixture
def bus(database):
    bus = Bus(dict(settings.DEFAULTS, db="unused"))
    bus.load()
    return bus


class Clock:
    """Wall time that moves only when the test moves it."""

    def __init__(self):
        self.now = datetime.datetime.now(datetime.timezone.utc).timestamp()

    def __call__(self):
        return self.now


def answered(task_board, filters=None):
    entries, cursor = task_board.select(filters or {})
    return json.loads(answers.answer(entries, cursor, []))


def without_forecasts(task_list):
    for task in task_list:
        task.pop("forecast_completion_at")  # derived from the moment of reading
    return task_list


def as_served(task_ids):
    """The tasks as the task service serializes them one by one."""
    return without_forecasts([json.loads(json.dumps(tasks.load(i))) for i in task_ids])


def test_the_board_answers_the_task_services_objects_filtered_and_counted(bus):
    boss, ann, bob = people()
    first = create(boss, ann, priority="URGENT")
    late = create(boss, bob, due_date=utcnow() - datetime.timedelta(hours=1))
    bus.refresh()
    task_board = board.TaskBoard(bus)
    progress(ann, first["id"], 40)
    bus.refresh()
    body = answered(task_board)
    assert without_forecasts(body["tasks"]) == as_served([first["id"], late["id"]])
    assert body["summary"] == {"total": 2, "pending": 1, "in_progress": 1, "done": 0,
                               "cancelled": 0, "overdue": 1, "at_risk": body["summary"]["at_risk"],
                               "stale": 1}  # overdue below 25 %: stale
    assert body["cursor"] == bus.last_id
    for filters, expected in (({"status": "IN_PROGRESS"}, [first]), ({"priority": "URGENT"}, [first]),
                              ({"employee": bob.id}, [late]), ({"project": 12345}, []),
                              ({"status": "PENDING", "employee": bob.id}, [late])):
        picked = answered(task_board, filters)["tasks"]
        assert without_forecasts(picked) == as_served([t["id"] for t in expected]), filters


def test_nothing_is_read_while_nothing_changed_and_only_the_changed_task_after(bus):
    boss, ann, _bob = people()
    tasks_made = [create(boss, ann) for _ in range(5)]
    bus.refresh()
    task_board = board.TaskBoard(bus)
    task_board.select({})
    assert count_queries(lambda: task_board.select({}))[1] == 0
    progress(ann, tasks_made[2]["id"], 10)
    bus.refresh()
    (entries, cursor), reads = count_queries(lambda: task_board.select({}))
    assert reads == 1 and cursor == bus.last_id
    assert json.loads(entries[2].data)["progress_percentage"] == 10


def test_a_renamed_user_shows_after_invalidate(bus):
    boss, ann, _bob = people()
    create(boss, ann)
    bus.refresh()
    task_board = board.TaskBoard(bus)
    answered(task_board)
    with db.atomic():
        User.update(full_name="Ann Renamed").where(User.id == ann.id).execute()
    task_board.invalidate()
    assert answered(task_board)["tasks"][0]["assignee"]["full_name"] == "Ann Renamed"


def test_a_due_date_passing_turns_the_task_overdue_without_an_event(bus):
    boss, ann, _bob = people()
    create(boss, ann, due_date=utcnow() + datetime.timedelta(minutes=2))
    bus.refresh()
    clock = Clock()
    task_board = board.TaskBoard(bus, clock=clock)
    assert answered(task_board)["summary"]["overdue"] == 0
    clock.now += 100  # before the due date: nothing to read again
    assert count_queries(lambda: task_board.select({}))[1] == 0
    assert answered(task_board)["summary"]["overdue"] == 0
    clock.now += 40  # past it, well before the full rebuild
    body, reads = count_queries(lambda: answered(task_board))
    assert body["summary"]["overdue"] == 1 and body["tasks"][0]["is_overdue"] is True
    assert reads == 0  # recomputed from the row it holds


def test_open_tasks_forecasts_are_refreshed_by_the_clock(bus):
    boss, ann, _bob = people()
    create(boss, ann)
    bus.refresh()
    clock = Clock()
    task_board = board.TaskBoard(bus, refresh=30, clock=clock)
    task_board.select({})
    clock.now += 10  # within the refresh window (at least 15 s): kept
    assert count_queries(lambda: task_board.select({}))[1] == 0
    before = task_board.entries[next(iter(task_board.entries))]
    stamp = before.until
    clock.now += 60
    task_board.select({})
    assert before.until > stamp  # recomputed from the row it holds (no read needed)


def whole(task_board):
    """The monitor's first answer as the snapshot handler joins it (no people)."""
    parts, cursor = task_board.whole()
    return json.loads(answers.snapshot(parts, cursor, b"[]"))


def recent_of(task_board, ids=None):
    """The board's last updates of `ids` (every task on it), keyed as JSON keys them."""
    ids = list(task_board.entries) if ids is None else ids
    return json.loads(answers.updates(task_board.recent_of(ids)))["updates"]


def recent_as_read(ids=None):
    """Each task's newest updates read straight from the audit trail, keyed as JSON keys them."""
    return json.loads(json.dumps({str(k): v for k, v in activity.recent_updates(5, ids).items()}))


def test_a_tasks_recent_updates_are_read_when_asked_for_and_kept_as_the_audit_trail_has_them(bus):
    boss, ann, bob = people()
    made = [create(boss, (ann, bob)[n % 2]) for n in range(4)]
    for percent in (10, 20, 30, 40, 50, 60):
        progress(ann, made[0]["id"], percent)
    bus.refresh()
    clock = Clock()
    task_board = board.TaskBoard(bus, clock=clock)
    first = [made[0]["id"], made[1]["id"]]
    shown, reads = count_queries(lambda: recent_of(task_board, first))
    assert shown == recent_as_read(first) and len(shown[str(made[0]["id"])]) == 5
    assert reads == 3  # the tasks (a first build), the audit head, the two tasks' updates
    assert count_queries(lambda: recent_of(task_board, first))[1] == 1  # kept: the audit head only
    assert recent_of(task_board) == recent_as_read()
    progress(bob, made[1]["id"], 35)
    with db.atomic():
        tasks.edit(boss, made[2]["id"], {"priority": "URGENT"})
    bus.refresh()
    shown, reads = count_queries(lambda: recent_of(task_board, first))
    assert reads == 3  # the touched tasks' rows, the audit rows after the head, one task's updates
    assert shown == recent_as_read(first) and recent_of(task_board) == recent_as_read()
    progress(ann, made[0]["id"], 70)
    bus.refresh()
    clock.now += task_board.rebuild + 1  # the periodic rebuild keeps what the audit trail kept right
    assert recent_of(task_board) == recent_as_read()


def test_the_first_answer_carries_each_tasks_card_fields_and_no_updates(bus):
    boss, ann, _bob = people()
    task = create(boss, ann, description="A long description only the task page shows")
    progress(ann, task["id"], 10)
    bus.refresh()
    task_board = board.TaskBoard(bus)
    body = whole(task_board)
    full = answered(task_board)["tasks"][0]
    assert body["tasks"] == [{name: full[name] for name in board.CARD}]
    assert "recent" not in body and "description" not in body["tasks"][0]
    assert body["summary"] == answered(task_board)["summary"]


def test_updates_are_read_only_for_tasks_on_the_board_and_within_the_people_given(bus):
    boss, ann, bob = people()
    mine, theirs = create(boss, ann), create(boss, bob)
    bus.refresh()
    task_board = board.TaskBoard(bus)
    assert set(recent_of(task_board, [mine["id"], theirs["id"], 999999])) == {str(mine["id"]), str(theirs["id"])}
    scoped = json.loads(answers.updates(task_board.recent_of([mine["id"], theirs["id"]], {ann.id})))
    assert list(scoped["updates"]) == [str(mine["id"])]


def test_a_rename_reaches_the_recent_updates_after_invalidate(bus):
    boss, ann, _bob = people()
    task = create(boss, ann)
    progress(ann, task["id"], 10)
    bus.refresh()
    task_board = board.TaskBoard(bus)
    recent_of(task_board)
    with db.atomic():
        User.update(full_name="Ann Renamed").where(User.id == ann.id).execute()
    task_board.invalidate()
    assert recent_of(task_board)[str(task["id"])][0]["user"]["full_name"] == "Ann Renamed"


def test_the_version_moves_only_when_what_the_board_shows_changes(bus):
    boss, ann, _bob = people()
    task = create(boss, ann)
    bus.refresh()
    task_board = board.TaskBoard(bus)
    task_board.whole()
    version = task_board.version
    bus.refresh()
    task_board.whole()
    assert task_board.version == version
    progress(ann, task["id"], 10)
    bus.refresh()
    task_board.whole()
    assert task_board.version > version


def test_the_pieces_join_to_the_answer_across_changes_and_new_tasks(bus, monkeypatch):
    monkeypatch.setattr(board, "SPAN", 3)  # several pieces from a few tasks
    boss, ann, bob = people()
    made = [create(boss, (ann, bob)[n % 2], due_date=utcnow() - datetime.timedelta(hours=n % 2))
            for n in range(7)]
    bus.refresh()
    task_board = board.TaskBoard(bus)

    def check():
        body, direct = whole(task_board), answered(task_board)
        cards = [{name: task[name] for name in board.CARD} for task in direct["tasks"]]
        assert body["tasks"] == cards and body["summary"] == direct["summary"]
        assert recent_of(task_board) == recent_as_read()

    check()
    progress(ann, made[0]["id"], 30)
    progress(bob, made[5]["id"], 100, complete=True)
    made.append(create(boss, ann))
    bus.refresh()
    check()
    assert len(task_board.pieces) == len({t["id"] // 3 for t in made})


def test_an_audit_row_written_without_an_event_reaches_the_recent_updates(bus):
    """An audit row no event announces (every write announces itself today, but the board must
    not depend on it): the board follows the audit trail's head, not only the events."""
    boss, ann, _bob = people()
    task = create(boss, ann)
    bus.refresh()
    task_board = board.TaskBoard(bus)
    recent_of(task_board)
    with db.atomic():
        timeentries.record(Task.get_by_id(task["id"]), ann, "time_entry", "Timer started", utcnow())
    assert bus.refresh() == 0  # nothing announced it
    shown = recent_of(task_board)[str(task["id"])]
    assert shown[0]["action"] == "time_entry" and recent_of(task_board) == recent_as_read()


def test_updates_of_a_task_the_board_has_not_heard_of_come_once_it_arrives(bus):
    """Another process's task: asked for before the bus takes in its event, it is left out (as
    a missing one is), and its updates come with it after."""
    boss, ann, _bob = people()
    create(boss, ann)
    bus.refresh()
    task_board = board.TaskBoard(bus)
    recent_of(task_board)
    late = create(boss, ann)  # the bus has not heard of it yet
    progress(ann, late["id"], 15)
    assert recent_of(task_board, [late["id"]]) == {}
    bus.refresh()
    assert [u["new_percentage"] for u in recent_of(task_board, [late["id"]])[str(late["id"])]] == [15, 0]
    assert recent_of(task_board) == recent_as_read()
