"""The outbox survives kill -9, and several processes on PostgreSQL send each delivery once."""
import json

import pytest

from support.client import Api
from support.receiver import Receiver
from support.server import OWNER_PASSWORD, ServerProcess, free_port, run_cli, server_env, start_server
from support.wait import wait_until

HOOK_ENV = {"TRACKER_WEBHOOK_ALLOW_PRIVATE": "true", "TRACKER_WEBHOOK_RETRY_SECONDS": "0.2"}


def owner(srv):
    return Api(srv.url).login("root", OWNER_PASSWORD)


def make_task(api, title):
    me = api.user["id"]
    answer = api.post("/api/admin/tasks/", {"title": title, "assignee_id": me})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_receiver_down_and_server_killed_then_delivered_after_restart(tmp_path):
    port = free_port()  # where the receiver will listen, once it is up
    srv = start_server(tmp_path, **HOOK_ENV)
    try:
        api = owner(srv)
        answer = api.post("/api/admin/webhooks/", {"url": "http://127.0.0.1:%d/hook" % port,
                                                   "events": ["task.created"]})
        assert answer.status_code == 201, answer.text
        tasks = [make_task(api, "Before the crash %d" % n) for n in range(3)]
        srv.kill()  # kill -9 while every delivery is queued or failing
        receiver = Receiver(port)
        try:
            srv.start()
            got = receiver.wait_for(3, timeout=90)  # a killed worker's lease runs out first
            events = [json.loads(body) for _headers, body in got]
            assert [e["task"]["id"] for e in events] == [t["id"] for t in tasks]  # in event order
        finally:
            receiver.close()
    finally:
        srv.stop()


@pytest.mark.postgres
def test_two_processes_send_each_delivery_once(pg_url, tmp_path):
    run_cli("adduser", "root", "--role", "OWNER", "--password", OWNER_PASSWORD, db_url=pg_url,
            env=server_env(**HOOK_ENV))
    servers = [ServerProcess(pg_url, tmp_path / ("s%d.log" % n), env=server_env(**HOOK_ENV)).start()
               for n in range(2)]
    receivers = [Receiver() for _ in range(3)]
    try:
        apis = [owner(srv) for srv in servers]
        for rec in receivers:
            assert apis[0].post("/api/admin/webhooks/", {"url": rec.url, "events": ["*"]}).status_code == 201
        count = 20
        for n in range(count):
            make_task(apis[n % 2], "Shared %d" % n)
        for rec in receivers:
            got = rec.wait_for(count, timeout=60)
            ids = [headers["webhook-id"] for headers, _body in got]
            assert len(set(ids)) == count
            titles = [json.loads(body)["task"]["title"] for _headers, body in got]
            assert titles == ["Shared %d" % n for n in range(count)]  # in event order per endpoint
        hooks = apis[1].get("/api/admin/webhooks/").json()["webhooks"]
        wait_all_delivered(apis[1], [h["id"] for h in hooks], count)
        assert all(len(rec.requests) == count for rec in receivers)
    finally:
        for rec in receivers:
            rec.close()
        for srv in servers:
            srv.stop()


def wait_all_delivered(api, hook_ids, count, timeout=30):
    """Every delivery recorded as sent once: none left that a second process could send again."""
    for hook_id in hook_ids:
        def sent_once():
            rows = api.get("/api/admin/webhooks/%d/deliveries/" % hook_id).json()["deliveries"]
            return rows if len(rows) == count and all(r["status"] == "delivered" for r in rows) else None
        rows = wait_until(sent_once, timeout, message="hook %d: not every delivery sent" % hook_id)
        assert all(r["attempts"] == 1 for r in rows)
