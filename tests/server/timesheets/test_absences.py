"""Absences over HTTP on a server whose company works in Great Britain: requests and decisions,
bad inputs, the sheet's days off and public holidays, forecasts and at_risk moved by days off,
and the monitor's "away until"."""
import datetime

import pytest

from support.client import Company
from support.server import start_server
from support.timer import ago, iso


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("server"), TRACKER_HOLIDAY_COUNTRY="GB")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def company(server):
    return Company(server)


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def test_bad_requests_name_their_field_and_write_nothing(company):
    ann = company.user()
    day = today().isoformat()
    cases = [({"kind": "holiday", "starts_on": day}, "kind"),
             ({"starts_on": day}, "kind"),
             ({"kind": "sick"}, "starts_on"),
             ({"kind": "sick", "starts_on": "tomorrow"}, "starts_on"),
             ({"kind": "sick", "starts_on": "2026-02-30"}, "starts_on"),
             ({"kind": "sick", "starts_on": day, "ends_on": "2020-01-01"}, "ends_on"),
             ({"kind": "sick", "starts_on": "2026-01-01", "ends_on": "2028-01-01"}, "ends_on"),
             ({"kind": "sick", "starts_on": "2026-01-01", "ends_on": "2026-01-02", "half_day": True},
              "half_day"),
             ({"kind": "sick", "starts_on": day, "half_day": "yes"}, "half_day"),
             ({"kind": "sick", "starts_on": day, "days": 2}, "days")]
    for body, field in cases:
        refused = ann.post("/api/me/absences/", body)
        assert refused.status_code == 400 and refused.json()["error"]["field"] == field, body
    assert ann.get("/api/me/absences/").json()["absences"] == []


def test_request_approve_reject_and_who_may(company):
    ann, admin = company.user(), company.owner
    start = today() + datetime.timedelta(days=30)
    made = ann.post("/api/me/absences/", {"kind": "vacation", "starts_on": start.isoformat(),
                                          "ends_on": (start + datetime.timedelta(days=4)).isoformat(),
                                          "note": "Lisbon"})
    assert made.status_code == 201 and made.json()["state"] == "requested"
    clash = ann.post("/api/me/absences/", {"kind": "other", "starts_on": start.isoformat()})
    assert clash.status_code == 409
    half = ann.post("/api/me/absences/", {"kind": "other", "half_day": True,
                                          "starts_on": (start - datetime.timedelta(days=3)).isoformat()})
    assert half.status_code == 201 and half.json()["half_day"] is True
    assert ann.get("/api/absences/").status_code == 403
    assert ann.post("/api/absences/%d/approve/" % made.json()["id"]).status_code == 404
    waiting = admin.get("/api/absences/?state=requested").json()["absences"]
    assert {made.json()["id"], half.json()["id"]} <= {row["id"] for row in waiting}
    assert admin.get("/api/absences/?state=maybe").status_code == 400
    assert admin.post("/api/absences/%d/reject/" % half.json()["id"], {}).status_code == 400
    rejected = admin.post("/api/absences/%d/reject/" % half.json()["id"], {"reason": "Release day"})
    assert rejected.json()["state"] == "rejected" and rejected.json()["reason"] == "Release day"
    approved = admin.post("/api/absences/%d/approve/" % made.json()["id"])
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert admin.post("/api/absences/%d/approve/" % made.json()["id"]).status_code == 409
    week = "%04d-W%02d" % start.isocalendar()[:2]
    days = {row["date"]: row for row in ann.get("/api/me/timesheets/?week=%s" % week).json()["days"]}
    assert days[start.isoformat()]["absence"] == {"kind": "vacation", "half_day": False}


def test_a_public_holiday_of_the_company_country_is_on_the_sheet(company):
    ann = company.user()
    days = {row["date"]: row for row in ann.get("/api/me/timesheets/?week=2026-W52").json()["days"]}
    assert days["2026-12-25"]["holiday"] == "Christmas Day"
    assert days["2026-12-24"]["holiday"] is None


def test_days_off_move_the_forecast_and_at_risk_and_the_monitor_says_away(company):
    ann, admin = company.user(), company.owner
    due = ago(-3 * 24 * 60)
    task = company.task(ann, estimate_minutes=120, due_date=iso(due))
    before = admin.get("/api/admin/tasks/%d/" % task["id"]).json()
    assert before["forecast_completion_at"] is not None and before["at_risk"] is False
    ends = today() + datetime.timedelta(days=13)
    made = ann.post("/api/me/absences/", {"kind": "sick", "starts_on": today().isoformat(),
                                          "ends_on": ends.isoformat()}).json()
    assert admin.post("/api/absences/%d/approve/" % made["id"]).status_code == 200
    after = admin.get("/api/admin/tasks/%d/" % task["id"]).json()
    moved = datetime.datetime.fromisoformat(after["forecast_completion_at"]).date()
    assert moved > ends and after["at_risk"] is True
    people = admin.get("/api/admin/task-status/").json()["employees"]
    mine = [person for person in people if person["id"] == ann.user["id"]]
    assert mine[0]["away_until"] == ends.isoformat()
