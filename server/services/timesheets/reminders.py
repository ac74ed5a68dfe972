"""Timesheet reminders through the mail outbox, found by the mail sweep from `digest_hour` (in
each person's time zone) on: an employee whose past week holds time but is not submitted (once per
week), an approver with submitted sheets waiting (once per day). Each is a kind one can unsubscribe
from, written in its reader's language."""
import datetime

from server.store.models import TimeEntry, User
from server.store.timesheet_models import Timesheet, Workday
from server.services.outbound import mail
from server.services.outbound.letters import Letter, Row
from server.services.periods import scope
from server.services.periods.weeks import spoken_week, week_name, week_span

ROWS = 25


def _unsubmitted(first_day):
    """The active people with time in the week starting `first_day` and no submitted sheet."""
    start, end = week_span(first_day)
    worked = {row.user_id for row in TimeEntry.select(TimeEntry.user).where(
        TimeEntry.deleted_at.is_null(), TimeEntry.started_at >= start, TimeEntry.started_at < end)}
    worked |= {row.user_id for row in Workday.select(Workday.user).where(
        Workday.day >= first_day, Workday.day < first_day + datetime.timedelta(days=7))}
    handed_in = {row.user_id for row in Timesheet.select(Timesheet.user).where(
        Timesheet.week == week_name(first_day), Timesheet.state.in_(("submitted", "approved")))}
    return sorted(worked - handed_in)


def _due_letter(config, first_day, reader):
    _, week = reader.gettext, reader.say(spoken_week(first_day))
    return Letter(_("Please submit your timesheet for %(week)s", week=week),
                  _("Your timesheet for %(week)s", week=week),
                  [_("Your time for %(week)s is recorded but not submitted yet. Check it and submit "
                     "it so that it can be approved.", week=week)],
                  _("Open my week"), config.base_url + "/app/", [])


def _waiting_letter(config, sheets, reader):
    rows = [Row(reader.gettext("%(person)s, %(week)s", person=sheet.user.full_name or sheet.user.username,
                               week=reader.say(spoken_week(sheet.starts_on))),
                reader.gettext("submitted"), config.base_url + "/dashboard/timesheets/")
            for sheet in sheets[:ROWS]]
    return Letter(reader.ngettext("%(num)s timesheet waits for your approval",
                                  "%(num)s timesheets wait for your approval", len(sheets)),
                  reader.gettext("Timesheets to approve"),
                  [reader.gettext("These weeks were submitted and wait for you.")],
                  reader.gettext("Open the timesheets"), config.base_url + "/dashboard/timesheets/", rows)


def _last_weeks(now):
    """The Mondays of "last week" somewhere on Earth now (zones lie within a day of UTC)."""
    days = [now.date() + datetime.timedelta(days=shift) for shift in (-1, 0, 1)]
    return sorted({day - datetime.timedelta(days=day.weekday() + 7) for day in days})


def _due_after_hour(config, user_id, now):
    """The person's local date when it is past digest_hour in their zone, else None."""
    local = mail.local_now(config, User.get_by_id(user_id), now)
    return local.date() if local.hour >= config.digest_hour else None


def sweep(config, now):
    """Queue the reminders that came due; returns how many mails were queued."""
    queued = 0
    for week in _last_weeks(now):  # a person's "last week" follows their zone: one of these
        for user_id in _unsubmitted(week):
            today = _due_after_hour(config, user_id, now)
            if today is None or today - datetime.timedelta(days=today.weekday() + 7) != week:
                continue
            if mail.first_time("sheet_due:%d:%s" % (user_id, week_name(week)), now):
                queued += mail.queue(config, user_id, "sheet_due", lambda _admin, reader: (
                    _due_letter(config, week, reader)), now) is not None
    waiting = list(Timesheet.select(Timesheet, User).join(User, on=(Timesheet.user == User.id))
                   .where(Timesheet.state == "submitted").order_by(Timesheet.starts_on))
    if not waiting:
        return queued
    for approver in User.select().where(User.is_active == True, User.email.is_null(False)):  # noqa: E712
        approves = scope.approves(approver)
        theirs = [sheet for sheet in waiting if approves(sheet.user_id)]
        today = _due_after_hour(config, approver.id, now) if theirs else None
        if today and mail.first_time("sheet_waiting:%d:%s" % (approver.id, today), now):
            queued += mail.queue(config, approver.id, "sheet_waiting", lambda _admin, reader: (
                _waiting_letter(config, theirs, reader)), now) is not None
    return queued


