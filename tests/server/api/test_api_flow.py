"""The seed flow end to end over real HTTP: assign, list, progress, complete, history."""


def test_assign_list_progress_complete_history(company):
    employee = company.user()
    task = company.task(employee, title="Quarterly report", priority="HIGH", description="Numbers")
    assert task["status"] == "PENDING" and task["assignee"]["id"] == employee.user["id"]

    listed = employee.get("/api/employee-tasks/").json()
    assert [t["id"] for t in listed["tasks"]] == [task["id"]]
    assert listed["cursor"] >= 1

    answer = employee.post("/api/task/%d/progress/" % task["id"],
                           {"progress_percentage": 75, "notes": "Most of it done",
                            "occupancy_status": "ACTIVE"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "success" and body["new_progress"] == 75
    assert body["task_status"] == "IN_PROGRESS" and body["version"] == task["version"] + 1

    done = employee.post("/api/task/%d/complete/" % task["id"], {"notes": "Sent"}).json()
    assert done["new_progress"] == 100 and done["task_status"] == "DONE"

    history = employee.get("/api/task/%d/history/" % task["id"]).json()
    assert history["task_id"] == task["id"]
    actions = [(u["action"], u["previous_percentage"], u["new_percentage"], u["new_status"])
               for u in history["updates"]]
    assert actions == [("complete", 75, 100, "DONE"), ("progress", 0, 75, "IN_PROGRESS"),
                       ("create", None, 0, "PENDING")]
    assert history["updates"][1]["notes"] == "Most of it done"
    assert history["updates"][1]["occupancy_status"] == "ACTIVE"
    assert history["updates"][0]["id"] == done["update_id"]
    assert all(len(u["hash"]) == 64 for u in history["updates"])

    final = employee.get("/api/employee-tasks/").json()["tasks"][0]
    assert final["status"] == "DONE" and final["completed_at"] is not None
    assert final["last_progress_updated_by"]["id"] == employee.user["id"]


def test_lowering_progress_reopens_a_done_task(company):
    employee = company.user()
    task = company.task(employee)
    employee.post("/api/task/%d/complete/" % task["id"])
    reopened = employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 60}).json()
    assert reopened["task_status"] == "IN_PROGRESS"
    listed = employee.get("/api/employee-tasks/").json()["tasks"][0]
    assert listed["completed_at"] is None and listed["progress_percentage"] == 60


def test_cancelled_task_refuses_progress_with_409(company):
    employee = company.user()
    task = company.task(employee)
    cancelled = company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"status": "CANCELLED"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
    refused = employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 10})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"


def test_reassign_moves_the_task_between_employees(company):
    first, second = company.user(), company.user()
    task = company.task(first)
    moved = company.owner.patch("/api/admin/tasks/%d/" % task["id"],
                                {"assignee_id": second.user["id"], "priority": "URGENT"}).json()
    assert moved["assignee"]["id"] == second.user["id"] and moved["priority"] == "URGENT"
    assert first.get("/api/employee-tasks/").json()["tasks"] == []
    assert [t["id"] for t in second.get("/api/employee-tasks/").json()["tasks"]] == [task["id"]]
    assert first.post("/api/task/%d/progress/" % task["id"],
                      {"progress_percentage": 5}).status_code == 403


def test_overdue_is_derived_from_due_date_and_status(company):
    employee = company.user()
    late = company.task(employee, due_date="2020-01-01T09:00:00+00:00")
    assert late["is_overdue"] is True
    employee.post("/api/task/%d/complete/" % late["id"])
    status = company.owner.get("/api/admin/task-status/?employee=%d" % employee.user["id"]).json()
    assert status["tasks"][0]["is_overdue"] is False
    assert status["summary"]["done"] == 1 and status["summary"]["overdue"] == 0


def test_employee_tasks_etag_answers_304_until_a_change(company):
    employee = company.user()
    task = company.task(employee)
    first = employee.get("/api/employee-tasks/")
    tag = first.headers["ETag"]
    assert employee.get("/api/employee-tasks/", headers={"If-None-Match": tag}).status_code == 304
    company.task(company.user())  # someone else's change does not invalidate mine
    assert employee.get("/api/employee-tasks/", headers={"If-None-Match": tag}).status_code == 304
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 20})
    changed = employee.get("/api/employee-tasks/", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag


def test_admin_status_filters_and_summary(company):
    employee = company.user()
    project = company.owner.post("/api/admin/projects/", {"name": "Filters %s" % employee.user["id"]}).json()
    urgent = company.task(employee, priority="URGENT", project_id=project["id"])
    company.task(employee, priority="LOW")
    by_project = company.owner.get("/api/admin/task-status/?project=%d" % project["id"]).json()
    assert [t["id"] for t in by_project["tasks"]] == [urgent["id"]]
    assert by_project["summary"]["total"] == 1
    by_priority = company.owner.get("/api/admin/task-status/?employee=%d&priority=LOW"
                                    % employee.user["id"]).json()
    assert [t["priority"] for t in by_priority["tasks"]] == ["LOW"]
    assert any(e["id"] == employee.user["id"] for e in by_priority["employees"])
    bad = company.owner.get("/api/admin/task-status/?status=SLEEPING")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "status"


def test_heartbeat_sets_occupancy_seen_by_admin(company):
    employee = company.user()
    answer = employee.post("/api/heartbeat/", {"occupancy_status": "IDLE", "idle_seconds": 200})
    assert answer.json() == {"status": "success", "occupancy_status": "IDLE"}
    people = company.owner.get("/api/admin/task-status/").json()["employees"]
    mine = [p for p in people if p["id"] == employee.user["id"]][0]
    assert mine["occupancy_status"] == "IDLE" and mine["last_seen_at"]
    employee.post("/api/heartbeat/", {"occupancy_status": "OFFLINE"})
    people = company.owner.get("/api/admin/task-status/").json()["employees"]
    assert [p for p in people if p["id"] == employee.user["id"]][0]["occupancy_status"] == "OFFLINE"


def test_statistics_shape(company):
    employee = company.user()
    task = company.task(employee)
    employee.post("/api/heartbeat/", {"occupancy_status": "ACTIVE"})
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 30})
    stats = company.owner.get("/api/admin/statistics/?hours=24").json()
    assert 0 <= stats["completion_rate"] <= 100
    assert set(stats["progress_buckets"]) == {"0-25", "25-50", "50-75", "75-100"}
    assert set(stats["status_distribution"]) == {"PENDING", "IN_PROGRESS", "DONE", "CANCELLED"}
    row = [r for r in stats["employees"] if r["id"] == employee.user["id"]][0]
    assert row["assigned"] == 1 and row["in_progress"] == 1 and row["average_progress"] == 30
    assert len(stats["timeline"]) == 144
    assert company.owner.get("/api/admin/statistics/?hours=0").status_code == 400


def test_admin_status_follows_progress_and_renames_at_once(company):
    employee = company.user()
    task = company.task(employee)
    path = "/api/admin/task-status/?employee=%d" % employee.user["id"]
    assert company.owner.get(path).json()["tasks"][0]["progress_percentage"] == 0
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 35})
    assert company.owner.get(path).json()["tasks"][0]["progress_percentage"] == 35
    company.owner.patch("/api/admin/users/%d/" % employee.user["id"], {"full_name": "Renamed Person"})
    assert company.owner.get(path).json()["tasks"][0]["assignee"]["full_name"] == "Renamed Person"
