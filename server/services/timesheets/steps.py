"""The steps of a timesheet, each in the caller's one transaction with its audit rows and push
event: submit (the owner), approve / reject with a reason (an approver), reopen (an admin)."""
from server.store.models import Task, TimeEntry, User
from server.store.timesheet_models import Timesheet, TimesheetStep
from server.store.times import utcnow
from server.services.core import validate
from server.services.core.errors import Conflict, Forbidden, ValidationError
from server.services.record import audit, eventlog
from server.services.periods import scope
from server.services.timesheets.sheets import sheet_for, summary
from server.services.periods.weeks import parse_week, week_name, week_span
from server.services.language.text import _l

REASON_MAX = 2000
BULK_MAX = 200
ACTIONS = {"submitted": "sheet_submit", "approved": "sheet_approve", "rejected": "sheet_reject",
           "reopened": "sheet_reopen"}


def parse_reason(data, required=True):
    validate.require_object(data)
    validate.only_fields(data, ("reason",))
    reason = validate.text(data, "reason", REASON_MAX).strip()
    if required and not reason:
        raise ValidationError(_l("say why: reason is required"), "reason")
    return reason


def parse_ids(data):
    validate.require_object(data)
    validate.only_fields(data, ("ids",))
    ids = data.get("ids")
    if (not isinstance(ids, list) or not ids or len(ids) > BULK_MAX
            or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i < 10**12 for i in ids)):
        raise ValidationError(_l("ids must be a list of 1 to %(bulk_max)d timesheet ids",
                                 bulk_max=BULK_MAX), "ids")
    if len(set(ids)) != len(ids):
        raise ValidationError(_l("ids holds the same timesheet twice"), "ids")
    return ids


def _audit(sheet, actor, step, reason, now):
    """One audit row on each task the week's entries were tracked on (the task's history says it)."""
    start, end = week_span(sheet.starts_on)
    task_ids = {row.task_id for row in TimeEntry.select(TimeEntry.task).where(
        TimeEntry.user == sheet.user_id, TimeEntry.deleted_at.is_null(),
        TimeEntry.started_at >= start, TimeEntry.started_at < end)}
    notes = "Week %s %s" % (sheet.week, step) + (": %s" % reason if reason else "")
    for task in Task.select().where(Task.id.in_(sorted(task_ids))).order_by(Task.id):
        audit.append(task_id=task.id, user_id=actor.id, action=ACTIONS[step],
                     new_percentage=task.progress_percentage, new_status=task.status, notes=notes,
                     task_version=task.version, created_at=now)


def _step(sheet, actor, step, state, reason, now):
    sheet.state, sheet.reason, sheet.updated_at = state, reason, now
    if step == "submitted":
        sheet.submitted_at, sheet.decided_by, sheet.decided_at = now, None, None
    elif step in ("approved", "rejected"):
        sheet.decided_by, sheet.decided_at = actor.id, now
    sheet.save()
    TimesheetStep.create(timesheet=sheet, actor=actor, step=step, reason=reason, created_at=now)
    _audit(sheet, actor, step, reason, now)
    owner = User.get_by_id(sheet.user_id)
    head = summary(sheet, owner)
    head.update(step=step, starts_on=sheet.starts_on.isoformat())
    eventlog.append("timesheet.changed", subject_id=owner.id, now=now, extra={"timesheet": head})
    return head


def submit(user, week, now=None):
    """The owner hands the week in: a draft or a rejected week, begun, without a running timer."""
    now = now or utcnow()
    first_day = parse_week(week)
    if first_day > now.date():
        raise ValidationError(_l("%(week)s has not begun yet", week=week), "week")
    sheet = Timesheet.get_or_none(Timesheet.user == user.id, Timesheet.week == week_name(first_day))
    if sheet is not None and sheet.state in ("submitted", "approved"):
        raise Conflict(_l("week %(week)s is %(state)s already",
                          week=sheet.week, state=sheet.state), "week")
    start, end = week_span(first_day)
    if TimeEntry.select().where(TimeEntry.user == user.id, TimeEntry.ended_at.is_null(),
                                TimeEntry.deleted_at.is_null(), TimeEntry.started_at < end).exists():
        raise Conflict(_l("your timer is running: stop it before you submit the week"), "week")
    if sheet is None:
        sheet = Timesheet.create(user=user, week=week_name(first_day), starts_on=first_day,
                                 state="draft", reason="", updated_at=now)
    return _step(sheet, user, "submitted", "submitted", "", now)


def _decidable(user, sheet_id):
    sheet = sheet_for(user, sheet_id)
    if not scope.may_approve(user, sheet.user_id):
        if sheet.user_id == user.id:
            raise Forbidden(_l("you cannot decide on timesheet %(sheet_id)s: another approver decides "
                               "on your own", sheet_id=sheet_id))
        raise Forbidden(_l("you cannot decide on timesheet %(sheet_id)s", sheet_id=sheet_id))
    if sheet.state != "submitted":
        raise Conflict(_l("timesheet %(sheet_id)s is %(state)s, not submitted",
                          sheet_id=sheet_id, state=sheet.state), "state")
    return sheet


def approve(user, sheet_id, now=None):
    now = now or utcnow()
    return _step(_decidable(user, sheet_id), user, "approved", "approved", "", now)


def reject(user, sheet_id, reason, now=None):
    """Back to the owner with the reason: editable and resubmittable like a draft."""
    now = now or utcnow()
    return _step(_decidable(user, sheet_id), user, "rejected", "rejected", reason, now)


def approve_many(user, ids, now=None):
    """All or nothing: the first sheet that cannot be approved refuses the whole request."""
    now = now or utcnow()
    sheets = [_decidable(user, sheet_id) for sheet_id in ids]
    return [_step(sheet, user, "approved", "approved", "", now) for sheet in sheets]


def reopen(user, sheet_id, reason, now=None):
    """An admin unlocks an approved week, saying why; it is a draft again for its owner."""
    now = now or utcnow()
    if not scope.may_reopen(user):
        raise Forbidden(_l("only an admin reopens an approved week"))
    sheet = sheet_for(user, sheet_id)
    if sheet.state != "approved":
        raise Conflict(_l("timesheet %(sheet_id)s is %(state)s: only an approved week is reopened",
                          sheet_id=sheet_id, state=sheet.state), "state")
    return _step(sheet, user, "reopened", "draft", reason, now)
