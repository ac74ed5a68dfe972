"""The login dialog against the live server: wrong password stays, right password signs in."""
import requests
from PyQt5.QtCore import Qt

from support.server import USER_PASSWORD
from support.server import ROOT
from support.desktop import WAIT, unclipped
from desktop_client.views.login_dialog import LoginDialog

ARTIFACTS = ROOT / "artifacts"


def test_login_dialog_signs_in_and_reports_a_wrong_password(qtbot, company):
    employee = company.user()
    dialog = LoginDialog(company.server.url, employee.user["username"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "wrong password")
    qtbot.mouseClick(dialog.button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.text() == "Wrong username or password.", timeout=WAIT)
    assert dialog.result() == 0 and dialog.client.token is None
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, USER_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        qtbot.mouseClick(dialog.button, Qt.LeftButton)
    assert dialog.user["id"] == employee.user["id"] and dialog.client.token


def test_login_dialog_says_in_words_when_the_server_is_down_and_keeps_its_layout(qtbot, qapp):
    """Issue 30 item 4: words, never `HTTPConnectionPool(…)`, and no field squeezed."""
    dialog = LoginDialog("http://127.0.0.1:9", "someone")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "x")
    qtbot.mouseClick(dialog.button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.text().startswith("Can't reach the server at "
                                                           "http://127.0.0.1:9."), timeout=WAIT)
    assert "HTTPConnectionPool" not in dialog.error.text() and dialog.button.isEnabled()
    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "desktop-signin-down.png"))
    assert unclipped(dialog) == []
    dialog.resize(dialog.minimumWidth(), 60)  # someone drags it small: it keeps what it needs
    qtbot.waitUntil(lambda: dialog.height() >= dialog.minimumHeight() > 60, timeout=WAIT)
    assert unclipped(dialog) == []



def test_login_dialog_explains_throttling(qtbot, company):
    employee = company.user()
    dialog = LoginDialog(company.server.url, employee.user["username"])
    qtbot.addWidget(dialog)
    for _ in range(5):
        requests.post(company.server.url + "/api/auth/token/", json={
            "username": employee.user["username"], "password": "nope"}, timeout=10)
    qtbot.keyClicks(dialog.password, USER_PASSWORD)
    qtbot.mouseClick(dialog.button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.text().startswith("Too many failed attempts."),
                    timeout=WAIT)
    assert "Try again in" in dialog.error.text()
