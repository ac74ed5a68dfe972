"""Desktop test helpers: the wait budget, the real API client with a record of its answers, and
the real X server (Xvfb), input (xdotool) and D-Bus session bus the platform tests run against."""
import contextlib
import os
import secrets
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from desktop_client.api import Client, Unavailable
from desktop_client.sync import TaskManager
from desktop_client.views.main_window import MainWindow
from support.client import Api
from support.server import IN_CI, USER_PASSWORD

WAIT = 15000  # ms: generous, since a loaded 2-core CI box is slow; a passing test never waits it out


class RecordingClient(Client):
    """The desktop's own client; notes what each task list request got: 200, 304 or UNAVAILABLE,
    so a test can wait for a poll to have happened instead of sleeping."""
    UNAVAILABLE = "unavailable"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = []

    def employee_tasks(self, etag=None):
        try:
            body, tag = super().employee_tasks(etag)
        except Unavailable:
            self.answers.append(self.UNAVAILABLE)
            raise
        self.answers.append(304 if body is None else 200)
        return body, tag


def require_tool(path, package):
    """Skip with the install line outside CI; fail under CI=true, where .ci/run installs it."""
    if shutil.which(path):
        return
    message = "%s is needed: apt-get install %s" % (path, package)
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@contextlib.contextmanager
def session_bus():
    """A private D-Bus session bus (Debian's dbus-daemon); yields its address."""
    require_tool("dbus-daemon", "dbus")
    proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = proc.stdout.readline().strip()
        assert address.startswith("unix:"), address
        yield address
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()


@contextlib.contextmanager
def xvfb():
    """A real X server with no screen (Xvfb), on a display number it picks itself; yields ":N"."""
    require_tool("Xvfb", "xvfb")
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-nolisten", "tcp",
                             "-screen", "0", "1280x1024x24"], pass_fds=(write,),
                            stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        assert number.isdigit(), "Xvfb did not start"
        yield ":" + number
    finally:
        proc.terminate()
        proc.wait(10)


def xdotool(display, *args):
    """Real input into the X server, as a person's mouse would give it."""
    require_tool("xdotool", "xdotool")
    subprocess.run(["xdotool", *args], check=True, timeout=30,
                   env=dict(os.environ, DISPLAY=display))


def iso(delta, timespec="seconds"):
    return (datetime.now(timezone.utc) + delta).isoformat(timespec=timespec)


def task(id_, priority="MEDIUM", due=None, status="IN_PROGRESS", progress=40, title=None):
    """A task as the server sends it (its overdue fields as tests/desktop/test_tasklist.py
    shows the server computes them)."""
    open_ = status in ("PENDING", "IN_PROGRESS")
    overdue_at = due if open_ else None
    return {"id": id_, "title": title or "Task %d" % id_, "priority": priority, "status": status,
            "progress_percentage": progress, "due_date": due, "version": 1,
            "is_overdue": bool(overdue_at) and overdue_at < iso(timedelta()),
            "overdue_at": overdue_at,
            "project": {"id": 1, "name": "Website relaunch"},
            "assignee": {"id": 5, "username": "u", "full_name": "U"}}


def offline_window(qtbot, app_dir):
    manager = TaskManager(Client("http://127.0.0.1:9"), app_dir, 5)
    window = MainWindow(manager, {"username": "u", "full_name": "Uma User"})
    qtbot.addWidget(window)
    return manager, window


def demo_employee(company):
    """Emma Schmidt with four tasks of a realistic day (for the screenshots); her Api."""
    name = "emma_%s" % secrets.token_hex(3)
    assert company.owner.post("/api/admin/users/", {"username": name, "full_name": "Emma Schmidt",
                                                    "role": "EMPLOYEE",
                                                    "password": USER_PASSWORD}).status_code == 201
    employee = Api(company.server.url).login(name, USER_PASSWORD)
    project = company.owner.post("/api/admin/projects/", {
        "name": "Mobile app 2.0", "description": "Offline mode and the new onboarding"}).json()
    specs = [("Fix checkout tax rounding", "URGENT", -timedelta(hours=3), 60,
              "Totals are off by a cent when a basket mixes 7 % and 19 % items."),
             ("Push notification opt-in", "HIGH", timedelta(days=1, hours=4), 35, ""),
             ("Write release notes", "MEDIUM", timedelta(days=3), 0,
              "One paragraph per feature; link the tickets."),
             ("Dark mode palette", "LOW", None, 85, "")]
    for title, priority, due, progress, description in specs:
        created = company.task(employee, title=title, priority=priority, description=description,
                               project_id=project["id"], due_date=iso(due) if due else None)
        if progress:
            employee.post("/api/task/%d/progress/" % created["id"], {"progress_percentage": progress})
    return employee


def unclipped(window):
    """The visible labels, fields and buttons given less room than they need (height or width):
    a layout that collapsed, or a text pushed off the window."""
    from PyQt5.QtWidgets import QLabel, QLineEdit, QPushButton
    squeezed = []
    for widget in window.findChildren((QLabel, QLineEdit, QPushButton)):
        if not widget.isVisibleTo(window):
            continue
        need = widget.minimumSizeHint()
        if not isinstance(widget, QLabel):  # fields and buttons: the height they ask for
            need.setHeight(widget.sizeHint().height())
        if isinstance(widget, QLabel) and widget.wordWrap():
            need.setHeight(widget.heightForWidth(widget.width()))
            need.setWidth(0)
        right = widget.mapTo(window, widget.rect().topRight()).x()
        if widget.height() < need.height() or widget.width() < need.width() \
                or right > window.width():
            squeezed.append(widget.accessibleName() or widget.text()[:30])
    return squeezed
