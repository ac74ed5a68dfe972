"""The leak matrix (issue 25): every route of the OpenAPI document, walked as the lead and as the
viewer of team Alpha, shows nothing of team Bravo — objects, lists, counts, CSV, the calendar
feed, and both push transports — and answers a Bravo id exactly as it answers a missing one.
The routes come from the served document, so a new route cannot be forgotten."""

import pytest
import requests

from support.push import connect, long_poll, recv_json
from support.routes import LEAK, MISSING, concrete, ids_of, normal, operations, takes_ids

@pytest.fixture(scope="module")
def document(server):
    return requests.get(server.url + "/api/openapi.json", timeout=30).json()


def task_objects(value):
    """Every task object (a dict with an assignee) anywhere in a JSON answer."""
    if isinstance(value, dict):
        if "assignee" in value and "title" in value:
            yield value
        for inner in value.values():
            yield from task_objects(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from task_objects(inner)


def assert_clean(answer, alpha, where):
    assert not LEAK.search(answer.text), "%s leaks Bravo: %s" % (where, answer.text[:2000])
    if answer.headers.get("Content-Type", "").startswith("application/json") and "openapi" not in where:
        for task in task_objects(answer.json()):
            assert task["assignee"]["id"] in alpha.ids, (where, task)


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_every_read_route_shows_nothing_of_the_other_team(teams, document, who):
    alpha, bravo = teams
    reader, ids = alpha.people[who], ids_of(alpha, bravo)
    walked = 0
    for path, _method in operations(document, {"get"}):
        assert_clean(reader.get(concrete(path, ids, 0)), alpha, path)
        walked += 1
        if not takes_ids(path):
            continue
        theirs, missing = reader.get(concrete(path, ids, 1)), reader.get(concrete(path, ids, None))
        assert theirs.status_code == missing.status_code, (path, theirs.text, missing.text)
        bravo_ids = [value[1] for value in ids.values()]
        assert normal(theirs.text, bravo_ids) == normal(missing.text, [MISSING]), path
    assert walked >= 20


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_lists_and_counts_hold_only_the_team(teams, who):
    alpha, _bravo = teams
    reader = alpha.people[who]
    board = reader.get("/api/admin/task-status/").json()
    assert {t["id"] for t in board["tasks"]} == {t["id"] for t in alpha.tasks}
    assert board["summary"]["total"] == len(alpha.tasks)
    assert {p["id"] for p in board["employees"]} <= alpha.ids
    stats = reader.get("/api/admin/statistics/").json()
    assert stats["total_tasks"] == len(alpha.tasks)
    assert {row["id"] for row in stats["employees"]} <= alpha.ids
    assert [team["id"] for team in stats["teams"]] == [alpha.team["id"]]
    audit = reader.get("/api/admin/export/audit.csv").text.splitlines()[1:]
    assert audit and {int(line.split(",")[1]) for line in audit} <= {t["id"] for t in alpha.tasks}
    assert len(reader.get("/api/admin/export/time.csv").text.splitlines()) == 2  # header + Alpha's


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_filters_naming_the_other_team_answer_as_missing_ones(teams, who):
    alpha, bravo = teams
    reader = alpha.people[who]
    for path in ("/api/admin/task-status/?team=%d", "/api/admin/statistics/?team=%d"):
        theirs, missing = reader.get(path % bravo.team["id"]), reader.get(path % MISSING)
        assert theirs.status_code == missing.status_code == 400
        assert normal(theirs.text, [bravo.team["id"]]) == normal(missing.text, [MISSING])
    by_person = reader.get("/api/admin/task-status/?employee=%d" % bravo.people["member1"].user["id"])
    assert by_person.json()["tasks"] == [] and not LEAK.search(by_person.text)
    grouped = reader.get("/api/admin/task-status/?group=team").json()["groups"]
    assert [(g["id"], g["total"]) for g in grouped] == [(alpha.team["id"], len(alpha.tasks))]


def test_a_link_across_teams_shows_no_title(teams):
    alpha, bravo = teams
    links = alpha.people["lead"].get("/api/admin/tasks/%d/dependencies/" % alpha.tasks[1]["id"]).json()
    assert links["predecessors"] == [{"id": bravo.tasks[1]["id"], "title": "a task outside your teams",
                                      "outside_scope": True}]


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_calendar_feed_holds_only_the_team(teams, who):
    alpha, _bravo = teams
    reader = alpha.people[who]
    url = reader.get("/api/me/calendar/").json()["url"]
    feed = requests.get(url, timeout=30)
    assert feed.status_code == 200 and not LEAK.search(feed.text)
    assert all(task["title"] in feed.text for task in alpha.tasks)


def bravo_and_then_alpha_change(company, alpha, bravo):
    """A Bravo change, a Bravo presence, then an Alpha change: the id of the Alpha event."""
    owner = company.owner
    assert owner.patch("/api/admin/tasks/%d/" % bravo.tasks[0]["id"], {"priority": "HIGH"}).status_code == 200
    assert bravo.people["member2"].post("/api/heartbeat/", {"occupancy_status": "ACTIVE"}).status_code == 200
    answer = owner.patch("/api/admin/tasks/%d/" % alpha.tasks[0]["id"], {"priority": "LOW"})
    assert answer.status_code == 200
    return answer.json()["version"]


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_push_on_both_transports_carries_only_the_team(server, company, teams, who):
    alpha, bravo = teams
    reader = alpha.people[who]
    ws = connect(server, reader, after=0)
    try:
        version = bravo_and_then_alpha_change(company, alpha, bravo)
        frames = []
        while True:  # every event from the very first, up to the Alpha change
            frames.append(recv_json(ws))
            task = frames[-1].get("task") or {}
            if task.get("id") == alpha.tasks[0]["id"] and task.get("version") == version:
                break
    finally:
        ws.close()
    polled, cursor = [], 0
    while not any((e.get("task") or {}).get("version") == version and e["task"]["id"] == alpha.tasks[0]["id"]
                  for e in polled):
        body = long_poll(reader, cursor, timeout=5)
        polled += body["events"]
        cursor = body["cursor"]
    for events in (frames, polled):
        assert not LEAK.search(repr(events)), events
        assert any(e["type"] == "comment.created" for e in events)
        for event in events:
            if event.get("task"):
                assert event["task"]["assignee"]["id"] in alpha.ids
            if event.get("employee"):
                assert event["employee"]["id"] in alpha.ids


def test_mentions_link_and_a_viewer_does_not_comment(teams):
    """Mentions link any active user (so a name says nothing of roles); the mention mail goes to
    those who see the task, its team's leads and viewers among them (mention_limits.sees)."""
    alpha, _bravo = teams
    assert alpha.comments[0]["mentions"] == [{"id": alpha.people["lead"].user["id"],
                                              "username": alpha.people["lead"].user["username"]}]
    assert alpha.people["lead"].get("/api/task/%d/comments/" % alpha.tasks[0]["id"]).status_code == 200
    refused = alpha.people["viewer"].post("/api/task/%d/comments/" % alpha.tasks[0]["id"], {"body": "x"})
    assert refused.status_code == 403
