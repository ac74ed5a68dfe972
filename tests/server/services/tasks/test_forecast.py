"""The completion forecast: hand-made histories through the pure function, then through the API."""
import datetime
import json
import sqlite3

import pytest

from server.services.tasks import forecast

START = datetime.datetime(2026, 11, 2, 9, 0)


def at(hours):
    return START + datetime.timedelta(hours=hours)


def ahead(points, now):
    """Hours from `now` to the forecast."""
    return (forecast.from_points(points, now) - now).total_seconds() / 3600


STEADY = [(at(h), 10 * h) for h in range(5)]  # 10 points an hour, reported hourly


def test_steady_pace_is_extrapolated():
    assert ahead(STEADY, at(4)) == pytest.approx(6.0, abs=0.01)


def test_acceleration_moves_the_forecast_towards_the_recent_pace():
    slow = [(at(h), 2 * h) for h in range(6)]                          # 2 points/h for 5 h
    fast = [(at(5 + 0.5 * i), 10 + 10 * i) for i in range(1, 5)]       # then 20 points/h
    hours = ahead(slow + fast, at(7))
    whole_history_line = 50 / (50 / 7)   # a straight line through first and last: 7 h
    recent_pace = 50 / 20                # the last two hours alone: 2.5 h
    assert recent_pace < hours < whole_history_line - 2


def test_a_stalled_task_slips_and_is_never_forecast_in_the_past():
    now = at(4 + 48)
    hours = ahead(STEADY, now)
    assert hours > ahead(STEADY, at(4)) + 2
    assert forecast.from_points(STEADY, now) > now


def test_a_burst_of_reports_counts_as_the_work_it_reports():
    """An offline outbox replayed: +10, +10 ten seconds apart after an hour of silence."""
    burst_end = at(4) + datetime.timedelta(seconds=20)
    burst = STEADY + [(at(4) + datetime.timedelta(seconds=10), 50), (burst_end, 60)]
    spread = STEADY[:-1] + [(burst_end, 60)]  # the same 30 points in one report
    assert ahead(burst, burst_end) == pytest.approx(ahead(spread, burst_end), rel=0.1)
    assert ahead(burst, burst_end) > 1.5  # a line through the last two points says 40 seconds


def test_a_long_pause_does_not_dilute_the_pace():
    history = [(at(0), 0), (at(1), 10), (at(2), 20), (at(74), 30), (at(75), 40)]
    assert ahead(history, at(75)) < 9  # a line through first and last: 6 points a day, ~10 days


def test_a_single_point_gives_no_forecast():
    assert forecast.from_points([(at(0), 30)], at(1)) is None
    assert forecast.from_points([], at(1)) is None


def test_minutes_of_history_are_too_little_to_go_on():
    assert forecast.from_points([(at(0), 0), (at(0.05), 10)], at(0.05)) is None


def test_no_net_progress_gives_no_forecast():
    assert forecast.from_points([(at(0), 40), (at(2), 40)], at(2)) is None
    assert forecast.from_points([(at(0), 60), (at(2), 20)], at(2)) is None


def test_a_done_task_is_forecast_at_its_completion():
    assert forecast.from_points(STEADY + [(at(5), 100)], at(9)) == at(5)


def test_at_risk_flips_as_the_due_date_moves():
    expected = forecast.from_points(STEADY, at(4))  # at(10)
    assert forecast.is_at_risk(expected, at(9))
    assert not forecast.is_at_risk(expected, at(11))
    assert not forecast.is_at_risk(None, at(9))
    assert not forecast.is_at_risk(expected, None)


# ---------------------------------------------------------------- through the API

def db_path(server):
    return server.db_path


def backdate_creation(server, task_id, hours):
    with sqlite3.connect(db_path(server), timeout=10) as conn:
        created = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        conn.execute("UPDATE task SET created_at = ? WHERE id = ?",
                     (str(created - datetime.timedelta(hours=hours)), task_id))


def parse(value):
    return datetime.datetime.fromisoformat(value)


def utc_in(hours):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=hours)


def test_forecast_and_at_risk_through_the_api(server, company):
    employee = company.user()
    task = company.task(employee, due_date=utc_in(72).isoformat())
    assert task["forecast_completion_at"] is None and task["at_risk"] is False
    backdate_creation(server, task["id"], 2)  # assigned two hours ago
    answer = employee.post("/api/task/%d/progress/" % task["id"], {"progress_percentage": 20})
    assert answer.status_code == 200, answer.text

    body = company.owner.get("/api/admin/tasks/%d/" % task["id"]).json()
    hours = (parse(body["forecast_completion_at"]) - utc_in(0)).total_seconds() / 3600
    assert 7.5 < hours < 8.5  # 20 points in 2 h: the other 80 take 8 h
    assert body["at_risk"] is False

    with sqlite3.connect(db_path(server), timeout=10) as conn:  # the pushed task carries it too
        payload, = conn.execute("SELECT payload FROM event WHERE task_id = ? ORDER BY id DESC "
                                "LIMIT 1", (task["id"],)).fetchone()
    assert json.loads(payload)["task"]["forecast_completion_at"] is not None

    edited = company.owner.patch("/api/admin/tasks/%d/" % task["id"],
                                 {"due_date": utc_in(1).isoformat()}).json()
    assert edited["at_risk"] is True
    status = company.owner.get("/api/admin/task-status/?employee=%d" % employee.user["id"]).json()
    assert status["summary"]["at_risk"] == 1
    stats = company.owner.get("/api/admin/statistics/").json()
    row, = [r for r in stats["employees"] if r["id"] == employee.user["id"]]
    assert row["at_risk"] == 1 and stats["at_risk"] >= 1

    edited = company.owner.patch("/api/admin/tasks/%d/" % task["id"],
                                 {"due_date": utc_in(48).isoformat()}).json()
    assert edited["at_risk"] is False

    employee.post("/api/task/%d/complete/" % task["id"], {})
    done = company.owner.get("/api/admin/tasks/%d/" % task["id"]).json()
    assert done["forecast_completion_at"] == done["completed_at"] and done["at_risk"] is False


def test_upgrading_an_old_database_backfills_the_pace_from_the_audit_trail(tmp_path):
    import shutil
    from pathlib import Path
    from server.store import database, migrations, models
    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parents[3] / "data" / "schema_v1.db", path)
    database.open_database("sqlite:///%s" % path)
    try:
        assert migrations.migrate() == migrations.SCHEMA_VERSION
        paces = [(task.progress_percentage, task.pace_gain, task.pace_seconds)
                 for task in models.Task.select().order_by(models.Task.id)]
        assert [pct for pct, _gain, _seconds in paces] == [30, 60, 90]
        assert all(gain == pytest.approx(pct) and seconds > 0 for pct, gain, seconds in paces)
    finally:
        database.db.close()


def test_migration_3_backfills_the_pace_as_the_forecast_computes_it(tmp_path):
    """Migration 3 carries a frozen copy of the backfill: on the old data it agrees with today's."""
    import shutil
    from pathlib import Path
    from server.store import database, migrations, models
    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parents[3] / "data" / "schema_v1.db", path)
    database.open_database("sqlite:///%s" % path)
    try:
        migrations.migrate()
        Task = models.Task
        frozen = [(t.pace_gain, t.pace_seconds) for t in Task.select().order_by(Task.id)]
        Task.update(pace_gain=0, pace_seconds=0).execute()
        forecast.backfill()
        assert [(t.pace_gain, t.pace_seconds) for t in Task.select().order_by(Task.id)] == frozen
    finally:
        database.db.close()
