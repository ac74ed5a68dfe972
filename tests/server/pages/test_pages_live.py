"""The live monitor in a real browser: sign-in, cards updated in place by the push channel, a task
assigned in another page, filters, and the long-poll fallback when WebSocket is blocked."""
import re
from datetime import datetime, timedelta, timezone

import pytest
import requests
from playwright.sync_api import expect

from support.client import Company
from support.server import start_server
from support.browser import (WAIT_MS, PageErrors, berlin_context, browser, card,  # noqa: F401
                             context, open_monitor, sign_in, wait_live)
from support.wait import wait_until

pytestmark = pytest.mark.browser


def test_sign_in_shows_the_monitor_and_sign_out_ends_the_session(server, context):
    page = context.new_page()
    anonymous = page.goto(server.url + "/")
    assert page.url.startswith(server.url + "/login")
    assert "default-src 'self'" in anonymous.headers["content-security-policy"]
    sign_in(page, server.url)
    wait_live(page)
    cookie = next(c for c in context.cookies() if c["name"] == "tracker_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.click("text=Sign out")
    page.wait_for_url(re.compile(r".*/login\?bye=1"))
    assert "signed out" in page.inner_text("main")
    # The old cookie value is dead on the server, not just forgotten by the browser.
    again = requests.get(server.url + "/dashboard/tasks/monitor/", allow_redirects=False, timeout=10,
                         cookies={"tracker_session": cookie["value"]})
    assert again.status_code == 302 and "/login" in again.headers["Location"]
    api = requests.get(server.url + "/api/admin/task-status/", timeout=10,
                       cookies={"tracker_session": cookie["value"]})
    assert api.status_code == 401


def test_wrong_password_is_refused_with_a_message(server, context):
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", "root")
    page.fill("#password", "not-the-password")
    page.click("form button[type=submit]")
    assert page.inner_text("#login-error") == "Wrong username or password."
    assert not [c for c in context.cookies() if c["name"] == "tracker_session"]


def test_a_card_updates_in_place_when_progress_is_reported(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Calibrate the sensors")
    page = open_monitor(context, server.url)
    errors = PageErrors(page)
    wait_live(page)
    target = card(page, task["id"])
    assert target.locator("[data-ref=pct]").inner_text() == "0 %"
    page.evaluate("window.__sameDocument = true; document.getElementById('task-%d').dataset.probe = 'x'"
                  % task["id"])
    answer = employee.post("/api/task/%d/progress/" % task["id"],
                           {"progress_percentage": 40, "notes": "Halfway through the sensors"})
    assert answer.status_code == 200, answer.text
    expect(target.locator("[data-ref=pct]")).to_have_text("40 %", timeout=WAIT_MS)
    assert target.get_attribute("data-status") == "IN_PROGRESS"
    assert target.locator("[data-ref=status]").inner_text() == "In progress"
    assert "Halfway through the sensors" in target.locator("[data-ref=updates]").inner_text()
    # Same document and the same card element: updated in place, not reloaded or re-rendered.
    assert page.evaluate("window.__sameDocument === true")
    assert target.get_attribute("data-probe") == "x"
    assert page.inner_text('[data-metric="in_progress"]') != "–"
    assert errors.errors == []


def test_a_task_assigned_in_a_second_page_appears_on_the_first(server, company, berlin_context):
    context = berlin_context
    company.owner.patch("/api/me/", {"time_zone": "Europe/Berlin"})  # the owner's zone (SPEC 11.4)
    employee = company.user()
    monitor = open_monitor(context, server.url)
    wait_live(monitor)
    before = int(monitor.inner_text('[data-metric="total"]'))
    assign = context.new_page()
    assign.goto(server.url + "/dashboard/tasks/assign/")
    assign.fill("#f-title", "Inspect the loading dock")
    assign.select_option("#f-assignee", str(employee.user["id"]))
    assign.select_option("#f-priority", "HIGH")
    assign.fill("#f-due", "2031-05-04T16:30")
    assign.fill("#f-description", "Before the audit on Monday.")
    assign.click("form[data-task-form] button[type=submit]")
    notice = assign.locator("#created")
    assert "Inspect the loading dock" in notice.inner_text()
    task_path = notice.locator("a").get_attribute("href")
    task_id = int(task_path.strip("/").split("/")[-1])
    new_card = card(monitor, task_id)
    new_card.wait_for(timeout=WAIT_MS)
    assert new_card.locator("[data-ref=title]").inner_text() == "Inspect the loading dock"
    assert new_card.locator("[data-ref=priority]").inner_text().lower() == "high"
    assert monitor.inner_text('[data-metric="total"]') == str(before + 1)
    # The due date was typed in the owner's time zone (Berlin, summer: UTC+2) and stored in UTC.
    assert assign.evaluate("new Date('2031-05-04T16:30').getTimezoneOffset()") == -120
    stored = company.owner.get("/api/admin/tasks/%d/" % task_id).json()
    assert stored["due_date"] == "2031-05-04T14:30:00+00:00"
    assert stored["priority"] == "HIGH" and stored["description"] == "Before the audit on Monday."
    company.owner.patch("/api/me/", {"time_zone": None})


def test_assign_form_shows_messages_beside_the_fields_and_creates_nothing(server, company, context):
    page = context.new_page()
    sign_in(page, server.url, next_path="/dashboard/tasks/assign/")
    count = len(company.owner.get("/api/admin/task-status/").json()["tasks"])
    page.fill("#f-description", "x" * 20)
    page.click("form[data-task-form] button[type=submit]")
    assert page.inner_text("#e-title") == "Give the task a title."
    assert page.inner_text("#e-assignee") == "Choose who does the task."
    assert page.get_attribute("#f-title", "aria-invalid") == "true"
    assert page.input_value("#f-description") == "x" * 20  # what was typed is kept
    assert len(company.owner.get("/api/admin/task-status/").json()["tasks"]) == count


def test_filters_show_only_the_matching_cards(server, company, context):
    employee = company.user()
    pending = company.task(employee, title="Filter pending")
    started = company.task(employee, title="Filter started")
    done = company.task(employee, title="Filter done")
    employee.post("/api/task/%d/progress/" % started["id"], {"progress_percentage": 30})
    employee.post("/api/task/%d/complete/" % done["id"], {})
    page = open_monitor(context, server.url)
    for task in (pending, started, done):
        card(page, task["id"]).wait_for()
    expectations = {"PENDING": pending, "IN_PROGRESS": started, "DONE": done}
    for name, shown in expectations.items():
        page.click('[data-filter="%s"]' % name)
        assert page.get_attribute('[data-filter="%s"]' % name, "aria-pressed") == "true"
        # the grid is drawn in the next animation frame
        expect(page.locator('#grid .card:visible:not([data-status="%s"])' % name)).to_have_count(0)
        for task in (pending, started, done):
            assert card(page, task["id"]).is_visible() == (task is shown), (name, task["title"])
        visible = page.locator("#grid .card:visible")
        statuses = set(visible.evaluate_all("cards => cards.map(c => c.dataset.status)"))
        assert statuses == {name}
        assert page.inner_text('[data-count="%s"]' % name) == str(visible.count())
    page.click('[data-filter="stale"]')
    expect(page.locator('#grid .card:visible[data-stale="no"]')).to_have_count(0)  # drawn next frame
    stale = page.locator("#grid .card:visible").evaluate_all("cards => cards.map(c => c.dataset.stale)")
    assert set(stale) <= {"yes"}
    assert page.inner_text('[data-count="stale"]') == str(len(stale))
    page.click('[data-filter="all"]')
    for task in (pending, started, done):
        expect(card(page, task["id"])).to_be_visible()


def test_with_websocket_blocked_the_monitor_updates_by_long_poll(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Works behind a strict proxy")
    blocked = []

    def refuse(ws):
        blocked.append(ws.url)
        ws.close(code=1011, reason="blocked by the test")
    context.route_web_socket(re.compile(r".*/api/events/ws.*"), refuse)
    page = open_monitor(context, server.url)
    wait_live(page, "polling")
    assert "polling" in page.inner_text("#connection").lower()
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 65})
    expect(card(page, task["id"]).locator("[data-ref=pct]")).to_have_text("65 %", timeout=WAIT_MS)
    assert page.get_attribute("#connection", "data-state") == "polling"
    assert blocked, "the page never tried WebSocket"


def test_the_push_client_reconnects_with_capped_jittered_backoff(server, context):
    page = context.new_page()
    sign_in(page, server.url)
    delays = page.evaluate("""async () => {
        const {backoffDelay} = await import('/static/js/shared/push.js');
        const at = (n, r) => backoffDelay(n, () => r);
        return [0, 1, 2, 3, 4, 5, 6, 9].map(n => [at(n, 0), at(n, 0.5), at(n, 0.999999)]);
    }""")
    expected = [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
    for (low, mid, high), base in zip(delays, expected):
        assert mid == base and low == base * 0.75 and abs(high - base * 1.25) <= 1



def test_a_reset_from_the_server_reloads_the_snapshot_and_resumes(tmp_path, context):
    """A page paused long enough for its cursor to fall out of the server's history gets a reset
    when it resumes: it reloads its snapshot and goes on live from the fresh cursor."""
    srv = start_server(tmp_path, TRACKER_PUSH_RING_SIZE="4", TRACKER_EVENT_RETENTION_HOURS="0.0005")
    try:
        company = Company(srv)
        employee = company.user()
        task = company.task(employee)
        page = open_monitor(context, srv.url)
        snapshots = []
        page.on("request", lambda r: "snapshot.json" in r.url and snapshots.append(r.url))
        wait_live(page)
        page.click("label.switch")
        wait_live(page, "paused")
        for percent in range(5, 55, 5):
            employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": percent})
        wait_until(lambda: company.owner.get("/api/events/?after=1&timeout=0").json().get("type") == "reset",
                   20, message="the server never pruned its history", interval=0.2)
        page.click("label.switch")
        expect(card(page, task["id"]).locator("[data-ref=pct]")).to_have_text("50 %", timeout=WAIT_MS)
        assert snapshots, "the page did not reload its snapshot"
        wait_live(page)
        employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 61})
        expect(card(page, task["id"]).locator("[data-ref=pct]")).to_have_text("61 %", timeout=WAIT_MS)
    finally:
        srv.stop()


def test_a_card_turns_overdue_when_its_due_moment_passes(server, company, context):
    """No event comes when a due date passes: the page flips the card at the moment the server
    gave (overdue_at), on the browser's clock, fast-forwarded here."""
    employee = company.user()
    due = datetime.now(timezone.utc) + timedelta(hours=1)
    task = company.task(employee, due_date=due.isoformat(timespec="seconds"))
    context.clock.install()
    page = open_monitor(context, server.url)
    wait_live(page)
    target = card(page, task["id"])
    expect(target.locator("[data-ref=overdue]")).to_be_hidden()
    page.clock.fast_forward("01:00:05")
    expect(target.locator("[data-ref=overdue]")).to_be_visible(timeout=WAIT_MS)
    expect(target).to_have_class(re.compile(r"\bis-overdue\b"))
