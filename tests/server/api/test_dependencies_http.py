"""Dependency links over HTTP on a real server: who may link, every refusal in the one error
shape with nothing written, the blocked completion, the board's Blocked filter, and the push."""
import pytest

from support.push import connect, newest_id, recv_json


def deps_path(task, other=None):
    path = "/api/admin/tasks/%d/dependencies/" % task["id"]
    return path + ("%d/" % other["id"] if other else "")


@pytest.fixture
def pair(company):
    worker = company.user()
    first, second = company.task(worker), company.task(worker)
    return worker, first, second


def test_admin_links_and_unlinks_and_the_task_shows_it(company, pair):
    worker, first, second = pair
    linked = company.owner.post(deps_path(second), {"depends_on": first["id"]})
    assert linked.status_code == 201, linked.text
    body = linked.json()
    assert (body["id"], body["depends_on"], body["blocked_by"], body["is_blocked"]) == (
        second["id"], [first["id"]], [first["id"]], True)
    mine = {t["id"]: t for t in worker.get("/api/employee-tasks/").json()["tasks"]}
    assert mine[second["id"]]["blocked_by"] == [first["id"]]
    near = company.owner.get(deps_path(first)).json()
    assert [t["id"] for t in near["successors"]] == [second["id"]] and near["predecessors"] == []
    gone = company.owner.request("DELETE", deps_path(second, first))
    assert gone.status_code == 204 and gone.content == b""
    assert company.owner.get("/api/admin/tasks/%d/" % second["id"]).json()["depends_on"] == []
    again = company.owner.request("DELETE", deps_path(second, first))
    assert again.status_code == 404 and again.json()["error"]["code"] == "not_found"


def test_completing_a_blocked_task_is_409_naming_the_blockers(company, pair):
    worker, first, second = pair
    company.owner.post(deps_path(second), {"depends_on": first["id"]})
    for path, body in (("/api/task/%d/complete/", None),
                       ("/api/task/%d/progress/", {"progress_percentage": 100})):
        refused = worker.post(path % second["id"], body)
        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["code"] == "blocked" and error["blocked_by"] == [first["id"]]
        assert "#%d" % first["id"] in error["message"]
    assert worker.post("/api/task/%d/progress/" % second["id"],
                       {"progress_percentage": 40}).status_code == 200
    assert worker.post("/api/task/%d/complete/" % first["id"]).status_code == 200
    assert worker.post("/api/task/%d/complete/" % second["id"]).status_code == 200


def test_a_cycle_is_409_with_its_path(company, pair):
    _worker, first, second = pair
    company.owner.post(deps_path(second), {"depends_on": first["id"]})
    refused = company.owner.post(deps_path(first), {"depends_on": second["id"]})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "dependency_cycle"
    assert error["cycle"] == [first["id"], second["id"], first["id"]]


BAD = [
    ("self", lambda first, second: (second, {"depends_on": second["id"]}), 400, "validation_error"),
    ("duplicate", lambda first, second: (second, {"depends_on": first["id"]}), 409, "dependency_exists"),
    ("unknown predecessor", lambda first, second: (second, {"depends_on": 99999999}), 404, "not_found"),
    ("unknown task", lambda first, second: ({"id": 99999999}, {"depends_on": first["id"]}), 404, "not_found"),
    ("a string id", lambda first, second: (second, {"depends_on": str(first["id"])}), 400, "validation_error"),
    ("no id", lambda first, second: (second, {}), 400, "validation_error"),
    ("an extra field", lambda first, second: (second, {"depends_on": first["id"], "x": 1}), 400,
     "validation_error"),
    ("not an object", lambda first, second: (second, [first["id"]]), 400, "validation_error"),
]


@pytest.mark.parametrize("name, make, status, code", BAD, ids=[b[0] for b in BAD])
def test_bad_links_are_refused_and_write_nothing(company, pair, name, make, status, code):
    _worker, first, second = pair
    company.owner.post(deps_path(second), {"depends_on": first["id"]})
    before = company.owner.get("/api/admin/tasks/%d/" % second["id"]).json()
    task, body = make(first, second)
    refused = company.owner.post(deps_path(task), body)
    assert refused.status_code == status, refused.text
    assert refused.json()["error"]["code"] == code
    assert company.owner.get("/api/admin/tasks/%d/" % second["id"]).json() == before


def test_employees_may_not_link_or_unlink(company, pair):
    worker, first, second = pair
    assert worker.post(deps_path(second), {"depends_on": first["id"]}).status_code == 403
    assert worker.request("DELETE", deps_path(second, first)).status_code == 403
    assert worker.get(deps_path(second)).status_code == 403
    assert company.owner.get("/api/admin/tasks/%d/" % second["id"]).json()["depends_on"] == []


def test_the_board_filters_blocked_tasks(company, pair):
    _worker, first, second = pair
    company.owner.post(deps_path(second), {"depends_on": first["id"]})
    blocked = company.owner.get("/api/admin/task-status/?blocked=true").json()["tasks"]
    free = company.owner.get("/api/admin/task-status/?blocked=false").json()["tasks"]
    assert second["id"] in {t["id"] for t in blocked} and first["id"] not in {t["id"] for t in blocked}
    assert first["id"] in {t["id"] for t in free}
    bad = company.owner.get("/api/admin/task-status/?blocked=maybe")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "blocked"


def test_finishing_a_predecessor_pushes_the_unblocked_task_to_its_assignee(company, server):
    ann, bob = company.user(), company.user()
    first, second = company.task(ann), company.task(bob)
    company.owner.post(deps_path(second), {"depends_on": first["id"]})
    socket = connect(server, bob, after=newest_id(bob))
    try:
        assert ann.post("/api/task/%d/complete/" % first["id"]).status_code == 200
        message = recv_json(socket)
        while (message.get("task") or {}).get("id") != second["id"]:
            assert (message.get("task") or {}).get("id") != first["id"], "not bob's task"
            message = recv_json(socket)
        assert message["type"] == "task.changed" and message["task"]["blocked_by"] == []
    finally:
        socket.close()
