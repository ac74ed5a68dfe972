"""The monitor in real Chromium says "Away until …" on the cards of someone on approved leave
today, and nothing of the kind on a colleague's."""
import datetime

import pytest
from playwright.sync_api import expect

from support.browser import PageErrors, browser, card, context, open_monitor  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_cards_of_someone_on_leave_say_until_when(server, company, context):  # noqa: F811
    ann, bob = company.user(), company.user()
    away_task, here_task = company.task(ann, title="Away one"), company.task(bob, title="Here one")
    today = datetime.datetime.now(datetime.timezone.utc).date()
    last = today + datetime.timedelta(days=3)
    made = ann.post("/api/me/absences/", {"kind": "vacation", "starts_on": today.isoformat(),
                                          "ends_on": last.isoformat()}).json()
    assert company.owner.post("/api/absences/%d/approve/" % made["id"]).status_code == 200
    page = open_monitor(context, server.url)
    errors = PageErrors(page)
    occupancy = card(page, away_task["id"]).locator(".occ")
    expect(occupancy).to_contain_text("Away until")
    expect(occupancy).to_contain_text(str(last.day))
    expect(card(page, here_task["id"]).locator(".occ")).not_to_contain_text("Away")
    assert errors.errors == []
