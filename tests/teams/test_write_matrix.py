"""Every write route of the OpenAPI document: as Alpha's viewer on Alpha's objects, refused with
nothing written; as Alpha's lead on Bravo's objects, refused exactly as on missing ones, nothing
written. The routes come from the served document."""
import datetime

import pytest
import requests

from support.routes import MISSING, OWN, concrete, ids_of, normal, operations

WRITES = {"post", "put", "patch", "delete"}


def bodies(alpha):
    """A plausible body per route: a refusal must come from the scope, not from a bad body."""
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=5)
    member = alpha.people["member1"].user["id"]
    return {
        "/api/admin/tasks/": {"title": "Viewer's task", "assignee_id": member},
        "/api/admin/tasks/{task_id}/": {"priority": "URGENT"},
        "/api/admin/tasks/{task_id}/dependencies/": {"depends_on": alpha.tasks[0]["id"]},
        "/api/task/{task_id}/progress/": {"progress_percentage": 77},
        "/api/task/{task_id}/comments/": {"body": "a viewer's word"},
        "/api/comments/{comment_id}/": {"body": "changed"},
        "/api/task/{task_id}/time-entries/": {"started_at": start.isoformat(),
                                               "ended_at": (start + datetime.timedelta(minutes=5)).isoformat()},
        "/api/time-entries/{entry_id}/": {"note": "changed"},
        "/api/admin/users/": {"username": "made_by_viewer", "password": "a-long-password-1"},
        "/api/admin/users/{user_id}/": {"full_name": "Renamed"},
        "/api/admin/projects/": {"name": "Viewer project"},
        "/api/admin/projects/{project_id}/": {"archived": True},
        "/api/admin/webhooks/": {"url": "https://example.com/hook", "events": ["*"]},
        "/api/admin/webhooks/{hook_id}/": {"description": "x"},
        "/api/admin/teams/": {"name": "Viewer team"},
        "/api/admin/teams/{team_id}/": {"name": "Renamed team"},
        "/api/admin/teams/{team_id}/members/{user_id}/": {"role": "lead"},
    }


def state(owner):
    """What any write would change, read as the owner."""
    parts = [owner.get("/api/admin/task-status/").json()["cursor"],
             len(owner.get("/api/admin/export/audit.csv").text.splitlines())]
    for path in ("/api/admin/users/?limit=500", "/api/admin/teams/", "/api/admin/projects/",
                 "/api/admin/webhooks/", "/api/admin/export/time.csv"):
        parts.append(owner.get(path).text)
    return parts


def send(api, method, path, body):
    return api.request(method.upper(), path, json=None if method == "delete" else body)


@pytest.fixture(scope="module")
def document(server):
    return requests.get(server.url + "/api/openapi.json", timeout=30).json()


def test_every_write_as_a_viewer_is_refused_and_writes_nothing(company, teams, document):
    alpha, bravo = teams
    viewer, ids, samples = alpha.people["viewer"], ids_of(alpha, bravo), bodies(alpha)
    walked = 0
    for path, method in operations(document, WRITES):
        if path in OWN:
            continue
        before = state(company.owner)
        answer = send(viewer, method, concrete(path, ids, 0), samples.get(path, {}))
        assert 400 <= answer.status_code < 500, (method, path, answer.status_code, answer.text)
        assert state(company.owner) == before, (method, path)
        walked += 1
    assert walked >= 20


def test_every_write_on_the_other_team_is_refused_as_if_missing(company, teams, document):
    alpha, bravo = teams
    lead, ids, samples = alpha.people["lead"], ids_of(alpha, bravo), bodies(alpha)
    bravo_ids = [pair[1] for pair in ids.values()]
    for path, method in operations(document, WRITES):
        if path in OWN or "{" not in path:
            continue
        before = state(company.owner)
        theirs = send(lead, method, concrete(path, ids, 1), samples.get(path, {}))
        assert 400 <= theirs.status_code < 500, (method, path, theirs.text)
        missing = send(lead, method, concrete(path, ids, None), samples.get(path, {}))
        assert theirs.status_code == missing.status_code, (method, path, theirs.text, missing.text)
        assert normal(theirs.text, bravo_ids) == normal(missing.text, [MISSING]), (method, path)
        assert state(company.owner) == before, (method, path)


def test_a_lead_assigns_only_inside_their_teams(company, teams):
    alpha, bravo = teams
    lead = alpha.people["lead"]
    outside = lead.post("/api/admin/tasks/", {"title": "Out", "assignee_id": bravo.people["member1"].user["id"]})
    missing = lead.post("/api/admin/tasks/", {"title": "Out", "assignee_id": MISSING})
    assert outside.status_code == missing.status_code == 400
    assert normal(outside.text, [bravo.people["member1"].user["id"]]) == normal(missing.text, [MISSING])
    inside = lead.post("/api/admin/tasks/", {"title": "Alpha lead's task",
                                             "assignee_id": alpha.people["member2"].user["id"]})
    assert inside.status_code == 201, inside.text
    task = inside.json()
    away = lead.patch("/api/admin/tasks/%d/" % task["id"], {"assignee_id": bravo.people["member2"].user["id"]})
    assert away.status_code == 400 and away.json()["error"]["field"] == "assignee_id"
    assert lead.patch("/api/admin/tasks/%d/" % task["id"], {"status": "CANCELLED"}).status_code == 200
