"""The mail outbox loses nothing: SMTP down is retried until it is back, and mails queued when
the server is kill -9-ed go out after the restart."""
import time

from support.client import Api
from support.server import OWNER_PASSWORD, USER_PASSWORD, free_port, start_server
from support.smtp import Mailbox

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
    deadline = time.monotonic() + timeout
    while text not in srv.log():
        assert time.monotonic() < deadline, "%r not in the log: %s" % (text, srv.log()[-2000:])
        time.sleep(0.05)


def test_smtp_down_is_retried_and_delivered_when_it_comes_back(tmp_path):
    port = free_port()  # nothing listens there yet
    srv = start_server(tmp_path, TRACKER_SMTP_URL="smtp://127.0.0.1:%d" % port, **FAST)
    try:
        address = employee_with_tasks(srv, 3, "patient")
        wait_for_log(srv, "cannot reach the mail server")  # tried, failed, kept
        box = Mailbox(port)
        try:
            got = box.wait_for(3, timeout=60)
            assert sorted(m["Subject"] for m in got) == ["New task for you: patient %d" % n
                                                        for n in range(3)]
            assert all(m["To"] == address for m in got)
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
