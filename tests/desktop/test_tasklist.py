"""The desktop's task list rules: its offline status guess agrees with the server's rule, and an
unsent update is shown as the server then sends the task; overdue follows the server's moment."""
from datetime import datetime, timedelta, timezone

import pytest

from desktop_client.tasklist import is_overdue, ms_to_next_overdue, status_for, with_update
from server.services.tasks import view as server_rules

NOW = datetime(2030, 5, 6, 12, 0, tzinfo=timezone.utc)


def test_status_for_agrees_with_the_server_over_every_value():
    for progress_percentage in range(0, 101):
        assert status_for(progress_percentage) == server_rules.status_for(progress_percentage)


def test_only_done_is_closed_among_the_statuses_status_for_gives():
    """with_update counts every status but DONE as open: the server's open statuses."""
    for progress_percentage in range(0, 101):
        status = status_for(progress_percentage)
        assert (status in server_rules.OPEN_STATUSES) == (status != "DONE")


def server_task(employee, task_id):
    found = [t for t in employee.get("/api/employee-tasks/").json()["tasks"] if t["id"] == task_id]
    return found[0]


def shown(task):
    return (task["progress_percentage"], task["status"], task["overdue_at"], is_overdue(task))


@pytest.mark.parametrize("due_in", [timedelta(hours=-2), timedelta(days=3), None])
def test_an_unsent_update_shows_what_the_server_then_sends(company, due_in):
    employee = company.user()
    due = (datetime.now(timezone.utc) + due_in).isoformat(timespec="seconds") if due_in else None
    created = company.task(employee, due_date=due)
    for progress_percentage in (40, 100, 30, 0):  # 30 after 100 reopens the task
        guessed = with_update(server_task(employee, created["id"]), progress_percentage)
        employee.post("/api/task/%d/progress/" % created["id"],
                      {"progress_percentage": progress_percentage})
        sent = server_task(employee, created["id"])
        assert shown(guessed) == shown(sent)
        assert is_overdue(sent) == sent["is_overdue"]


def test_the_server_gives_the_overdue_moment_of_open_dated_tasks_only(company):
    employee = company.user()
    due = "2031-01-02T10:00:00+00:00"
    dated, undated = company.task(employee, due_date=due), company.task(employee)
    assert server_task(employee, dated["id"])["overdue_at"] == due
    assert server_task(employee, undated["id"])["overdue_at"] is None
    employee.post("/api/task/%d/complete/" % dated["id"], {})
    assert server_task(employee, dated["id"])["overdue_at"] is None


def test_overdue_is_the_servers_answer_or_past_its_moment():
    soon = (NOW + timedelta(seconds=90)).isoformat()
    assert is_overdue({"is_overdue": True, "overdue_at": None}, NOW)
    assert not is_overdue({"is_overdue": False, "overdue_at": soon}, NOW)
    assert is_overdue({"is_overdue": False, "overdue_at": soon}, NOW + timedelta(seconds=91))
    assert not is_overdue({"is_overdue": False, "overdue_at": None}, NOW + timedelta(days=9))


def test_the_next_overdue_moment_is_the_earliest_still_to_come():
    at = lambda seconds: (NOW + timedelta(seconds=seconds)).isoformat()  # noqa: E731
    tasks = [{"is_overdue": False, "overdue_at": at(300)}, {"is_overdue": False, "overdue_at": at(2)},
             {"is_overdue": False, "overdue_at": at(-60)}, {"is_overdue": True, "overdue_at": at(-9)},
             {"is_overdue": False, "overdue_at": None}]
    assert ms_to_next_overdue(tasks, NOW) == 2001
    assert ms_to_next_overdue(tasks[2:], NOW) is None
    assert ms_to_next_overdue([{"overdue_at": at(10 ** 7)}], NOW) == 86_400_000  # waited in steps
