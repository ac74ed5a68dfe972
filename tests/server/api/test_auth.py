"""Login, tokens, throttling, and secrets that never reach the database or the logs in clear."""
import concurrent.futures
import datetime
import sqlite3
import statistics
import time
import uuid

import pytest
import requests

from support.client import Company
from support.server import OWNER_PASSWORD, USER_PASSWORD, ServerProcess, make_server, server_env, start_server
from support.wait import wait_until
from server.services.core.errors import Throttled
from server.store.database import db
from server.store.models import User


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    # A short token cache: a change made behind the server's back (below) shows within a second.
    server = make_server(tmp_path_factory.mktemp("auth"), login_max_failures=5, auth_cache_seconds=1)
    yield server
    server.stop()


def login(srv, username, password):
    return requests.post(srv.url + "/api/auth/token/", json={"username": username, "password": password},
                         timeout=30)


def test_login_returns_token_and_user(srv):
    employee = Company(srv).user()
    answer = login(srv, employee.user["username"], USER_PASSWORD)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body["user"]) == {"id", "username", "full_name", "role"}
    assert len(body["token"]) >= 32 and body["token"] != employee.token


@pytest.mark.parametrize("body,status", [
    ({"username": "nobody", "password": "whatever-pass"}, 401),
    ({"username": "root", "password": "wrong-password"}, 401),
    ({"username": "root"}, 400),
    ({"password": "x"}, 400),
    ({"username": 5, "password": "x"}, 400),
])
def test_bad_logins(srv, body, status):
    answer = requests.post(srv.url + "/api/auth/token/", json=body, timeout=30)
    assert answer.status_code == status
    assert "token" not in answer.json()


def test_five_failures_throttle_that_username_from_that_address_only(srv):
    company = Company(srv)
    victim, bystander = company.user(), company.user()
    name = victim.user["username"]
    for _ in range(5):
        assert login(srv, name, "wrong-guess-123").status_code == 401
    throttled = login(srv, name, USER_PASSWORD)  # even the right password waits out the window
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert throttled.json()["error"]["code"] == "throttled"
    assert login(srv, bystander.user["username"], USER_PASSWORD).status_code == 200
    assert victim.get("/api/employee-tasks/").status_code == 200  # existing tokens keep working


def test_logout_revokes_only_the_token_in_use(srv):
    company = Company(srv)
    employee = company.user()
    second = login(srv, employee.user["username"], USER_PASSWORD).json()["token"]
    assert employee.post("/api/auth/logout/").status_code == 204
    assert employee.get("/api/employee-tasks/").status_code == 401
    assert employee.post("/api/auth/logout/").status_code == 401
    still = requests.get(srv.url + "/api/employee-tasks/", headers={"Authorization": "Bearer " + second},
                         timeout=30)
    assert still.status_code == 200


def test_secrets_are_stored_hashed_and_never_logged(srv):
    company = Company(srv)
    employee = company.user()
    employee.get("/api/employee-tasks/")
    path = srv.db_path
    with sqlite3.connect(path) as conn:
        dump = "\n".join(conn.iterdump())
        hashes = [h for (h,) in conn.execute("SELECT password_hash FROM user")]
    assert employee.token not in dump and USER_PASSWORD not in dump
    assert all(h.startswith("$argon2id$") for h in hashes)
    log = srv.log()
    assert employee.token not in log and USER_PASSWORD not in log
    assert "GET /api/employee-tasks/" in log  # one line per request is there


def test_query_string_token_is_not_accepted(srv):
    employee = Company(srv).user()
    answer = requests.get(srv.url + "/api/employee-tasks/?token=%s" % employee.token, timeout=30)
    assert answer.status_code == 401


def test_disabled_user_cannot_use_old_tokens(srv, tmp_path):
    """Disabled behind the server's back (straight in the database, as another tool might): the
    cached token lookup lasts at most auth_cache_seconds; a login is refused at once."""
    company = Company(srv)
    employee = company.user()
    assert employee.get("/api/employee-tasks/").status_code == 200  # the token is now cached
    with sqlite3.connect(srv.db_path) as conn:
        conn.execute("UPDATE user SET is_active = 0 WHERE id = ?", (employee.user["id"],))
    assert login(srv, employee.user["username"], USER_PASSWORD).status_code == 401
    wait_until(lambda: employee.get("/api/employee-tasks/").status_code == 401, 5,
               "the disabled user's token still works", interval=0.1)


def test_a_role_change_applies_to_the_next_request(srv):
    company = Company(srv)
    admin = company.user(role="ADMIN")
    assert admin.get("/api/admin/task-status/").status_code == 200
    assert company.owner.patch("/api/admin/users/%d/" % admin.user["id"],
                               {"role": "EMPLOYEE"}).status_code == 200
    assert admin.get("/api/admin/task-status/").status_code == 403


def test_every_request_gets_one_access_line_with_its_level(srv):
    marker = "m" + uuid.uuid4().hex  # a query name: values are never logged
    employee = Company(srv).user()
    assert employee.get("/api/employee-tasks/?status=PENDING&%s=1" % marker).status_code == 200
    assert requests.get(srv.url + "/api/employee-tasks/?%s=1" % marker, timeout=30).status_code == 401
    wait_until(lambda: srv.log().count(marker) >= 2, 5, "access lines missing")
    lines = [line for line in srv.log().splitlines() if marker in line]
    assert len(lines) == 2
    assert " INFO tornado.access: 200 GET /api/employee-tasks/?status=&%s= " % marker in lines[0]
    assert " WARNING tornado.access: 401 GET /api/employee-tasks/?%s= " % marker in lines[1]
    assert lines[0].endswith("ms") and employee.token not in srv.log()


def test_security_headers_on_api_answers(srv):
    answer = requests.get(srv.url + "/healthz", timeout=30)
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Server" not in answer.headers


def test_disabling_a_user_through_the_api_ends_their_tokens(srv):
    company = Company(srv)
    employee = company.user()
    assert employee.get("/api/employee-tasks/").status_code == 200
    answer = company.owner.patch("/api/admin/users/%d/" % employee.user["id"], {"is_active": False})
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    assert employee.get("/api/employee-tasks/").status_code == 401
    company.owner.patch("/api/admin/users/%d/" % employee.user["id"], {"is_active": True})
    assert employee.get("/api/employee-tasks/").status_code == 401  # revoked for good
    assert login(srv, employee.user["username"], USER_PASSWORD).status_code == 200


def test_user_edit_rules(srv):
    company = Company(srv)
    admin_name = "adm_%s" % company.user().user["id"]
    company.owner.post("/api/admin/users/", {"username": admin_name, "role": "ADMIN",
                                             "password": "harbor-violet-31"})
    admin = company.owner.__class__(srv.url).login(admin_name, "harbor-violet-31")
    employee = company.user()
    assert admin.patch("/api/admin/users/%d/" % employee.user["id"], {"role": "ADMIN"}).status_code == 403
    assert admin.patch("/api/admin/users/%d/" % company.owner.user["id"],
                       {"is_active": False}).status_code == 403
    assert admin.patch("/api/admin/users/%d/" % admin.user["id"], {"is_active": False}).status_code == 403
    assert company.owner.patch("/api/admin/users/%d/" % company.owner.user["id"],
                               {"is_active": False}).status_code == 409
    renamed = admin.patch("/api/admin/users/%d/" % employee.user["id"], {"full_name": "New Name"})
    assert renamed.status_code == 200 and renamed.json()["full_name"] == "New Name"
    assert employee.patch("/api/admin/users/%d/" % employee.user["id"], {"role": "OWNER"}).status_code == 403
    assert company.owner.patch("/api/admin/users/999999/", {"full_name": "x"}).status_code == 404
    assert company.owner.patch("/api/admin/users/%d/" % employee.user["id"],
                               {"is_active": "no"}).status_code == 400


def test_throttle_window_expires_and_old_failures_are_pruned(database):
    from server.services.people.throttle import LoginThrottle
    from server.store.models import LoginFailure
    now = [datetime.datetime(2030, 1, 1, 12, 0)]
    throttle = LoginThrottle(max_failures=2, window_seconds=60, clock=lambda: now[0])
    for _ in range(2):
        with db.atomic():
            throttle.begin("Ann", "1.2.3.4")
    with pytest.raises(Throttled) as refused, db.atomic():
        throttle.begin("ann", "1.2.3.4")  # the same pair whatever the name's case
    assert refused.value.retry_after == 60
    with db.atomic():
        throttle.begin("ann", "5.6.7.8")  # another address is not throttled
    now[0] += datetime.timedelta(seconds=61)
    throttle._prune_at = 0.0  # the next attempt prunes (once a minute at most otherwise)
    with db.atomic():
        throttle.begin("ann", "1.2.3.4")
    assert LoginFailure.select().count() == 1  # the three that left the window are gone


def test_a_success_clears_its_pairs_count_only(database):
    from server.services.people.throttle import LoginThrottle
    throttle = LoginThrottle(max_failures=2, window_seconds=60)
    with db.atomic():
        throttle.begin("ann", "1.2.3.4")
        throttle.begin("ann", "5.6.7.8")
        throttle.begin("ann", "5.6.7.8")
        throttle.succeeded("ANN", "1.2.3.4")
        throttle.begin("ann", "1.2.3.4")
    with pytest.raises(Throttled), db.atomic():
        throttle.begin("ann", "5.6.7.8")


def test_failures_of_a_user_later_renamed_or_deleted_cause_no_error(database):
    """The count belongs to the name as typed and the address, never to a user row."""
    from server.services.people.throttle import LoginThrottle
    throttle = LoginThrottle(max_failures=2, window_seconds=60)
    with db.atomic():
        ann = User.create(username="ann", password_hash="x")
        throttle.begin("ann", "1.2.3.4")
        throttle.begin("ann", "1.2.3.4")
        User.update(username="anna").where(User.id == ann.id).execute()
        throttle.begin("anna", "1.2.3.4")  # the new name starts afresh
        User.delete().where(User.id == ann.id).execute()
        throttle.begin("anna", "1.2.3.4")
        throttle.succeeded("anna", "1.2.3.4")
    with pytest.raises(Throttled), db.atomic():
        throttle.begin("ann", "1.2.3.4")  # the old name waits out its window, user or not


def seconds(attempt):
    started = time.perf_counter()
    assert attempt().status_code == 401
    return time.perf_counter() - started


def test_an_unknown_username_costs_a_hash_like_a_wrong_password(tmp_path):
    """At the production argon2 cost a hash takes tens of milliseconds; skipping it for unknown
    names would answer them several times faster and tell which names exist. Interleaved, so
    both kinds see the same load."""
    server = start_server(tmp_path, TRACKER_ARGON2_MEMORY_KIB=65536, TRACKER_ARGON2_TIME_COST=3,
                          TRACKER_LOGIN_MAX_FAILURES=100)
    try:
        login(server, "root", "warm-up-the-pool")
        known, unknown = [], []
        for n in range(9):
            known.append(seconds(lambda: login(server, "root", "not-the-password")))
            unknown.append(seconds(lambda: login(server, "nobody_%d" % n, "not-the-password")))
        assert statistics.median(unknown) > statistics.median(known) / 2, (known, unknown)
    finally:
        server.stop()


@pytest.mark.postgres
def test_failures_at_one_process_throttle_the_next_attempt_at_another(pg_url, tmp_path):
    first = start_server(tmp_path, db_url=pg_url, TRACKER_LOGIN_MAX_FAILURES=5)
    second = ServerProcess(pg_url, tmp_path / "second.log",
                           env=server_env(TRACKER_LOGIN_MAX_FAILURES=5)).start()
    try:
        for attempt in range(5):
            assert login(first if attempt % 2 else second, "root", "wrong-guess-123").status_code == 401
        throttled = login(second, "root", OWNER_PASSWORD)
        assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
        assert login(first, "root", OWNER_PASSWORD).status_code == 429
    finally:
        second.stop()
        first.stop()


@pytest.mark.postgres
def test_parallel_guesses_spread_over_two_processes_get_five_tries(pg_url, tmp_path):
    first = start_server(tmp_path, db_url=pg_url, TRACKER_LOGIN_MAX_FAILURES=5)
    second = ServerProcess(pg_url, tmp_path / "second.log",
                           env=server_env(TRACKER_LOGIN_MAX_FAILURES=5)).start()
    try:
        guesses = [(first if n % 2 else second, "guess-%02d-wrong" % n) for n in range(20)]
        with concurrent.futures.ThreadPoolExecutor(len(guesses)) as pool:
            statuses = list(pool.map(lambda guess: login(guess[0], "root", guess[1]).status_code,
                                     guesses))
        assert statuses.count(401) == 5 and statuses.count(429) == 15, statuses
    finally:
        second.stop()
        first.stop()


def test_a_refused_request_keeps_the_connection_usable(srv):
    """401 on a POST with a body must not cost a keep-alive client its connection."""
    import http.client
    import json
    employee = Company(srv).user()
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    body = json.dumps({"occupancy_status": "ACTIVE"})
    try:
        conn.request("POST", "/api/heartbeat/", body, {"Content-Type": "application/json",
                                                       "Authorization": "Bearer wrong"})
        refused = conn.getresponse()
        refused.read()
        assert refused.status == 401 and refused.getheader("Connection", "").lower() != "close"
        sock = conn.sock
        # No wait needed: a server that drops the connection after refusing answers the next
        # request on it with an EOF or a reset (RemoteDisconnected), never with a 200.
        conn.request("POST", "/api/heartbeat/", body, {"Content-Type": "application/json",
                                                       "Authorization": "Bearer " + employee.token})
        assert conn.getresponse().status == 200
        assert conn.sock is sock  # the same connection, not a quiet reconnect
    finally:
        conn.close()
