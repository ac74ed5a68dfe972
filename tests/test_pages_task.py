"""One task's page: edit, reassign and cancel through its forms; the audit trail follows live; a hidden
tab stops listening and catches up when shown again."""
import pytest
from playwright.sync_api import expect

from support.browser import (WAIT_MS, browser, card, context, open_monitor, sign_in,  # noqa: F401
                             wait_closed, wait_live)

pytestmark = pytest.mark.browser


def task_page(context, server, task_id):
    page = context.new_page()
    sign_in(page, server.url, next_path="/dashboard/tasks/%d/" % task_id)
    return page


def test_an_admin_edits_and_reassigns_a_task_from_its_page(server, company, context):
    first, second = company.user(), company.user()
    task = company.task(first, title="Order spare parts", priority="LOW")
    page = task_page(context, server, task["id"])
    rows = page.locator("#audit tbody tr").count()
    page.fill("#f-title", "Order spare parts for line 2")
    page.select_option("#f-assignee", str(second.user["id"]))
    page.select_option("#f-priority", "URGENT")
    page.click("form[data-task-form] button[type=submit]")
    expect(page.locator("[role=status].notice-ok")).to_contain_text("Saved")
    stored = company.owner.get("/api/admin/tasks/%d/" % task["id"]).json()
    assert stored["title"] == "Order spare parts for line 2" and stored["priority"] == "URGENT"
    assert stored["assignee"]["id"] == second.user["id"]
    assert page.locator("#audit tbody tr").count() == rows + 1
    assert "Reassigned from %s to %s" % (first.user["username"], second.user["username"]) in \
        page.locator("#audit tbody tr").first.inner_text()
    # Saving the untouched form writes nothing.
    page.click("form[data-task-form] button[type=submit]")
    expect(page.locator("[role=status].notice-info")).to_have_text("Nothing changed.")
    assert company.owner.get("/api/admin/tasks/%d/" % task["id"]).json()["version"] == stored["version"]


def test_an_invalid_edit_shows_the_message_beside_the_field(server, company, context):
    employee = company.user()
    task = company.task(employee)
    page = task_page(context, server, task["id"])
    page.fill("#f-title", "   ")
    page.click("form[data-task-form] button[type=submit]")
    assert page.inner_text("#e-title") == "Give the task a title."
    assert company.owner.get("/api/admin/tasks/%d/" % task["id"]).json()["version"] == task["version"]


def test_an_admin_cancels_a_task_and_the_monitor_shows_it(server, company, context):
    employee = company.user()
    task = company.task(employee, title="No longer needed")
    monitor = open_monitor(context, server.url)
    wait_live(monitor)
    page = task_page(context, server, task["id"])
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Cancel task")
    expect(page.locator("[role=status].notice-ok")).to_contain_text("cancelled")
    assert page.locator("form[data-task-form]").count() == 0
    expect(card(monitor, task["id"])).to_have_attribute("data-status", "CANCELLED", timeout=WAIT_MS)
    refused = employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 5})
    assert refused.status_code == 409


def test_the_audit_trail_grows_live_while_the_page_is_open(server, company, context):
    employee = company.user()
    task = company.task(employee)
    page = task_page(context, server, task["id"])
    wait_live(page)
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 55, "notes": "Live row"})
    expect(page.locator("#audit tbody tr").first).to_contain_text("Live row", timeout=WAIT_MS)
    assert "55 %" in page.inner_text(".overview")
    assert page.inner_text("#chain") == "✓ Hash chain intact"


def set_visibility(page, state):
    page.evaluate("""state => {
        Object.defineProperty(document, 'visibilityState', {value: state, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""", state)


def report_unheard(context, server, employee, task, percentage):
    """Report progress and wait until a live monitor in another tab shows it: the fan-out is done,
    so a paused page that still shows the old value did not hear it (no timer guesses when)."""
    witness = open_monitor(context, server.url)
    wait_live(witness)
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": percentage})
    expect(card(witness, task["id"]).locator("[data-ref=pct]")).to_have_text(
        "%d %%" % percentage, timeout=WAIT_MS)
    witness.close()


def test_a_hidden_tab_stops_listening_and_catches_up_when_shown(server, company, context):
    employee = company.user()
    task = company.task(employee)
    sockets = []
    page = open_monitor(context, server.url, sockets)
    wait_live(page)
    set_visibility(page, "hidden")
    wait_live(page, "paused")  # after a short grace period the connection is closed
    wait_closed(sockets)
    report_unheard(context, server, employee, task, 70)
    assert card(page, task["id"]).locator("[data-ref=pct]").inner_text() == "0 %"
    set_visibility(page, "visible")
    expect(card(page, task["id"]).locator("[data-ref=pct]")).to_have_text("70 %", timeout=WAIT_MS)
    wait_live(page)


def test_the_auto_refresh_switch_pauses_and_resumes_live_updates(server, company, context):
    employee = company.user()
    task = company.task(employee)
    sockets = []
    page = open_monitor(context, server.url, sockets)
    wait_live(page)
    page.click("label.switch")
    wait_live(page, "paused")
    wait_closed(sockets)
    report_unheard(context, server, employee, task, 15)
    assert card(page, task["id"]).locator("[data-ref=pct]").inner_text() == "0 %"
    page.click("label.switch")
    expect(card(page, task["id"]).locator("[data-ref=pct]")).to_have_text("15 %", timeout=WAIT_MS)
