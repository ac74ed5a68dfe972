"""Reading timesheets: one person's week with its days, entries and steps; the approvers' list."""
import datetime

from server.store.models import TimeEntry, User
from server.store.timesheet_models import SHEET_STATES, Timesheet, TimesheetStep, Workday
from server.store.times import iso
from server.services.core.errors import Forbidden, NotFound, ValidationError
from server.services.record.audit import user_brief
from server.services.time.rules import entry_dict
from server.services.timesheets import workday
from server.services.periods import scope
from server.services.absences import absences
from server.services.absences.holidays_of import holidays_between, place_of
from server.services.periods.weeks import days_of, parse_week, week_name, week_span
from server.services.language.text import _l

LOOKBACK = datetime.timedelta(days=2)  # the previous working day's last stop, for the rest rule


def _entries(user_id, start, end):
    return list(TimeEntry.select().where(
        TimeEntry.user == user_id, TimeEntry.deleted_at.is_null(), TimeEntry.started_at < end,
        TimeEntry.started_at >= start - LOOKBACK).order_by(TimeEntry.started_at))


def _spans(entries, now):
    return [(entry.started_at, entry.ended_at or now) for entry in entries]


def _steps(sheet):
    if sheet is None:
        return []
    query = (TimesheetStep.select(TimesheetStep, User).join(User, on=(TimesheetStep.actor == User.id))
             .where(TimesheetStep.timesheet == sheet.id).order_by(TimesheetStep.id))
    return [{"step": step.step, "by": user_brief(step.actor), "reason": step.reason,
             "at": iso(step.created_at)} for step in query]


def state_of(sheet):
    return sheet.state if sheet is not None else "draft"


def summary(sheet, owner, total_minutes=None):
    """The sheet's head, as lists and push events carry it."""
    return {"id": sheet.id if sheet else None, "week": sheet.week if sheet else None,
            "user": user_brief(owner), "state": state_of(sheet),
            "reason": sheet.reason if sheet else "",
            "submitted_at": iso(sheet.submitted_at) if sheet else None,
            "decided_at": iso(sheet.decided_at) if sheet else None,
            "total_minutes": total_minutes}


def build(owner, first_day, rules, now):
    """The whole week of `owner` starting on the Monday `first_day`."""
    start, end = week_span(first_day)
    sheet = Timesheet.get_or_none(Timesheet.user == owner.id, Timesheet.week == week_name(first_day))
    entries = _entries(owner.id, start, end)
    spans = _spans(entries, now)
    clocks = {row.day: row for row in Workday.select().where(
        Workday.user == owner.id, Workday.day >= first_day, Workday.day < first_day + datetime.timedelta(days=7))}
    days = workday.working_days(days_of(first_day), spans, clocks, rules,
                                workday.last_stop_before(spans, start))
    _mark_days_off(owner, first_day, days)
    in_week = [entry for entry in entries if entry.started_at >= start]
    answer = summary(sheet, owner, sum(day["work_minutes"] for day in days))
    answer.update(week=week_name(first_day), starts_on=first_day.isoformat(),
                  ends_on=(first_day + datetime.timedelta(days=6)).isoformat(), days=days,
                  entries=[entry_dict(entry, owner, now) for entry in in_week],
                  running=any(entry.ended_at is None for entry in in_week),
                  steps=_steps(sheet), locked=state_of(sheet) == "approved")
    return answer


def _mark_days_off(owner, first_day, days):
    """Each day says the owner's approved absence and the public holiday it falls on, if any."""
    last = first_day + datetime.timedelta(days=6)
    taken = absences.days_off([owner.id], first_day, last).get(owner.id, {})
    public = holidays_between(place_of(owner.id), first_day, last)
    for row in days:
        day = datetime.date.fromisoformat(row["date"])
        kind = taken.get(day)
        row["absence"] = {"kind": kind[0], "half_day": kind[1] < 1} if kind else None
        row["holiday"] = public.get(day)


def my_week(user, week, rules, now):
    first_day = parse_week(week) if week is not None else first_day_of(now)
    return build(user, first_day, rules, now)


def first_day_of(now):
    return (now - datetime.timedelta(days=now.weekday())).date()


def sheet_for(user, sheet_id):
    """A sheet the approver may decide on: 404 when it does not exist (or is not theirs to see)."""
    sheet = Timesheet.get_or_none(Timesheet.id == sheet_id)
    if sheet is None or not scope.may_read(user, sheet.user_id):  # outside the scope: as missing
        raise NotFound(_l("timesheet %(sheet_id)s does not exist", sheet_id=sheet_id))
    return sheet


def one(user, sheet_id, rules, now):
    sheet = sheet_for(user, sheet_id)
    return build(User.get_by_id(sheet.user_id), sheet.starts_on, rules, now)


def parse_list(args):
    week, state = args.get("week"), args.get("state")
    if state is not None and state not in SHEET_STATES:
        raise ValidationError(_l("state must be one of %(choices)s",
                                 choices=', '.join(SHEET_STATES)), "state")
    return {"first_day": parse_week(week) if week is not None else None, "state": state}


def listing(user, first_day, state):
    """The sheets of the people `user` approves: for a week every active person (draft ones
    without an id), else every sheet in `state` (default: submitted), oldest week first."""
    if not scope.may_review(user):
        raise Forbidden(_l("only leads and admins list timesheets"))
    if first_day is None:
        query = (Timesheet.select(Timesheet, User).join(User, on=(Timesheet.user == User.id))
                 .where(Timesheet.state == (state or "submitted"))
                 .order_by(Timesheet.starts_on, User.full_name))
        approves = scope.approves(user)
        rows = [(sheet, sheet.user) for sheet in query if approves(sheet.user_id)]
    else:
        sheets = {sheet.user_id: sheet for sheet in Timesheet.select().where(
            Timesheet.week == week_name(first_day))}
        people = User.select().where(User.is_active == True).order_by(User.full_name)  # noqa: E712
        approves = scope.approves(user)
        rows = [(sheets.get(person.id), person) for person in people
                if approves(person.id)
                and (state is None or state_of(sheets.get(person.id)) == state)]
    return [_listed(sheet, owner, first_day) for sheet, owner in rows]


def _listed(sheet, owner, first_day):
    day = sheet.starts_on if sheet is not None else first_day
    start, end = week_span(day)
    seconds = sum((min(e.ended_at, end) - max(e.started_at, start)).total_seconds()
                  for e in TimeEntry.select(TimeEntry.started_at, TimeEntry.ended_at).where(
                      TimeEntry.user == owner.id, TimeEntry.deleted_at.is_null(),
                      TimeEntry.started_at < end, TimeEntry.ended_at > start))
    answer = summary(sheet, owner, round(seconds / 60))
    answer.update(week=week_name(day), starts_on=day.isoformat())
    return answer

