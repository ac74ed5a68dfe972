"""The pages over the demo company (`TRACKER_DEMO=true`): statistics with their charts and table,
live statistics, and the screenshots the README shows (written to artifacts/screenshots/)."""
import datetime
import re
import struct

import pytest
import requests
from playwright.sync_api import expect

from support.browser import (DEMO_ADMIN, SCREENSHOTS, WAIT_MS, PageErrors, browser,  # noqa: F401
                             context, sign_in, wait_live)
from support.client import Api

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def admin_api(demo):
    return Api(demo.url).login(*DEMO_ADMIN)


def sign_in_admin(context, demo, path):
    page = context.new_page()
    sign_in(page, demo.url, *DEMO_ADMIN, next_path=path)
    return page


def test_statistics_page_shows_its_charts_and_table_with_the_demo_data(demo, admin_api, context):
    stats = admin_api.get("/api/admin/statistics/?hours=24").json()
    page = sign_in_admin(context, demo, "/dashboard/tasks/statistics/")
    errors = PageErrors(page)
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == 4
    for index in range(4):
        chart = charts.nth(index)
        labelled = chart.get_attribute("aria-labelledby").split()
        texts = [page.locator("#" + ident).text_content().strip() for ident in labelled]
        assert all(texts), texts  # a title and a text alternative with the numbers
    assert page.locator("#status-svg-desc").text_content().startswith(
        "Pending: %d." % stats["status_distribution"]["PENDING"])
    assert page.locator("svg.chart.timeline rect.active").count() > 10  # the demo day has presence
    assert page.locator("svg.chart path.active").count() == 1
    assert page.inner_text("#completion-rate") == "%g %%" % stats["completion_rate"]
    rows = page.locator("#employee-table tbody tr")
    assert rows.count() == len(stats["employees"]) == 8
    first = stats["employees"][0]
    assert first["full_name"] in rows.first.inner_text()
    assert "%g %%" % first["average_progress"] in rows.first.inner_text()
    csv = page.get_attribute("a[href^='/api/admin/export/statistics.csv']", "href")
    assert csv == "/api/admin/export/statistics.csv?hours=24"
    download = page.request.get(demo.url + csv)  # with the page's session cookie
    assert download.status == 200 and download.headers["content-type"].startswith("text/csv")
    assert first["username"] in download.text()
    assert errors.errors == []


def test_statistics_follow_progress_reported_meanwhile(demo, admin_api, context):
    page = sign_in_admin(context, demo, "/dashboard/tasks/statistics/")
    wait_live(page)
    emma = Api(demo.url).login("emma", "employee-demo-pass")
    open_task = next(t for t in emma.get("/api/employee-tasks/").json()["tasks"]
                     if t["status"] in ("PENDING", "IN_PROGRESS"))
    assert emma.post("/api/task/%d/complete/" % open_task["id"], {"notes": "Wrapped up"}).status_code == 200
    rate = admin_api.get("/api/admin/statistics/").json()["completion_rate"]
    expect(page.locator("#completion-rate")).to_have_text("%g %%" % rate, timeout=WAIT_MS)


def test_the_task_page_lists_every_audit_row_and_the_chain_state(demo, admin_api, context):
    history = admin_api.get("/api/task/1/history/").json()["updates"]
    page = sign_in_admin(context, demo, "/dashboard/tasks/1/")
    rows = page.locator("#audit tbody tr")
    assert rows.count() == len(history)
    shown = rows.evaluate_all("rs => rs.map(r => Number(r.dataset.id))")
    assert shown == [u["id"] for u in history]
    newest = rows.first.inner_text()
    assert history[0]["user"]["full_name"] in newest and history[0]["notes"] in newest
    assert "%d %%" % history[0]["new_percentage"] in newest
    assert page.inner_text("#chain").strip() == "Hash chain intact"
    export = page.get_attribute("a[href^='/api/admin/export/audit.csv']", "href")
    assert export == "/api/admin/export/audit.csv?task=1"
    download = page.request.get(demo.url + export)
    assert download.status == 200 and history[0]["hash"] in download.text()
    assert_forecast_shown(page, admin_api.get("/api/admin/tasks/1/").json())


def seconds_between(later, earlier):
    parse = datetime.datetime.fromisoformat
    return (parse(later) - parse(earlier)).total_seconds()


def assert_forecast_shown(page, task):
    """The page's forecast line says what the API says: none yet, on track or at risk, and when."""
    forecast = page.locator("#forecast")
    if task["forecast_completion_at"] is None:
        expect(forecast).to_have_text("No forecast yet: too little progress history.")
        return
    expect(forecast).to_have_class(re.compile("forecast-risk" if task["at_risk"] else "forecast-ok"))
    expect(forecast).to_contain_text("At risk: forecast" if task["at_risk"] else "On track: forecast")
    shown = forecast.locator("time").first.get_attribute("datetime")
    assert abs(seconds_between(shown, task["forecast_completion_at"])) < 60  # it moves with now


def test_the_task_pages_show_each_kind_of_forecast(demo, admin_api, context):
    tasks = [t for t in admin_api.get("/api/admin/task-status/").json()["tasks"]
             if t["status"] in ("PENDING", "IN_PROGRESS")]
    kinds = {"none": [t for t in tasks if not t["forecast_completion_at"]],
             "at risk": [t for t in tasks if t["forecast_completion_at"] and t["at_risk"]],
             "on track": [t for t in tasks if t["forecast_completion_at"] and not t["at_risk"]]}
    assert all(kinds.values()), {kind: len(found) for kind, found in kinds.items()}
    for found in kinds.values():
        page = sign_in_admin(context, demo, "/dashboard/tasks/%d/" % found[0]["id"])
        assert_forecast_shown(page, found[0])
        page.close()


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_screenshots_of_every_screen(demo, browser):
    """Written for the README (docs/screenshots/ holds the committed copies)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = []
    for width, height, suffix in ((1280, 900, ""), (390, 844, "-phone")):
        ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        page = ctx.new_page()
        sign_in(page, demo.url, *DEMO_ADMIN)
        page.wait_for_selector("#grid .card")
        wait_live(page)
        screens = [("monitor", "/dashboard/tasks/monitor/", "#grid .card"),
                   ("monitor-grouped", "/dashboard/tasks/monitor/?group=employee", "#grid .group .card"),
                   ("monitor-table", "/dashboard/tasks/monitor/?view=table&group=project", "#grid tr[data-id]"),
                   ("assign", "/dashboard/tasks/assign/", "form[data-task-form]"),
                   ("statistics", "/dashboard/tasks/statistics/", "#employee-table"),
                   ("task", "/dashboard/tasks/1/", "#audit")]
        for name, path, ready in screens:
            page.goto(demo.url + path)
            page.wait_for_selector(ready)
            if name != "assign":
                wait_live(page)
            target = SCREENSHOTS / ("%s%s.png" % (name, suffix))
            page.screenshot(path=str(target), full_page=name in ("statistics", "task"))
            shots.append(target)
        ctx.close()
    for target in shots:
        w, h = png_size(target)
        assert w in (1280, 390) and h >= 800, (target, w, h)
    assert requests.get(demo.url + "/healthz", timeout=10).status_code == 200
