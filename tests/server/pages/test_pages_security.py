"""The pages' defences: user text is shown as text everywhere, forms need the XSRF token, employees
and ended sessions get no dashboard."""
import datetime
import hashlib
import secrets
import sqlite3
import urllib.parse

import pytest
import requests
from playwright.sync_api import expect

from support.browser import (WAIT_MS, PageErrors, browser, card, context, form_session,  # noqa: F401
                             open_monitor, sign_in)
from support.server import OWNER_PASSWORD, USER_PASSWORD

pytestmark = pytest.mark.browser

TITLE = "<img src=x onerror=alert('title')></script><script>alert('script')</script>"
NOTES = "<img src=x onerror=alert('notes')> & </textarea><b id=bold>bold</b>"
NAME = "<svg onload=alert('name')>Eve</svg>"
PROJECT = "<iframe src=javascript:alert('project')>"


@pytest.fixture
def sessions():
    """Opens HTTP sessions (signed in through the form when given a URL) and closes them after."""
    opened = []

    def open_session(*args):
        http = form_session(*args) if args else requests.Session()
        opened.append(http)
        return http
    yield open_session
    for http in opened:
        http.close()


def no_markup_ran(page, errors):
    assert errors.dialogs == [] and errors.errors == []
    # The one inline script is the page's import map (data, allowed by its hash: web/modules.py).
    for selector in ("img[src=x]", "#bold", "iframe", "main svg[onload]",
                     "script:not([src]):not([type=importmap])", "body script[type=importmap]"):
        assert page.locator(selector).count() == 0, selector


@pytest.fixture(scope="module")
def hostile(company):
    """An employee, a project and a task whose every text field is markup."""
    answer = company.owner.post("/api/admin/users/", {"username": "eve_" + secrets.token_hex(3),
                                                      "full_name": NAME, "role": "EMPLOYEE",
                                                      "password": USER_PASSWORD})
    assert answer.status_code == 201, answer.text
    eve = company.owner.login(answer.json()["username"], USER_PASSWORD)
    project = company.owner.post("/api/admin/projects/", {"name": PROJECT + secrets.token_hex(2)}).json()
    task = company.task(eve, title=TITLE, description=NOTES, project_id=project["id"])
    assert eve.post("/api/task/%d/progress/" % task["id"],
                    {"progress_percentage": 10, "notes": NOTES}).status_code == 200
    return eve, project, task


def test_markup_in_user_text_renders_as_text_on_every_page(server, context, hostile):
    eve, project, task = hostile
    page = open_monitor(context, server.url)
    errors = PageErrors(page)
    target = card(page, task["id"])
    expect(target.locator("[data-ref=title]")).to_have_text(TITLE)
    assert target.locator("[data-ref=assignee]").inner_text() == NAME
    assert target.locator("[data-ref=project]").inner_text() == project["name"]
    assert NOTES in target.locator("[data-ref=updates]").inner_text()
    # Text arriving live over the push channel is just as inert.
    eve.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 20, "notes": NOTES + "!"})
    expect(target.locator("[data-ref=pct]")).to_have_text("20 %", timeout=WAIT_MS)
    assert NOTES + "!" in target.locator("[data-ref=updates]").inner_text()
    no_markup_ran(page, errors)

    for path in ("/dashboard/tasks/%d/" % task["id"], "/dashboard/tasks/assign/",
                 "/dashboard/tasks/statistics/"):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        no_markup_ran(page, errors)
    page.goto(server.url + "/dashboard/tasks/%d/" % task["id"])
    assert page.inner_text("h1") == TITLE
    assert page.title().startswith("#%d %s" % (task["id"], TITLE))
    assert NOTES in page.inner_text("#audit")
    assert page.input_value("#f-description") == NOTES
    eve.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 30, "notes": NOTES + "?"})
    expect(page.locator("#audit")).to_contain_text(NOTES + "?", timeout=WAIT_MS)
    no_markup_ran(page, errors)
    page.goto(server.url + "/dashboard/tasks/statistics/")
    assert NAME in page.inner_text("#employee-table")
    page.goto(server.url + "/dashboard/tasks/assign/")
    assert NAME in page.locator("#f-assignee").inner_text()
    no_markup_ran(page, errors)


def task_count(company):
    return len(company.owner.get("/api/admin/task-status/").json()["tasks"])


def test_a_form_post_without_the_xsrf_token_is_refused_and_writes_nothing(server, company, sessions):
    employee = company.user()
    task = company.task(employee)
    http = sessions(server.url)
    fields = {"title": "Forged", "assignee_id": str(employee.user["id"]), "priority": "LOW"}
    before = task_count(company)
    for token in (None, "forged-token"):
        body = dict(fields, **({"_xsrf": token} if token else {}))
        answer = http.post(server.url + "/dashboard/tasks/assign/", data=body, allow_redirects=False)
        assert answer.status_code == 403, answer.text
        assert "Nothing was changed" in answer.text
        cancel = http.post(server.url + "/dashboard/tasks/%d/" % task["id"],
                           data={"action": "cancel", **({"_xsrf": token} if token else {})})
        assert cancel.status_code == 403
    # A valid token from another site is refused too (the cross-origin check).
    cross = http.post(server.url + "/dashboard/tasks/assign/", allow_redirects=False,
                      data=dict(fields, _xsrf=http.cookies["_xsrf"]),
                      headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    # The JSON API under the same cookie needs the X-XSRFToken header as well.
    # (its own connection: the streaming API handler refuses before reading the body and closes it)
    patch = requests.patch(server.url + "/api/admin/tasks/%d/" % task["id"], json={"priority": "URGENT"},
                           cookies=http.cookies.get_dict(), timeout=10)
    assert patch.status_code == 403
    assert http.post(server.url + "/logout", allow_redirects=False).status_code == 403
    assert task_count(company) == before
    after = company.owner.get("/api/admin/tasks/%d/" % task["id"]).json()
    assert after["status"] == "PENDING" and after["priority"] == task["priority"]
    assert after["version"] == task["version"]
    # The session survived the forged logout, and with the token the same form works.
    ok = http.post(server.url + "/dashboard/tasks/assign/", allow_redirects=False,
                   data=dict(fields, _xsrf=http.cookies["_xsrf"]))
    assert ok.status_code == 302 and "created=" in ok.headers["Location"]
    assert task_count(company) == before + 1


def plant_session(db_url, user_id):
    """A session row for any user, written straight into the database (no page issues one to an
    employee); returns the cookie value."""
    token = secrets.token_urlsafe(32)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=10) as conn:
        conn.execute("INSERT INTO api_token (user_id, token_hash, kind, created_at, last_used_at, "
                     "revoked) VALUES (?, ?, 'session', ?, ?, 0)",
                     (user_id, hashlib.sha256(token.encode()).hexdigest(), now, now))
    return token


@pytest.mark.parametrize("path", ["/dashboard/tasks/monitor/", "/dashboard/tasks/assign/",
                                  "/dashboard/tasks/statistics/", "/dashboard/tasks/monitor/snapshot.json"])
def test_an_employee_session_gets_no_dashboard(server, company, path):
    employee = company.user()
    cookie = plant_session(server.db_url, employee.user["id"])
    answer = requests.get(server.url + path, cookies={"tracker_session": cookie}, timeout=10,
                          allow_redirects=False)
    assert answer.status_code == 403
    assert "for admins and owners" in answer.text and '"tasks"' not in answer.text


def test_disabling_a_user_ends_their_session(server, company, sessions):
    admin = company.user(role="ADMIN")
    http = sessions(server.url, admin.user["username"], USER_PASSWORD)
    assert http.get(server.url + "/dashboard/tasks/monitor/", allow_redirects=False).status_code == 200
    disabled = company.owner.patch("/api/admin/users/%d/" % admin.user["id"], {"is_active": False})
    assert disabled.status_code == 200, disabled.text
    answer = http.get(server.url + "/dashboard/tasks/monitor/", allow_redirects=False)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_pages_send_a_strict_content_security_policy(server, sessions):
    http = sessions(server.url)
    for path in ("/login", "/dashboard/tasks/monitor/", "/dashboard/tasks/assign/",
                 "/dashboard/tasks/statistics/", "/dashboard/no/such/page/"):
        answer = http.get(server.url + path)
        policy = answer.headers.get("Content-Security-Policy", "")
        for rule in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                     "frame-ancestors 'none'"):
            assert rule in policy, (path, policy)
        assert "unsafe-inline" not in policy
    page = http.get(server.url + "/dashboard/tasks/monitor/").text
    assert "<script>" not in page and "onclick=" not in page


def test_repeated_wrong_passwords_are_throttled_with_a_message(server, company, sessions):
    admin = company.user(role="ADMIN")
    http = sessions()
    http.get(server.url + "/login", timeout=10)
    form = {"username": admin.user["username"], "password": "wrong-password",
            "_xsrf": http.cookies["_xsrf"]}
    codes = [http.post(server.url + "/login", data=form, timeout=30).status_code for _ in range(5)]
    assert codes == [401] * 5
    throttled = http.post(server.url + "/login", timeout=30,
                          data=dict(form, password=USER_PASSWORD))
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in throttled.text
    assert "tracker_session" not in http.cookies


def test_behind_an_https_proxy_the_cookies_are_secure(tmp_path, sessions):
    from support.server import start_server
    srv = start_server(tmp_path, TRACKER_XHEADERS="true")
    try:
        https = {"X-Forwarded-Proto": "https"}
        http = sessions()
        page = http.get(srv.url + "/login", headers=https, timeout=10)
        assert "secure" in page.headers["Set-Cookie"].lower()
        token = http.cookies["_xsrf"]  # a Secure cookie: requests keeps it off plain http itself
        answer = requests.post(srv.url + "/login", allow_redirects=False, timeout=30,
                               headers=dict(https, Cookie="_xsrf=" + token),
                               data={"username": "root", "password": OWNER_PASSWORD, "_xsrf": token})
        assert answer.status_code == 302
        session = answer.headers["Set-Cookie"]
        assert session.startswith("tracker_session=")
        for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
            assert flag.lower() in session.lower(), session
    finally:
        srv.stop()


@pytest.mark.parametrize("target", ["/%09/evil.example/y", "/%0D%0A/evil.example", "/%5Cevil.example"])
def test_a_signed_in_browser_is_never_sent_off_site(server, context, target):
    """The redirect a signed-in admin gets from /login?next=... as Chromium follows it (it drops
    tabs and newlines and reads a backslash as a slash)."""
    page = sign_in(context.new_page(), server.url)
    requests_off_site = []
    page.on("request", lambda r: urllib.parse.urlsplit(r.url).hostname != "127.0.0.1"
            and requests_off_site.append(r.url))
    page.goto(server.url + "/login?next=" + target)
    page.wait_for_url(server.url + "/dashboard/tasks/monitor/")
    assert requests_off_site == []
    page.close()
