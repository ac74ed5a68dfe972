"""What an attacker's afternoon found (issue 18), each shape tried against a real server: parallel
password guessing, redirects a browser would follow off-site, waiting long-polls that outlive their
credentials, slow bodies, the last owner, weak passwords, inputs that reached a 500, CSV formulas,
headers on static files, a cursor from the future, usernames that differ in case, secrets in the
access log and task ids that say whether they exist."""
import concurrent.futures
import csv
import io
import socket
import threading
import time
import urllib.parse

import pytest
import requests
import websocket

from support.client import Api, Company
from support.push import newest_id, ws_url
from support.server import OWNER_PASSWORD, USER_PASSWORD, start_server


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("hardening"), TRACKER_LOGIN_MAX_FAILURES=5)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def company(srv):
    return Company(srv)


def raw_exchange(port, data, timeout=10):
    """Send raw bytes on a fresh connection; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and b"Connection: close" not in b"".join(chunks):
                    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                    length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:")]
                    if length and len(body) >= length[0]:
                        break
        except socket.timeout:
            pass
    return b"".join(chunks)


def status_of(raw):
    return int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/1.1 ") else None


# ---------------------------------------------------------------- 1. parallel guessing

def test_parallel_wrong_logins_get_no_more_tries_than_sequential_ones(srv, company):
    victim = company.user()
    name = victim.user["username"]
    guesses = ["wrong-guess-%02d-xx" % i for i in range(24)]

    def attempt(password):
        return requests.post(srv.url + "/api/auth/token/",
                             json={"username": name, "password": password}, timeout=60).status_code

    with concurrent.futures.ThreadPoolExecutor(len(guesses)) as pool:
        statuses = list(pool.map(attempt, guesses))
    assert statuses.count(401) <= 5, statuses
    assert statuses.count(429) == len(guesses) - statuses.count(401), statuses
    assert attempt(USER_PASSWORD) == 429  # the right password waits out the window too


def test_parallel_wrong_logins_through_the_form_are_throttled_too(srv, company):
    admin = company.user("ADMIN")
    name = admin.user["username"]

    def attempt(password):
        http = requests.Session()
        http.get(srv.url + "/login", timeout=30)
        return http.post(srv.url + "/login", data={"username": name, "password": password,
                                                   "_xsrf": http.cookies["_xsrf"]},
                         allow_redirects=False, timeout=60).status_code

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(attempt, ["form-guess-%02d-xx" % i for i in range(20)]))
    assert statuses.count(401) <= 5, statuses
    assert attempt(USER_PASSWORD) == 429


# ---------------------------------------------------------------- 2. redirects after login

@pytest.mark.parametrize("target", ["/%09/evil.example/y", "/%0D%0A/x", "/%5Cevil.example",
                                    "%2F%2Fevil.example", "/%0A/evil.example", "/\u3000/evil",
                                    "https://evil.example/", "/%2F/evil.example"])
def test_login_next_never_leaves_the_site(srv, target):
    http = requests.Session()
    http.get(srv.url + "/login", timeout=30)
    signed_in = http.post(srv.url + "/login", data={"username": "root", "password": OWNER_PASSWORD,
                                                    "_xsrf": http.cookies["_xsrf"]},
                          allow_redirects=False, timeout=30)
    assert signed_in.status_code == 302
    answer = http.get(srv.url + "/login?next=" + target, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert not any(ord(ch) < 32 or ch == "\\" for ch in location)
    parsed = urllib.parse.urlsplit(urllib.parse.urljoin(srv.url + "/login", location))
    assert parsed.netloc == "127.0.0.1:%d" % srv.port, location


# ---------------------------------------------------------------- 3. waiting long-polls

@pytest.fixture
def one_poll_each(tmp_path):
    """A server where a user may hold one push connection: a second poll answering 429 proves
    the first is waiting."""
    server = start_server(tmp_path, TRACKER_PUSH_MAX_PER_USER=1)
    yield server
    server.stop()


def waiting_poll(api, after):
    """A 20 s long-poll in a thread, returned once the server holds it: with one push connection
    per user, a short probe poll answering 429 can only mean the long one is waiting."""
    def start():
        result = {}
        thread = threading.Thread(target=lambda: result.update(
            answer=api.get("/api/events/?after=%d&timeout=20" % after, timeout=60)), daemon=True)
        thread.start()
        return thread, result

    thread, result = start()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if not thread.is_alive():  # it lost the slot to a probe: start it again
            thread, result = start()
        probe = api.get("/api/events/?after=%d&timeout=0.2" % after).status_code
        if probe == 429 and thread.is_alive():
            return thread, result
    raise AssertionError("the long-poll never started waiting")


@pytest.mark.parametrize("change", ["logout", "disable", "demote"])
def test_a_waiting_long_poll_ends_with_its_credentials(one_poll_each, change):
    company = Company(one_poll_each)
    admin, employee = company.user("ADMIN"), company.user()
    thread, result = waiting_poll(admin, newest_id(admin))
    if change == "logout":
        assert admin.post("/api/auth/logout/").status_code in (200, 204)
    else:
        body = {"is_active": False} if change == "disable" else {"role": "EMPLOYEE"}
        assert company.owner.patch("/api/admin/users/%d/" % admin.user["id"], body).status_code == 200
    company.task(employee, title="secret plan", description="not for former admins")
    thread.join(30)
    answer = result["answer"]
    if change == "demote":  # still signed in: answered with what an employee may see, now
        assert answer.status_code == 200 and answer.json()["events"] == [], answer.text
    else:
        assert answer.status_code == 401, answer.text
    assert "secret plan" not in answer.text


# ---------------------------------------------------------------- 4. slow bodies, idle sockets

@pytest.fixture(scope="module")
def impatient(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("impatient"), TRACKER_BODY_TIMEOUT=1,
                          TRACKER_IDLE_CONNECTION_SECONDS=1)
    yield server
    server.stop()


def closed_within(sock, seconds):
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
        return True
    except socket.timeout:
        return False


def test_a_body_that_never_comes_is_cut(impatient):
    with socket.create_connection(("127.0.0.1", impatient.port)) as sock:
        sock.sendall(b"POST /api/auth/token/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{")
        assert closed_within(sock, 15)


def test_an_idle_connection_is_closed(impatient):
    with socket.create_connection(("127.0.0.1", impatient.port)) as sock:
        assert closed_within(sock, 15)


def served(sock):
    """True when a health check on this connection is answered; False when it was closed."""
    try:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        return sock.recv(65536).startswith(b"HTTP/1.1 200")
    except (ConnectionResetError, BrokenPipeError):
        return False


def test_connections_per_address_are_capped(tmp_path):
    server = start_server(tmp_path, TRACKER_MAX_CONNECTIONS_PER_ADDRESS=4)
    held, deadline = [], time.monotonic() + 15
    try:
        # Four held open and each served; the server may not yet have seen the start-up probe's
        # connection close, and then one of the four is refused: close them and try again.
        while len(held) < 4:
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            held.append(sock)
            if not served(sock):
                assert time.monotonic() < deadline, "four connections were never served"
                for sock in held:
                    sock.close()
                held = []
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as extra:
            assert not served(extra)  # closed unserved
        held.pop().close()
        deadline = time.monotonic() + 15
        while True:  # a freed slot is served again, once the server has seen the close
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as again:
                if served(again):
                    break
            assert time.monotonic() < deadline, "a freed slot was never served again"
    finally:
        for sock in held:
            sock.close()
        server.stop()


# ---------------------------------------------------------------- 5. the last owner

def test_the_last_active_owner_cannot_be_demoted_or_disabled(srv, company):
    root_id = company.owner.user["id"]
    for body in ({"role": "ADMIN"}, {"role": "EMPLOYEE"}, {"is_active": False}):
        answer = company.owner.patch("/api/admin/users/%d/" % root_id, body)
        assert answer.status_code == 409, answer.text
        assert answer.json()["error"]["code"] == "conflict"
    assert company.owner.get("/api/admin/users/").status_code == 200  # still an owner
    second = company.owner.post("/api/admin/users/", {"username": "second_owner", "role": "OWNER",
                                                      "password": USER_PASSWORD})
    assert second.status_code == 201
    other = company.owner.login("second_owner", USER_PASSWORD)
    assert other.patch("/api/admin/users/%d/" % second.json()["id"], {"role": "ADMIN"}).status_code == 200
    assert company.owner.patch("/api/admin/users/%d/" % root_id, {"role": "ADMIN"}).status_code == 409


# ---------------------------------------------------------------- 6. password rules

WEAK = ["password", "12345678", "aaaaaaaa", " " * 12, "short-pass1", "passwordpassword",
        "abc\x00defghijklm", "123456789012", "qwertyuiopas"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused_at_creation_and_change(company, password):
    name = "weak_%d" % (abs(hash(password)) % 10**8)
    made = company.owner.post("/api/admin/users/", {"username": name, "password": password})
    assert made.status_code == 400, made.text
    assert made.json()["error"]["field"] == "password"
    employee = company.user()
    changed = company.owner.patch("/api/admin/users/%d/" % employee.user["id"], {"password": password})
    assert changed.status_code == 400 and changed.json()["error"]["field"] == "password"
    assert employee.get("/api/employee-tasks/").status_code == 200  # nothing changed


def test_a_passphrase_with_spaces_signs_in_through_api_and_form_alike(srv, company):
    phrase = "  correct horse battery staple  "
    made = company.owner.post("/api/admin/users/", {"username": "phrase_admin", "role": "ADMIN",
                                                    "password": phrase})
    assert made.status_code == 201, made.text
    assert Api(srv.url).login("phrase_admin", phrase).token
    http = requests.Session()
    http.get(srv.url + "/login", timeout=30)
    form = http.post(srv.url + "/login", data={"username": "phrase_admin", "password": phrase,
                                               "_xsrf": http.cookies["_xsrf"]},
                     allow_redirects=False, timeout=30)
    assert form.status_code == 302


# ---------------------------------------------------------------- 7. inputs that reached a 500

def test_a_non_ascii_digit_content_length_is_a_400(srv):
    raw = raw_exchange(srv.port, "POST /api/auth/token/ HTTP/1.1\r\nHost: x\r\nContent-Length: ²\r\n"
                                 "Connection: close\r\n\r\n".encode("utf-8"))
    assert status_of(raw) == 400 or raw == b""
    assert "Traceback" not in srv.log()


@pytest.fixture
def admin_form(srv):
    http = requests.Session()
    http.get(srv.url + "/login", timeout=30)
    http.post(srv.url + "/login", data={"username": "root", "password": OWNER_PASSWORD,
                                        "_xsrf": http.cookies["_xsrf"]}, timeout=30)
    return http


def test_far_future_due_dates_in_the_forms_are_a_form_error(srv, company, admin_form):
    employee = company.user()
    before = company.owner.get("/api/admin/task-status/").json()["summary"]["total"]
    for offset in ("-840", "840", "60"):
        answer = admin_form.post(srv.url + "/dashboard/tasks/assign/", data={
            "title": "far", "assignee_id": employee.user["id"], "priority": "MEDIUM",
            "due_date": "9999-12-31T23:59", "tz_offset": offset,
            "_xsrf": admin_form.cookies["_xsrf"]}, allow_redirects=False, timeout=30)
        assert answer.status_code == 400, answer.status_code
    task = company.task(employee)
    edit = admin_form.post(srv.url + "/dashboard/tasks/%d/" % task["id"], data={
        "title": "far", "assignee_id": employee.user["id"], "priority": "MEDIUM",
        "due_date": "9999-12-31T23:59", "tz_offset": "-840", "version": task["version"],
        "_xsrf": admin_form.cookies["_xsrf"]}, allow_redirects=False, timeout=30)
    assert edit.status_code == 400
    assert company.owner.get("/api/admin/task-status/").json()["summary"]["total"] == before + 1
    assert "Traceback" not in srv.log()


def test_a_huge_created_id_on_the_assign_page_is_no_500(srv, admin_form):
    answer = admin_form.get(srv.url + "/dashboard/tasks/assign/?created=99999999999999999999999",
                            timeout=30)
    assert answer.status_code in (200, 400, 404)
    assert "Traceback" not in srv.log()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_other_methods_on_the_websocket_path_are_a_405(srv, company, method, signed_in):
    api = company.owner if signed_in else Api(srv.url)
    answer = api.request(method, "/api/events/ws", json={})
    assert answer.status_code == 405, answer.text
    assert answer.json()["error"]["code"] == "method_not_allowed"
    assert "Traceback" not in srv.log()


# ---------------------------------------------------------------- 8. CSV formulas

FORMULA_NOTES = [" =1+1", "\n=1+1", "\t=1+1", "\u00a0=1+1", "\u200b=1+1", "\uff1d1+1", "\r=1",
                 " \u00a0+1", "\ufeff@SUM(A1)"]


def test_every_cell_that_starts_a_formula_after_blanks_is_neutralised(company):
    employee = company.user()
    task = company.task(employee)
    for pct, notes in enumerate(FORMULA_NOTES, start=1):
        answer = employee.post("/api/task/%d/progress/" % task["id"],
                               {"progress_percentage": pct, "notes": notes})
        assert answer.status_code in (200, 201), answer.text
    text = company.owner.get("/api/admin/export/audit.csv?task=%d" % task["id"]).text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    notes = [row["notes"] for row in rows][-len(FORMULA_NOTES):]
    assert notes == ["'" + n for n in FORMULA_NOTES]


# ---------------------------------------------------------------- 9. headers everywhere

def test_static_files_carry_the_security_headers_and_no_server_version(srv):
    for path in ("/static/css/app.css", "/static/js/push.js", "/login", "/healthz"):
        answer = requests.get(srv.url + path, timeout=30)
        assert answer.status_code == 200, path
        assert answer.headers.get("X-Content-Type-Options") == "nosniff", path
        assert "frame-ancestors 'none'" in answer.headers.get("Content-Security-Policy", ""), path
        assert "tornado" not in answer.headers.get("Server", "").lower(), path


# ---------------------------------------------------------------- 10. a cursor from the future

def test_a_websocket_cursor_beyond_the_newest_event_gets_a_reset(srv, company):
    employee = company.user()
    newest = newest_id(company.owner)
    ws = websocket.create_connection(ws_url(srv, after=newest + 1000), timeout=10,
                                     header=["Authorization: Bearer " + employee.token])
    try:
        import json
        first = json.loads(ws.recv())
        assert first["type"] == "reset" and first["cursor"] <= newest + 1
    finally:
        ws.close()


# ---------------------------------------------------------------- 11. usernames and case

def test_usernames_are_unique_whatever_their_case(company):
    assert company.owner.post("/api/admin/users/", {"username": "casey", "password": USER_PASSWORD}
                              ).status_code == 201
    clash = company.owner.post("/api/admin/users/", {"username": "Casey", "password": USER_PASSWORD})
    assert clash.status_code == 409 and clash.json()["error"]["field"] == "username"
    assert Api(company.server.url).login("CASEY", USER_PASSWORD).user["username"] == "casey"


# ---------------------------------------------------------------- 12. the access log

def test_the_access_log_keeps_no_query_values(srv, company):
    secret = "q-secret-%d" % time.monotonic_ns()
    company.owner.get("/api/admin/export/audit.csv?task=1&token=%s" % secret)
    company.owner.get("/api/events/?after=0&timeout=0&x=%s" % secret)
    deadline = time.monotonic() + 10
    while "/api/events/" not in srv.log().split(secret[:6])[-1] and time.monotonic() < deadline:
        company.owner.get("/healthz")
    assert secret not in srv.log()


# ---------------------------------------------------------------- 13. existence never leaks

@pytest.mark.parametrize("method,path,body", [
    ("POST", "/api/task/%d/complete/", {}),
    ("POST", "/api/task/%d/progress/", {"progress_percentage": 10}),
    ("GET", "/api/task/%d/history/", None),
])
def test_an_employee_gets_the_same_answer_for_anothers_task_and_a_missing_one(company, method, path,
                                                                                 body):
    owner, other = company.user(), company.user()
    task = company.task(owner)
    theirs = other.request(method, path % task["id"], json=body)
    missing = other.request(method, path % (task["id"] + 100000), json=body)
    assert theirs.status_code == missing.status_code == 403  # SPEC: 403 "not yours"
    assert theirs.json()["error"]["code"] == missing.json()["error"]["code"]
    assert len(owner.get("/api/task/%d/history/" % task["id"]).json()["updates"]) == 1  # unchanged
