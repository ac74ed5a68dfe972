"""The history reads as sentences in local time with the zone (issue 30 item 3): never an action
name, a hash, a revision or a UTC stamp, for every kind of audit row; every column has a header;
and a dialog closed while its request runs is safe (issue 23 item 5, jobs.py)."""
import re
import threading
import time

from desktop_client import jobs
from desktop_client.views.history_dialog import HistoryDialog, sentence
from support.desktop import WAIT
from support.timer import ago, iso

INTERNAL = re.compile(r"time_entry|comment_|sha256|revision|\d{4}-\d\d-\d\dT|\(user\)|\(idle\)")


def every_kind_of_row(company, employee):
    """One task whose history holds each action: create, progress, complete, edit, reassign
    and back, link, unlink, comments (written, edited, deleted), timer and entries."""
    task = company.old_task(employee)
    other = company.old_task(employee)
    owner, path = company.owner, "/api/task/%d/" % task["id"]
    assert employee.post(path + "progress/", {"progress_percentage": 30}).status_code == 200
    comment = employee.post(path + "comments/", {"body": "hello @%s" % employee.user["username"]})
    employee.patch("/api/comments/%d/" % comment.json()["id"], {"body": "hello again"})
    employee.request("DELETE", "/api/comments/%d/" % comment.json()["id"])
    employee.post(path + "timer/start/")
    employee.post("/api/timer/stop/")
    made = employee.post(path + "time-entries/", {"started_at": iso(ago(90)),
                                                  "ended_at": iso(ago(60))}).json()
    employee.patch("/api/time-entries/%d/" % made["id"], {"note": "fixed"})
    employee.request("DELETE", "/api/time-entries/%d/" % made["id"])
    admin = "/api/admin/tasks/%d/" % task["id"]
    owner.patch(admin, {"title": "Renamed"})
    owner.post(admin + "dependencies/", {"depends_on": other["id"]})
    owner.request("DELETE", admin + "dependencies/%d/" % other["id"])
    assert employee.post(path + "complete/", {}).status_code == 200
    return task


def test_every_kind_of_history_row_reads_as_a_sentence_in_local_time(qtbot, company,
                                                                     make_manager):
    employee = company.user()
    task = every_kind_of_row(company, employee)
    rows = employee.history(task["id"])
    kinds = {row["action"] for row in rows}
    assert {"create", "progress", "complete", "edit", "comment", "comment_edit",
            "comment_delete", "time_entry", "time_entry_edit", "time_entry_delete"} <= kinds
    dialog = HistoryDialog(make_manager(employee).client, task)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == len(rows), timeout=WAIT)
    headers = [dialog.table.horizontalHeaderItem(c).text()
               for c in range(dialog.table.columnCount())]
    assert all(headers), headers
    zone = time.strftime("%Z")
    for row in range(dialog.table.rowCount()):
        cells = [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]
        assert cells[0].endswith(zone) and cells[2], cells
        assert not INTERNAL.search(" ".join(cells)), cells
    assert sentence({"action": "progress", "text": "Set progress to 30 %", "notes": ""}) == \
        "Set progress to 30 %"  # the server's own sentence, where it sends one


class HeldHistory:
    """The real client, its history read held until the test lets it go."""

    def __init__(self, client):
        self.client, self.go = client, threading.Event()

    def history(self, task_id, before=None):
        self.go.wait(WAIT / 1000)
        return self.client.history(task_id, before)


def test_a_dialog_closed_while_its_request_runs_is_safe(qtbot, company, make_manager):
    employee = company.user()
    task = company.old_task(employee)
    held = HeldHistory(make_manager(employee).client)
    dialog = HistoryDialog(held, task)
    dialog.show()
    job = dialog.job
    with qtbot.waitSignal(dialog.destroyed, timeout=WAIT):
        dialog.close()
        dialog.deleteLater()
    held.go.set()
    assert job.finished.wait(WAIT / 1000) and job.cancelled
    qtbot.waitUntil(lambda: job not in jobs.Job._alive, timeout=WAIT)
    # pytest-qt fails the test on any exception raised in the Qt event loop meanwhile.
