"""Keyboard only: the skip link, a visible focus on every control, and a task assigned, filtered,
opened and edited without the mouse; the card flash honours prefers-reduced-motion."""
import re

import pytest
from playwright.sync_api import expect

from support.a11y import focus_ring, focused, tab_to
from support.browser import (DEMO_ADMIN, WAIT_MS, browser, context, new_context,  # noqa: F401
                             sign_in, wait_live)
from support.client import Api

pytestmark = pytest.mark.browser
MONITOR = "/dashboard/tasks/monitor/"


def admin_page(ctx, demo, path):
    page = ctx.new_page()
    sign_in(page, demo.url, *DEMO_ADMIN, next_path=path)
    return page


def test_the_skip_link_is_the_first_stop_and_moves_the_focus_to_the_content(demo, context):
    page = admin_page(context, demo, MONITOR)
    page.keyboard.press("Tab")
    assert focused(page, "a.skip-link")
    box = page.locator("a.skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 40  # on screen while focused
    style, width = focus_ring(page)
    assert style == "solid" and width >= 2
    page.keyboard.press("Enter")
    assert focused(page, "main#main")


@pytest.mark.parametrize("path", [MONITOR, "/dashboard/tasks/assign/", "/dashboard/tasks/1/",
                                  "/dashboard/tasks/statistics/", "/dashboard/webhooks/"])
def test_every_control_shows_where_the_focus_is(demo, context, path):
    page = admin_page(context, demo, path)
    page.wait_for_load_state("load")
    seen = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        name = page.evaluate("() => { const e = document.activeElement;"
                             " return e.tagName + '#' + e.id + '.' + e.className + e.textContent.slice(0, 20); }")
        if name in seen or focused(page, "body"):
            break
        seen.add(name)
        # a switch's checkbox is hidden; its track draws the ring
        ring = page.evaluate("""() => { const e = document.activeElement;
            const drawn = e.matches('.switch input') ? e.nextElementSibling : e;
            const s = getComputedStyle(drawn); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
        assert ring[0] != "none" and ring[1] >= 2, "%s on %s shows no focus: %s" % (name, path, ring)
    assert len(seen) >= 5


def test_a_task_is_assigned_opened_and_edited_with_the_keyboard_alone(demo, context):
    page = admin_page(context, demo, "/dashboard/tasks/assign/")
    tab_to(page, "#f-title")
    page.keyboard.type("Keyboard-only task")
    tab_to(page, "#f-assignee")
    page.keyboard.type("Emma")  # a closed select's type-ahead picks the option
    assert page.input_value("#f-assignee") != ""
    tab_to(page, "form[data-task-form] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#created")
    tab_to(page, "#created a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dashboard/tasks/\d+/$"))
    expect(page.locator("h1")).to_have_text("Keyboard-only task")
    tab_to(page, "#f-title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Keyboard-only task, edited")
    page.keyboard.press("Enter")  # submits the edit form
    page.wait_for_selector(".notice-ok")
    expect(page.locator("h1")).to_have_text("Keyboard-only task, edited")


def test_the_monitor_filters_groups_and_opens_a_task_from_the_keyboard(demo, context):
    page = admin_page(context, demo, MONITOR)
    page.wait_for_selector("#grid .card")
    tab_to(page, 'button[data-filter="DONE"]')
    page.keyboard.press("Enter")
    expect(page.locator('button[data-filter="DONE"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#grid .card:not([data-status=DONE])")).to_have_count(0)
    tab_to(page, "#pick-group")
    page.keyboard.type("Employee")
    page.wait_for_selector(".group-head button")
    tab_to(page, ".group-head button")
    page.keyboard.press("Enter")
    expect(page.locator(".group-head button").first).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(page.locator(".group-head button").first).to_have_attribute("aria-expanded", "true")
    title = page.locator("#grid .card .card-title a").first
    wanted = title.get_attribute("href")
    tab_to(page, '.card-title a[href="%s"]' % wanted)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(demo.url + wanted) + "$"))


def report_progress(demo):
    """Emma reports on one of her open tasks; answers (task id, new percentage)."""
    emma = Api(demo.url).login("emma", "employee-demo-pass")
    task = next(t for t in emma.get("/api/employee-tasks/").json()["tasks"]
                if t["status"] in ("PENDING", "IN_PROGRESS") and t["progress_percentage"] < 90)
    percent = task["progress_percentage"] + 3
    answer = emma.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": percent})
    assert answer.status_code == 200, answer.text
    return task["id"], percent


@pytest.mark.parametrize("motion, flashes", [("no-preference", True), ("reduce", False)])
def test_the_card_flash_honours_reduced_motion(demo, browser, motion, flashes):
    ctx = new_context(browser, reduced_motion=motion)
    try:
        page = admin_page(ctx, demo, MONITOR)
        page.wait_for_selector("#grid .card")
        wait_live(page)
        task_id, percent = report_progress(demo)
        card = page.locator("#task-%d" % task_id)
        expect(card.locator(".progress-pct")).to_have_text("%d %%" % percent, timeout=WAIT_MS)
        # the flash starts in the same task that draws the new figure
        assert card.evaluate("c => c.getAnimations().length > 0") is flashes
    finally:
        ctx.close()


def test_the_counts_are_announced_politely_and_the_cards_are_not(demo, context):
    page = admin_page(context, demo, MONITOR)
    page.wait_for_selector("#grid .card")
    assert page.get_attribute("section.metrics", "aria-live") == "polite"
    assert page.locator(".metric[aria-atomic=true]").count() == 5  # "In progress 12", not "12"
    assert page.locator("#grid [aria-live], #grid [role=status], #grid [role=alert]").count() == 0
