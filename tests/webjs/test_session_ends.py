"""A session that ends while someone works (issue 30 item 6, issue 24 item 9): the Assign page
keeps the typed draft and says why, the monitor says "Signed out", the web app says so in words
and leaves nothing of the user readable on the device."""
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from support.browser import browser, context, sign_in, wait_live  # noqa: F401
from support.server import USER_PASSWORD
from support.webapp import meta_value, outbox_size, report, task_card, wait_ready, wait_unsent, wait_worker

pytestmark = pytest.mark.browser


def end_sessions(company, api):
    """A password change ends every session of the user, as an expiry would."""
    answer = company.owner.patch("/api/admin/users/%d/" % api.user["id"], {"password": USER_PASSWORD})
    assert answer.status_code == 200, answer.text


def sign_in_as(page, server, api, next_path):
    return sign_in(page, server.url, username=api.user["username"], password=USER_PASSWORD,
                   next_path=next_path)


def test_assign_keeps_the_draft_when_the_session_ended_and_gives_it_back_after_sign_in(
        server, company, context):
    admin = company.user(role="ADMIN")
    employee = company.user()
    page = sign_in_as(context.new_page(), server, admin, "/dashboard/tasks/assign/")
    page.fill("#f-title", "Order the scaffolding")
    page.select_option("#f-assignee", str(employee.user["id"]))
    page.fill("#f-description", "Two towers, by Friday")
    end_sessions(company, admin)
    page.click("form[data-task-form] button[type=submit]")
    expect(page.locator("main")).to_contain_text("Your session has ended, so nothing was saved.")
    expect(page.locator("#draft-note")).to_be_visible()
    page.get_by_role("link", name="Sign in again").click()
    page.fill("#username", admin.user["username"])
    page.fill("#password", USER_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(server.url + "/dashboard/tasks/assign/")
    expect(page.locator(".draft-note")).to_contain_text("back in the form")
    expect(page.locator("#f-title")).to_have_value("Order the scaffolding")
    expect(page.locator("#f-description")).to_have_value("Two towers, by Friday")
    expect(page.locator("#f-assignee")).to_have_value(str(employee.user["id"]))
    page.click("form[data-task-form] button[type=submit]")
    expect(page.locator("#created")).to_contain_text("Order the scaffolding")
    page.goto(server.url + "/dashboard/tasks/assign/")  # saved: the draft is gone
    expect(page.locator("#f-title")).to_have_value("")
    expect(page.locator(".draft-note")).to_have_count(0)


def test_the_monitor_says_signed_out_when_the_push_channel_is_refused(server, company, context):
    admin = company.user(role="ADMIN")
    monitor = sign_in_as(context.new_page(), server, admin, "/dashboard/tasks/monitor/")
    wait_live(monitor)
    other = context.new_page()  # the same browser signs out in another tab
    other.goto(server.url + "/dashboard/tasks/statistics/")
    other.get_by_role("button", name="Sign out").click()
    other.wait_for_url(re.compile(r".*/login\?bye=1"))
    badge = monitor.locator("#connection")
    expect(badge).to_have_attribute("data-state", "signedout", timeout=30000)
    expect(badge).to_contain_text("Signed out")
    expect(badge).not_to_contain_text("Live")
    link = badge.get_by_role("link", name="Sign in again")
    expect(link).to_have_attribute("href", "/login?next=%2Fdashboard%2Ftasks%2Fmonitor%2F")
    assert monitor.url.endswith("/dashboard/tasks/monitor/")  # no jump that loses the view


def open_app_as(context, server, api):
    page = sign_in_as(context.new_page(), server, api, "/app/")
    wait_ready(page)
    wait_worker(page)
    return page


def offline_shows_nothing_of(context, server, name, title):
    """Offline, a new tab at /app/ shows neither who was signed in nor their tasks."""
    context.set_offline(True)
    fresh = context.new_page()
    try:
        fresh.goto(server.url + "/app/")
    except PlaywrightError:
        pass  # nothing cached to serve: the browser's own offline page
    text = fresh.locator("body").inner_text()
    assert "Signed in as" not in text and name not in text and title not in text, text
    fresh.close()
    context.set_offline(False)


def test_signing_out_on_the_dashboard_leaves_nothing_of_the_web_app_offline(server, company, context):
    emma = company.user(role="ADMIN", name="emma_%s" % company.owner.user["id"])
    task = company.task(emma, title="Emma's private plan")
    app = open_app_as(context, server, emma)
    expect(task_card(app, task["id"])).to_be_visible()
    dashboard = context.new_page()
    dashboard.goto(server.url + "/dashboard/tasks/monitor/")
    dashboard.get_by_role("button", name="Sign out").click()
    dashboard.wait_for_url(re.compile(r".*/login\?bye=1"))
    app.close()
    offline_shows_nothing_of(context, server, emma.user["full_name"], "Emma's private plan")


def test_a_401_hides_the_data_keeps_the_unsent_change_and_a_new_user_clears_it(
        server, company, context):
    ann = company.user()
    task = company.task(ann, title="Ann's quiet task")
    app = open_app_as(context, server, ann)
    context.set_offline(True)
    report(app, task["id"], 40)
    wait_unsent(app, 1)
    end_sessions(company, ann)  # ended elsewhere: no Clear-Site-Data reaches this browser
    context.set_offline(False)
    expect(app.locator("#signed-out")).to_contain_text("Your session ended — sign in again.")
    expect(app.locator("#tasks article")).to_have_count(0)
    assert meta_value(app, "%d:tasks" % ann.user["id"]) is None
    assert app.evaluate("async () => (await caches.keys()).length") == 0
    assert outbox_size(app) == 1  # Ann's unsent change waits for Ann
    app.close()
    offline_shows_nothing_of(context, server, ann.user["full_name"], "Ann's quiet task")
    ben = company.user()
    other = open_app_as(context, server, ben)  # another person on this browser
    assert outbox_size(other) == 0 and meta_value(other, "%d:timer" % ann.user["id"]) is None
