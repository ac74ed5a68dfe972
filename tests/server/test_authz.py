"""Who may call what: every route without a valid token, employees on admin routes, other people's
tasks, and the last owner."""
import concurrent.futures

import pytest
import requests

from support.client import Api
from support.server import OWNER_PASSWORD, USER_PASSWORD, ServerProcess, server_env, start_server
from support.wait import wait_until

TASK = "{task}"
USER_ROUTES = [
    ("POST", "/api/auth/logout/", None),
    ("GET", "/api/employee-tasks/", None),
    ("POST", "/api/task/%s/progress/" % TASK, {"progress_percentage": 10}),
    ("POST", "/api/task/%s/complete/" % TASK, {}),
    ("GET", "/api/task/%s/history/" % TASK, None),
    ("POST", "/api/heartbeat/", {"occupancy_status": "ACTIVE"}),
]
ADMIN_ROUTES = [
    ("GET", "/api/admin/task-status/", None),
    ("POST", "/api/admin/tasks/", {"title": "x", "assignee_id": 1}),
    ("GET", "/api/admin/tasks/%s/" % TASK, None),
    ("PATCH", "/api/admin/tasks/%s/" % TASK, {"status": "CANCELLED"}),
    ("GET", "/api/admin/users/", None),
    ("POST", "/api/admin/users/", {"username": "intruder", "password": "longenough1", "role": "OWNER"}),
    ("PATCH", "/api/admin/users/1/", {"full_name": "Renamed"}),
    ("GET", "/api/admin/projects/", None),
    ("POST", "/api/admin/projects/", {"name": "Intrusion"}),
    ("GET", "/api/admin/statistics/", None),
]


@pytest.fixture(scope="module")
def setup(company):
    victim, other = company.user(), company.user()
    task = company.task(victim)
    revoked = company.user()
    assert revoked.post("/api/auth/logout/").status_code == 204
    return {"victim": victim, "other": other, "task": task, "revoked": revoked}


def call(server, method, path, body, token, task_id):
    headers = {"Authorization": "Bearer %s" % token} if token else {}
    return requests.request(method, server.url + path.replace(TASK, str(task_id)), json=body,
                            headers=headers, timeout=30)


def snapshot(company, task_id):
    status = company.owner.get("/api/admin/tasks/%d/" % task_id).json()
    history = company.owner.get("/api/task/%d/history/" % task_id).json()["updates"]
    return status, len(history)


@pytest.mark.parametrize("method,path,body", USER_ROUTES + ADMIN_ROUTES)
@pytest.mark.parametrize("credential", ["none", "bad", "revoked", "malformed"])
def test_every_route_needs_a_live_token(server, company, setup, method, path, body, credential):
    before = snapshot(company, setup["task"]["id"])
    token = {"none": None, "bad": "x" * 43, "revoked": setup["revoked"].token,
             "malformed": None}[credential]
    if credential == "malformed":
        answer = requests.request(method, server.url + path.replace(TASK, str(setup["task"]["id"])),
                                  json=body, headers={"Authorization": "Basic abc"}, timeout=30)
    else:
        answer = call(server, method, path, body, token, setup["task"]["id"])
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"]["code"] == "unauthorized"
    assert snapshot(company, setup["task"]["id"]) == before


@pytest.mark.parametrize("method,path,body", ADMIN_ROUTES)
def test_employee_token_is_refused_on_admin_routes(server, company, setup, method, path, body):
    before = snapshot(company, setup["task"]["id"])
    answer = call(server, method, path, body, setup["victim"].token, setup["task"]["id"])
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "forbidden"
    assert "tasks" not in answer.json() and "users" not in answer.json()
    assert snapshot(company, setup["task"]["id"]) == before


@pytest.mark.parametrize("method,path,body", [r for r in USER_ROUTES if TASK in r[1]])
def test_another_employees_task_is_refused_and_unchanged(server, company, setup, method, path, body):
    before = snapshot(company, setup["task"]["id"])
    answer = call(server, method, path, body, setup["other"].token, setup["task"]["id"])
    assert answer.status_code in (403, 404), answer.text
    assert set(answer.json()) == {"error"}
    assert setup["task"]["title"] not in answer.text
    assert snapshot(company, setup["task"]["id"]) == before


def test_admin_is_not_the_assignee_so_cannot_report_progress(company, setup):
    answer = company.owner.post("/api/task/%d/progress/" % setup["task"]["id"], {"progress_percentage": 5})
    assert answer.status_code == 403


def test_an_unknown_task_is_403_to_an_employee_and_404_to_an_admin(company, setup):
    """To an employee a missing id answers like another's task: ids say nothing about what exists."""
    answer = setup["victim"].post("/api/task/999999/progress/", {"progress_percentage": 5})
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
    assert setup["victim"].get("/api/task/999999/history/").status_code == 403
    assert company.owner.get("/api/task/999999/history/").status_code == 404


def test_only_an_owner_creates_admins(company):
    admin_name = "adm_%s" % company.user().user["id"]
    created = company.owner.post("/api/admin/users/", {"username": admin_name, "role": "ADMIN",
                                                       "password": "harbor-violet-31"})
    assert created.status_code == 201
    admin = company.owner.__class__(company.server.url).login(admin_name, "harbor-violet-31")
    for role in ("ADMIN", "OWNER"):
        refused = admin.post("/api/admin/users/", {"username": "esc_%s" % role.lower() + admin_name,
                                                   "role": role, "password": "escalate-123"})
        assert refused.status_code == 403 and refused.json()["error"]["field"] == "role"
    allowed = admin.post("/api/admin/users/", {"username": "emp_" + admin_name, "role": "EMPLOYEE",
                                               "password": "lantern-moss-482"})
    assert allowed.status_code == 201
    names = [u["username"] for u in company.owner.get("/api/admin/users/").json()["users"]]
    assert "esc_admin" + admin_name not in names and "esc_owner" + admin_name not in names


def test_an_admin_cannot_demote_or_disable_an_owner(company):
    admin = company.user("ADMIN")
    for body in ({"role": "EMPLOYEE"}, {"is_active": False}):
        answer = admin.patch("/api/admin/users/%d/" % company.owner.user["id"], body)
        assert answer.status_code == 403
    assert company.owner.get("/api/admin/users/").status_code == 200


@pytest.mark.postgres
def test_two_owners_leaving_at_once_in_two_processes_leave_one_owner(pg_url, tmp_path):
    """Each demotes themselves through another process at the same moment: one must be refused."""
    first = start_server(tmp_path, db_url=pg_url)
    second = ServerProcess(pg_url, tmp_path / "second.log", env=server_env()).start()
    try:
        root = Api(first.url).login("root", OWNER_PASSWORD)
        made = root.post("/api/admin/users/", {"username": "co_owner", "role": "OWNER",
                                               "password": USER_PASSWORD})
        assert made.status_code == 201
        co_owner = Api(second.url).login("co_owner", USER_PASSWORD)
        for _round in range(4):
            leaving = [(root, root.user["id"]), (co_owner, co_owner.user["id"])]
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                statuses = sorted(pool.map(lambda who: who[0].patch(
                    "/api/admin/users/%d/" % who[1], {"role": "ADMIN"}).status_code, leaving))
            assert statuses == [200, 409]
            owners = [u for u in root.get("/api/admin/users/").json()["users"] if u["role"] == "OWNER"]
            assert len(owners) == 1
            stayed = root if owners[0]["id"] == root.user["id"] else co_owner
            left = co_owner if stayed is root else root
            assert stayed.patch("/api/admin/users/%d/" % left.user["id"],
                                {"role": "OWNER"}).status_code == 200
            wait_until(lambda: left.patch("/api/admin/users/%d/" % left.user["id"],  # NOTIFY heard
                                          {"full_name": "Owner again"}).status_code == 200,
                       5, message="the promotion never reached the other process", interval=0.02)
    finally:
        second.stop()
        first.stop()
