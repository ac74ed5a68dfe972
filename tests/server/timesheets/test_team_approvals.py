"""Timesheets, absences and time reports under the team scope (SPEC 11.1 with 11.5): a lead lists
and decides on their team's weeks only, a viewer reads them and decides nothing, and another
team's sheet, absence or report is answered exactly as a missing one."""
import datetime
import io

import openpyxl
import pytest

from support.teams import two_teams

MISSING = 2147483000


@pytest.fixture(scope="module")
def teams(company):
    return two_teams(company)


def names_in(book):
    return [row[0] for row in book["Summary"].iter_rows(min_row=2, values_only=True)]


def test_a_lead_decides_on_their_teams_weeks_only(teams):
    alpha, bravo = teams
    lead, viewer = alpha.people["lead"], alpha.people["viewer"]
    ours, theirs = alpha.sheet["id"], bravo.sheet["id"]
    listed = [row["id"] for row in lead.get("/api/timesheets/?state=submitted").json()["timesheets"]]
    assert ours in listed and theirs not in listed
    for path in ("/api/timesheets/%d/", "/api/timesheets/%d/approve/", "/api/timesheets/%d/reject/"):
        call = (lambda p: lead.get(p)) if path.count("/") == 4 else (lambda p: lead.post(p, {"reason": "x"}))
        other, missing = call(path % theirs), call(path % MISSING)
        assert other.status_code == missing.status_code == 404, (path, other.text)
        assert "bravo" not in other.text.lower()
    bulk = lead.post("/api/timesheets/approve/", {"ids": [ours, theirs]})
    assert bulk.status_code == 404  # all or nothing: not even ours is approved
    assert lead.get("/api/timesheets/%d/" % ours).json()["state"] == "submitted"
    assert viewer.get("/api/timesheets/%d/" % ours).status_code == 200  # payroll reads
    assert viewer.post("/api/timesheets/%d/approve/" % ours).status_code == 403
    assert viewer.get("/api/timesheets/?state=submitted").status_code == 403
    approved = lead.post("/api/timesheets/%d/approve/" % ours)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert bravo.people["lead"].get("/api/timesheets/%d/" % theirs).json()["state"] == "submitted"


def test_a_lead_decides_on_their_teams_absences_only(teams):
    alpha, bravo = teams
    lead, theirs = alpha.people["lead"], bravo.absence["id"]
    listed = [row["id"] for row in lead.get("/api/absences/").json()["absences"]]
    assert alpha.absence["id"] in listed and theirs not in listed
    other = lead.post("/api/absences/%d/approve/" % theirs)
    missing = lead.post("/api/absences/%d/approve/" % MISSING)
    assert other.status_code == missing.status_code == 404 and "bravo" not in other.text.lower()
    decided = bravo.people["lead"].post("/api/absences/%d/approve/" % theirs)
    assert decided.status_code == 200 and decided.json()["state"] == "approved"


def test_reports_hold_the_callers_teams_only(teams):
    alpha, bravo = teams
    month = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m")
    for reader in (alpha.people["lead"], alpha.people["viewer"]):
        whole = reader.get("/api/reports/time.xlsx?month=%s" % month)
        assert whole.status_code == 200, whole.text
        names = names_in(openpyxl.load_workbook(io.BytesIO(whole.content)))
        assert alpha.people["member1"].user["full_name"] in names
        assert not [name for name in names if "bravo" in name.lower()]
        team = reader.get("/api/reports/time.xlsx?month=%s&team=%d" % (month, alpha.team["id"]))
        assert team.status_code == 200
        other = reader.get("/api/reports/time.pdf?month=%s&team=%d" % (month, bravo.team["id"]))
        missing = reader.get("/api/reports/time.pdf?month=%s&team=%d" % (month, MISSING))
        assert other.status_code == missing.status_code == 400
        assert other.json()["error"]["message"] == "team %d does not exist" % bravo.team["id"]
        assert missing.json()["error"]["message"] == "team %d does not exist" % MISSING
        person = reader.get("/api/reports/time.pdf?month=%s&user=%d" % (
            month, bravo.people["member1"].user["id"]))
        assert person.status_code == 404
