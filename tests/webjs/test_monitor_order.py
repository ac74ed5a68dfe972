"""The monitor sorts (due date, priority, progress, last update, assignee), shows cancelled tasks
under their own chip, and never brings back a search that was cleared (issue 30 item 8)."""
import re
import secrets

import pytest
from playwright.sync_api import expect

from support.browser import WAIT_MS, browser, context, open_monitor, wait_live  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def crew(company):
    word = "sq" + secrets.token_hex(3)
    zoe, abe = company.user(name="zoe_" + word), company.user(name="abe_" + word)
    tasks = {
        "late": company.task(zoe, title="%s late" % word, priority="LOW", due_date="2031-03-01T10:00:00Z"),
        "soon": company.task(abe, title="%s soon" % word, priority="URGENT", due_date="2030-01-01T10:00:00Z"),
        "none": company.task(zoe, title="%s undated" % word, priority="HIGH"),
    }
    zoe.post("/api/task/%d/progress/" % tasks["late"]["id"], {"progress_percentage": 60})
    abe.post("/api/task/%d/progress/" % tasks["soon"]["id"], {"progress_percentage": 20})
    gone = company.task(abe, title="%s dropped" % word)
    assert company.owner.patch("/api/admin/tasks/%d/" % gone["id"], {"status": "CANCELLED"}).status_code == 200
    return {"word": word, "zoe": zoe, "abe": abe, "gone": gone, **tasks}


def titles(page):
    return page.locator("#grid .card-title").all_inner_texts()


def test_each_sort_orders_the_cards_and_the_url_keeps_it(server, crew, context):
    page = open_monitor(context, server.url)
    page.fill("#search", crew["word"])
    page.click("button[data-filter=all]")
    w = crew["word"]
    expect(page.locator("#grid .card")).to_have_count(4, timeout=WAIT_MS)
    orders = {
        "due": ["%s soon" % w, "%s late" % w],  # undated ones last
        "priority": ["%s soon" % w, "%s undated" % w],
        "progress": ["%s dropped" % w, "%s undated" % w, "%s soon" % w, "%s late" % w],
        "updated": ["%s soon" % w, "%s late" % w],  # the latest report first
        "assignee": ["%s dropped" % w, "%s soon" % w],  # abe before zoe
    }
    for sort, first in orders.items():
        page.select_option("#pick-sort", sort)
        expect(page.locator("#grid .card-title").first).to_have_text(first[0])
        assert titles(page)[:len(first)] == first, (sort, titles(page))
        assert "sort=%s" % sort in page.url
    page.reload()
    expect(page.locator("#pick-sort")).to_have_value("assignee")
    expect(page.locator("#grid .card-title").first).to_have_text("%s dropped" % w, timeout=WAIT_MS)


def test_a_progress_event_moves_a_card_to_its_place_in_the_sort(server, crew, context):
    page = open_monitor(context, server.url)
    wait_live(page)
    page.fill("#search", crew["word"] + " late")
    page.select_option("#pick-sort", "updated")
    page.fill("#search", crew["word"])
    expect(page.locator("#grid .card")).to_have_count(4, timeout=WAIT_MS)
    crew["zoe"].post("/api/task/%d/progress/" % crew["none"]["id"], {"progress_percentage": 5})
    expect(page.locator("#grid .card-title").first).to_have_text("%s undated" % crew["word"])


def test_the_cancelled_chip_shows_cancelled_tasks(server, crew, context):
    page = open_monitor(context, server.url)
    page.fill("#search", crew["word"])
    chip = page.locator("button[data-filter=CANCELLED]")
    expect(chip).to_contain_text("Cancelled")
    expect(chip.locator("[data-count]")).to_have_text("1", timeout=WAIT_MS)
    chip.click()
    expect(page.locator("#grid .card-title")).to_have_text(["%s dropped" % crew["word"]])
    assert "status=CANCELLED" in page.url


def test_clearing_the_search_then_choosing_an_employee_keeps_it_cleared(server, crew, context):
    page = open_monitor(context, server.url)
    page.fill("#search", crew["word"] + " late")
    expect(page.locator("#grid .card")).to_have_count(1, timeout=WAIT_MS)
    page.fill("#search", "")  # cleared, and at once (within the typing pause) a person chosen
    page.select_option("#pick-employee", str(crew["zoe"].user["id"]))
    expect(page.locator("#grid .card")).to_have_count(2, timeout=WAIT_MS)
    expect(page.locator("#search")).to_have_value("")  # the old search does not come back
    assert "q=" not in page.url and "employee=%d" % crew["zoe"].user["id"] in page.url
    expect(page.locator("#grid .card")).to_have_count(2)
