"""The outbox against a live server: offline updates delivered in order exactly once, refusals
surfaced with the server's reason, a 401 keeps the outbox until the user signs in again."""
from support.server import USER_PASSWORD
from support.desktop import WAIT
from desktop_client.outbox import Outbox
from desktop_client.sync import LIVE, OFFLINE
from desktop_client.views.main_window import MainWindow


def history(api, task_id):
    """The task's audit rows, oldest first."""
    answer = api.get("/api/task/%d/history/" % task_id)
    assert answer.status_code == 200, answer.text
    return answer.json()["updates"][::-1]


def test_updates_made_offline_are_delivered_in_order_exactly_once(qtbot, own_server, own_company,
                                                                  make_manager, app_dir):
    employee = own_company.user()
    task = own_company.task(employee)
    manager = make_manager(employee)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    own_server.stop()
    qtbot.waitUntil(lambda: manager.state == OFFLINE, timeout=2 * WAIT)

    made = [manager.submit_progress(task["id"], 10, "started"),
            manager.submit_progress(task["id"], 45, "halfway"),
            manager.submit_progress(task["id"], 30, "less than I thought"),
            manager.complete(task["id"], "finished")]
    assert len(Outbox(app_dir, employee.user["id"])) == 4  # on disk before any network attempt
    shown = manager.tasks()[0]
    assert (shown["progress_percentage"], shown["status"], shown["unsent"]) == (100, "DONE", True)

    delivered = []
    manager.update_delivered.connect(lambda entry, _answer: delivered.append(entry))
    own_server.start()
    qtbot.waitUntil(lambda: len(delivered) == 4, timeout=WAIT)
    assert manager.unsent() == 0
    assert [e["client_update_id"] for e in delivered] == [e["client_update_id"] for e in made]

    rows = [r for r in history(employee, task["id"]) if r["client_update_id"]]
    assert [r["client_update_id"] for r in rows] == [e["client_update_id"] for e in made]
    assert [(r["new_percentage"], r["notes"]) for r in rows] == [
        (10, "started"), (45, "halfway"), (30, "less than I thought"), (100, "finished")]
    qtbot.waitUntil(lambda: manager.tasks()[0]["status"] == "DONE"
                    and not manager.tasks()[0]["unsent"], timeout=WAIT)


def test_replaying_an_acknowledged_outbox_writes_nothing_twice(qtbot, company, make_manager, app_dir):
    """A crash after the server wrote an update but before the outbox forgot it: the next start
    sends it again, and the server's idempotency answers without a second row."""
    employee = company.user()
    task = company.task(employee)
    outbox = Outbox(app_dir, employee.user["id"])
    entry = outbox.add("progress", task["id"], 60, "sent twice")
    first = make_manager(employee)
    first.start()
    qtbot.waitUntil(lambda: first.unsent() == 0, timeout=WAIT)
    first.stop()
    replay = Outbox(app_dir, employee.user["id"]).journal  # put back what the file held before
    replay.pending.append(entry)                              # the crash
    replay.save()
    second = make_manager(employee)
    answers = []
    second.update_delivered.connect(lambda _e, answer: answers.append(answer))
    second.start()
    qtbot.waitUntil(lambda: second.unsent() == 0 and len(answers) == 1, timeout=WAIT)
    rows = [r for r in history(employee, task["id"]) if r["client_update_id"]]
    assert [r["client_update_id"] for r in rows] == [entry["client_update_id"]]
    assert answers[0]["update_id"] == rows[0]["id"]


def test_refused_update_is_surfaced_with_the_reason_and_removed(qtbot, company, make_manager, app_dir):
    employee = company.user()
    task = company.task(employee)
    kept = company.task(employee)
    manager = make_manager(employee)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    assert company.owner.patch("/api/admin/tasks/%d/" % task["id"],
                               {"status": "CANCELLED"}).status_code == 200
    with qtbot.waitSignal(manager.update_refused, timeout=2 * WAIT) as refused:
        doomed = manager.submit_progress(task["id"], 50, "too late")
        after = manager.submit_progress(kept["id"], 20, "still fine")
    entry = refused.args[0]
    assert entry["client_update_id"] == doomed["client_update_id"]
    assert entry["refused_status"] == 409 and "cancelled" in entry["refused_reason"]
    qtbot.waitUntil(lambda: manager.unsent() == 0, timeout=WAIT)
    # The refusal did not block the next update, and it waits (on disk) until the user saw it.
    assert history(employee, kept["id"])[-1]["client_update_id"] == after["client_update_id"]
    outbox = Outbox(app_dir, employee.user["id"])
    assert [e["client_update_id"] for e in outbox.refused()] == [doomed["client_update_id"]]
    manager.dismiss_refused(doomed["client_update_id"])
    assert outbox.refused() == [] and len(outbox) == 0


def test_expired_token_keeps_the_outbox_and_resumes_after_login(qtbot, company, make_manager, app_dir):
    employee = company.user()
    task = company.task(employee)
    manager = make_manager(employee)
    window = MainWindow(manager, employee.user)
    qtbot.addWidget(window)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    # The server closes the push stream of a revoked token at once, so the manager may learn of
    # the logout from the stream before the update is even sent: wait from the logout on.
    with qtbot.waitSignal(manager.auth_required, timeout=2 * WAIT):
        assert employee.post("/api/auth/logout/").status_code == 204
        entry = manager.submit_progress(task["id"], 70, "after logout")
    pending = Outbox(app_dir, employee.user["id"]).pending()
    assert [e["client_update_id"] for e in pending] == [entry["client_update_id"]]
    assert window.connection.text().endswith("Signed out — 1 unsent")
    again = employee.login(employee.user["username"], USER_PASSWORD)
    manager.set_token(again.token)
    qtbot.waitUntil(lambda: manager.unsent() == 0, timeout=2 * WAIT)
    assert history(again, task["id"])[-1]["client_update_id"] == entry["client_update_id"]
    qtbot.waitUntil(lambda: window.connection.text().endswith("Live"), timeout=WAIT)
