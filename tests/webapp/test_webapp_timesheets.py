"""The timesheet cycle in real Chromium: the employee submits their week in the web app, the
admin sends it back with a reason on the Timesheets page, the employee sees why and submits
again, the admin approves it (the week is locked: a correction is refused with period_locked)
and reopens it saying why; absences asked for in the app are decided on the Absences page."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from support.browser import WAIT_MS, PageErrors, browser, context, new_context, sign_in  # noqa: F401
from support.aging import backdate as backdate_task
from support.timer import ago, iso
from support.webapp import open_app, timer_button, wait_ready, wait_unsent, wait_worker

pytestmark = pytest.mark.browser


def open_week(page):
    page.locator("#week summary").click()
    expect(page.locator('[data-week="state"]')).not_to_be_empty(timeout=WAIT_MS)


def test_submit_reject_resubmit_approve_locked_reopen(server, company, context, browser):  # noqa: F811
    ann = company.user()
    task = company.task(ann, title="Week work")
    backdate_task(server, task["id"])  # entries may not start before their task was created
    entry = ann.post("/api/task/%d/time-entries/" % task["id"],
                     {"started_at": iso(ago(1)), "ended_at": iso(ago(0.2))}).json()
    page = open_app(context, server.url, ann)
    errors = PageErrors(page)
    open_week(page)
    state = page.locator('[data-week="state"]')
    expect(state).to_have_text("Not submitted yet")
    page.locator('[data-week="submit"]').click()
    expect(state).to_have_text("Submitted, waiting for approval", timeout=WAIT_MS)
    expect(page.locator('[data-week="submit"]')).to_be_hidden()

    admin_context = new_context(browser)
    try:
        admin = admin_context.new_page()
        sign_in(admin, server.url, next_path="/dashboard/timesheets/")
        row = admin.locator("#timesheets tr", has_text=ann.user["full_name"])
        row.get_by_label("Why send it back").fill("Friday <b>is</b> missing")
        row.get_by_role("button", name="Send back").click()
        expect(admin.locator(".notice-ok")).to_have_text("Sent back with your reason.")

        page.reload()
        open_week(page)
        expect(state).to_have_text("Sent back to you")
        expect(page.locator('[data-week="reason"]')).to_have_text("Reason: Friday <b>is</b> missing")
        page.locator('[data-week="submit"]').click()
        expect(state).to_have_text("Submitted, waiting for approval", timeout=WAIT_MS)

        admin.goto(server.url + "/dashboard/timesheets/")
        admin.locator("#timesheets tr", has_text=ann.user["full_name"]).get_by_role(
            "button", name="Approve").click()
        expect(admin.locator(".notice-ok")).to_have_text("Approved.")
        page.reload()
        open_week(page)
        expect(state).to_have_text("Approved: this week is locked")
        refused = ann.patch("/api/time-entries/%d/" % entry["id"], {"note": "late"})
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "period_locked"

        year, number, _ = datetime.datetime.fromisoformat(entry["started_at"]).isocalendar()
        admin.goto(server.url + "/dashboard/timesheets/?week=%04d-W%02d" % (year, number))
        row = admin.locator("#timesheets tr", has_text=ann.user["full_name"])
        row.get_by_label("Why reopen it").fill("Payroll correction")
        row.get_by_role("button", name="Reopen").click()
        expect(admin.locator(".notice-ok")).to_have_text("Reopened.")
        assert ann.patch("/api/time-entries/%d/" % entry["id"], {"note": "late"}).status_code == 200
    finally:
        admin_context.close()
    assert errors.errors == [] and errors.dialogs == []


def test_days_off_asked_in_the_app_are_decided_on_the_absences_page(server, company, context,
                                                                    browser):  # noqa: F811
    ann = company.user()
    page = open_app(context, server.url, ann)
    open_week(page)
    start = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    page.locator("#off-kind").select_option("vacation")
    page.locator("#off-from").fill(start)
    page.get_by_role("button", name="Ask for these days off").click()
    expect(page.locator('[data-week="offstatus"]')).to_have_text("Asked; your lead decides.")
    expect(page.locator('[data-week="absences"] li')).to_contain_text("requested")
    admin_context = new_context(browser)
    try:
        admin = admin_context.new_page()
        sign_in(admin, server.url, next_path="/dashboard/absences/")
        admin.locator("#absences tr", has_text=ann.user["full_name"]).get_by_role(
            "button", name="Approve").click()
        expect(admin.locator(".notice-ok")).to_have_text("Approved.")
    finally:
        admin_context.close()
    page.reload()
    open_week(page)
    expect(page.locator('[data-week="absences"] li')).to_contain_text("approved")


def test_a_timer_run_offline_into_a_week_approved_meanwhile_is_refused_and_kept(server, company,
                                                                               context):  # noqa: F811
    ann = company.user()
    task = company.task(ann, title="Offline week")
    backdate_task(server, task["id"])
    made = ann.post("/api/task/%d/time-entries/" % task["id"],
                    {"started_at": iso(ago(3)), "ended_at": iso(ago(2))})
    assert made.status_code == 201, made.text
    page = open_app(context, server.url, ann)
    wait_worker(page)
    context.set_offline(True)
    timer_button(page, task["id"]).click()
    expect(page.locator("#timer-elapsed")).to_have_text(re.compile(r"^0:00:0[2-9]$"))
    page.get_by_role("button", name="Stop timer").first.click()
    wait_unsent(page, 1)
    year, number, _ = datetime.datetime.fromisoformat(made.json()["started_at"]).isocalendar()
    sheet = ann.post("/api/me/timesheets/%04d-W%02d/submit/" % (year, number)).json()
    assert company.owner.post("/api/timesheets/%d/approve/" % sheet["id"]).status_code == 200
    context.set_offline(False)
    item = page.locator("#refused-list li")
    expect(item).to_contain_text("approved and locked", timeout=60000)
    expect(item).to_contain_text("Offline week")
    page.reload()
    wait_ready(page)
    expect(page.locator("#refused-list li")).to_contain_text("approved and locked")
    assert [e["id"] for e in ann.get("/api/task/%d/time-entries/" % task["id"]).json()["entries"]] == [
        made.json()["id"]]
