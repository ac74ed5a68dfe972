"""A month of working time per person, as the PDF and XLSX reports print it: hours per day and
project, absences and holidays, each week's approval state. An employee gets their own only."""
import calendar
import datetime
import re

import peewee as pw

from server.store.models import Project, Task, TimeEntry, User
from server.store.timesheet_models import Timesheet
from server.services.core.errors import Forbidden, NotFound, ValidationError
from server.services.periods import scope
from server.services.people import scope as people_scope
from server.services.teams import reads
from server.services.absences import absences
from server.services.absences.holidays_of import holidays_between, place_of, team_places
from server.services.periods.weeks import ONE_DAY, instant, monday, week_name
from server.services.language.text import _l

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
NO_PROJECT = "No project"


def parse(args, user):
    """{first, last, people}: the month (YYYY-MM) and whose report: user=<id>, team=<id> (a team
    the caller reads), or everyone the caller reads (an employee: themselves)."""
    found = MONTH.match(args.get("month") or "")
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1970:
        raise ValidationError(_l("month must be like 2026-12"), "month")
    year, month = int(found.group(1)), int(found.group(2))
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return {"first": first, "last": last, "people": _people(user, args)}


def _people(user, args):
    rule, wanted = people_scope.of(user), args.get("user")
    if wanted is not None:
        if not re.match(r"^[0-9]{1,12}$", wanted):
            raise ValidationError(_l("user must be a user id"), "user")
        person = User.get_or_none(User.id == int(wanted))
        if person is None or not scope.may_read(user, person):  # outside the scope: as missing
            raise NotFound(_l("user %(wanted)s does not exist", wanted=wanted))
        return [person]
    team_id = reads.parse_team(rule, args)
    people = reads.people_of(rule, team_id)
    if people is None:  # an admin, the whole company
        return list(User.select().where(User.is_active == True).order_by(User.full_name))  # noqa: E712
    return list(User.select().where(User.id.in_(sorted(people)), User.is_active == True)  # noqa: E712
                .order_by(User.full_name))


def _minutes_by_day_and_project(person, first, last):
    start, end = instant(first), instant(last + ONE_DAY)
    query = (TimeEntry.select(TimeEntry.started_at, TimeEntry.ended_at, Project.name)
             .join(Task, on=(TimeEntry.task == Task.id))
             .join(Project, on=(Task.project == Project.id), join_type=pw.JOIN.LEFT_OUTER)
             .where(TimeEntry.user == person.id, TimeEntry.deleted_at.is_null(),
                    TimeEntry.ended_at.is_null(False), TimeEntry.started_at < end,
                    TimeEntry.ended_at > start).tuples())
    found = {}
    for started, ended, project in query:
        cursor = max(started, start)
        while cursor < min(ended, end):  # an entry over midnight counts on both days
            stop = min(ended, end, instant(cursor.date() + ONE_DAY))
            key = (cursor.date(), project or NO_PROJECT)
            found[key] = found.get(key, 0) + (stop - cursor).total_seconds() / 60
            cursor = stop
    return found


def person_month(person, first, last, places=None):
    minutes = _minutes_by_day_and_project(person, first, last)
    projects = sorted({project for _day, project in minutes})
    off = absences.days_off([person.id], first, last).get(person.id, {})
    public = holidays_between(place_of(person.id, places), first, last)
    days, day = [], first
    while day <= last:
        by_project = {p: round(minutes.get((day, p), 0)) for p in projects}
        taken = off.get(day)
        days.append({"date": day, "minutes": sum(by_project.values()), "by_project": by_project,
                     "absence": ("%s (half day)" % taken[0] if taken[1] < 1 else taken[0]) if taken else "",
                     "taken": taken, "holiday": public.get(day, "")})
        day += ONE_DAY
    return {"user": person, "days": days, "projects": projects,
            "total_minutes": sum(d["minutes"] for d in days),
            "project_minutes": {p: sum(d["by_project"][p] for d in days) for p in projects},
            "absence_days": sum(off[d][1] for d in off), "weeks": _weeks(person, first, last)}


def _weeks(person, first, last):
    names = []
    day = monday(first)
    while day <= last:
        names.append(week_name(day))
        day += datetime.timedelta(days=7)
    states = {sheet.week: sheet.state for sheet in Timesheet.select().where(
        Timesheet.user == person.id, Timesheet.week.in_(names))}
    return [(name, states.get(name, "draft")) for name in names]


def report(query):
    places = team_places([person.id for person in query["people"]])  # one query for everyone
    return {"first": query["first"], "last": query["last"],
            "people": [person_month(p, query["first"], query["last"], places) for p in query["people"]]}


def hours(minutes):
    """How the reports write a duration: 7:30 (hours and minutes)."""
    return "%d:%02d" % divmod(int(round(minutes)), 60)


def name_of(user):
    return user.full_name or user.username
