"""A mention becomes one tray notice: through the real server's push channel into the window's
notifier, once per comment (not for an edit, a replay, one's own comment or someone else's name)."""
from support.desktop import WAIT
from desktop_client.sync import LIVE
from desktop_client.views.main_window import MainWindow
from desktop_client.notifier import Notifier, mention_of


def write(api, task_id, body):
    answer = api.post("/api/task/%d/comments/" % task_id, {"body": body})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_mention_by_someone_else_is_told_once(qtbot, company, make_manager):
    employee, admin = company.user(), company.user("ADMIN")
    task = company.task(employee, title="Quarterly report")
    manager = make_manager(employee)
    window = MainWindow(manager, employee.user)
    qtbot.addWidget(window)
    manager.start()
    qtbot.waitUntil(lambda: manager.state == LIVE, timeout=WAIT)
    told, events = [], []
    window.notifier.notified.connect(lambda title, message: told.append((title, message)))
    # Connected after the notifier: when an event reaches this list, the notifier has seen it.
    manager.comment_event.connect(events.append)
    me = "@%s" % employee.user["username"]

    write(employee, task["id"], "note to self %s" % me)
    write(admin, task["id"], "no names here")
    mention = write(admin, task["id"], "%s can you check the totals?" % me)
    assert [m["id"] for m in mention["mentions"]] == [employee.user["id"]]
    qtbot.waitUntil(lambda: len(events) == 3, timeout=WAIT)
    assert told == [("Mentioned", "%s mentioned you on “Quarterly report”."
                     % admin.user["full_name"])]
    assert window.toast.text() == told[0][1]  # offscreen there is no tray: the toast says it

    admin.patch("/api/comments/%d/" % mention["id"], {"body": "%s totals, please" % me})
    qtbot.waitUntil(lambda: [e["type"] for e in events][-1:] == ["comment.edited"], timeout=WAIT)
    created = next(e for e in events if e["comment"]["id"] == mention["id"])
    manager.comment_event.emit(created)  # the same event again, as after a reconnect
    assert len(told) == 1


def event(kind, author_id, mentioned, comment_id=7, deleted=False):
    return {"type": kind, "task": {"id": 1, "title": "T"},
            "comment": {"id": comment_id, "deleted": deleted, "mentions": [{"id": m, "username": "u"}
                                                                         for m in mentioned],
                        "author": {"id": author_id, "username": "ann", "full_name": ""}}}


def test_only_a_new_comment_by_another_naming_me_is_a_mention():
    assert mention_of(event("comment.created", 2, [5]), 5) == ("ann", "T")  # no full name: username
    assert mention_of(event("comment.created", 5, [5]), 5) is None
    assert mention_of(event("comment.created", 2, [6]), 5) is None
    assert mention_of(event("comment.edited", 2, [5]), 5) is None
    assert mention_of(event("comment.deleted", 2, [], deleted=True), 5) is None


def test_each_mentioning_comment_is_told_once(qtbot):
    notifier, told = Notifier(had_cache=True, user_id=5), []
    notifier.notified.connect(lambda *args: told.append(args))
    for comment_id in (7, 7, 8):
        notifier.comment_event(event("comment.created", 2, [5], comment_id))
    assert [message for _title, message in told] == ["ann mentioned you on “T”."] * 2
