"""HTTP and WebSocket client for the tracker server. No Qt here; every call has a timeout and the
token travels only in the Authorization header."""
import json
import threading
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
import websocket

from . import language

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 15
# Refusals that retrying cannot change: the update is shown to the user and leaves the outbox.
FINAL_STATUSES = (400, 403, 404, 409, 413, 415, 422)


class Unavailable(Exception):
    """The server did not answer (down, unreachable, timed out, 5xx or throttled): try later."""


class Unreachable(Unavailable):
    """No answer at all: refused connection, unknown host, timed out."""


class Throttled(Unavailable):
    """429: too many attempts; `retry_after` seconds (from the Retry-After header) or None."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.message, self.retry_after = message, retry_after


class AuthRequired(Exception):
    """401: the token is missing, revoked or expired; the user must log in again. `code` says
    why a sign-in was refused (otp_required, otp_invalid, passkey_required, sso_only…)."""

    def __init__(self, message="", code=None):
        super().__init__(message)
        self.message, self.code = message, code


class Refused(Exception):
    """The server refused the request for good (4xx other than 401/429)."""

    def __init__(self, status, message, code=None):
        super().__init__("%s %s" % (status, message))
        self.status, self.message, self.code = status, message, code


def error_of(answer):
    try:
        error = answer.json()["error"]
        return error.get("message") or answer.reason, error.get("code")
    except (ValueError, KeyError, TypeError):
        return answer.reason or "HTTP %d" % answer.status_code, None


def check(answer):
    """Map an HTTP answer to the exceptions above; return it when it succeeded."""
    status = answer.status_code
    if status < 400:
        return answer
    message, code = error_of(answer)
    if status == 401:
        raise AuthRequired(message, code)
    if status == 429:
        retry = answer.headers.get("Retry-After", "")
        raise Throttled(message, int(retry) if retry.isdigit() else None)
    if status >= 500:
        raise Unavailable("%d %s" % (status, message))
    raise Refused(status, message, code)


class Client:
    """One server, one token. Safe to share between threads (a requests session per thread)."""

    def __init__(self, base_url, token=None, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._local = threading.local()

    @property
    def http(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def headers(self, extra=None):
        # The server answers in the app's language (its refusals' messages): the person's pick.
        headers = {"Accept": "application/json", "Accept-Language": language.current.code}
        if self.token:
            headers["Authorization"] = "Bearer %s" % self.token
        headers.update(extra or {})
        return headers

    def request(self, method, path, body=None, headers=None, timeout=None):
        try:
            answer = self.http.request(method, self.base_url + path, json=body,
                                       headers=self.headers(headers),
                                       timeout=timeout or self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Unreachable(str(exc)) from None
        except requests.RequestException as exc:
            raise Unavailable(str(exc)) from None
        return check(answer)

    # ------------------------------------------------------------ endpoints

    def login(self, username, password, otp=None):
        """POST /api/auth/token/ (with the second factor's code when given); keeps the token and
        returns the user."""
        self.token = None
        credentials = {"username": username, "password": password}
        if otp:
            credentials["otp"] = otp
        body = self.request("POST", "/api/auth/token/", credentials).json()
        self.token = body["token"]
        return body["user"]

    def logout(self):
        self.request("POST", "/api/auth/logout/")
        self.token = None

    def me(self, timeout=None):
        """GET /api/me/: the user with their teams, language and time zone."""
        return self.request("GET", "/api/me/", timeout=timeout).json()

    def profile(self, timeout=(2, 5)):
        """GET /api/me/, or None when the server does not answer now."""
        try:
            return self.me(timeout=timeout)
        except (Unavailable, AuthRequired, Refused, ValueError):
            return None

    def dashboard_url(self, timeout=(2, 5), me=None):
        """The admin dashboard's address when the user may use it (an admin, or a team's lead or
        viewer: docs/teams.md), else None; None too when the server does not answer now."""
        me = me or self.profile(timeout)
        if not me or "role" not in me:
            return None
        staff = me["role"] != "EMPLOYEE" or any(t.get("role") in ("lead", "viewer")
                                                for t in me.get("teams") or [])
        return self.base_url + "/dashboard/tasks/monitor/" if staff else None

    def employee_tasks(self, etag=None):
        """(body, etag); body is None when the server answered 304 Not Modified."""
        answer = self.request("GET", "/api/employee-tasks/",
                              headers={"If-None-Match": etag} if etag else None)
        if answer.status_code == 304:
            return None, etag
        return answer.json(), answer.headers.get("ETag")

    def send_update(self, entry):
        """Send one outbox entry (progress, completion or comment) under its idempotency key."""
        if entry["kind"] == "comment":
            return self.send_comment(entry)
        body = {"notes": entry["notes"], "client_update_id": entry["client_update_id"],
                "client_timestamp": entry["client_timestamp"]}
        if entry["kind"] == "progress":
            body["progress_percentage"] = entry["progress_percentage"]
        if entry.get("occupancy_status"):
            body["occupancy_status"] = entry["occupancy_status"]
        path = "/api/task/%d/%s/" % (entry["task_id"], entry["kind"])
        answer = self.request("POST", path, body,
                              headers={"Idempotency-Key": entry["client_update_id"]})
        return answer.json()

    def send_comment(self, entry):
        """A comment written here: its outbox id is its client_comment_id, so a resend after a
        lost answer is answered with the first comment, never a second one."""
        key = entry["client_update_id"]
        return self.request("POST", "/api/task/%d/comments/" % entry["task_id"],
                            {"body": entry["notes"], "client_comment_id": key},
                            headers={"Idempotency-Key": key}).json()

    def comments(self, task_id):
        return self.request("GET", "/api/task/%d/comments/" % task_id).json()["comments"]

    def history(self, task_id, before=None):
        """One page of a task's audit rows, newest first: {"updates", "next"}; `next` (the
        cursor of the older page, None at the oldest) goes back in as `before`."""
        query = "" if before is None else "?before=%d" % before
        return self.request("GET", "/api/task/%d/history/%s" % (task_id, query)).json()

    # ------------------------------------------------------------ timers (section 10.3)

    # Moments go as elapsed seconds the app measured (how long before the request), never as this
    # computer's clock time: the server places them on its own clock (issue 24, item 14).

    def start_timer(self, task_id, client_entry_id, started_ago_seconds=None):
        """A timer start (None: now, the server stamps it); resent under the same
        client_entry_id it answers that timer as it is."""
        body = {"client_entry_id": client_entry_id}
        if started_ago_seconds is not None:
            body["started_ago_seconds"] = started_ago_seconds
        return self.request("POST", "/api/task/%d/timer/start/" % task_id, body).json()

    def stop_timer(self, client_entry_id, ended_ago_seconds=None):
        """Stop the timer started under `client_entry_id` (None: the running one), now or
        `ended_ago_seconds` before the request."""
        body = {}
        if ended_ago_seconds is not None:
            body["ended_ago_seconds"] = ended_ago_seconds
        if client_entry_id is not None:
            body["client_entry_id"] = client_entry_id
        return self.request("POST", "/api/timer/stop/", body).json()

    def add_time_entry(self, task_id, started_ago_seconds, ended_ago_seconds, note,
                       client_entry_id):
        """A finished run (source timer), idempotent on its client_entry_id."""
        return self.request("POST", "/api/task/%d/time-entries/" % task_id, {
            "started_ago_seconds": started_ago_seconds, "ended_ago_seconds": ended_ago_seconds,
            "note": note, "source": "timer", "client_entry_id": client_entry_id}).json()

    def my_time_entries(self, since):
        """The user's entries that meet [since, now): {"entries", "running", "total_minutes"}."""
        return self.request("GET", "/api/me/time-entries/?" + urlencode({"since": since})).json()

    def heartbeat(self, status, idle_seconds=None, timeout=None):
        body = {"occupancy_status": status}
        if idle_seconds is not None:
            body["idle_seconds"] = round(idle_seconds, 1)
        return self.request("POST", "/api/heartbeat/", body, timeout=timeout).json()

    def open_events(self, after, timeout=10):
        """Connect the push WebSocket; the token goes in the handshake's Authorization header."""
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        url = urlunsplit((scheme, parts.netloc, parts.path + "/api/events/ws",
                          "after=%d" % (after or 0), ""))
        try:
            ws = websocket.create_connection(
                url, timeout=timeout, header=["Authorization: Bearer %s" % self.token],
                enable_multithread=True)
        except websocket.WebSocketBadStatusException as exc:
            if exc.status_code == 401:
                raise AuthRequired("the push channel refused the token") from None
            raise Unavailable("push handshake answered %s" % exc.status_code) from None
        except (OSError, websocket.WebSocketException) as exc:
            raise Unavailable("push: %s" % exc) from None
        return EventStream(ws)


class EventStream:
    """Events from the WebSocket, one JSON object per text message."""

    def __init__(self, ws):
        self.ws = ws

    def next(self, timeout):
        """The next message as a dict, None when `timeout` seconds pass quietly (a server ping
        counts as traffic), or Unavailable when the connection is gone."""
        self.ws.settimeout(timeout)
        try:
            opcode, data = self.ws.recv_data(control_frame=True)
        except websocket.WebSocketTimeoutException:
            return None
        except (OSError, websocket.WebSocketException) as exc:
            raise Unavailable("push connection lost: %s" % exc) from None
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            raise Unavailable("push connection closed by the server")
        if opcode != websocket.ABNF.OPCODE_TEXT:
            return {}
        try:
            return json.loads(data.decode("utf-8"))
        except ValueError:
            return {}

    def close(self):
        try:
            self.ws.close(timeout=1)
        except (OSError, websocket.WebSocketException):
            pass


# ------------------------------------------------------------ a comment's author (or an admin)

def edit_comment(client, comment_id, body):
    """PATCH /api/comments/<id>/ (the author only) → the comment, `revision` + 1. Online only:
    an edit is not queued, so the person sees at once whether it was taken."""
    return client.request("PATCH", "/api/comments/%d/" % comment_id, {"body": body}).json()


def delete_comment(client, comment_id):
    """DELETE /api/comments/<id>/ (the author or an admin) → the tombstone (`body` null)."""
    return client.request("DELETE", "/api/comments/%d/" % comment_id).json()
