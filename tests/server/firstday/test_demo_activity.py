"""The demo's simulated activity moves only the demo's own tasks, as the demo's own people nobody
signed in as; the pages, the web app and the server's output say it runs; `--quiet` stops it."""
import re
import sys
import time

import pytest

from server.demo import PEOPLE
from support.browser import form_session
from support.client import Api
from support.push import long_poll, newest_id
from support.server import ServerProcess, server_env

BANNER = "Demo: simulated activity is running"
DEMO_TASKS = range(1, 31)  # the 30 tasks the demo seeds into an empty database


@pytest.fixture(scope="module")
def live_demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live-demo")
    env = server_env(TRACKER_DEMO="true", TRACKER_DEMO_LIVE="true",
                     TRACKER_DEMO_ACTIVITY_SECONDS="0.05")
    srv = ServerProcess("sqlite:///%s" % (tmp / "demo.db"), tmp / "demo.log", env=env).start()
    yield srv
    srv.stop()


def simulated_updates(admin, after, wanted, seconds=30):
    """The task.updated events after `after` until `wanted` of them came (long-poll, a deadline)."""
    found, deadline = [], time.monotonic() + seconds
    while len(found) < wanted:
        assert time.monotonic() < deadline, "only %d simulated updates in %d s" % (len(found), seconds)
        body = long_poll(admin, after)
        found += [event for event in body["events"] if event["type"] == "task.updated"]
        after = body["cursor"]
    return found


def progress_within(api, after, seconds):
    """The task.updated events of the next `seconds` (the stale check may announce tasks)."""
    found, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = long_poll(api, after, timeout=1)
        found += [event for event in body["events"] if event["type"] == "task.updated"]
        after = body["cursor"]
    return found


def test_simulation_leaves_your_tasks_and_the_people_you_signed_in_as_alone(live_demo):
    admin = Api(live_demo.url).login("adam", "admin-demo-pass")
    emma = Api(live_demo.url).login("emma", "employee-demo-pass")
    liam_id = next(e["id"] for e in admin.get("/api/admin/task-status/").json()["employees"]
                   if e["username"] == "liam")
    mine = [admin.post("/api/admin/tasks/", {"title": "Real work for %s" % who, "assignee_id": who_id}).json()
            for who, who_id in (("emma", emma.user["id"]), ("liam", liam_id))]
    after = newest_id(admin)
    updates = simulated_updates(admin, after, wanted=12)
    moved = {event["task"]["id"] for event in updates}
    authors = {event["update"]["user"]["username"] for event in updates}
    assert moved <= set(DEMO_TASKS), moved
    assert not moved & {task["id"] for task in mine}
    assert "emma" not in authors and authors, authors
    for task in mine:
        assert admin.get("/api/admin/tasks/%d/" % task["id"]).json()["version"] == task["version"]


def test_pages_and_the_web_app_say_a_simulation_runs(live_demo):
    admin = form_session(live_demo.url, "adam", "admin-demo-pass")
    for path in ("/dashboard/tasks/monitor/", "/dashboard/tasks/assign/", "/dashboard/tasks/1/"):
        page = admin.get(live_demo.url + path, timeout=30)
        assert page.status_code == 200 and BANNER in page.text, path
    employee = form_session(live_demo.url, "mia", "employee-demo-pass")
    assert BANNER in employee.get(live_demo.url + "/app/", timeout=30).text
    log = live_demo.log()
    assert BANNER in log and "--quiet" in log


def test_quiet_holds_the_company_still_and_prints_every_login(tmp_path):
    db_url = "sqlite:///%s" % (tmp_path / "quiet.db")
    command = [sys.executable, "-m", "server", "serve", "--demo", "--quiet"]
    env = server_env(TRACKER_DEMO_ACTIVITY_SECONDS="0.05")
    for run in ("first", "again"):  # a second start on the same database prints the logins again
        srv = ServerProcess(db_url, tmp_path / ("%s.log" % run), env=env, command=command).start()
        try:
            admin = form_session(srv.url, "adam", "admin-demo-pass")
            monitor = admin.get(srv.url + "/dashboard/tasks/monitor/", timeout=30).text
            assert BANNER not in monitor and 'id="checklist"' not in monitor  # the demo needs no set-up
            api = Api(srv.url).login("olivia", "owner-demo-pass")
            assert progress_within(api, newest_id(api), seconds=1) == []
        finally:
            srv.stop()
        printed = srv.log()
        assert BANNER not in printed
        for role, username, _name in PEOPLE:
            assert re.search(r"%s\s+%s\s+password: \S+" % (role, username), printed), (username, printed)
