"""Absences (vacation, sick, other; half days): requested by the employee, approved or rejected by
an approver, each step a push event in its transaction; read by the sheet, forecasts and monitor."""
import datetime

from server.store.models import User
from server.store.timesheet_models import ABSENCE_KINDS, ABSENCE_STATES, Absence
from server.store.times import iso, utcnow
from server.services.core import validate
from server.services.core.errors import Conflict, Forbidden, NotFound, ValidationError
from server.services.record import eventlog
from server.services.record.audit import user_brief
from server.services.periods import lock, scope
from server.services.periods.weeks import ONE_DAY, instant, parse_day
from server.services.language.text import _l

MAX_DAYS = 366
NOTE_MAX = 2000


def absence_dict(row, owner):
    return {"id": row.id, "user": user_brief(owner), "kind": row.kind,
            "starts_on": row.starts_on.isoformat(), "ends_on": row.ends_on.isoformat(),
            "half_day": bool(row.half_day), "state": row.state, "note": row.note,
            "reason": row.reason, "created_at": iso(row.created_at),
            "decided_at": iso(row.decided_at)}


def parse_request(data):
    validate.require_object(data)
    validate.only_fields(data, ("kind", "starts_on", "ends_on", "half_day", "note"))
    kind = validate.choice(data, "kind", ABSENCE_KINDS, required=True)
    if data.get("starts_on") is None:
        raise ValidationError(_l("starts_on is required"), "starts_on")
    starts = parse_day(data["starts_on"], "starts_on")
    ends = parse_day(data["ends_on"], "ends_on") if data.get("ends_on") is not None else starts
    if ends < starts:
        raise ValidationError(_l("ends_on must not be before starts_on"), "ends_on")
    if (ends - starts).days >= MAX_DAYS:
        raise ValidationError(_l("an absence is at most %(max_days)d days long",
                                 max_days=MAX_DAYS), "ends_on")
    half = data.get("half_day", False)
    if not isinstance(half, bool):
        raise ValidationError(_l("half_day must be true or false"), "half_day")
    if half and ends != starts:
        raise ValidationError(_l("a half day is one day: starts_on and ends_on the same"), "half_day")
    return {"kind": kind, "starts_on": starts, "ends_on": ends, "half_day": half,
            "note": validate.text(data, "note", NOTE_MAX)}


def _announce(row, now):
    owner = User.get_by_id(row.user_id)
    answer = absence_dict(row, owner)
    eventlog.append("absence.changed", subject_id=owner.id, now=now, extra={"absence": answer})
    return answer


def request(user, fields, now=None):
    """An employee asks for days off; days already asked for (and not rejected) conflict."""
    now = now or utcnow()
    clash = Absence.select().where(Absence.user == user.id, Absence.state != "rejected",
                                   Absence.starts_on <= fields["ends_on"],
                                   Absence.ends_on >= fields["starts_on"]).first()
    if clash is not None:
        raise Conflict(_l("you asked for %(starts_on)s to %(ends_on)s already",
                          starts_on=clash.starts_on, ends_on=clash.ends_on), "starts_on")
    lock.check_open(user.id, instant(fields["starts_on"]),
                    instant(fields["ends_on"] + ONE_DAY) - datetime.timedelta(seconds=1), "starts_on")
    row = Absence.create(user=user, state="requested", reason="", created_at=now, **fields)
    return _announce(row, now)


def mine(user):
    query = Absence.select().where(Absence.user == user.id).order_by(Absence.starts_on.desc())
    return [absence_dict(row, user) for row in query.limit(500)]


def listing(user, state):
    if state is not None and state not in ABSENCE_STATES:
        raise ValidationError(_l("state must be one of %(choices)s",
                                 choices=', '.join(ABSENCE_STATES)), "state")
    if not scope.may_review(user):
        raise Forbidden(_l("only leads and admins list absences"))
    query = (Absence.select(Absence, User).join(User, on=(Absence.user == User.id))
             .order_by(Absence.starts_on, Absence.id))
    if state is not None:
        query = query.where(Absence.state == state)
    approves = scope.approves(user)
    return [absence_dict(row, row.user) for row in query if approves(row.user_id)][:1000]


def _decidable(user, absence_id):
    row = Absence.get_or_none(Absence.id == absence_id)
    if row is None or not scope.may_review(user) or not scope.may_read(user, row.user_id):
        raise NotFound(_l("absence %(absence_id)s does not exist",
                          absence_id=absence_id))  # outside the scope: as missing
    if row.user_id == user.id:
        raise Forbidden(_l("another approver decides on your own absences"))
    if not scope.may_approve(user, row.user_id):
        raise Forbidden(_l("you read this person's absences; their team's lead decides on them"))
    if row.state != "requested":
        raise Conflict(_l("absence %(absence_id)s is %(state)s already",
                          absence_id=absence_id, state=row.state), "state")
    return row


def decide(user, absence_id, approve, reason="", now=None):
    now = now or utcnow()
    row = _decidable(user, absence_id)
    row.state, row.reason = ("approved" if approve else "rejected"), reason
    row.decided_by, row.decided_at = user.id, now
    row.save()
    return _announce(row, now)


def _approved(user_ids, first, last):
    query = Absence.select().where(Absence.state == "approved", Absence.starts_on <= last,
                                   Absence.ends_on >= first)
    if user_ids is not None:
        query = query.where(Absence.user.in_(user_ids))
    return query


def days_off(user_ids, first, last):
    """{user_id: {date: (kind, fraction)}} of approved absences from `first` to `last`."""
    found = {}
    for row in _approved(user_ids, first, last):
        day = max(row.starts_on, first)
        while day <= min(row.ends_on, last):
            found.setdefault(row.user_id, {})[day] = (row.kind, 0.5 if row.half_day else 1.0)
            day += ONE_DAY
    return found


def away_until(user_ids, today):
    """{user_id: last day} of those away today: the end of the run of absences that covers today."""
    taken = days_off(user_ids, today, today + datetime.timedelta(days=MAX_DAYS))
    answer = {}
    for user_id, days in taken.items():
        if today not in days or days[today][1] < 1:
            continue
        day = today
        while day + ONE_DAY in days:
            day += ONE_DAY
        answer[user_id] = day
    return answer


