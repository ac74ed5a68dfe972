"""Comments over HTTP: the thread, idempotent creation, the author's edits, tombstones, revisions."""
import uuid

import pytest

from support.client import Company
from support.server import run_cli, start_server


def thread_path(task):
    return "/api/task/%d/comments/" % task["id"]


def say(api, task, body, **extra):
    answer = api.post(thread_path(task), dict({"body": body}, **extra))
    assert answer.status_code == 201, answer.text
    return answer.json()


def thread(api, task):
    answer = api.get(thread_path(task))
    assert answer.status_code == 200, answer.text
    return answer.json()["comments"]


def delete(api, comment):
    return api.request("DELETE", "/api/comments/%d/" % comment["id"])


def test_assignee_and_admin_share_one_thread_oldest_first(company):
    employee, admin = company.user(), company.user("ADMIN")
    task = company.task(employee)
    first = say(employee, task, "  started on it  ")
    second = say(admin, task, "thanks")
    assert first["body"] == "started on it"  # trimmed
    assert first["author"] == {"id": employee.user["id"], "username": employee.user["username"],
                               "full_name": employee.user["full_name"]}
    assert (first["revision"], first["deleted"], first["edited_at"]) == (1, False, None)
    assert first["task_id"] == task["id"] and first["created_at"]
    assert [c["id"] for c in thread(employee, task)] == [first["id"], second["id"]]
    assert thread(admin, task) == thread(employee, task)


def test_task_objects_count_live_comments(company):
    employee = company.user()
    task = company.task(employee)
    comment = say(employee, task, "one")
    say(employee, task, "two")
    mine = employee.get("/api/employee-tasks/").json()["tasks"][0]
    assert mine["comment_count"] == 2 and mine["version"] > task["version"]
    delete(employee, comment)
    assert employee.get("/api/employee-tasks/").json()["tasks"][0]["comment_count"] == 1


def test_another_employees_thread_is_refused_and_reveals_nothing(company):
    employee, other = company.user(), company.user()
    task = company.task(employee)
    comment = say(employee, task, "private")
    assert other.get(thread_path(task)).status_code == 403
    assert other.post(thread_path(task), {"body": "hi"}).status_code == 403
    assert other.patch("/api/comments/%d/" % comment["id"], {"body": "x"}).status_code == 404
    assert delete(other, comment).status_code == 404
    assert other.get("/api/task/999999/comments/").status_code == 403
    assert [c["body"] for c in thread(employee, task)] == ["private"]


def test_blank_long_and_malformed_bodies_are_400_and_write_nothing(company):
    employee = company.user()
    task = company.task(employee)
    for body in ({"body": ""}, {"body": "   \n "}, {"body": "x" * 10001}, {"body": 5}, {},
                 {"body": "ok", "extra": 1}, {"body": "ok", "client_comment_id": ""},
                 {"body": "ok", "client_comment_id": "k" * 65}, {"body": "a\x00b"}, ["body"]):
        answer = employee.post(thread_path(task), body)
        assert answer.status_code == 400, (body, answer.text)
        assert answer.json()["error"]["code"] == "validation_error"
    assert say(employee, task, "x" * 10000 + "   ")["body"] == "x" * 10000
    assert len(thread(employee, task)) == 1


def test_replay_answers_the_first_answer_and_another_body_is_422(company):
    employee = company.user()
    task = company.task(employee)
    key = str(uuid.uuid4())
    first = employee.post(thread_path(task), {"body": "once", "client_comment_id": key})
    again = employee.post(thread_path(task), {"body": "once", "client_comment_id": key})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    employee.patch("/api/comments/%d/" % first.json()["id"], {"body": "edited later"})
    assert employee.post(thread_path(task), {"body": "once", "client_comment_id": key}).json() \
        == first.json()
    other = employee.post(thread_path(task), {"body": "twice", "client_comment_id": key})
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    header = {"Idempotency-Key": "hdr-" + key}
    by_header = employee.post(thread_path(task), {"body": "via header"}, headers=header)
    replay = employee.post(thread_path(task), {"body": "via header"}, headers=header)
    assert replay.json() == by_header.json() and replay.headers["Idempotent-Replayed"] == "true"
    assert len(thread(employee, task)) == 2


def test_author_edits_with_revision_and_others_are_refused(company):
    employee, admin = company.user(), company.user("ADMIN")
    task = company.task(employee)
    comment = say(employee, task, "draft")
    edited = employee.patch("/api/comments/%d/" % comment["id"], {"body": "final"})
    assert edited.status_code == 200
    assert (edited.json()["body"], edited.json()["revision"]) == ("final", 2)
    assert edited.json()["edited_at"] is not None
    refused = admin.patch("/api/comments/%d/" % comment["id"], {"body": "rewritten"})
    assert refused.status_code == 403  # admins cannot silently rewrite what others wrote
    for bad in ({"body": " "}, {"body": "y" * 10001}, {"text": "x"}):
        assert employee.patch("/api/comments/%d/" % comment["id"], bad).status_code == 400
    assert employee.patch("/api/comments/999999/", {"body": "x"}).status_code == 404
    assert thread(employee, task)[0]["body"] == "final"


def test_delete_leaves_a_tombstone_and_a_deleted_comment_cannot_be_edited(company):
    employee, admin, other_admin = company.user(), company.user("ADMIN"), company.user("ADMIN")
    task = company.task(employee)
    mine, theirs = say(employee, task, "mine"), say(other_admin, task, "theirs")
    assert delete(employee, theirs).status_code == 403
    gone = delete(admin, mine)
    assert gone.status_code == 200
    assert (gone.json()["body"], gone.json()["deleted"], gone.json()["mentions"]) == (None, True, [])
    assert delete(employee, mine).json() == gone.json()  # a retried delete: the same tombstone
    assert employee.patch("/api/comments/%d/" % mine["id"], {"body": "back"}).status_code == 409
    assert [c["deleted"] for c in thread(employee, task)] == [True, False]
    assert delete(employee, {"id": 999999}).status_code == 404


def test_admins_read_every_revision_others_are_403(company):
    employee, admin = company.user(), company.user("ADMIN")
    task = company.task(employee)
    comment = say(employee, task, "v1")
    employee.patch("/api/comments/%d/" % comment["id"], {"body": "v2"})
    delete(employee, comment)
    path = "/api/comments/%d/revisions/" % comment["id"]
    assert employee.get(path).status_code == 403
    answer = admin.get(path).json()
    assert [r["body"] for r in answer["revisions"]] == ["v1", "v2"] and answer["deleted"]
    assert admin.get("/api/comments/999999/revisions/").status_code == 404


def test_mentions_link_every_active_person_named_so_roles_stay_hidden(company):
    employee, outsider, admin = company.user(), company.user(), company.user("ADMIN")
    task = company.task(employee)
    body = "@%s and @%s, ask @%s. @nobody_here" % (employee.user["username"].upper(),
                                                  outsider.user["username"], admin.user["username"])
    comment = say(employee, task, body)
    assert comment["mentions"] == [
        {"id": employee.user["id"], "username": employee.user["username"]},
        {"id": outsider.user["id"], "username": outsider.user["username"]},
        {"id": admin.user["id"], "username": admin.user["username"]}]
    assert comment["body"] == body  # the text itself is kept as written


def test_markup_is_stored_and_returned_as_text(company):
    employee = company.user()
    task = company.task(employee)
    body = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    assert say(employee, task, body)["body"] == body


def test_history_lists_each_change_and_the_chain_verifies(company, server):
    employee, admin = company.user(), company.user("ADMIN")
    task = company.task(employee)
    comment = say(employee, task, "hello")
    employee.patch("/api/comments/%d/" % comment["id"], {"body": "hello again"})
    delete(admin, comment)
    updates = employee.get("/api/task/%d/history/" % task["id"]).json()["updates"]
    actions = [u["action"] for u in updates]
    assert actions[:3] == ["comment_delete", "comment_edit", "comment"]
    assert "hello" not in updates[1]["notes"]  # revisions are for admins: the chain has digests
    intact = run_cli("verify-audit", db_url=server.db_url, check=False)
    assert intact.returncode == 0, intact.stdout + intact.stderr


@pytest.mark.postgres
def test_the_same_rules_hold_on_postgresql(pg_url, tmp_path):
    srv = start_server(tmp_path, db_url=pg_url)
    try:
        company = Company(srv)
        employee, admin = company.user(), company.user("ADMIN")
        task = company.task(employee)
        key = {"body": "on pg", "client_comment_id": "pg-1"}
        first = employee.post(thread_path(task), key)
        assert employee.post(thread_path(task), key).json() == first.json()
        employee.patch("/api/comments/%d/" % first.json()["id"], {"body": "on pg, edited"})
        assert delete(admin, first.json()).json()["deleted"] is True
        assert admin.get("/api/comments/%d/revisions/" % first.json()["id"]).status_code == 200
        assert employee.get("/api/employee-tasks/").json()["tasks"][0]["comment_count"] == 0
    finally:
        srv.stop()
    intact = run_cli("verify-audit", db_url=pg_url, check=False)
    assert intact.returncode == 0, intact.stdout + intact.stderr
