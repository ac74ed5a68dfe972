"""Dependency links through the services, on SQLite and PostgreSQL: the refusals, blocked_by,
forecasts carried through links, and the task.changed events for the dependents."""
import datetime
import json

import pytest

from server.services.record import audit
from server.services.tasks import links as dependencies, tasks
from server.services.core.errors import NotFound, ValidationError
from server.services.tasks.view import load
from server.store.database import db
from server.store.models import Event, Task, TaskDependency
from server.store.times import utcnow
from support.db import new_task, people, progress


def link(admin, task, other):
    with db.atomic():
        return dependencies.link(admin, task["id"], other["id"])


def unlink(admin, task, other):
    with db.atomic():
        return dependencies.unlink(admin, task["id"], other["id"])


def events_after(cursor):
    return [json.loads(e.payload) for e in Event.select().where(Event.id > cursor).order_by(Event.id)]


def last_event_id():
    return Event.select().order_by(Event.id.desc()).first().id


@pytest.fixture
def crew(database):
    boss, ann, bob = people()
    return boss, ann, bob


def test_a_link_blocks_until_the_predecessor_is_done(crew):
    boss, ann, bob = crew
    first, second = new_task(boss, ann), new_task(boss, bob)
    body = link(boss, second, first)
    assert (body["depends_on"], body["blocked_by"], body["is_blocked"]) == ([first["id"]], [first["id"]], True)
    with pytest.raises(dependencies.Blocked) as refused:
        progress(bob, second["id"], 100)
    assert refused.value.details == {"blocked_by": [first["id"]]} and refused.value.status == 409
    with pytest.raises(dependencies.Blocked):
        progress(bob, second["id"], 0, complete=True)
    assert load(second["id"])["progress_percentage"] == 0  # the refusal wrote nothing
    progress(bob, second["id"], 60)  # partial progress is allowed
    progress(ann, first["id"], 100)
    after = load(second["id"])
    assert (after["blocked_by"], after["is_blocked"], after["depends_on"]) == ([], False, [first["id"]])
    progress(bob, second["id"], 100)
    assert load(second["id"])["status"] == "DONE"
    assert audit.verify()[0]


def test_a_cancelled_predecessor_no_longer_blocks_and_linking_to_one_is_allowed(crew):
    boss, ann, bob = crew
    first, second, third = new_task(boss, ann), new_task(boss, bob), new_task(boss, bob)
    link(boss, second, first)
    cursor = last_event_id()
    with db.atomic():
        tasks.edit(boss, first["id"], {"status": "CANCELLED"})
    changed = [e for e in events_after(cursor) if e["task"]["id"] == second["id"]]
    assert changed and changed[-1]["type"] == "task.changed" and changed[-1]["task"]["blocked_by"] == []
    assert link(boss, third, first)["blocked_by"] == []  # across a cancelled task: no block


@pytest.mark.parametrize("case", ["self", "duplicate", "unknown task", "unknown predecessor"])
def test_bad_links_are_refused_and_change_nothing(crew, case):
    boss, ann, _bob = crew
    first, second = new_task(boss, ann), new_task(boss, ann)
    link(boss, second, first)
    before = (TaskDependency.select().count(), last_event_id(), load(second["id"])["version"])
    expected, args = {
        "self": (ValidationError, (second["id"], second["id"])),
        "duplicate": (dependencies.DuplicateLink, (second["id"], first["id"])),
        "unknown task": (NotFound, (99999, first["id"])),
        "unknown predecessor": (NotFound, (second["id"], 99999)),
    }[case]
    with pytest.raises(expected) as refused, db.atomic():
        dependencies.link(boss, *args)
    assert refused.value.status == {"self": 400, "duplicate": 409}.get(case, 404)
    assert (TaskDependency.select().count(), last_event_id(), load(second["id"])["version"]) == before


def test_a_link_closing_a_cycle_is_refused_with_the_cycle(crew):
    boss, ann, _bob = crew
    a, b, c, d = (new_task(boss, ann) for _ in range(4))
    link(boss, a, b)  # a depends on b, b on c, c on d
    link(boss, b, c)
    link(boss, c, d)
    with pytest.raises(dependencies.DependencyCycle) as refused, db.atomic():
        dependencies.link(boss, d["id"], a["id"])
    assert refused.value.details["cycle"] == [d["id"], a["id"], b["id"], c["id"], d["id"]]
    assert refused.value.code == "dependency_cycle" and TaskDependency.select().count() == 3
    with pytest.raises(dependencies.DependencyCycle) as two:
        link(boss, b, a)
    assert two.value.details["cycle"] == [b["id"], a["id"], b["id"]]


def test_unlink_removes_the_block_and_an_unknown_link_is_404(crew):
    boss, ann, bob = crew
    first, second = new_task(boss, ann), new_task(boss, bob)
    link(boss, second, first)
    cursor = last_event_id()
    unlink(boss, second, first)
    assert load(second["id"])["depends_on"] == [] and load(second["id"])["is_blocked"] is False
    assert [e["task"]["id"] for e in events_after(cursor)] == [second["id"]]
    with pytest.raises(NotFound):
        unlink(boss, second, first)
    actions = [row["action"] for row in audit.history(second["id"])[0]]
    assert "link" in actions and "unlink" in actions and audit.verify()[0]


def set_pace(task_id, progress_percentage, points_per_hour, hours_ago=0.5, due=None):
    """A task that has run steadily for hours: its stored pace, as forecast.fold leaves it."""
    last = utcnow() - datetime.timedelta(hours=hours_ago)
    Task.update(progress_percentage=progress_percentage, status="IN_PROGRESS",
                pace_gain=points_per_hour * 4, pace_seconds=4 * 3600.0,
                last_progress_update_at=last, due_date=due).where(Task.id == task_id).execute()


def when(task):
    return datetime.datetime.fromisoformat(task["forecast_completion_at"]).replace(tzinfo=None)


def test_a_dependent_is_never_forecast_before_its_predecessors(crew):
    boss, ann, bob = crew
    slow, fast = new_task(boss, ann), new_task(boss, bob)
    set_pace(slow["id"], 10, 5)   # 90 points at 5 an hour: ~18 h
    set_pace(fast["id"], 50, 50)  # 50 points at 50 an hour: ~1 h on its own
    alone = load(fast["id"])
    link(boss, fast, slow)
    bound, linked = load(slow["id"]), load(fast["id"])
    own_work = when(alone) - utcnow()
    assert when(linked) >= when(bound)
    assert abs((when(linked) - when(bound)) - own_work) < datetime.timedelta(minutes=2)


def test_at_risk_follows_the_predecessor_even_without_an_own_pace(crew):
    boss, ann, bob = crew
    slow, waiting = new_task(boss, ann), new_task(boss, bob)
    set_pace(slow["id"], 10, 5)  # done in ~18 h
    Task.update(due_date=utcnow() + datetime.timedelta(hours=5)).where(Task.id == waiting["id"]).execute()
    assert load(waiting["id"])["at_risk"] is False
    body = link(boss, waiting, slow)
    assert body["at_risk"] is True and body["forecast_completion_at"] is None


def test_predecessor_progress_pushes_changed_only_for_moved_dependents(crew):
    boss, ann, bob = crew
    root, child, grandchild, elsewhere = (new_task(boss, ann), new_task(boss, bob),
                                          new_task(boss, bob), new_task(boss, bob))
    for task in (root, child, grandchild):
        set_pace(task["id"], 10, 10)
    link(boss, child, root)
    link(boss, grandchild, child)
    cursor = last_event_id()
    progress(ann, root["id"], 90)  # the root's forecast moves: both downstream forecasts move
    seen = [(e["type"], e["task"]["id"]) for e in events_after(cursor)]
    assert seen == [("task.updated", root["id"]), ("task.changed", child["id"]),
                    ("task.changed", grandchild["id"])]
    cursor = last_event_id()
    progress(bob, elsewhere["id"], 30)  # nothing downstream: one event
    assert [e["task"]["id"] for e in events_after(cursor)] == [elsewhere["id"]]


def test_finishing_a_predecessor_unblocks_with_a_new_version(crew):
    boss, ann, bob = crew
    first, second = new_task(boss, ann), new_task(boss, bob)
    version = link(boss, second, first)["version"]
    cursor = last_event_id()
    progress(ann, first["id"], 100)
    pushed = [e["task"] for e in events_after(cursor) if e["task"]["id"] == second["id"]]
    assert pushed[-1]["blocked_by"] == [] and pushed[-1]["version"] == version + 1
    assert load(second["id"])["version"] == version + 1
