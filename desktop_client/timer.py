"""TimeTracker: the signed-in person's timer. Started and stopped here first (the journal), sent in
order once the server answers, kept in step with other devices, stopped where an idle period
began, and a crashed app's timer closed where the user was last ACTIVE. Signals, no widgets."""
import logging
import time
from datetime import datetime, timedelta, timezone

from PyQt5.QtCore import QObject, pyqtSignal

from . import language
from .api import AuthRequired, Refused, Unavailable
from .sender import Sender
from .timejournal import Now, TimerJournal, ago, back, moment, run_seconds, same_run, stamp, utc_now

log = logging.getLogger("tracker.desktop")

REFRESH_SECONDS = 60  # today's entries are read again this often (and after every change)
ONLINE_SECONDS = 2.0  # a start or stop sent this soon goes without a time: the server stamps now


def local_midnight(now):
    """The start of the person's day in their zone (the server's time_zone for them, else the
    computer's), as an aware moment."""
    return language.current.local(now).replace(hour=0, minute=0, second=0, microsecond=0)


def today_seconds(server_entries, pending, running, now):
    """Seconds tracked today: the server's finished entries, the runs not sent yet, the running
    timer. An entry the journal still holds counts once, from the journal."""
    midnight = local_midnight(now)
    held = {op["client_entry_id"] for op in pending if op["client_entry_id"]}
    if running and running.get("client_entry_id"):
        held.add(running["client_entry_id"])
    spans = [(e["started_at"], e["ended_at"]) for e in server_entries
             if not e["running"] and e.get("client_entry_id") not in held]
    spans += [(op["started_at"], op["ended_at"]) for op in pending if op["op"] in ("stop", "entry")]
    spans = [(moment(start), moment(end)) for start, end in spans]
    if running:
        spans.append((moment(running["started_at"]), now))
    return int(sum(max(0.0, (min(end, now) - max(start, midnight)).total_seconds())
                   for start, end in spans))


class TimeTracker(QObject):
    changed = pyqtSignal()            # the running timer, the journal or today's total moved
    refused = pyqtSignal(dict)        # a journal op the server refused: refused_status, _reason
    idle_question = pyqtSignal(dict)  # {"task_id", "started_at", "ended_at"}: were they work?

    def __init__(self, client, folder, user_id, clock=utc_now, retry_seconds=5.0):
        """`clock()`: the wall clock the person's actions are read from; its `monotonic()` (else
        time.monotonic) the elapsed time. What is sent is measured at sending, on real clocks."""
        super().__init__()
        self.client, self.user_id, self.clock = client, user_id, clock
        self.monotonic = getattr(clock, "monotonic", time.monotonic)
        self.journal = TimerJournal(folder, user_id)
        self.sender = Sender.of(self.journal.journal, retry_seconds)
        self.sender.attach("timer", self)
        self._server_entries, self._refreshed_at = [], None
        self._idle_stop = None  # where an idle period stopped the timer, until the user is back
        self._own = set()       # client_entry_ids this app made: their started events are echoes
        self._started = False

    def now(self):
        """The moment of an action: the wall clock and the monotonic reading, together."""
        return Now(self.clock(), self.monotonic())

    # ------------------------------------------------------------ life

    def start(self):
        """Close a timer a crash left running, show the refusals kept, start sending."""
        orphan = self.journal.close_orphan()
        if orphan is not None:
            log.info("timer left running by a crash closed at %s", orphan["ended_at"])
        for op in self.journal.refused():
            self.refused.emit(op)
        self._started = True
        self.sender.start()
        self._recorded()

    def quit(self, timeout=5.0):
        """On quit the running timer stops now; the journal keeps what could not be sent."""
        self.journal.stop(self.now())
        if self._started:
            self._started = False
            self.sender.stop(timeout)

    def wake(self, *_):
        """Try sending now (the server may be back)."""
        self.sender.wake()

    # ------------------------------------------------------------ the user's actions

    def toggle(self, task_id):
        run = self.journal.running
        if run is not None and run["task_id"] == task_id:
            return self.stop_timer()
        return self.start_timer(task_id)

    def start_timer(self, task_id):
        """Start on `task_id` (the running timer stops at the same moment); durable on return."""
        run = self.journal.start(task_id, self.now())
        self._own.add(run["client_entry_id"])
        self._recorded()
        return run

    def stop_timer(self):
        run = self.journal.stop(self.now())
        self._recorded()
        return run

    def keep_idle(self, span):
        """The idle minutes were work: one entry of their own, exactly the idle span (from where
        the server ended the timer, should its idle stop have come a moment later than ours:
        its entry's length, counted from where the run began here)."""
        start, end = Now(moment(span["started_at"]), span["started_mono"]), \
            Now(moment(span["ended_at"]), span["ended_mono"])
        entry = next((e for e in self._server_entries
                      if span.get("client_entry_id") and e["client_entry_id"] == span["client_entry_id"]
                      and e["ended_at"]), None)
        if entry is not None and span.get("run_mono") is not None:
            length = (moment(entry["ended_at"]) - moment(entry["started_at"])).total_seconds()
            server_end = span["run_mono"] + length
            if server_end > start.mono:
                start = Now(start.wall + timedelta(seconds=server_end - start.mono), server_end)
        op = self.journal.add_entry(span["task_id"], start, max(end, start, key=lambda n: n.mono))
        self._recorded()
        return op

    def _recorded(self):
        self.changed.emit()
        self.sender.wake()

    # ------------------------------------------------------------ what the window shows

    def running(self):
        run = self.journal.running
        return dict(run) if run else None

    def elapsed_seconds(self, now=None):
        run = self.journal.running
        if run is None:
            return 0
        return int(ago(run, "started", now or self.now()))

    def today_seconds(self, now=None):
        return today_seconds(self._server_entries, self.journal.pending(), self.journal.running,
                             now or self.clock())

    def unsent(self):
        return len(self.journal)

    def dismiss_refused(self, op):
        self.journal.dismiss(op)

    # ------------------------------------------------------------ presence and push

    def on_presence(self, state, idle_seconds=0.0):
        """From each heartbeat: IDLE stops the timer where the idle period began (as the server
        does); ACTIVE is the moment a crash would close the timer at, and after an idle stop the
        time to ask whether the idle minutes were work."""
        now = self.now()
        if state == "IDLE" and self.journal.running is not None:
            stopped = self.journal.stop(back(now, idle_seconds or 0))
            self._idle_stop = {"task_id": stopped["task_id"], "started_at": stopped["ended_at"],
                               "started_mono": stopped["ended_mono"],
                               "run_mono": stopped.get("started_mono"),
                               "client_entry_id": stopped["client_entry_id"]}
            self._recorded()
        elif state == "ACTIVE":
            self.journal.touch_active(now)
            if self._idle_stop is not None:
                span, self._idle_stop = dict(self._idle_stop, ended_at=stamp(now.wall),
                                             ended_mono=now.mono), None
                if span["ended_mono"] > span["started_mono"]:
                    self.idle_question.emit(span)

    def on_event(self, event):
        """A time_entry.* event: follow a timer started or stopped on another device."""
        entry = event.get("entry") or {}
        if (entry.get("user") or {}).get("id") != self.user_id:
            return
        run = self.journal.running
        key, mine = entry.get("client_entry_id"), same_run(run, entry)
        if event["type"] == "time_entry.started" and entry["running"] and not mine \
                and key not in self._own and not self._unsent_start(run):
            self.journal.adopt(entry)
        elif event["type"] == "time_entry.stopped" and mine:
            self.journal.forget()
            if entry.get("stop_reason") == "idle" and self._idle_stop is None:
                now = self.now()  # the server's idle start, placed on this computer's clocks
                began = back(now, (utc_now() - moment(entry["ended_at"])).total_seconds())
                self._idle_stop = {"task_id": entry["task_id"], "started_at": stamp(began.wall),
                                   "started_mono": began.mono, "run_mono": None,
                                   "client_entry_id": key}
        self._refreshed_at = None  # read today's entries again
        self._recorded()

    def _unsent_start(self, run):
        return run is not None and any(op["client_entry_id"] == run["client_entry_id"]
                                       for op in self.journal.pending())

    # ------------------------------------------------------------ sending

    def flush(self):
        """Send the outbox in order until it is empty or the server is away; True when empty."""
        empty = self.sender.flush()
        if empty:
            self.drained()
        return empty

    def drained(self):
        if self._refreshed_at is None or time.monotonic() - self._refreshed_at > REFRESH_SECONDS:
            self.refresh_today()

    # The sender's questions about a timer change (sender.py).

    def prepare(self, op):
        """A start is marked sent before it goes; False: stopped meanwhile, now an entry."""
        return op["op"] != "start" or self.journal.mark_sent(op)

    def send(self, op):
        """One op, its moments as elapsed seconds measured now (to the millisecond: the server
        places them to the second); the server's entry."""
        now = Now(datetime.now(timezone.utc), time.monotonic())
        if op["op"] == "start":
            started = round(ago(op, "started", now), 3)
            return self.client.start_timer(op["task_id"], op["client_entry_id"],
                                           started if started >= ONLINE_SECONDS else None)
        ended = round(ago(op, "ended", now), 3)
        if op["op"] == "stop":
            return self.client.stop_timer(op["client_entry_id"],
                                          ended if ended >= ONLINE_SECONDS else None)
        return self.client.add_time_entry(op["task_id"], ended + run_seconds(op), ended,
                                          op["note"], op["client_entry_id"])

    def accepted(self, op, answer):
        self._remember(answer, answer.get("stopped_entry"))  # counted before it leaves
        self.journal.acknowledge(op)
        self._refreshed_at = None
        self.changed.emit()

    def rejected(self, op, exc):
        if op["op"] == "stop" and op["client_entry_id"] is None and exc.status == 404:
            self.journal.acknowledge(op)  # a timer of another device, stopped there
        else:
            self.refused.emit(self.journal.refuse(op, exc.status, exc.message, exc.code))
        self._refreshed_at = None
        self.changed.emit()

    def _remember(self, *entries):
        """Take entries the server answered into today's list (a new list: the window reads it)."""
        known = {entry["id"]: entry for entry in self._server_entries}
        known.update((entry["id"], entry) for entry in entries if entry)
        self._server_entries = sorted(known.values(), key=lambda entry: entry["started_at"])

    def refresh_today(self):
        """Read today's entries; with nothing waiting to be sent, take the server's running timer
        (started elsewhere, or stopped there while no event reached us)."""
        before = self.journal.running
        try:
            body = self.client.my_time_entries(stamp(local_midnight(utc_now())))
        except (Unavailable, AuthRequired, Refused) as exc:
            log.info("today's time entries not read: %s", exc)
            return
        self._server_entries, self._refreshed_at = body["entries"], time.monotonic()
        self.journal.reconcile(before, body.get("running"))
        self.changed.emit()
