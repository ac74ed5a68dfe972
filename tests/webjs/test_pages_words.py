"""What the admin pages say and show (issue 30 item 7): the integrations form in words, roles an
admin may give, the phone navigation, the HTML 404 for browsers, the task page's small words and
@mentions, no emoji a font may lack."""
import re

import pytest
import requests
from playwright.sync_api import expect

from support.browser import browser, context, new_context, sign_in  # noqa: F401
from support.server import USER_PASSWORD

pytestmark = pytest.mark.browser


def test_the_integrations_form_explains_each_event_and_refuses_a_loopback_url_in_words(
        server, context):
    page = sign_in(context.new_page(), server.url, next_path="/dashboard/webhooks/")
    events = page.locator("fieldset .check")
    expect(events.filter(has_text="A task is assigned")).to_contain_text("task.created")
    for label in events.all():  # a small box beside its words, not a field-wide box above them
        box, words = label.locator("input").bounding_box(), label.locator(".check-text").bounding_box()
        assert box["height"] < 24 and box["width"] < 24 and box["x"] < words["x"]
        assert abs(box["y"] - words["y"]) < 12
    every = page.locator('input[name=events][value="*"]')
    page.locator('input[name=events][value="task.created"]').check()
    expect(every).not_to_be_checked()  # one or the other, never both
    every.check()
    expect(page.locator('input[name=events][value="task.created"]')).not_to_be_checked()
    page.fill("#f-url", "http://127.0.0.1:9/hook")
    page.click("form[aria-labelledby=add-title] button[type=submit]")
    error = page.locator("#e-url")
    expect(error).to_have_text(re.compile(r"^The tracker does not send events to 127\.0\.0\.1: it "
                                          r"points to this server itself\."))
    expect(error).not_to_contain_text("url:")


def test_the_api_keeps_the_error_code_and_field_of_a_refused_target(company):
    answer = company.owner.post("/api/admin/webhooks/", {"url": "http://127.0.0.1:9/", "events": ["*"]})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "validation_error" and error["field"] == "url"
    assert "this server itself" in error["message"]


def test_an_admin_is_offered_only_the_roles_an_admin_may_give(server, company, context):
    admin = company.user(role="ADMIN")
    page = sign_in(context.new_page(), server.url, username=admin.user["username"],
                   password=USER_PASSWORD, next_path="/dashboard/users/")
    expect(page.locator("#u-role option")).to_have_text(["Employee"])
    expect(page.locator("form[aria-labelledby=add-user-title]")).to_contain_text(
        "Only an owner can add admins and owners.")
    owner = sign_in(new_context(page.context.browser).new_page(), server.url, next_path="/dashboard/users/")
    expect(owner.locator("#u-role option")).to_have_text(["Employee", "Admin", "Owner"])
    owner.context.close()


def test_every_navigation_link_is_whole_on_a_phone(server, browser):
    ctx = new_context(browser)
    page = ctx.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, server.url)
    links = page.locator(".mainnav a")
    expect(links).to_have_text(["Monitor", "Assign", "Statistics", "Integrations", "People", "Teams",
                                "Projects", "Timesheets", "Absences"])
    for link in links.all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (link.inner_text(), box)
        text = link.evaluate("a => { const r = document.createRange(); r.selectNodeContents(a);"
                             " const b = r.getBoundingClientRect(); return [b.left, b.right]; }")
        assert text[0] >= 0 and text[1] <= 360, (link.inner_text(), text)
    nav_clip = page.locator(".mainnav").evaluate("n => n.scrollWidth <= n.clientWidth")
    assert nav_clip, "the navigation scrolls sideways: a link is cut off"
    ctx.close()


def test_an_unknown_url_is_a_page_for_a_browser_and_json_for_an_api_client(server, context):
    page = context.new_page()
    answer = page.goto(server.url + "/no/such/place")
    assert answer.status == 404 and answer.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not Found")
    expect(page.locator("main")).to_contain_text("There is no page at /no/such/place.")
    api = requests.get(server.url + "/no/such/place", headers={"Accept": "application/json"}, timeout=10)
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    plain = requests.get(server.url + "/api/nothing", headers={"Accept": "text/html"}, timeout=10)
    assert plain.status_code == 404 and plain.json()["error"]["code"] == "not_found"


def test_the_task_page_says_its_small_words_right_and_highlights_mentions(server, company, context):
    employee = company.user()
    task = company.task(employee)
    page = sign_in(context.new_page(), server.url, next_path="/dashboard/tasks/%d/" % task["id"])
    comments = page.locator("#comments")
    expect(comments.locator("[data-ref=empty]")).to_have_text("No comments yet.")
    expect(comments.locator("ol.thread")).to_be_hidden()  # not a numbered "1. No comments yet."
    expect(comments.locator(".field-error")).to_be_hidden()  # no stray warning sign
    expect(page.locator("#audit-count")).to_have_text("(1 entry, newest first)")
    body = "@%s and @nobody_here, look" % employee.user["username"]
    assert company.owner.post("/api/task/%d/comments/" % task["id"], {"body": body}).status_code == 201
    mention = comments.locator(".comment-body .mention")
    expect(mention).to_have_text("@" + employee.user["username"])  # only the linked name
    expect(comments.locator(".comment-body")).to_have_text(body)
    color = mention.evaluate("m => getComputedStyle(m).color")
    plain = comments.locator(".comment-body").evaluate("b => getComputedStyle(b).color")
    assert color != plain, "the mention looks like the text around it"
    page.reload()
    expect(page.locator("#audit-count")).to_have_text(re.compile(r"^\(\d+ entries, newest first\)$"))


def test_no_page_draws_emoji_a_font_may_lack(server, company, context):
    employee = company.user()
    task = company.task(employee, due_date="2020-01-01T00:00:00Z")
    company.owner.post("/api/task/%d/comments/" % task["id"], {"body": "hello"})
    page = sign_in(context.new_page(), server.url)
    page.wait_for_selector("#task-%d" % task["id"])
    for path in ("/dashboard/tasks/monitor/", "/dashboard/tasks/%d/" % task["id"]):
        page.goto(server.url + path)
        page.wait_for_selector("#connection[data-state=live]")
        text = page.locator("body").inner_text()
        assert not re.search("[\u2600-\u27bf\U0001f300-\U0001faff]", text), (path, text)
        assert page.locator("svg.icon").count() >= 1
