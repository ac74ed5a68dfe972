"""Login: server URL, username, password. The request runs off the GUI thread."""
import threading

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout)

from ..api import AuthRequired, Client, Refused, Throttled, Unavailable, Unreachable
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
        self.error.setTextFormat(Qt.PlainText)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.button, 0, Qt.AlignRight)
        (self.password if username else self.username).setFocus()
        self._finished.connect(self._done)

    def submit(self):
        server, username = self.server.text().strip(), self.username.text().strip()
        if not server or not username or not self.password.text():
            self.say("Fill in the server, your username and your password.")
            return
        self.button.setEnabled(False)
        self.say("Signing in…")
        client, password = Client(server), self.password.text()
        self.client = client
        threading.Thread(target=self._login, args=(client, username, password), daemon=True).start()

    def _login(self, client, username, password):
        try:
            self._finished.emit(client.login(username, password), "")
        except AuthRequired:
            self._finished.emit(None, "Wrong username or password.")
        except Refused as exc:
            self._finished.emit(None, exc.message)
        except Throttled as exc:
            wait = " Try again in %d s." % exc.retry_after if exc.retry_after else ""
            self._finished.emit(None, "Too many failed attempts.%s" % wait)
        except Unreachable:
            self._finished.emit(None, "Can't reach the server at %s. Check the address and your "
                                      "network connection, then try again." % client.base_url)
        except Unavailable:
            self._finished.emit(None, "The server at %s is not working right now. Try again in "
                                      "a minute." % client.base_url)

    def say(self, text):
        """A message under the fields: the dialog grows to fit it and never gets shorter than
        its fields and the message need at its width (no field squeezed into a strip)."""
        self.error.setText(text)
        need = max(0, self.layout().totalHeightForWidth(self.width()))
        self.setMinimumHeight(need)
        if self.height() < need:
            self.resize(self.width(), need)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.setMinimumHeight(max(0, self.layout().totalHeightForWidth(self.width())))

    def _done(self, user, error):
        self.button.setEnabled(True)
        if user is None:
            self.say(error)
            self.password.selectAll()
            return
        self.user = user
        self.accept()
