"""Cursors over time: gapless across a server restart, and a reset (never a silent gap) for a
cursor older than the retained history."""
import time

from support.client import Company
from support.server import start_server
from support.push import connect, ids, long_poll, newest_id, progress, recv_json, recv_until


def test_events_missed_across_a_server_restart_arrive_after_reconnect(tmp_path):
    srv = start_server(tmp_path)
    try:
        company = Company(srv)
        employee = company.user()
        task = company.task(employee)
        ws = connect(srv, company.owner, after=newest_id(company.owner))
        progress(employee, task, 1)
        cursor = recv_json(ws)["id"]
        ws.close()
        for pct in (2, 3, 4):
            progress(employee, task, pct)
        srv.kill()  # no shutdown code: what was acknowledged must still be there
        srv.start()
        progress(employee, task, 5)
        newest = newest_id(company.owner)
        ws = connect(srv, company.owner, after=cursor)
        try:
            missed = recv_until(ws, newest)
            progress(employee, task, 6)
            live = recv_json(ws)
        finally:
            ws.close()
        assert ids(missed) == list(range(cursor + 1, newest + 1))
        assert [e["task"]["progress_percentage"] for e in missed] == [2, 3, 4, 5]
        assert live["id"] == newest + 1 and live["task"]["progress_percentage"] == 6
        over_poll = long_poll(employee, cursor, timeout=0)  # the same through long-poll
        assert [e["task"]["progress_percentage"] for e in over_poll["events"]] == [2, 3, 4, 5, 6]
    finally:
        srv.stop()


def test_a_cursor_older_than_the_retained_history_gets_a_reset(tmp_path):
    # Events older than ~1 s are pruned; only 3 stay in memory.
    srv = start_server(tmp_path, TRACKER_EVENT_RETENTION_HOURS=1 / 3600, TRACKER_PUSH_RING_SIZE=3)
    try:
        company = Company(srv)
        owner = company.owner
        assert long_poll(owner, 0, timeout=0) == {"events": [], "cursor": 0}  # empty: not too old
        ws = connect(srv, owner, after=0)
        employee = company.user()
        task = company.task(employee)
        assert recv_json(ws)["id"] == 1  # a fresh client at 0 gets event 1, not a reset
        ws.close()
        for pct in range(1, 7):
            progress(employee, task, pct)
        newest = newest_id(owner)
        deadline = time.monotonic() + 20
        # Wait until the pruning has passed event 3; until then each answer is whole (the ring
        # holds the newest 3, so older cursors are read from the table).
        while "type" not in (body := long_poll(owner, 2, timeout=0)):
            assert ids(body["events"]) == list(range(3, newest + 1)), "a gap instead of a reset"
            assert time.monotonic() < deadline, "events were never pruned"
            time.sleep(0.2)
        assert long_poll(owner, 0, timeout=0) == {"type": "reset", "cursor": newest,
                                                  "events": [{"type": "reset", "cursor": newest}]}
        ws = connect(srv, owner, after=2)
        try:
            assert recv_json(ws) == {"type": "reset", "cursor": newest}
            progress(employee, task, 50)
            assert recv_json(ws)["id"] == newest + 1  # the socket goes on after the reset
        finally:
            ws.close()
        # The newest event is always kept, so a cursor just below it is still served.
        assert ids(long_poll(owner, newest, timeout=0)["events"]) == [newest + 1]
        # A cursor from the future (another database) is reset too, never waited on.
        assert long_poll(owner, newest + 1000, timeout=0)["type"] == "reset"
    finally:
        srv.stop()


def test_an_employee_resuming_from_before_the_ring_gets_exactly_their_own_events(tmp_path):
    """The catch-up of a reconnect storm (push/bus.py reads an employee's events by person): an
    employee's socket and long-poll resuming from a cursor older than the ring get their own
    events, in order, and nobody else's, then live ones."""
    srv = start_server(tmp_path, TRACKER_PUSH_RING_SIZE=3)
    try:
        company = Company(srv)
        ann, bob = company.user(), company.user()
        ann_task, bob_task = company.task(ann), company.task(bob)
        cursor = newest_id(company.owner)
        for pct in range(1, 9):
            progress(bob, bob_task, pct)
            if pct % 3 == 0:
                progress(ann, ann_task, pct)
        progress(bob, bob_task, 9)  # the ring holds bob's last three, none of ann's
        ws = connect(srv, ann, after=cursor)
        try:
            missed = [recv_json(ws), recv_json(ws)]
            progress(bob, bob_task, 10)
            progress(ann, ann_task, 11)
            live = recv_json(ws)
        finally:
            ws.close()
        assert [e["task"]["progress_percentage"] for e in missed] == [3, 6]
        assert {e["task"]["id"] for e in missed} == {ann_task["id"]}
        assert live["task"]["id"] == ann_task["id"] and live["task"]["progress_percentage"] == 11
        over_poll = long_poll(ann, cursor, timeout=0)
        assert [e["task"]["progress_percentage"] for e in over_poll["events"]] == [3, 6, 11]
        assert over_poll["cursor"] == newest_id(company.owner)
    finally:
        srv.stop()
