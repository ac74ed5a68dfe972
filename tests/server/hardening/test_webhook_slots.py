"""Hung webhook receivers cannot stall healthy ones: failing endpoints get a share of the places
and a shorter timeout, healthy endpoints are served first (issue 24, item 18)."""
import socket
import threading
import time

import pytest

from support.client import Company
from support.receiver import Receiver
from support.server import start_server
from support.wait import wait_until

HOOKS = "/api/admin/webhooks/"
TIMEOUT = 8  # webhook_timeout_seconds here; a failing endpoint gets a quarter of it


class Hung:
    """A loopback receiver that accepts connections and never answers, until closed."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.held, self.closed = [], False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/hook" % self.sock.getsockname()[1]

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)  # read nothing, answer nothing

    def close(self):
        self.closed = True
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() (a close alone does not)
        self.sock.close()
        for conn in self.held:
            conn.close()
        self.thread.join(timeout=5)


@pytest.fixture
def hung():
    receivers = [Hung() for _ in range(12)]
    yield receivers
    for receiver in receivers:
        receiver.close()



def test_twelve_hung_endpoints_leave_room_for_a_healthy_one(tmp_path, hung):
    srv = start_server(tmp_path, TRACKER_WEBHOOK_ALLOW_PRIVATE="true",
                       TRACKER_WEBHOOK_RETRY_SECONDS="0.2", TRACKER_WEBHOOK_TIMEOUT=str(TIMEOUT))
    healthy = Receiver()
    try:
        firm = Company(srv)
        for receiver in hung:
            assert firm.owner.post(HOOKS, {"url": receiver.url, "events": ["task.created"]}).status_code == 201
        employee = firm.user()
        firm.task(employee)
        wait_until(lambda: all(hook["failing_since"] for hook in firm.owner.get(HOOKS).json()["webhooks"]),
               4 * TIMEOUT)
        assert firm.owner.post(HOOKS, {"url": healthy.url, "events": ["task.created"]}).status_code == 201
        started = time.monotonic()
        firm.task(employee, title="for the healthy one")
        healthy.wait_for(1, timeout=3 * TIMEOUT)
        waited = time.monotonic() - started
    finally:
        healthy.close()
        srv.stop()
    assert waited < TIMEOUT / 2, "a healthy endpoint waited %.1f s behind hung ones" % waited
    log = srv.log()  # stopped with deliveries in flight: quietly, and at once (not killed)
    assert "Exception after Future was cancelled" not in log and "Traceback" not in log
    assert srv.proc.returncode == 0
