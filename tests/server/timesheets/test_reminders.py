"""Timesheet reminders through the real mail outbox and a real SMTP server in this process: an
employee's past week with time but not submitted, once; an approver's waiting sheets; each kind
can be unsubscribed from on its own."""
import datetime
import uuid

import pytest

from support.client import Api, Company
from support.aging import backdate as backdate_task
from support.server import USER_PASSWORD
from support.smtp import mailing_server, parts
from support.timer import iso



@pytest.fixture(scope="module")
def server(tmp_path_factory, mailbox):
    srv = mailing_server(tmp_path_factory.mktemp("mail"), mailbox, TRACKER_DIGEST_HOUR="0",
                         TRACKER_MAIL_BASE_URL="https://tracker.example.com")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def company(server):
    return Company(server)


def person(company, role="EMPLOYEE"):
    name = "%s_%s" % (role.lower(), uuid.uuid4().hex[:8])
    answer = company.owner.post("/api/admin/users/", {
        "username": name, "full_name": name.title(), "role": role, "password": USER_PASSWORD,
        "email": "%s@example.com" % name})
    assert answer.status_code == 201, answer.text
    return Api(company.server.url).login(name, USER_PASSWORD), "%s@example.com" % name


def last_sunday_evening():
    today = datetime.datetime.now(datetime.timezone.utc).date()
    sunday = today - datetime.timedelta(days=today.weekday() + 1)
    return datetime.datetime.combine(sunday, datetime.time(23, 0))


def test_an_unsubmitted_past_week_and_waiting_sheets_are_reminded(company, server, mailbox):
    ann, ann_address = person(company)
    task = company.task(ann)
    backdate_task(server, task["id"])
    start = last_sunday_evening()
    made = ann.post("/api/task/%d/time-entries/" % task["id"],
                    {"started_at": iso(start), "ended_at": iso(start + datetime.timedelta(minutes=30))})
    assert made.status_code == 201, made.text
    due = mailbox.wait_for(1, where=lambda m: m["To"] == ann_address
                           and "timesheet" in m["Subject"])[0]
    assert due["Subject"].startswith("Please submit your timesheet for the week of")
    text, html = parts(due)
    assert "https://tracker.example.com/app/" in text and "unsubscribe" in text.lower()
    assert "<" not in due["Subject"] and html

    _lead, lead_address = person(company, "ADMIN")
    year, number, _ = start.isocalendar()
    assert ann.post("/api/me/timesheets/%04d-W%02d/submit/" % (year, number)).status_code == 200
    waiting = mailbox.wait_for(1, where=lambda m: m["To"] == lead_address
                               and "approval" in m["Subject"])[0]
    assert waiting["Subject"] == "1 timesheet waits for your approval"
    assert ann.user["full_name"] in parts(waiting)[0]
    assert sum("submit your timesheet" in m["Subject"] for m in mailbox.to(ann_address)) == 1
