"""WCAG 2.2 AA on every page, checked by axe-core in Debian's Chromium over the demo company."""
import pytest

from support.a11y import assert_clean, audit_context, axe_source
from support.browser import DEMO_ADMIN, WAIT_MS, browser, sign_in  # noqa: F401
from support.client import Api
from support.server import ServerProcess, server_env

pytestmark = pytest.mark.browser
EMPLOYEE = ("emma", "employee-demo-pass")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    # the demo company held still; a webhook to this machine so the detail page has a target
    env = server_env(TRACKER_DEMO="true", TRACKER_WEBHOOK_ALLOW_PRIVATE="true")
    srv = ServerProcess("sqlite:///%s" % (folder / "demo.db"), folder / "demo.log", env=env).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def axe():
    return axe_source()


@pytest.fixture
def audited(browser):
    ctx = audit_context(browser)
    yield ctx
    ctx.close()


def admin_page(ctx, demo, path):
    page = ctx.new_page()
    sign_in(page, demo.url, *DEMO_ADMIN, next_path=path)
    return page


def test_login_page(demo, axe, audited):
    page = audited.new_page()
    page.goto(demo.url + "/login")
    assert_clean(page, axe)


def test_login_page_with_an_error(demo, axe, audited):
    page = audited.new_page()
    page.goto(demo.url + "/login")
    page.fill("#username", "adam")
    page.fill("#password", "wrong password")
    page.click("form button[type=submit]")
    page.wait_for_selector("#login-error")
    assert_clean(page, axe)


@pytest.mark.parametrize("view", ["cards", "table"])
def test_monitor_with_live_updates_arriving(demo, axe, audited, view):
    page = admin_page(audited, demo, "/dashboard/tasks/monitor/")
    page.wait_for_selector("#grid .card")
    page.click('button[data-view="%s"]' % view)
    page.wait_for_selector('#connection[data-state="live"]', timeout=WAIT_MS)
    emma = Api(demo.url).login(*EMPLOYEE)
    task = next(t for t in emma.get("/api/employee-tasks/").json()["tasks"]
                if t["status"] in ("PENDING", "IN_PROGRESS") and t["progress_percentage"] < 90)
    percent = task["progress_percentage"] + 7
    answer = emma.post("/api/task/%d/progress/" % task["id"],
                       {"progress_percentage": percent, "notes": "A live update"})
    assert answer.status_code == 200, answer.text
    page.wait_for_selector("#task-%d >> text=%d %%" % (task["id"], percent), timeout=WAIT_MS)
    assert_clean(page, axe)


def test_monitor_grouped_and_filtered(demo, axe, audited):
    page = admin_page(audited, demo, "/dashboard/tasks/monitor/")
    page.wait_for_selector("#grid .card")
    page.select_option("#pick-group", "employee")
    page.click('button[data-filter="IN_PROGRESS"]')
    page.wait_for_selector(".group-head")
    assert_clean(page, axe)


def test_assign_with_validation_errors_shown(demo, axe, audited):
    page = admin_page(audited, demo, "/dashboard/tasks/assign/")
    assert_clean(page, axe)
    page.click("form[data-task-form] button[type=submit]")
    page.wait_for_selector("[aria-invalid=true]")
    assert_clean(page, axe)


@pytest.mark.parametrize("path", ["/dashboard/tasks/statistics/", "/dashboard/tasks/1/",
                                  "/dashboard/webhooks/", "/dashboard/tasks/999999/",
                                  "/dashboard/timesheets/", "/dashboard/absences/"])
def test_admin_page(demo, axe, audited, path):
    page = admin_page(audited, demo, path)
    page.wait_for_load_state("load")
    assert_clean(page, axe)


def test_webhook_detail_page(demo, axe, audited):
    page = admin_page(audited, demo, "/dashboard/webhooks/")
    page.fill("#f-url", "ftp://127.0.0.1/tracker")  # a URL to the browser, refused by the server
    page.click("form[aria-labelledby=add-title] button[type=submit]")
    page.wait_for_selector("#f-url[aria-invalid=true]")
    assert_clean(page, axe)
    page.fill("#f-url", "http://127.0.0.1:9/tracker")
    page.click("form[aria-labelledby=add-title] button[type=submit]")
    page.wait_for_selector("#created")
    assert_clean(page, axe)
    page.click("#webhooks tbody a")
    page.wait_for_selector("#deliveries")
    assert_clean(page, axe)


def test_employee_web_app(demo, axe, audited):
    page = audited.new_page()
    sign_in(page, demo.url, *EMPLOYEE, next_path="/app/")
    page.wait_for_selector("#loading", state="hidden", timeout=WAIT_MS)
    assert_clean(page, axe)
