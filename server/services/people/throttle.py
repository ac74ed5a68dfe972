"""The login throttle: failed logins per (username, address), kept in the database so that every
process counts the same attempts.

An attempt is counted as a failure when it starts, before the slow password check, so that
attempts sent in parallel get no more tries than sequential ones; a success then clears its
pair's count. begin() and succeeded() are writes: run them on the app's writer."""
import datetime
import hashlib
import math
import time

from server.store.database import db, is_postgres
from server.store.models import LoginFailure
from server.store.times import utcnow
from server.services.core.errors import Throttled
from server.services.language.text import _l

PRUNE_EVERY_SECONDS = 60
ADVISORY_LOCK_CLASS = 727001  # with the key's hash: one lock per pair (migrations use 727000)


def pair_key(username, address):
    """The row's key: a digest, so a username typed by mistake (a password, often) is not kept."""
    return hashlib.sha256(("%s\n%s" % (username.lower(), address)).encode("utf-8")).hexdigest()


class LoginThrottle:
    """Past `max_failures` failures within `window_seconds`, a pair waits until the oldest of
    them leaves the window."""

    def __init__(self, max_failures=5, window_seconds=900, clock=utcnow):
        self.max_failures = max_failures
        self.window = datetime.timedelta(seconds=window_seconds)
        self.clock = clock
        self._prune_at = 0.0

    def begin(self, username, address):
        """Refuse a throttled pair (Throttled, nothing written), or count this attempt."""
        key, now = pair_key(username, address), self.clock()
        if is_postgres():  # two processes counting the same pair take turns
            db.execute_sql("SELECT pg_advisory_xact_lock(%d, hashtext(%%s))" % ADVISORY_LOCK_CLASS,
                           (key,))
        counted = (LoginFailure.select(LoginFailure.created_at)
                   .where(LoginFailure.key == key, LoginFailure.created_at > now - self.window)
                   .order_by(LoginFailure.created_at).limit(self.max_failures))
        times = [row.created_at for row in counted]
        if len(times) >= self.max_failures:
            wait = (times[0] + self.window - now).total_seconds()
            raise Throttled(_l("too many failed logins; try again later"), max(1, math.ceil(wait)))
        self._prune(now)
        LoginFailure.create(key=key, created_at=now)

    def succeeded(self, username, address):
        LoginFailure.delete().where(LoginFailure.key == pair_key(username, address)).execute()

    def _prune(self, now):
        """At most once a minute per process: forget failures that left the window."""
        if time.monotonic() >= self._prune_at:
            self._prune_at = time.monotonic() + PRUNE_EVERY_SECONDS
            LoginFailure.delete().where(LoginFailure.created_at <= now - self.window).execute()
