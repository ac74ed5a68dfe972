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
    assert "reassigned the task from %s to %s" % (first.user["username"], second.user["username"]) in \
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


@pytest.fixture(scope="module")
def long_trail(server, company):
    """A task with 130 audit rows: the page shows the newest 100, the rest one page older."""
    task = company.task(company.user(), title="Long history")
    for i in range(129):
        answer = company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"title": "Long history v%d" % i})
        assert answer.status_code == 200, answer.text
    trail = company.owner.get("/api/task/%d/history/?limit=200" % task["id"]).json()["updates"]
    assert len(trail) == 130
    return task, [row["id"] for row in trail]


def audit_ids(page):
    return page.locator("#audit tbody tr").evaluate_all("rows => rows.map(r => Number(r.dataset.id))")


def test_older_updates_come_below_from_the_keyboard_and_stay_through_live_rows(server, company, context,
                                                                               long_trail):
    task, trail = long_trail
    page = task_page(context, server, task["id"])
    wait_live(page)
    assert audit_ids(page) == trail[:100]
    assert page.inner_text("#audit-count") == "(100 shown, newest first)"
    page.focus("#older-updates")
    page.keyboard.press("Enter")
    expect(page.locator("#audit tbody tr")).to_have_count(130, timeout=WAIT_MS)
    assert audit_ids(page) == trail
    assert page.evaluate("document.activeElement.dataset.id") == str(trail[100])  # where it goes on
    assert page.inner_text("#audit-status") == "30 older updates added below."
    assert page.locator("#older-updates").count() == 0  # nothing older is left
    assert page.inner_text("#chain") == "✓ Hash chain intact"
    assert page.url.endswith("/dashboard/tasks/%d/" % task["id"])  # the page stayed
    company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"title": "Long history, live"})
    expect(page.locator("#audit tbody tr")).to_have_count(131, timeout=WAIT_MS)
    newest = company.owner.get("/api/task/%d/history/?limit=1" % task["id"]).json()["updates"][0]
    assert audit_ids(page) == [newest["id"]] + trail
    assert page.inner_text("#audit-count") == "(131 shown, newest first)"


def test_an_older_page_of_the_trail_is_a_page_of_its_own(server, company, context, long_trail):
    task, _ = long_trail
    trail = [row["id"] for row in company.owner.history(task["id"])]  # other tests add rows
    page = context.new_page()
    sign_in(page, server.url, next_path="/dashboard/tasks/%d/?before=%d" % (task["id"], trail[99]))
    assert audit_ids(page) == trail[100:]
    assert page.locator("#older-updates").count() == 0
    page.click("text=Newest updates")
    page.wait_for_url("**/dashboard/tasks/%d/#audit-title" % task["id"])
    assert audit_ids(page) == trail[:100]
    assert page.get_attribute("#older-updates", "href").endswith("?before=%d#audit-title" % trail[99])


@pytest.mark.parametrize("before", ["abc", "0", "-5", "1e3", "99999999999999999999"])
def test_a_bad_page_cursor_is_a_clear_400(server, context, long_trail, before):
    task, _trail = long_trail
    page = task_page(context, server, task["id"])
    answer = page.goto(server.url + "/dashboard/tasks/%d/?before=%s" % (task["id"], before))
    assert answer.status == 400
    assert "before must be a positive integer id" in page.inner_text("main")
