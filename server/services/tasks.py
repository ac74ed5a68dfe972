"""Task rules: create, edit, reassign, cancel, progress and completion, idempotent replays."""
import hashlib
import json

from peewee import JOIN

from ..models import PRIORITIES, Project, Task, TaskProgress, User, utcnow
from . import audit, eventlog, forecast, stale, validate
from .errors import Conflict, Forbidden, IdempotencyMismatch, NotFound, ValidationError
from .timefmt import iso

OPEN_STATUSES = ("PENDING", "IN_PROGRESS")
LastBy = User.alias()


def status_for(progress):
    """0 -> PENDING, 1-99 -> IN_PROGRESS, 100 -> DONE."""
    if progress >= 100:
        return "DONE"
    return "IN_PROGRESS" if progress > 0 else "PENDING"


def is_overdue(task, now):
    return task.due_date is not None and task.status in OPEN_STATUSES and task.due_date < now


def brief(user):
    return {"id": user.id, "username": user.username, "full_name": user.full_name} if user else None


def task_dict(task, now=None):
    now = now or utcnow()
    last_by = task.last_progress_updated_by if task.last_progress_updated_by_id else None
    forecast_at, at_risk = forecast.for_task(task, now)
    return {
        "id": task.id,
        "title": task.title,
        "description": task.description,
        "status": task.status,
        "priority": task.priority,
        "progress_percentage": task.progress_percentage,
        "due_date": iso(task.due_date),
        "is_overdue": is_overdue(task, now),
        "assignee": brief(task.assignee),
        "project": {"id": task.project.id, "name": task.project.name} if task.project_id else None,
        "created_at": iso(task.created_at),
        "updated_at": iso(task.updated_at),
        "completed_at": iso(task.completed_at),
        "last_progress_update_at": iso(task.last_progress_update_at),
        "last_progress_updated_by": brief(last_by),
        "version": task.version,
        "forecast_completion_at": iso(forecast_at),
        "at_risk": at_risk,
        "is_stale": task.stale,
    }


def task_query():
    """Tasks with assignee, project and last updater joined: one query, no N+1."""
    return (Task.select(Task, User, Project, LastBy)
            .join_from(Task, User, on=(Task.assignee == User.id))
            .join_from(Task, Project, on=(Task.project == Project.id), join_type=JOIN.LEFT_OUTER)
            .join_from(Task, LastBy, on=(Task.last_progress_updated_by == LastBy.id),
                       join_type=JOIN.LEFT_OUTER))


def load(task_id):
    task = task_query().where(Task.id == task_id).first()
    if task is None:
        raise NotFound("task %s does not exist" % task_id)
    return task


def visible_task(user, task_id):
    """The task if `user` may see it: its assignee or an admin. Others get 403, never the data."""
    task = load(task_id)
    if not user.is_admin and task.assignee_id != user.id:
        raise Forbidden("task %s is not assigned to you" % task_id)
    return task


def list_for_user(user, status=None):
    query = task_query().where(Task.assignee == user.id)
    if status:
        query = query.where(Task.status == status)
    now = utcnow()
    return [task_dict(t, now) for t in query.order_by(Task.id)]


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
    body = task_dict(load(task.id), now)
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
    body = task_dict(load(task.id), now)
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


def progress_answer(row):
    return {"status": "success", "task_id": row.task_id, "new_progress": row.new_percentage,
            "task_status": row.new_status, "version": row.task_version, "update_id": row.id}


def record_progress(user, task_id, fields, complete=False):
    """Apply a progress update or completion by the assignee. Returns (answer, replayed)."""
    action = "complete" if complete else "progress"
    audit.lock_chain()  # also serializes replays of one key across processes
    key = fields["client_update_id"]
    print_ = fingerprint(task_id, action, fields)
    if key is not None:
        earlier = TaskProgress.get_or_none(TaskProgress.user == user.id,
                                           TaskProgress.client_update_id == key)
        if earlier is not None:
            if earlier.request_fingerprint != print_:
                raise IdempotencyMismatch("client_update_id %s was already used for another update"
                                          % key, "client_update_id")
            return progress_answer(earlier), True
    task = Task.get_or_none(Task.id == task_id)
    if task is None:
        raise NotFound("task %s does not exist" % task_id)
    if task.assignee_id != user.id:
        raise Forbidden("task %s is not assigned to you" % task_id)
    if task.status == "CANCELLED":
        raise Conflict("task %s is cancelled and takes no more updates" % task_id, "status")
    now = utcnow()
    previous_pct, previous_status = task.progress_percentage, task.status
    task.progress_percentage = fields["progress"]
    task.status = status_for(fields["progress"])
    if task.status == "DONE" and previous_status != "DONE":
        task.completed_at = now
    elif task.status != "DONE":
        task.completed_at = None
    forecast.observe(task, previous_pct, now)
    task.last_progress_update_at, task.last_progress_updated_by = now, user.id
    task.updated_at = now
    task.version += 1
    stale.refresh(task, now)
    task.save()
    row = audit.append(task_id=task.id, user_id=user.id, action=action,
                       previous_percentage=previous_pct, new_percentage=task.progress_percentage,
                       previous_status=previous_status, new_status=task.status,
                       notes=fields["notes"], occupancy_status=fields["occupancy_status"],
                       client_update_id=key, client_timestamp=fields["client_timestamp"],
                       request_fingerprint=print_, task_version=task.version, created_at=now)
    eventlog.append("task.updated", task=task_dict(load(task.id), now),
                    update=audit.row_dict(row, user), subject_id=task.assignee_id)
    return progress_answer(row), False
