"""ISO weeks ("2026-W49") and days: parsing, their bounds as naive UTC instants, what they hold."""
import datetime
import re

from server.services.core.errors import ValidationError
from server.services.language.text import _l

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
ONE_DAY = datetime.timedelta(days=1)


def parse_week(value, field="week"):
    """The Monday of an ISO week named like 2026-W49, or 400 naming the field."""
    found = WEEK.match(value) if isinstance(value, str) else None
    if found is None:
        raise ValidationError(_l("%(field)s must be an ISO week like 2026-W49", field=field), field)
    year, number = int(found.group(1)), int(found.group(2))
    try:
        return datetime.date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValidationError(_l("%(field)s: %(year)s has no week %(number)d",
                                 field=field, year=year, number=number), field) from None


def week_name(day):
    """The ISO week a date (or instant) falls in: 2026-W49."""
    year, number, _ = day.isocalendar()
    return "%04d-W%02d" % (year, number)


def monday(day):
    day = day.date() if isinstance(day, datetime.datetime) else day
    return day - datetime.timedelta(days=day.weekday())


def instant(day):
    """Midnight (UTC) starting the date."""
    return datetime.datetime.combine(day, datetime.time())


def week_span(first_day):
    """[start, end) of the week starting on the Monday `first_day`, as instants."""
    return instant(first_day), instant(first_day + datetime.timedelta(days=7))


def days_of(first_day, count=7):
    return [first_day + datetime.timedelta(days=offset) for offset in range(count)]


def weeks_meeting(start, end):
    """The names of the weeks the span [start, end] touches (an entry: one, or two at Sunday midnight)."""
    names, day = [], monday(start)
    while instant(day) <= end:
        names.append(week_name(day))
        day += datetime.timedelta(days=7)
    return names


def parse_day(value, field):
    """A date written YYYY-MM-DD, or 400 naming the field."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        raise ValidationError(_l("%(field)s must be a date like 2026-12-07", field=field), field)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_l("%(field)s is not a date", field=field), field) from None


def spoken_week(first_day):
    """How people name a week: "the week of 30 November 2026" (a Text: said in the reader's
    language where it is shown)."""
    return _l("the week of %(monday)s", monday=first_day)
