"""A person's own data (SPEC 11.3, GDPR Art. 15 and 20): everything the employer sees about
them, at the same detail: presence, time entries, progress reports, comments, every audit row
about them, and the statistics figures admins read about them."""
from server.store.models import Comment, CommentRevision, OccupancyInterval, Task, TaskProgress, TimeEntry, User
from server.store.times import iso, utcnow
from server.services.record.audit import user_brief
from server.services.reports import statistics
from server.services.sentences.audit_rows import sentence
from server.services.people.detail import is_paused

WINDOWS = (24, 168)  # the statistics page's usual windows, in hours


def profile(user, settings):
    user = User.get_by_id(user.id)  # the signed-in user is a token lookup's brief form
    return {"id": user.id, "username": user.username, "full_name": user.full_name,
            "role": user.role, "email": user.email, "created_at": iso(user.created_at),
            "presence_detail": settings["presence_detail"], "allow_pause": settings["allow_pause"],
            "paused": is_paused(user.id)}


def presence(user):
    rows = (OccupancyInterval.select().where(OccupancyInterval.user == user.id)
            .order_by(OccupancyInterval.started_at))
    return [{"status": r.status, "started_at": iso(r.started_at), "ended_at": iso(r.ended_at)}
            for r in rows]


def time_entries(user):
    rows = (TimeEntry.select().where(TimeEntry.user == user.id, TimeEntry.deleted_at.is_null())
            .order_by(TimeEntry.started_at))
    return [{"id": r.id, "task_id": r.task_id, "started_at": iso(r.started_at),
             "ended_at": iso(r.ended_at), "minutes": round(r.seconds / 60), "source": r.source,
             "note": r.note, "stop_reason": r.stop_reason} for r in rows]


def _audit_dict(row):
    found = {"id": row.id, "task_id": row.task_id, "author_id": row.user_id, "action": row.action,
             "previous_percentage": row.previous_percentage, "new_percentage": row.new_percentage,
             "previous_status": row.previous_status, "new_status": row.new_status,
             "notes": row.notes, "occupancy_status": row.occupancy_status,
             "client_update_id": row.client_update_id, "client_timestamp": row.client_timestamp,
             "created_at": iso(row.created_at), "hash": row.hash, "redacted": bool(row.redacted)}
    said = sentence(dict(found, user=user_brief(row.user), notes=None if row.redacted else row.notes))
    found.update(text=str(said), words=said.words())  # what happened, for the reader's language
    return found


def audit_rows(user):
    """Rows the person wrote, and rows about their tasks (whoever wrote them)."""
    mine = Task.select(Task.id).where(Task.assignee == user.id)
    rows = (TaskProgress.select(TaskProgress, User).join(User, on=(TaskProgress.user == User.id))
            .where((TaskProgress.user == user.id) | TaskProgress.task.in_(mine))
            .order_by(TaskProgress.id))
    return [_audit_dict(r) for r in rows]


def comments(user):
    rows = Comment.select().where(Comment.author == user.id).order_by(Comment.id)
    found = []
    for c in rows:
        revisions = (CommentRevision.select().where(CommentRevision.comment == c.id)
                     .order_by(CommentRevision.revision))
        found.append({"id": c.id, "task_id": c.task_id, "body": c.body, "deleted": bool(c.deleted),
                      "created_at": iso(c.created_at), "edited_at": iso(c.edited_at),
                      "revisions": [{"revision": r.revision, "body": r.body,
                                     "created_at": iso(r.created_at)} for r in revisions]})
    return found


def figures(user, now=None):
    """The statistics page's row about this person, per window (null where they have none)."""
    now = now or utcnow()
    result = []
    for hours in WINDOWS:
        table = statistics.statistics(hours, now)["employees"]
        row = next((r for r in table if r["id"] == user.id), None)
        result.append({"hours": hours, "row": row})
    return result


def everything(user, settings):
    progress = [r for r in audit_rows(user)
                if r["author_id"] == user.id and r["action"] in ("progress", "complete")]
    return {"generated_at": iso(utcnow()), "profile": profile(user, settings),
            "presence": presence(user), "time_entries": time_entries(user),
            "progress_reports": progress, "comments": comments(user),
            "audit_rows": audit_rows(user), "statistics": figures(user)}
