"""Login: server URL, username, password. The request runs off the GUI thread (jobs.py)."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import (QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout)

from .. import jobs
from ..api import AuthRequired, Client, Refused, Throttled, Unreachable
from ..platform.browser import BrowserSignIn
from .style import STYLESHEET
from ..language import N_, _

SIGN_IN_WORDS = {
    "otp_required": N_("Enter the code from your authenticator app (or a recovery code)."),
    "otp_invalid": N_("That code is wrong or was used already."),
    "passkey_required": N_("This account confirms sign-ins with a passkey: use Sign in with your "
                           "browser."),
    "sso_only": N_("Passwords are turned off here: use Sign in with your browser."),
}


def failure_text(exc, server):
    """Why signing in did not work, in words (never a library's message)."""
    if isinstance(exc, AuthRequired):
        return _(SIGN_IN_WORDS.get(exc.code, N_("Wrong username or password.")))
    if isinstance(exc, Refused):
        return exc.message
    if isinstance(exc, Throttled):
        if exc.retry_after:
            return _("Too many failed attempts. Try again in %(seconds)d s.", seconds=exc.retry_after)
        return _("Too many failed attempts.")
    if isinstance(exc, Unreachable):
        return _("Can't reach the server at %(server)s. Check the address and your network "
                 "connection, then try again.", server=server)
    return _("The server at %(server)s is not working right now. Try again in a minute.", server=server)


class LoginDialog(QDialog):
    """On success `client` holds the token and `user` the server's user object."""

    def __init__(self, server="", username="", message="", parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Sign in — Progress Tracker"))
        self.setStyleSheet(STYLESHEET)
        self.setMinimumWidth(380)
        self.client, self.user = None, None
        heading = QLabel(_("Sign in"))
        heading.setObjectName("sectionTitle")
        self.server = QLineEdit(server)
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        for field, name in ((self.server, _("Server address")), (self.username, _("Username")),
                            (self.password, _("Password"))):
            field.setAccessibleName(name)
        self.error = QLabel(message)
        self.error.setObjectName("overdue")
        self.error.setTextFormat(Qt.PlainText)
        self.error.setWordWrap(True)
        self.button = QPushButton(_("Sign in"))
        self.button.setObjectName("primary")
        self.button.setDefault(True)
        self.button.setAccessibleName(_("Sign in"))
        self.button.clicked.connect(self.submit)
        form = QFormLayout()
        form.addRow(_("Server"), self.server)
        form.addRow(_("Username"), self.username)
        form.addRow(_("Password"), self.password)
        self._company_sign_in(form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.button, 0, Qt.AlignRight)
        layout.addWidget(self.browser_button, 0, Qt.AlignRight)
        (self.password if username else self.username).setFocus()

    def submit(self):
        server, username = self.server.text().strip(), self.username.text().strip()
        if not server or not username or not self.password.text():
            self.say(_("Fill in the server, your username and your password."))
            return
        self.button.setEnabled(False)
        self.say(_("Signing in…"))
        client = self.client = Client(server)
        code = self.otp.text().strip() or None  # the second factor, once the server asked for it
        self.job = jobs.run(self, client.login, username, self.password.text(), code,
                            done=lambda user: self._done(user, ""),
                            failed=lambda exc: self._done(None, failure_text(exc, server)))

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

    def _company_sign_in(self, form):
        """The second factor's code (shown when asked for) and the browser sign-in (RFC 8252)."""
        self.otp = QLineEdit()
        self.otp.setAccessibleName(_("Code from your authenticator app"))
        form.addRow(_("Code"), self.otp)
        self.otp_row = form
        self._hide_otp()
        self.browser_button = QPushButton(_("Sign in with your browser"))
        self.browser_button.setAccessibleName(_("Sign in with your browser"))
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
            self.say(_("Fill in the server address first."))
            return
        self.button.setEnabled(False)
        self.say(_("Continue in your browser…"))
        client = self.client = Client(server)
        self.job = jobs.run(self, BrowserSignIn().run, client,
                            done=lambda user: self._done(user, ""),
                            failed=lambda exc: self._done(None, failure_text(exc, server)))

    def _done(self, user, error):
        self.button.setEnabled(True)
        if error in (_(SIGN_IN_WORDS["otp_required"]), _(SIGN_IN_WORDS["otp_invalid"])):
            self._show_otp()
        if user is None:
            self.say(error)
            self.password.selectAll()
            return
        self.user = user
        self.accept()
