"""Login: server URL, username, password. The request runs off the GUI thread."""
import threading

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout)

from ..api import AuthRequired, Client, Refused, Throttled, Unavailable
from ..browser_signin import BrowserSignIn
from .style import STYLESHEET


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
        self.browser_button = QPushButton("Sign in with your browser")  # company sign-in (SSO)
        self.browser_button.setAccessibleName("Sign in with your browser")
        self.browser_button.clicked.connect(self.submit_in_browser)
        form = QFormLayout()
        form.addRow("Server", self.server)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
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
        client, password = Client(server), self.password.text()
        self.client = client
        threading.Thread(target=self._login, args=(client, username, password), daemon=True).start()

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
            self._finished.emit(browser_run(client) if browser_run else client.login(username, password),
                                "")
        except AuthRequired:
            self._finished.emit(None, "Wrong username or password.")
        except Refused as exc:
            self._finished.emit(None, exc.message)
        except Throttled as exc:
            wait = " Try again in %d s." % exc.retry_after if exc.retry_after else ""
            self._finished.emit(None, "Too many failed attempts.%s" % wait)
        except Unavailable as exc:
            self._finished.emit(None, "The server does not answer (%s)." % exc)

    def _done(self, user, error):
        self.button.setEnabled(True)
        if user is None:
            self.error.setText(error)
            self.password.selectAll()
            return
        self.user = user
        self.accept()
