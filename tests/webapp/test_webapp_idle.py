"""The idle question in real Chromium against a real server, the page's idle time cut to 5 s: IDLE
stops the running timer where the idle period began (the server back-dates it); the next input
asks, in a modal dialog used from the keyboard, whether those seconds were work. Keep records one
entry for exactly the idle span, through the outbox with its client_entry_id; Discard records
nothing; Escape leaves the question for the next visit. axe-core on the open dialog."""
import re

import pytest
from playwright.sync_api import expect

from support.a11y import assert_clean, audit_context, axe_source
from support.browser import WAIT_MS, browser, new_context  # noqa: F401
from support.webapp import (IDLE_AFTER_S, heartbeat_of, meta_value, my_entries, open_app,
                            short_idle, start_timer, time_rows, timer_button, until,
                            wait_ready, wait_unsent)

pytestmark = pytest.mark.browser
IDLE_NOTE = "Idle time kept as work"


@pytest.fixture
def ctx(browser):
    context = short_idle(new_context(browser))
    yield context
    context.close()


def idle_after_a_run(page, employee, task):
    """Start the timer, use the page a second more, then leave it until the server stopped the
    timer at that last input; the stopped entry."""
    page.wait_for_selector('#connection[data-state="live"]', timeout=WAIT_MS)
    start_timer(page, task["id"], task["title"])
    # Two seconds on the clock: the server's idle start (its clock less the idle seconds rounded
    # up) is then past the start by one at least.
    expect(page.locator("#timer-elapsed")).to_have_text(re.compile(r"^0:00:0[2-9]$"))
    with page.expect_request(heartbeat_of("IDLE"), timeout=IDLE_AFTER_S * 5000):
        page.keyboard.press("Shift")  # the last input: the idle period begins here
    expect(page.locator("#timer-running")).to_be_hidden()

    def stopped():
        body = my_entries(employee)
        return body["running"] is None and body["entries"] and body["entries"][0]
    ran = until(page, stopped, "the idle stop")
    assert ran["stop_reason"] == "idle" and ran["seconds"] >= 1, ran
    return ran


def back(page, title):
    """A key press after the idle period: the question comes, focus on Keep."""
    page.keyboard.press("Shift")
    dialog = page.get_by_role("dialog", name="Back from idle")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("the timer on “%s” stopped when you left" % title)
    expect(page.locator("#idle-keep")).to_be_focused()
    return dialog


def test_keep_records_one_entry_for_exactly_the_idle_span(server, company, ctx):
    employee = company.user()
    task = company.task(employee, title="Draw the plans")
    page = open_app(ctx, server.url, employee)
    ran = idle_after_a_run(page, employee, task)
    dialog = back(page, "Draw the plans")
    expect(page.locator("#idle-keep")).to_have_text(re.compile(r"^Keep \d+ s as work$"))
    page.keyboard.press("Enter")  # on Keep
    expect(dialog).to_be_hidden()
    wait_unsent(page, 0)
    body = until(page, lambda: len(my_entries(employee)["entries"]) == 2 and my_entries(employee),
                 "the kept entry")
    kept = body["entries"][1]
    assert kept["started_at"] == ran["ended_at"]  # where the server ended the timer: no overlap
    assert kept["seconds"] >= IDLE_AFTER_S and kept["note"] == IDLE_NOTE
    assert kept["source"] == "timer" and kept["client_entry_id"].startswith("web-")
    rows = time_rows(company.owner, task["id"])
    assert [row.split(" at ")[0].split(":")[0] for row in rows] == [
        "Timer started", "Timer stopped (idle)", "Entry added (timer)"], rows
    assert meta_value(page, "%d:idle" % employee.user["id"]) is None  # asked once


def test_discard_records_nothing(server, company, ctx):
    employee = company.user()
    task = company.task(employee, title="Count the stock")
    page = open_app(ctx, server.url, employee)
    ran = idle_after_a_run(page, employee, task)
    dialog = back(page, "Count the stock")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Discard")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert meta_value(page, "%d:idle" % employee.user["id"]) is None
    # A later change goes through the same outbox, after anything the answer could have queued.
    timer_button(page, task["id"]).click()
    body = until(page, lambda: my_entries(employee)["running"] and my_entries(employee),
                 "the new start")
    assert [(e["id"], e["running"]) for e in body["entries"]] == [
        (ran["id"], False), (body["running"]["id"], True)]


def test_escape_leaves_the_question_for_the_next_visit(server, company, ctx):
    employee = company.user()
    task = company.task(employee, title="Plan the week")
    page = open_app(ctx, server.url, employee)
    idle_after_a_run(page, employee, task)
    dialog = back(page, "Plan the week")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    question = meta_value(page, "%d:idle" % employee.user["id"])
    assert question["task_id"] == task["id"] and question["ended_at"]
    page.reload()
    wait_ready(page)
    expect(page.get_by_role("dialog", name="Back from idle")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Keep")).click()
    body = until(page, lambda: len(my_entries(employee)["entries"]) == 2 and my_entries(employee),
                 "the kept entry")
    assert body["entries"][1]["ended_at"][:19] == question["ended_at"][:19]


def test_the_idle_question_passes_axe(server, company, browser):
    axe = axe_source()
    audit = short_idle(audit_context(browser))
    try:
        employee = company.user()
        task = company.task(employee, title="Check the alarms")
        page = open_app(audit, server.url, employee)
        idle_after_a_run(page, employee, task)
        back(page, "Check the alarms")
        assert_clean(page, axe)
    finally:
        audit.close()
