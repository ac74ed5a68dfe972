"""One instant, two days (SPEC 11.4): a task due at 23:30 UTC on 1 May 2031 is due on 2 May for a
person in Auckland and on 1 May for one in Los Angeles, in each of their zones (not the browser's,
not the server's): the web app, the desktop, the calendar feed and the assignment mail. And the
estimate takes the decimal comma of the person's language."""
import datetime
import os
import re
import uuid

import icalendar
import pytest
import requests

from support.browser import browser, context, form_session  # noqa: F401  (fixtures here)
from support.client import Api, Company
from support.server import USER_PASSWORD, start_server
from support.smtp import Mailbox, parts
from support.webapp import open_app, task_card

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

DUE = "2031-05-01T23:30:00Z"
# zone -> the day the task is due there, as each place writes it in English
DAYS = {"Pacific/Auckland": ("May 2", datetime.date(2031, 5, 2)),
        "America/Los_Angeles": ("May 1", datetime.date(2031, 5, 1))}


@pytest.fixture(scope="module")
def mailbox():
    box = Mailbox()
    yield box
    box.close()


@pytest.fixture(scope="module")
def zoned(tmp_path_factory, mailbox):
    """A server that mails; one employee per zone, each with a task due at the same instant."""
    srv = start_server(tmp_path_factory.mktemp("zones"), TRACKER_SMTP_URL=mailbox.url,
                       TRACKER_SMTP_FROM="tracker@example.com", TRACKER_MAIL_RETRY_SECONDS="0.2",
                       TRACKER_MAIL_CHECK_SECONDS="0.3")
    firm = Company(srv)
    people = {}
    for zone in DAYS:
        name = "worker_%s" % uuid.uuid4().hex[:8]
        answer = firm.owner.post("/api/admin/users/", {
            "username": name, "full_name": name.title(), "role": "EMPLOYEE",
            "password": USER_PASSWORD, "email": "%s@example.com" % name})
        assert answer.status_code == 201, answer.text
        api = Api(srv.url).login(name, USER_PASSWORD)
        assert api.patch("/api/me/", {"time_zone": zone}).status_code == 200
        people[zone] = (api, firm.task(api, title="Ship the release", due_date=DUE))
    yield srv, people
    srv.stop()


def test_the_assignment_mail_names_the_day_in_the_assignees_zone(zoned, mailbox):
    _srv, people = zoned
    for zone, (written, _day) in DAYS.items():
        api, _task = people[zone]
        address = "%s@example.com" % api.user["username"]
        mail = mailbox.wait_for(1, where=lambda m, to=address: m["To"] == address)[0]
        text, html = parts(mail)
        assert re.search(r"due \w+, %s, 2031, .* \(%s\)" % (written, zone), text), text
        assert "%s, 2031" % written in html


def test_the_calendar_feed_puts_the_event_on_the_owners_day(zoned):
    _srv, people = zoned
    for zone, (_written, day) in DAYS.items():
        api, _task = people[zone]
        url = api.get("/api/me/calendar/").json()["url"]
        cal = icalendar.Calendar.from_ical(requests.get(url, timeout=30).content)
        event = next(iter(cal.walk("VEVENT")))
        start = event["dtstart"].dt
        assert start.date() == day and str(start.tzinfo) == zone
        assert start == datetime.datetime(2031, 5, 1, 23, 30, tzinfo=datetime.timezone.utc)
        assert str(cal["x-wr-timezone"]) == zone


def test_the_web_app_shows_the_day_in_the_persons_zone_not_the_browsers(zoned, browser):  # noqa: F811
    srv, people = zoned
    for zone, (written, _day) in DAYS.items():
        api, task = people[zone]
        ctx = browser.new_context(timezone_id="Europe/Berlin")  # the browser's zone is neither
        try:
            page = open_app(ctx, srv.url, api)
            due = task_card(page, task["id"]).text_content()
            assert "Due %s, 2031" % written in due, due
        finally:
            ctx.close()


def test_the_desktop_shows_the_day_in_the_zone_the_server_gives(zoned, qtbot, tmp_path):
    from desktop_client import language, storage
    from desktop_client.__main__ import learn_zone
    from desktop_client.api import Client
    from desktop_client.views.task_card import TaskCard
    srv, people = zoned
    try:
        for zone, (written, _day) in DAYS.items():
            api, task = people[zone]
            folder = tmp_path / zone.replace("/", "-")
            folder.mkdir()
            settings = storage.Settings(folder)
            learn_zone(Client(srv.url, api.token).profile(), settings)
            assert settings["time_zone"] == zone
            card = TaskCard(task)
            qtbot.addWidget(card)
            assert re.search(r"Due \w+, %s, " % written, card.due.text()), card.due.text()
    finally:
        language.current.use("en")


def test_the_estimate_takes_a_decimal_comma_in_german(zoned):
    srv, people = zoned
    api, task = people["Pacific/Auckland"]
    owner = form_session(srv.url)
    xsrf = owner.cookies["_xsrf"]
    owner.post(srv.url + "/language", data={"locale": "de", "next": "/", "_xsrf": xsrf})
    try:
        saved = owner.post(srv.url + "/dashboard/tasks/%d/" % task["id"], timeout=30, data={
            "_xsrf": xsrf, "title": task["title"], "assignee_id": str(api.user["id"]),
            "priority": "MEDIUM", "estimate": "1,5"})
        assert saved.status_code == 200 and 'lang="de"' in saved.text
        assert 'value="1,5"' in saved.text  # shown back as German writes it
        stored = [t for t in api.get("/api/employee-tasks/").json()["tasks"] if t["id"] == task["id"]]
        assert stored[0]["estimate_minutes"] == 90
    finally:
        Company(srv).owner.patch("/api/me/", {"locale": None})
