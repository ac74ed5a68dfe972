"""deploy/nginx/tracker.conf for real: Debian's nginx in front of two server processes on PostgreSQL.
REST, WebSocket and long-poll pass through it, the login throttle sees the client's address, and
after kill -9 of one process its clients carry on at the other without missing an event."""
import http.client
import json
import re
import socket
import threading

import pytest
import requests
import websocket

from support.client import Api, Company
from support.nginx import Nginx, established, require_nginx
from support.push import connect, ids, long_poll, newest_id, poll_until, progress, recv_json
from support.server import ROOT, USER_PASSWORD, ServerProcess, server_env, start_server
from support.wait import wait_until as wait

pytestmark = [pytest.mark.postgres, pytest.mark.nginx]
MAX_FAILURES = 3
ENV = {"TRACKER_XHEADERS": "true", "TRACKER_LOGIN_MAX_FAILURES": MAX_FAILURES}


@pytest.fixture
def front(pg_url, tmp_path):
    """(nginx, first process, second process): nginx knows both, round robin."""
    require_nginx()
    (tmp_path / "a").mkdir()
    (tmp_path / "nginx").mkdir()
    first = start_server(tmp_path / "a", db_url=pg_url, **ENV)
    second = ServerProcess(pg_url, tmp_path / "b.log", env=server_env(**ENV)).start()
    nginx = Nginx(tmp_path / "nginx", [first.port, second.port]).start()
    yield nginx, first, second
    nginx.stop()
    second.stop()
    first.stop()


def login_from(front, source, username, password, headers=None):
    """POST /api/auth/token/ to nginx from the loopback address `source` (127.0.0.x)."""
    conn = http.client.HTTPConnection("127.0.0.1", front.port, timeout=30, source_address=(source, 0))
    try:
        conn.request("POST", "/api/auth/token/", json.dumps({"username": username, "password": password}),
                     dict({"Content-Type": "application/json"}, **(headers or {})))
        return conn.getresponse().status
    finally:
        conn.close()


class Follower:
    """An admin's WebSocket through nginx that reconnects from its last event id when cut."""

    def __init__(self, front, api, after):
        self.front, self.api, self.ids, self.after, self.reconnects = front, api, [], after, 0
        self.ws = connect(front, api, after=after)

    def read_until(self, update_id):
        """Events up to the one carrying update `update_id`; False when the socket closes first."""
        while True:
            try:
                event = recv_json(self.ws)
            except (websocket.WebSocketConnectionClosedException, ConnectionError):
                return False
            if "id" in event:
                self.ids.append(event["id"])
            if (event.get("update") or {}).get("id") == update_id:
                return True

    def resume(self):
        self.ws.close()
        self.ws = connect(self.front, self.api, after=self.ids[-1] if self.ids else self.after)
        self.reconnects += 1


def test_rest_websocket_and_long_poll_pass_through_nginx(front):
    nginx, _first, _second = front
    company = Company(nginx)
    employee = company.user()
    task = company.task(employee)
    health = Api(nginx.url).get("/healthz")
    assert health.status_code == 200 and health.headers["Server"].startswith("nginx")
    start = newest_id(company.owner)
    ws = connect(nginx, company.owner, after=start)
    polled = {}
    poller = threading.Thread(target=lambda: polled.update(long_poll(employee, start, timeout=30)))
    poller.start()
    try:
        answer = progress(employee, task, 33)
        event = recv_json(ws)
        poller.join(30)
    finally:
        ws.close()
    assert event["update"]["id"] == answer["update_id"]
    assert [e["update"]["id"] for e in polled["events"] if e.get("update")] == [answer["update_id"]]


def test_login_throttle_sees_the_client_address_behind_nginx(front):
    nginx, first, second = front
    employee = Company(nginx).user()
    name = employee.user["username"]
    # Every process counts (its own, or the shared count): enough failures reach them all.
    statuses = [login_from(nginx, "127.0.0.2", name, "wrong password") for _ in range(2 * MAX_FAILURES + 1)]
    assert statuses[-1] == 429 and set(statuses) <= {401, 429}, statuses
    assert login_from(nginx, "127.0.0.2", name, USER_PASSWORD) == 429
    assert login_from(nginx, "127.0.0.2", name, USER_PASSWORD) == 429  # at the other process too
    # Another client is not locked out, and cannot pass for one by sending X-Real-IP itself.
    assert login_from(nginx, "127.0.0.3", name, USER_PASSWORD) == 200
    assert login_from(nginx, "127.0.0.3", name, USER_PASSWORD, {"X-Real-IP": "127.0.0.2"}) == 200
    assert "(127.0.0.2)" in first.log() + second.log()  # the access log names the client too


def test_after_kill_9_clients_resume_at_the_other_process_and_miss_nothing(front):
    nginx, first, second = front
    company = Company(nginx)
    owner, employee = company.owner, company.user()
    task = company.task(employee)
    start = newest_id(owner)
    followers = [Follower(nginx, owner, start) for _ in range(4)]  # round robin: two on each
    before = progress(employee, task, 10)
    for follower in followers:
        assert follower.read_until(before["update_id"])

    # A long-poll in flight at each process (waited for at the sockets, not slept for).
    in_flight = {port: established(port) for port in (first.port, second.port)}
    polled = [{}, {}]
    pollers = [threading.Thread(target=lambda box=box: box.update(
        long_poll(owner, followers[0].ids[-1], timeout=30))) for box in polled]
    for poller in pollers:
        poller.start()
    wait_until(lambda: all(established(port) > n for port, n in in_flight.items()))

    first.kill()
    during = progress(employee, task, 20)  # made while the killed process's clients are away
    for follower in followers:
        if not follower.read_until(during["update_id"]):
            follower.resume()
            assert follower.read_until(during["update_id"])
    after = progress(employee, task, 30)
    for follower in followers:
        assert follower.read_until(after["update_id"])
        follower.ws.close()
    for poller in pollers:
        poller.join(30)

    moved = [f for f in followers if f.reconnects]
    assert moved and len(moved) < len(followers), [f.reconnects for f in followers]
    reference = ids(poll_until(owner, start, followers[0].ids[-1])[0])
    for follower in followers:
        assert follower.ids == reference  # no gap, no duplicate, same order
    for box in polled:  # the poll cut by the kill was retried by nginx at the other process
        assert [e["update"]["id"] for e in box["events"] if e.get("update")][:1] == [during["update_id"]]


def test_both_processes_down_is_a_502_from_nginx(front):
    nginx, first, second = front
    first.kill()
    second.kill()
    api = Api(nginx.url)
    for answer in (api.get("/healthz"), api.post("/api/auth/token/", {"username": "x", "password": "y"})):
        assert answer.status_code == 502 and answer.headers["Server"].startswith("nginx")


def wait_until(condition, timeout=10):
    return wait(condition, timeout, interval=0.02)


def deploy_setting(name):
    """A setting as deploy/tracker.env.example gives it to every process behind nginx."""
    for line in (ROOT / "deploy" / "tracker.env.example").read_text().splitlines():
        if line.startswith(name + "="):
            return line.split("=", 1)[1]
    raise AssertionError("%s is not set in deploy/tracker.env.example" % name)


def held_long_poll(nginx, api, after):
    """A long-poll sent through nginx and left waiting (its answer read later)."""
    conn = socket.create_connection(("127.0.0.1", nginx.port), timeout=60)
    conn.sendall(("GET /api/events/?after=%d&timeout=60 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                  "Authorization: Bearer %s\r\nConnection: close\r\n\r\n"
                  % (after, nginx.port, api.token)).encode())
    return conn


def waiting_polls(server):
    """Long-polls the process holds (its /metrics, read directly); None when it refuses even that."""
    try:
        text = requests.get(server.url + "/metrics", timeout=10).text
    except requests.ConnectionError:
        return None
    return int(float(re.search(r'tracker_push_subscribers\{transport="longpoll"\} (\S+)', text).group(1)))


def answer_of(conn):
    with conn:
        received = b"".join(iter(lambda: conn.recv(65536), b""))
    return received.split(b"\r\n", 1)[0], received


def test_one_process_behind_nginx_holds_more_long_polls_than_one_address_may(pg_url, tmp_path):
    """Every connection reaches a process from nginx's address: with deploy/'s settings the process
    leaves the per-address cap to nginx instead of closing the 257th long-poll of the company."""
    require_nginx()
    cap = deploy_setting("TRACKER_MAX_CONNECTIONS_PER_ADDRESS")
    (tmp_path / "a").mkdir()
    (tmp_path / "nginx").mkdir()
    # One person's 300 polls stand for 300 people's: the per-person cap is not what is tested.
    server = start_server(tmp_path / "a", db_url=pg_url, TRACKER_MAX_CONNECTIONS_PER_ADDRESS=cap,
                          TRACKER_PUSH_MAX_PER_USER=1000, **ENV)
    nginx = Nginx(tmp_path / "nginx", [server.port]).start()
    try:
        company = Company(nginx)
        employee = company.user()
        task = company.task(employee)
        start = newest_id(employee)
        polls = []
        try:
            polls += [held_long_poll(nginx, employee, start) for _ in range(300)]
            wait(lambda: waiting_polls(server) == 300, 30, lambda: "%s long-polls held, not 300; "
                 "refused: %s" % (waiting_polls(server), server.log_path.read_text().count("refused")))
            update_id = progress(employee, task, 40)["update_id"]
            answers = [answer_of(conn) for conn in polls]
        finally:
            for conn in polls:
                conn.close()
    finally:
        nginx.stop()
        server.stop()
    # nginx retries a GET the process closed unanswered, so the process's own log tells.
    assert "refused a connection" not in server.log_path.read_text()
    assert [status for status, _body in answers] == [b"HTTP/1.1 200 OK"] * 300
    assert all(b'"id": %d' % update_id in body or b'"id":%d' % update_id in body for _s, body in answers)
