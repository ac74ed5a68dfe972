"""The scoped pages in Chromium: a lead's monitor holds their team's tasks only and follows
their changes live, not the other team's; a viewer's task page has no write controls; the new
pages (People, Teams, Projects, set-password) are axe-clean."""
import pytest
from playwright.sync_api import expect

from support.a11y import assert_clean, audit_context, axe_source
from support.browser import WAIT_MS, browser, card, sign_in, wait_live  # noqa: F401
from support.server import USER_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def audited(browser):
    ctx = audit_context(browser)
    yield ctx
    ctx.close()


def test_a_leads_monitor_shows_only_the_team_live(server, company, teams, audited):
    alpha, bravo = teams
    axe = axe_source()
    page = audited.new_page()
    sign_in(page, server.url, username=alpha.people["lead"].user["username"], password=USER_PASSWORD)
    page.wait_for_selector("#grid .card")
    wait_live(page)
    for task in alpha.tasks:
        expect(card(page, task["id"])).to_be_visible()
    assert page.locator("#grid .card").count() == len(alpha.tasks)
    assert "bravo" not in page.content().lower()
    expect(page.locator("#pick-team")).to_have_count(1)
    assert page.locator("#pick-team option").all_inner_texts() == ["Every team", alpha.team["name"]]
    assert_clean(page, axe)
    nav = page.locator("nav.mainnav a").all_inner_texts()
    assert "Assign" in nav and "People" not in nav and "Teams" not in nav
    company.owner.patch("/api/admin/tasks/%d/" % bravo.tasks[0]["id"], {"title": "Bravo renamed"})
    company.owner.patch("/api/admin/tasks/%d/" % alpha.tasks[0]["id"], {"title": "Alpha renamed"})
    expect(card(page, alpha.tasks[0]["id"])).to_contain_text("Alpha renamed", timeout=WAIT_MS)
    assert card(page, bravo.tasks[0]["id"]).count() == 0 and "bravo" not in page.content().lower()


def test_a_viewers_pages_have_no_write_controls(server, teams, audited):
    alpha, _bravo = teams
    axe = axe_source()
    page = audited.new_page()
    sign_in(page, server.url, username=alpha.people["viewer"].user["username"], password=USER_PASSWORD)
    page.wait_for_selector("#grid .card")
    assert "Assign" not in page.locator("nav.mainnav a").all_inner_texts()
    page.goto(server.url + "/dashboard/tasks/%d/" % alpha.tasks[1]["id"])
    expect(page.locator("#read-only")).to_be_visible()
    expect(page.locator("#dependencies .outside-scope")).to_have_text(
        "#%d a task outside your teams" % teams[1].tasks[1]["id"])
    assert page.locator("main form").count() == 0
    expect(page.locator("#comments [data-ref=empty]")).to_have_text("No comments yet.")  # loaded
    assert_clean(page, axe)
    page.goto(server.url + "/dashboard/tasks/statistics/")
    expect(page.locator("#team-table")).to_contain_text(alpha.team["name"])
    assert "bravo" not in page.content().lower()
    assert_clean(page, axe)


def test_the_admin_pages_are_axe_clean(server, company, teams, audited):
    alpha, _bravo = teams
    axe = axe_source()
    page = audited.new_page()
    sign_in(page, server.url, next_path="/dashboard/teams/")
    expect(page.locator("[data-team='%d']" % alpha.team["id"])).to_be_visible()
    assert_clean(page, axe)
    page.goto(server.url + "/dashboard/projects/")
    page.fill("#np-name", "Roofs <b>east</b>")
    page.click("form[aria-labelledby=new-project-title] button[type=submit]")
    expect(page.locator("[role=status].notice-ok")).to_contain_text("created")
    expect(page.locator("#projects")).to_contain_text("Archive Roofs <b>east</b>")
    assert_clean(page, axe)
    page.goto(server.url + "/dashboard/users/")
    row = page.locator("#people tr[data-user='%d']" % alpha.people["member1"].user["id"])
    expect(row).to_contain_text(alpha.team["name"])
    row.locator("button[value=link]").click()
    expect(page.locator("#password-link")).to_be_visible()
    link = page.locator("#link-url").input_value()
    assert_clean(page, axe)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Set your password")
    assert_clean(page, axe)
