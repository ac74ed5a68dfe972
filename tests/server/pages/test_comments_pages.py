"""The task page's comment thread, live in the browser; the monitor card's comment count."""
import pytest
from playwright.sync_api import expect

from support.browser import (WAIT_MS, PageErrors, browser, card, context, open_monitor,  # noqa: F401
                             sign_in, wait_live)

pytestmark = pytest.mark.browser


def task_page(context, server, task_id):
    page = context.new_page()
    sign_in(page, server.url, next_path="/dashboard/tasks/%d/" % task_id)
    wait_live(page)
    page.wait_for_selector("#comments .thread .empty, #comments .thread .comment", timeout=WAIT_MS)
    return page


def test_a_comment_typed_on_one_page_appears_on_another_without_reload(server, company, context):
    employee = company.user()
    task = company.task(employee)
    writer, reader = task_page(context, server, task["id"]), task_page(context, server, task["id"])
    errors = PageErrors(reader)
    text = '<img src=x onerror="alert(1)"> see @%s' % employee.user["username"]
    writer.fill("#comment-body", text)
    writer.click("#comments button[type=submit]")
    shown = reader.locator("#comments .comment .comment-body").first
    expect(shown).to_have_text(text, timeout=WAIT_MS)  # markup shown as text
    expect(shown.locator(".mention")).to_have_text("@" + employee.user["username"])
    assert reader.locator("#comments img").count() == 0
    expect(reader.locator("#comments [data-ref=count]")).to_have_text("(1)")
    expect(writer.locator("#comment-body")).to_have_value("")
    assert errors.errors == [] and errors.dialogs == []


def test_edits_and_deletions_by_others_update_the_thread_in_place(server, company, context):
    employee = company.user()
    task = company.task(employee)
    comment = employee.post("/api/task/%d/comments/" % task["id"], {"body": "first try"}).json()
    page = task_page(context, server, task["id"])
    expect(page.locator("#comments .comment-body")).to_have_text("first try")
    employee.patch("/api/comments/%d/" % comment["id"], {"body": "second try"})
    expect(page.locator("#comments .comment-body")).to_have_text("second try", timeout=WAIT_MS)
    expect(page.locator("#comments .edited")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#comments .comment-actions button:has-text('Delete')")  # an admin may delete
    expect(page.locator("#comments .comment.deleted")).to_have_count(1, timeout=WAIT_MS)
    assert page.locator("form[data-task-form] .stale-note").count() == 0  # comments are no edits


def test_a_blank_comment_is_refused_on_the_page(server, company, context):
    employee = company.user()
    task = company.task(employee)
    page = task_page(context, server, task["id"])
    page.fill("#comment-body", "    ")
    page.click("#comments button[type=submit]")
    expect(page.locator("#comments [data-ref=error]")).not_to_be_empty()
    assert employee.get("/api/task/%d/comments/" % task["id"]).json()["comments"] == []


def test_monitor_cards_show_the_comment_count_live(server, company, context):
    employee = company.user()
    task = company.task(employee)
    monitor = open_monitor(context, server.url)
    wait_live(monitor)
    count = card(monitor, task["id"]).locator("[data-ref=comments]")
    expect(count).to_be_hidden()
    employee.post("/api/task/%d/comments/" % task["id"], {"body": "hello"})
    expect(count).to_have_text("💬 1 comment", timeout=WAIT_MS)
