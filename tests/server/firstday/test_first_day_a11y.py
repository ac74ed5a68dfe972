"""WCAG 2.2 AA (axe-core in Chromium) on what the first day adds: the fresh install's checklist,
with a refused project name, and the demo's banner on the monitor and in the web app."""
import pytest

from support.a11y import assert_clean, audit_context, axe_source
from support.browser import DEMO_ADMIN, browser, sign_in  # noqa: F401
from support.server import OWNER_PASSWORD, ServerProcess, server_env, start_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():
    return axe_source()


@pytest.fixture
def audited(browser):
    ctx = audit_context(browser, viewport={"width": 390, "height": 844})  # a phone: reflow too
    yield ctx
    ctx.close()


def test_the_checklist_with_a_refused_project_name(tmp_path, axe, audited):
    srv = start_server(tmp_path)
    try:
        page = audited.new_page()
        sign_in(page, srv.url, "root", OWNER_PASSWORD)
        page.wait_for_selector("#checklist")
        assert_clean(page, axe)
        page.click("#checklist .inline-form button[type=submit]")  # empty: the browser refuses
        page.evaluate("() => document.getElementById('cl-project').removeAttribute('required')")
        page.fill("#cl-project", " ")
        page.click("#checklist .inline-form button[type=submit]")
        page.wait_for_selector("#cl-project-error")
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
        assert_clean(page, axe)
    finally:
        srv.stop()


def test_the_demo_banner_on_the_monitor_and_in_the_web_app(tmp_path, axe, audited):
    env = server_env(TRACKER_DEMO="true", TRACKER_DEMO_LIVE="true", TRACKER_DEMO_ACTIVITY_SECONDS="600")
    srv = ServerProcess("sqlite:///%s" % (tmp_path / "demo.db"), tmp_path / "demo.log", env=env).start()
    try:
        page = audited.new_page()
        sign_in(page, srv.url, *DEMO_ADMIN)
        page.wait_for_selector("#demo-banner")
        assert_clean(page, axe)
        app = audited.new_page()
        app.goto(srv.url + "/app/")
        app.wait_for_selector("#demo-banner")
        assert app.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
        assert_clean(app, axe)
    finally:
        srv.stop()
