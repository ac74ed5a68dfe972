"""The period lock: an approved week refuses every change to its entries (409 period_locked).

The time entry write paths call `check_open` as a call of its own, beside (not inside) the
`locked` rule on back-dated entries, so that both rules stay readable and can change apart."""
from server.store.timesheet_models import Timesheet
from server.services.core.errors import Conflict
from server.services.language.text import _l
from server.services.periods.weeks import weeks_meeting


class PeriodLocked(Conflict):
    code = "period_locked"


def locked_sheet(user_id, start, end=None):
    """The approved Timesheet of `user_id` that the span [start, end] (or the instant) meets."""
    names = weeks_meeting(start, end if end is not None and end > start else start)
    return Timesheet.get_or_none(Timesheet.user == user_id, Timesheet.week.in_(names),
                                 Timesheet.state == "approved")


def check_open(user_id, start, end=None, field="started_at"):
    """409 period_locked when the span (or instant) lies in an approved week of the person."""
    sheet = locked_sheet(user_id, start, end)
    if sheet is not None:
        raise PeriodLocked(_l("The week of %(monday)s (%(week)s) is approved and locked; an admin "
                              "can reopen it", monday=sheet.starts_on, week=sheet.week), field)
