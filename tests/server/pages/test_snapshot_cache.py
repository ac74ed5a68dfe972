"""The monitor's data (snapshot.json) over HTTP: joined once per board version, named by an ETag
that a repeated read answers with 304, and equal to the task-status body plus the audit trail."""
from support.browser import form_session

SNAPSHOT = "/dashboard/tasks/monitor/snapshot.json"


def test_an_unchanged_snapshot_answers_304_and_a_change_a_new_body(server, company):
    employee = company.user()
    task = company.task(employee)
    page = form_session(server.url)
    first = page.get(server.url + SNAPSHOT, timeout=30)
    tag = first.headers["Etag"]
    assert first.status_code == 200 and tag.startswith('"')
    again = page.get(server.url + SNAPSHOT, headers={"If-None-Match": tag}, timeout=30)
    assert again.status_code == 304 and again.content == b""
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 40})
    changed = page.get(server.url + SNAPSHOT, headers={"If-None-Match": tag}, timeout=30)
    assert changed.status_code == 200 and changed.headers["Etag"] != tag
    body = changed.json()
    assert body["recent"][str(task["id"])][0]["new_percentage"] == 40
    assert [t["progress_percentage"] for t in body["tasks"] if t["id"] == task["id"]] == [40]
    api = company.owner.get("/api/admin/task-status/").json()
    body.pop("recent")
    assert body["cursor"] <= api["cursor"]
    assert [t["id"] for t in body["tasks"]] == [t["id"] for t in api["tasks"]]
    assert body["summary"] == api["summary"]


def test_a_presence_change_changes_the_tag(server, company):
    employee = company.user()
    page = form_session(server.url)
    tag = page.get(server.url + SNAPSHOT, timeout=30).headers["Etag"]
    employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
    after = page.get(server.url + SNAPSHOT, headers={"If-None-Match": tag}, timeout=30)
    assert after.status_code == 200 and after.headers["Etag"] != tag
    assert {e["username"]: e["occupancy_status"] for e in after.json()["employees"]}[
        employee.user["username"]] == "ACTIVE"
