"""Lists that grow come in pages: task history, users, and the employee's closed tasks."""
import datetime

import pytest

from server.services.tasks import tasks
from server.store.times import utcnow
from support.db import new_task, people, progress


def walk(first, fetch_after):
    """Every item of a paged list: the first page, then each page its `next` points to."""
    items, page = [], first
    while True:
        body = page.json()
        assert page.status_code == 200, page.text
        items += body.get("updates") or body.get("users") or body.get("tasks")
        if body["next"] is None:
            return items
        page = fetch_after(body["next"])


def test_task_history_pages_newest_first_without_gaps(company):
    ann = company.user()
    task = company.task(ann)
    for percent in range(1, 13):
        ann.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": percent})
    path = "/api/task/%d/history/" % task["id"]
    whole = ann.get(path).json()
    assert whole["next"] is None and len(whole["updates"]) == 13  # a short history: one page
    rows = walk(ann.get(path + "?limit=5"), lambda n: ann.get(path + "?limit=5&before=%d" % n))
    assert [r["id"] for r in rows] == [r["id"] for r in whole["updates"]]
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)


def test_users_page_by_username(company):
    for _ in range(3):
        company.user()
    whole = company.owner.get("/api/admin/users/").json()
    assert whole["next"] is None
    rows = walk(company.owner.get("/api/admin/users/?limit=2"),
                lambda n: company.owner.get("/api/admin/users/", params={"limit": 2, "after": n}))
    assert [u["username"] for u in rows] == [u["username"] for u in whole["users"]]
    assert rows == sorted(rows, key=lambda u: u["username"])


@pytest.mark.parametrize("path", [
    "/api/task/{task}/history/?limit=0", "/api/task/{task}/history/?limit=501",
    "/api/task/{task}/history/?limit=x", "/api/task/{task}/history/?before=0",
    "/api/task/{task}/history/?before=-3", "/api/admin/users/?limit=", "/api/admin/users/?after=",
    "/api/employee-tasks/?include=old", "/api/employee-tasks/?done_before=abc",
    "/api/employee-tasks/?done_before=5&include=all", "/api/employee-tasks/?limit=5",
])
def test_bad_paging_arguments_are_refused_clearly(company, path):
    owner = company.owner
    task = company.task(company.user())
    answer = owner.get(path.format(task=task["id"]))
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["field"] in ("limit", "before", "after", "include", "done_before")


def test_another_employees_history_stays_forbidden_at_every_page(company):
    ann, bob = company.user(), company.user()
    task = company.task(ann)
    assert bob.get("/api/task/%d/history/?before=99&limit=1" % task["id"]).status_code == 403


def test_each_list_view_has_its_own_etag_and_304(company):
    ann = company.user()
    company.task(ann)
    for path in ("/api/employee-tasks/", "/api/employee-tasks/?include=all",
                 "/api/employee-tasks/?done_before=2147483647&limit=10"):
        first = ann.get(path)
        assert first.status_code == 200 and "next" in first.json()
        again = ann.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path
    tags = {ann.get(p).headers["ETag"] for p in ("/api/employee-tasks/", "/api/employee-tasks/?include=all")}
    assert len(tags) == 2


def test_closed_tasks_leave_the_default_list_after_thirty_days_and_page_back(database):
    admin, ann, _bob = people()
    open_task = new_task(admin, ann)
    closed = [new_task(admin, ann) for _ in range(5)]
    for task in closed:
        progress(ann, task["id"], 100, complete=True)
    today, later = tasks.list_for_user(ann)
    assert len(today) == 6 and later is None
    month_on = utcnow() + datetime.timedelta(days=31)
    shown, older = tasks.list_for_user(ann, now=month_on)
    assert [t["id"] for t in shown] == [open_task["id"]] and older == closed[-1]["id"] + 1
    paged, cursor = [], older
    while cursor is not None:
        page, cursor = tasks.list_for_user(ann, {"done_before": cursor, "limit": 2}, now=month_on)
        paged += [t["id"] for t in page]
    assert paged == [t["id"] for t in reversed(closed)]
    everything, _none = tasks.list_for_user(ann, {"include": "all"}, now=month_on)
    assert len(everything) == 6
