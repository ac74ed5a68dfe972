"""Every audit row reads as a sentence (`text`): one for EVERY action kind of the vocabulary, made
by a real server from rows its own services wrote, in the task history and the monitor's data.
A new kind fails here until the scenario below writes one and it has its sentence."""
import csv
import datetime
import io
import re

import pytest

from server.services.sentences.audit_rows import sentence
from server.store.models import AUDIT_ACTIONS
from support.browser import form_session

# What a person must never read in a sentence: ids with hashes, internal names, stamps.
INTERNAL = re.compile(r"sha256|revision|time_entry|_|entry \d|\d{4}-\d\d-\d\d|\d\d:\d\d|UTC|"
                      r"\((user|switch|idle|offline|manual|timer)\)|[0-9a-f]{12}|None")
# The sentence of each kind in the scenario below ({a}: the admin, {e}: the employee, {t}: the
# employee with the timer, {o}: the other employee, {p}: the predecessor task's id).
EXPECTED = {
    "create": ["{a} created the task for {e_login}", "{a} created the task for {t_login}",
               "{a} created the task for {s_login}"],
    "progress": ["{e} set progress from 0 to 40 %", "{e} reopened the task at 80 %"],
    "complete": ["{e} marked the task complete"],
    "edit": ["{a} changed the title and the priority"],
    "reassign": ["{a} reassigned the task from {e_login} to {o_login}"],
    "cancel": ["{a} cancelled the task"],
    "link": ["{a} made this task wait for task #{p}"],
    "unlink": ["{a} stopped this task waiting for task #{p}"],
    "comment": ["{e} added a comment"],
    "comment_edit": ["{e} edited a comment"],
    "comment_delete": ["{e} deleted a comment"],
    "time_entry": ["{t} started the timer", "Timer stopped by {t} after less than a minute",
                   "Timer stopped after less than a minute: {t} started a timer on another task",
                   "Timer stopped after less than a minute: {t} went idle",
                   "{e} added less than a minute of work by hand",
                   "{s} added less than a minute of work by hand"],
    "time_entry_edit": ["{e} corrected a time entry (less than a minute)"],
    "time_entry_delete": ["{e} deleted a time entry of less than a minute"],
    "sheet_submit": ["{s} submitted the timesheet of the week of {w} for approval"],
    "sheet_approve": ["{a} approved the timesheet of the week of {w}"],
    "sheet_reject": ["{a} sent the timesheet of the week of {w} back: Tuesday is missing"],
    "sheet_reopen": ["{a} reopened the approved timesheet of the week of {w}: Payroll fix"],
}


def ok(answer, *codes):
    assert answer.status_code in (codes or (200, 201, 204)), answer.text
    return answer.json() if answer.content else None


def progress_and_edits(company, admin, worker, other):
    task = company.old_task(worker, title="Sentences")
    before = company.task(worker, title="Predecessor")
    tid = task["id"]
    ok(worker.post("/api/task/%d/progress/" % tid, {"progress_percentage": 40, "notes": "Halfway"}))
    ok(worker.post("/api/task/%d/complete/" % tid, {"notes": "Done"}))
    ok(worker.post("/api/task/%d/progress/" % tid, {"progress_percentage": 80}))
    ok(admin.patch("/api/admin/tasks/%d/" % tid, {"title": "Sentences, renamed", "priority": "HIGH"}))
    ok(admin.post("/api/admin/tasks/%d/dependencies/" % tid, {"depends_on": before["id"]}))
    ok(admin.request("DELETE", "/api/admin/tasks/%d/dependencies/%d/" % (tid, before["id"])))
    comment = ok(worker.post("/api/task/%d/comments/" % tid, {"body": "First thoughts"}))
    ok(worker.patch("/api/comments/%d/" % comment["id"], {"body": "Second thoughts"}))
    ok(worker.request("DELETE", "/api/comments/%d/" % comment["id"]))
    created = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(hours=2)
    entry = ok(worker.post("/api/task/%d/time-entries/" % tid, {
        "started_at": created.isoformat(), "ended_at": (created + datetime.timedelta(seconds=30)).isoformat()}))
    ok(worker.patch("/api/time-entries/%d/" % entry["id"], {"note": "Reading"}))
    ok(worker.request("DELETE", "/api/time-entries/%d/" % entry["id"]))
    ok(admin.patch("/api/admin/tasks/%d/" % tid, {"assignee_id": other.user["id"]}))
    ok(admin.patch("/api/admin/tasks/%d/" % tid, {"status": "CANCELLED"}))
    return [tid], before["id"]


def timers(company, timer):
    first, second = company.task(timer, title="Timed one"), company.task(timer, title="Timed two")
    ok(timer.post("/api/task/%d/timer/start/" % first["id"]))
    ok(timer.post("/api/timer/stop/"))
    ok(timer.post("/api/task/%d/timer/start/" % first["id"]))
    ok(timer.post("/api/task/%d/timer/start/" % second["id"]))  # stops the first: a switch
    ok(timer.post("/api/heartbeat/", {"occupancy_status": "IDLE", "idle_seconds": 200}))
    return [first["id"], second["id"]]


def timesheet(company, admin, person):
    """A week submitted, sent back, submitted again, approved and reopened: "the week of {w}"."""
    task = company.old_task(person, title="Timesheet")  # a day old: time may be tracked an hour ago
    start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(hours=1)
    ok(person.post("/api/task/%d/time-entries/" % task["id"], {
        "started_at": start.isoformat(), "ended_at": (start + datetime.timedelta(seconds=30)).isoformat()}))
    year, week, _ = start.isocalendar()
    name = "%04d-W%02d" % (year, week)
    sheet = ok(person.post("/api/me/timesheets/%s/submit/" % name))
    ok(admin.post("/api/timesheets/%d/reject/" % sheet["id"], {"reason": "Tuesday is missing"}))
    ok(person.post("/api/me/timesheets/%s/submit/" % name))
    ok(admin.post("/api/timesheets/%d/approve/" % sheet["id"]))
    ok(admin.post("/api/timesheets/%d/reopen/" % sheet["id"], {"reason": "Payroll fix"}))
    monday = datetime.date.fromisocalendar(year, week, 1)
    return task["id"], "%d %s" % (monday.day, monday.strftime("%B %Y"))


@pytest.fixture(scope="module")
def scenario(company):
    admin, worker, other, timer = company.owner, company.user(), company.user(), company.user()
    task_ids, predecessor = progress_and_edits(company, admin, worker, other)
    task_ids += timers(company, timer)
    sheeter = company.user()
    sheet_task, week_words = timesheet(company, admin, sheeter)
    task_ids.append(sheet_task)
    rows = [row for task_id in task_ids for row in admin.history(task_id)]
    names = {"a": admin.user["full_name"], "e": worker.user["full_name"],
             "t": timer.user["full_name"], "e_login": worker.user["username"],
             "t_login": timer.user["username"],
             "o_login": other.user["username"], "p": predecessor,
             "s": sheeter.user["full_name"], "s_login": sheeter.user["username"], "w": week_words}
    return rows, names, task_ids


@pytest.mark.parametrize("kind", AUDIT_ACTIONS)
def test_every_kind_of_audit_row_reads_as_a_sentence(scenario, kind):
    rows, names, _ = scenario
    found = [row for row in rows if row["action"] == kind]
    assert found, "the scenario wrote no %r row: make it write one" % kind
    assert kind in EXPECTED, "no expected sentence for %r" % kind
    texts = sorted({row["text"] for row in found})
    assert texts == sorted(line.format(**names) for line in EXPECTED[kind])
    for row in found:
        assert row["text"] == sentence(row)
        assert not INTERNAL.search(row["text"].replace(names["e_login"], "").replace(
            names["o_login"], "").replace(names["t_login"], "").replace(names["a"], "").replace(names["e"], "").replace(
            names["t"], "").replace(names["s"], "").replace(names["s_login"], "")), row["text"]


def test_the_monitors_recent_activity_carries_the_same_sentences(server, scenario):
    rows, _names, task_ids = scenario
    http = form_session(server.url)
    recent = http.get(server.url + "/api/admin/task-updates/?ids=%s" % ",".join(map(str, task_ids)),
                      timeout=30).json()["updates"]
    newest = {row["id"]: row["text"] for row in rows}
    shown = [update for task_id in task_ids for update in recent[str(task_id)]]
    assert shown and all(update["text"] == newest[update["id"]] for update in shown)


def test_a_kind_outside_the_vocabulary_is_not_written(database):
    from server.services.record import audit
    from server.store.database import db
    from support.db import new_task, people
    boss, ann, _bob = people()
    task = new_task(boss, ann)
    with pytest.raises(ValueError), db.atomic():
        audit.append(task_id=task["id"], user_id=boss.id, action="mystery", new_percentage=0,
                     new_status="PENDING", task_version=1)
    assert audit.verify()[0]


def test_the_audit_export_carries_the_same_sentences(company, scenario):
    rows, _names, task_ids = scenario
    answer = company.owner.get("/api/admin/export/audit.csv?task=%d" % task_ids[0])
    assert answer.status_code == 200, answer.text
    parsed = list(csv.DictReader(io.StringIO(answer.content.decode())))
    newest = {row["id"]: row["text"] for row in rows}
    assert parsed and all(line["text"] == newest[int(line["id"])] for line in parsed)
