"""The calendar feed shows due dates in calendars that ignore VTODOs (Google Calendar, Outlook):
each open dated task is also a VEVENT, all day or timed; `?only=` picks one kind. Parsed back
with icalendar."""
import datetime

import icalendar
import requests


def feed(api, query=""):
    url = api.get("/api/me/calendar/").json()["url"]
    answer = requests.get(url + query, timeout=30)
    assert answer.status_code == 200, answer.text
    return icalendar.Calendar.from_ical(answer.content)


def by_title(cal, kind):
    return {str(c["summary"]).split(" (")[0].removeprefix("Due: "): c for c in cal.walk(kind)}


def test_due_dates_are_events_all_day_or_timed_beside_the_todos(company):
    worker = company.user()
    timed = company.task(worker, title="Timed due", due_date="2031-05-01T14:30:00Z",
                         description="Bring the keys")
    company.task(worker, title="Day due", due_date="2031-05-02")
    company.task(worker, title="Never due")
    done = company.task(worker, title="Done already", due_date="2031-05-03T09:00:00Z")
    assert worker.post("/api/task/%d/complete/" % done["id"], {}).status_code == 200
    worker.post("/api/task/%d/progress/" % timed["id"], {"progress_percentage": 40})
    cal = feed(worker)
    events, todos = by_title(cal, "VEVENT"), by_title(cal, "VTODO")
    assert sorted(events) == sorted(todos) == ["Day due", "Timed due"]
    event = events["Timed due"]
    assert event["dtstart"].dt == datetime.datetime(2031, 5, 1, 14, 30, tzinfo=datetime.timezone.utc)
    assert event["dtend"].dt - event["dtstart"].dt == datetime.timedelta(minutes=30)
    assert str(event["summary"]) == "Due: Timed due (40 %)"
    assert "Bring the keys" in str(event["description"]) and str(event["transp"]) == "TRANSPARENT"
    assert event["sequence"] == timed["version"] + 1
    day = events["Day due"]
    assert day["dtstart"].dt == datetime.date(2031, 5, 2) and not isinstance(
        day["dtstart"].dt, datetime.datetime)
    assert day["dtend"].dt == datetime.date(2031, 5, 3)
    uids = [str(c["uid"]) for c in cal.walk() if "uid" in c]
    assert len(uids) == len(set(uids)) == 4


def test_only_picks_events_or_todos_and_refuses_anything_else(company):
    worker = company.user()
    company.task(worker, title="Either way", due_date="2031-06-01T08:00:00Z")
    only_events = feed(worker, "?only=events")
    assert list(by_title(only_events, "VEVENT")) == ["Either way"] and not only_events.walk("VTODO")
    only_todos = feed(worker, "?only=todos")
    assert list(by_title(only_todos, "VTODO")) == ["Either way"] and not only_todos.walk("VEVENT")
    url = worker.get("/api/me/calendar/").json()["url"]
    wrong = requests.get(url + "?only=meetings", timeout=30)
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "only"
