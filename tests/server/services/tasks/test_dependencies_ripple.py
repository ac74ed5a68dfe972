"""The ripple of a change through dependency links: it reads and announces only what moved, and
what it announces is exactly what a full comparison of every task before and after finds."""
import datetime
import json
import random

import pytest

from server.services.tasks import links as dependencies, tasks
from server.services.tasks.view import fetch
from server.store.database import db
from server.store.models import Event, Task
from server.store.times import utcnow
from support.db import new_task, people, progress

MOVES = ("blocked_by", "forecast_completion_at", "at_risk")


def last_event_id():
    found = Event.select().order_by(Event.id.desc()).first()
    return found.id if found else 0


def changed_after(cursor):
    return [json.loads(e.payload)["task"]["id"] for e in
            Event.select().where(Event.id > cursor, Event.type == "task.changed").order_by(Event.id)]


def board(now):
    return {task["id"]: task for task in fetch(now=now)}


def set_pace(task_id, progress_percentage, points_per_hour, due=None):
    Task.update(progress_percentage=progress_percentage, status="IN_PROGRESS",
                pace_gain=points_per_hour * 4, pace_seconds=4 * 3600.0,
                last_progress_update_at=utcnow() - datetime.timedelta(minutes=30),
                due_date=due).where(Task.id == task_id).execute()


def plan(rng, boss, staff, size=24, links=40):
    """Tasks with paces and due dates, and a random DAG of links from newer to older ones."""
    made = []
    for i in range(size):
        task = new_task(boss, staff[i % 2])
        if rng.random() < 0.8:  # some have no pace: their forecasts are bounds only
            due = utcnow() + datetime.timedelta(hours=rng.choice([2, 8, 30, 200]))
            set_pace(task["id"], rng.choice([0, 10, 40, 70]), rng.choice([2, 5, 10, 30]), due)
        made.append((task["id"], staff[i % 2]))
    pairs = set()
    while len(pairs) < links:
        later, earlier = sorted(rng.sample(range(size), 2), reverse=True)
        pairs.add((made[later][0], made[earlier][0]))
    for task_id, pred in sorted(pairs):
        with db.atomic():
            dependencies.link(boss, task_id, pred)
    return made, pairs


def operate(rng, boss, made, pairs, reported):
    """One random change; answers the task it was made to."""
    kind = rng.choice(["link", "unlink", "progress", "progress", "complete", "cancel"])
    objects = board(utcnow())
    if kind == "unlink" and pairs:
        task_id, pred = rng.choice(sorted(pairs))
        pairs.discard((task_id, pred))
        with db.atomic():
            dependencies.unlink(boss, task_id, pred)
        return task_id
    open_ids = [(i, who) for i, who in made if objects[i]["status"] in ("PENDING", "IN_PROGRESS")]
    if kind == "link":
        (later, _), (earlier, _) = sorted(rng.sample(made, 2), reverse=True)
        if (later, earlier) not in pairs:
            pairs.add((later, earlier))
            with db.atomic():
                dependencies.link(boss, later, earlier)
        return later
    if kind == "cancel" and open_ids:
        task_id = rng.choice(open_ids)[0]
        with db.atomic():
            tasks.edit(boss, task_id, {"status": "CANCELLED"})
        return task_id
    free = [(i, who) for i, who in open_ids if not objects[i]["blocked_by"]]
    if not free:
        return None
    task_id, who = rng.choice(free)
    value = 100 if kind == "complete" else min(99, reported.get(task_id, objects[task_id]["progress_percentage"]) + 15)
    reported[task_id] = value
    progress(who, task_id, value, complete=kind == "complete")
    return task_id


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_what_a_change_announces_is_what_moved(database, seed):
    rng = random.Random(seed)
    boss, ann, bob = people()
    made, pairs = plan(rng, boss, (ann, bob))
    reported = {}
    for _ in range(30):
        at = utcnow() + datetime.timedelta(seconds=5)  # one clock for both sides of the comparison
        before, cursor = board(at), last_event_id()
        own = operate(rng, boss, made, pairs, reported)
        after = board(at)
        moved = {i for i in after if i != own and any(after[i][k] != before[i][k] for k in MOVES)}
        assert set(changed_after(cursor)) - {own} == moved
        for i in moved:  # a new version when what it waits for changed, so list ETags move
            bumped = after[i]["blocked_by"] != before[i]["blocked_by"]
            assert after[i]["version"] == before[i]["version"] + bumped


def test_a_link_that_moves_nothing_below_reads_nothing_below(database):
    boss, ann, bob = people()
    first, task = new_task(boss, ann), new_task(boss, bob)
    for row in (first, task):
        set_pace(row["id"], 10, 10)
    chain = [new_task(boss, bob) for _ in range(30)]
    for row in chain:
        set_pace(row["id"], 10, 10)
    with db.atomic():
        dependencies.link(boss, task["id"], first["id"])
        for above, below in zip([task] + chain, chain):
            dependencies.link(boss, below["id"], above["id"])
    done = new_task(boss, ann)
    progress(ann, done["id"], 100, complete=True)
    cursor = last_event_id()

    def add():
        with db.atomic():
            return dependencies.link(boss, task["id"], done["id"])  # a finished one blocks nothing
    body, statements = statements_of(add)
    assert body["depends_on"] == sorted([first["id"], done["id"]]) and body["blocked_by"] == [first["id"]]
    assert changed_after(cursor) == [task["id"]]  # only the task itself: its depends_on moved
    assert not [s for s in statements if "depends_on_id IN" in s]  # the chain below is not walked
    _, more = statements_of(lambda: progress(ann, first["id"], 50))  # this one moves everything below
    assert [s for s in more if "depends_on_id IN" in s]
    assert changed_after(cursor) == [task["id"], task["id"]] + [row["id"] for row in chain]


def statements_of(fn):
    """fn() and the SQL statements it ran."""
    seen, original = [], db.obj.execute_sql
    db.obj.execute_sql = lambda *args, **kwargs: seen.append(args[0]) or original(*args, **kwargs)
    try:
        return fn(), seen
    finally:
        db.obj.execute_sql = original
