"""The bus's hand-over from the writer (server/events.py, server/writer.py) on SQLite and on the
real PostgreSQL: committed events reach the ring in id order, once, without reading back what
the writer just wrote, and a gap left by another writer is filled from the table."""
import asyncio
import json

from server import settings
from server.events import Bus
from server.models import User, db
from server.services import eventlog, tasks
from server.writer import Writer
from test_caches import count_queries


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


def test_events_of_a_commit_reach_the_ring_without_a_read(database):
    boss, ann = people()
    bus = new_bus()
    written = []
    eventlog.collect_into(written)
    try:
        with db.atomic():
            create(boss, ann)
            create(boss, ann)
    finally:
        eventlog.collect_into(None)
    assert count_queries(lambda: bus.committed(written))[1] == 0
    assert ring_ids(bus) == [w.id for w in written] and bus.last_id == written[-1].id
    bus.committed(written)  # handed over twice (or after the poll took them in): kept once
    assert ring_ids(bus) == [w.id for w in written]


def test_a_gap_left_by_another_writer_is_filled_from_the_table(database):
    boss, ann = people()
    bus = new_bus()
    with db.atomic():
        create(boss, ann)  # not collected: as if another process committed it
    written = []
    eventlog.collect_into(written)
    try:
        with db.atomic():
            create(boss, ann)
    finally:
        eventlog.collect_into(None)
    bus.committed(written)
    assert ring_ids(bus) == [written[0].id - 1, written[0].id]


def test_the_writer_hands_over_only_what_committed(database):
    boss, ann = people()
    bus = new_bus()

    def refused():
        create(boss, ann)  # written, then rolled back with its savepoint
        raise ValueError("refused after writing")

    reads = []

    async def scenario():
        writer = Writer(on_commit=lambda events: reads.append(count_queries(lambda: bus.committed(events))[1]))
        try:
            results = await asyncio.gather(writer.submit(create, boss, ann), writer.submit(refused),
                                           writer.submit(create, boss, ann), return_exceptions=True)
        finally:
            writer.close()
        return results

    first, failed, last = asyncio.run(scenario())
    assert isinstance(failed, ValueError)
    assert [json.loads(bytes(item.data))["task"]["id"] for item in bus.ring] == [first["id"], last["id"]]
    assert ring_ids(bus) == [1, 2]  # the refused write's event rolled back: no hole in the ids
    assert set(reads) == {0}  # handed over, not read back
