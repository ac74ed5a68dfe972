"""The web app shows the presence level while it reports, pauses and resumes, and its "My data"
section holds what admins see (with the ZIP download); axe-core clean on a desktop and a phone."""
import io
import zipfile

import pytest
from playwright.sync_api import expect

from support.a11y import assert_clean, audit_context, axe_source
from support.browser import SCREENSHOTS, WAIT_MS, browser  # noqa: F401
from support.privacy import fill, markers
from support.webapp import PHONE, open_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():
    return axe_source()


def employee_with_data(company):
    employee = company.user()
    fill(company, employee, {"username": employee.user["username"]})
    return employee


def presence_of(company, employee):
    people = company.owner.get("/api/admin/task-status/").json()["employees"]
    return next(p["occupancy_status"] for p in people if p["id"] == employee.user["id"])


def open_my_data(page):
    page.get_by_text("My data", exact=True).click()
    expect(page.locator("#mydata-body h3").first).to_be_visible(timeout=WAIT_MS)


def test_level_pause_and_my_data(server, company, browser, axe):
    employee = employee_with_data(company)
    ctx = audit_context(browser)
    try:
        page = open_app(ctx, server.url, employee)
        level = page.locator("#privacy-level-text")
        expect(level).to_contain_text("active, idle or offline", timeout=WAIT_MS)
        page.get_by_role("button", name="Pause").click()
        expect(level).to_contain_text("Paused", timeout=WAIT_MS)
        assert presence_of(company, employee) == "PAUSED"
        page.get_by_role("button", name="Resume").click()
        expect(level).to_contain_text("active, idle or offline", timeout=WAIT_MS)
        open_my_data(page)
        body = page.locator("#mydata-body")
        marks = markers({"username": employee.user["username"]})
        for text in (marks["note"], marks["edited"], marks["time"]):
            expect(body).to_contain_text(text)
        expect(body).to_contain_text("Progress per active hour")
        assert_clean(page, axe)
        with page.expect_download() as download:
            page.locator("#mydata-export").click()
        with open(download.value.path(), "rb") as handle:
            zipped = zipfile.ZipFile(io.BytesIO(handle.read()))
        assert marks["note"] in zipped.read("my-data.json").decode()
    finally:
        ctx.close()


def test_my_data_on_a_phone(server, company, browser, axe):
    employee = employee_with_data(company)
    ctx = audit_context(browser, **PHONE)
    try:
        page = open_app(ctx, server.url, employee)
        expect(page.locator("#privacy-level-text")).to_contain_text("active", timeout=WAIT_MS)
        open_my_data(page)
        assert_clean(page, axe)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator("#mydata").evaluate("el => el.scrollIntoView({block: 'start'})")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "webapp-mydata.png"))
    finally:
        ctx.close()
