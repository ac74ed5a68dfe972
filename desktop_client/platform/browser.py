"""Sign in through the system browser (RFC 8252): listen on a loopback port, open the server's
/login/desktop in the browser with a PKCE challenge, take the one-time code the browser brings
back, and trade it (with the verifier) for an API token. No widgets: the login dialog runs it."""
import base64
import hashlib
import http.server
import secrets
import threading
import urllib.parse
import webbrowser

from ..api import Refused

DONE_PAGE = (b"<!doctype html><meta charset='utf-8'><title>Signed in</title>"
             b"<p style='font-family:sans-serif'>You are signed in. Return to the Progress Tracker "
             b"app; you can close this tab.</p>")
CALLBACK = "/signed-in"


class _Listener(http.server.HTTPServer):
    """The loopback listener: keeps the first callback's query, answers a short page."""
    allow_reuse_address = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Callback)
        self.query, self.arrived = None, threading.Event()


class _Callback(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the library's name)
        path, _, query = self.path.partition("?")
        if path != CALLBACK or self.server.arrived.is_set():
            self.send_error(404)
            return
        self.server.query = urllib.parse.parse_qs(query)
        self.server.arrived.set()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(DONE_PAGE)))
        self.end_headers()
        self.wfile.write(DONE_PAGE)

    def log_message(self, *args):
        pass  # the code is in the query: never logged


class BrowserSignIn:
    """One sign-in attempt. `run(client, opener)` returns the user and leaves the token in `client`;
    `cancel()` (from another thread) ends the wait."""

    def __init__(self, timeout=300):
        self.timeout = timeout
        self.listener = _Listener()
        self.state = secrets.token_urlsafe(24)
        self.verifier = secrets.token_urlsafe(48)

    @property
    def redirect_uri(self):
        return "http://127.0.0.1:%d%s" % (self.listener.server_address[1], CALLBACK)

    def url(self, base_url):
        challenge = base64.urlsafe_b64encode(hashlib.sha256(self.verifier.encode()).digest())
        return "%s/login/desktop?%s" % (base_url.rstrip("/"), urllib.parse.urlencode({
            "redirect_uri": self.redirect_uri, "state": self.state,
            "code_challenge": challenge.rstrip(b"=").decode(), "code_challenge_method": "S256"}))

    def run(self, client, opener=webbrowser.open):
        serving = threading.Thread(target=self.listener.serve_forever, daemon=True)
        serving.start()
        try:
            opener(self.url(client.base_url))
            if not self.listener.arrived.wait(self.timeout) or self.listener.query is None:
                raise Refused(408, "the browser did not come back; try again", "timeout")
            code = self.check(self.listener.query)
        finally:
            self.listener.shutdown()
            self.listener.server_close()
        return self.redeem(client, code)

    def check(self, query):
        if query.get("state", [""])[0] != self.state:
            raise Refused(400, "the browser came back from another sign-in; try again", "state")
        code = query.get("code", [""])[0]
        if not code:
            raise Refused(400, "the sign-in was not completed in the browser", "code")
        return code

    def redeem(self, client, code):
        body = client.request("POST", "/api/auth/desktop/token/", {
            "code": code, "code_verifier": self.verifier, "redirect_uri": self.redirect_uri}).json()
        client.token = body["token"]
        return body["user"]

    def cancel(self):
        self.listener.arrived.set()
