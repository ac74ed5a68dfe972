"""The integrations page in Chromium: add an endpoint (secret once), its log, redeliver, the feed."""
import sqlite3

import pytest
import requests
from playwright.sync_api import expect

from support.browser import browser, context, form_session, sign_in  # noqa: F401
from support.client import Company
from support.receiver import Receiver
from support.server import free_port, start_server
from support.wait import wait_until

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hook_server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("hookpage"), TRACKER_WEBHOOK_ALLOW_PRIVATE="true",
                       TRACKER_WEBHOOK_RETRY_SECONDS="0.2")
    yield srv
    srv.stop()


def test_an_admin_adds_an_endpoint_and_redelivers_from_the_page(hook_server, context):
    receiver = Receiver()
    try:
        page = context.new_page()
        sign_in(page, hook_server.url, next_path="/dashboard/webhooks/")
        page.fill("#f-url", receiver.url)
        page.fill("#f-description", "<b>ops</b>")
        page.click("form[action='/dashboard/webhooks/'] button[type=submit] >> text=Add endpoint")
        expect(page.locator("#created")).to_contain_text("shown this once")
        assert page.locator("#new-secret").input_value().startswith("whsec_")
        expect(page.locator("#webhooks")).to_contain_text("<b>ops</b>")  # escaped, shown as text
        company = Company(hook_server)
        company.task(company.user())
        receiver.wait_for(1)
        page.goto(hook_server.url + "/dashboard/webhooks/")
        assert page.locator("#new-secret").count() == 0  # never shown again
        page.click("#webhooks a")
        expect(page.locator("#deliveries tbody tr").first).to_contain_text("delivered")
        page.click("#deliveries button >> text=Redeliver")
        expect(page.locator("[role=status].notice-ok")).to_contain_text("redeliver")
        receiver.wait_for(2)
        feed = page.goto(hook_server.url + "/dashboard/webhooks/")
        assert feed.status == 200
        url = page.locator("#feed-url").input_value()
        assert requests.get(url, timeout=30).status_code == 200
        page.click("text=Rotate the address")
        expect(page.locator("[role=status].notice-ok")).to_contain_text("old one no longer works")
        assert requests.get(url, timeout=30).status_code == 404
    finally:
        receiver.close()


def test_a_private_target_is_shown_beside_the_field_and_forms_need_xsrf(server, company):
    http = form_session(server.url)
    answer = http.post(server.url + "/dashboard/webhooks/",
                       data={"url": "http://127.0.0.1:1/x", "_xsrf": http.cookies["_xsrf"]}, timeout=30)
    assert answer.status_code == 400 and "loopback" in answer.text
    assert company.owner.get("/api/admin/webhooks/").json()["webhooks"] == []
    forged = http.post(server.url + "/dashboard/webhooks/", data={"url": "https://1.1.1.1/x"}, timeout=30)
    assert forged.status_code == 403
    assert company.owner.get("/api/admin/webhooks/").json()["webhooks"] == []


def test_an_endpoint_disabled_after_a_day_of_failures_is_announced_on_the_open_page(hook_server, context):
    """The admins' push event reaches the open page: the 24 h are made to have passed by moving
    the endpoint's first failure back a day in the database file."""
    company = Company(hook_server)
    dead = "http://127.0.0.1:%d/gone" % free_port()
    answer = company.owner.post("/api/admin/webhooks/", {"url": dead, "events": ["task.created"]})
    assert answer.status_code == 201, answer.text
    hook_id = answer.json()["id"]
    page = context.new_page()
    sign_in(page, hook_server.url, next_path="/dashboard/webhooks/")
    expect(page.locator("#live-notices")).to_be_attached()
    company.task(company.user())
    wait_until(lambda: company.owner.get("/api/admin/webhooks/%d/" % hook_id).json()["failing_since"])
    with sqlite3.connect(hook_server.db_path, timeout=30) as conn:  # a day ago, and due now
        conn.execute("UPDATE webhook SET failing_since = datetime('now', '-25 hours') WHERE id = ?", (hook_id,))
        conn.execute("UPDATE delivery SET next_attempt_at = datetime('now', '-1 second') "
                     "WHERE webhook_id = ?", (hook_id,))
    notice = page.locator("#live-notices [data-webhook='%d']" % hook_id)
    expect(notice).to_contain_text("was disabled: disabled automatically", timeout=30000)
    expect(notice).to_contain_text(dead)
    assert company.owner.get("/api/admin/webhooks/%d/" % hook_id).json()["enabled"] is False


