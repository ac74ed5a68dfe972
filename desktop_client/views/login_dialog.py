"""Login: server URL, username, password. The request runs off the GUI thread."""
import threading

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout)

from ..api import AuthRequired, Client, Refused, Throttled, Unavailable
from ..browser_signin import BrowserSignIn
from .style import STYLESHEET


SIGN_IN_WORDS = {
    "otp_required": "Enter the code from your authenticator app (or a recovery code).",
    "otp_invalid": "That code is wrong or was used already.",
    "passkey_required": "This account confirms sign-ins with a passkey: use Sign in with your browser.",
    "sso_only": "Passwords are turned off here: use Sign in with your browser.",
}


class LoginDialog(QDialog):
    """On success `client` holds the token and `user` the server's user object."""
    _finished = pyqtSignal(object, str)  # user or None, error message

    def __init__(self, server="", username="", message="", parent=None):
        super().__init__(parent)
        self.setWindowTitle("Sign in — Progress Tracker")
        self.setStyleSheet(STYLESHEET)
        self.setMinimumWidth(380)
        self.client, self.user = None, None
        heading = QLabel("Sign in")
        heading.setObjectName("sectionTitle")
        self.server = QLineEdit(server)
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        for field, name in ((self.server, "Server address"), (self.username, "Username"),
                            (self.password, "Password")):
            field.setAccessibleName(name)
        self.error = QLabel(message)
        self.error.setObjectName("overdue")
        self.error.setWordWrap(True)
        self.button = QPushButton("Sign in")
        self.button.setObjectName("primary")
        self.button.setDefault(True)
        self.button.setAccessibleName("Sign in")
        self.button.clicked.connect(self.submit)
        form = QFormLayout()
        form.addRow("Server", self.server)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        self._company_sign_in(form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.button, 0, Qt.AlignRight)
        layout.addWidget(self.browser_button, 0, Qt.AlignRight)
        (self.password if username else self.username).setFocus()
        self._finished.connect(self._done)

    def submit(self):
        server, username = self.server.text().strip(), self.username.text().strip()
        if not server or not username or not self.password.text():
            self.error.setText("Fill in the server, your username and your password.")
            return
        self.button.setEnabled(False)
        self.error.setText("Signing in…")
        client, password = Client(server), (self.password.text(), self.otp.text().strip() or None)
        self.client = client
        threading.Thread(target=self._login, args=(client, username, password), daemon=True).start()

    def _company_sign_in(self, form):
        """The second factor's code (shown when asked for) and the browser sign-in (RFC 8252)."""
        self.otp = QLineEdit()
        self.otp.setAccessibleName("Code from your authenticator app")
        form.addRow("Code", self.otp)
        self.otp_row = form
        self._hide_otp()
        self.browser_button = QPushButton("Sign in with your browser")
        self.browser_button.setAccessibleName("Sign in with your browser")
        self.browser_button.clicked.connect(self.submit_in_browser)

    def _hide_otp(self):
        self.otp.hide()
        self.otp_row.labelForField(self.otp).hide()

    def _show_otp(self):
        self.otp.show()
        self.otp_row.labelForField(self.otp).show()
        self.otp.setFocus()

    def submit_in_browser(self):
        """RFC 8252: the system browser signs in (any way the server allows), the app gets a token."""
        server = self.server.text().strip()
        if not server:
            self.error.setText("Fill in the server address first.")
            return
        self.button.setEnabled(False)
        self.error.setText("Continue in your browser…")
        self.client = Client(server)
        signin = BrowserSignIn()
        threading.Thread(target=self._login, args=(self.client, None, None, signin.run),
                         daemon=True).start()

    def _login(self, client, username, password, browser_run=None):
        try:
            self._finished.emit(browser_run(client) if browser_run else client.login(
                username, *password), "")
        except AuthRequired as exc:
            self._finished.emit(None, SIGN_IN_WORDS.get(exc.code, "Wrong username or password."))
        except Refused as exc:
            self._finished.emit(None, exc.message)
        except Throttled as exc:
            wait = " Try again in %d s." % exc.retry_after if exc.retry_after else ""
            self._finished.emit(None, "Too many failed attempts.%s" % wait)
        except Unavailable as exc:
            self._finished.emit(None, "The server does not answer (%s)." % exc)

    def _done(self, user, error):
        self.button.setEnabled(True)
        if error in (SIGN_IN_WORDS["otp_required"], SIGN_IN_WORDS["otp_invalid"]):
            self._show_otp()
        if user is None:
            self.error.setText(error)
            self.password.selectAll()
            return
        self.user = user
        self.accept()
