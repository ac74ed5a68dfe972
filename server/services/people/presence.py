"""Presence: heartbeats merge into ACTIVE / IDLE intervals; silence past a limit, or OFFLINE, ends them."""
import datetime

from server.store.database import db, is_postgres
from server.store.models import OCCUPANCY, OccupancyInterval, User
from server.store.times import utcnow
from server.services.record import eventlog
from server.services.core.hooks import Hooks
from server.services.core import validate
from server.services.record.audit import lock_chain
from server.services.core.errors import ValidationError
from server.services.people.detail import is_paused
from server.store.privacy_models import PresencePause
from server.services.language.text import _l

DEFAULT_OFFLINE_AFTER = 90
MAX_IDLE_SECONDS = 30 * 24 * 3600
# away(user_id, at, reason, now) when someone turns IDLE or OFFLINE, in the same transaction:
# make_app subscribes time tracking (a running timer stops at `at`).
away = Hooks()


def parse_heartbeat(data):
    validate.require_object(data)
    validate.only_fields(data, ("occupancy_status", "idle_seconds"))
    status = validate.choice(data, "occupancy_status", OCCUPANCY, required=True)
    idle = data.get("idle_seconds")
    if idle is not None and (isinstance(idle, bool) or not isinstance(idle, (int, float))
                             or not 0 <= idle <= MAX_IDLE_SECONDS):
        raise ValidationError(_l("idle_seconds must be a number from 0 to %(max_idle_seconds)d",
                                 max_idle_seconds=MAX_IDLE_SECONDS),
                              "idle_seconds")
    return status, idle


def _open_interval(user_id):
    return (OccupancyInterval.select()
            .where(OccupancyInterval.user == user_id, OccupancyInterval.closed == False)  # noqa: E712
            .order_by(OccupancyInterval.ended_at.desc()).first())


def _latest_interval(user_id):
    return (OccupancyInterval.select().where(OccupancyInterval.user == user_id)
            .order_by(OccupancyInterval.ended_at.desc()).first())


def status_of(interval, now, offline_after=DEFAULT_OFFLINE_AFTER):
    if interval is None or interval.closed:
        return "OFFLINE"
    if (now - interval.ended_at).total_seconds() > offline_after:
        return "OFFLINE"
    return interval.status


def current(user_id, now=None, offline_after=DEFAULT_OFFLINE_AFTER):
    """(status, last_seen_at) of one user."""
    now = now or utcnow()
    latest = _latest_interval(user_id)
    return status_of(latest, now, offline_after), (latest.ended_at if latest else None)


# Per user, one seek on (user_id, ended_at) to the newest interval: the cost follows the people,
# not the intervals (a GROUP BY read the whole index, a year of heartbeats). SQLite's CROSS
# JOIN and PostgreSQL's LATERAL keep the order: people outside, intervals inside.
LATEST_PER_USER = {
    "sqlite": 'SELECT o.id, o.user_id, o.status, o.ended_at, o.closed FROM "user" u '
              "CROSS JOIN occupancy_interval o WHERE o.id = (SELECT x.id FROM occupancy_interval x "
              "WHERE x.user_id = u.id ORDER BY x.ended_at DESC, x.id DESC LIMIT 1)",
    "postgres": 'SELECT o.id, o.user_id, o.status, o.ended_at, o.closed FROM "user" u '
                "CROSS JOIN LATERAL (SELECT x.* FROM occupancy_interval x WHERE x.user_id = u.id "
                "ORDER BY x.ended_at DESC, x.id DESC LIMIT 1) o",
}


def current_all(now=None, offline_after=DEFAULT_OFFLINE_AFTER):
    """{user_id: (status, last_seen_at)} for every user with any interval: one query over each
    user's latest interval, however long the history grows."""
    now = now or utcnow()
    latest = {}
    statement = LATEST_PER_USER["postgres" if is_postgres() else "sqlite"]
    for row_id, user_id, status, ended_at, closed in db.execute_sql(statement).fetchall():
        latest[user_id] = OccupancyInterval(
            id=row_id, user=user_id, status=status, closed=bool(closed),
            ended_at=OccupancyInterval.ended_at.python_value(ended_at))
    return {uid: (status_of(iv, now, offline_after), iv.ended_at) for uid, iv in latest.items()}


def employee_dict(user, status):
    return {"id": user.id, "username": user.username, "full_name": user.full_name,
            "occupancy_status": status}


def _stop_timer(user, status, idle_seconds, now):
    """A forgotten timer never counts idle time: it stops where the idle period began."""
    at = now - datetime.timedelta(seconds=idle_seconds or 0) if status == "IDLE" else now
    away(user.id, at, status.lower(), now)


def _withhold(user, status, idle_seconds, now, detail):
    """Store nothing (presence off, or paused): only a running timer still stops on idle."""
    if status != "ACTIVE":
        _stop_timer(user, status, idle_seconds, now)
    return None if detail == "off" else "PAUSED"


def touch_all(beats, now=None):
    """The common heartbeat, an ACTIVE person still ACTIVE, for many at once: one UPDATE moves
    their open intervals' ends. `beats` are beat()'s argument tuples; the answer has "ACTIVE" for
    each beat it settled and None for the rest, which take the full heartbeat() (a change of
    status, a pause, presence off, a person's later beats, a row another writer holds).

    It appends no event, so it needs no audit chain's lock: the writer runs it in a transaction
    of its own before its group (see Writer), and on PostgreSQL takes the rows with SKIP LOCKED,
    so it never waits on a lock: no deadlock with a writer that holds the chain's lock and wants
    one of these rows (the sweep, a pause, a status change in another process)."""
    now = now or utcnow()
    # Only a person's first beat in the group: settled before the rest, it keeps their beats in
    # order (an IDLE followed by an ACTIVE would otherwise leave them IDLE).
    first = {}  # user id -> (index, offline_after) of their first beat, None unless ACTIVE
    for index, (user, status, _idle, offline_after, detail) in enumerate(beats):
        quick = status == "ACTIVE" and detail != "off"
        first.setdefault(user.id, (index, offline_after) if quick else None)
    wanted = {uid: beat for uid, beat in first.items() if beat is not None}
    settled = [None] * len(beats)
    for offline_after in {after for _index, after in wanted.values()}:
        people = [uid for uid, (_index, after) in wanted.items() if after == offline_after]
        for user_id in _touch(people, offline_after, now):
            settled[wanted[user_id][0]] = "ACTIVE"
    return settled


def _touch(user_ids, offline_after, now):
    """Move the end of each person's open, still ACTIVE interval to now; their ids."""
    interval = OccupancyInterval
    fresh = (interval.select(interval.id)
             .where(interval.user.in_(user_ids), interval.closed == False,  # noqa: E712
                    interval.status == "ACTIVE",
                    interval.ended_at >= now - datetime.timedelta(seconds=offline_after),
                    interval.user.not_in(PresencePause.select(PresencePause.user))))
    if is_postgres():
        fresh = fresh.for_update("FOR UPDATE SKIP LOCKED")
    moved = interval.update(ended_at=now).where(interval.id.in_(fresh)).returning(interval.user)
    return [row.user_id for row in moved.execute()]


def beat(user, status, idle_seconds, offline_after, detail):
    """heartbeat() as the handlers submit it to the writer, which first tries many at once with
    touch_all (its `together`)."""
    return heartbeat(user, status, idle_seconds, offline_after=offline_after, detail=detail)


beat.together = touch_all


def heartbeat(user, status, idle_seconds=None, now=None, offline_after=DEFAULT_OFFLINE_AFTER,
              detail="full"):
    """Record one heartbeat; returns the new status. A change of status writes an event.
    Under presence_detail `off`, or while paused, nothing is stored (idle still stops a timer);
    under `online`, IDLE is kept as online (ACTIVE). See services/people/detail.py."""
    now = now or utcnow()
    lock_chain()
    if detail == "off" or is_paused(user.id):
        return _withhold(user, status, idle_seconds, now, detail)
    if detail == "online" and status == "IDLE":
        _stop_timer(user, status, idle_seconds, now)  # idle still stops a timer
        status, idle_seconds = "ACTIVE", None
    interval = _open_interval(user.id)
    before = status_of(interval, now, offline_after)
    if interval is not None and before == "OFFLINE":
        interval.closed = True  # silence ended it at its last heartbeat
        interval.save()
        away(user.id, interval.ended_at, "offline", now)
        interval = None
    if status != "ACTIVE":
        _stop_timer(user, status, idle_seconds, now)
    if status == "OFFLINE":
        if interval is not None:
            interval.ended_at, interval.closed = now, True
            interval.save()
    elif interval is not None and interval.status == status:
        interval.ended_at = now
        interval.save()
    else:
        start = now
        if interval is not None:
            if status == "IDLE" and idle_seconds:
                # The idle period began at the last input, not when it was noticed.
                start = max(interval.started_at, now - datetime.timedelta(seconds=idle_seconds))
            interval.ended_at, interval.closed = start, True
            interval.save()
        OccupancyInterval.create(user=user, status=status, started_at=start, ended_at=now)
    if status != before:
        eventlog.append("occupancy.changed", employee=employee_dict(user, status), subject_id=user.id)
    return status


def sweep(now=None, offline_after=DEFAULT_OFFLINE_AFTER):
    """Close intervals silent for too long and announce those users OFFLINE. Returns their ids."""
    now = now or utcnow()
    cutoff = now - datetime.timedelta(seconds=offline_after)
    lock_chain()
    stale = list(OccupancyInterval.select(OccupancyInterval, User).join(User)
                 .where(OccupancyInterval.closed == False,  # noqa: E712
                        OccupancyInterval.ended_at < cutoff))
    for interval in stale:
        closed = (OccupancyInterval.update(closed=True)
                  .where(OccupancyInterval.id == interval.id,
                         OccupancyInterval.closed == False).execute())  # noqa: E712
        if closed:
            away(interval.user_id, interval.ended_at, "offline", now)
            eventlog.append("occupancy.changed", employee=employee_dict(interval.user, "OFFLINE"),
                            subject_id=interval.user_id)
    return [interval.user_id for interval in stale]
