"""The desktop app's password sign-in asks for the second factor's code when the account has one
(real Qt widgets offscreen, against a live server; pyotp computes the codes)."""
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import pyotp  # noqa: E402
import pytest  # noqa: E402
from PyQt5.QtCore import Qt  # noqa: E402

from desktop_client.views.login_dialog import LoginDialog  # noqa: E402
from support.server import USER_PASSWORD  # noqa: E402

pytestmark = pytest.mark.desktop
WAIT = 15000


def test_the_dialog_asks_for_the_code_then_signs_in(qtbot, company):
    employee = company.user()
    secret = employee.post("/api/me/2fa/totp/").json()["secret"]
    assert employee.post("/api/me/2fa/totp/confirm/",
                         {"code": pyotp.TOTP(secret).now()}).status_code == 200
    dialog = LoginDialog(company.server.url, employee.user["username"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.otp.isVisible()
    qtbot.keyClicks(dialog.password, USER_PASSWORD)
    qtbot.mouseClick(dialog.button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.otp.isVisible(), timeout=WAIT)
    assert "authenticator app" in dialog.error.text()
    qtbot.keyClicks(dialog.otp, pyotp.TOTP(secret).at(time.time() + 30))
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        qtbot.mouseClick(dialog.button, Qt.LeftButton)
    assert dialog.user["id"] == employee.user["id"] and dialog.client.token
