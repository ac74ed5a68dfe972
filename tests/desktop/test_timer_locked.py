"""The desktop's timer journal and an approved week: a run recorded offline that reaches the
server after its week was approved is refused with period_locked, kept in the journal's refused
list with the server's reason (nothing lost), and writes nothing."""
from datetime import timedelta

from desktop_client.api import Client
from desktop_client.timer import TimeTracker
from support.aging import backdate as backdate_task
from support.server import free_port
from support.timer import Clock, entries


def test_a_late_offline_run_into_an_approved_week_is_refused_and_kept(company, app_dir):
    ann = company.user()
    task = company.task(ann)
    backdate_task(company.server, task["id"])  # entries may not start before their task
    clock = Clock(behind=timedelta(minutes=30))
    earlier = ann.post("/api/task/%d/time-entries/" % task["id"], {
        "started_at": (clock.now - timedelta(minutes=2)).isoformat(),
        "ended_at": (clock.now - timedelta(minutes=1)).isoformat()})
    assert earlier.status_code == 201, earlier.text
    offline = TimeTracker(Client("http://127.0.0.1:%d" % free_port(), ann.token), app_dir,
                          ann.user["id"], clock=clock)
    offline.start_timer(task["id"])
    clock.advance(minutes=10)
    offline.stop_timer()
    assert not offline.flush() and offline.unsent() > 0
    year, week, _ = (clock.now - timedelta(minutes=10)).isocalendar()
    sheet = ann.post("/api/me/timesheets/%04d-W%02d/submit/" % (year, week)).json()
    assert company.owner.post("/api/timesheets/%d/approve/" % sheet["id"]).status_code == 200

    online = TimeTracker(Client(ann.base_url, ann.token), app_dir, ann.user["id"], clock=clock)
    refused = []
    online.refused.connect(refused.append)
    assert online.flush() and online.unsent() == 0
    assert refused and refused[0]["refused_status"] == 409
    assert "approved and locked" in refused[0]["refused_reason"]
    kept = online.journal.refused()
    assert len(kept) == 1 and kept[0]["refused_status"] == 409  # nothing lost: the run is kept
    assert [entry["id"] for entry in entries(ann, task["id"])] == [earlier.json()["id"]]
