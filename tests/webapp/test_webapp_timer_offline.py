"""The web app's timer without the server: starts and stops are kept in the outbox with their
client_entry_id and reach the server once, in order, when it answers again — a run made while the
device was offline as one finished entry, also after a reload; with the server down (a start went
on the wire, its answer never came) a start and a stop naming it; a switch between tasks as the
person made it."""
import re

import pytest
from playwright.sync_api import expect

from support.browser import browser, context  # noqa: F401
from support.client import Company
from support.webapp import (meta_value, my_entries, offline_page, open_app, outbox_entries,
                            start_timer, time_rows, timer_button, wait_ready, wait_unsent, wait_worker)
from support.server import start_server
from support.webapp import seconds_between

pytestmark = pytest.mark.browser
BACK_MS = 60000  # the page retries at most every 15 s, the push client every 30 s



def runs_for(page, seconds):
    """Until the header's clock shows the running timer at `seconds` or more (under 10)."""
    expect(page.locator("#timer-elapsed")).to_have_text(re.compile(r"^0:00:0[%d-9]$" % seconds))


def test_a_run_made_offline_arrives_once_as_one_entry_after_a_reload(srv, context):
    company = Company(srv)
    employee = company.user()
    task = company.task(employee, title="Bleed the radiators")
    page = open_app(context, srv.url, employee)
    wait_worker(page)
    context.set_offline(True)
    timer_button(page, task["id"]).click()
    expect(page.locator("#timer-title")).to_have_text("Bleed the radiators")  # at once, no server
    expect(timer_button(page, task["id"])).to_have_text("Stop timer")
    wait_unsent(page, 1)
    runs_for(page, 2)
    page.get_by_role("button", name="Stop timer").first.click()
    expect(page.locator("#timer-running")).to_be_hidden()
    wait_unsent(page, 1)  # the start never went out: start and stop are one finished entry now
    expect(page.locator("#connection")).to_contain_text("1 unsent")
    expect(page.locator("#timer-today")).to_have_text("Today: 0 min tracked")
    page.reload()  # the service worker serves the shell; the outbox is in IndexedDB
    wait_ready(page)
    wait_unsent(page, 1)
    context.set_offline(False)
    wait_unsent(page, 0, timeout=BACK_MS)
    body = my_entries(employee)
    assert body["running"] is None and len(body["entries"]) == 1, body
    entry = body["entries"][0]
    assert entry["task_id"] == task["id"] and entry["source"] == "timer"
    assert entry["client_entry_id"].startswith("web-") and entry["seconds"] >= 2
    rows = time_rows(company.owner, task["id"])
    assert len(rows) == 1 and rows[0].startswith("Entry added (timer): entry %d" % entry["id"])


def test_a_switch_made_with_the_server_down_reaches_the_server_as_the_person_made_it(srv, context):
    company = Company(srv)
    employee = company.user()
    first = company.task(employee, title="Fit the pump", priority="HIGH")
    second = company.task(employee, title="Test the pump")
    page = offline_page(context, srv, employee)
    timer_button(page, first["id"]).click()
    runs_for(page, 1)
    timer_button(page, second["id"]).click()  # stops the first at the same moment
    expect(page.locator("#timer-title")).to_have_text("Test the pump")
    expect(timer_button(page, first["id"])).to_have_text("Start timer")
    # The first start went on the wire (refused connection): its stop names it; the second start.
    wait_unsent(page, 3)
    srv.start()
    wait_unsent(page, 0, timeout=BACK_MS)
    body = my_entries(employee)
    assert [(e["task_id"], e["running"]) for e in body["entries"]] == [
        (first["id"], False), (second["id"], True)]
    ran, running = body["entries"]
    # Placed from elapsed seconds (whole ones, a stop rounded earlier, a start later): the two
    # never overlap, and at most two seconds lie between them.
    assert 0 <= seconds_between(ran["ended_at"], running["started_at"]) <= 2 and ran["seconds"] >= 1
    assert body["running"]["client_entry_id"] == running["client_entry_id"]
    expect(page.locator("#timer-title")).to_have_text("Test the pump")  # the server agrees


def test_a_timer_started_online_and_stopped_offline_is_stopped_where_the_person_stopped_it(
        srv, context):
    company = Company(srv)
    employee = company.user()
    first = company.task(employee, title="Sweep", priority="HIGH")
    second = company.task(employee, title="Mop")
    page = open_app(context, srv.url, employee)
    wait_worker(page)
    start_timer(page, first["id"], "Sweep")
    started = my_entries(employee)["running"]
    srv.stop()
    runs_for(page, 2)
    timer_button(page, second["id"]).click()  # a stop naming the first timer, the second's start
    expect(page.locator("#timer-title")).to_have_text("Mop")
    runs_for(page, 1)
    # The stop went on the wire first and failed, so the second start was never tried: stopped
    # now, it is one finished entry.
    timer_button(page, second["id"]).click()
    expect(page.locator("#timer-running")).to_be_hidden()
    wait_unsent(page, 2)
    assert meta_value(page, "%d:timer" % employee.user["id"]) is None  # none runs here
    srv.start()
    wait_unsent(page, 0, timeout=BACK_MS)
    body = my_entries(employee)
    assert body["running"] is None
    assert [(e["task_id"], e["stop_reason"]) for e in body["entries"]] == [
        (first["id"], "user"), (second["id"], None)]
    one, two = body["entries"]
    assert one["id"] == started["id"] and 0 <= seconds_between(one["ended_at"], two["started_at"]) <= 2
    assert one["seconds"] >= 2 and two["seconds"] >= 1
    rows = time_rows(company.owner, first["id"])
    assert len(rows) == 2, rows
    assert rows[0].startswith("Timer started at") and rows[1].startswith("Timer stopped (user)")
    assert [row.split(":")[0] for row in time_rows(company.owner, second["id"])] == [
        "Entry added (timer)"]


def test_a_run_the_server_refuses_is_shown_with_its_reason_and_kept(srv, context):
    company = Company(srv)
    employee = company.user()
    task = company.task(employee, title="Paint the gate")
    page = open_app(context, srv.url, employee)
    context.set_offline(True)
    timer_button(page, task["id"]).click()
    runs_for(page, 2)
    timer_button(page, task["id"]).click()
    wait_unsent(page, 1)
    run = [e for e in outbox_entries(page) if e["kind"] == "time-entry"][0]  # times shown, not sent
    # Meanwhile the same minutes were entered from another device.
    other = employee.post("/api/task/%d/time-entries/" % task["id"],
                          {"started_at": run["started_at"], "ended_at": run["ended_at"]})
    assert other.status_code == 201, other.text
    context.set_offline(False)
    wait_unsent(page, 0, timeout=BACK_MS)
    refused = page.locator("#refused-list li")
    expect(refused).to_have_count(1, timeout=BACK_MS)  # drawn after the outbox empties
    expect(refused).to_contain_text("Paint the gate: Time ")
    expect(refused).to_contain_text("It overlaps time already recorded for you.")  # in words
    expect(refused).to_contain_text("this entry overlaps another of your entries")
    assert [e["id"] for e in my_entries(employee)["entries"]] == [other.json()["id"]]
    page.reload()  # kept until dismissed
    wait_ready(page)
    expect(page.locator("#refused-list li")).to_have_count(1)
    page.get_by_role("button", name="Dismiss: Paint the gate").click()
    expect(page.locator("#refused")).to_be_hidden()
