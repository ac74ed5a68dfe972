"""Working time per day on the sheet (first start, last stop, breaks, total), the rule flags
(max_daily_minutes, min_rest_minutes: flagged, not refused) and the manual clock-in/out."""
import datetime

from support.aging import backdate as backdate_task
from support.timer import iso


def at(day, hour, minute=0):
    return iso(datetime.datetime.combine(day, datetime.time(hour, minute)))


def week_of(day):
    year, number, _ = day.isocalendar()
    return "%04d-W%02d" % (year, number)


def day_row(sheet, day):
    return next(row for row in sheet["days"] if row["date"] == day.isoformat())


def add(person, task, start, end):
    made = person.post("/api/task/%d/time-entries/" % task["id"], {"started_at": start, "ended_at": end})
    assert made.status_code == 201, made.text


def test_a_long_day_and_a_short_rest_are_flagged(company, server):
    ann = company.user()
    task = company.task(ann)
    backdate_task(server, task["id"])
    today = datetime.datetime.now(datetime.timezone.utc).date()
    long_day, next_day = today - datetime.timedelta(days=2), today - datetime.timedelta(days=1)
    add(ann, task, at(long_day, 8), at(long_day, 14))
    add(ann, task, at(long_day, 14, 30), at(long_day, 19, 30))
    add(ann, task, at(next_day, 5), at(next_day, 6))
    row = day_row(ann.get("/api/me/timesheets/?week=%s" % week_of(long_day)).json(), long_day)
    assert row["first_start"] == at(long_day, 8).replace("Z", "+00:00")
    assert row["last_stop"] == at(long_day, 19, 30).replace("Z", "+00:00")
    assert row["work_minutes"] == 660 and row["break_minutes"] == 30
    assert [flag["rule"] for flag in row["flags"]] == ["max_daily_minutes"]
    assert "11 h 00 min" in row["flags"][0]["text"]
    row = day_row(ann.get("/api/me/timesheets/?week=%s" % week_of(next_day)).json(), next_day)
    assert row["work_minutes"] == 60 and [f["rule"] for f in row["flags"]] == ["min_rest_minutes"]
    assert "9 h 30 min" in row["flags"][0]["text"]


def test_clock_in_and_out_on_a_day_without_entries(company, server):
    ann = company.user()
    task = company.task(ann)
    backdate_task(server, task["id"])
    today = datetime.datetime.now(datetime.timezone.utc).date()
    day, busy = today - datetime.timedelta(days=3), today - datetime.timedelta(days=4)
    path = "/api/me/workdays/%s/" % day.isoformat()
    put = ann.request("PUT", path, {"clock_in": at(day, 9), "clock_out": at(day, 17, 30),
                                    "break_minutes": 30})
    assert put.status_code == 200, put.text
    row = day_row(ann.get("/api/me/timesheets/?week=%s" % week_of(day)).json(), day)
    assert row["source"] == "clock" and row["work_minutes"] == 480 and row["break_minutes"] == 30
    cases = [({"clock_in": at(day, 9)}, "clock_out"),
             ({"clock_in": at(busy, 9), "clock_out": at(day, 10)}, "clock_in"),
             ({"clock_in": at(day, 9), "clock_out": at(day, 8)}, "clock_out"),
             ({"clock_in": at(day, 9), "clock_out": at(day, 10), "break_minutes": 61}, "break_minutes"),
             ({"clock_in": at(day, 9), "clock_out": at(day, 10), "x": 1}, "x")]
    for body, field in cases:
        refused = ann.request("PUT", path, body)
        assert refused.status_code == 400 and refused.json()["error"]["field"] == field, body
    assert ann.request("PUT", "/api/me/workdays/2026-02-30/", cases[0][0]).status_code == 400
    add(ann, task, at(busy, 9), at(busy, 10))
    refused = ann.request("PUT", "/api/me/workdays/%s/" % busy.isoformat(),
                          {"clock_in": at(busy, 8), "clock_out": at(busy, 12)})
    assert refused.status_code == 409
    assert ann.request("DELETE", path).status_code == 204
    assert ann.request("DELETE", path).status_code == 404
    row = day_row(ann.get("/api/me/timesheets/?week=%s" % week_of(day)).json(), day)
    assert row["source"] is None and row["work_minutes"] == 0


def test_an_approved_week_refuses_clock_ins_and_absences_in_it(company, server):
    ann = company.user()
    task = company.task(ann)
    backdate_task(server, task["id"])
    worked = datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=1)
    add(ann, task, at(worked, 9), at(worked, 10))
    sheet = ann.post("/api/me/timesheets/%s/submit/" % week_of(worked)).json()
    assert company.owner.post("/api/timesheets/%d/approve/" % sheet["id"]).status_code == 200
    for path in ("/api/me/workdays/%s/" % worked.isoformat(),):
        refused = ann.request("PUT", path, {"clock_in": at(worked, 11), "clock_out": at(worked, 12)})
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "period_locked"
    asked = ann.post("/api/me/absences/", {"kind": "sick", "starts_on": worked.isoformat()})
    assert asked.status_code == 409 and asked.json()["error"]["code"] == "period_locked"
    assert ann.get("/api/me/absences/").json()["absences"] == []
