"""Group commit: writes run on one thread, many to a transaction, so one fsync acknowledges them all.

A function may have a `together` form that settles many of its calls in one statement (see
presence.beat): the group's calls go through it first, and those it leaves take the function.

A refused write rolls back alone and the rest of its group commits (see _apply). A future is
resolved only after its group's COMMIT returned, so an acknowledged write is
on disk (SQLite WAL with synchronous=FULL, or PostgreSQL's synchronous_commit)."""
import asyncio
import collections
import logging
import queue
import threading
import time

from server.store.database import db, is_postgres
from server.store import txn
from server.store import outage

log = logging.getLogger("tracker.writer")
Job = collections.namedtuple("Job", "fn args future loop")  # one submitted write


class Writer:
    def __init__(self, batch_max=64, on_commit=None, observe=None):
        self.batch_max = batch_max
        # observe(size, seconds, failed) after each group, on the writer thread (metrics)
        self.observe = observe or (lambda size, seconds, failed: None)
        self.on_commit = on_commit or (lambda events: None)
        self._queue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="tracker-writer", daemon=True)
        self._thread.start()

    def submit(self, fn, *args):
        """Run fn(*args) in a write transaction; an awaitable of its result (or its exception).
        fn must only touch the database: if another write of its group fails after writing,
        the group runs again (nothing of the first run is committed)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.put(Job(fn, args, future, loop))
        return future

    def pending(self):
        """Writes queued and not yet taken into a group."""
        return self._queue.qsize()

    def close(self):
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self):
        while True:
            first = self._queue.get()
            if first is None:
                break
            batch = [first]
            while len(batch) < self.batch_max:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)
                    break
                batch.append(item)
            self._commit(batch)
        db.close()

    def _commit(self, batch):
        started, failed, size = time.perf_counter(), False, len(batch)
        if is_postgres():  # committed on their own: answered now, not after the group's lock
            early, batch = self._together(batch)
            if early:
                early[0][0].get_loop().call_soon_threadsafe(self._settled, early, [])
        try:
            try:
                outcomes, scope = self._apply(batch, savepoints=is_postgres())
            except _Redo:  # a write failed after writing: run the group again, one savepoint each
                outcomes, scope = self._apply(batch, savepoints=True)
        except Exception as exc:  # the COMMIT itself failed: nothing in the group is durable
            if not outage.expected(exc, "group commit"):
                log.exception("commit of %d writes failed", len(batch))
            outcomes, scope, failed = [(job.future, None, exc) for job in batch], None, True
            if not db.is_closed():
                db.close()
        else:
            outage.OUTAGES.answered()
        finally:
            txn.end()
        self.observe(size, time.perf_counter() - started, failed)
        # One wake-up of the loop for the whole group: its answers, then the fan-out.
        if batch:
            batch[0].loop.call_soon_threadsafe(self._settled, outcomes, scope.events if scope else [])

    def _apply(self, batch, savepoints):
        """Run the group in one transaction and COMMIT it; (outcomes, scope).

        On SQLite a refused write that wrote nothing needs no savepoint: the counter of changed
        rows tells, and the rare write that fails after writing has the group run again with a
        savepoint each (PostgreSQL always takes that way: its savepoints are cheap there)."""
        scope, outcomes = txn.begin(), []
        if not batch:  # the together forms settled them all (PostgreSQL)
            return outcomes, scope
        conn = None if savepoints else db.connection()
        with db.atomic():
            if not is_postgres():
                outcomes, batch = self._together(batch)
            for fn, args, future, _loop in batch:
                mark = scope.mark()
                try:
                    if savepoints:
                        with db.atomic():
                            result = fn(*args)
                    else:
                        before = conn.total_changes
                        result = fn(*args)
                except Exception as exc:
                    if conn is not None and conn.total_changes != before:
                        raise _Redo() from exc  # leaves the transaction: it rolls back
                    scope.undo(mark)
                    outcomes.append((future, None, exc))
                else:
                    outcomes.append((future, result, None))
        return outcomes, scope

    @staticmethod
    def _together(batch):
        """Settle what the together forms settle: (their outcomes, the jobs left).

        On PostgreSQL in a transaction of its own before the group's, which then takes the audit
        chain's lock: these writes take no such lock and must not hold rows while the group waits
        for it. On SQLite inside the group's transaction (one writer, one lock), as a savepoint.
        If the statement fails, every job takes its function as if there were no together form."""
        forms = collections.defaultdict(list)
        for job in batch:
            if getattr(job.fn, "together", None) is not None:
                forms[job.fn.together].append(job)
        if not forms:
            return [], batch
        settled = {}
        try:
            with db.atomic():
                for together, jobs in forms.items():
                    answers = together([job.args for job in jobs])
                    settled.update((id(job), answer) for job, answer in zip(jobs, answers)
                                   if answer is not None)
        except Exception as exc:
            if not outage.expected(exc, "together"):
                log.exception("together writes failed; each takes its own way")
            settled = {}
        outcomes = [(job.future, settled[id(job)], None) for job in batch if id(job) in settled]
        return outcomes, [job for job in batch if id(job) not in settled]

    def _settled(self, outcomes, events):
        for future, result, exc in outcomes:
            if future.cancelled():
                continue
            if exc is not None:
                future.set_exception(exc)
            else:
                future.set_result(result)
        self.on_commit(events)


class _Redo(Exception):
    """A write failed after it had written: the group's transaction must roll back."""
