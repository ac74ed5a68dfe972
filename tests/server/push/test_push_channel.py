"""The push channel on a real server: who sees what, in order, without gaps, over WebSocket
(websocket-client and Tornado's client) and long-poll."""
import asyncio
import json
import time

import requests
import tornado.httpclient
import tornado.websocket

from support.push import (connect, ids, long_poll, newest_id, poll_until, progress, recv_json,
                          recv_until, ws_url)


def test_admin_sees_an_employees_update_within_milliseconds(server, company):
    employee = company.user()
    task = company.task(employee)
    admin = company.user("ADMIN")
    ws = connect(server, admin, after=newest_id(admin))
    try:
        sent = time.monotonic()
        answer = progress(employee, task, 42)
        event = recv_json(ws)
        latency = time.monotonic() - sent
    finally:
        ws.close()
    assert event["type"] == "task.updated"
    assert event["task"]["id"] == task["id"] and event["task"]["progress_percentage"] == 42
    assert event["update"]["id"] == answer["update_id"] and event["update"]["new_percentage"] == 42
    assert set(event) == {"id", "type", "at", "task", "update", "employee"}
    assert latency < 1.0, latency  # includes the POST's own durable commit


def test_tornado_client_receives_the_same_events(server, company):
    employee = company.user()
    task = company.task(employee)
    owner = company.owner

    async def scenario():
        request = tornado.httpclient.HTTPRequest(
            ws_url(server, newest_id(owner)), headers={"Authorization": "Bearer %s" % owner.token})
        conn = await tornado.websocket.websocket_connect(request)
        try:
            await asyncio.get_running_loop().run_in_executor(None, progress, employee, task, 7)
            return json.loads(await asyncio.wait_for(conn.read_message(), 10))
        finally:
            conn.close()

    event = asyncio.run(scenario())
    assert event["type"] == "task.updated" and event["task"]["progress_percentage"] == 7


def test_task_created_reaches_the_assignee(server, company):
    employee = company.user()
    ws = connect(server, employee, after=newest_id(employee))
    try:
        task = company.task(employee, title="Fresh task")
        event = recv_json(ws)
    finally:
        ws.close()
    assert event["type"] == "task.created" and event["task"]["id"] == task["id"]
    assert event["task"]["title"] == "Fresh task"


def test_an_employee_never_sees_anothers_events(server, company):
    alice, bob = company.user(), company.user()
    alices_task = company.task(alice)
    start = newest_id(bob)
    ws = connect(server, bob, after=start)
    try:
        for pct in (10, 20, 30):
            progress(alice, alices_task, pct)
        assert alice.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"}).status_code == 200
        company.owner.patch("/api/admin/tasks/%d/" % alices_task["id"], {"priority": "HIGH"})
        # A barrier: events arrive in id order, so once Bob has his own event he has been offered
        # everything before it.
        barrier = company.task(bob)
        over_ws = recv_until(ws, newest_id(company.owner))
    finally:
        ws.close()
    over_poll, _ = poll_until(bob, start, over_ws[-1]["id"])
    for events in (over_ws, over_poll):
        assert [e["type"] for e in events] == ["task.created"], events
        assert events[0]["task"]["id"] == barrier["id"]


def test_a_reassigned_task_reaches_its_old_assignee_then_leaves(server, company):
    alice, bob = company.user(), company.user()
    task = company.task(alice)
    ws = connect(server, alice, after=newest_id(alice))
    try:
        answer = company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"assignee_id": bob.user["id"]})
        assert answer.status_code == 200, answer.text
        changed = recv_json(ws)
        progress(bob, task, 50)  # Bob's now: Alice must not see it
        barrier = company.task(alice)
        rest = recv_until(ws, newest_id(company.owner))
    finally:
        ws.close()
    assert changed["type"] == "task.changed" and changed["task"]["assignee"]["id"] == bob.user["id"]
    assert [e["task"]["id"] for e in rest] == [barrier["id"]]
    bobs, _ = poll_until(bob, changed["id"] - 1, changed["id"] + 1)
    assert [e["type"] for e in bobs] == ["task.changed", "task.updated"]


def test_occupancy_changes_reach_the_employee_and_admins(server, company):
    employee = company.user()
    ws = connect(server, company.owner, after=newest_id(company.owner))
    start = newest_id(employee)
    try:
        assert employee.post("/api/heartbeat/", {"occupancy_status": "IDLE"}).status_code == 200
        event = recv_json(ws)
        while event["type"] != "occupancy.changed" or event["employee"]["id"] != employee.user["id"]:
            event = recv_json(ws)
    finally:
        ws.close()
    assert event["employee"]["occupancy_status"] == "IDLE" and event["task"] is None
    own, _ = poll_until(employee, start, event["id"])
    assert [e["id"] for e in own] == [event["id"]]


def test_reconnect_with_the_cursor_gets_exactly_the_missed_events(server, company):
    employee = company.user()
    task = company.task(employee)
    admin = company.owner
    ws = connect(server, admin, after=newest_id(admin))
    progress(employee, task, 1)
    cursor = recv_json(ws)["id"]
    ws.close()
    for pct in range(2, 8):
        progress(employee, task, pct)
    newest = newest_id(admin)
    ws = connect(server, admin, after=cursor)
    try:
        missed = recv_until(ws, newest)
    finally:
        ws.close()
    assert ids(missed) == list(range(cursor + 1, newest + 1))  # all, in order, once
    mine = [e["task"]["progress_percentage"] for e in missed if e["task"] and e["task"]["id"] == task["id"]]
    assert mine == list(range(2, 8))


def test_switching_from_websocket_to_long_poll_loses_nothing(server, company):
    employee = company.user()
    task = company.task(employee)
    ws = connect(server, employee, after=newest_id(employee))
    progress(employee, task, 5)
    last = recv_json(ws)["id"]
    ws.close()
    for pct in (6, 7, 8):
        progress(employee, task, pct)
    events, cursor = poll_until(employee, last, newest_id(employee))
    assert [e["task"]["progress_percentage"] for e in events] == [6, 7, 8]
    assert ids(events) == sorted(set(ids(events))) and ids(events)[0] > last
    # ... and back to the WebSocket from the long-poll's cursor.
    ws = connect(server, employee, after=cursor)
    try:
        progress(employee, task, 9)
        assert recv_json(ws)["task"]["progress_percentage"] == 9
    finally:
        ws.close()


def test_long_poll_answers_at_once_when_events_are_waiting(server, company):
    employee = company.user()
    start = newest_id(employee)
    company.task(employee)
    began = time.monotonic()
    body = long_poll(employee, start, timeout=30)
    assert time.monotonic() - began < 5
    assert [e["type"] for e in body["events"]] == ["task.created"] and body["cursor"] >= body["events"][0]["id"]


def test_long_poll_waits_for_the_first_event(server, company):
    import threading
    employee = company.user()
    task = company.task(employee)
    start = newest_id(employee)
    timer = threading.Timer(0.5, progress, (employee, task, 33))
    timer.start()
    began = time.monotonic()
    body = long_poll(employee, start, timeout=30)
    waited = time.monotonic() - began
    timer.join()
    assert 0.3 < waited < 10, waited
    assert [e["task"]["progress_percentage"] for e in body["events"]] == [33]


def test_long_poll_times_out_with_the_cursor_moved_past_invisible_events(server, company):
    alice, bob = company.user(), company.user()
    progress(alice, company.task(alice), 3)  # not Bob's
    body = long_poll(bob, newest_id(bob) - 1, timeout=0.5)
    assert body == {"events": [], "cursor": newest_id(company.owner)}


def test_long_poll_refuses_bad_arguments(server, company):
    employee = company.user()
    for query, field in (("after=-1", "after"), ("after=abc", "after"), ("timeout=1", "after"),
                         ("after=0&timeout=61", "timeout"), ("after=0&timeout=-1", "timeout"),
                         ("after=0&timeout=nan", "timeout")):
        answer = employee.get("/api/events/?" + query)
        assert answer.status_code == 400, (query, answer.text)
        assert answer.json()["error"]["field"] == field
    answer = requests.get(server.url + "/api/events/?after=0&timeout=0", timeout=10)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"


def test_a_fresh_cursor_of_zero_is_served_not_reset(server, company):
    body = long_poll(company.owner, 0, timeout=0)
    assert "type" not in body and body["events"][0]["id"] == 1
