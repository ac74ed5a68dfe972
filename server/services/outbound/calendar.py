"""Calendar feeds: a secret URL per user (only its hash stored) and what it serves (RFC 5545): a
VTODO per open dated task for task-aware apps, and a VEVENT on its due date for the calendars
that show no VTODOs in a subscription (Google Calendar, Outlook)."""
import base64
import datetime
import hashlib
import hmac
import secrets

import icalendar

from server.store.models import User
from server.store.outbox_models import AppSecret, CalendarFeed
from server.store.times import utcnow
from server.services.core.errors import NotFound
from server.services.tasks.view import fetch
from server.services.people import scope as scope_rule
from server.services.language.reader import Reader
from server.services.language.text import _l

ICAL_STATUS = {"PENDING": "NEEDS-ACTION", "IN_PROGRESS": "IN-PROCESS"}
OPEN_DATED = "t.status IN ('PENDING', 'IN_PROGRESS') AND t.due_date IS NOT NULL"
KINDS = ("todos", "events")  # what a feed holds: both unless `?only=` names one
EVENT_LENGTH = datetime.timedelta(minutes=30)  # a timed due date's slot in a day view
DAY_END = datetime.time(23, 59, 59)  # a due date given without a time (validate.parse_datetime)


def _key(configured):
    """The key feed tokens are derived from: the setting, else one generated once and kept."""
    if configured:
        return configured.encode()
    row = AppSecret.get_or_none(AppSecret.name == "calendar_key")
    if row is None:
        row = AppSecret.create(name="calendar_key", value=secrets.token_hex(32))
    return row.value.encode()


def _token(key, user_id, salt):
    """256 bits, URL-safe: recomputed from the key and the row's salt, so the owner can see their
    URL again while the table keeps only its hash."""
    mac = hmac.new(key, b"%d:%s" % (user_id, salt.encode()), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def token_for(user_id, configured_key, now=None):
    """The user's feed token, made on first request (a write: run it in the writer)."""
    key, row = _key(configured_key), CalendarFeed.get_or_none(CalendarFeed.user == user_id)
    if row is None:
        return rotate(user_id, configured_key, now)
    token = _token(key, user_id, row.salt)
    if row.token_hash != token_hash(token):  # the configured key changed: the URL did too
        CalendarFeed.update(token_hash=token_hash(token)).where(CalendarFeed.user == user_id).execute()
    return token


def rotate(user_id, configured_key, now=None):
    """A new token; the old URL answers 404 from this commit on."""
    salt = secrets.token_hex(16)
    token = _token(_key(configured_key), user_id, salt)
    CalendarFeed.insert(user=user_id, salt=salt, token_hash=token_hash(token),
                        created_at=now or utcnow()).on_conflict(
        conflict_target=[CalendarFeed.user],
        update={CalendarFeed.salt: salt, CalendarFeed.token_hash: token_hash(token)}).execute()
    return token


def owner_of(token):
    """The active user a token belongs to, or NotFound (the same for a wrong and a rotated one)."""
    user = (User.select().join(CalendarFeed, on=(CalendarFeed.user == User.id))
            .where(CalendarFeed.token_hash == token_hash(token), User.is_active == True)  # noqa: E712
            .first())
    if user is None:
        raise NotFound(_l("no such calendar"))
    return user


def feed(token, base_url, now=None, kinds=KINDS, defaults=("en", "UTC")):
    """The feed's bytes: open dated tasks (the owner's own; an admin's, every one), each as a
    VTODO and as a VEVENT, or only as the `kinds` named; in the owner's language and time zone
    (`defaults`: the settings' default_locale and default_time_zone for one who chose none)."""
    user = owner_of(token)
    reader = Reader(user.locale or defaults[0], user.time_zone or defaults[1])
    rule = scope_rule.of(user)  # an admin's: every task; a lead's: the teams'; else one's own
    where, params = scope_rule.task_filter(rule)
    where = OPEN_DATED + " AND " + where
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Progress Tracker//Tasks//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", reader.gettext("Tasks of %(name)s",
                                           name=one_line(user.full_name or user.username)))
    cal.add("x-wr-timezone", reader.zone_name)
    host = base_url.split("://", 1)[-1]
    for task in fetch(where, params, now):
        if "todos" in kinds:
            cal.add_component(vtodo(task, base_url, host, rule.staff, reader))
        if "events" in kinds:
            cal.add_component(vevent(task, base_url, host, rule.staff, reader))
    cal.add_missing_timezones()  # the VTIMEZONE of the owner's zone, as RFC 5545 wants
    return cal.to_ical()


def one_line(value):
    """A value for a one-line property: every line break (CR, LF, U+2028, …) becomes a space.
    icalendar refuses some and passes a lone CR through raw, which ends the property early."""
    return " ".join(value.splitlines())


def _utc(text):
    return datetime.datetime.fromisoformat(text).astimezone(datetime.timezone.utc)


def vtodo(task, base_url, host, admin, reader):
    todo = icalendar.Todo()
    page = "%s/dashboard/tasks/%d/" % (base_url, task["id"]) if admin else "%s/" % base_url
    todo.add("uid", "task-%d@%s" % (task["id"], host))
    todo.add("sequence", task["version"])
    todo.add("dtstamp", _utc(task["updated_at"]))
    todo.add("due", _utc(task["due_date"]).astimezone(reader.zone))  # the owner's day and hour
    todo.add("summary", one_line(task["title"]))
    text = "\n".join(task["description"].splitlines())  # a lone CR would pass through raw
    todo.add("description", (text + "\n\n" if text else "") + page)
    todo.add("url", page)
    todo.add("status", ICAL_STATUS[task["status"]])
    todo.add("percent-complete", task["progress_percentage"])
    todo.add("priority", {"URGENT": 1, "HIGH": 3, "MEDIUM": 5, "LOW": 7}.get(task["priority"], 0))
    return todo


def vevent(task, base_url, host, admin, reader):
    """The due date as an event: all day when the task was given a date without a time (due at
    the end of that day, UTC), else a short slot starting at the due time. Transparent: it
    blocks nobody's free/busy time."""
    event = icalendar.Event()
    page = "%s/dashboard/tasks/%d/" % (base_url, task["id"]) if admin else "%s/" % base_url
    due = _utc(task["due_date"])
    event.add("uid", "task-%d-due@%s" % (task["id"], host))  # never the VTODO's UID
    event.add("sequence", task["version"])
    event.add("dtstamp", _utc(task["updated_at"]))
    if due.time() == DAY_END:
        event.add("dtstart", due.date())
        event.add("dtend", due.date() + datetime.timedelta(days=1))
    else:
        event.add("dtstart", due.astimezone(reader.zone))  # the owner's day and hour
        event.add("dtend", (due + EVENT_LENGTH).astimezone(reader.zone))
    event.add("summary", reader.gettext("Due: %(title)s (%(percent)d %%)", title=task["title"],
                                        percent=task["progress_percentage"]))
    event.add("description", (task["description"] + "\n\n" if task["description"] else "") + page)
    event.add("url", page)
    event.add("transp", "TRANSPARENT")
    return event
