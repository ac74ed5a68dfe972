"""Zoom to 200 % and a 320 px window: nothing lost sideways, no text below 12 px, on every page."""
import pytest

from support.a11y import overflow, small_text
from support.browser import DEMO_ADMIN, browser, new_context, sign_in  # noqa: F401

pytestmark = pytest.mark.browser
PAGES = ["/dashboard/tasks/monitor/", "/dashboard/tasks/monitor/?view=table",
         "/dashboard/tasks/monitor/?group=employee", "/dashboard/tasks/assign/",
         "/dashboard/tasks/statistics/", "/dashboard/tasks/1/", "/dashboard/webhooks/",
         "/dashboard/users/"]
# 320 CSS px is WCAG's reflow width; 640 is a 1280 px window at 200 % zoom
WIDTHS = [320, 640, 1280]


@pytest.fixture(scope="module", params=WIDTHS)
def sized(request, browser, demo):
    """A signed-in context at one window width (zoom is a narrower window in CSS pixels)."""
    ctx = new_context(browser)
    page = ctx.new_page()
    sign_in(page, demo.url, *DEMO_ADMIN)
    page.set_viewport_size({"width": request.param, "height": 800})
    yield page
    ctx.close()


@pytest.mark.parametrize("path", PAGES)
def test_admin_pages_reflow(demo, sized, path):
    sized.goto(demo.url + path)
    sized.wait_for_load_state("load")
    if "monitor" in path:
        sized.wait_for_selector("#grid .card, #grid tr")
    assert overflow(sized) <= 0, "%s is wider than the window" % path
    assert small_text(sized) == []


def test_login_and_the_web_app_reflow(demo, browser):
    ctx = new_context(browser)
    try:
        page = ctx.new_page()
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(demo.url + "/login")
        assert overflow(page) <= 0 and small_text(page) == []
        sign_in(page, demo.url, "emma", "employee-demo-pass", next_path="/app/")
        page.wait_for_selector("#loading", state="hidden")
        assert overflow(page) <= 0 and small_text(page) == []
    finally:
        ctx.close()
