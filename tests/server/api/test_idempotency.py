"""Idempotent progress updates: a replay answers the first answer and writes nothing."""
import concurrent.futures
import uuid

import requests


def history_len(employee, task):
    return len(employee.get("/api/task/%d/history/" % task["id"]).json()["updates"])


def test_replay_returns_identical_body_with_header_and_one_row(company):
    employee = company.user()
    task = company.task(employee)
    body = {"progress_percentage": 40, "notes": "once", "client_update_id": str(uuid.uuid4())}
    first = employee.post("/api/task/%d/progress/" % task["id"], body)
    second = employee.post("/api/task/%d/progress/" % task["id"], body)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert history_len(employee, task) == 2  # create + one progress row


def test_replay_after_later_changes_still_answers_the_first_answer(company):
    employee = company.user()
    task = company.task(employee)
    body = {"progress_percentage": 10, "client_update_id": "early"}
    first = employee.post("/api/task/%d/progress/" % task["id"], body).json()
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 90})
    replay = employee.post("/api/task/%d/progress/" % task["id"], body)
    assert replay.json() == first
    assert employee.get("/api/employee-tasks/").json()["tasks"][0]["progress_percentage"] == 90


def test_idempotency_key_header_works_like_client_update_id(company):
    employee = company.user()
    task = company.task(employee)
    headers = {"Idempotency-Key": "hdr-%s" % uuid.uuid4()}
    first = employee.post("/api/task/%d/complete/" % task["id"], {"notes": "x"}, headers=headers)
    again = employee.post("/api/task/%d/complete/" % task["id"], {"notes": "x"}, headers=headers)
    assert again.content == first.content and again.headers["Idempotent-Replayed"] == "true"
    assert history_len(employee, task) == 2


def test_same_key_with_another_body_is_422_and_writes_nothing(company):
    employee = company.user()
    task = company.task(employee)
    employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 20, "client_update_id": "k1"})
    reused = employee.post("/api/task/%d/progress/" % task["id"],
                           {"progress_percentage": 30, "client_update_id": "k1"})
    assert reused.status_code == 422
    assert reused.json()["error"] == {"code": "idempotency_key_reused", "field": "client_update_id",
                                      "message": reused.json()["error"]["message"]}
    other_task = company.task(employee)
    moved = employee.post("/api/task/%d/progress/" % other_task["id"],
                          {"progress_percentage": 20, "client_update_id": "k1"})
    assert moved.status_code == 422
    nowhere = employee.post("/api/task/999999/progress/", {"progress_percentage": 20, "client_update_id": "k1"})
    assert nowhere.status_code == 403  # no such task: refused as another's (nothing to replay)
    assert history_len(employee, task) == 2 and history_len(employee, other_task) == 1


def test_keys_are_per_user(company):
    first, second = company.user(), company.user()
    task_a, task_b = company.task(first), company.task(second)
    body = {"progress_percentage": 50, "client_update_id": "shared-key"}
    a = first.post("/api/task/%d/progress/" % task_a["id"], body)
    b = second.post("/api/task/%d/progress/" % task_b["id"], body)
    assert a.status_code == b.status_code == 200
    assert "Idempotent-Replayed" not in b.headers and b.json()["task_id"] == task_b["id"]


def test_concurrent_replays_of_one_key_write_one_row(company):
    employee = company.user()
    task = company.task(employee)
    url = employee.base_url + "/api/task/%d/progress/" % task["id"]
    body = {"progress_percentage": 65, "notes": "race", "client_update_id": "race-%s" % uuid.uuid4()}

    def send(_):
        return requests.post(url, json=body, headers=employee.headers(), timeout=30)

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(send, range(32)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 31
    assert history_len(employee, task) == 2
