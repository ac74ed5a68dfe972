"""Who may open the push channel: bearer header or the admin session cookie from our own Origin,
401 before the upgrade otherwise, never a token in the URL; connection caps."""
import concurrent.futures

import pytest
import requests
import websocket

from support.client import Company
from support.server import start_server
from support.push import (closed_within, connect, long_poll, newest_id, recv_json, session_token,
                          ws_url)
from support.wait import wait_until


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    """A server allowing two push connections per user."""
    srv = start_server(tmp_path_factory.mktemp("push_auth"), TRACKER_PUSH_MAX_PER_USER=2)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def staff(capped):
    return Company(capped)


def refused(url, **kwargs):
    with pytest.raises(websocket.WebSocketBadStatusException) as caught:
        websocket.create_connection(url, timeout=10, **kwargs)
    return caught.value.status_code


def test_cookie_session_from_our_own_page_is_accepted(capped, staff):
    admin = staff.user("ADMIN")
    cookie = "tracker_session=%s" % session_token(capped.db_url, admin.user["username"])
    ws = websocket.create_connection(ws_url(capped, newest_id(admin)), timeout=10, cookie=cookie,
                                     origin=capped.url)
    try:
        staff.task(staff.user())
        assert recv_json(ws)["type"] == "task.created"
    finally:
        ws.close()


def test_cookie_session_with_a_foreign_or_missing_origin_is_refused(capped, staff):
    admin = staff.user("ADMIN")
    cookie = "tracker_session=%s" % session_token(capped.db_url, admin.user["username"])
    assert refused(ws_url(capped), cookie=cookie, origin="http://evil.example") == 403
    assert refused(ws_url(capped), cookie=cookie, origin="http://127.0.0.1:1") == 403
    assert refused(ws_url(capped), cookie=cookie, suppress_origin=True) == 403


def test_a_handshake_without_credentials_gets_401(capped, staff):
    assert refused(ws_url(capped)) == 401
    assert refused(ws_url(capped), header=["Authorization: Bearer not-a-token"]) == 401
    assert refused(ws_url(capped), header=["Authorization: Basic dXNlcjpwYXNz"]) == 401
    assert refused(ws_url(capped), cookie="tracker_session=forged", origin=capped.url) == 401
    handshake = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                 "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    answer = requests.get(capped.url + "/api/events/ws", headers=handshake, timeout=10)
    assert answer.status_code == 401  # plain HTTP, before any upgrade, with the API's error body
    assert answer.json()["error"]["code"] == "unauthorized"


def test_a_token_in_the_query_string_is_not_accepted(capped, staff):
    token = staff.user().token
    for name in ("token", "access_token", "auth", "authorization"):
        assert refused(ws_url(capped, query="%s=%s" % (name, token))) == 401
        answer = requests.get(capped.url + "/api/events/?after=0&timeout=0&%s=%s" % (name, token), timeout=10)
        assert answer.status_code == 401


def test_an_api_token_is_not_a_page_session(capped, staff):
    employee = staff.user()
    cookie = "tracker_session=%s" % employee.token
    assert refused(ws_url(capped), cookie=cookie, origin=capped.url) == 401


def test_connections_per_user_are_capped_and_freed_on_close(capped, staff):
    employee = staff.user()
    first, second = connect(capped, employee), connect(capped, employee)
    try:
        assert refused(ws_url(capped), header=["Authorization: Bearer %s" % employee.token]) == 429
        # A waiting long-poll holds a slot too.
        answer = employee.get("/api/events/?timeout=5&after=%d" % newest_id(employee))
        assert answer.status_code == 429 and answer.headers["Retry-After"]
        other = staff.user()  # others are not capped
        assert other.get("/api/events/?timeout=0.1&after=%d" % newest_id(other)).status_code == 200
    finally:
        first.close()
        second.close()
    wait_until(lambda: admitted(capped, employee))


def test_a_long_poll_frees_its_slot_when_the_client_goes_away(capped, staff):
    employee = staff.user()
    for _ in range(2):  # each gives up after 0.3 s while the server would wait 60 s
        with pytest.raises(requests.Timeout):
            employee.get("/api/events/?timeout=60&after=%d" % newest_id(employee), timeout=0.3)
    wait_until(lambda: admitted(capped, employee))  # well before the 60 s are over


def test_messages_from_the_client_are_ignored_and_large_ones_close(capped, staff):
    employee = staff.user()
    ws = connect(capped, employee, after=newest_id(employee))
    try:
        ws.send("hello")
        staff.task(employee)
        assert recv_json(ws)["type"] == "task.created"
        ws.send("x" * 10000)  # over websocket_max_message_size (4096)
        with pytest.raises((websocket.WebSocketConnectionClosedException, ConnectionError)):
            while True:
                ws.recv()
    finally:
        ws.close()
        ws.shutdown()  # close() skips the socket once the server has closed the connection


def admitted(server, api):
    try:
        ws = connect(server, api)
    except websocket.WebSocketBadStatusException as exc:
        assert exc.status_code == 429
        return False
    ws.close()
    return True




def test_long_poll_holds_at_most_sixty_seconds(capped, staff):
    employee = staff.user()
    assert employee.get("/api/events/?after=0&timeout=60.5").status_code == 400
    assert long_poll(employee, newest_id(employee), timeout=0)["events"] == []


def test_logout_closes_the_websocket_opened_with_that_token(server, company):
    employee = company.user()
    other = company.user()
    ws = connect(server, employee, after=newest_id(employee))
    keeps = connect(server, other, after=newest_id(other))
    try:
        assert employee.post("/api/auth/logout/").status_code == 204
        assert closed_within(ws, 10)
        company.task(other)
        assert recv_json(keeps)["type"] == "task.created"  # other people's streams stay up
    finally:
        keeps.close()


def test_disabling_a_user_closes_their_websockets(server, company):
    employee = company.user()
    ws = connect(server, employee, after=newest_id(employee))
    answer = company.owner.patch("/api/admin/users/%d/" % employee.user["id"], {"is_active": False})
    assert answer.status_code == 200
    assert closed_within(ws, 10)


def test_a_role_change_closes_the_users_websockets(server, company):
    """A demoted admin must not keep a stream that shows everyone's events."""
    admin = company.user(role="ADMIN")
    ws = connect(server, admin, after=newest_id(admin))
    answer = company.owner.patch("/api/admin/users/%d/" % admin.user["id"], {"role": "EMPLOYEE"})
    assert answer.status_code == 200
    assert closed_within(ws, 10)
    admin.user["role"] = "EMPLOYEE"
    again = connect(server, admin, after=newest_id(admin))  # back with an employee's view
    try:
        company.task(company.user())  # someone else's task: no longer visible
        company.task(admin)
        assert recv_json(again)["task"]["assignee"]["id"] == admin.user["id"]
    finally:
        again.close()


def test_a_token_revoked_elsewhere_closes_its_websocket_at_the_next_sweep(tmp_path):
    """Another process (here: a direct write to the database) revokes the token; the ping sweep,
    which checks every open socket's token in one query, closes the socket."""
    import sqlite3
    srv = start_server(tmp_path, TRACKER_PUSH_PING_SECONDS=1, TRACKER_PUSH_PING_TIMEOUT=0.5)
    try:
        company = Company(srv)
        employee, other = company.user(), company.user()
        ws = connect(srv, employee, after=newest_id(employee))
        keeps = connect(srv, other, after=newest_id(other))
        # A socket with a valid token stays: it reads all along (answering each ping, as a real
        # client does) while the sweep's slices come round to the revoked one.
        received = concurrent.futures.ThreadPoolExecutor(1).submit(recv_json, keeps)
        try:
            with sqlite3.connect(srv.db_path) as conn:
                conn.execute("UPDATE api_token SET revoked = 1 WHERE user_id = ?",
                              (employee.user["id"],))
            assert closed_within(ws, 10)
            company.task(other)
            assert received.result(10)["type"] == "task.created"
        finally:
            keeps.close()
            keeps.shutdown()
    finally:
        srv.stop()
