"""Group commit: writes run on one thread, many to a transaction, so one fsync acknowledges them all.

Each write runs in its own savepoint: a refused write rolls back alone and the rest of its group
commits. A future is resolved only after its group's COMMIT returned, so an acknowledged write is
on disk (SQLite WAL with synchronous=FULL, or PostgreSQL's synchronous_commit)."""
import asyncio
import logging
import queue
import threading

from .models import db
from .services import eventlog

log = logging.getLogger("tracker.writer")


class Writer:
    def __init__(self, batch_max=64, on_commit=None):
        self.batch_max = batch_max
        self.on_commit = on_commit or (lambda events: None)
        self._queue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="tracker-writer", daemon=True)
        self._thread.start()

    def submit(self, fn, *args):
        """Run fn(*args) in a write transaction; an awaitable of its result (or its exception)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.put((fn, args, future, loop))
        return future

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
        outcomes, events = [], []
        eventlog.collect_into(events)
        try:
            with db.atomic():
                for fn, args, future, loop in batch:
                    mark = len(events)
                    try:
                        with db.atomic():
                            outcomes.append((future, fn(*args), None))
                    except Exception as exc:  # the savepoint rolled back: this write only
                        del events[mark:]
                        outcomes.append((future, None, exc))
        except Exception as exc:  # the COMMIT itself failed: nothing in the group is durable
            log.exception("commit of %d writes failed", len(batch))
            outcomes, events = [(future, None, exc) for _fn, _args, future, _loop in batch], []
            if not db.is_closed():
                db.close()
        finally:
            eventlog.collect_into(None)
        # One wake-up of the loop for the whole group: its answers, then the fan-out.
        batch[0][3].call_soon_threadsafe(self._settled, outcomes, events)

    def _settled(self, outcomes, events):
        for future, result, exc in outcomes:
            if future.cancelled():
                continue
            if exc is not None:
                future.set_exception(exc)
            else:
                future.set_result(result)
        self.on_commit(events)
