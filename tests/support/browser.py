"""Browser fixtures for the admin page tests: Debian's Chromium driven by Playwright's sync API."""
import os
import re
from pathlib import Path

import pytest
import requests

from support.server import IN_CI, OWNER_PASSWORD, ROOT, ServerProcess, server_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DEMO_ADMIN = ("adam", "admin-demo-pass")
WAIT_MS = 8000  # "within a few seconds"


def require_chromium():
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail("Chromium is required under CI=true: apt-get install chromium")
        pytest.skip("browser tests need Debian's Chromium at %s (apt-get install chromium)" % CHROMIUM)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("browser tests need playwright (pip install -r requirements.txt)")


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_context(browser, **options):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    ctx.set_default_timeout(15000)
    return ctx


@pytest.fixture
def context(browser):
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def berlin_context(browser):
    """A browser whose clock is in Berlin (UTC+1, +2 in summer): local times differ from UTC
    whatever zone the machine running the tests is in."""
    ctx = new_context(browser, timezone_id="Europe/Berlin")
    yield ctx
    ctx.close()


class PageErrors:
    """Uncaught script errors and dialogs on a page: an XSS payload that runs shows up here."""

    def __init__(self, page):
        self.errors, self.dialogs = [], []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def sign_in(page, base_url, username="root", password=OWNER_PASSWORD, next_path=None):
    """Sign in through the login form; returns the page on the monitor (or `next_path`)."""
    url = base_url + "/login" + ("?next=" + next_path if next_path else "")
    page.goto(url)
    if "/login" not in page.url:
        return page  # this browser context is signed in already
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base_url) + (re.escape(next_path) if next_path
                                                         else "/dashboard/tasks/monitor/")))
    return page


def open_monitor(context, base_url, sockets=None, **login):
    """A signed-in monitor page; with a `sockets` list, every WebSocket it opens is added to it."""
    page = context.new_page()
    if sockets is not None:
        page.on("websocket", lambda socket: sockets.append(socket))
    sign_in(page, base_url, **login)
    page.wait_for_selector("#grid .card, #empty:not([hidden])")
    return page


def wait_closed(sockets):
    """Wait until every WebSocket in `sockets` has closed: a page with none open hears nothing."""
    assert sockets, "the page opened no WebSocket to watch"
    for socket in sockets:
        if not socket.is_closed():
            socket.wait_for_event("close", timeout=WAIT_MS)


def card(page, task_id):
    return page.locator("#task-%d" % task_id)


def wait_live(page, state="live"):
    page.wait_for_selector('#connection[data-state="%s"]' % state, timeout=WAIT_MS)


def form_session(base_url, username="root", password=OWNER_PASSWORD):
    """A requests.Session signed in through the HTML form (session cookie + _xsrf cookie)."""
    http = requests.Session()
    http.get(base_url + "/login", timeout=10)
    answer = http.post(base_url + "/login", data={"username": username, "password": password,
                                                  "_xsrf": http.cookies["_xsrf"]}, timeout=30)
    assert answer.status_code == 200, answer.text
    return http


def start_demo_server(tmp_path):
    """`python -m server serve` with TRACKER_DEMO=true on an empty database: the demo company, held
    still (no simulated activity) so the figures the tests compare do not move underneath them."""
    db_url = "sqlite:///%s" % Path(tmp_path, "demo.db")
    env = server_env(TRACKER_DEMO="true", TRACKER_DEMO_LIVE="false")
    return ServerProcess(db_url, Path(tmp_path, "demo.log"), env=env).start()
