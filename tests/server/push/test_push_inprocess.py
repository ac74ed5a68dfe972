"""The push path in-process with pytest-tornado: the app from make_app served on the test's own
loop (long-poll woken by a commit; the monitor page and the API answer from one board), and the
bus's socket observer driven with stand-in sockets (catch-up, visibility, caps, ping and reap).
The real-server tests (test_push_*.py) cover the same channel over real processes."""
import asyncio
import json
import struct

import pytest
import tornado.concurrent

from server import settings
from server.app import make_app
from server.push.bus import Bus
from server.push.sockets import SLICES, Caps, Sockets
from server.services.monitor.board import CARD
from server.services.people import auth
from server.services.tasks import tasks
from server.store.database import db
from support.db import new_task, people, progress


@pytest.fixture
def app(tmp_path):
    application = make_app(dict(settings.DEFAULTS, db="sqlite:///%s" % (tmp_path / "app.db")))
    yield application
    application.svc.close()
    db.close()


def token_of(user, kind="api"):
    with db.atomic():
        return auth.issue_token(user, kind)


async def until(predicate, timeout=5.0):
    """Yield to the loop until `predicate()` holds (a condition, never a fixed pause)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not met in %s s" % timeout
        await asyncio.sleep(0.005)


@pytest.mark.gen_test(timeout=20)
async def test_a_waiting_long_poll_answers_with_the_commit_that_woke_it(app, http_client, base_url):
    boss, ann, _bob = people()
    token, after = token_of(ann), app.svc.bus.last_id
    answer = http_client.fetch(base_url + "/api/events/?after=%d&timeout=15" % after,
                               headers={"Authorization": "Bearer " + token})
    await until(lambda: app.svc.caps.held == 1)  # admitted and waiting on the bus
    task = await app.svc.writer.submit(tasks.create, boss, task_fields(ann))
    body = json.loads((await answer).body)
    assert [(e["type"], e["task"]["id"]) for e in body["events"]] == [("task.created", task["id"])]
    assert body["cursor"] == app.svc.bus.last_id and app.svc.caps.held == 0


def task_fields(assignee):
    return {"title": "t", "description": "", "assignee_id": assignee.id, "project_id": None,
            "due_date": None, "priority": "MEDIUM"}


@pytest.mark.gen_test(timeout=20)
async def test_the_monitor_page_and_the_api_answer_from_one_board(app, http_client, base_url):
    boss, ann, _bob = people()
    first = new_task(boss, ann)
    progress(ann, first["id"], 30)
    app.svc.bus.refresh()
    api = await http_client.fetch(base_url + "/api/admin/task-status/",
                                  headers={"Authorization": "Bearer " + token_of(boss)})
    page = await http_client.fetch(base_url + "/dashboard/tasks/monitor/snapshot.json",
                                   headers={"Cookie": "tracker_session=" + token_of(boss, "session")})
    updates = await http_client.fetch(base_url + "/api/admin/task-updates/?ids=%d" % first["id"],
                                      headers={"Authorization": "Bearer " + token_of(boss)})
    api_body, page_body = json.loads(api.body), json.loads(page.body)
    assert json.loads(updates.body)["updates"][str(first["id"])][0]["new_percentage"] == 30
    assert page_body.pop("teams") == []  # what the page filters and groups by
    assert page_body["tasks"] == [{name: task[name] for name in CARD} for task in api_body["tasks"]]
    assert [t["progress_percentage"] for t in api_body["tasks"]] == [30]
    page_body.pop("tasks"), api_body.pop("tasks")
    assert page_body == api_body
    assert api_body["cursor"] == app.svc.bus.last_id


# ---------------------------------------------------------------- the socket observer, stand-ins

class StandIn:
    """A socket as server/push/sockets.py sees one; what it is sent lands in `sent`."""

    def __init__(self, user, cursor, token_id=None, answers_pings=True):
        self.user_id, self.is_admin, self.token_id = user.id, user.is_admin, token_id
        self.scope = None  # a lead's or viewer's team scope (services/people/scope.py)
        self.cursor, self.answers_pings = cursor, answers_pings
        self.live = self.closed = self.aborted = False
        self.alive = True
        self.sent = []

    def send(self, data):
        self.sent.append(bytes(data))
        flushed = tornado.concurrent.Future()
        flushed.set_result(None)
        return flushed

    def send_ping(self):
        self.alive = self.answers_pings  # the pong of a socket that answers

    def abort(self):
        self.aborted = True

    def messages(self):
        """The JSON of each text frame sent, in order."""
        data, found = b"".join(self.sent), []
        while data:
            assert data[0] == 0x81, data[:2]  # final text frame, unmasked
            length, start = data[1], 2
            if length == 126:
                length, start = struct.unpack("!H", data[2:4])[0], 4
            elif length == 127:
                length, start = struct.unpack("!Q", data[2:10])[0], 10
            found.append(json.loads(data[start:start + length]))
            data = data[start + length:]
        return found


@pytest.fixture
def fan_out(database):
    bus = Bus(dict(settings.DEFAULTS, db="unused"))
    bus.load()
    return bus, Sockets(bus, settings.DEFAULTS)


def task_ids(sub):
    return [message["task"]["id"] for message in sub.messages()]


@pytest.mark.gen_test(timeout=20)
async def test_stand_in_sockets_catch_up_then_get_only_the_events_they_may_see(fan_out):
    bus, sockets = fan_out
    boss, ann, bob = people()
    before = new_task(boss, ann)
    bus.refresh()
    admin, own, other = StandIn(boss, 0), StandIn(ann, 0), StandIn(bob, bus.last_id)
    for sub in (admin, own, other):
        await sockets.attach(sub)
    assert all(sub.live for sub in (admin, own, other))
    assert task_ids(admin) == task_ids(own) == [before["id"]] and other.sent == []
    anns, bobs = new_task(boss, ann), new_task(boss, bob)
    bus.refresh()
    assert task_ids(admin) == [before["id"], anns["id"], bobs["id"]]
    assert task_ids(own) == [before["id"], anns["id"]] and task_ids(other) == [bobs["id"]]
    assert own.cursor == other.cursor == admin.cursor == bus.last_id


@pytest.mark.gen_test(timeout=20)
async def test_the_sweep_reaps_the_silent_and_the_revoked_and_keeps_the_rest(fan_out):
    bus, sockets = fan_out
    boss, ann, bob = people()
    with db.atomic():
        tokens = [auth.issue_token(user) for user in (boss, ann, bob)]
    ids = [auth.lookup_token(auth.token_digest(token))[0].id for token in tokens]
    healthy, silent, revoked = (StandIn(boss, bus.last_id, ids[0]),
                                StandIn(ann, bus.last_id, ids[1], answers_pings=False),
                                StandIn(bob, bus.last_id, ids[2]))
    for sub in (healthy, silent, revoked):
        await sockets.attach(sub)
    with db.atomic():
        auth.revoke_token(ids[2])
    sockets.ping_all()
    sockets.reap()  # what the timer runs once the ping timeout has passed
    assert (healthy.aborted, silent.aborted, revoked.aborted) == (False, True, True)


class Counted(StandIn):
    """A stand-in that notes the sweep's tick at each ping it gets and when it is closed."""

    def __init__(self, user, cursor, sockets, answers_pings=True):
        super().__init__(user, cursor, answers_pings=answers_pings)
        self.sockets, self.pinged_at, self.aborted_at = sockets, [], None

    def send_ping(self):
        self.pinged_at.append(self.sockets.ticks)
        super().send_ping()

    def abort(self):
        self.aborted_at = self.sockets.ticks
        super().abort()


@pytest.mark.gen_test(timeout=20)
async def test_the_sweep_pings_a_slice_per_tick_and_reaps_a_silent_socket_after_the_timeout(fan_out):
    bus, _ = fan_out
    sockets = Sockets(bus, dict(settings.DEFAULTS, push_ping_seconds=25.0, push_ping_timeout_seconds=10.0))
    sockets.ticks = 0
    boss, ann, _bob = people()
    healthy = [Counted(boss, bus.last_id, sockets) for _ in range(300)]
    silent = Counted(ann, bus.last_id, sockets, answers_pings=False)
    for sub in healthy + [silent]:
        await sockets.attach(sub)
    per_tick = []
    for sockets.ticks in range(1, SLICES + 1):  # one interval
        before = sum(len(sub.pinged_at) for sub in healthy)
        sockets.ping_slice()
        per_tick.append(sum(len(sub.pinged_at) for sub in healthy) - before)
    assert all(len(sub.pinged_at) == 1 for sub in healthy)  # each once per interval
    assert max(per_tick) < 300 // 4  # spread over the ticks, not one burst
    while silent.aborted_at is None and sockets.ticks < 2 * SLICES:
        sockets.ticks += 1
        sockets.ping_slice()
    [pinged] = silent.pinged_at
    assert silent.aborted_at - pinged == 10  # the timeout: 10 s of the 25 s interval's 25 ticks
    assert not any(sub.aborted for sub in healthy)


def test_caps_count_held_connections_per_user_and_in_all():
    caps = Caps(dict(settings.DEFAULTS, push_max_connections=3, push_max_connections_per_user=2))
    assert [caps.admit(1), caps.admit(1), caps.admit(1)] == [True, True, False]
    assert caps.admit(2) and not caps.admit(3)  # three held: the total cap
    caps.release(1)
    assert caps.admit(3) and caps.per_user == {1: 1, 2: 1, 3: 1}
