"""Helpers for the push-channel tests (no tests here): WebSocket clients over real sockets, a raw
client with a hand-written frame parser, long-poll, and events made through the real API."""
import base64
import json
import os
import socket
import struct
import time

import websocket


def ws_url(server, after=None, query=""):
    url = server.url.replace("http://", "ws://") + "/api/events/ws"
    params = ([] if after is None else ["after=%d" % after]) + ([query] if query else [])
    return url + ("?" + "&".join(params) if params else "")


def connect(server, api, after=None, timeout=10):
    """A websocket-client connection authenticated with the user's bearer token."""
    return websocket.create_connection(ws_url(server, after), timeout=timeout,
                                       header=["Authorization: Bearer %s" % api.token])


def recv_json(ws):
    return json.loads(ws.recv())


def recv_until(ws, last_id):
    """Every message up to and including event `last_id`."""
    got = []
    while not got or got[-1].get("id") != last_id:
        got.append(recv_json(ws))
        assert got[-1].get("id", 0) <= last_id, got[-1]
    return got


def long_poll(api, after, timeout=5):
    answer = api.get("/api/events/?after=%d&timeout=%s" % (after, timeout), timeout=timeout + 30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def poll_until(api, after, last_id, timeout=5):
    """Long-poll from `after` until event `last_id` arrived; returns (events, cursor)."""
    events, cursor = [], after
    deadline = time.monotonic() + 30
    while not events or events[-1]["id"] < last_id:
        assert time.monotonic() < deadline, events
        body = long_poll(api, cursor, timeout)
        events += body["events"]
        cursor = body["cursor"]
    return events, cursor


def progress(employee, task, pct):
    answer = employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": pct})
    assert answer.status_code == 200, answer.text
    return answer.json()


def newest_id(api):
    """The cursor of a fresh snapshot (admin or employee)."""
    path = "/api/admin/task-status/" if api.user["role"] != "EMPLOYEE" else "/api/employee-tasks/"
    return api.get(path).json()["cursor"]


def ids(events):
    return [event["id"] for event in events]


def session_token(db_url, username):
    """An admin page session, issued straight into the server's database (as the login page does)."""
    from server.store import database as store, models
    from server.services.people import auth
    database = store.open_database(db_url)
    try:
        with database.atomic():
            return auth.issue_token(models.User.get(models.User.username == username), kind="session")
    finally:
        database.close()


class RawSocket:
    """A WebSocket client on a bare socket: handshake, unmasked-frame parser, no automatic pong.
    `rcvbuf` shrinks the receive buffer, so a client that stops reading backs up quickly."""

    def __init__(self, server, headers, after=None, rcvbuf=None):
        self.sock = socket.socket()
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", server.port))
        path = "/api/events/ws" + ("" if after is None else "?after=%d" % after)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = ["GET %s HTTP/1.1" % path, "Host: 127.0.0.1:%d" % server.port, "Upgrade: websocket",
                 "Connection: Upgrade", "Sec-WebSocket-Key: %s" % key, "Sec-WebSocket-Version: 13"]
        self.sock.sendall(("\r\n".join(lines + headers) + "\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            assert chunk, "closed during the handshake"
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        self.status = int(head.split(b" ")[1])
        self.eof = False

    def frames(self, timeout=10):
        """(opcode, payload) frames until the server closes the connection or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self._parse()
            if frame is not None:
                yield frame
                continue
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.eof = True
                return
            self.buffer += chunk

    def _parse(self):
        if len(self.buffer) < 2:
            return None
        opcode, length = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F
        offset = 2
        if length == 126:
            if len(self.buffer) < 4:
                return None
            length, offset = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif length == 127:
            if len(self.buffer) < 10:
                return None
            length, offset = struct.unpack("!Q", self.buffer[2:10])[0], 10
        if len(self.buffer) < offset + length:
            return None
        payload, self.buffer = self.buffer[offset:offset + length], self.buffer[offset + length:]
        return opcode, payload

    def close(self):
        self.sock.close()


def closed_within(ws, seconds):
    """True once the server has closed `ws` (events may still arrive before the close)."""
    deadline = time.monotonic() + seconds
    ws.settimeout(1)
    try:
        while time.monotonic() < deadline:  # pings keep arriving, so a read alone never times out
            try:
                ws.recv()
            except websocket.WebSocketTimeoutException:
                pass
        return False
    except (websocket.WebSocketConnectionClosedException, ConnectionError):
        return True
    finally:
        ws.close()
        ws.shutdown()
