"""The web app tells a server it cannot reach from a browser that is offline: "Can't reach the
server" while the network is up and only the server is down, "Offline" when the browser is."""
import pytest
from playwright.sync_api import expect

from support.browser import WAIT_MS, browser, context, wait_live  # noqa: F401
from support.client import Company
from support.server import start_server
from support.webapp import open_app, wait_ready, wait_worker

pytestmark = pytest.mark.browser
UNREACHABLE = "Can't reach the server"


def test_server_down_is_not_called_offline(tmp_path, context):
    srv = start_server(tmp_path)
    try:
        employee = Company(srv).user()
        page = open_app(context, srv.url, employee)
        wait_worker(page)
        wait_live(page)
        srv.stop()
        badge = page.locator("#connection")
        expect(badge).to_contain_text(UNREACHABLE, timeout=WAIT_MS)
        page.reload()  # the service worker serves the app; its first load fails: still the server
        wait_ready(page)
        expect(badge).to_contain_text(UNREACHABLE, timeout=WAIT_MS)
        context.set_offline(True)
        expect(badge.locator(".conn-text")).to_have_text("Offline", timeout=WAIT_MS)
        context.set_offline(False)
    finally:
        srv.stop()
