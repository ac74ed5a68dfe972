"""A refused request leaves its HTTP/1.1 keep-alive connection usable (server/handlers/base.py):
for every status, with and without a body; only a body too big to read ends it, and says so."""
import json
import socket

import pytest
import requests

from support.server import USER_PASSWORD

LIMIT = 65536  # max_body_bytes' default


@pytest.fixture(scope="module")
def employee(company):
    return company.user()


def request_bytes(method, path, body=None, headers=None, chunked=False):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1"]
    lines += ["%s: %s" % item for item in (headers or {}).items()]
    payload = b""
    if body is not None and chunked:
        lines.append("Transfer-Encoding: chunked")
        payload = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                           for part in (body[i:i + 8192] for i in range(0, len(body), 8192)))
        payload += b"0\r\n\r\n"
    elif body is not None:
        lines.append("Content-Length: %d" % len(body))
        payload = body
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


class Conn:
    """One raw TCP connection; reads one whole response at a time (length or chunked)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        self.buffer = b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("the server closed the connection")
        self.buffer += chunk

    def _take(self, size):
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _line(self):
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def response(self):
        """(status, headers with lower-case names, body)."""
        status = int(self._line().split(b" ", 2)[1])
        headers = {}
        while True:
            line = self._line()
            if not line:
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                size = int(self._line(), 16)
                body += self._take(size)
                self._line()
                if size == 0:
                    break
        else:
            body = self._take(int(headers.get("content-length", "0")))
        return status, headers, body

    def ask(self, data):
        self.sock.sendall(data)
        return self.response()

    def is_closed(self):
        """True when the server has closed its side (EOF); waits for it, no sleep."""
        try:
            self._fill()
        except (EOFError, ConnectionResetError):
            return True
        return False

    def close(self):
        self.sock.close()


def bearer(api):
    return {"Authorization": "Bearer " + api.token}


JSON = {"Content-Type": "application/json"}
HEARTBEAT = json.dumps({"occupancy_status": "ACTIVE"}).encode()


def refusals(employee):
    """(name, status, request bytes): each refusal, without a body and with one."""
    token, as_json = bearer(employee), dict(JSON, **bearer(employee))
    return [
        ("401 no token", 401, request_bytes("GET", "/api/employee-tasks/")),
        ("401 no token, body", 401, request_bytes("POST", "/api/heartbeat/", HEARTBEAT, JSON)),
        ("401 bad scheme, body", 401, request_bytes("POST", "/api/heartbeat/", HEARTBEAT,
                                                    dict(JSON, Authorization="Basic eA=="))),
        ("403 employee on admin", 403, request_bytes("GET", "/api/admin/export/audit.csv",
                                                     headers=token)),
        ("403 employee on admin, body", 403, request_bytes("POST", "/api/admin/tasks/",
                                                           b'{"title": "x"}', as_json)),
        ("403 xsrf, body", 403, request_bytes("POST", "/api/heartbeat/", HEARTBEAT,
                                              dict(JSON, Cookie="tracker_session=abc"))),
        ("404 unknown route", 404, request_bytes("GET", "/api/nothing-here/", headers=token)),
        ("404 unknown route, body", 404, request_bytes("POST", "/nothing", HEARTBEAT, JSON)),
        ("405 method", 405, request_bytes("DELETE", "/api/heartbeat/", headers=token)),
        ("405 method, body", 405, request_bytes("PUT", "/api/heartbeat/", HEARTBEAT, as_json)),
        ("413 over the limit", 413, request_bytes("POST", "/api/heartbeat/",
                                                  b"x" * (LIMIT + 1), as_json)),
        ("413 over the limit, chunked", 413, request_bytes("POST", "/api/heartbeat/",
                                                           b"x" * (LIMIT * 2), as_json, True)),
        ("413 over the limit, no token", 413, request_bytes("POST", "/api/heartbeat/",
                                                            b"x" * (LIMIT + 1), JSON)),
        ("415 media type", 415, request_bytes("POST", "/api/heartbeat/", HEARTBEAT,
                                              dict(token, **{"Content-Type": "text/plain"}))),
        ("400 bad json", 400, request_bytes("POST", "/api/heartbeat/", b"{nope", as_json)),
        ("400 bad query", 400, request_bytes("GET", "/api/employee-tasks/?status=NOPE",
                                             headers=token)),
        ("403 page xsrf, body", 403, request_bytes(
            "POST", "/dashboard/tasks/assign/", b"title=x",
            {"Content-Type": "application/x-www-form-urlencoded"})),
    ]


CASES = [case[0] for case in refusals(type("E", (), {"token": "t"})())]


@pytest.mark.parametrize("name", CASES)
def test_a_refusal_keeps_the_connection(server, employee, name):
    _name, status, first = next(c for c in refusals(employee) if c[0] == name)
    conn = Conn(server.port)
    try:
        got, headers, body = conn.ask(first)
        assert got == status, body
        assert headers.get("connection", "").lower() != "close"
        if name.startswith(("401", "403 e", "403 x", "404", "405", "413", "415", "400")):
            assert json.loads(body)["error"]["code"]  # the one error shape
        again, _headers, tasks = conn.ask(request_bytes("GET", "/api/employee-tasks/",
                                                        headers=bearer(employee)))
        assert again == 200, tasks  # the same socket: no reconnect in between
    finally:
        conn.close()


def test_422_and_429_keep_the_connection(server, company, employee):
    task = company.task(employee)
    conn = Conn(server.port)
    try:
        path = "/api/task/%d/progress/" % task["id"]
        key = dict(JSON, **bearer(employee), **{"Idempotency-Key": "k-1"})
        assert conn.ask(request_bytes("POST", path, b'{"progress_percentage": 10}', key))[0] == 200
        assert conn.ask(request_bytes("POST", path, b'{"progress_percentage": 20}', key))[0] == 422
        wrong = json.dumps({"username": "nobody_keepalive", "password": "wrong"}).encode()
        statuses = [conn.ask(request_bytes("POST", "/api/auth/token/", wrong, JSON))[0]
                    for _ in range(6)]
        assert statuses[-1] == 429 and set(statuses[:-1]) <= {401, 429}
        assert conn.ask(request_bytes("GET", "/healthz"))[0] == 200
    finally:
        conn.close()


def test_a_body_too_big_to_read_is_refused_at_once_and_the_connection_closed(server, employee):
    """Reading 1 GB to keep a connection would let any client spend the server's time and
    bandwidth: above drain_max the 413 comes before the body, with Connection: close."""
    conn = Conn(server.port)
    try:
        head = request_bytes("POST", "/api/heartbeat/", headers=dict(JSON, **bearer(employee)))
        head = head[:-2] + b"Content-Length: 1000000000\r\n\r\n"
        status, headers, body = conn.ask(head)
        assert status == 413 and json.loads(body)["error"]["code"] == "body_too_large"
        assert headers["connection"].lower() == "close"
        assert conn.is_closed()
    finally:
        conn.close()


@pytest.mark.parametrize("length", ["12a", "-1", "²"])
def test_an_unframed_body_is_refused_and_the_connection_closed(server, length):
    conn = Conn(server.port)
    try:
        head = request_bytes("POST", "/api/heartbeat/", headers=JSON)[:-2]
        status, headers, _body = conn.ask(head + ("Content-Length: %s\r\n\r\n" % length).encode())
        assert status == 400 and headers["connection"].lower() == "close"
        assert conn.is_closed()
    finally:
        conn.close()


def test_an_unknown_method_is_refused_and_says_it_closes(server):
    """Tornado answers a method it does not know before any handler code runs."""
    conn = Conn(server.port)
    try:
        status, headers, _body = conn.ask(request_bytes("BREW", "/api/heartbeat/"))
        assert status == 405 and headers["connection"].lower() == "close"
        assert conn.is_closed()
    finally:
        conn.close()


def test_a_requests_session_survives_refusals(server, employee):
    """The issue's reproduction: the desktop app's requests.Session after two 403s."""
    with requests.Session() as session:
        session.headers.update(bearer(employee))
        for path in ("/api/admin/export/audit.csv", "/api/admin/export/statistics.csv"):
            assert session.get(server.url + path, timeout=10).status_code == 403
        assert session.get(server.url + "/api/employee-tasks/", timeout=10).status_code == 200
        login = session.post(server.url + "/api/auth/token/", timeout=10, json={
            "username": employee.user["username"], "password": USER_PASSWORD})
        assert login.status_code == 200
