"""Completion forecast: the task's own recent pace, measured in working time, extrapolated to 100 %.

The pace is a decaying average of percentage points per working second over the task's history
(creation at 0 %, then each progress report). Three rules make it robust:

- a gap between reports counts as at most PAUSE_CAP of work, so nights, weekends and holidays do
  not dilute it;
- older stretches weigh less (their weight halves every HALF_LIFE of working time), so a task
  that speeds up or slows down is forecast from how it goes now;
- each stretch weighs by its duration, so a burst of reports seconds apart (an offline outbox
  replayed) counts as the work it reports, not as an absurd speed.

The silence since the last report counts as a stretch without progress (capped like any pause):
a stalled task's forecast slips. Less than MIN_SPAN of working time, or no net progress, gives
no forecast. The state is two numbers kept on the task and folded forward at each report, so
serializing thousands of tasks costs no query."""
import datetime
import math

from server.store.database import db
from server.store.models import Task, TaskProgress
from server.store.times import as_time

PAUSE_CAP = 2 * 3600
HALF_LIFE = 2 * 3600
MIN_SPAN = 15 * 60
HORIZON = 5 * 365 * 86400  # a pace slower than this is no forecast at all
TAU = HALF_LIFE / math.log(2)


def fold(gain, seconds, delta, gap):
    """The pace state after one more stretch of `gap` seconds that added `delta` points.

    `gain` / `seconds` are the decay-weighted points and working seconds: their ratio is the pace.
    Older history is discounted by the stretch's (capped) length; the stretch itself weighs the
    integral of the decay over its length."""
    work = min(max(gap, 0.0), PAUSE_CAP)
    decay = math.exp(-work / TAU)
    weight = -TAU * math.expm1(-work / TAU)  # integral of exp(-u/TAU) over [0, work]
    share = weight / work if work else 1.0
    return decay * gain + delta * share, decay * seconds + weight


def estimate(gain, seconds, last_at, progress_percentage, now):
    """The forecast completion time (naive UTC) of an open task, or None."""
    if last_at is None or seconds <= 0:
        return None
    quiet = (now - last_at).total_seconds()
    if quiet > 0:  # fold(gain, seconds, 0, quiet), inlined: this runs for every task serialized
        decay = math.exp(-min(quiet, PAUSE_CAP) / TAU)
        gain, seconds = gain * decay, seconds * decay + TAU * (1 - decay)
    if seconds < MIN_SPAN or gain <= 0:
        return None
    remaining = (100 - progress_percentage) * seconds / gain
    if remaining > HORIZON:
        return None
    return max(now, last_at) + datetime.timedelta(seconds=round(remaining))


def from_points(points, now):
    """Forecast from a history of (time, progress_percentage), oldest first; the first is the
    baseline."""
    if len(points) < 2:
        return None
    if points[-1][1] >= 100:
        return points[-1][0]
    gain = seconds = 0.0
    for (before, progress_before), (after, progress_after) in zip(points, points[1:]):
        gain, seconds = fold(gain, seconds, progress_after - progress_before,
                             (after - before).total_seconds())
    return estimate(gain, seconds, points[-1][0], points[-1][1], now)


def fold_stored(gain, seconds, delta, last_at, now):
    """The task's stored pace after a report of `delta` points at `now`; `last_at` is its previous
    report (or its creation), as stored."""
    return fold(gain, seconds, delta, (now - as_time(last_at)).total_seconds())


def is_at_risk(forecast_at, due_date):
    return forecast_at is not None and due_date is not None and forecast_at > due_date


def for_task(task, now):
    """(forecast_completion_at, at_risk) of a Task model: done tasks are forecast at completion."""
    if task.status == "CANCELLED":
        return None, False
    if task.status == "DONE":
        return task.completed_at, False
    forecast_at = estimate(task.pace_gain, task.pace_seconds, task.last_progress_update_at,
                           task.progress_percentage, now)
    return forecast_at, is_at_risk(forecast_at, task.due_date)


def for_row(status, progress_percentage, due, last_at, gain, seconds, now):
    """(forecast_completion_at as ISO 8601, at_risk) of an open task from stored values."""
    if status == "CANCELLED" or last_at is None or seconds <= 0:
        return None, False
    forecast_at = estimate(gain, seconds, as_time(last_at), progress_percentage, now)
    if forecast_at is None:
        return None, False
    return (forecast_at.isoformat(timespec="seconds") + "+00:00",
            due is not None and forecast_at > as_time(due))


def backfill():
    """Recompute every task's pace from the audit trail (the schema migration that adds it)."""
    state = {task.id: (0.0, 0.0, task.created_at)  # gain, seconds, last report
             for task in Task.select(Task.id, Task.created_at)}
    rows = (TaskProgress.select(TaskProgress.task, TaskProgress.previous_percentage,
                                TaskProgress.new_percentage, TaskProgress.created_at)
            .where(TaskProgress.action.in_(("progress", "complete"))).order_by(TaskProgress.id))
    for row in rows.iterator():
        gain, seconds, last_at = state[row.task_id]
        gain, seconds = fold(gain, seconds, row.new_percentage - (row.previous_percentage or 0),
                             (row.created_at - last_at).total_seconds())
        state[row.task_id] = (gain, seconds, row.created_at)
    with db.atomic():
        for task_id, (gain, seconds, _last) in state.items():
            if seconds:
                Task.update(pace_gain=gain, pace_seconds=seconds).where(Task.id == task_id).execute()


def from_estimate(estimate_minutes, tracked_seconds, accuracy, now):
    """A task without enough history of its own is forecast from its estimate, scaled by how its
    person's estimates have turned out (tracked ÷ estimated; None: taken as given), less the time
    already tracked on it. None without an estimate."""
    if not estimate_minutes:
        return None
    remaining = estimate_minutes * 60 * (accuracy or 1.0) - tracked_seconds
    return now + datetime.timedelta(seconds=max(0, round(remaining)))
