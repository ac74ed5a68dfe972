"""The task board's search, flag filters and grouping, on the board itself and through
/api/admin/task-status/ on a real server: what each finds, and every bad value refused with a 400."""
import datetime
import json
import uuid

import pytest

from server.services.monitor import board
from server.push.bus import Bus
from server import settings
from server.services.monitor import query as board_query
from server.services.core.errors import ValidationError
from server.store.times import utcnow
from support.db import new_task as create, people, progress


@pytest.fixture
def task_board(database):
    bus = Bus(dict(settings.DEFAULTS, db="unused"))
    bus.load()
    return board.TaskBoard(bus)


def titles(task_board, **args):
    filters, _group = board_query.parse(args)
    entries, _cursor = task_board.select(filters)
    return sorted(json.loads(e.data)["title"] for e in entries)


def test_search_finds_every_word_in_title_assignee_or_project(task_board):
    from server.services.tasks.projects import create_project
    from server.store.database import db
    boss, ann, bob = people()
    with db.atomic():
        apollo = create_project({"name": "Apollo Launch", "description": ""})
    create(boss, ann, title="Write the Quarterly report")
    create(boss, bob, title="Fix the boiler", project_id=apollo["id"])
    create(boss, bob, title="Paint")
    assert titles(task_board, q="quarterly") == ["Write the Quarterly report"]
    assert titles(task_board, q="  BOB  ") == ["Fix the boiler", "Paint"]  # the assignee
    assert titles(task_board, q="apollo") == ["Fix the boiler"]  # the project's name
    assert titles(task_board, q="bob launch") == ["Fix the boiler"]  # every word, anywhere
    assert titles(task_board, q="bob quarterly") == []
    assert titles(task_board, q="   ") == titles(task_board)  # no words: no search
    assert titles(task_board, project="none") == ["Paint", "Write the Quarterly report"]


def test_flag_filters_pick_overdue_stale_and_at_risk(task_board):
    boss, ann, _bob = people()
    late = create(boss, ann, title="late", due_date=utcnow() - datetime.timedelta(hours=1))
    create(boss, ann, title="fresh", due_date=utcnow() + datetime.timedelta(days=30))
    progress(ann, late["id"], 5)
    assert titles(task_board, overdue="true") == ["late"]
    assert titles(task_board, overdue="false") == ["fresh"]
    assert titles(task_board, stale="true") == ["late"]  # overdue with little progress
    entries, _ = task_board.select({})
    risky = sorted(json.loads(e.data)["title"] for e in entries if json.loads(e.data)["at_risk"])
    assert titles(task_board, at_risk="true") == risky
    assert sorted(titles(task_board, at_risk="true") + titles(task_board, at_risk="false")) == [
        "fresh", "late"]


def test_groups_count_each_employee_and_project(task_board):
    boss, ann, bob = people()
    for _ in range(3):
        create(boss, ann)
    done = create(boss, bob)
    progress(bob, done["id"], 100)
    entries, _ = task_board.select({})
    by_person = board.groups(entries, "employee")
    assert [(g["name"], g["total"], g["pending"], g["done"]) for g in by_person] == [
        ("Ann", 3, 3, 0), ("Bob", 1, 0, 1)]
    assert board.groups(entries, "project") == [dict(
        {"id": None, "name": "No project"}, total=4, pending=3, in_progress=0, done=1, cancelled=0,
        overdue=0, at_risk=0, stale=0)]


@pytest.mark.parametrize("args, field", [
    ({"q": "x" * 201}, "q"), ({"q": "a\x00b"}, "q"), ({"at_risk": "yes"}, "at_risk"),
    ({"stale": "1"}, "stale"), ({"overdue": ""}, "overdue"), ({"group": "status"}, "group"),
    ({"project": "None"}, "project"), ({"project": "-3"}, "project"), ({"employee": "ann"}, "employee")])
def test_bad_board_queries_name_their_argument(args, field):
    with pytest.raises(ValidationError) as refused:
        board_query.parse(args)
    assert refused.value.field == field


@pytest.fixture(scope="module")
def served(tmp_path_factory, company):
    ann = company.user(name="ann_%s" % uuid.uuid4().hex[:6])
    found = company.task(ann, title="Needle in the haystack", priority="URGENT")
    company.task(ann, title="Hay")
    return company.owner, ann, found


def test_the_api_searches_and_groups(served):
    owner, ann, needle = served
    body = owner.get("/api/admin/task-status/?q=NEEDLE&group=employee").json()
    assert [t["id"] for t in body["tasks"]] == [needle["id"]]
    assert body["summary"]["total"] == 1
    assert body["groups"] == [dict({"id": ann.user["id"], "name": ann.user["full_name"]}, total=1,
                                   pending=1, in_progress=0, done=0, cancelled=0, overdue=0,
                                   at_risk=0, stale=0)]
    plain = owner.get("/api/admin/task-status/").json()
    assert "groups" not in plain and set(plain) == {"tasks", "summary", "employees", "cursor"}


@pytest.mark.parametrize("query, field", [
    ("q=" + "x" * 201, "q"), ("at_risk=maybe", "at_risk"), ("stale=TRUE", "stale"),
    ("overdue=1", "overdue"), ("group=priority", "group"), ("project=nothing", "project"),
    ("status=STALE", "status")])
def test_the_api_refuses_bad_queries_with_a_400(served, query, field):
    owner, _ann, _needle = served
    answer = owner.get("/api/admin/task-status/?" + query)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["field"] == field


def test_the_openapi_document_lists_the_new_arguments(served):
    owner, _ann, _needle = served
    document = owner.get("/api/openapi.json").json()
    names = {p["name"] for p in document["paths"]["/api/admin/task-status/"]["get"]["parameters"]}
    assert {"q", "at_risk", "stale", "overdue", "group", "status", "employee", "project",
            "priority"} <= names


def test_an_employee_cannot_search_the_board(served):
    _owner, ann, _needle = served
    assert ann.get("/api/admin/task-status/?q=needle").status_code == 403
