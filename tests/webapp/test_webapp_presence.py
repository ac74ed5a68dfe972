"""Presence from the web app page: ACTIVE while used, IDLE after 180 s without input (on an
injected clock), ACTIVE again on a touch, OFFLINE when the page is closed — and with two tabs one
presence: closing one keeps the person ACTIVE and the timer running, closing both reports OFFLINE,
input in either keeps both ACTIVE."""
import pytest

from support.browser import WAIT_MS, browser, context, new_context  # noqa: F401
from support.push import newest_id
from support.webapp import (events_until, heartbeat_of, my_entries, open_app, short_idle,
                            start_timer, wait_occupancy, wait_ready)

pytestmark = pytest.mark.browser


def test_the_page_reports_active_then_idle_then_active(server, company, context):
    employee = company.user()
    company.task(employee)
    context.clock.install()  # the page's clock: 180 s pass without waiting for them
    with context.expect_event("request", heartbeat_of("ACTIVE")):
        page = open_app(context, server.url, employee)
    after = newest_id(company.owner)
    with page.expect_request(heartbeat_of("IDLE")):
        page.clock.fast_forward("03:05")
    wait_occupancy(company.owner, employee.user["id"], "IDLE", after)
    after = newest_id(company.owner)
    with page.expect_request(heartbeat_of("ACTIVE")):
        page.locator("#tasks").click(position={"x": 5, "y": 5})
    wait_occupancy(company.owner, employee.user["id"], "ACTIVE", after)


def test_closing_the_page_reports_offline(server, company, context):
    employee = company.user()
    page = open_app(context, server.url, employee)
    after = newest_id(company.owner)
    page.close()
    wait_occupancy(company.owner, employee.user["id"], "OFFLINE", after)


def test_the_page_says_what_it_can_see(server, company, context):
    page = open_app(context, server.url, company.user())
    page.get_by_text("What this page can see of your presence").click()
    text = page.inner_text(".presence")
    assert "idle" in text and "3 minutes" in text and "cannot see your other apps" in text


def second_tab(context, base_url, first):
    """Another /app/ tab of the same session, once both know of each other."""
    page = context.new_page()
    page.goto(base_url + "/app/")
    wait_ready(page)
    for tab in (first, page):
        tab.wait_for_selector('#app[data-tabs="2"]', state="attached", timeout=WAIT_MS)
    return page


def test_closing_one_of_two_tabs_keeps_the_person_active_and_the_timer_running(
        server, company, context):
    employee = company.user()
    task = company.task(employee, title="Rewire the shed")
    first = open_app(context, server.url, employee)
    second = second_tab(context, server.url, first)
    start_timer(first, task["id"], "Rewire the shed")
    after = newest_id(company.owner)
    first.close()
    second.wait_for_selector('#app[data-tabs="1"]', state="attached", timeout=WAIT_MS)
    # A change made after the close: every event of the close came before it.
    marker = company.task(employee, title="Marker")
    seen = events_until(company.owner, after, lambda e: (e.get("task") or {}).get("id") == marker["id"])
    me = employee.user["id"]
    assert not [e for e in seen if e["type"] == "occupancy.changed"
                and (e.get("employee") or {}).get("id") == me], seen
    assert not [e for e in seen if e["type"] == "time_entry.stopped"], seen
    running = my_entries(employee)["running"]
    assert running is not None and running["task_id"] == task["id"]
    second.close()  # the last one
    wait_occupancy(company.owner, me, "OFFLINE", after)
    body = my_entries(employee)
    assert body["running"] is None and body["entries"][0]["stop_reason"] == "offline"


def test_input_in_one_tab_keeps_every_tab_active(server, company, browser):
    ctx = short_idle(new_context(browser))
    try:
        employee = company.user()
        first = open_app(ctx, server.url, employee)
        second = second_tab(ctx, server.url, first)
        for tab in (first, second):  # nobody touched either
            tab.wait_for_selector('#app[data-presence="IDLE"]', state="attached", timeout=WAIT_MS)
        with first.expect_request(heartbeat_of("ACTIVE")):  # the other tab's key press, heard here
            second.keyboard.press("Shift")
        first.wait_for_selector('#app[data-presence="ACTIVE"]', state="attached", timeout=WAIT_MS)
    finally:
        ctx.close()
