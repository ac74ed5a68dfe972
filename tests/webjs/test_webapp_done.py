"""Done tasks in the web app are read-only with a Reopen; Mark complete can be taken back for a
few seconds before it is queued (issue 30 item 5)."""
import pytest
from playwright.sync_api import expect

from support.browser import browser, context  # noqa: F401
from support.webapp import open_app, outbox_size, task_card, wait_sent

pytestmark = pytest.mark.browser


def status_of(company, task_id):
    return company.owner.get("/api/admin/tasks/%d/" % task_id).json()["status"]


def test_mark_complete_can_be_undone_then_done_is_read_only_until_reopened(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Seal the window")
    page = open_app(context, server.url, employee)
    card = task_card(page, task["id"])
    card.get_by_role("button", name="Mark complete").click()
    expect(card.locator("[data-ref=undo-bar]")).to_contain_text("Marked complete.")
    expect(card.get_by_role("button", name="Undo")).to_be_focused()
    card.get_by_role("button", name="Undo").click()
    expect(card.locator("[data-ref=undo-bar]")).to_be_hidden()
    expect(card.get_by_role("button", name="Mark complete")).to_be_visible()
    assert outbox_size(page) == 0 and status_of(company, task["id"]) == "PENDING"  # nothing went
    card.get_by_role("button", name="Mark complete").click()
    wait_sent(page, 1)  # after the undo time
    assert status_of(company, task["id"]) == "DONE"
    page.get_by_role("button", name="Done", exact=True).click()
    done = task_card(page, task["id"])
    expect(done).to_contain_text("Done. Reopen it if there is more to do.")
    for name in ("Update progress", "Mark complete", "Start timer", "+10"):
        expect(done.get_by_role("button", name=name)).to_be_hidden()
    expect(done.locator("input[type=range]")).to_be_hidden()
    done.get_by_role("button", name="Reopen").click()
    done.locator("input[type=number]").fill("80")
    done.get_by_role("button", name="Reopen with this progress").click()
    wait_sent(page, 2)
    assert status_of(company, task["id"]) == "IN_PROGRESS"


def test_a_cancelled_task_offers_neither_reopen_nor_the_timer(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Dropped job")
    company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"status": "CANCELLED"})
    page = open_app(context, server.url, employee)
    page.get_by_role("button", name="Done", exact=True).click()
    card = task_card(page, task["id"])
    expect(card).to_contain_text("Cancelled: it takes no more updates or time.")
    for name in ("Reopen", "Start timer", "Update progress", "Mark complete"):
        expect(card.get_by_role("button", name=name)).to_be_hidden()
