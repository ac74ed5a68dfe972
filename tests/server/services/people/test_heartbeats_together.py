"""Many heartbeats at once (presence.touch_all, the writer's `together` form of presence.beat):
it settles exactly the beats that keep an ACTIVE person ACTIVE, in one statement, and leaves
everything else to the full heartbeat; token touches likewise. On SQLite and on PostgreSQL."""
import asyncio
import datetime
import threading

from server.push.writer import Writer
from server.store.database import db
from server.store.models import ApiToken, Event, OccupancyInterval, User
from server.store.privacy_models import PresencePause
from server.store.times import utcnow
from server.services.people import auth, presence
from support.db import count_queries

AFTER = presence.DEFAULT_OFFLINE_AFTER


def staff(*names):
    with db.atomic():
        return [User.create(username=name, full_name=name.title(), password_hash="x") for name in names]


def beat(user, status, at, idle=None):
    with db.atomic():
        return presence.heartbeat(user, status, idle, now=at)


def ends():
    return {row.user_id: (row.status, row.ended_at, row.closed)
            for row in OccupancyInterval.select().order_by(OccupancyInterval.id)}


def test_only_an_active_person_staying_active_is_settled(database):
    ann, bob, cat, dan, eve, fay, gus, hal = staff("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal")
    now = utcnow().replace(microsecond=0)
    earlier = now - datetime.timedelta(seconds=30)
    for person in (ann, fay, gus, eve, hal):
        beat(person, "ACTIVE", earlier)
    beat(cat, "IDLE", earlier, idle=10)
    beat(dan, "ACTIVE", now - datetime.timedelta(seconds=AFTER + 1))  # silent too long: OFFLINE
    with db.atomic():
        PresencePause.create(user=eve.id, started_at=earlier)
    before, events = ends(), Event.select().count()
    beats = [(ann, "ACTIVE", None, AFTER, "full"),
             (bob, "ACTIVE", None, AFTER, "full"),     # never seen: a change of status
             (cat, "ACTIVE", None, AFTER, "full"),     # IDLE -> ACTIVE
             (dan, "ACTIVE", None, AFTER, "full"),     # OFFLINE -> ACTIVE
             (eve, "ACTIVE", None, AFTER, "full"),     # paused: nothing is stored
             (fay, "IDLE", 60, AFTER, "full"),         # ACTIVE -> IDLE
             (gus, "ACTIVE", None, AFTER, "off"),      # presence off: nothing is stored
             (ann, "ACTIVE", None, AFTER, "full"),     # her second beat in one group
             (hal, "IDLE", 20, AFTER, "full"),         # his beats stay in order: IDLE, then
             (hal, "ACTIVE", None, AFTER, "full")]     # ACTIVE (settled first, he would end IDLE)
    with db.atomic():
        answers, queries = count_queries(lambda: presence.touch_all(beats, now=now))
    assert answers == ["ACTIVE", None, None, None, None, None, None, None, None, None]
    assert queries == 1  # one UPDATE for the whole group
    after = ends()
    assert after[ann.id] == ("ACTIVE", now, False)
    assert {uid: row for uid, row in after.items() if uid != ann.id} == {
        uid: row for uid, row in before.items() if uid != ann.id}
    assert Event.select().count() == events  # nothing a person's status changed by


def test_what_it_settles_ends_as_the_full_heartbeat_would_end_it(database):
    ann, bob = staff("ann", "bob")
    t0 = utcnow().replace(microsecond=0) - datetime.timedelta(minutes=10)
    for person in (ann, bob):
        beat(person, "ACTIVE", t0)
    then = t0 + datetime.timedelta(seconds=30)
    with db.atomic():
        assert presence.touch_all([(ann, "ACTIVE", None, AFTER, "online")], now=then) == ["ACTIVE"]
    assert beat(bob, "ACTIVE", then) == "ACTIVE"
    rows = {row.user_id: row for row in OccupancyInterval.select()}
    assert [(r.status, r.started_at, r.ended_at, r.closed) for r in (rows[ann.id], rows[bob.id])] \
        == [("ACTIVE", t0, then, False)] * 2
    assert presence.current(ann.id, now=then) == presence.current(bob.id, now=then) == ("ACTIVE", then)
    assert Event.select().where(Event.type == "occupancy.changed").count() == 2  # each coming online


def test_the_writer_settles_a_group_together_and_sends_the_rest_the_full_way(database):
    """One group: the together form settles the beat that keeps its status; the rest take
    heartbeat() in the same pass, each change of status an event."""
    ann, bob = staff("ann", "bob")
    beat(ann, "ACTIVE", utcnow() - datetime.timedelta(seconds=5))
    entered, gate = threading.Event(), threading.Event()

    def block():
        entered.set()
        gate.wait(10)

    async def scenario():
        writer = Writer()
        try:
            blocked = writer.submit(block)
            await asyncio.to_thread(entered.wait, 10)  # the writer is busy: the beats queue up
            beats = [writer.submit(presence.beat, ann, "ACTIVE", None, AFTER, "full"),
                     writer.submit(presence.beat, bob, "ACTIVE", None, AFTER, "full"),
                     writer.submit(presence.beat, ann, "IDLE", 40, AFTER, "full")]
            gate.set()
            await blocked
            return await asyncio.gather(*beats)
        finally:
            writer.close()

    assert asyncio.run(scenario()) == ["ACTIVE", "ACTIVE", "IDLE"]
    changes = [e.payload for e in Event.select().where(Event.type == "occupancy.changed")
               .order_by(Event.id)]
    assert len(changes) == 3  # ann online (set-up), bob online, ann idle; none for her ACTIVE
    assert '"IDLE"' in changes[-1] and '"username":"ann"' in changes[-1].replace(" ", "")
    assert presence.current(bob.id)[0] == "ACTIVE" and presence.current(ann.id)[0] == "IDLE"


def test_token_touches_settle_together_in_one_statement(database):
    """auth.touch_tokens, touch_token's `together`: every live token's last use in one UPDATE;
    a token that is gone is left to touch_token (which finds nothing either)."""
    ann, bob = staff("ann", "bob")
    with db.atomic():
        tokens = [ApiToken.create(user=person, token_hash=name) for person, name in
                  ((ann, "a" * 64), (bob, "b" * 64))]
    calls = [(tokens[0].id,), (tokens[1].id,), (tokens[0].id,), (tokens[1].id + 100,)]
    started = utcnow()
    with db.atomic():
        answers, queries = count_queries(lambda: auth.touch_tokens(calls))
    assert answers == [True, True, True, None] and queries == 1
    assert all(row.last_used_at >= started for row in ApiToken.select())
