"""E-mail notifications against a real SMTP server in this process (aiosmtpd): each kind arrives
once, to the right address, with both parts; markup stays text; unsubscribe stops one kind only."""
import datetime
import sqlite3
import uuid

import pytest
import requests

from support.client import Api, Company
from support.server import USER_PASSWORD, run_cli
from support.smtp import mailing_server, parts

USERS = "/api/admin/users/"



@pytest.fixture(scope="module")
def mail_server(tmp_path_factory, mailbox):
    srv = mailing_server(tmp_path_factory.mktemp("mail"), mailbox, TRACKER_SMTP_FROM="tracker@example.com",
                         TRACKER_DIGEST_HOUR="0", TRACKER_MAIL_BASE_URL="https://tracker.example.com")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def firm(mail_server):
    return Company(mail_server)


def person(firm, role="EMPLOYEE", email=True):
    """A user with (by default) an e-mail address of their own; returns (api, address)."""
    name = "%s_%s" % (role.lower(), uuid.uuid4().hex[:8])
    address = "%s@example.com" % name if email else None
    body = {"username": name, "full_name": name.title(), "role": role, "password": USER_PASSWORD}
    if address:
        body["email"] = address
    answer = firm.owner.post(USERS, body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["email"] == address and answer.json()["mail_unsubscribed"] == []
    return Api(firm.server.url).login(name, USER_PASSWORD), address


def subjects(mailbox, address):
    return [m["Subject"] for m in mailbox.to(address)]


def marker(firm, mailbox):
    """A mail sent after everything before it: once it arrived, the outbox has sent what came
    earlier (one worker, oldest first), so counting then is not racing the sender."""
    api, address = person(firm)
    firm.task(api, title="marker")
    mailbox.wait_for(1, where=lambda m: m["To"] == address)


def unsubscribe_link(message):
    return str(message["List-Unsubscribe"]).strip().strip("<>")


def in_hours(hours):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=hours)
    return at.isoformat(timespec="seconds")


def test_a_new_task_mails_its_assignee_once_with_both_parts_and_markup_escaped(firm, mailbox):
    employee, address = person(firm)
    title = '<b>Ship</b> & "<script>alert(1)</script>"'
    task = firm.task(employee, title=title, description="Line <i>one</i>")
    message = mailbox.wait_for(1, where=lambda m: m["To"] == address)[0]
    assert message["Subject"] == "New task for you: %s" % title
    assert message["From"] == "tracker@example.com"
    text, html = parts(message)
    assert title in text and "https://tracker.example.com/app/" in text
    assert "<script>" not in html and "<b>Ship" not in html and "<i>one" not in html
    assert "&lt;b&gt;Ship&lt;/b&gt; &amp; &quot;&lt;script&gt;" in html
    unsubscribe = unsubscribe_link(message)
    assert unsubscribe.startswith("https://tracker.example.com/unsubscribe/") and unsubscribe in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    marker(firm, mailbox)
    assert subjects(mailbox, address) == ["New task for you: %s" % title]
    assert task["assignee"]["id"] == employee.user["id"]


def test_a_title_with_line_breaks_makes_a_one_line_subject_and_still_goes_out(firm, mailbox):
    employee, address = person(firm)
    firm.task(employee, title="First line\r\nBcc: victim@example.com\tend")
    message = mailbox.wait_for(1, where=lambda m: m["To"] == address)[0]
    assert message["Subject"] == "New task for you: First line Bcc: victim@example.com end"
    assert message["Bcc"] is None and "First line\nBcc: victim" in parts(message)[0]  # the body keeps it


def test_reassignment_mails_the_new_assignee(firm, mailbox):
    first, first_address = person(firm)
    second, second_address = person(firm)
    task = firm.task(first, title="Hand over")
    answer = firm.owner.patch("/api/admin/tasks/%d/" % task["id"], {"assignee_id": second.user["id"]})
    assert answer.status_code == 200, answer.text
    message = mailbox.wait_for(1, where=lambda m: m["To"] == second_address)[0]
    assert message["Subject"] == "New task for you: Hand over"
    marker(firm, mailbox)
    assert subjects(mailbox, first_address) == ["New task for you: Hand over"]


def test_a_mention_mails_the_person_named(firm, mailbox):
    employee, address = person(firm)
    task = firm.task(employee, title="Quarterly <report>")
    mailbox.wait_for(1, where=lambda m: m["To"] == address)
    username = employee.user["username"]
    answer = firm.owner.post("/api/task/%d/comments/" % task["id"],
                             {"body": "@%s please check <em>this</em>" % username})
    assert answer.status_code == 201, answer.text
    message = mailbox.wait_for(1, where=lambda m: m["To"] == address and "mentioned" in m["Subject"])[0]
    assert message["Subject"] == "Root Owner mentioned you on \u201cQuarterly <report>\u201d"
    text, html = parts(message)
    assert "please check <em>this</em>" in text and "&lt;em&gt;this&lt;/em&gt;" in html


def test_overdue_and_at_risk_are_each_sent_once(firm, mailbox):
    employee, address = person(firm)
    late = firm.task(employee, title="Late one", due_date=in_hours(-2))
    risky = firm.task(employee, title="Risky one", due_date=in_hours(1), estimate_minutes=6000)
    mailbox.wait_for(1, where=lambda m: m["Subject"] == "Overdue: Late one")
    mailbox.wait_for(1, where=lambda m: m["Subject"] == "At risk: Risky one")
    for percent in (10, 20):  # more events, and sweeps, with the flags still on
        for task in (late, risky):
            answer = employee.post("/api/task/%d/progress/" % task["id"],
                                   {"progress_percentage": percent, "notes": "n"})
            assert answer.status_code == 200, answer.text
    marker(firm, mailbox)
    got = subjects(mailbox, address)
    assert got.count("Overdue: Late one") == 1 and got.count("At risk: Risky one") == 1
    assert "Overdue: Risky one" not in got


def test_the_digest_reaches_admins_with_an_address(firm, mailbox):
    firm.task(person(firm)[0], title="Digest <late>", due_date=in_hours(-1))
    _admin, address = person(firm, "ADMIN")  # digest_hour 0: due at the next sweep
    message = mailbox.wait_for(1, where=lambda m: m["To"] == address and "digest" in m["Subject"])[0]
    text, html = parts(message)
    assert message["Subject"].startswith("Daily digest ") and "open" in message["Subject"]
    assert "Digest <late>" in text and "Digest &lt;late&gt;" in html
    marker(firm, mailbox)
    assert sum("digest" in s for s in subjects(mailbox, address)) == 1


def test_a_user_without_an_address_gets_no_mail(firm, mailbox):
    employee, _none = person(firm, email=False)
    firm.task(employee, title="Nobody reads this", due_date=in_hours(-1))
    marker(firm, mailbox)
    assert not [m for m in mailbox.messages if "Nobody reads this" in m["Subject"]]


def test_unsubscribe_stops_only_that_kind(firm, mailbox):
    employee, address = person(firm)
    firm.task(employee, title="Before")
    link = unsubscribe_link(mailbox.wait_for(1, where=lambda m: m["To"] == address)[0])
    path = link.replace("https://tracker.example.com", "")
    page = requests.get(firm.server.url + path, timeout=10)
    assert page.status_code == 200 and "new tasks assigned to you" in page.text
    assert "unsubscribed" not in page.text  # a GET (a link scanner) changes nothing
    one_click = requests.post(firm.server.url + path, data={"List-Unsubscribe": "One-Click"}, timeout=10)
    assert one_click.status_code == 200 and 'id="unsubscribed"' in one_click.text
    user = [u for u in firm.owner.get(USERS + "?limit=500").json()["users"] if u["email"] == address][0]
    assert user["mail_unsubscribed"] == ["assigned"]
    firm.task(employee, title="After")
    firm.task(employee, title="Still late", due_date=in_hours(-1))
    mailbox.wait_for(1, where=lambda m: m["Subject"] == "Overdue: Still late")  # other kinds still come
    marker(firm, mailbox)
    assert "New task for you: After" not in subjects(mailbox, address)
    assert "New task for you: Still late" not in subjects(mailbox, address)
    assert path.rsplit(".", 1)[1] not in firm.server.log()  # the token never reaches the log


@pytest.mark.parametrize("token", ["1.assigned.AAAA", "1.nosuchkind.AAAA", "abc"])
def test_a_forged_unsubscribe_link_is_404_and_changes_nothing(firm, token):
    for method in ("GET", "POST"):
        answer = requests.request(method, firm.server.url + "/unsubscribe/" + token, timeout=10)
        assert answer.status_code == 404
    assert all(u["mail_unsubscribed"] == [] for u in firm.owner.get(USERS + "?limit=500").json()["users"]
               if u["username"] == "root")


@pytest.mark.parametrize("bad", ["no-at-sign", "a@b", "two@@example.com", "sp ace@example.com",
                                 "x@example.com\r\nBcc: y@example.com", 42, "a" * 250 + "@example.com"])
def test_a_bad_address_is_400_and_nothing_is_written(firm, bad):
    before = firm.owner.get(USERS + "?limit=500").json()["users"]
    name = "bad_%s" % uuid.uuid4().hex[:8]
    answer = firm.owner.post(USERS, {"username": name, "password": USER_PASSWORD, "email": bad})
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "email"
    target = [u for u in before if u["username"] != "root"][0]
    answer = firm.owner.patch(USERS + "%d/" % target["id"], {"email": bad})
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "email"
    assert firm.owner.get(USERS + "?limit=500").json()["users"] == before


def test_an_address_can_be_changed_and_cleared(firm):
    employee, _address = person(firm)
    url = USERS + "%d/" % employee.user["id"]
    assert firm.owner.patch(url, {"email": "new.one@example.org"}).json()["email"] == "new.one@example.org"
    assert firm.owner.patch(url, {"email": None}).json()["email"] is None


def test_adduser_takes_an_address_and_refuses_a_bad_one(tmp_path):
    url = "sqlite:///%s" % (tmp_path / "cli.db")
    made = run_cli("adduser", "mona", "--role", "ADMIN", "--password", "mona-quartz-lake-1",
                   "--email", "mona@example.com", db_url=url)
    assert "created ADMIN mona" in made.stdout
    with sqlite3.connect(str(tmp_path / "cli.db")) as conn:
        assert conn.execute("SELECT email FROM user WHERE username = 'mona'").fetchone() == ("mona@example.com",)
    bad = run_cli("adduser", "nico", "--role", "ADMIN", "--password", "nico-quartz-lake-1",
                  "--email", "nico@", db_url=url, check=False)
    assert bad.returncode == 2 and "email must be an e-mail address" in bad.stderr
