"""Public holidays per team, over HTTP on a server whose company has no place of its own: a team
in Bavaria (DE, BY) gives its members and leads Bavaria's holidays on their sheets and in their
forecasts; a team without a country, a German team without a region and a viewer get none of
Bavaria's; of several teams with a country the first by name counts."""
import datetime
import math
import uuid

import holidays

from support.timer import ago, iso


def team(company, word, **place):
    made = company.owner.post("/api/admin/teams/", dict(place, name="%s %s" % (word, uuid.uuid4().hex[:6])))
    assert made.status_code == 201, made.text
    return made.json()


def join(company, found, person, role="member"):
    put = company.owner.request("PUT", "/api/admin/teams/%d/members/%d/" % (found["id"], person.user["id"]),
                                json={"role": role})
    assert put.status_code == 200, put.text


def epiphany(person):
    """The holiday on Wednesday 6 January 2027 (Epiphany: Bavaria's, not Germany's), and on the
    Tuesday before it, of the person's sheet."""
    days = {row["date"]: row for row in person.get("/api/me/timesheets/?week=2027-W01").json()["days"]}
    return days["2027-01-06"]["holiday"], days["2027-01-05"]["holiday"]


def test_a_team_in_bavaria_puts_its_holidays_on_its_peoples_sheets_and_nobody_elses(company):
    ann, lee, bob, dora, vic, zoe = (company.user() for _ in range(6))
    bavaria = team(company, "Aa Munich", country="DE", region="BY")
    for person, role in ((ann, "member"), (lee, "lead"), (vic, "viewer")):
        join(company, bavaria, person, role)
    join(company, team(company, "Plain"), bob)
    join(company, team(company, "Berlin", country="DE"), dora)
    join(company, team(company, "Zz Berlin", country="DE", region="BE"), zoe)
    join(company, team(company, "Aa Nuremberg", country="DE", region="BY"), zoe)
    for person in (ann, lee, zoe):
        found, before = epiphany(person)
        assert found and before is None  # the name is the library's, in the server's language
    for person in (bob, dora, vic):
        assert epiphany(person) == (None, None)


def next_bavarian_holiday():
    """The first weekday after today that is a public holiday in Bavaria."""
    day = ago(0).date()
    found = holidays.country_holidays("DE", subdiv="BY", years=range(day.year, day.year + 2))
    day += datetime.timedelta(days=1)
    while day not in found or day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def slow_estimator(company):
    """Someone whose estimates run 60 times long (a done task: a minute estimated, an hour
    tracked): an estimate of N minutes forecasts N hours, so a forecast can reach any holiday."""
    person = company.user()
    done, end = company.old_task(person, estimate_minutes=1), ago(120).replace(microsecond=0)
    entry = person.post("/api/task/%d/time-entries/" % done["id"], {
        "started_at": iso(end - datetime.timedelta(hours=1)), "ended_at": iso(end)})
    assert entry.status_code == 201, entry.text
    closed = person.post("/api/task/%d/complete/" % done["id"], {})
    assert closed.status_code == 200, closed.text
    found = company.owner.get("/api/admin/tasks/%d/" % done["id"]).json()
    assert (found["status"], found["tracked_minutes"]) == ("DONE", 60)
    return person


def forecast_of(company, task):
    found = company.owner.get("/api/admin/tasks/%d/" % task["id"]).json()
    return datetime.datetime.fromisoformat(found["forecast_completion_at"]), found["at_risk"]


def test_a_team_holiday_moves_the_forecast_past_it_and_at_risk_follows(company):
    ann = slow_estimator(company)
    holiday = next_bavarian_holiday()
    noon = datetime.datetime.combine(holiday, datetime.time(12), datetime.timezone.utc)
    hours = math.ceil((noon - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 3600)
    due = noon + datetime.timedelta(hours=12)  # the end of the holiday
    task = company.task(ann, estimate_minutes=hours, due_date=due.isoformat())
    before, at_risk = forecast_of(company, task)
    assert before.date() == holiday and at_risk is False
    bavaria = team(company, "Munich")
    join(company, bavaria, ann)
    assert forecast_of(company, task)[1] is False  # a team without a country moves nothing
    moved = company.owner.patch("/api/admin/teams/%d/" % bavaria["id"], {"country": "DE", "region": "BY"})
    assert moved.status_code == 200, moved.text
    after, at_risk = forecast_of(company, task)
    assert after - before >= datetime.timedelta(hours=23) and at_risk is True
    board = company.owner.get("/api/admin/task-status/?employee=%d" % ann.user["id"]).json()["tasks"]
    assert [row["at_risk"] for row in board if row["id"] == task["id"]] == [True]
