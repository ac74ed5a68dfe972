"""Timesheet reminders through the mail outbox, found by the mail sweep from `digest_hour` (in
`mail_time_zone`) on: an employee whose past week holds time but is not submitted (once per week),
an approver with submitted sheets waiting (once per day). Each is a kind one can unsubscribe from."""
import datetime
import zoneinfo

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


def _due_letter(config, first_day):
    words = spoken_week(first_day)
    return Letter("Please submit your timesheet for %s" % words, "Your timesheet for %s" % words,
                  ["Your time for %s is recorded but not submitted yet. Check it and submit it so "
                   "that it can be approved." % words], "Open my week", config.base_url + "/app/", [])


def _waiting_letter(config, sheets):
    rows = [Row("%s, %s" % (sheet.user.full_name or sheet.user.username, spoken_week(sheet.starts_on)),
                "submitted", config.base_url + "/dashboard/timesheets/") for sheet in sheets[:ROWS]]
    count = len(sheets)
    return Letter("%d timesheet%s wait%s for your approval" % (count, "" if count == 1 else "s",
                                                              "s" if count == 1 else ""),
                  "Timesheets to approve", ["These weeks were submitted and wait for you."],
                  "Open the timesheets", config.base_url + "/dashboard/timesheets/", rows)


def sweep(config, now):
    """Queue the reminders that came due; returns how many mails were queued."""
    local = now.replace(tzinfo=datetime.timezone.utc).astimezone(zoneinfo.ZoneInfo(config.zone))
    if local.hour < config.digest_hour:
        return 0
    today = local.date()
    last_week = today - datetime.timedelta(days=today.weekday() + 7)
    queued = 0
    for user_id in _unsubmitted(last_week):
        if mail.first_time("sheet_due:%d:%s" % (user_id, week_name(last_week)), now):
            queued += mail.queue(config, user_id, "sheet_due",
                                 lambda _admin: _due_letter(config, last_week), now) is not None
    waiting = list(Timesheet.select(Timesheet, User).join(User, on=(Timesheet.user == User.id))
                   .where(Timesheet.state == "submitted").order_by(Timesheet.starts_on))
    if not waiting:
        return queued
    for approver in User.select().where(User.is_active == True, User.email.is_null(False)):  # noqa: E712
        approves = scope.approves(approver)
        theirs = [sheet for sheet in waiting if approves(sheet.user_id)]
        if theirs and mail.first_time("sheet_waiting:%d:%s" % (approver.id, today), now):
            queued += mail.queue(config, approver.id, "sheet_waiting",
                                 lambda _admin: _waiting_letter(config, theirs), now) is not None
    return queued


