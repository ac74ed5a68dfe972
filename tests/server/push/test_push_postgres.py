"""Several server processes on one PostgreSQL database: an event committed by one reaches the
WebSocket and long-poll subscribers of the other (NOTIFY wakes them; the event table is the truth)."""
import asyncio
import json
import threading
import time

import pytest
import tornado.httpclient
import tornado.websocket

from support.client import Api, Company
from support.server import ServerProcess, server_env, start_server
from support.push import (closed_within, connect, ids, long_poll, newest_id, progress, recv_json,
                          ws_url)

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_servers(pg_url, tmp_path):
    # A long safety poll, token cache and ping sweep: what happens within the tests' bounds must
    # come from LISTEN/NOTIFY.
    env = {"TRACKER_PUSH_POLL_SECONDS": 30, "TRACKER_AUTH_CACHE_SECONDS": 60,
           "TRACKER_PUSH_PING_SECONDS": 60}
    first = start_server(tmp_path, db_url=pg_url, **env)
    second = ServerProcess(pg_url, tmp_path / "second.log", env=server_env(**env)).start()
    yield first, second
    second.stop()
    first.stop()


def test_an_update_posted_to_one_process_reaches_subscribers_of_the_other(two_servers):
    first, second = two_servers
    company = Company(first)
    employee = company.user()
    task = company.task(employee)
    owner = company.owner
    start = newest_id(owner)
    ws = connect(second, owner, after=start)  # websocket-client on the second process
    polled = {}
    poller = threading.Thread(target=lambda: polled.update(long_poll(Api(
        second.url, employee.token, employee.user), start, timeout=20)))
    poller.start()

    async def tornado_subscriber():
        request = tornado.httpclient.HTTPRequest(
            ws_url(second, start), headers={"Authorization": "Bearer %s" % owner.token})
        conn = await tornado.websocket.websocket_connect(request)
        try:
            return json.loads(await asyncio.wait_for(conn.read_message(), 15))
        finally:
            conn.close()

    async def scenario():
        listening = asyncio.ensure_future(tornado_subscriber())
        await asyncio.sleep(0.3)  # let both subscribers attach before the change
        began = time.monotonic()
        await asyncio.get_running_loop().run_in_executor(None, progress, employee, task, 64)
        event = await listening
        return event, time.monotonic() - began

    try:
        via_tornado, elapsed = asyncio.run(scenario())
        via_ws = recv_json(ws)
    finally:
        ws.close()
    poller.join(30)
    for event in (via_tornado, via_ws, polled["events"][0]):
        assert event["type"] == "task.updated" and event["task"]["progress_percentage"] == 64
    assert elapsed < 5, elapsed  # well under the 30 s safety poll: NOTIFY woke the second process
    assert ids(polled["events"]) == [via_ws["id"]]


def test_events_from_both_processes_interleave_without_gaps(two_servers):
    first, second = two_servers
    company = Company(first)
    employee = company.user()
    task = company.task(employee)
    on_second = Api(second.url, employee.token, employee.user)
    start = newest_id(company.owner)
    ws_first = connect(first, company.owner, after=start)
    ws_second = connect(second, company.owner, after=start)
    try:
        for pct in range(1, 11):  # alternate the process that commits
            progress(employee if pct % 2 else on_second, task, pct)
        newest = newest_id(company.owner)
        streams = []
        for ws in (ws_first, ws_second):
            got = [recv_json(ws) for _ in range(newest - start)]
            streams.append(got)
    finally:
        ws_first.close()
        ws_second.close()
    for got in streams:
        assert ids(got) == list(range(start + 1, newest + 1))
        assert [e["task"]["progress_percentage"] for e in got] == list(range(1, 11))


def wait_for_status(api, path, status, seconds=5):
    deadline = time.monotonic() + seconds
    while api.get(path).status_code != status:
        assert time.monotonic() < deadline, "%s did not become %d" % (path, status)
        time.sleep(0.05)


def test_a_logout_in_one_process_ends_the_token_in_the_other_at_once(two_servers):
    first, second = two_servers
    employee = Company(first).user()
    on_second = Api(second.url, employee.token, employee.user)
    assert on_second.get("/api/employee-tasks/").status_code == 200  # now in the second's cache
    ws = connect(second, employee, after=newest_id(on_second))
    assert employee.post("/api/auth/logout/").status_code == 204  # on the first process
    wait_for_status(on_second, "/api/employee-tasks/", 401)
    assert closed_within(ws, 5)  # not left for the ping sweep


def test_a_demotion_in_one_process_applies_in_the_other_at_once(two_servers):
    first, second = two_servers
    company = Company(first)
    admin = company.user(role="ADMIN")
    on_second = Api(second.url, admin.token, admin.user)
    assert on_second.get("/api/admin/task-status/").status_code == 200
    ws = connect(second, admin, after=newest_id(on_second))
    answer = company.owner.patch("/api/admin/users/%d/" % admin.user["id"], {"role": "EMPLOYEE"})
    assert answer.status_code == 200
    wait_for_status(on_second, "/api/admin/task-status/", 403)
    assert closed_within(ws, 5)
