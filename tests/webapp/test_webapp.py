"""The employee web app online, in real Chromium against a real server: landing, own tasks only,
live updates, refusals before sending, escaping, the phone layout, the manifest and its icons."""
import re

import pytest
import requests
from playwright.sync_api import expect

from support.browser import WAIT_MS, PageErrors, browser, context, sign_in  # noqa: F401
from support.server import USER_PASSWORD
from support.webapp import (PHONE, meta_value, open_app, outbox_size, report, task_card,
                            wait_sent, wait_unsent, web_rows)

pytestmark = pytest.mark.browser


def test_an_employee_lands_on_the_app_and_sees_only_their_tasks(server, company, context):
    employee, other = company.user(), company.user()
    urgent = company.task(employee, title="Urgent one", priority="URGENT")
    later = company.task(employee, title="Low one", priority="LOW")
    soon = company.task(employee, title="Low, due soon", priority="LOW",
                        due_date="2026-12-02T09:00:00+00:00")
    theirs = company.task(other, title="Not yours")
    page = open_app(context, server.url, employee)
    cards = page.locator("[data-task-id]")
    expect(cards).to_have_count(3)
    assert [int(i) for i in cards.evaluate_all("els => els.map(e => e.dataset.taskId)")] == [
        urgent["id"], soon["id"], later["id"]]
    assert task_card(page, theirs["id"]).count() == 0
    card = task_card(page, urgent["id"])
    assert card.locator('input[type="range"]').count() == 1
    assert card.get_by_label("Note").count() == 1
    assert re.match("^Update", card.locator("button", has_text="Update").inner_text())
    # The dashboard stays closed to the employee session the app runs on.
    cookie = next(c["value"] for c in context.cookies() if c["name"] == "tracker_session")
    for path in ("/dashboard/tasks/monitor/", "/dashboard/tasks/monitor/snapshot.json",
                 "/api/admin/task-status/"):
        answer = requests.get(server.url + path, cookies={"tracker_session": cookie}, timeout=10)
        assert answer.status_code == 403, path


def test_an_admin_lands_on_the_monitor_and_can_open_the_app(server, company, context):
    admin = company.user(role="ADMIN")
    company.task(admin, title="The admin's own task")
    page = context.new_page()
    sign_in(page, server.url, admin.user["username"], USER_PASSWORD)
    page.goto(server.url + "/app/")
    page.wait_for_selector("[data-task-id]")
    assert page.locator(".task-title").all_inner_texts() == ["The admin's own task"]


def test_without_a_session_the_app_sends_to_login_and_back(server, company, context):
    employee = company.user()
    page = context.new_page()
    page.goto(server.url + "/app/")
    assert "/login?next=%2Fapp%2F" in page.url
    page.fill("#username", employee.user["username"])
    page.fill("#password", USER_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(server.url + "/app/")
    # An employee asking for a dashboard page after sign-in still lands in the app.
    page.goto(server.url + "/login?next=/dashboard/tasks/monitor/")
    assert page.url == server.url + "/app/"


def test_an_update_is_sent_once_and_admin_edits_arrive_without_reload(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Calibrate")
    page = open_app(context, server.url, employee)
    errors = PageErrors(page)
    page.wait_for_selector('#connection[data-state="live"]', timeout=WAIT_MS)
    page.evaluate("window.__same = true")
    report(page, task["id"], 40, note="half way <i>there</i>")
    wait_sent(page, 1)
    wait_unsent(page, 0)
    expect(task_card(page, task["id"]).locator(".mark-status-in_progress")).to_be_visible()
    rows = web_rows(company.owner, task["id"])
    assert [(r["new_percentage"], r["notes"]) for r in rows] == [(40, "half way <i>there</i>")]
    # An admin edit and another client's progress reach the page over the push channel.
    company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"title": "Calibrate <b>both</b>"})
    expect(task_card(page, task["id"]).locator(".task-title")).to_have_text("Calibrate <b>both</b>")
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 70})
    expect(task_card(page, task["id"]).locator('input[type="number"]')).to_have_value("70")
    assert page.evaluate("window.__same") is True and not errors.errors


@pytest.mark.parametrize("typed", ["101", "-5", "1e3", "", "12.5"])
def test_progress_outside_0_to_100_is_refused_before_sending(server, company, context, typed):
    employee = company.user()
    task = company.task(employee)
    page = open_app(context, server.url, employee)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if "/progress/" in r.url else None)
    card = task_card(page, task["id"])
    card.locator('input[type="number"]').fill(typed)
    card.get_by_role("button", name=re.compile("^Update")).click()
    expect(card.locator(".task-error")).to_have_text("Progress must be a whole number from 0 to 100.")
    assert outbox_size(page) == 0 and posts == []
    assert web_rows(company.owner, task["id"]) == []


def test_a_refusal_is_shown_with_the_servers_reason(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Soon cancelled")
    page = open_app(context, server.url, employee)
    context.set_offline(True)  # reported offline; cancelled by an admin before it arrives
    report(page, task["id"], 30)
    wait_unsent(page, 1)
    company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"status": "CANCELLED"})
    context.set_offline(False)
    expect(page.locator("#refused-list li")).to_contain_text("Soon cancelled")
    assert "cancel" in page.inner_text("#refused-list").lower()
    wait_unsent(page, 0)
    assert web_rows(company.owner, task["id"]) == []


def test_signing_out_asks_about_unsent_changes_and_forgets_the_list(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Private to this employee")
    page = open_app(context, server.url, employee)
    key = "%d:tasks" % employee.user["id"]
    assert [t["title"] for t in meta_value(page, key)] == ["Private to this employee"]
    context.set_offline(True)
    report(page, task["id"], 15)
    wait_unsent(page, 1)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Sign out").click()
    assert asked and "1 change is not sent yet" in asked[0]
    assert page.url == server.url + "/app/"
    context.set_offline(False)
    wait_unsent(page, 0)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(server.url + "/login?bye=1")
    assert meta_value(page, key) is None and outbox_size(page) == 0


def test_markup_in_titles_and_notes_is_shown_as_text(server, company, context):
    employee = company.user()
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    task = company.task(employee, title=payload, description=payload)
    page = open_app(context, server.url, employee)
    errors = PageErrors(page)
    card = task_card(page, task["id"])
    expect(card.locator(".task-title")).to_have_text(payload)
    assert card.locator("img, script").count() == 0
    report(page, task["id"], 10, note=payload)
    wait_sent(page, 1)
    assert not errors.dialogs and not errors.errors


def test_the_phone_view_fits_360_px_with_44_px_targets(server, company, browser):
    employee = company.user()
    company.task(employee, title="A task whose title is rather long for a phone screen, really",
                 priority="HIGH", due_date="2026-12-03T15:00:00+00:00",
                 description="Check every valve on the second floor and write down the readings.")
    company.task(employee, title="Paint the fence")
    ctx = browser.new_context(**PHONE)
    ctx.set_default_timeout(15000)
    try:
        page = open_app(ctx, server.url, employee)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        small = page.evaluate("""() => [...document.querySelectorAll('button, input, textarea, summary')]
            .filter(e => e.offsetParent !== null)
            .map(e => e.getBoundingClientRect()).filter(r => r.height < 44 || r.width < 44).length""")
        assert small == 0
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, textarea')]
            .filter(e => e.type !== 'hidden' && !e.labels.length && !e.getAttribute('aria-label')).length""")
        assert unlabelled == 0
        # the docs' phone screenshots come from tests/a11y/test_webapp_a11y.py (timer and thread)
    finally:
        ctx.close()


def test_manifest_icons_and_worker_are_served(server):
    manifest = requests.get(server.url + "/app/manifest.webmanifest", timeout=10)
    assert manifest.headers["Content-Type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["display"] == "standalone" and body["theme_color"] and body["start_url"] == "/app/"
    sizes = {icon["sizes"]: icon["src"] for icon in body["icons"]}
    for size in ("192x192", "512x512"):
        icon = requests.get(server.url + sizes[size], timeout=10)
        assert icon.status_code == 200 and icon.content[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(icon.content[16:20], "big")
        assert "%dx%d" % (width, width) == size
    worker = requests.get(server.url + "/app/sw.js", timeout=10)
    assert worker.headers["Content-Type"].startswith("text/javascript")
    assert worker.headers["Cache-Control"] == "no-cache"
    page = requests.get(server.url + "/app/", allow_redirects=False, timeout=10)
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    csp = page.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
