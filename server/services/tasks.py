"""Task rules: create, edit, reassign, cancel, progress and completion, idempotent replays."""
import datetime
import hashlib
import json

from ..store.database import db, sql
from ..store.models import PRIORITIES, Project, Task, User
from ..store.times import db_time, utcnow
from . import audit, eventlog, forecast, stale, validate
from .errors import Conflict, Forbidden, IdempotencyMismatch, NotFound, ValidationError
from ..store.times import iso

OPEN_STATUSES = ("PENDING", "IN_PROGRESS")


def status_for(progress):
    """0 -> PENDING, 1-99 -> IN_PROGRESS, 100 -> DONE."""
    if progress >= 100:
        return "DONE"
    return "IN_PROGRESS" if progress > 0 else "PENDING"


def is_overdue(task, now):
    return task.due_date is not None and task.status in OPEN_STATUSES and task.due_date < now


def brief(user):
    return {"id": user.id, "username": user.username, "full_name": user.full_name} if user else None


# Task objects are read with one hand-written join and built straight from the row tuples: the
# admin snapshot serializes up to 10,000 of them, and peewee's model layer costs ~20x more here.
TASK_SELECT = (
    'SELECT t.id, t.title, t.description, t.status, t.priority, t.progress_percentage, t.due_date, '
    't.created_at, t.updated_at, t.completed_at, t.last_progress_update_at, t.version, '
    'a.id, a.username, a.full_name, p.id, p.name, l.id, l.username, l.full_name, '
    't.pace_gain, t.pace_seconds, t.stale '
    'FROM task t JOIN "user" a ON a.id = t.assignee_id '
    'LEFT JOIN project p ON p.id = t.project_id '
    'LEFT JOIN "user" l ON l.id = t.last_progress_updated_by_id')


TASK_BY_ID = TASK_SELECT + " WHERE t.id = ?"
# ... plus, as column 23, the audit row that already carries this user's client_update_id.
TASK_AND_KEY = TASK_SELECT.replace(" FROM task t", ", (SELECT k.id FROM task_progress k WHERE "
                                   "k.user_id = ? AND k.client_update_id = ?) FROM task t",
                                   1) + " WHERE t.id = ?"


def _stamp(value):
    """A stored time as ISO 8601 UTC: SQLite hands back text, PostgreSQL a datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        return value[:10] + "T" + value[11:19] + "+00:00"
    return iso(value)


def _shared(cache, key, make):
    """One dict per person or project for a whole list: thousands of tasks, a few dozen people."""
    found = cache.get(key)
    if found is None:
        found = cache[key] = make()
    return found


def row_dict(row, now, now_text=None, cache=None):
    """A task object from one TASK_SELECT row; `now` is a naive UTC datetime. `now_text` (now as
    SQLite stores times) and `cache` (shared person and project dicts) save work over a list."""
    due, status = row[6], row[3]
    cache = {} if cache is None else cache
    overdue = _overdue(status, due, now, now_text or now.isoformat(" "))
    if status == "DONE":
        forecast_at, at_risk = _stamp(row[9]), False
    else:
        forecast_at, at_risk = forecast.for_row(status, row[5], due, row[10], row[20], row[21], now)
    return {
        "id": row[0],
        "title": row[1],
        "description": row[2],
        "status": status,
        "priority": row[4],
        "progress_percentage": row[5],
        "due_date": _stamp(due),
        "is_overdue": overdue,
        # When the clock alone makes it overdue (null when closed or undated): clients flip the
        # mark then without asking, and keep no copy of the rule.
        "overdue_at": _stamp(due) if status in OPEN_STATUSES else None,
        "assignee": _shared(cache, ("u", row[12]),
                            lambda: {"id": row[12], "username": row[13], "full_name": row[14]}),
        "project": _shared(cache, ("p", row[15]), lambda: {"id": row[15], "name": row[16]})
        if row[15] is not None else None,
        "created_at": _stamp(row[7]),
        "updated_at": _stamp(row[8]),
        "completed_at": _stamp(row[9]),
        "last_progress_update_at": _stamp(row[10]),
        "last_progress_updated_by": _shared(
            cache, ("u", row[17]), lambda: {"id": row[17], "username": row[18], "full_name": row[19]})
        if row[17] is not None else None,
        "version": row[11],
        "forecast_completion_at": forecast_at,
        "at_risk": at_risk,
        "is_stale": bool(row[22]),
    }


def fetch(where="", params=(), now=None):
    """Task objects matching a WHERE clause over TASK_SELECT's aliases, in id order."""
    statement = TASK_SELECT + (" WHERE " + where if where else "") + " ORDER BY t.id"
    now = now or utcnow()
    now_text, cache = now.isoformat(" "), {}
    return [row_dict(row, now, now_text, cache)
            for row in db.execute_sql(sql(statement), params).fetchall()]


def load(task_id, now=None):
    found = fetch("t.id = ?", (task_id,), now)
    if not found:
        raise NotFound("task %s does not exist" % task_id)
    return found[0]


def visible_task(user, task_id):
    """The task if `user` may see it: its assignee or an admin. Others get 403, never the data."""
    task = load(task_id)
    if not user.is_admin and task["assignee"]["id"] != user.id:
        raise Forbidden("task %s is not assigned to you" % task_id)
    return task


def list_tag(user, status=None, now=None):
    """(ETag, until) for the caller's task list from (id, version, overdue) alone: a 304 skips
    the rest. `until` (a Unix time) is when the clock alone would change the tag.

    Every change to a task bumps its version; overdue flips with the clock, so it is in the tag;
    the five-minute bucket lets other time-derived flags (stale, at risk) refresh as well."""
    now = now or utcnow()
    statement = "SELECT id, version, status, due_date FROM task WHERE assignee_id = ?"
    params = (user.id,) if not status else (user.id, status)
    if status:
        statement += " AND status = ?"
    rows = db.execute_sql(sql(statement + " ORDER BY id"), params).fetchall()
    stamp = now.isoformat(" ")
    until = (unix_time(now) // 300 + 1) * 300
    for _id, _version, row_status, due in rows:
        if row_status in OPEN_STATUSES and due is not None and not _overdue(row_status, due, now, stamp):
            until = min(until, unix_time(due))
    items = [(r[0], r[1], _overdue(r[2], r[3], now, stamp)) for r in rows]
    return tag_of(user, status, items, now), until


def unix_time(stored):
    """A stored naive UTC time (text on SQLite, datetime on PostgreSQL) as a Unix time."""
    if isinstance(stored, str):
        stored = datetime.datetime.fromisoformat(stored)
    return stored.replace(tzinfo=datetime.timezone.utc).timestamp()


def tag_of(user, status, items, now=None):
    """The list ETag from (id, version, is_overdue) triples in id order (see list_tag)."""
    now = now or utcnow()
    parts = ",".join("%d:%d:%d" % item for item in items)
    material = "%s|%s|%s|%d|%s" % (user.id, user.full_name, status, unix_time(now) // 300, parts)
    return '"%s"' % hashlib.sha256(material.encode()).hexdigest()[:32]


def _overdue(status, due, now, now_text):
    """Open and past its due date; SQLite hands times back as text, compared as text."""
    return due is not None and status in OPEN_STATUSES and (
        due < (now_text if isinstance(due, str) else now))


def list_for_user(user, status=None):
    if status:
        return fetch("t.assignee_id = ? AND t.status = ?", (user.id, status))
    return fetch("t.assignee_id = ?", (user.id,))


# ---------------------------------------------------------------- admin writes

def _active_user(user_id, field):
    user = User.get_or_none(User.id == user_id)
    if user is None or not user.is_active:
        raise ValidationError("%s %s is not an active user" % (field, user_id), field)
    return user


def _project(project_id):
    if project_id is None:
        return None
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        raise ValidationError("project_id %s does not exist" % project_id, "project_id")
    return project


def parse_new_task(data):
    validate.require_object(data)
    validate.only_fields(data, ("title", "description", "assignee_id", "project_id", "due_date",
                                "priority"))
    return {
        "title": validate.text(data, "title", 200, min_len=1, required=True).strip(),
        "description": validate.text(data, "description", 10000),
        "assignee_id": validate.reference_id(data, "assignee_id"),
        "project_id": validate.reference_id(data, "project_id", required=False),
        "due_date": validate.optional_datetime(data, "due_date"),
        "priority": validate.choice(data, "priority", PRIORITIES, default="MEDIUM"),
    }


def create(admin, fields):
    """Create and assign a task (fields from parse_new_task); writes audit row and event."""
    assignee = _active_user(fields["assignee_id"], "assignee_id")
    project = _project(fields["project_id"])
    now = utcnow()
    task = Task.create(title=fields["title"], description=fields["description"], assignee=assignee,
                       project=project, created_by=admin, priority=fields["priority"],
                       due_date=fields["due_date"], created_at=now, updated_at=now)
    if stale.refresh(task, now):  # created already overdue
        task.save()
    audit.append(task_id=task.id, user_id=admin.id, action="create", new_percentage=0,
                 new_status="PENDING", notes="Assigned to %s" % assignee.username,
                 task_version=task.version, created_at=now)
    body = load(task.id, now)
    eventlog.append("task.created", task=body, subject_id=assignee.id)
    return body


EDITABLE = ("title", "description", "assignee_id", "project_id", "due_date", "priority", "status")


def parse_edit(data):
    validate.require_object(data)
    validate.only_fields(data, EDITABLE)
    if not data:
        raise ValidationError("nothing to change: send at least one of %s" % ", ".join(EDITABLE))
    fields = {}
    if "title" in data:
        fields["title"] = validate.text(data, "title", 200, min_len=1, required=True).strip()
    if "description" in data:
        fields["description"] = validate.text(data, "description", 10000)
    if "assignee_id" in data:
        fields["assignee_id"] = validate.reference_id(data, "assignee_id")
    if "project_id" in data:
        fields["project_id"] = validate.reference_id(data, "project_id", required=False)
    if "due_date" in data:
        fields["due_date"] = validate.optional_datetime(data, "due_date")
    if "priority" in data:
        fields["priority"] = validate.choice(data, "priority", PRIORITIES, required=True)
    if "status" in data and data["status"] != "CANCELLED":
        raise ValidationError("status can only be set to CANCELLED", "status")
    if "status" in data:
        fields["status"] = "CANCELLED"
    return fields


def edit(admin, task_id, fields):
    """Edit, reassign or cancel (fields from parse_edit); one audit row and one task.changed event."""
    task = Task.get_or_none(Task.id == task_id)
    if task is None:
        raise NotFound("task %s does not exist" % task_id)
    now, notes, action = utcnow(), [], "edit"
    previous_status, former = task.status, None
    if fields.get("status") == "CANCELLED":
        if task.status == "CANCELLED":
            raise Conflict("task %s is already cancelled" % task_id, "status")
        task.status, action = "CANCELLED", "cancel"
        notes.append("Cancelled")
    if "assignee_id" in fields and fields["assignee_id"] != task.assignee_id:
        new_assignee = _active_user(fields["assignee_id"], "assignee_id")
        former = task.assignee
        task.assignee = new_assignee
        action = "reassign" if action == "edit" else action
        notes.append("Reassigned from %s to %s" % (former.username, new_assignee.username))
    if "project_id" in fields:
        task.project = _project(fields["project_id"])
    for name in ("title", "description", "due_date", "priority"):
        if name in fields and getattr(task, name) != fields[name]:
            setattr(task, name, fields[name])
            notes.append("%s changed" % name.replace("_", " ").capitalize())
    task.version += 1
    task.updated_at = now
    stale.refresh(task, now)
    task.save()
    audit.append(task_id=task.id, user_id=admin.id, action=action,
                 previous_percentage=task.progress_percentage,
                 new_percentage=task.progress_percentage, previous_status=previous_status,
                 new_status=task.status, notes="; ".join(notes) or "Edited",
                 task_version=task.version, created_at=now)
    body = load(task.id, now)
    eventlog.append("task.changed", task=body, subject_id=task.assignee_id,
                    former_subject_id=former.id if former else None)
    return body


# ---------------------------------------------------------------- progress

def parse_progress(data, complete=False):
    """Validate a progress (or complete) body; returns the normalised fields."""
    validate.require_object(data)
    allowed = ("notes", "client_update_id", "client_timestamp", "occupancy_status")
    validate.only_fields(data, allowed if complete else allowed + ("progress_percentage",))
    fields = {
        "progress": 100 if complete else validate.integer(data, "progress_percentage", 0, 100),
        "notes": validate.text(data, "notes", 2000),
        "occupancy_status": validate.choice(data, "occupancy_status", ("ACTIVE", "IDLE", "OFFLINE")),
        "client_update_id": validate.text(data, "client_update_id", 64, default=None),
        "client_timestamp": None,
    }
    if fields["client_update_id"] is not None and not fields["client_update_id"].strip():
        raise ValidationError("client_update_id must not be empty", "client_update_id")
    if data.get("client_timestamp") is not None:
        validate.parse_datetime(data["client_timestamp"], "client_timestamp")
        fields["client_timestamp"] = data["client_timestamp"]
    return fields


def with_idempotency_key(fields, header_key):
    """Merge an Idempotency-Key header into the body's client_update_id; they must agree."""
    if header_key is None:
        return fields
    if not header_key.strip() or len(header_key) > 64:
        raise ValidationError("Idempotency-Key must be 1 to 64 characters", "Idempotency-Key")
    if fields["client_update_id"] not in (None, header_key):
        raise ValidationError("Idempotency-Key and client_update_id differ", "client_update_id")
    return dict(fields, client_update_id=header_key)


def fingerprint(task_id, action, fields):
    material = {"task_id": task_id, "action": action, "progress": fields["progress"],
                "notes": fields["notes"], "occupancy_status": fields["occupancy_status"],
                "client_timestamp": fields["client_timestamp"]}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _answer(update_id, task_id, new_progress, task_status, version):
    return {"status": "success", "task_id": task_id, "new_progress": new_progress,
            "task_status": task_status, "version": version, "update_id": update_id}


def progress_answer(row):
    return _answer(row.id, row.task_id, row.new_percentage, row.new_status, row.task_version)


def record_progress(user, task_id, fields, complete=False):
    """Apply a progress update or completion by the assignee. Returns (answer, replayed)."""
    # The hottest write: hand-written statements, no model layer (see bench/api.py).
    action = "complete" if complete else "progress"
    audit.lock_chain()  # also serializes replays of one key across processes
    key = fields["client_update_id"]
    print_ = fingerprint(task_id, action, fields)
    if key is None:
        found = db.execute_sql(sql(TASK_BY_ID), (task_id,)).fetchone()
    else:  # the task and whether this key was used, in one statement
        found = db.execute_sql(sql(TASK_AND_KEY), (user.id, key, task_id)).fetchone()
    if found is None:
        raise NotFound("task %s does not exist" % task_id)
    if key is not None and found[23] is not None:
        earlier = db.execute_sql(sql(
            "SELECT id, task_id, new_percentage, new_status, task_version, request_fingerprint "
            "FROM task_progress WHERE id = ?"), (found[23],)).fetchone()
        if earlier[5] != print_:
            raise IdempotencyMismatch("client_update_id %s was already used for another update"
                                      % key, "client_update_id")
        return _answer(*earlier[:5]), True
    assignee_id, previous_status, previous_pct = found[12], found[3], found[5]
    if assignee_id != user.id:
        raise Forbidden("task %s is not assigned to you" % task_id)
    if previous_status == "CANCELLED":
        raise Conflict("task %s is cancelled and takes no more updates" % task_id, "status")
    now = utcnow()
    stored_now = db_time(now)
    progress, version = fields["progress"], found[11] + 1
    status = status_for(progress)
    completed_at = found[9]
    if status != "DONE":
        completed_at = None
    elif previous_status != "DONE":
        completed_at = stored_now
    gain, seconds = forecast.fold_stored(found[20], found[21], progress - previous_pct,
                                         found[10] or found[7], now)
    is_stale = stale.overdue_and_behind(status, progress, found[6], now)  # just reported: not quiet
    db.execute_sql(sql("UPDATE task SET progress_percentage = ?, status = ?, completed_at = ?, "
                       "last_progress_update_at = ?, last_progress_updated_by_id = ?, updated_at = ?, "
                       "version = ?, pace_gain = ?, pace_seconds = ?, stale = ? WHERE id = ?"),
                   (progress, status, completed_at, stored_now, user.id, stored_now, version,
                    gain, seconds, is_stale, task_id))
    row = audit.append(task_id=task_id, user_id=user.id, action=action,
                       previous_percentage=previous_pct, new_percentage=progress,
                       previous_status=previous_status, new_status=status,
                       notes=fields["notes"], occupancy_status=fields["occupancy_status"],
                       client_update_id=key, client_timestamp=fields["client_timestamp"],
                       request_fingerprint=print_, task_version=version, created_at=now)
    # The task as the UPDATE left it, from the row read above: no second read.
    updated = list(found)
    updated[3], updated[5], updated[8], updated[9], updated[10], updated[11] = (
        status, progress, stored_now, completed_at, stored_now, version)
    updated[17], updated[18], updated[19] = user.id, user.username, user.full_name
    updated[20], updated[21], updated[22] = gain, seconds, is_stale
    eventlog.append("task.updated", task=row_dict(updated, now), update=audit.row_dict(row, user),
                    subject_id=assignee_id, now=now)
    return progress_answer(row), False
