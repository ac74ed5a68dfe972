"""axe-core (WCAG 2.2 AA) on the web app's thread, timer and calendar views, on a desktop and a
phone screen; the phone view also keeps 360 px without horizontal scroll and 44 px targets."""
import re

import pytest
from playwright.sync_api import expect

from support.a11y import assert_clean, audit_context, axe_source
from support.browser import SCREENSHOTS, WAIT_MS, browser  # noqa: F401
from support.webapp import (PHONE, delivered_comments, open_app, open_thread, task_card,
                            wait_unsent, write_comment)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():
    return axe_source()


def busy_app(ctx, server, company):
    """An app page with a thread open (a mention, an edited and a deleted comment, one being
    edited), the timer running and the calendar section open."""
    employee, admin = company.user(), company.user(role="ADMIN")
    for person, full_name in ((employee, "Sam Ortiz"), (admin, "Ada Park")):  # for the screenshot
        company.owner.patch("/api/admin/users/%d/" % person.user["id"], {"full_name": full_name})
    task = company.task(employee, title="Fit the new boiler", priority="URGENT",
                        due_date="2026-12-03T15:00:00+00:00",
                        description="Old one out, new one in, pressure test.")
    company.task(employee, title="Paint the fence")
    path = "/api/task/%d/comments/" % task["id"]
    admin.post(path, {"body": "@%s the parts came in" % employee.user["username"]})
    gone = admin.post(path, {"body": "wrong task"}).json()
    admin.request("DELETE", "/api/comments/%d/" % gone["id"])
    mine = employee.post(path, {"body": "Thanks, on it"}).json()
    employee.patch("/api/comments/%d/" % mine["id"], {"body": "Thanks, on it today"})
    page = open_app(ctx, server.url, employee)
    page.wait_for_selector('#connection[data-state="live"]', timeout=WAIT_MS)
    thread = open_thread(page, task["id"])
    write_comment(page, task["id"], "Valve ordered")
    expect(delivered_comments(page, task["id"])).to_have_count(4)
    wait_unsent(page, 0)
    task_card(page, task["id"]).locator('[data-ref="timer"]').click()
    expect(page.locator("#timer-running")).to_be_visible()
    page.get_by_text("Your calendar feed").click()
    expect(page.get_by_label("Feed address")).not_to_have_value("")
    return page, thread


def test_thread_timer_and_calendar_on_a_desktop(server, company, browser, axe):
    ctx = audit_context(browser)
    try:
        page, thread = busy_app(ctx, server, company)
        assert_clean(page, axe)
        thread.get_by_role("button", name="Edit").first.click()
        thread.get_by_label("Edit your comment").wait_for()
        assert_clean(page, axe)
    finally:
        ctx.close()


def test_thread_timer_and_calendar_on_a_phone(server, company, browser, axe):
    ctx = audit_context(browser, **PHONE)
    try:
        page, _ = busy_app(ctx, server, company)
        assert_clean(page, axe)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        small = page.evaluate("""() => [...document.querySelectorAll('button, input, textarea, summary')]
            .filter(e => e.offsetParent !== null)
            .map(e => e.getBoundingClientRect()).filter(r => r.height < 44 || r.width < 44).length""")
        assert small == 0
        # docs/screenshots/ holds copies: the top with the timer running, then the thread.
        page.evaluate("scrollTo(0, 0)")
        expect(page.locator("#timer-elapsed")).to_have_text(re.compile(r"^0:00:0[2-9]$"))
        page.screenshot(path=str(SCREENSHOTS / "webapp-phone.png"))
        page.locator(".thread").first.evaluate("el => el.scrollIntoView({block: 'end'})")
        page.screenshot(path=str(SCREENSHOTS / "webapp-phone-thread.png"))
    finally:
        ctx.close()
