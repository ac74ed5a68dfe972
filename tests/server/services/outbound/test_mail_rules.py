"""The mail rules with an injected clock, on SQLite and PostgreSQL: queued in the event's
transaction, once-only kinds, the digest hour in its zone, backoff and leases, signed tokens; and
the SMTP transport against a real server (a refusal is permanent, the rest still goes)."""
import datetime

import pytest

from server.services.outbound.mail_sender import SmtpTransport, build_message, parse_smtp_url
from server.services.people import auth
from server.services.outbound import mail, webhook_outbox as outbox
from server.services.record import eventlog
from server.services.tasks import tasks
from server.services.core.errors import NotFound
from server.store import txn
from server.store.database import db
from server.store.models import User
from server.store.outbox_models import Mail, MailMark
from server.store.times import as_time, utcnow
from support.smtp import Mailbox, parts

CONFIG = mail.Config("https://t.example", "Europe/Berlin", 8)
WINTER = datetime.datetime(2030, 1, 7, 6, 0, 0)  # a Monday; Berlin is UTC+1
OWNER = "test-worker"


def write(fn, *args, config=CONFIG):
    """Run fn as the writer does: one transaction, with the mail consumer make_app subscribes."""
    txn.begin()
    eventlog.consumers.subscribe("mail", mail.consumer(config))
    try:
        with db.atomic():
            return fn(*args)
    finally:
        eventlog.consumers.subscribe("mail", None)
        txn.end()


def at(**delta):
    return WINTER + datetime.timedelta(**delta)


@pytest.fixture
def people(database):
    admin = write(auth.create_user, "boss", "Boss", "ADMIN", "x", "boss@example.com")
    employee = write(auth.create_user, "worker", "Worker", "EMPLOYEE", "x", "worker@example.com")
    return admin, employee


def new_task(admin, employee, **fields):
    body = dict({"title": "Report", "assignee_id": employee.id}, **fields)
    return write(tasks.create, admin, tasks.parse_new_task(body))


def kinds(user=None):
    query = Mail.select().order_by(Mail.id)
    if user is not None:
        query = query.where(Mail.user == user.id)
    return [m.kind for m in query]


def test_the_mail_is_part_of_the_events_transaction(people):
    admin, employee = people

    def refused_after_writing():
        tasks.create(admin, tasks.parse_new_task({"title": "No", "assignee_id": employee.id}))
        raise RuntimeError("refused after the event was written")
    with pytest.raises(RuntimeError):
        write(refused_after_writing)
    assert kinds() == []
    new_task(admin, employee)
    assert kinds(employee) == ["assigned"]


def test_without_smtp_url_nothing_is_queued(people):
    admin, employee = people
    assert mail.config_of({"smtp_url": ""}) is None
    write(tasks.create, admin, tasks.parse_new_task({"title": "Quiet", "assignee_id": employee.id}),
          config=None)
    assert kinds() == []


def test_overdue_is_sent_once_per_due_date(people):
    admin, employee = people
    task = new_task(admin, employee, due_date="2020-01-01T10:00:00Z")
    assert kinds(employee) == ["assigned", "overdue"]
    for hours in (1, 2, 30):
        write(mail.sweep, CONFIG, at(hours=hours))
    assert kinds(employee) == ["assigned", "overdue"]
    write(tasks.edit, admin, task["id"], tasks.parse_edit({"due_date": "2020-02-01T10:00:00Z"}))
    assert kinds(employee) == ["assigned", "overdue", "overdue"]  # a new due date warns again


def test_a_task_turning_overdue_with_time_alone_is_found_by_the_sweep(people):
    admin, employee = people
    due = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(days=400)
    new_task(admin, employee, due_date=due.isoformat() + "Z")
    write(mail.sweep, CONFIG, due - datetime.timedelta(minutes=1))
    assert "overdue" not in kinds(employee)
    write(mail.sweep, CONFIG, due + datetime.timedelta(minutes=1))
    write(mail.sweep, CONFIG, due + datetime.timedelta(minutes=2))
    assert kinds(employee).count("overdue") == 1


def test_the_digest_comes_at_the_hour_in_its_zone_once_a_day(people):
    admin, employee = people
    write(auth.create_user, "quiet_admin", "Quiet", "ADMIN", "x")  # no address: no digest
    assert write(mail.sweep, CONFIG, at(minutes=59)) == 0  # 07:59 in Berlin
    assert write(mail.sweep, CONFIG, at(hours=1)) == 1  # 08:00 in Berlin, 07:00 UTC
    assert write(mail.sweep, CONFIG, at(hours=3)) == 0
    assert write(mail.sweep, CONFIG, at(days=1, hours=1, minutes=30)) == 1  # the next day
    digests = Mail.select().where(Mail.kind == "digest").order_by(Mail.id)
    assert [(m.recipient, m.subject[:23]) for m in digests] == [
        ("boss@example.com", "Daily digest 2030-01-07"), ("boss@example.com", "Daily digest 2030-01-08")]
    assert kinds(employee) == []


def test_backoff_after_a_temporary_failure_and_at_once_failed_on_a_refusal(people):
    admin, employee = people
    new_task(admin, employee)
    new_task(admin, employee)
    now = utcnow()  # the mails were queued at the real time of their events
    later = lambda seconds: now + datetime.timedelta(seconds=seconds)  # noqa: E731
    first, second = write(mail.claim, OWNER, now)
    assert write(mail.claim, "other", later(1)) == []  # leased to OWNER
    write(mail.record, OWNER, [(first.id, "cannot reach the mail server", False),
                               (second.id, "refused 550: no such mailbox", True)], now, 20.0)
    row, refused = Mail.get_by_id(first.id), Mail.get_by_id(second.id)
    assert refused.status == "failed" and refused.attempts == 1
    assert row.status == "pending" and row.attempts == 1
    retry = as_time(row.next_attempt_at)
    assert later(10) <= retry <= later(20)
    assert write(mail.claim, OWNER, later(5)) == []
    [again] = write(mail.claim, OWNER, retry)
    write(mail.record, OWNER, [(again.id, "still down", False)], retry + mail.RETRY_FOR, 20.0)
    assert Mail.get_by_id(first.id).status == "failed"  # 72 h of trying: given up


def test_a_lease_that_ran_out_goes_to_another_worker_and_the_late_outcome_is_ignored(people):
    admin, employee = people
    new_task(admin, employee)
    now = utcnow()
    [claimed] = write(mail.claim, OWNER, now)
    [taken] = write(mail.claim, "other", now + mail.LEASE * 2)
    write(mail.record, OWNER, [(claimed.id, "", False)], now + mail.LEASE * 3, 20.0)
    assert Mail.get_by_id(taken.id).status == "pending"  # OWNER no longer held it
    write(mail.record, "other", [(taken.id, "", False)], now + mail.LEASE * 3, 20.0)
    assert Mail.get_by_id(taken.id).status == "sent"


def test_unsubscribe_tokens_are_signed_and_stop_one_kind(people):
    admin, employee = people
    new_task(admin, employee)
    token = Mail.get().unsubscribe_url.rsplit("/", 1)[1]
    user_id, kind, day, mac = token.split(".")
    for forged in ("%s.digest.%s.%s" % (user_id, day, mac), "%d.%s.%s.%s" % (admin.id, kind, day, mac),
                   "%s.%s.%s.%s" % (user_id, kind, day, mac[:-2] + "AA")):
        with pytest.raises(NotFound):
            write(mail.unsubscribe, forged)
    assert write(mail.unsubscribe, token)[1] == "assigned"
    assert write(mail.unsubscribe, token)[1] == "assigned"  # idempotent
    assert User.get_by_id(employee.id).mail_off == "assigned"
    new_task(admin, employee, due_date="2020-01-01T10:00:00Z")
    assert kinds(employee) == ["assigned", "overdue"]  # no second "assigned"; overdue still


@pytest.mark.parametrize("url", ["http://host", "smtp://", "mailto:x@y", "smtps:///nohost"])
def test_a_bad_smtp_url_is_refused_with_the_reason(url):
    with pytest.raises(ValueError, match="smtp_url"):
        parse_smtp_url(url)


def test_a_bad_time_zone_or_hour_stops_the_start():
    settings = {"smtp_url": "smtp://h", "mail_time_zone": "Mars/Olympus", "digest_hour": 8,
                "public_url": "", "address": "127.0.0.1", "port": 8000}
    with pytest.raises(ValueError, match="mail_time_zone"):
        mail.config_of(settings)
    with pytest.raises(ValueError, match="digest_hour"):
        mail.config_of(dict(settings, mail_time_zone="UTC", digest_hour=24))


def test_the_transport_sends_both_parts_and_a_refusal_is_permanent():
    box = Mailbox()
    box.refuse = {"gone@example.com"}
    created = datetime.datetime(2030, 1, 1, 12, 0, 0)
    batch = [mail.Outgoing(n, to, "Subject %d" % n, "plain %d\n" % n, "<p>html %d</p>" % n,
                           "https://t.example/unsubscribe/x", created)
             for n, to in enumerate(["a@example.com", "gone@example.com", "b@example.com"])]
    try:
        outcomes = SmtpTransport(box.url, "tracker@example.com").send_all(batch)
        assert [(i, bool(e), p) for i, e, p in outcomes] == [(0, False, False), (1, True, True),
                                                             (2, False, False)]
        got = box.wait_for(2)
        assert [m["To"] for m in got] == ["a@example.com", "b@example.com"]
        assert parts(got[0]) == ("plain 0\n", "<p>html 0</p>\n")
        assert got[0]["Message-ID"] == build_message(batch[0], "tracker@example.com")["Message-ID"]
    finally:
        box.close()


def test_sent_mails_and_old_digest_marks_are_pruned_and_the_rest_kept(people):
    admin, employee = people
    new_task(admin, employee, due_date="2020-01-01T10:00:00Z")  # assigned + overdue
    write(mail.sweep, CONFIG, utcnow().replace(hour=12))  # the admin's digest of today
    assigned, overdue, digest = Mail.select().order_by(Mail.id)
    now = utcnow()
    Mail.update(status="sent", finished_at=now).where(Mail.id.in_([assigned.id, digest.id])).execute()
    assert write(outbox.prune, now + datetime.timedelta(days=29), 30) == (0, 0)
    assert write(outbox.prune, now + datetime.timedelta(days=31), 30) == (0, 2)
    assert [m.id for m in Mail.select()] == [overdue.id]  # pending: kept, however old
    assert [k.key.split(":")[0] for k in MailMark.select()] == ["overdue"]  # still sent once
