"""Progress reports and completions by the assignee: the hottest write, and its idempotent replays."""
from server.store.database import db, sql
from server.store.times import db_time, utcnow
from server.services.record import audit, eventlog
from server.services.tasks import links as dependencies, graph as dependency_view, forecast, stale
from server.services.core import idempotency, validate
from server.services.core.errors import Conflict
from server.services.tasks.view import (TASK_AND_KEY, TASK_BY_ID, TaskRow, missing_task, not_yours, row_dict,
                                        status_for)
from server.services.language.text import _l

OPTIONAL = ("notes", "client_update_id", "client_timestamp", "occupancy_status")


def parse_progress(data, complete=False):
    """Validate a progress (or complete) body; returns the normalised fields."""
    validate.require_object(data)
    validate.only_fields(data, OPTIONAL if complete else OPTIONAL + ("progress_percentage",))
    fields = {
        "progress_percentage": 100 if complete else validate.integer(
            data, "progress_percentage", 0, 100),
        "notes": validate.text(data, "notes", 2000),
        "occupancy_status": validate.choice(data, "occupancy_status", ("ACTIVE", "IDLE", "OFFLINE")),
        "client_update_id": idempotency.key_of(data, "client_update_id"),
        "client_timestamp": None,
    }
    if data.get("client_timestamp") is not None:
        validate.parse_datetime(data["client_timestamp"], "client_timestamp")
        fields["client_timestamp"] = data["client_timestamp"]
    return fields


def fingerprint(task_id, action, fields):
    """What a replay must repeat to be the same request; stored with the audit row."""
    # "progress" is the key the stored fingerprints were computed with: a rename would turn
    # every replay of an update made before it into a mismatch.
    material = {"task_id": task_id, "action": action, "progress": fields["progress_percentage"],
                "notes": fields["notes"], "occupancy_status": fields["occupancy_status"],
                "client_timestamp": fields["client_timestamp"]}
    return idempotency.fingerprint(material)


def _answer(update_id, task_id, progress_percentage, task_status, version):
    # "new_progress" is the answer's name on the wire (SPEC.md).
    return {"status": "success", "task_id": task_id, "new_progress": progress_percentage,
            "task_status": task_status, "version": version, "update_id": update_id}


def progress_answer(row):
    return _answer(row.id, row.task_id, row.new_percentage, row.new_status, row.task_version)


def _read(user, task_id, key):
    """(the task's TaskRow, the id of this user's audit row that used `key`, or None)."""
    if key is None:
        found = db.execute_sql(sql(TASK_BY_ID), (task_id,)).fetchone()
    else:  # the task and whether this key was used, in one statement
        found = db.execute_sql(sql(TASK_AND_KEY), (user.id, key, task_id)).fetchone()
    if found is None:
        raise missing_task(user, task_id)
    if key is None:
        return TaskRow._make(found), None
    *columns, earlier_id = found
    return TaskRow._make(columns), earlier_id


def _replay(earlier_id, request_print, key):
    """The answer the first request with this key got, if this one repeats it."""
    earlier = db.execute_sql(sql(
        "SELECT id, task_id, new_percentage, new_status, task_version, request_fingerprint "
        "FROM task_progress WHERE id = ?"), (earlier_id,)).fetchone()
    *answer, earlier_print = earlier
    return idempotency.replay("client_update_id", key, earlier_print, request_print,
                              lambda: _answer(*answer), "another update")


def _check_may_report(user, found, progress_percentage):
    if found.assignee_id != user.id:
        raise not_yours(found.id)
    if found.status == "CANCELLED":
        raise Conflict(_l("task %(ident)s is cancelled and takes no more updates",
                          ident=found.id), "status")
    if progress_percentage >= 100 and found.status != "DONE":
        dependencies.check_may_complete(found.id)  # partial progress on a blocked task is fine


def _completed_at(found, status, stored_now):
    if status != "DONE":
        return None
    return found.completed_at if found.status == "DONE" else stored_now


def _advanced(found, user, progress_percentage, now, rules):
    """The task row as this report leaves it (the UPDATE writes it, the event shows it)."""
    stored_now = db_time(now)
    status = status_for(progress_percentage)
    gain, seconds = forecast.fold_stored(
        found.pace_gain, found.pace_seconds, progress_percentage - found.progress_percentage,
        found.last_progress_update_at or found.created_at, now)
    return found._replace(
        status=status, progress_percentage=progress_percentage, updated_at=stored_now,
        completed_at=_completed_at(found, status, stored_now), last_progress_update_at=stored_now,
        version=found.version + 1, reporter_id=user.id, reporter_username=user.username,
        reporter_full_name=user.full_name, pace_gain=gain, pace_seconds=seconds,
        # just reported: not quiet, so only the overdue rule can make it stale
        stale=stale.overdue_and_behind(status, progress_percentage, found.due_date, now, rules))


def _write(task):
    db.execute_sql(sql("UPDATE task SET progress_percentage = ?, status = ?, completed_at = ?, "
                       "last_progress_update_at = ?, last_progress_updated_by_id = ?, updated_at = ?, "
                       "version = ?, pace_gain = ?, pace_seconds = ?, stale = ? WHERE id = ?"),
                   (task.progress_percentage, task.status, task.completed_at,
                    task.last_progress_update_at, task.reporter_id, task.updated_at, task.version,
                    task.pace_gain, task.pace_seconds, task.stale, task.id))


def _audit(user, action, found, task, fields, request_print, now):
    return audit.append(task_id=task.id, user_id=user.id, action=action,
                        previous_percentage=found.progress_percentage,
                        new_percentage=task.progress_percentage,
                        previous_status=found.status, new_status=task.status,
                        notes=fields["notes"], occupancy_status=fields["occupancy_status"],
                        client_update_id=fields["client_update_id"],
                        client_timestamp=fields["client_timestamp"],
                        request_fingerprint=request_print, task_version=task.version,
                        created_at=now)


def record_progress(user, task_id, fields, complete=False, rules=None):
    """Apply a progress update or completion by the assignee. Returns (answer, replayed).
    `rules`: the app's stale Policy (the defaults without one)."""
    # The hottest write: hand-written statements, no model layer and no second read of the task
    # (see tests/bench/api.py).
    action = "complete" if complete else "progress"
    audit.lock_chain()  # also serializes replays of one key across processes
    request_print = fingerprint(task_id, action, fields)
    found, earlier_id = _read(user, task_id, fields["client_update_id"])
    if earlier_id is not None:
        return _replay(earlier_id, request_print, fields["client_update_id"]), True
    _check_may_report(user, found, fields["progress_percentage"])
    known = dependency_view.touching(task_id)  # one read for the event's object and the ripple
    downstream = dependencies.Ripple(task_id, include_self=False, known=known)
    now = utcnow()
    task = _advanced(found, user, fields["progress_percentage"], now, rules)
    _write(task)
    row = _audit(user, action, found, task, fields, request_print, now)
    graph = dependency_view.Graph.for_ids([task.id], known)
    eventlog.append("task.updated", task=row_dict(task, now, graph=graph),
                    update=audit.row_dict(row, user),
                    subject_id=task.assignee_id, now=now)
    downstream.announce(now)
    return progress_answer(row), False
