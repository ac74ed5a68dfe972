"""Tasks as their callers ask for them, and the admin's writes: create, edit, reassign, cancel."""
import datetime
import hashlib

from server.store.database import db, sql
from server.store.models import PRIORITIES, STATUSES, Project, Task, User
from server.store.times import db_time, unix_time, utcnow
from server.services.record import audit, eventlog
from server.services.tasks import links as dependencies, stale
from server.services.core import paging, validate
from server.services.core.errors import Conflict, NotFound, ValidationError
from server.services.tasks.view import OPEN_STATUSES, fetch, is_overdue, load
from server.services.people import scope as scope_rule
from server.services.language.text import _l

TAG_BUCKET = 300  # seconds: the list ETag changes at least this often (see list_tag)


def visible_task(user, task_id):
    """The task if `user` may see it (services/people/scope.py: its assignee, an admin, a lead or
    viewer of the assignee's team); anyone else gets what a missing task gets, never the data."""
    return task_in_scope(scope_rule.of(user), task_id)


def task_in_scope(rule, task_id, now=None):
    """The task object if the scope (services/people/scope.py) sees it; else the refusal a
    missing task gets from that caller, the very same."""
    try:
        task = load(task_id, now)
    except NotFound:
        raise scope_rule.missing_task(rule, task_id) from None
    if not rule.sees_task(task):
        raise scope_rule.hidden_task(rule, task_id)
    return task


RECENT_DAYS = 30  # the default list: open tasks, and those closed within this many days
CLOSED_AT = "COALESCE(t.completed_at, t.updated_at)"  # a cancelled task has no completed_at


def parse_list(args):
    """The employee list's query: {"status", "include" ("recent" or "all"), "done_before", "limit"}."""
    view = {"status": validate.query_choice(args, "status", STATUSES),
            "include": validate.query_choice(args, "include", ("recent", "all")) or "recent",
            "done_before": validate.query_id(args, "done_before"),
            "limit": paging.parse_limit(args)}
    if view["done_before"] is not None and args.get("include") is not None:
        raise ValidationError(_l("done_before pages the older closed tasks: drop include"), "include")
    if args.get("limit") is not None and view["done_before"] is None:
        raise ValidationError(_l("limit pages the older closed tasks: give done_before"), "limit")
    return view


def _where(user, view, now):
    """(WHERE over TASK_SELECT's aliases, params) of one view of the caller's list."""
    where, params = "t.assignee_id = ?", [user.id]
    if view.get("status"):
        where, params = where + " AND t.status = ?", params + [view["status"]]
    cutoff = db_time(now - datetime.timedelta(days=RECENT_DAYS))
    if view.get("done_before") is not None:
        where += " AND t.status IN ('DONE', 'CANCELLED') AND %s < ? AND t.id < ?" % CLOSED_AT
        params += [cutoff, view["done_before"]]
    elif view.get("include", "recent") == "recent":
        where += " AND (t.status IN ('PENDING', 'IN_PROGRESS') OR %s >= ?)" % CLOSED_AT
        params.append(cutoff)
    return where, params


def list_for_user(user, view=None, now=None):
    """(the caller's tasks in one view, the `done_before` cursor of older closed tasks or None).
    The default view holds every open task; closed ones older than RECENT_DAYS come in pages."""
    view, now = view or {}, now or utcnow()
    where, params = _where(user, view, now)
    if view.get("done_before") is None:
        found = fetch(where, params, now)
        if view.get("include", "recent") == "all":
            return found, None
        older = _where(user, dict(view, done_before=validate.MAX_ID), now)
        last = db.execute_sql(sql("SELECT MAX(t.id) FROM task t WHERE " + older[0]), older[1]).fetchone()
        return found, (last[0] + 1 if last and last[0] else None)
    limit = view.get("limit", paging.DEFAULT_LIMIT)
    found = fetch(where, params, now, order="t.id DESC LIMIT %d" % (limit + 1))
    return paging.cut(found, limit, lambda task: task["id"])


def view_key(view):
    """What besides the tasks tells two views' ETags apart."""
    key = "%s|%s" % (view.get("status"), view.get("include", "recent"))
    if view.get("done_before") is not None:
        key += "|%s|%s" % (view["done_before"], view.get("limit", paging.DEFAULT_LIMIT))
    return key


def list_tag(user, status=None, now=None):
    """(ETag, until) for the caller's default task list from (id, version, overdue) alone: a 304
    skips the rest. `until` (a Unix time) is when the clock alone would change the tag.

    Every change to a task bumps its version; overdue flips with the clock, so it is in the tag;
    the five-minute bucket lets other time-derived flags (stale, at risk, a task leaving the
    recent window) refresh as well."""
    now = now or utcnow()
    view = {"status": status}
    where, params = _where(user, view, now)
    rows = db.execute_sql(sql("SELECT t.id, t.version, t.status, t.due_date FROM task t WHERE "
                              + where + " ORDER BY t.id"), params).fetchall()
    now_text = now.isoformat(" ")
    overdue = [is_overdue(row_status, due, now, now_text) for _id, _v, row_status, due in rows]
    until = (unix_time(now) // TAG_BUCKET + 1) * TAG_BUCKET
    for (_id, _version, row_status, due), late in zip(rows, overdue):
        if row_status in OPEN_STATUSES and due is not None and not late:
            until = min(until, unix_time(due))  # it turns overdue then
    items = [(task_id, version, late) for (task_id, version, _s, _d), late in zip(rows, overdue)]
    return tag_of(user, view_key(view), items, now), until


def tag_of(user, status, items, now=None):
    """The list ETag from (id, version, is_overdue) triples in id order (see list_tag)."""
    now = now or utcnow()
    parts = ",".join("%d:%d:%d" % item for item in items)
    material = "%s|%s|%s|%d|%s" % (user.id, user.full_name, status,
                                   unix_time(now) // TAG_BUCKET, parts)
    return '"%s"' % hashlib.sha256(material.encode()).hexdigest()[:32]


# ---------------------------------------------------------------- admin writes

def _active_user(user_id, field):
    user = User.get_or_none(User.id == user_id)
    if user is None or not user.is_active:
        raise ValidationError(_l("%(field)s %(user_id)s is not an active user",
                                 field=field, user_id=user_id), field)
    return user


def _project(project_id):
    if project_id is None:
        return None
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        raise ValidationError(_l("project_id %(project_id)s does not exist",
                                 project_id=project_id), "project_id")
    return project


MAX_ESTIMATE = 1000 * 60  # minutes: a thousand hours is a project, not a task


def _estimate(data):
    return validate.integer(data, "estimate_minutes", 0, MAX_ESTIMATE, required=False)


def parse_new_task(data):
    validate.require_object(data)
    validate.only_fields(data, ("title", "description", "assignee_id", "project_id", "due_date",
                                "priority", "estimate_minutes"))
    return {
        "title": validate.text(data, "title", 200, min_len=1, required=True).strip(),
        "description": validate.text(data, "description", 10000),
        "assignee_id": validate.reference_id(data, "assignee_id"),
        "project_id": validate.reference_id(data, "project_id", required=False),
        "due_date": validate.optional_datetime(data, "due_date"),
        "priority": validate.choice(data, "priority", PRIORITIES, default="MEDIUM"),
        "estimate_minutes": _estimate(data),
    }


def create(admin, fields, rules=None):
    """Create and assign a task (fields from parse_new_task); writes audit row and event.
    `rules`: the app's stale Policy (the defaults without one)."""
    assignee = _active_user(fields["assignee_id"], "assignee_id")
    project = _project(fields["project_id"])
    now = utcnow()
    task = Task.create(title=fields["title"], description=fields["description"], assignee=assignee,
                       project=project, created_by=admin, priority=fields["priority"],
                       due_date=fields["due_date"], created_at=now, updated_at=now,
                       estimate_minutes=fields.get("estimate_minutes"))
    if stale.refresh(task, now, rules):  # created already overdue
        task.save()
    audit.append(task_id=task.id, user_id=admin.id, action="create", new_percentage=0,
                 new_status="PENDING", notes="Assigned to %s" % assignee.username,
                 task_version=task.version, created_at=now)
    body = load(task.id, now)
    eventlog.append("task.created", task=body, subject_id=assignee.id)
    return body


EDITABLE = ("title", "description", "assignee_id", "project_id", "due_date", "priority", "status",
            "estimate_minutes")
# The fields an edit sets as given: (name, how to validate it).
PLAIN_EDITS = (
    ("title", lambda data: validate.text(data, "title", 200, min_len=1, required=True).strip()),
    ("description", lambda data: validate.text(data, "description", 10000)),
    ("assignee_id", lambda data: validate.reference_id(data, "assignee_id")),
    ("project_id", lambda data: validate.reference_id(data, "project_id", required=False)),
    ("due_date", lambda data: validate.optional_datetime(data, "due_date")),
    ("priority", lambda data: validate.choice(data, "priority", PRIORITIES, required=True)),
    ("estimate_minutes", _estimate),
)


def parse_edit(data):
    validate.require_object(data)
    validate.only_fields(data, EDITABLE)
    if not data:
        raise ValidationError(_l("nothing to change: send at least one of %(choices)s",
                                 choices=', '.join(EDITABLE)))
    fields = {name: check(data) for name, check in PLAIN_EDITS if name in data}
    if "status" in data and data["status"] != "CANCELLED":
        raise ValidationError(_l("status can only be set to CANCELLED"), "status")
    if "status" in data:
        fields["status"] = "CANCELLED"
    return fields


def _cancel(task, notes):
    if task.status == "CANCELLED":
        raise Conflict(_l("task %(ident)s is already cancelled", ident=task.id), "status")
    task.status = "CANCELLED"
    notes.append("Cancelled")


def _reassign(task, assignee_id, notes):
    """Hand the task to another active user; returns the former assignee."""
    new_assignee = _active_user(assignee_id, "assignee_id")
    former = task.assignee
    task.assignee = new_assignee
    notes.append("Reassigned from %s to %s" % (former.username, new_assignee.username))
    return former


def _change_details(task, fields, notes):
    if "project_id" in fields:
        task.project = _project(fields["project_id"])
    for name in ("title", "description", "due_date", "priority", "estimate_minutes"):
        if name in fields and getattr(task, name) != fields[name]:
            setattr(task, name, fields[name])
            notes.append("%s changed" % name.replace("_", " ").capitalize())


def edit(admin, task_id, fields, rules=None):
    """Edit, reassign or cancel (fields from parse_edit); one audit row and one task.changed event.
    `rules`: the app's stale Policy (the defaults without one)."""
    task = Task.get_or_none(Task.id == task_id)
    if task is None:
        raise NotFound(_l("task %(task_id)s does not exist", task_id=task_id))
    now, notes, action = utcnow(), [], "edit"
    previous_status, former = task.status, None
    downstream = dependencies.Ripple(task.id, include_self=False)  # a cancel unblocks them
    if fields.get("status") == "CANCELLED":
        _cancel(task, notes)
        action = "cancel"
    if "assignee_id" in fields and fields["assignee_id"] != task.assignee_id:
        former = _reassign(task, fields["assignee_id"], notes)
        action = "reassign" if action == "edit" else action
    _change_details(task, fields, notes)
    task.version += 1
    task.updated_at = now
    stale.refresh(task, now, rules)
    task.save()
    audit.append(task_id=task.id, user_id=admin.id, action=action,
                 previous_percentage=task.progress_percentage,
                 new_percentage=task.progress_percentage, previous_status=previous_status,
                 new_status=task.status, notes="; ".join(notes) or "Edited",
                 task_version=task.version, created_at=now)
    body = load(task.id, now)
    eventlog.append("task.changed", task=body, subject_id=task.assignee_id,
                    former_subject_id=former.id if former else None)
    downstream.announce(now)
    return body
