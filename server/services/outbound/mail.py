"""E-mail notifications: which event mails whom (queued in the event's own transaction), the
once-only kinds and the digest (found by a periodic sweep), unsubscribe tokens, and the outbox's
claims and outcomes. Sending is services/outbound/mail_sender.py's: nothing here talks SMTP."""
import base64
import collections
import datetime
import hashlib
import hmac
import secrets
import zoneinfo

from server.store.database import db, is_postgres, sql
from server.store.models import Task, User
from server.store.outbox_models import AppSecret, Mail
from server.store.times import as_time, db_time
from server.services.outbound import letters as compose
from server.services.core.backoff import retry_delay
from server.services.core.errors import NotFound
from server.services.tasks.view import OPEN_STATUSES, fetch
from server.settings import public_url
from server.store.times import utcnow
from server.services.outbound import mention_limits
from server.services.language.reader import Reader
from server.services.language.text import _l

KINDS = ("assigned", "mention", "at_risk", "overdue", "digest", "sheet_due", "sheet_waiting")
RETRY_FOR = datetime.timedelta(hours=72)  # then the mail is failed, like a webhook delivery
LEASE = datetime.timedelta(seconds=60)
BATCH = 10
# zone and locale: a recipient's who chose none (each mail is in its reader's language and zone)
Config = collections.namedtuple("Config", "base_url zone digest_hour locale", defaults=("en",))
Outgoing = collections.namedtuple("Outgoing", "id recipient subject text_body html_body "
                                  "unsubscribe_url created_at")


def config_of(settings):
    """The mail settings the write paths need, or None when no SMTP server is configured (then
    no mail is queued). A bad time zone or hour stops the start here."""
    if not settings["smtp_url"]:
        return None
    zone = settings["mail_time_zone"] or settings.get("default_time_zone", "UTC")
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError("mail_time_zone (TRACKER_MAIL_TIME_ZONE): %r is not an IANA time zone "
                         "such as Europe/Berlin" % zone) from None
    if not 0 <= int(settings["digest_hour"]) <= 23:
        raise ValueError("digest_hour (TRACKER_DIGEST_HOUR) must be 0 to 23")
    return Config(public_url(settings), zone, int(settings["digest_hour"]),
                  settings.get("default_locale", "en"))


def reader_of(config, user):
    """The language and zone a person's mails are written in: theirs, else the defaults."""
    return Reader(user.locale or config.locale, user.time_zone or config.zone)


# ---------------------------------------------------------------- unsubscribe tokens

def _key():
    """The key unsubscribe links are signed with: made once, kept in the database."""
    row = AppSecret.get_or_none(AppSecret.name == "mail_key")
    if row is None:
        row = AppSecret.create(name="mail_key", value=secrets.token_hex(32))
    return row.value.encode()


TOKEN_DAYS = 366  # an unsubscribe link works for a year after its mail; every mail has a new one
EPOCH = datetime.datetime(1970, 1, 1)


def _mac(key, user_id, kind, day):
    material = b"unsubscribe:%d:%s:%d" % (user_id, kind.encode(), day)
    return base64.urlsafe_b64encode(hmac.new(key, material, hashlib.sha256).digest()[:18]).decode()


def unsubscribe_token(user_id, kind, now):
    """user.kind.day.mac: the day (since 1970) it was made is signed too, so it expires."""
    day = (now - EPOCH).days
    return "%d.%s.%d.%s" % (user_id, kind, day, _mac(_key(), user_id, kind, day))


def _canonical(number):
    """Only one spelling of a number is signed: no sign, no leading zero (`02` is not `2`)."""
    return number.isascii() and number.isdigit() and str(int(number)) == number


def token_target(token, now):
    """(user, kind) a token unsubscribes; NotFound for anything not signed by this server, not in
    its one spelling, or older than TOKEN_DAYS."""
    parts = token.split(".")
    row = AppSecret.get_or_none(AppSecret.name == "mail_key")
    if (row is None or len(parts) != 4 or not all(map(_canonical, (parts[0], parts[2])))
            or parts[1] not in KINDS or not 0 <= (now - EPOCH).days - int(parts[2]) <= TOKEN_DAYS
            or not hmac.compare_digest(parts[3], _mac(row.value.encode(), int(parts[0]), parts[1],
                                                      int(parts[2])))):
        raise NotFound(_l("this unsubscribe link is not valid or has expired; the newest mail of this kind has one that works"))
    user = User.get_or_none(User.id == int(parts[0]))
    if user is None:
        raise NotFound(_l("this unsubscribe link is not valid"))
    return user, parts[1]


def kinds_off(user):
    return [kind for kind in (user.mail_off or "").split(",") if kind]


def unsubscribe(token, now=None):
    """Stop one kind of mail for the token's user; the others keep coming. Idempotent."""
    user, kind = token_target(token, now or utcnow())
    off = kinds_off(user)
    if kind not in off:
        User.update(mail_off=",".join(off + [kind])).where(User.id == user.id).execute()
    return user, kind


# ---------------------------------------------------------------- queueing

def _recipient(user_id, kind):
    user = User.get_or_none(User.id == user_id)
    if user is None or not user.is_active or not user.email or kind in kinds_off(user):
        return None
    return user


def queue(config, user_id, kind, letter_of, now):
    """Render and queue one mail, if the user takes this kind; `letter_of(admin, reader)`: the
    letter for an admin or not, in the reader's language and zone."""
    user = _recipient(user_id, kind)
    if user is None:
        return None
    unsubscribe_url = "%s/unsubscribe/%s" % (config.base_url, unsubscribe_token(user.id, kind, now))
    reader = reader_of(config, user)
    letter = letter_of(user.is_admin, reader)
    text, html = compose.render(letter, kind, unsubscribe_url, reader)
    return Mail.create(user=user.id, kind=kind, recipient=user.email, subject=compose.one_line(letter.subject),
                       text_body=text, html_body=html, unsubscribe_url=unsubscribe_url,
                       next_attempt_at=now, created_at=now)


def _first_time(key, now):
    """Remember `key`; True only the first time (in any process: the key is the primary key)."""
    cursor = db.execute_sql(sql('INSERT INTO mail_mark ("key", created_at) VALUES (?, ?) '
                                'ON CONFLICT DO NOTHING'), (key, db_time(now)))
    return cursor.rowcount == 1


first_time = _first_time  # for the once-only mails of other services (timesheet reminders)


def _task_mail(config, kind, user_id, task, now, make):
    link = lambda admin: compose.task_link(config.base_url, task, admin)  # noqa: E731
    return queue(config, user_id, kind, lambda admin, reader: make(task, link(admin), reader), now)


def _flags(config, task, now):
    """At risk and overdue, each once per task and due date (a new due date may warn again)."""
    if task["status"] not in OPEN_STATUSES or not task["due_date"]:
        return
    for kind, make in (("at_risk", compose.at_risk), ("overdue", compose.overdue)):
        flag = task["at_risk"] if kind == "at_risk" else task["is_overdue"]
        if flag and _first_time("%s:%d:%s" % (kind, task["id"], task["due_date"]), now):
            _task_mail(config, kind, task["assignee"]["id"], task, now, make)


def consumer(config):
    """The event log's consumer for `config` (make_app subscribes it); None without mail."""
    if config is None:
        return None
    return lambda event: on_event(config, event.type, event.body, event.subject_id,
                                  event.former_subject_id, event.at)


def on_event(config, type_, body, subject_id, former_subject_id, now):
    """The mails an event causes, in its transaction (its consumer() runs it for each event)."""
    task, comment = body.get("task"), body.get("comment")
    if task is None:
        return
    if type_ == "task.created" or (type_ == "task.changed" and former_subject_id
                                   and former_subject_id != subject_id):
        _task_mail(config, "assigned", task["assignee"]["id"], task, now, compose.assigned)
    if type_ == "comment.created" and comment:
        for person_id in mention_limits.recipients(comment, task, now):
            queue(config, person_id, "mention",
                  lambda admin, reader: compose.mention(task, comment, compose.task_link(
                      config.base_url, task, admin), reader), now)
    _flags(config, task, now)


SWEEPS = []  # more mails time alone brings (the timesheet reminders): make_app adds them


def sweep(config, now):
    """What time alone brings: tasks turning at risk or overdue, and digests come due. Runs in a
    write transaction; the marks make each mail go out once whichever process finds it."""
    for task in fetch("t.status IN ('PENDING', 'IN_PROGRESS') AND t.due_date IS NOT NULL", (), now):
        if task["at_risk"] or task["is_overdue"]:
            _flags(config, task, now)
    return _digests(config, now) + sum(more(config, now) for more in SWEEPS)


def local_now(config, user, now):
    """`now` (naive UTC) in the person's zone: their day and hour decide their digest."""
    return now.replace(tzinfo=datetime.timezone.utc).astimezone(reader_of(config, user).zone)


def _digests(config, now):
    """Each admin's digest once per day of theirs, from digest_hour on in their zone (a server
    that was down at that hour sends it when it is back)."""
    admins = User.select(User.id, User.locale, User.time_zone).where(
        User.role.in_(("ADMIN", "OWNER")), User.is_active == True,  # noqa: E712
        User.email.is_null(False))
    due = [(admin.id, local.date()) for admin in admins
           for local in [local_now(config, admin, now)]
           if local.hour >= config.digest_hour
           and _first_time("digest:%d:%s" % (admin.id, local.date()), now)]
    if not due:
        return 0
    open_tasks = fetch("t.status IN ('PENDING', 'IN_PROGRESS')", (), now)
    done = Task.select().where(Task.status == "DONE",
                               Task.completed_at >= now - datetime.timedelta(hours=24)).count()
    return sum(1 for user_id, day in due if queue(config, user_id, "digest", lambda _admin, reader: (
        compose.digest(open_tasks, done, config.base_url, day, reader)), now) is not None)


# ---------------------------------------------------------------- the outbox

def claim(owner, now, limit=BATCH):
    """Lease the mails due for this worker alone; each is sent by one process at a time."""
    lock = " FOR UPDATE SKIP LOCKED" if is_postgres() else ""
    ids = [row[0] for row in db.execute_sql(sql(
        "SELECT id FROM mail WHERE status = 'pending' AND next_attempt_at <= ? "
        "AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?" + lock),
        (db_time(now), db_time(now), limit)).fetchall()]
    if not ids:
        return []
    Mail.update(lease_until=now + LEASE, lease_owner=owner).where(Mail.id.in_(ids)).execute()
    return [Outgoing(m.id, m.recipient, m.subject, m.text_body, m.html_body, m.unsubscribe_url,
                     as_time(m.created_at))
            for m in Mail.select().where(Mail.id.in_(ids)).order_by(Mail.id)]


def record(owner, outcomes, now, base_seconds):
    """Write each attempt's outcome: [(mail id, error text or "", permanent)]. A temporary
    failure retries with backoff for up to 72 h; a permanent one (5xx) fails the mail at once."""
    for mail_id, error, permanent in outcomes:
        row = Mail.get_or_none(Mail.id == mail_id)
        if row is None or row.status != "pending" or row.lease_owner != owner:
            continue  # the lease ran out and another worker took it
        row.attempts += 1
        row.lease_until = row.lease_owner = None
        row.error = error[:500]
        if not error:
            row.status, row.finished_at = "sent", now
        elif permanent or now - as_time(row.created_at) >= RETRY_FOR:
            row.status, row.finished_at = "failed", now
        else:
            row.next_attempt_at = now + datetime.timedelta(seconds=retry_delay(row.attempts,
                                                                               base_seconds))
        row.save()


def depth():
    """Mails waiting to be sent (the outbox depth, for metrics)."""
    return Mail.select().where(Mail.status == "pending").count()
