"""The bus's hand-over from the writer (server/push/bus.py, writer.py) on SQLite and on the
real PostgreSQL: committed events reach the ring in id order, once, without reading back what
the writer just wrote, and a gap left by another writer is filled from the table."""
import asyncio
import collections
import datetime
import json

from server import settings
from server.push.bus import Bus
from server.store.database import db
from server.store.models import Event, Task, TaskProgress, User
from server.store.times import utcnow
from server.services.record import audit, eventlog
from server.services.tasks import progress, tasks
from server.store import txn
from server.push.writer import Writer
from support.db import count_queries


def people():
    with db.atomic():
        return (User.create(username="boss", role="ADMIN", password_hash="x"),
                User.create(username="ann", full_name="Ann", password_hash="x"))


def create(admin, assignee):
    return tasks.create(admin, {"title": "t", "description": "", "assignee_id": assignee.id,
                                "project_id": None, "due_date": None, "priority": "MEDIUM"})


def new_bus():
    bus = Bus(dict(settings.DEFAULTS, db="unused"))
    bus.load()
    return bus


def ring_ids(bus):
    return [item.id for item in bus.ring]


def in_writer_scope(*writes):
    """Run the writes in one transaction with a writer scope; the events it collected."""
    scope = txn.begin()
    try:
        with db.atomic():
            for write in writes:
                write()
    finally:
        txn.end()
    return scope.events


def test_events_of_a_commit_reach_the_ring_without_a_read(database):
    boss, ann = people()
    bus = new_bus()
    written = in_writer_scope(lambda: create(boss, ann), lambda: create(boss, ann))
    assert count_queries(lambda: bus.committed(written))[1] == 0
    assert ring_ids(bus) == [w.id for w in written] and bus.last_id == written[-1].id
    bus.committed(written)  # handed over twice (or after the poll took them in): kept once
    assert ring_ids(bus) == [w.id for w in written]


def test_a_gap_left_by_another_writer_is_filled_from_the_table(database):
    boss, ann = people()
    bus = new_bus()
    with db.atomic():
        create(boss, ann)  # not collected: as if another process committed it
    written = in_writer_scope(lambda: create(boss, ann))
    bus.committed(written)
    assert ring_ids(bus) == [written[0].id - 1, written[0].id]


def run_group(*writes, on_commit=None):
    """Submit the writes together (one group) to a real Writer; their results or exceptions."""
    async def scenario():
        writer = Writer(on_commit=on_commit)
        try:
            return await asyncio.gather(*(writer.submit(w) for w in writes), return_exceptions=True)
        finally:
            writer.close()
    return asyncio.run(scenario())


def test_the_writer_hands_over_only_what_committed(database):
    boss, ann = people()
    bus = new_bus()

    def refused():
        create(boss, ann)  # written, then rolled back with its savepoint
        raise ValueError("refused after writing")

    reads = []
    first, failed, last = run_group(lambda: create(boss, ann), refused, lambda: create(boss, ann),
                                    on_commit=lambda events: reads.append(
                                        count_queries(lambda: bus.committed(events))[1]))
    assert isinstance(failed, ValueError)
    assert [json.loads(bytes(item.data))["task"]["id"] for item in bus.ring] == [first["id"], last["id"]]
    assert ring_ids(bus) == [1, 2]  # the refused write's event rolled back: no hole in the ids
    assert set(reads) == {0}  # handed over, not read back


def test_a_progress_event_carries_the_task_as_stored(database):
    """record_progress builds the event's task from the row it read and patched: it must equal
    the task read back after the commit (times, pace, forecast, stale flag, last reporter)."""
    boss, ann = people()
    with db.atomic():
        task = create(boss, ann)
        # An hour of history, so the pace and the forecast have something to show.
        Task.update(created_at=utcnow() - datetime.timedelta(hours=1)).where(Task.id == task["id"]).execute()
    forecasts = []
    for pct, complete in ((30, False), (60, False), (100, True)):
        fields = {"progress_percentage": pct, "notes": "n", "occupancy_status": None, "client_update_id": None,
                  "client_timestamp": None}
        written = in_writer_scope(lambda: progress.record_progress(ann, task["id"], fields, complete))
        sent = json.loads(written[-1].payload)["task"]
        reported_at = Task.get_by_id(task["id"]).last_progress_update_at  # the write's `now`
        stored = tasks.load(task["id"], now=reported_at)
        assert sent == json.loads(json.dumps(stored)), pct
        forecasts.append(sent["forecast_completion_at"])
    assert forecasts[0] is not None  # the comparison covered a real forecast


def test_a_refusal_before_writing_leaves_the_rest_of_its_group_alone(database):
    boss, ann = people()
    runs = []

    def write(name):
        runs.append(name)
        return create(boss, ann)

    def refuse():
        runs.append("refused")
        raise ValueError("refused before writing")

    results = run_group(lambda: write("a"), refuse, lambda: write("b"))
    assert isinstance(results[1], ValueError) and Task.select().count() == 2
    assert sorted(runs) == ["a", "b", "refused"]  # nobody ran twice


def test_a_failure_after_writing_rolls_back_alone_and_the_rest_commits_once(database):
    boss, ann = people()

    def half_done():
        create(boss, ann)
        raise ValueError("failed after writing")

    first, failed, last = run_group(lambda: create(boss, ann), half_done, lambda: create(boss, ann))
    assert isinstance(failed, ValueError)
    assert sorted(t.id for t in Task.select()) == sorted([first["id"], last["id"]])
    assert Event.select().count() == 2 and TaskProgress.select().count() == 2
    ok, count, _bad, _why = audit.verify()
    assert ok and count == 2


def occupancy(subject, former=None):
    return lambda: eventlog.append("occupancy.changed", subject_id=subject, former_subject_id=former)


def test_an_employees_catch_up_reads_their_own_events_by_person(database):
    """A reconnect storm: thousands of sockets resume at once, each from an old cursor. An
    employee's read finds their events by person (the table's indexes before the ring, the
    ring's index in it): the same events a look at every event finds, in pages, in the same
    number of statements however many other people's events lie between."""
    with db.atomic():
        ann, bob, cid = (User.create(username=name, password_hash="x") for name in ("ann", "bob", "cid"))
    writes = []
    for n in range(60):
        writes += [occupancy(bob.id)] * 3 + [occupancy(cid.id)]
        if n % 7 == 0:
            writes.append(occupancy(ann.id))
        if n % 11 == 0:
            writes.append(occupancy(bob.id, former=ann.id))  # a task given from ann to bob
        if n % 13 == 0:
            writes.append(occupancy(None, former=ann.id))
    in_writer_scope(*writes)
    bus = Bus(dict(settings.DEFAULTS, db="unused", push_ring_size=25))
    bus.load()
    everything = list(Event.select().order_by(Event.id))
    mine = [e.id for e in everything if ann.id in (e.subject_id, e.former_subject_id)]
    assert bus.floor > mine[len(mine) // 2] and len(everything) > 250  # half of ann's before the ring

    pages, cursor = [], 0
    while cursor < bus.last_id:
        (data, cursor), statements = count_queries(lambda: bus.read(cursor, ann.id, False, limit=4))
        pages.append([json.loads(bytes(d))["id"] for d in data])
        assert statements <= 2  # the oldest id and one indexed read, or the ring alone: none
    assert [i for page in pages for i in page] == mine and cursor == bus.last_id
    assert all(len(page) == 4 for page in pages[:-1])

    # The ring's index keeps only what the ring holds, after it has turned over many times.
    held = collections.Counter(p for item in bus.ring for p in {item.subject, item.former} - {None})
    assert {p: len(items) for p, items in bus.ring.by_person.items()} == dict(held)
    # Admins and an employee with nothing new: unchanged answers.
    assert bus.read(0, bob.id, True, limit=1000)[0][0] == everything[0].payload.encode()
    assert bus.read(bus.last_id, ann.id, False) == ([], bus.last_id)
