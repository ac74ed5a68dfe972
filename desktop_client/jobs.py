"""Work for a window or dialog off the GUI thread, one pattern for all of them: a Job runs one call
on a thread of its own and reports through its signals, delivered on the GUI thread. The dialog
that asked may close, or be deleted, meanwhile: the Job outlives it and its answer goes nowhere."""
import logging
import threading

from PyQt5.QtCore import QObject, pyqtSignal

from .api import AuthRequired, Refused, Unavailable

log = logging.getLogger("tracker.desktop")

EXPECTED = (Unavailable, AuthRequired, Refused)  # what a server call may answer instead


class Job(QObject):
    done = pyqtSignal(object)    # the call's result
    failed = pyqtSignal(object)  # the exception: Unavailable, AuthRequired or Refused
    _alive = set()  # running jobs: none is collected while its thread works

    def __init__(self, work, *args):
        super().__init__()
        self.work, self.args = work, args
        self.cancelled = False
        self.finished = threading.Event()  # set once the call has returned (or raised)

    def start(self):
        Job._alive.add(self)
        threading.Thread(target=self._run, name="tracker-job", daemon=True).start()
        return self

    def cancel(self, *_):
        """The asker is gone: whatever the call answers is dropped."""
        self.cancelled = True

    def _run(self):
        try:
            result, error = self.work(*self.args), None
        except EXPECTED as exc:
            result, error = None, exc
        except Exception:  # a bug: logged, and the asker hears it failed
            log.exception("background job failed")
            result, error = None, Unavailable("the app could not finish this")
        try:
            if not self.cancelled:
                (self.failed.emit(error) if error is not None else self.done.emit(result))
        finally:
            self.finished.set()
            Job._alive.discard(self)


def run(owner, work, *args, done=None, failed=None):
    """Start `work(*args)` for `owner` (a QObject: a dialog, a window); `done(result)` or
    `failed(exc)` run on the GUI thread unless the owner closed or was deleted first."""
    job = Job(work, *args)
    # Checked again on the GUI thread as the answer arrives: an answer already on its way when
    # the owner closed is dropped too (cancel runs on this thread, before it).
    if done is not None:
        job.done.connect(lambda result: None if job.cancelled else done(result))
    if failed is not None:
        job.failed.connect(lambda exc: None if job.cancelled else failed(exc))
    owner.destroyed.connect(job.cancel)
    if hasattr(owner, "finished"):  # a dialog: closing is the end of its interest
        owner.finished.connect(job.cancel)
    return job.start()
