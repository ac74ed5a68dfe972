"""Pause (private time, SPEC 11.3): while paused, admins see PAUSED and nothing more, the
running timer stops, heartbeats store nothing."""
from server.store.models import OccupancyInterval
from server.store.privacy_models import PresencePause
from server.store.times import utcnow
from server.services.record import eventlog
from server.services.time import entries as timeentries
from server.services.record.audit import lock_chain
from server.services.core.errors import Forbidden
from server.services.people.detail import is_paused
from server.services.language.text import _l


def _announce(user, status, now):
    eventlog.append("occupancy.changed", subject_id=user.id, now=now, employee={
        "id": user.id, "username": user.username, "full_name": user.full_name,
        "occupancy_status": status})


def pause(user, allowed, now=None, shown=True):
    """Start a break: the open interval ends now, a running timer stops. Idempotent. `shown`
    False (presence_detail off): admins are not told, as they are told nothing of presence."""
    if not allowed:
        raise Forbidden(_l("pausing is turned off on this server (allow_pause)"))
    now = now or utcnow()
    lock_chain()
    if is_paused(user.id):
        return {"paused": True}
    PresencePause.create(user=user.id, started_at=now)
    (OccupancyInterval.update(ended_at=now, closed=True)
     .where(OccupancyInterval.user == user.id, OccupancyInterval.closed == False,  # noqa: E712
            OccupancyInterval.ended_at > now).execute())
    OccupancyInterval.update(closed=True).where(
        OccupancyInterval.user == user.id, OccupancyInterval.closed == False).execute()  # noqa: E712
    timeentries.stop_for_presence(user.id, now, "pause", now)
    if shown:
        _announce(user, "PAUSED", now)
    return {"paused": True}


def resume(user, allowed, now=None, shown=True):
    """End a break: the next heartbeat starts a new interval."""
    if not allowed:
        raise Forbidden(_l("pausing is turned off on this server (allow_pause)"))
    now = now or utcnow()
    lock_chain()
    removed = PresencePause.delete().where(PresencePause.user == user.id).execute()
    if removed and shown:
        _announce(user, "OFFLINE", now)
    return {"paused": False}
