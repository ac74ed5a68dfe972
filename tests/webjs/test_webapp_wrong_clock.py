"""A device whose clock is three hours behind (issue 24 item 14): its timers record the time that
was worked, placed by the server's clock — online (nothing sent: the server stamps now) and
offline (elapsed seconds measured on the device)."""
import datetime

import pytest
from playwright.sync_api import expect

from support.browser import browser, context  # noqa: F401
from support.webapp import my_entries, open_app, timer_button, wait_unsent, wait_worker

pytestmark = pytest.mark.browser
BEHIND = datetime.timedelta(hours=3)


def server_now():
    return datetime.datetime.now(datetime.timezone.utc)


def placed(entry):
    start = datetime.datetime.fromisoformat(entry["started_at"].replace("Z", "+00:00"))
    return abs((server_now() - start).total_seconds())


def runs_for(page, seconds):
    page.wait_for_function("(s) => /^0:00:0[%d-9]$/.test(document.getElementById('timer-elapsed')"
                           ".textContent)".replace("%d", str(seconds)), arg=seconds)


@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
def test_a_device_three_hours_behind_records_the_seconds_worked(server, company, context, offline):
    context.clock.set_system_time(server_now() - BEHIND)  # the wall clock only: timers run
    employee = company.user()
    task = company.task(employee, title="Tune the heating")
    page = open_app(context, server.url, employee)
    wait_worker(page)
    context.set_offline(offline)
    timer_button(page, task["id"]).click()
    expect(page.locator("#timer-title")).to_have_text("Tune the heating")
    runs_for(page, 2)
    timer_button(page, task["id"]).click()
    expect(page.locator("#timer-running")).to_be_hidden()
    context.set_offline(False)
    wait_unsent(page, 0, timeout=60000)
    entry = my_entries(employee)["entries"][0]
    assert 2 <= entry["seconds"] <= 10, entry  # not three hours
    assert placed(entry) < 120, entry  # where the server's clock says it ran
