"""The timer measures, the server places (issue 24 item 14): a device whose wall clock is wrong
still records the time worked, where it was worked; a run the server refuses stays in sight with
the reason in words, also after a restart, until the person dismisses it."""
from datetime import datetime, timedelta, timezone

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QPushButton

from desktop_client import timejournal
from desktop_client.api import Client
from desktop_client.timer import TimeTracker
from desktop_client.views.main_window import MainWindow
from desktop_client.views.words import refusal_text
from support.desktop import WAIT
from support.timer import Clock, entries, iso


def real_now():
    return datetime.now(timezone.utc)


def moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def tracker_for(api, folder, clock):
    return TimeTracker(Client(api.base_url, api.token), folder, api.user["id"], clock=clock)


def test_a_device_three_hours_behind_records_the_minutes_worked_now(company, app_dir):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock(behind=timedelta(minutes=20), skew=-timedelta(hours=3))
    tracker = tracker_for(ann, app_dir, clock)
    tracker.start_timer(task["id"])  # 20 minutes ago, by a wall clock 3 h behind
    clock.advance(minutes=20)
    tracker.stop_timer()
    assert tracker.flush()
    [entry] = entries(ann, task["id"])
    assert entry["minutes"] == 20
    assert abs((moment(entry["ended_at"]) - real_now()).total_seconds()) < 5


def test_a_device_ahead_starts_online_and_the_server_stamps_the_moment(company, app_dir):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock(behind=timedelta(0), skew=timedelta(hours=2))  # ahead: was refused before
    tracker = tracker_for(ann, app_dir, clock)
    tracker.start_timer(task["id"])
    assert tracker.flush() and tracker.journal.refused() == []
    running = ann.get("/api/me/time-entries/").json()["running"]
    assert abs((moment(running["started_at"]) - real_now()).total_seconds()) < 5


def test_after_a_restart_the_wall_clock_difference_places_the_run(company, app_dir,
                                                                  monkeypatch):
    ann = company.user()
    task = company.old_task(ann)
    clock = Clock(behind=timedelta(minutes=40))
    tracker = tracker_for(ann, app_dir, clock)
    tracker.start_timer(task["id"])
    clock.advance(minutes=15)
    tracker.stop_timer()  # never sent: one finished run, 40 to 25 minutes ago
    monkeypatch.setattr(timejournal, "SESSION", "a later start of the app")
    again = tracker_for(ann, app_dir, Clock(behind=timedelta(0)))
    assert again.flush()
    [entry] = entries(ann, task["id"])
    assert entry["minutes"] == 15
    ended = real_now() - timedelta(minutes=25)
    assert abs((moment(entry["ended_at"]) - ended).total_seconds()) < 5


def test_a_refused_offline_run_stays_in_sight_in_words_until_dismissed(qtbot, company,
                                                                       make_manager, app_dir):
    ann = company.user()
    task = company.old_task(ann, title="Fix tax")
    ann.post("/api/task/%d/time-entries/" % task["id"],
             {"started_at": iso(real_now().replace(tzinfo=None) - timedelta(minutes=30)),
              "ended_at": iso(real_now().replace(tzinfo=None) - timedelta(minutes=5))})
    clock = Clock(behind=timedelta(minutes=20))
    tracker = tracker_for(ann, app_dir, clock)
    tracker.start_timer(task["id"])
    clock.advance(minutes=10)
    tracker.stop_timer()
    assert tracker.flush()  # refused: it overlaps the entry above
    [kept] = tracker.journal.refused()
    assert kept["refused_status"] == 409 and kept["refused_code"] == "overlap"
    manager = make_manager(ann)
    window = MainWindow(manager, ann.user)
    qtbot.addWidget(window)
    manager.start()
    qtbot.waitUntil(lambda: task["id"] in window.cards, timeout=WAIT)
    again = tracker_for(ann, app_dir, Clock(behind=timedelta(0)))  # the app starts again
    window.attach_timer(again)
    again.start()
    qtbot.waitUntil(lambda: len(window.refusals.items) == 1, timeout=WAIT)
    [shown] = window.refusals.items
    text = shown.findChild(type(window.count)).text()
    assert text.startswith("Time recorded on “Fix tax” was not saved: It overlaps time already")
    qtbot.mouseClick(shown.findChild(QPushButton), Qt.LeftButton)
    assert again.journal.refused() == [] and window.refusals.items == []
    again.quit()


def test_a_run_too_old_to_record_says_who_can_add_it():
    for code in ("locked", "period_locked"):
        text = refusal_text("Time recorded on “Fix tax”",
                            {"refused_code": code, "refused_reason": "time_lock_days"})
        assert "Too old to record" in text and "ask an admin or your lead to add it" in text
        assert "time_lock_days" not in text
