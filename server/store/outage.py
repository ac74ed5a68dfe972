"""Expected database outages — unreachable, disk full, locked — told apart, logged once per change
of state (one WARNING line, no traceback) and counted, so an outage does not flood the log."""
import logging
import sqlite3
import threading

import peewee as pw

log = logging.getLogger("tracker.database")

OUTAGE_ERRORS = (pw.OperationalError, pw.InterfaceError, sqlite3.OperationalError)
try:  # the PostgreSQL listener talks to psycopg directly
    import psycopg
    OUTAGE_ERRORS += (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover - a SQLite-only installation
    pass
# kind -> (the API's error code, what a person reads); every one is a 503 and wrote nothing
def N_(message):
    """Marks a message for the catalogs (the store imports no service): the handlers say it."""
    return message


ANSWERS = {
    "unavailable": ("database_unavailable", N_("the database is not answering; try again shortly")),
    "full": ("database_full", N_("the database's disk is full; nothing was saved; try again once "
                                 "an administrator has made room")),
    "busy": ("database_busy", N_("the database is busy (locked by another program); nothing was "
                                 "saved; try again shortly")),
}
_FULL_STATES = ("53100",)  # PostgreSQL disk_full
_BUSY_STATES = ("55P03", "40P01", "57014")  # lock_not_available, deadlock, statement timeout
_FULL_WORDS = ("disk is full", "no space left", "could not extend file", "disk full")
_BUSY_WORDS = ("database is locked", "database table is locked", "lock timeout")


def kind_of(exc):
    """"full", "busy" or "unavailable" for a database error; None for anything else."""
    if not isinstance(exc, OUTAGE_ERRORS):
        return None
    cause = getattr(exc, "orig", None) or exc  # peewee keeps the driver's exception as .orig
    state = getattr(cause, "sqlstate", None) or ""
    text = first_line(exc).lower()
    if state in _FULL_STATES or any(word in text for word in _FULL_WORDS):
        return "full"
    if state in _BUSY_STATES or any(word in text for word in _BUSY_WORDS):
        return "busy"
    return "unavailable"


class OutageLog:
    """The process's view of the database: "ok" or the kind of its outage. A change of state is one
    WARNING line; the errors in between are only counted (`counts`, and the metric)."""

    def __init__(self):
        self.state = "ok"
        self.counts = {kind: 0 for kind in ANSWERS}
        self._lock = threading.Lock()
        self._since_change = 0
        self.on_error = None  # metrics: on_error(kind, where)

    def failed(self, exc, where):
        """Record one failed request or commit; the kind of the error."""
        kind = kind_of(exc) or "unavailable"
        with self._lock:
            self.counts[kind] += 1
            self._since_change += 1
            changed, self.state = self.state != kind, kind
            if changed:
                self._since_change = 1
        if changed:
            log.warning("database %s (%s, first seen by a %s): answering 503 %s until it "
                        "recovers; further errors are counted, not logged",
                        kind, first_line(exc), where, ANSWERS[kind][0])
        if self.on_error is not None:
            self.on_error(kind, where)
        return kind

    def answered(self):
        """The database answered: after an outage, one line saying so."""
        if self.state == "ok":
            return
        with self._lock:
            was, errors, self.state = self.state, self._since_change, "ok"
        if was != "ok":
            log.warning("database answering again (after %s: %d failed requests or commits)",
                        was, errors)


def expected(exc, where):
    """True (and recorded, logged once per change) when `exc` is a database outage; a caller logs
    anything else as before."""
    if kind_of(exc) is None:
        return False
    OUTAGES.failed(exc, where)
    return True


def first_line(exc):
    """The first line of what the driver said (psycopg's messages run over several)."""
    text = (str(exc) or str(getattr(exc, "orig", "") or "")).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:200]


OUTAGES = OutageLog()  # one per process: the writer thread and the handlers share it
