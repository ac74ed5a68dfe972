"""Presence from the web app page: ACTIVE while used, IDLE after 180 s without input (on an
injected clock), ACTIVE again on a touch, OFFLINE when the page is closed."""
import pytest

from support.browser import browser, context  # noqa: F401
from support.push import newest_id
from support.webapp import open_app, wait_occupancy

pytestmark = pytest.mark.browser


def heartbeat_of(status):
    return lambda request: (request.url.endswith("/api/heartbeat/")
                            and '"%s"' % status in (request.post_data or ""))


def test_the_page_reports_active_then_idle_then_active(server, company, context):
    employee = company.user()
    company.task(employee)
    context.clock.install()  # the page's clock: 180 s pass without waiting for them
    with context.expect_event("request", heartbeat_of("ACTIVE")):
        page = open_app(context, server.url, employee)
    after = newest_id(company.owner)
    with page.expect_request(heartbeat_of("IDLE")):
        page.clock.fast_forward("03:05")
    wait_occupancy(company.owner, employee.user["id"], "IDLE", after)
    after = newest_id(company.owner)
    with page.expect_request(heartbeat_of("ACTIVE")):
        page.locator("#tasks").click(position={"x": 5, "y": 5})
    wait_occupancy(company.owner, employee.user["id"], "ACTIVE", after)


def test_closing_the_page_reports_offline(server, company, context):
    employee = company.user()
    page = open_app(context, server.url, employee)
    after = newest_id(company.owner)
    page.close()
    wait_occupancy(company.owner, employee.user["id"], "OFFLINE", after)


def test_the_page_says_what_it_can_see(server, company, context):
    page = open_app(context, server.url, company.user())
    page.get_by_text("What this page can see of your presence").click()
    text = page.inner_text(".presence")
    assert "idle" in text and "3 minutes" in text and "cannot see your other apps" in text
