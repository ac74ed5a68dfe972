"""Dependencies in real Chromium: an admin links a predecessor found by search on the task page,
sees the refusal of a cycle, unlinks; the monitor shows Blocked by #N and filters on it."""
import pytest
from playwright.sync_api import expect

from support.browser import (WAIT_MS, browser, card, context, open_monitor, sign_in,  # noqa: F401
                             wait_live)

pytestmark = pytest.mark.browser


def task_page(context, server, task_id):
    page = context.new_page()
    sign_in(page, server.url, next_path="/dashboard/tasks/%d/" % task_id)
    return page


def pick(page, words, task_id):
    page.fill("#link-search", words)
    expect(page.locator("#link-choice option[value='%d']" % task_id)).to_have_count(1, timeout=WAIT_MS)
    page.select_option("#link-choice", str(task_id))
    page.click("#link-form button[type=submit]")


def test_an_admin_links_by_search_sees_a_cycle_refused_and_unlinks(server, company, context):
    worker = company.user()
    paint = company.task(worker, title="Paint the <b>hall</b>")
    floor = company.task(worker, title="Sand the hall floor")
    page = task_page(context, server, floor["id"])
    pick(page, "paint hall", paint["id"])
    expect(page.locator("[role=status].notice-ok")).to_contain_text("Linked")
    expect(page.locator("#predecessors li")).to_contain_text("Paint the <b>hall</b>")  # text, not markup
    expect(page.locator("#blocked-mark")).to_have_text("Blocked by #%d" % paint["id"])
    assert company.owner.get("/api/admin/tasks/%d/" % floor["id"]).json()["depends_on"] == [paint["id"]]
    other = task_page(context, server, paint["id"])
    expect(other.locator("#successors li")).to_contain_text("Sand the hall floor")
    pick(other, "sand floor", floor["id"])
    expect(other.locator("#link-error")).to_contain_text("cycle")
    assert company.owner.get("/api/admin/tasks/%d/" % paint["id"]).json()["depends_on"] == []
    page.click("#predecessors button:has-text('Unlink')")
    expect(page.locator("[role=status].notice-ok")).to_have_text("Unlinked.")
    assert company.owner.get("/api/admin/tasks/%d/" % floor["id"]).json()["depends_on"] == []


def test_the_monitor_marks_blocked_cards_and_filters_them(server, company, context):
    worker = company.user()
    first = company.task(worker, title="Pour the concrete")
    second = company.task(worker, title="Lay the tiles")
    page = open_monitor(context, server.url)
    wait_live(page)
    linked = company.owner.post("/api/admin/tasks/%d/dependencies/" % second["id"],
                                {"depends_on": first["id"]})
    assert linked.status_code == 201
    expect(card(page, second["id"]).locator("[data-ref=blocked]")).to_have_text(
        "Blocked by #%d" % first["id"], timeout=WAIT_MS)
    page.click("[data-filter=blocked]")
    expect(card(page, second["id"])).to_be_visible()
    expect(card(page, first["id"])).to_be_hidden()
    assert worker.post("/api/task/%d/complete/" % first["id"]).status_code == 200
    expect(card(page, second["id"])).to_be_hidden(timeout=WAIT_MS)  # unblocked: leaves the chip
