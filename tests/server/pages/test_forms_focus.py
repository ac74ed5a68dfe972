"""Forms answered with errors put the keyboard on the first field to correct, the message tied to
it (aria-invalid, aria-describedby): the assign form, the task's edit form and its link form."""
import pytest
from playwright.sync_api import expect

from support.a11y import audit_context, axe_source, tab_to, violations
from support.browser import WAIT_MS, browser, context, sign_in  # noqa: F401

pytestmark = pytest.mark.browser
ASSIGN = "/dashboard/tasks/assign/"


def signed_in(ctx, server, path):
    page = ctx.new_page()
    sign_in(page, server.url, next_path=path)
    return page


def described_by(page, selector):
    """The text of the elements a field's aria-describedby names."""
    return page.evaluate("""s => (document.querySelector(s).getAttribute('aria-describedby') || '')
        .split(/\\s+/).filter(Boolean).map(id => document.getElementById(id).textContent.trim())""",
                         selector)


def task_count(company):
    return len(company.owner.get("/api/admin/task-status/").json()["tasks"])


def test_assign_errors_take_the_focus_field_by_field(server, company, context):
    worker = company.user()
    before = task_count(company)
    page = signed_in(context, server, ASSIGN)
    tab_to(page, "form[data-task-form] button[type=submit]")
    page.keyboard.press("Enter")  # nothing typed
    expect(page.locator("#e-title")).to_be_visible()
    expect(page.locator("#f-title")).to_be_focused()
    assert page.get_attribute("#f-title", "aria-invalid") == "true"
    assert described_by(page, "#f-title") == ["Give the task a title."]
    page.keyboard.type("Check the pumps")  # straight on from where the focus went
    tab_to(page, "form[data-task-form] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#e-assignee")).to_be_visible()
    expect(page.locator("#f-assignee")).to_be_focused()  # the title is fine now: the next field to correct
    assert page.get_attribute("#f-title", "aria-invalid") is None
    assert described_by(page, "#f-assignee") == [page.inner_text("#e-assignee")]
    assert page.input_value("#f-title") == "Check the pumps"
    page.select_option("#f-assignee", str(worker.user["id"]))
    page.fill("#f-estimate", "soon")
    page.click("form[data-task-form] button[type=submit]")
    expect(page.locator("#e-estimate")).to_be_visible()
    expect(page.locator("#f-estimate")).to_be_focused()
    assert described_by(page, "#f-estimate")[1] == page.inner_text("#e-estimate")  # after its hint
    assert task_count(company) == before  # nothing was written


def test_a_page_without_errors_leaves_the_focus_alone(server, context):
    page = signed_in(context, server, ASSIGN)
    assert page.evaluate("document.activeElement === document.body")


def test_a_refused_link_puts_the_focus_on_the_task_search(server, company, context):
    worker = company.user()
    first, second = company.task(worker, title="Lay the cables"), company.task(worker, title="Test the line")
    assert company.owner.post("/api/admin/tasks/%d/dependencies/" % second["id"],
                              {"depends_on": first["id"]}).status_code == 201
    page = signed_in(context, server, "/dashboard/tasks/%d/" % first["id"])
    page.fill("#link-search", "test the line")
    expect(page.locator("#link-choice option[value='%d']" % second["id"])).to_have_count(1, timeout=WAIT_MS)
    page.select_option("#link-choice", str(second["id"]))
    page.click("#link-form button[type=submit]")
    expect(page.locator("#link-error")).to_contain_text("cycle")
    expect(page.locator("#link-search")).to_be_focused()
    assert page.get_attribute("#link-search", "aria-invalid") == "true"
    assert described_by(page, "#link-search") == [page.inner_text("#link-error")]
    assert company.owner.get("/api/admin/tasks/%d/" % first["id"]).json()["depends_on"] == []


def test_the_edit_form_with_errors_passes_axe(server, company, browser):
    source = axe_source()
    ctx = audit_context(browser)
    task = company.task(company.user(), title="Audit me")
    page = signed_in(ctx, server, "/dashboard/tasks/%d/" % task["id"])
    page.fill("#f-title", "  ")
    page.click("form[data-task-form] button[type=submit]")
    expect(page.locator("#e-title")).to_be_visible()
    expect(page.locator("#f-title")).to_be_focused()
    assert violations(page, source) == []
    ctx.close()
