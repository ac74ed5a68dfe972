"""The task page with its trail paged: axe-core finds nothing with older updates added below, and
the pager is reached and used by keyboard alone."""
import pytest
from playwright.sync_api import expect

from support.a11y import audit_context, axe_source, tab_to, violations
from support.browser import WAIT_MS, browser, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


def test_older_updates_added_below_pass_axe(server, company, browser):
    source = axe_source()
    task = company.task(company.user(), title="Paged trail")
    for i in range(100):  # 101 rows with the creation: one older than the first page
        assert company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"title": "Paged %d" % i}).status_code == 200
    ctx = audit_context(browser)
    page = ctx.new_page()
    sign_in(page, server.url, next_path="/dashboard/tasks/%d/" % task["id"])
    assert violations(page, source) == []
    tab_to(page, "#older-updates")
    page.keyboard.press("Enter")
    expect(page.locator("#audit tbody tr")).to_have_count(101, timeout=WAIT_MS)
    expect(page.locator("#audit-status")).to_have_text("1 older update added below.")
    assert violations(page, source) == []
    ctx.close()
