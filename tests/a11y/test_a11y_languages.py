"""Arabic and Japanese (issue 28): every page says its language; Arabic reads right to left with
nothing lost sideways on a 360 px phone; axe-core finds nothing in either language. Over the demo
company, its admin and its employee reading in the language under test. Screenshots of the monitor
and the web app in both languages go to artifacts/screenshots/."""
import pytest

from support.a11y import assert_clean, audit_context, axe_source, overflow
from support.browser import DEMO_ADMIN, SCREENSHOTS, browser, sign_in  # noqa: F401
from support.client import Api

pytestmark = pytest.mark.browser
EMPLOYEE = ("emma", "employee-demo-pass")
PAGES = ["/dashboard/tasks/monitor/", "/dashboard/tasks/monitor/?view=table",
         "/dashboard/tasks/assign/", "/dashboard/tasks/1/", "/dashboard/tasks/statistics/",
         "/dashboard/users/", "/dashboard/teams/", "/dashboard/projects/", "/dashboard/webhooks/",
         "/dashboard/timesheets/", "/dashboard/absences/", "/security"]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def axe():
    return axe_source()


@pytest.fixture(scope="module", params=["ar", "ja"])
def language(request, demo):
    """The demo's admin and employee reading in one language, then back in English."""
    people = [Api(demo.url).login(*DEMO_ADMIN), Api(demo.url).login(*EMPLOYEE)]
    for api in people:
        assert api.patch("/api/me/", {"locale": request.param}).status_code == 200
    yield request.param
    for api in people:
        api.patch("/api/me/", {"locale": None})


def opened(ctx, demo, path, who=DEMO_ADMIN):
    page = ctx.new_page()
    sign_in(page, demo.url, *who, next_path=path)
    page.wait_for_load_state("load")
    if "monitor" in path:
        page.wait_for_selector("#grid .card, #grid tr")
    if path == "/app/":
        page.wait_for_selector("#loading", state="hidden")
    return page


def direction(code):
    return "rtl" if code == "ar" else "ltr"


def test_the_login_page_in_the_browsers_language(demo, browser, axe):  # noqa: F811
    for code, locale in (("ar", "ar-EG"), ("ja", "ja-JP")):
        ctx = audit_context(browser, locale=locale, viewport=PHONE)
        try:
            page = ctx.new_page()
            page.goto(demo.url + "/login")
            assert page.get_attribute("html", "lang") == code
            assert page.get_attribute("html", "dir") == direction(code)
            assert overflow(page) <= 0
            assert_clean(page, axe)
        finally:
            ctx.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_says_its_language_and_fits_a_phone(demo, browser, language, path):  # noqa: F811
    ctx = audit_context(browser, viewport=PHONE)
    try:
        page = opened(ctx, demo, path)
        assert page.get_attribute("html", "lang") == language
        assert page.get_attribute("html", "dir") == direction(language)
        assert overflow(page) <= 0, "%s in %s is wider than a phone" % (path, language)
    finally:
        ctx.close()


@pytest.mark.parametrize("path", ["/dashboard/tasks/monitor/", "/dashboard/tasks/1/",
                                  "/dashboard/tasks/statistics/", "/dashboard/users/",
                                  "/dashboard/timesheets/", "/security"])
def test_axe_finds_nothing(demo, browser, axe, language, path):  # noqa: F811
    ctx = audit_context(browser)
    try:
        assert_clean(opened(ctx, demo, path), axe)
    finally:
        ctx.close()


def test_the_web_app_in_the_language_on_a_phone(demo, browser, axe, language):  # noqa: F811
    ctx = audit_context(browser, viewport=PHONE)
    try:
        page = opened(ctx, demo, "/app/", EMPLOYEE)
        assert page.get_attribute("html", "lang") == language
        assert page.get_attribute("html", "dir") == direction(language)
        assert overflow(page) <= 0
        assert_clean(page, axe)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / ("webapp-%s.png" % language)), full_page=True)
    finally:
        ctx.close()


def test_screenshot_of_the_monitor(demo, browser, language):  # noqa: F811
    ctx = audit_context(browser)
    try:
        page = opened(ctx, demo, "/dashboard/tasks/monitor/")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / ("monitor-%s.png" % language)))
    finally:
        ctx.close()
