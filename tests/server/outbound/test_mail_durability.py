"""The mail outbox loses nothing: SMTP down is retried until it is back, and mails queued when
the server is kill -9-ed go out after the restart."""

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from support.client import Api
from support.server import (OWNER_PASSWORD, USER_PASSWORD, ServerProcess, free_port, run_cli,
                            server_env, start_server)
from support.smtp import Mailbox
from support.wait import wait_until

FAST = {"TRACKER_MAIL_RETRY_SECONDS": "0.2", "TRACKER_MAIL_CHECK_SECONDS": "0.5",
        "TRACKER_DIGEST_HOUR": "23"}


def employee_with_tasks(srv, count, name):
    owner = Api(srv.url).login("root", OWNER_PASSWORD)
    answer = owner.post("/api/admin/users/", {"username": name, "password": USER_PASSWORD,
                                              "email": "%s@example.com" % name})
    assert answer.status_code == 201, answer.text
    user_id = answer.json()["id"]
    for n in range(count):
        answer = owner.post("/api/admin/tasks/", {"title": "%s %d" % (name, n), "assignee_id": user_id})
        assert answer.status_code == 201, answer.text
    return "%s@example.com" % name


def wait_for_log(srv, text, timeout=30):
    wait_until(lambda: text in srv.log(), timeout,
               lambda: "%r not in the log: %s" % (text, srv.log()[-2000:]))


def outbox_depth(srv):
    """{"webhook": n, "mail": n} from GET /metrics, read with Prometheus' own parser."""
    answer = requests.get(srv.url + "/metrics", timeout=10)
    assert answer.status_code == 200, answer.text
    return {sample.labels["kind"]: sample.value
            for family in text_string_to_metric_families(answer.text)
            for sample in family.samples if sample.name == "tracker_outbox_depth"}


def wait_for_depth(srv, expected, timeout=30):
    wait_until(lambda: outbox_depth(srv) == expected, timeout, lambda: str(outbox_depth(srv)))


def test_smtp_down_is_retried_and_delivered_when_it_comes_back(tmp_path):
    port, hook_port = free_port(), free_port()  # nothing listens there yet
    srv = start_server(tmp_path, TRACKER_SMTP_URL="smtp://127.0.0.1:%d" % port,
                       TRACKER_WEBHOOK_ALLOW_PRIVATE="true", TRACKER_WEBHOOK_RETRY_SECONDS="0.2", **FAST)
    try:
        assert outbox_depth(srv) == {"webhook": 0, "mail": 0}
        owner = Api(srv.url).login("root", OWNER_PASSWORD)
        assert owner.post("/api/admin/webhooks/", {"url": "http://127.0.0.1:%d/" % hook_port,
                                                   "events": ["task.created"]}).status_code == 201
        address = employee_with_tasks(srv, 3, "patient")
        wait_for_log(srv, "cannot reach the mail server")  # tried, failed, kept
        assert outbox_depth(srv) == {"webhook": 3, "mail": 3}
        box = Mailbox(port)
        try:
            got = box.wait_for(3, timeout=60)
            assert sorted(m["Subject"] for m in got) == ["New task for you: patient %d" % n
                                                        for n in range(3)]
            assert all(m["To"] == address for m in got)
            wait_for_depth(srv, {"webhook": 3, "mail": 0})  # the receiver is still down
        finally:
            box.close()
    finally:
        srv.stop()


def test_mails_queued_when_the_server_is_killed_go_out_after_restart(tmp_path):
    port = free_port()
    srv = start_server(tmp_path, TRACKER_SMTP_URL="smtp://127.0.0.1:%d" % port, **FAST)
    try:
        employee_with_tasks(srv, 4, "survivor")  # each 201 came after its mail's COMMIT
        srv.kill()  # kill -9: no shutdown code runs
        box = Mailbox(port)
        try:
            srv.start()
            got = box.wait_for(4, timeout=120)  # a killed worker's lease runs out first
            assert sorted(m["Subject"] for m in got) == ["New task for you: survivor %d" % n
                                                        for n in range(4)]
        finally:
            box.close()
    finally:
        srv.stop()


@pytest.mark.postgres
def test_two_processes_send_each_mail_once_and_one_digest(pg_url, tmp_path):
    box, servers = Mailbox(), []
    env = server_env(**dict(FAST, TRACKER_SMTP_URL=box.url, TRACKER_DIGEST_HOUR="0"))
    try:
        run_cli("adduser", "root", "--role", "OWNER", "--password", OWNER_PASSWORD, db_url=pg_url, env=env)
        servers += [ServerProcess(pg_url, tmp_path / ("s%d.log" % n), env=env).start() for n in range(2)]
        owners = [Api(srv.url).login("root", OWNER_PASSWORD) for srv in servers]
        answer = owners[0].post("/api/admin/users/", {"username": "chief", "role": "ADMIN",
                                                      "password": USER_PASSWORD,
                                                      "email": "chief@example.com"})
        assert answer.status_code == 201, answer.text
        answer = owners[0].post("/api/admin/users/", {"username": "busy", "password": USER_PASSWORD,
                                                      "email": "busy@example.com"})
        busy = answer.json()["id"]
        count = 20
        for n in range(count):
            answer = owners[n % 2].post("/api/admin/tasks/", {"title": "Shared %d" % n, "assignee_id": busy})
            assert answer.status_code == 201, answer.text
        got = box.wait_for(count, where=lambda m: m["To"] == "busy@example.com")
        assert sorted(m["Subject"] for m in got) == sorted("New task for you: Shared %d" % n
                                                          for n in range(count))
        box.wait_for(1, where=lambda m: m["To"] == "chief@example.com")
        for srv in servers:  # nothing left to send anywhere: what arrived is all there will be
            wait_for_depth(srv, {"webhook": 0, "mail": 0})
        assert len(box.to("busy@example.com")) == count  # none twice
        assert len(box.to("chief@example.com")) == 1  # one digest, whichever process swept first
    finally:
        for srv in servers:
            srv.stop()
        box.close()
