"""Two server processes on one PostgreSQL database: Alpha's lead, subscribed on the second
process, receives Alpha's events written through the first and none of Bravo's; a membership
change made on the first moves the lead's scope on the second at once (no reconnect)."""
import pytest

from support.client import Api, Company
from support.push import connect, long_poll, recv_json
from support.server import ServerProcess, server_env, start_server
from support.teams import two_teams

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_servers(pg_url, tmp_path):
    env = {"TRACKER_PUSH_POLL_SECONDS": 30, "TRACKER_AUTH_CACHE_SECONDS": 60}
    first = start_server(tmp_path, db_url=pg_url, **env)
    second = ServerProcess(pg_url, tmp_path / "second.log", env=server_env(**env)).start()
    yield first, second
    second.stop()
    first.stop()


def until_task(ws, task_id, version):
    frames = []
    while True:
        frames.append(recv_json(ws))
        task = frames[-1].get("task") or {}
        if task.get("id") == task_id and task.get("version") == version:
            return frames


def test_a_leads_socket_on_another_process_gets_only_the_team(two_servers):
    first, second = two_servers
    company = Company(first)
    alpha, bravo = two_teams(company)
    lead = alpha.people["lead"]
    cursor = lead.get("/api/admin/task-status/").json()["cursor"]
    on_second = Api(second.url, lead.token, lead.user)
    ws = connect(second, on_second, after=cursor)
    try:
        owner = company.owner
        assert owner.patch("/api/admin/tasks/%d/" % bravo.tasks[0]["id"], {"priority": "HIGH"}).status_code == 200
        alpha_version = owner.patch("/api/admin/tasks/%d/" % alpha.tasks[0]["id"],
                                    {"priority": "LOW"}).json()["version"]
        frames = until_task(ws, alpha.tasks[0]["id"], alpha_version)
        assert "bravo" not in repr(frames).lower()
        # Alpha's lead is made a viewer of Bravo on the first process: the change itself and
        # Bravo's next event reach the socket on the second, which never reconnected.
        put = owner.request("PUT", "/api/admin/teams/%d/members/%d/" % (bravo.team["id"], lead.user["id"]),
                            json={"role": "viewer"})
        assert put.status_code == 200, put.text
        bravo_version = owner.patch("/api/admin/tasks/%d/" % bravo.tasks[0]["id"],
                                    {"priority": "LOW"}).json()["version"]
        frames = until_task(ws, bravo.tasks[0]["id"], bravo_version)
        assert frames[0]["type"] == "team.changed" and frames[0]["team"]["id"] == bravo.team["id"]
    finally:
        ws.close()
    polled = long_poll(on_second, cursor, timeout=5)["events"]
    seen = {(e.get("task") or {}).get("id") for e in polled}
    assert alpha.tasks[0]["id"] in seen and bravo.tasks[0]["id"] in seen  # now a viewer of both
