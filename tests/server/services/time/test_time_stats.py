"""Tracked hours, estimate accuracy and the estimate-based forecast, against entries made here."""
import datetime

from server.services.tasks import forecast, tasks
from server.services.reports import statistics
from server.services.time import stats as time_stats, entries as timeentries
from server.store.database import db
from server.store.models import Task
from server.store.times import utcnow
from support.db import new_task, people


def entry(task, user, start, minutes):
    fields = {"started_at": start, "ended_at": start + datetime.timedelta(minutes=minutes),
              "note": "", "source": "manual", "client_entry_id": None}
    with db.atomic():  # the task existed before the time tracked on it (SPEC 11.5)
        Task.update(created_at=start - datetime.timedelta(days=1)).where(Task.id == task["id"]).execute()
        timeentries.create(user, task["id"], fields, now=utcnow())


def test_tracked_hours_accuracy_and_the_forecast_from_the_estimate(database):
    boss, ann, bob = people()
    base = utcnow().replace(microsecond=0) - datetime.timedelta(hours=6)
    done = new_task(boss, ann, estimate_minutes=60)
    entry(done, ann, base, 60)
    entry(done, ann, base + datetime.timedelta(minutes=70), 30)  # 90 min against 60: 1.5
    with db.atomic():
        Task.update(status="DONE", progress_percentage=100).where(Task.id == done["id"]).execute()
    fresh = new_task(boss, ann, estimate_minutes=40)
    entry(fresh, ann, base + datetime.timedelta(minutes=120), 20)
    rows = {row["username"]: row for row in statistics.statistics(24)["employees"]}
    assert rows["ann"]["tracked_hours"] == round(110 / 60, 2)
    assert rows["ann"]["estimate_accuracy"] == 1.5 and rows["ann"]["estimated_tasks_done"] == 1
    assert rows["bob"]["tracked_hours"] == 0 and rows["bob"]["estimate_accuracy"] is None
    # 40 min estimated x 1.5 = 60 min of work, 20 tracked: 40 min left.
    shown = tasks.visible_task(boss, fresh["id"])
    forecast_at = datetime.datetime.fromisoformat(shown["forecast_completion_at"]).replace(tzinfo=None)
    left = (forecast_at - utcnow()).total_seconds() / 60
    assert 38 <= left <= 40.5
    assert time_stats.accuracy_by_user() == {ann.id: (1.5, 1)}
    assert bob.id not in time_stats.tracked_by_user(base, utcnow())


def test_from_estimate_without_an_estimate_or_accuracy():
    now = datetime.datetime(2030, 1, 1)
    assert forecast.from_estimate(None, 0, 1.5, now) is None
    assert forecast.from_estimate(30, 0, None, now) == now + datetime.timedelta(minutes=30)
    assert forecast.from_estimate(30, 3600, 1.0, now) == now  # already over: due now
