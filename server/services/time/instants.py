"""A client's elapsed seconds ("the timer started 1,800 s before this request") turned into
instants on the server's clock, and the lock every non-admin's new entry obeys."""
import datetime
import math

from server.services.core import validate
from server.services.core.errors import Forbidden, ValidationError
from server.services.time.rules import CLOCK_SKEW, whole_seconds
from server.services.language.text import _l

TIMER_AGO = 12 * 3600  # a timer start or stop sent late is at most 12 h old (a timer's longest)
ENTRY_AGO = 366 * 24 * 3600  # an offline timer sent as an entry: at most a year (admins; others: the lock)


class Locked(Forbidden):
    """403: a non-admin's entry outside the window they may still write."""
    code = "locked"


def seconds_ago(data, field, most):
    """An optional elapsed time in seconds (a number from 0 to `most`), or None."""
    value = data.get(field)
    if value is None:
        return None
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or not 0 <= value <= most):
        raise ValidationError(_l("%(field)s must be a number of seconds from 0 to %(most)d",
                                 field=field, most=most), field)
    return value


def back(received, ago):
    """The instant `ago` seconds before the request arrived, to the second."""
    return whole_seconds(received - datetime.timedelta(seconds=ago))


def wall_clock(data, field, received):
    """A client's wall-clock instant, taken only as "now": within CLOCK_SKEW of the server's clock
    (then the server's own instant is used), else 400 asking for the elapsed form instead."""
    value = validate.optional_datetime(data, field)
    if value is None:
        return None
    if abs(value - received) > CLOCK_SKEW:
        raise ValidationError(_l("%(field)s is not within %(skew)d seconds of the server's clock: send "
                                 "%(ago_field)s (the seconds since then, from a clock that does not "
                                 "jump)", field=field, skew=CLOCK_SKEW.total_seconds(),
                                 ago_field=field.replace("_at", "_ago_seconds")), field)
    return whole_seconds(received)


def check_lock(user, task, start, lock_days, now):
    """403 `locked` unless an admin, or the entry starts within `lock_days` and not before the task
    existed: a person cannot add time where they could no longer correct it."""
    if getattr(user, "is_admin", False):
        return
    if start < now - datetime.timedelta(days=lock_days):
        raise Locked("entries starting more than %d days ago are locked; ask an admin" % lock_days,
                     "started_at")
    if start < whole_seconds(task.created_at):
        raise Locked("this entry starts before the task existed", "started_at")

