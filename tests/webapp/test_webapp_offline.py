"""The web app with the server really stopped: the service worker serves the shell, the outbox
keeps every change, and each is delivered exactly once when the server is back — with one tab,
two tabs sharing the outbox, the tab closed meanwhile, and a session that expired meanwhile."""
import re
import time

import pytest
from playwright.sync_api import expect

from support.browser import browser, context  # noqa: F401
from support.client import Company
from support.server import USER_PASSWORD
from support.webapp import (offline_page, open_app, outbox_size, report, task_card, wait_ready,
                            wait_unsent, web_rows)

pytestmark = pytest.mark.browser
BACK_MS = 60000  # the page retries at most every 15 s, the push client every 30 s



def test_an_update_made_with_the_server_down_survives_a_reload_and_arrives_once(srv, context):
    company = Company(srv)
    employee = company.user()
    task = company.task(employee, title="Inspect the boiler")
    page = offline_page(context, srv, employee)
    report(page, task["id"], 60, note="valve replaced")
    wait_unsent(page, 1)
    expect(page.locator("#connection")).to_contain_text("1 unsent")
    page.reload()  # the server is down: the service worker answers
    wait_ready(page)
    card = task_card(page, task["id"])
    expect(card.locator('input[type="number"]')).to_have_value("60")
    expect(card.locator(".mark-unsent")).to_be_visible()
    assert page.get_attribute("#connection", "data-state") != "live"
    srv.start()
    wait_unsent(page, 0, timeout=BACK_MS)
    rows = web_rows(company.owner, task["id"])
    assert [(r["new_percentage"], r["notes"]) for r in rows] == [(60, "valve replaced")]
    expect(page.locator("#connection")).not_to_contain_text("unsent")


def test_two_tabs_share_one_outbox_and_send_each_change_once(srv, context):
    company = Company(srv)
    employee = company.user()
    first, second = company.task(employee), company.task(employee)
    answered = []
    context.on("response", lambda r: answered.append(r.url) if "/api/task/" in r.url else None)
    tab_a = offline_page(context, srv, employee)
    tab_b = context.new_page()
    tab_b.goto(srv.url + "/app/")
    wait_ready(tab_b)
    report(tab_a, first["id"], 30)
    wait_unsent(tab_b, 1)  # each tab shows the count of the one shared outbox
    report(tab_b, second["id"], 80)
    report(tab_a, first["id"], 45)
    wait_unsent(tab_a, 3)
    srv.start()
    wait_unsent(tab_a, 0, timeout=BACK_MS)
    wait_unsent(tab_b, 0, timeout=BACK_MS)
    assert [r["new_percentage"] for r in web_rows(company.owner, first["id"])] == [45, 30]
    assert [r["new_percentage"] for r in web_rows(company.owner, second["id"])] == [80]
    assert len(answered) == 3, answered  # one request per change: no double send


def test_a_change_from_a_closed_tab_is_sent_when_the_app_is_reopened(srv, context):
    company = Company(srv)
    employee = company.user()
    task = company.task(employee)
    page = offline_page(context, srv, employee)
    page.get_by_role("button", name="Done").click()
    page.get_by_role("button", name="Open").click()
    task_card(page, task["id"]).get_by_role("button", name="Mark complete").click()
    wait_unsent(page, 1)
    page.close()
    srv.start()
    again = context.new_page()
    again.goto(srv.url + "/app/")
    wait_ready(again)
    wait_unsent(again, 0, timeout=BACK_MS)
    rows = web_rows(company.owner, task["id"])
    assert [(r["new_percentage"], r["new_status"]) for r in rows] == [(100, "DONE")]


def test_an_expired_session_sends_to_login_and_keeps_the_outbox(srv, context):
    company = Company(srv)
    employee = company.user()
    task = company.task(employee)
    page = open_app(context, srv.url, employee)
    context.set_offline(True)
    report(page, task["id"], 20)
    wait_unsent(page, 1)
    # A password change ends every session of the user: the page's cookie is now dead.
    ended = company.owner.patch("/api/admin/users/%d/" % employee.user["id"],
                                {"password": USER_PASSWORD})
    assert ended.status_code == 200, ended.text
    context.set_offline(False)
    page.wait_for_url(re.compile(r".*/login\?next=%2Fapp%2F"))
    assert outbox_size(page) == 1 and web_rows(company.owner, task["id"]) == []
    page.fill("#username", employee.user["username"])
    page.fill("#password", USER_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(srv.url + "/app/")
    # The header may say "0 unsent" before the reloaded page has read its outbox: wait for the
    # row itself, then check that it arrived once.
    deadline = time.monotonic() + BACK_MS / 1000
    while not web_rows(company.owner, task["id"]):
        assert time.monotonic() < deadline, "the kept update was never delivered"
        page.wait_for_timeout(100)
    wait_unsent(page, 0, timeout=BACK_MS)
    assert [r["new_percentage"] for r in web_rows(company.owner, task["id"])] == [20]
