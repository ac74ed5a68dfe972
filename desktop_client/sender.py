"""The one sender: a single thread sends the outbox (outbox.py) in order, one change at a time,
whatever its kind, until it is empty or the server is away. The part of the app that made a kind
of change says how it goes on the wire and what its answer means (`attach`)."""
import logging
import threading

from PyQt5.QtCore import QObject, pyqtSignal

from .api import AuthRequired, Refused, Unavailable
from .outbox import family

log = logging.getLogger("tracker.desktop")


class Sender(QObject):
    """Handlers (one per family: "update", "timer") have `send(op)` → the server's answer,
    `accepted(op, answer)`, `rejected(op, exc)` (refused for good), and may have `prepare(op)` (False: the op changed
    while being read, read again) and `drained()` (the outbox is empty)."""
    auth_required = pyqtSignal()  # a 401: sending waits until resume()

    def __init__(self, journal, retry_seconds=5.0):
        super().__init__()
        self.journal, self.retry_seconds = journal, retry_seconds
        self._handlers = {}
        self._wake, self._stop = threading.Event(), threading.Event()
        self._authorized = threading.Event()
        self._authorized.set()
        self._sending = threading.Lock()  # one flush at a time: nothing goes out twice
        self._thread, self._users = None, 0

    @classmethod
    def of(cls, journal, retry_seconds=5.0):
        """The journal's one sender."""
        with journal.lock:
            if journal.sender is None:
                journal.sender = cls(journal, retry_seconds)
            journal.sender.retry_seconds = min(journal.sender.retry_seconds, retry_seconds)
            return journal.sender

    def attach(self, name, handler):
        self._handlers[name] = handler
        self.wake()

    # ------------------------------------------------------------ life

    def start(self):
        """The thread runs while anyone who started it has not stopped it."""
        self._users += 1
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="tracker-send", daemon=True)
            self._thread.start()

    def stop(self, timeout=5.0):
        self._users = max(0, self._users - 1)
        if self._users or self._thread is None:
            return
        self._stop.set()
        self._wake.set()
        self._authorized.set()
        self._thread.join(timeout)
        self._thread = None

    def wake(self, *_):
        """Try now (something was added, or the server may be back)."""
        self._wake.set()

    def resume(self):
        """Signed in again: send what waited, under the new token."""
        self._authorized.set()
        self._wake.set()

    def signed_out(self):
        """Waiting for a sign-in (a 401 came, resume() not yet)."""
        return not self._authorized.is_set()

    def _loop(self):
        while not self._stop.is_set():
            self._wake.wait(self.retry_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return
            if self._authorized.is_set() and self.flush():
                for handler in list(self._handlers.values()):
                    getattr(handler, "drained", lambda: None)()

    # ------------------------------------------------------------ sending

    def flush(self):
        """Send in order until the outbox is empty (True) or the server is away (False)."""
        with self._sending:
            while self._thread is None or not self._stop.is_set():  # called directly, or running
                op = self.journal.first()
                if op is None:
                    return True
                handler = self._handlers.get(family(op))
                if handler is None:
                    return False  # whoever sends this kind has not started yet
                if not self._send_one(handler, op):
                    return False
            return False

    def _send_one(self, handler, op):
        """False when sending must wait (server away, signed out)."""
        if not getattr(handler, "prepare", lambda _op: True)(op):
            return True  # it changed while we read it: read it again
        try:
            answer = handler.send(op)
        except AuthRequired:
            if self._authorized.is_set():
                self._authorized.clear()
                self.auth_required.emit()
            return False
        except Unavailable as exc:
            log.info("%s change waits: %s", family(op), exc)
            return False
        except Refused as exc:
            handler.rejected(op, exc)
        else:
            handler.accepted(op, answer)
        return True
