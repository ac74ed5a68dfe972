"""Webhooks against real receivers: signed deliveries, retries, Slack, rotation, the log, cut bodies."""
import json
import threading
import time

import pytest

from support.client import Company
from support.receiver import Receiver, verify
from support.server import start_server
from support.wait import wait_until

HOOKS = "/api/admin/webhooks/"


@pytest.fixture(scope="module")
def hook_server(tmp_path_factory):
    """A server that may reach loopback receivers, with retries in fractions of a second."""
    srv = start_server(tmp_path_factory.mktemp("hooks"), TRACKER_WEBHOOK_ALLOW_PRIVATE="true",
                       TRACKER_WEBHOOK_RETRY_SECONDS="0.2")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def firm(hook_server):
    return Company(hook_server)


@pytest.fixture
def receiver():
    rec = Receiver()
    yield rec
    rec.close()


def register(firm, url, **fields):
    answer = firm.owner.post(HOOKS, dict({"url": url, "events": ["*"]}, **fields))
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_delivery_is_signed_and_carries_the_push_event(firm, receiver):
    hook = register(firm, receiver.url, events=["task.created"], description="ops")
    assert hook["secret"].startswith("whsec_") and "secret" not in firm.owner.get(HOOKS).json()["webhooks"][0]
    task = firm.task(firm.user())
    headers, body = receiver.wait_for(1)[0]
    assert verify(hook["secret"], headers, body)
    assert headers["webhook-id"].startswith("msg_") and abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    event = json.loads(body)
    assert event["type"] == "task.created" and event["task"]["id"] == task["id"]
    tampered = dict(headers, **{"webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)})
    assert not verify(hook["secret"], tampered, body)


def test_a_500_is_retried_with_the_same_webhook_id(firm, receiver):
    receiver.statuses = [500, 503]
    hook = register(firm, receiver.url, events=["task.created"])
    firm.task(firm.user())
    first, second, third = receiver.wait_for(3)
    assert first[0]["webhook-id"] == second[0]["webhook-id"] == third[0]["webhook-id"]
    assert first[1] == third[1] and verify(hook["secret"], third[0], third[1])
    log = wait_log(firm, hook["id"], lambda rows: rows and rows[0]["status"] == "delivered")
    assert log[0]["attempts"] == 3 and log[0]["response_code"] == 200 and log[0]["duration_ms"] >= 0


def wait_log(firm, hook_id, done, timeout=30):
    """The delivery log once `done(rows)` holds (the worker writes it after each attempt)."""
    seen = []

    def rows_done():
        seen[:] = [firm.owner.get(HOOKS + "%d/deliveries/" % hook_id).json()["deliveries"]]
        return done(seen[0])
    wait_until(rows_done, timeout, message=lambda: repr(seen[0]))
    return seen[0]


def test_slack_format_is_readable_text(firm, receiver):
    register(firm, receiver.url, events=["task.created"], format="slack")
    employee = firm.user()
    task = firm.task(employee, title="Quarterly <report> & \u00fcml")
    body = json.loads(receiver.wait_for(1)[0][1])
    assert set(body) == {"text"}
    assert "Quarterly &lt;report&gt; &amp; \u00fcml" in body["text"]  # Slack's entities
    assert task["title"] not in body["text"] and employee.user["full_name"] in body["text"]


def test_timer_events_may_be_subscribed_to_by_name_and_read_in_slack(firm, receiver):
    register(firm, receiver.url, events=["time_entry.started", "time_entry.stopped"], format="slack")
    employee = firm.user()
    task = firm.task(employee, title="Quarterly report")
    assert employee.post("/api/task/%d/timer/start/" % task["id"]).status_code == 201
    assert employee.post("/api/timer/stop/").status_code == 200
    started, stopped = [json.loads(body)["text"] for _headers, body in receiver.wait_for(2)]
    name = employee.user["full_name"]
    assert started == "%s started the timer on \u201cQuarterly report\u201d (0 min tracked)" % name
    assert stopped.startswith("%s stopped the timer on \u201cQuarterly report\u201d (0 min;" % name)


def test_rotation_signs_with_old_and_new_secret(firm, receiver):
    hook = register(firm, receiver.url, events=["task.created"])
    rotated = firm.owner.post(HOOKS + "%d/rotate-secret/" % hook["id"]).json()
    assert rotated["secret"] != hook["secret"] and rotated["old_secret_expires_at"]
    firm.task(firm.user())
    headers, body = receiver.wait_for(1)[0]
    assert len(headers["webhook-signature"].split()) == 2
    assert verify(hook["secret"], headers, body) and verify(rotated["secret"], headers, body)


def test_redelivery_sends_the_same_message_again(firm, receiver):
    hook = register(firm, receiver.url, events=["task.created"])
    firm.task(firm.user())
    receiver.wait_for(1)
    delivered = wait_log(firm, hook["id"], lambda rows: rows and rows[0]["status"] == "delivered")
    answer = firm.owner.post(HOOKS + "%d/deliveries/%d/redeliver/" % (hook["id"], delivered[0]["id"]))
    assert answer.status_code == 202, answer.text
    first, again = receiver.wait_for(2)
    assert first[0]["webhook-id"] == again[0]["webhook-id"] and first[1] == again[1]


def test_a_huge_response_body_is_cut(firm, receiver):
    receiver.huge_body = True
    hook = register(firm, receiver.url, events=["task.created"])
    firm.task(firm.user())
    log = wait_log(firm, hook["id"], lambda rows: rows and rows[0]["status"] != "pending")
    assert log[0]["status"] == "delivered" and log[0]["response_code"] == 200
    assert log[0]["duration_ms"] < 5000


def test_a_slow_receiver_blocks_no_request(firm, receiver):
    receiver.gate = threading.Event()
    hook = register(firm, receiver.url, events=["task.created"])
    employee = firm.user()
    firm.task(employee)
    receiver.wait_for(1)  # the worker is now waiting on the receiver
    started = time.monotonic()
    assert firm.owner.get(HOOKS).status_code == 200
    assert employee.get("/api/employee-tasks/").status_code == 200
    firm.task(employee)  # a write, whose event queues behind the held one
    assert time.monotonic() - started < 3
    receiver.gate.set()
    receiver.wait_for(2)
    wait_log(firm, hook["id"], lambda rows: len(rows) == 2 and all(r["status"] == "delivered" for r in rows))


def test_deleted_endpoint_stops_its_queued_deliveries(firm, receiver):
    receiver.statuses = [500] * 1000
    hook = register(firm, receiver.url, events=["task.created"])
    employee = firm.user()
    for _ in range(3):
        firm.task(employee)
    receiver.wait_for(2)  # failing and retrying
    assert firm.owner.request("DELETE", HOOKS + "%d/" % hook["id"]).status_code == 204
    assert firm.owner.get(HOOKS + "%d/deliveries/" % hook["id"]).status_code == 404
    with _marker(firm) as marker:
        firm.task(employee)
        marker.wait_for(1)  # a later event has gone out: the worker has moved on
        seen = len(receiver.requests)
        firm.task(employee)
        marker.wait_for(2)
    assert len(receiver.requests) == seen  # nothing more after the one in flight at delete time


class _marker:
    def __init__(self, firm):
        self.firm, self.rec = firm, Receiver()

    def __enter__(self):
        self.hook = register(self.firm, self.rec.url, events=["task.created"])
        return self.rec

    def __exit__(self, *exc):
        self.firm.owner.request("DELETE", HOOKS + "%d/" % self.hook["id"])
        self.rec.close()
