"""TaskManager against a live server: load, push, outage and return, polling, the cache."""
import json

from desktop_client.storage import CACHE_FILE, TaskCache
from desktop_client.sync import LIVE, OFFLINE, POLLING, TaskManager
from desktop_client.api import Client
from support.client import Company
from support.desktop import WAIT, RecordingClient
from support.server import start_server


def server_tasks(employee):
    return employee.get("/api/employee-tasks/").json()["tasks"]


def cached_tasks(folder):
    return sorted(json.loads((folder / CACHE_FILE).read_text())["tasks"], key=lambda t: t["id"])


def test_initial_load_goes_live_and_sorts_by_priority_then_due(qtbot, company, make_manager, app_dir):
    employee = company.user()
    low = company.task(employee, priority="LOW", title="low")
    late = company.task(employee, priority="URGENT", due_date="2031-01-02T10:00:00+00:00")
    soon = company.task(employee, priority="URGENT", due_date="2030-01-02T10:00:00+00:00")
    manager = make_manager(employee, poll_seconds=30)
    with qtbot.waitSignal(manager.tasks_changed, timeout=WAIT,
                          check_params_cb=lambda tasks: len(tasks) == 3):
        manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    assert [t["id"] for t in manager.tasks()] == [soon["id"], late["id"], low["id"]]
    assert cached_tasks(app_dir) == sorted(server_tasks(employee), key=lambda t: t["id"])


def test_a_pushed_update_arrives_without_polling(qtbot, company, make_manager):
    employee = company.user()
    task = company.task(employee)
    manager = make_manager(employee, poll_seconds=60)  # a poll cannot explain a quick arrival
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    with qtbot.waitSignal(manager.tasks_changed, timeout=WAIT,
                          check_params_cb=lambda ts: ts and ts[0]["title"] == "Renamed by admin"):
        company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"title": "Renamed by admin"})
    # Another device of the same employee reports progress: it arrives too.
    with qtbot.waitSignal(manager.tasks_changed, timeout=WAIT,
                          check_params_cb=lambda ts: ts and ts[0]["progress_percentage"] == 35):
        employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 35})


def test_a_task_reassigned_away_disappears(qtbot, company, make_manager):
    employee, other = company.user(), company.user()
    task = company.task(employee)
    manager = make_manager(employee, poll_seconds=60)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE and len(manager.tasks()) == 1, timeout=WAIT)
    with qtbot.waitSignal(manager.tasks_changed, timeout=WAIT, check_params_cb=lambda ts: ts == []):
        company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"assignee_id": other.user["id"]})


def test_outage_goes_offline_then_live_again_and_cache_matches(qtbot, own_server, own_company,
                                                               make_manager, app_dir):
    employee = own_company.user()
    task = own_company.task(employee)
    manager = make_manager(employee, poll_seconds=0.3)
    states = []
    manager.connection_changed.connect(lambda state, _unsent: states.append(state))
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    own_server.stop()
    qtbot.waitUntil(lambda: manager.state == OFFLINE, timeout=2 * WAIT)
    own_server.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=2 * WAIT)
    last_offline = len(states) - 1 - states[::-1].index(OFFLINE)
    # Back to live after the last outage (a reconnect may pass through polling again after it:
    # the manager's state, waited on above, is the answer that counts).
    # the signal saying so is queued from the sync thread: wait for it, as for the state
    qtbot.waitUntil(lambda: LIVE in states[last_offline:], timeout=WAIT)
    # After the return, pushed changes flow again and the cache follows the server.
    own_server_answer = own_company.owner.patch("/api/admin/tasks/%d/" % task["id"],
                                                {"priority": "URGENT"})
    assert own_server_answer.status_code == 200
    qtbot.waitUntil(lambda: manager.tasks()[0]["priority"] == "URGENT", timeout=WAIT)
    qtbot.waitUntil(lambda: cached_tasks(app_dir) == server_tasks(employee), timeout=WAIT)


def polls_see_a_change(qtbot, company, manager, task):
    """Unchanged, a poll is answered 304 and keeps the list; after a change, 200 and a new ETag."""
    answers = manager.client.answers
    qtbot.waitUntil(lambda: 304 in answers, timeout=WAIT)
    etag, seen = manager._etag, len(answers)
    company.owner.patch("/api/admin/tasks/%d/" % task["id"], {"title": "Seen by polling"})
    qtbot.waitUntil(lambda: manager.tasks()[0]["title"] == "Seen by polling", timeout=WAIT)
    assert 200 in answers[seen:] and manager._etag != etag


def test_falls_back_to_polling_when_the_server_refuses_push(qtbot, tmp_path, make_manager):
    """A server that admits no push connection (429 at the handshake): the list stays current by
    polling with ETag, and the manager keeps offering to go back to push."""
    srv = start_server(tmp_path, TRACKER_PUSH_MAX_PER_USER=0)
    try:
        company = Company(srv)
        employee = company.user()
        task = company.task(employee)
        manager = make_manager(employee, poll_seconds=0.3, push_retry=(0.2, 0.4))
        manager.start()
        qtbot.waitUntil(lambda: manager.state == POLLING and len(manager.tasks()) == 1, timeout=WAIT)
        polls_see_a_change(qtbot, company, manager, task)
        assert manager.state == POLLING
        qtbot.waitUntil(lambda: srv.log().count("GET /api/events/ws") >= 2, timeout=WAIT)  # retried
        manager.stop()
    finally:
        srv.stop()


def test_polling_keeps_the_list_current_when_push_is_off(qtbot, company, make_manager):
    employee = company.user()
    task = company.task(employee)
    manager = make_manager(employee, push=False, poll_seconds=0.3)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == POLLING and len(manager.tasks()) == 1, timeout=WAIT)
    polls_see_a_change(qtbot, company, manager, task)
    assert manager.state == POLLING


def test_start_with_server_down_shows_cached_tasks_and_offline(qtbot, qapp, app_dir):
    cached = [{"id": 9, "title": "From cache", "priority": "HIGH", "status": "IN_PROGRESS",
               "progress_percentage": 40, "due_date": None, "version": 3,
               "assignee": {"id": 5, "username": "u", "full_name": "U"}, "project": None}]
    TaskCache(app_dir).save(cached, 17, '"tag"', user=5)
    client = RecordingClient("http://127.0.0.1:9")
    manager = TaskManager(client, app_dir, 5, poll_seconds=0.2)
    try:
        with qtbot.waitSignal(manager.tasks_changed, timeout=1000,
                              check_params_cb=lambda ts: [t["title"] for t in ts] == ["From cache"]):
            manager.start()
        assert manager.state == OFFLINE
        # Failed polls must leave the cache alone: wait for a few of them to have happened.
        qtbot.waitUntil(lambda: client.answers.count(client.UNAVAILABLE) >= 3, timeout=WAIT)
        assert manager.state == OFFLINE
        assert TaskCache(app_dir).load()["tasks"] == cached
    finally:
        manager.stop()


def test_cache_of_another_user_is_not_shown(qtbot, qapp, app_dir):
    TaskCache(app_dir).save([{"id": 1, "title": "not yours"}], 3, None, user=99)
    manager = TaskManager(Client("http://127.0.0.1:9"), app_dir, 5)
    assert manager.tasks() == []
