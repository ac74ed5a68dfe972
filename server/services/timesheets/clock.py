"""A manual clock-in/out for a day without time entries (working time the law asks to record
even when no task was timed): set or cleared by its owner, refused in an approved week."""
import datetime

from server.store.models import TimeEntry, User
from server.store.timesheet_models import Workday
from server.store.times import iso, utcnow
from server.services.core import validate
from server.services.core.errors import Conflict, NotFound, ValidationError
from server.services.record import eventlog
from server.services.periods import lock
from server.services.timesheets.sheets import summary
from server.services.periods.weeks import ONE_DAY, instant, week_name
from server.services.time.rules import CLOCK_SKEW, whole_seconds
from server.services.language.text import _l

MAX_DAY = datetime.timedelta(hours=16)


def parse(data, day):
    """{clock_in, clock_out, break_minutes} for `day`: both on that day (UTC), out after in."""
    validate.require_object(data)
    validate.only_fields(data, ("clock_in", "clock_out", "break_minutes"))
    for field in ("clock_in", "clock_out"):
        if data.get(field) is None:
            raise ValidationError(_l("%(field)s is required", field=field), field)
    start = whole_seconds(validate.parse_datetime(data["clock_in"], "clock_in"))
    end = whole_seconds(validate.parse_datetime(data["clock_out"], "clock_out"))
    if start.date() != day:
        raise ValidationError(_l("clock_in must be on %(day)s", day=day.isoformat()), "clock_in")
    if end <= start:
        raise ValidationError(_l("clock_out must be after clock_in"), "clock_out")
    if end - start > MAX_DAY or end > instant(day + ONE_DAY):
        raise ValidationError(_l("clock_out must be on the same day, at most 16 hours later"), "clock_out")
    span = int((end - start).total_seconds() // 60)
    breaks = validate.integer(data, "break_minutes", 0, span, required=False) or 0
    return {"clock_in": start, "clock_out": end, "break_minutes": breaks}


def _has_entries(user_id, day):
    return TimeEntry.select().where(TimeEntry.user == user_id, TimeEntry.deleted_at.is_null(),
                                    TimeEntry.started_at < instant(day + ONE_DAY),
                                    TimeEntry.started_at >= instant(day)).exists()


def _announce(user, day, now):
    head = summary(None, user)
    head.update(week=week_name(day), step="clocked", date=day.isoformat())
    eventlog.append("timesheet.changed", subject_id=user.id, now=now, extra={"timesheet": head})


def put(user, day, fields, now=None):
    """Set the day's clock-in/out (a day with time entries takes its working time from them)."""
    now = now or utcnow()
    if fields["clock_out"] > now + CLOCK_SKEW:
        raise ValidationError(_l("clock_out is in the future"), "clock_out")
    lock.check_open(user.id, fields["clock_in"], fields["clock_out"], "clock_in")
    if _has_entries(user.id, day):
        raise Conflict(_l("this day has time entries: its working time comes from them"), "clock_in")
    row = Workday.get_or_none(Workday.user == user.id, Workday.day == day)
    if row is None:
        row = Workday(user=user, day=day, created_at=now)
    row.clock_in, row.clock_out, row.break_minutes = (fields["clock_in"], fields["clock_out"],
                                                      fields["break_minutes"])
    row.save()
    _announce(user, day, now)
    return {"date": day.isoformat(), "clock_in": iso(row.clock_in), "clock_out": iso(row.clock_out),
            "break_minutes": row.break_minutes}


def clear(user, day, now=None):
    now = now or utcnow()
    row = Workday.get_or_none(Workday.user == user.id, Workday.day == day)
    if row is None:
        raise NotFound(_l("no clock-in on %(day)s", day=day.isoformat()))
    lock.check_open(user.id, row.clock_in, row.clock_out, "clock_in")
    row.delete_instance()
    _announce(User.get_by_id(user.id), day, now)
