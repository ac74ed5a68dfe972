"""The web app's timer and calendar link in real Chromium against a real server: start and stop
in the header and in /api/me/time-entries/ (through the outbox, with their client_entry_id), a
start on another task stopping the first, the server's refusal shown, the feed address copied and
rotated. The timer with the server stopped: tests/webapp/test_webapp_timer_offline.py."""
import re

import pytest
import requests
from playwright.sync_api import expect

from support.browser import WAIT_MS, browser, context  # noqa: F401
from support.webapp import open_app, task_card, wait_unsent

pytestmark = pytest.mark.browser


def my_entries(api):
    answer = api.get("/api/me/time-entries/")
    assert answer.status_code == 200, answer.text
    return answer.json()


def timer_button(page, task_id):
    return task_card(page, task_id).locator('[data-ref="timer"]')


def test_start_switch_and_stop_show_in_the_header_and_the_api(server, company, context):
    employee = company.user()
    first = company.task(employee, title="Sand the <b>doors</b>", priority="HIGH")
    second = company.task(employee, title="Oil the hinges")
    page = open_app(context, server.url, employee)
    expect(page.locator("#timer-today")).to_have_text("Today: 0 min tracked")
    expect(page.locator("#timer-running")).to_be_hidden()
    timer_button(page, first["id"]).click()
    expect(page.locator("#timer-title")).to_have_text("Sand the <b>doors</b>")
    expect(timer_button(page, first["id"])).to_have_text("Stop timer")
    expect(page.locator("#timer-elapsed")).to_have_text(re.compile(r"^0:00:0[1-9]$"))  # it ticks
    wait_unsent(page, 0)
    running = my_entries(employee)["running"]
    assert running["task_id"] == first["id"] and running["source"] == "timer"
    assert running["client_entry_id"].startswith("web-")
    # Another task's Start stops the first (one running timer per person).
    timer_button(page, second["id"]).click()
    expect(page.locator("#timer-title")).to_have_text("Oil the hinges")
    expect(timer_button(page, first["id"])).to_have_text("Start timer")
    expect(timer_button(page, second["id"])).to_have_text("Stop timer")
    wait_unsent(page, 0)
    body = my_entries(employee)
    assert body["running"]["task_id"] == second["id"]
    assert [(e["task_id"], e["running"]) for e in body["entries"]] == [
        (first["id"], False), (second["id"], True)]
    page.get_by_role("button", name="Stop timer").first.click()  # the header's
    expect(page.locator("#timer-running")).to_be_hidden()
    expect(timer_button(page, second["id"])).to_have_text("Start timer")
    wait_unsent(page, 0)
    body = my_entries(employee)
    assert [e["ended_at"] for e in body["entries"]][0] == body["entries"][1]["started_at"]
    assert body["running"] is None and all(not e["running"] for e in body["entries"])
    expect(page.locator("#timer-today")).to_have_text("Today: 0 min tracked")


def test_a_timer_stopped_elsewhere_leaves_the_header(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Long job")
    page = open_app(context, server.url, employee)
    page.wait_for_selector('#connection[data-state="live"]', timeout=WAIT_MS)
    timer_button(page, task["id"]).click()
    expect(page.locator("#timer-title")).to_have_text("Long job")
    wait_unsent(page, 0)
    stopped = employee.post("/api/timer/stop/", {})  # the desktop app, say
    assert stopped.status_code == 200, stopped.text
    expect(page.locator("#timer-running")).to_be_hidden()
    expect(timer_button(page, task["id"])).to_have_text("Start timer")


def test_a_refused_start_shows_the_servers_reason(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Soon cancelled")
    # The page does not hear the cancel: its push socket opens but never reaches the server (a
    # line that drops silently), so the card still offers Start when the server already refuses.
    context.route_web_socket(re.compile(r".*/api/events/ws.*"), lambda ws: None)
    page = open_app(context, server.url, employee)
    page.wait_for_selector('#connection[data-state="live"]', timeout=WAIT_MS)
    cancelled = company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"status": "CANCELLED"})
    assert cancelled.status_code == 200, cancelled.text
    timer_button(page, task["id"]).click()
    expect(page.locator("#refused-list")).to_contain_text(
        "Soon cancelled: Timer started at")
    expect(page.locator("#refused-list")).to_contain_text(
        "task %d is cancelled: no time can be tracked on it" % task["id"])
    expect(page.locator("#timer-running")).to_be_hidden()
    wait_unsent(page, 0)
    assert my_entries(employee) == {"entries": [], "running": None, "total_minutes": 0}


def test_the_calendar_address_is_shown_copied_and_rotated(server, company, context):
    employee = company.user()
    company.task(employee, title="Due soon", due_date="2026-12-20T09:00:00+00:00")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = open_app(context, server.url, employee)
    page.get_by_text("Your calendar feed").click()
    field = page.get_by_label("Feed address")
    expect(field).to_have_value(re.compile(r"^http://.*/calendar/[A-Za-z0-9_-]+\.ics$"))
    old = field.input_value()
    assert old == employee.get("/api/me/calendar/").json()["url"]
    assert "Due soon" in requests.get(old, timeout=10).text
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == old
    # Rotating asks first; saying no changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Make a new address").click()
    assert field.input_value() == old and requests.get(old, timeout=10).status_code == 200
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make a new address").click()
    expect(page.locator("#calendar-status")).to_have_text(
        "A new address is ready; the old one no longer works.")
    new = field.input_value()
    assert new != old and new == employee.get("/api/me/calendar/").json()["url"]
    assert requests.get(old, timeout=10).status_code == 404
    assert requests.get(new, timeout=10).status_code == 200
