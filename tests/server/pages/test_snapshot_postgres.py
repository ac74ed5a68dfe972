"""Two server processes on one PostgreSQL database: the monitor's data of each (its board's
cards and counts kept from the bus, and the cards' recent updates) equals what the audit trail
holds, however the writes were spread over the two."""
import pytest

from support.browser import form_session
from support.client import Api, Company
from support.server import USER_PASSWORD, ServerProcess, server_env, start_server
from support.wait import wait_until

pytestmark = pytest.mark.postgres
SNAPSHOT = "/dashboard/tasks/monitor/snapshot.json"


@pytest.fixture
def two_servers(pg_url, tmp_path):
    first = start_server(tmp_path, db_url=pg_url)
    second = ServerProcess(pg_url, tmp_path / "second.log", env=server_env()).start()
    yield first, second
    second.stop()
    first.stop()


def caught_up(server, cursor, timeout=15.0):
    """The server's snapshot once its board reflects at least `cursor`."""
    page = form_session(server.url)
    def reached():
        body = page.get(server.url + SNAPSHOT, timeout=30).json()
        return body if body["cursor"] >= cursor else None
    return wait_until(reached, timeout, "the board never reached event %d" % cursor)


def test_each_process_board_holds_the_audit_trails_recent_updates(two_servers):
    first, second = two_servers
    company = Company(first)
    people = [company.user(), company.user()]
    on_second = [Api(second.url).login(p.user["username"], USER_PASSWORD) for p in people]
    made = [company.task(people[n % 2]) for n in range(4)]
    caught_up(second, 0)  # the second's board and recent updates are read before the writes
    for step, percent in enumerate((10, 20, 30, 40, 50, 60, 70)):
        task = made[step % 3]
        api = (people, on_second)[step % 2][made.index(task) % 2]  # each write to either process
        assert api.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": percent}).ok
    cursor = max(caught_up(first, 0)["cursor"], caught_up(second, 0)["cursor"])
    bodies = [caught_up(server, cursor) for server in (first, second)]
    ids = ",".join(str(task["id"]) for task in made)
    for server in (first, second):
        recent = form_session(server.url).get(server.url + "/api/admin/task-updates/?ids=" + ids,
                                              timeout=30).json()["updates"]
        for task in made:
            history = company.owner.get("/api/task/%d/history/?limit=5" % task["id"]).json()["updates"]
            shown = recent[str(task["id"])]
            assert [(u["id"], u["action"], u["new_percentage"]) for u in shown] == [
                (u["id"], u["action"], u["new_percentage"]) for u in history]
    strip = [{k: v for k, v in body.items() if k not in ("employees", "cursor")} for body in bodies]
    for body in strip:
        for task in body["tasks"]:
            task.pop("forecast_completion_at")  # derived from the moment of reading
    assert strip[0] == strip[1]
