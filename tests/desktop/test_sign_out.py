"""Sign out and switch user through the app's own session loop: the window's Sign out ends the Qt
loop, OFFLINE is sent, the token is revoked on the server and forgotten here, and the next sign-in
always asks, so another person can sign in on the same computer."""
import argparse

from PyQt5.QtCore import QTimer
from PyQt5.QtWidgets import QApplication

from support.desktop import WAIT
from support.server import USER_PASSWORD
from desktop_client import storage
from desktop_client.__main__ import SIGN_OUT, run_session, sign_in
from desktop_client.api import Client
from desktop_client.views.login_dialog import LoginDialog
from desktop_client.views.main_window import MainWindow

ARGS = argparse.Namespace(server=None, username=None, poll_seconds=0.3, idle_after=None)


def when_shown(kind, act):
    """Run `act(widget)` once a top-level widget of `kind` is visible (checked on the Qt loop)."""
    timer = QTimer()

    def look():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                timer.stop()
                act(widget)
                return
    timer.timeout.connect(look)
    timer.start(50)
    return timer


def test_sign_out_revokes_the_token_and_the_next_sign_in_asks(qtbot, qapp, company, app_dir,
                                                                monkeypatch):
    employee, other = company.user(), company.user()
    settings, tokens = storage.Settings(app_dir), storage.TokenStore(app_dir)
    client = Client(employee.base_url, employee.token)
    tokens.save(client.base_url, client.token, employee.user)

    def sign_out_when_live(window):
        qtbot.waitUntil(lambda: window.manager.state == "live", timeout=WAIT)
        window.header.menu.actions()[1].trigger()  # the account menu's "Sign out"
    watcher = when_shown(MainWindow, sign_out_when_live)
    assert run_session(qapp, client, employee.user, app_dir, settings, tokens, ARGS) == SIGN_OUT
    watcher.stop()
    assert tokens.load() is None
    assert employee.get("/api/employee-tasks/").status_code == 401  # ended on the server too
    seen = {r["id"]: r["occupancy_status"]
            for r in company.owner.get("/api/admin/task-status/").json()["employees"]}
    assert seen[employee.user["id"]] == "OFFLINE"

    monkeypatch.setenv("TRACKER_PASSWORD", USER_PASSWORD)  # even scripted, a sign-out asks

    def fill(dialog):
        assert dialog.username.text() == ""  # not the person who just left
        dialog.username.setText(other.user["username"])
        dialog.password.setText(USER_PASSWORD)
        dialog.button.click()
    watcher = when_shown(LoginDialog, fill)
    args = argparse.Namespace(**dict(vars(ARGS), server=employee.base_url,
                                     username=employee.user["username"]))
    new_client, user = sign_in(args, storage.Settings(app_dir), tokens, fresh=True)
    watcher.stop()
    assert user["id"] == other.user["id"] and new_client.token != employee.token
