"""The web app's comment threads in real Chromium against a real server: live comments from
others, mentions, markup as text, edit and delete, refusals before sending, and a comment written
with the server stopped that arrives exactly once after a reload."""
import re

import pytest
from playwright.sync_api import expect

from support.browser import WAIT_MS, PageErrors, browser, context  # noqa: F401
from support.client import Company
from support.webapp import (comment_rows, comments_of, delivered_comments, meta_value, open_app,
                            open_thread, outbox_size, task_card, wait_ready, wait_unsent,
                            wait_worker, write_comment)

pytestmark = pytest.mark.browser
BACK_MS = 60000  # the page retries at most every 15 s, the push client every 30 s


def test_a_comment_from_someone_else_arrives_live_with_its_mention(server, company, context):
    employee = company.user()
    task = company.task(employee, title="Replace the filter")
    page = open_app(context, server.url, employee)
    errors = PageErrors(page)
    card = task_card(page, task["id"])
    expect(card.locator('[data-ref="thread-toggle"]')).to_have_text("Comments (0)")
    thread = open_thread(page, task["id"])
    expect(thread.locator(".comments")).to_have_text("No comments yet.")
    body = "@%s please <b>check</b> the seal <img src=x onerror=alert(1)>" % employee.user["username"]
    posted = company.owner.post("/api/task/%d/comments/" % task["id"], {"body": body})
    assert posted.status_code == 201, posted.text
    item = thread.locator('[data-comment-id="%d"]' % posted.json()["id"])
    expect(item.locator(".comment-body")).to_have_text(body)
    expect(item.locator(".mention.mention-me")).to_have_text("@" + employee.user["username"])
    assert thread.locator("b, img, script").count() == 0
    expect(card.locator('[data-ref="thread-toggle"]')).to_have_text("Comments (1)")
    # Someone else's comment: neither edit nor delete for an employee.
    assert item.get_by_role("button").count() == 0
    # Their edit and their deletion arrive live too.
    comment_id = posted.json()["id"]
    edited = company.owner.patch("/api/comments/%d/" % comment_id, {"body": "never mind"})
    assert edited.status_code == 200, edited.text
    expect(item.locator(".comment-body")).to_have_text("never mind")
    expect(item.locator(".comment-head")).to_contain_text("edited")
    deleted = company.owner.request("DELETE", "/api/comments/%d/" % comment_id)
    assert deleted.status_code == 200, deleted.text
    expect(item.locator(".comment-body")).to_have_text("This comment was deleted.")
    expect(card.locator('[data-ref="thread-toggle"]')).to_have_text("Comments (0)")
    assert not errors.errors and not errors.dialogs


def test_own_comment_is_posted_once_then_edited_and_deleted(server, company, context):
    employee = company.user()
    task = company.task(employee)
    page = open_app(context, server.url, employee)
    page.wait_for_selector('#connection[data-state="live"]', timeout=WAIT_MS)
    thread = open_thread(page, task["id"])
    write_comment(page, task["id"], "  First look: <i>fine</i>  ")
    expect(delivered_comments(page, task["id"])).to_have_text(["First look: <i>fine</i>"])
    wait_unsent(page, 0)
    item = thread.locator(".comment").first
    [comment] = comments_of(employee, task["id"])
    assert comment["body"] == "First look: <i>fine</i>"
    assert comment["author"]["id"] == employee.user["id"]
    item.get_by_role("button", name="Edit").click()
    item.get_by_label("Edit your comment").fill("Second look: worn out")
    item.get_by_role("button", name="Save").click()
    edited = thread.locator('[data-comment-id="%d"]' % comment["id"])
    expect(edited.locator(".comment-body")).to_have_text("Second look: worn out")
    expect(edited.locator(".comment-head")).to_contain_text("edited")
    page.once("dialog", lambda dialog: dialog.accept())
    edited.get_by_role("button", name="Delete").click()
    expect(edited.locator(".comment-body")).to_have_text("This comment was deleted.")
    [gone] = comments_of(employee, task["id"])
    assert gone["deleted"] is True and gone["body"] is None and gone["revision"] == 2
    assert comment_rows(company.owner, task["id"]) == [
        ("comment", employee.user["id"]), ("comment_edit", employee.user["id"]),
        ("comment_delete", employee.user["id"])]
    expect(task_card(page, task["id"]).locator('[data-ref="thread-toggle"]')).to_have_text("Comments (0)")


def test_an_edit_to_a_blank_comment_is_refused_in_the_page(server, company, context):
    employee = company.user()
    task = company.task(employee)
    posted = employee.post("/api/task/%d/comments/" % task["id"], {"body": "keep me"})
    page = open_app(context, server.url, employee)
    page.wait_for_selector('#connection[data-state="live"]', timeout=WAIT_MS)
    item = open_thread(page, task["id"]).locator('[data-comment-id="%d"]' % posted.json()["id"])
    item.get_by_role("button", name="Edit").click()
    item.get_by_label("Edit your comment").fill("   ")
    item.get_by_role("button", name="Save").click()
    expect(item.locator(".comment-error")).to_have_text(
        "Write something first: a comment cannot be blank.")
    assert [c["body"] for c in comments_of(employee, task["id"])] == ["keep me"]


@pytest.mark.parametrize("text, message", [
    ("", "Write something first: a comment cannot be blank."),
    (" \n\t ", "Write something first: a comment cannot be blank."),
    ("x" * 10001, "A comment can be at most 10,000 characters; this one has 10,001."),
])
def test_a_blank_or_too_long_comment_is_refused_before_sending(server, company, context, text,
                                                               message):
    employee = company.user()
    task = company.task(employee)
    page = open_app(context, server.url, employee)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/comments/" in r.url
            else None)
    open_thread(page, task["id"])
    write_comment(page, task["id"], text)
    expect(task_card(page, task["id"]).locator('[data-ref="comment-error"]')).to_have_text(message)
    assert outbox_size(page) == 0 and posts == []
    assert comments_of(employee, task["id"]) == []


def test_ten_thousand_characters_are_accepted(server, company, context):
    employee = company.user()
    task = company.task(employee)
    page = open_app(context, server.url, employee)
    open_thread(page, task["id"])
    write_comment(page, task["id"], "é" * 10000)
    expect(delivered_comments(page, task["id"])).to_have_text(["é" * 10000])
    wait_unsent(page, 0)
    assert [len(c["body"]) for c in comments_of(employee, task["id"])] == [10000]


# ---------------------------------------------------------------- the server really stopped


def test_comments_written_with_the_server_down_arrive_once_in_order(srv, context):
    company = Company(srv)
    employee = company.user()
    task = company.task(employee, title="Check the pumps")
    earlier = employee.post("/api/task/%d/comments/" % task["id"], {"body": "Started on it"})
    page = open_app(context, srv.url, employee)
    wait_worker(page)
    open_thread(page, task["id"])  # the thread is kept on this device from now on
    srv.stop()
    write_comment(page, task["id"], "Pump 1 <b>ok</b>")
    write_comment(page, task["id"], "Pump 2 leaking")  # typed at once: the first is not lost
    wait_unsent(page, 2)
    expect(page.locator("#connection")).to_contain_text("2 unsent")
    page.reload()  # the server is down: the service worker answers, IndexedDB has the rest
    wait_ready(page)
    card = task_card(page, task["id"])
    expect(card.locator('[data-ref="thread-toggle"]')).to_have_text("Comments (1 + 2 unsent)")
    card.locator('[data-ref="thread-toggle"]').click()
    thread = card.locator('[data-ref="thread"]')
    expect(thread.locator(".comment-body")).to_have_text(
        ["Started on it", "Pump 1 <b>ok</b>", "Pump 2 leaking"])
    expect(thread.locator(".comment-unsent .mark-unsent")).to_have_count(2)
    # Editing needs the server: the own comment's buttons wait for it.
    kept = thread.locator('[data-comment-id="%d"]' % earlier.json()["id"])
    expect(kept.get_by_role("button", name="Edit")).to_be_disabled()
    srv.start()
    wait_unsent(page, 0, timeout=BACK_MS)
    expect(thread.locator(".comment-unsent")).to_have_count(0)
    expect(thread.locator(".comment-body")).to_have_text(
        ["Started on it", "Pump 1 <b>ok</b>", "Pump 2 leaking"])
    comments = comments_of(company.owner, task["id"])
    assert [c["body"] for c in comments] == ["Started on it", "Pump 1 <b>ok</b>", "Pump 2 leaking"]
    assert [c["id"] for c in comments] == sorted(c["id"] for c in comments)
    assert comment_rows(company.owner, task["id"]) == [("comment", employee.user["id"])] * 3
    expect(kept.get_by_role("button", name="Edit")).to_be_enabled()


def test_a_comment_the_server_refuses_is_kept_with_its_reason(server, company, context):
    employee, other = company.user(), company.user()
    task = company.task(employee, title="Moves away")
    page = open_app(context, server.url, employee)
    open_thread(page, task["id"])
    context.set_offline(True)  # written offline; the task goes to someone else before it arrives
    write_comment(page, task["id"], "My notes on <this>")
    wait_unsent(page, 1)
    moved = company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"assignee_id": other.user["id"]})
    assert moved.status_code == 200, moved.text
    context.set_offline(False)
    item = page.locator("#refused-list li")
    expect(item).to_contain_text("Comment “My notes on <this>”")
    expect(item).to_contain_text("task %d is not assigned to you" % task["id"])
    wait_unsent(page, 0)
    assert comments_of(company.owner, task["id"]) == []
    page.get_by_role("button", name=re.compile("^Dismiss")).click()
    expect(page.locator("#refused")).to_be_hidden()


def test_signing_out_forgets_the_kept_threads(server, company, context):
    employee = company.user()
    task = company.task(employee)
    employee.post("/api/task/%d/comments/" % task["id"], {"body": "private words"})
    page = open_app(context, server.url, employee)
    open_thread(page, task["id"])
    key = "%d:comments:%d" % (employee.user["id"], task["id"])
    assert [c["body"] for c in meta_value(page, key)] == ["private words"]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(server.url + "/login?bye=1")
    assert meta_value(page, key) is None
