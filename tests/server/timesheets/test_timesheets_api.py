"""Week timesheets over HTTP on a real server: submit, reject with a reason, resubmit, approve,
every write path refused with period_locked (nothing written), reopen; audit rows and push."""
import pytest

from server.services.sentences.audit_rows import sentence
from support.client import Company
from support.aging import backdate as backdate_task
from support.push import connect, recv_json
from support.server import start_server
from support.timer import ago, iso


def week_of(moment):
    year, number, _ = moment.isocalendar()
    return "%04d-W%02d" % (year, number)


def entry_in_a_week(person, task, start_minutes, end_minutes, server=None):
    if server is not None:  # an entry may not start before its task was created
        backdate_task(server, task["id"])
    made = person.post("/api/task/%d/time-entries/" % task["id"],
                       {"started_at": iso(ago(start_minutes)), "ended_at": iso(ago(end_minutes))})
    assert made.status_code == 201, made.text
    return made.json()


def next_sheet_event(ws):
    while True:
        message = recv_json(ws)
        if message.get("type") == "timesheet.changed":
            return message


def error_code(response):
    return response.json()["error"]["code"]


def test_the_whole_cycle_locks_every_write_path_until_reopened(company, server):
    ann, admin = company.user(), company.owner
    task = company.task(ann)
    entry = entry_in_a_week(ann, task, 200, 110, server)
    week = week_of(ago(200))
    sheet = ann.get("/api/me/timesheets/?week=%s" % week).json()
    assert sheet["state"] == "draft" and sheet["id"] is None and sheet["total_minutes"] == 90
    assert [e["id"] for e in sheet["entries"]] == [entry["id"]] and len(sheet["days"]) == 7
    sockets = {"ann": connect(server, ann), "admin": connect(server, admin)}
    try:
        submitted = ann.post("/api/me/timesheets/%s/submit/" % week)
        assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
        sheet_id = submitted.json()["id"]
        assert error_code(ann.post("/api/me/timesheets/%s/submit/" % week)) == "conflict"
        for ws in sockets.values():
            event = next_sheet_event(ws)
            assert event["timesheet"]["id"] == sheet_id and event["timesheet"]["state"] == "submitted"
    finally:
        for ws in sockets.values():
            ws.close()
    listed = admin.get("/api/timesheets/?week=%s" % week).json()["timesheets"]
    mine = [row for row in listed if row["user"]["id"] == ann.user["id"]]
    assert mine[0]["id"] == sheet_id and mine[0]["state"] == "submitted"
    assert mine[0]["total_minutes"] == 90
    waiting = admin.get("/api/timesheets/?state=submitted").json()["timesheets"]
    assert sheet_id in [row["id"] for row in waiting]

    refused = admin.post("/api/timesheets/%d/reject/" % sheet_id, {"reason": "  "})
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "reason"
    rejected = admin.post("/api/timesheets/%d/reject/" % sheet_id, {"reason": "Tuesday is missing"})
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    again = ann.get("/api/me/timesheets/?week=%s" % week).json()
    assert again["state"] == "rejected" and again["reason"] == "Tuesday is missing"
    assert ann.patch("/api/time-entries/%d/" % entry["id"], {"note": "fixed"}).status_code == 200
    assert ann.post("/api/me/timesheets/%s/submit/" % week).json()["state"] == "submitted"
    assert ann.post("/api/timesheets/%d/approve/" % sheet_id).status_code == 403
    approved = admin.post("/api/timesheets/%d/approve/" % sheet_id)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert error_code(admin.post("/api/timesheets/%d/approve/" % sheet_id)) == "conflict"

    before = ann.get("/api/task/%d/time-entries/" % task["id"]).json()["entries"]
    attempts = [
        ann.patch("/api/time-entries/%d/" % entry["id"], {"note": "later"}),
        admin.patch("/api/time-entries/%d/" % entry["id"], {"note": "by the admin"}),
        ann.request("DELETE", "/api/time-entries/%d/" % entry["id"]),
        ann.post("/api/task/%d/time-entries/" % task["id"],
                 {"started_at": iso(ago(100)), "ended_at": iso(ago(95))}),
        ann.post("/api/task/%d/time-entries/" % task["id"],  # a timer recorded offline
                 {"started_at": iso(ago(100)), "ended_at": iso(ago(95)), "source": "timer",
                  "client_entry_id": "offline-1"}),
        ann.post("/api/task/%d/timer/start/" % task["id"], {"started_ago_seconds": 6000}),
    ]
    for attempt in attempts:
        assert attempt.status_code == 409, attempt.text
        assert error_code(attempt) == "period_locked" and "reopen" in attempt.json()["error"]["message"]
    assert ann.get("/api/task/%d/time-entries/" % task["id"]).json()["entries"] == before
    assert ann.get("/api/me/time-entries/").json()["running"] is None
    assert ann.get("/api/me/timesheets/?week=%s" % week).json()["locked"] is True

    assert ann.post("/api/timesheets/%d/reopen/" % sheet_id, {"reason": "x"}).status_code == 403
    assert admin.post("/api/timesheets/%d/reopen/" % sheet_id, {}).status_code == 400
    reopened = admin.post("/api/timesheets/%d/reopen/" % sheet_id, {"reason": "Payroll fix"})
    assert reopened.status_code == 200 and reopened.json()["state"] == "draft"
    assert ann.patch("/api/time-entries/%d/" % entry["id"], {"note": "after"}).status_code == 200
    steps = ann.get("/api/me/timesheets/?week=%s" % week).json()["steps"]
    assert [s["step"] for s in steps] == ["submitted", "rejected", "submitted", "approved", "reopened"]
    assert steps[1]["reason"] == "Tuesday is missing" and steps[-1]["by"]["id"] == admin.user["id"]
    sentences = [sentence(row) for row in ann.history(task["id"])]
    assert any("approved the timesheet of the week of" in s for s in sentences), sentences
    assert any(s.endswith(": Tuesday is missing") for s in sentences)
    assert any("reopened the approved timesheet" in s and "Payroll fix" in s for s in sentences)


def test_bulk_approve_is_all_or_nothing(company):
    admin = company.owner
    people = [company.user() for _ in range(3)]
    ids = []
    for person in people:
        entry_in_a_week(person, company.task(person), 60, 30, company.server)
        ids.append(person.post("/api/me/timesheets/%s/submit/" % week_of(ago(60))).json()["id"])
    ids[-1:] = []
    draft_week = "2020-W01"
    stray = admin.post("/api/timesheets/approve/", {"ids": ids + [10**9]})
    assert stray.status_code == 404
    assert all(admin.get("/api/timesheets/%d/" % i).json()["state"] == "submitted" for i in ids)
    for bad in ({"ids": []}, {"ids": [ids[0], ids[0]]}, {"ids": ["1"]}, {"ids": [True]}, {"x": 1},
                {"ids": list(range(1, 300))}):
        answer = admin.post("/api/timesheets/approve/", bad)
        assert answer.status_code == 400 and answer.json()["error"]["field"] in ("ids", "x"), bad
    done = admin.post("/api/timesheets/approve/", {"ids": ids})
    assert done.status_code == 200
    assert [row["state"] for row in done.json()["timesheets"]] == ["approved", "approved"]
    assert people[0].post("/api/timesheets/approve/", {"ids": ids}).status_code == 403
    assert admin.get("/api/timesheets/?week=%s" % draft_week).status_code == 200


def test_bad_weeks_and_other_peoples_sheets(company):
    ann, bob = company.user(), company.user()
    for week in ("2026-49", "2026-W54", "W49", "2026-W00"):
        answer = ann.get("/api/me/timesheets/?week=%s" % week)
        assert answer.status_code == 400 and answer.json()["error"]["field"] == "week", week
    assert ann.post("/api/me/timesheets/2999-W01/submit/").json()["error"]["field"] == "week"
    assert ann.post("/api/me/timesheets/2025-W53/submit/").status_code == 400  # 2025 has 52 weeks
    entry_in_a_week(ann, company.task(ann), 50, 40, company.server)
    sheet_id = ann.post("/api/me/timesheets/%s/submit/" % week_of(ago(50))).json()["id"]
    assert bob.get("/api/timesheets/%d/" % sheet_id).status_code == 404
    assert bob.get("/api/timesheets/").status_code == 403
    assert bob.post("/api/timesheets/%d/reject/" % sheet_id, {"reason": "no"}).status_code == 404
    assert ann.get("/api/timesheets/%d/" % sheet_id).status_code == 200
    assert ann.get("/api/timesheets/?state=maybe").status_code == 400


def test_submitting_with_a_running_timer_is_refused(company):
    ann = company.user()
    task = company.task(ann)
    assert ann.post("/api/task/%d/timer/start/" % task["id"]).status_code == 201
    refused = ann.post("/api/me/timesheets/%s/submit/" % week_of(ago(0)))
    assert refused.status_code == 409 and "timer" in refused.json()["error"]["message"]


@pytest.mark.postgres
def test_the_whole_cycle_on_postgresql(pg_url, tmp_path):
    srv = start_server(tmp_path, db_url=pg_url)
    try:
        company = Company(srv)
        test_the_whole_cycle_locks_every_write_path_until_reopened(company, srv)
        test_bulk_approve_is_all_or_nothing(company)
    finally:
        srv.stop()
