"""Comments on tasks: a thread per task, only the author edits, nothing is erased: each creation,
edit and deletion is an audit row in the hash chain, each text a kept revision."""
import hashlib

from server.store.database import db, sql
from server.store.models import Comment, CommentRevision, User
from server.store.times import iso, utcnow
from server.services.record import audit, eventlog
from server.services.core import idempotency
from server.services.comments.view import (as_first_written, comment_dict, mentioned_names, person, thread,
                                           who_may_be_mentioned)
from server.services.core.errors import Conflict, Forbidden, NotFound
from server.services.tasks.view import load
from server.services.tasks.tasks import visible_task
from server.services.people import scope as scope_rule
from server.services.teams import guard
from server.services.language.text import _l


def list_for(user, task_id):
    task = visible_task(user, task_id)
    return {"task_id": task["id"], "comments": thread(task["id"])}


def fingerprint(task_id, body):
    """What a replay must repeat to be the same request."""
    return idempotency.fingerprint({"task_id": task_id, "body": body})


def audit_note(comment_id, revision, body=None):
    """The audit row's notes: the chain covers each text by its digest, so the history shows
    that a comment changed without showing an admin-only revision to everyone who reads it."""
    if body is None:
        return "comment %d deleted" % comment_id
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return "comment %d revision %d sha256:%s" % (comment_id, revision, digest)


def _answer(comment, author, task):
    linkable = who_may_be_mentioned(mentioned_names(comment.body))
    return comment_dict(comment, author, linkable)


def _replay(user, key, request_print):
    """(the first answer, True) when this user already used `key`, else None."""
    earlier = Comment.get_or_none(Comment.author == user.id, Comment.client_comment_id == key)
    if earlier is None:
        return None
    return idempotency.replay("client_comment_id", key, earlier.request_fingerprint, request_print,
                              lambda: (_first_answer(earlier, user), True), "another comment")


def _first_answer(earlier, user):
    """The comment as its creation answered it, whatever happened to it since."""
    first = CommentRevision.get(CommentRevision.comment == earlier.id, CommentRevision.revision == 1)
    return _answer(as_first_written(earlier, first.body), user, load(earlier.task_id))


def _audit(user, action, task, note, now):
    return audit.append(task_id=task["id"], user_id=user.id, action=action,
                        previous_percentage=task["progress_percentage"],
                        new_percentage=task["progress_percentage"],
                        previous_status=task["status"], new_status=task["status"],
                        notes=note, task_version=task["version"], created_at=now)


def _count(task_id, change):
    """The task's comment count moves, and with it the task object: a new version."""
    db.execute_sql(sql("UPDATE task SET comment_count = comment_count + ?, version = version + 1 "
                       "WHERE id = ?"), (change, task_id))


def _revision(comment, body, editor, row, now):
    CommentRevision.create(comment=comment.id, revision=comment.revision, body=body,
                           editor=editor.id, audit_id=row.id, created_at=now)


def _announce(type_, answer, task, now):
    eventlog.append(type_, task=task, comment=answer, subject_id=task["assignee"]["id"], now=now)


def create(user, task_id, fields):
    """A new comment by whoever sees the task. Returns (comment, replayed)."""
    audit.lock_chain()  # also serializes replays of one key across processes
    body, key = fields["body"], fields["client_comment_id"]
    request_print = fingerprint(task_id, body)
    if key is not None:
        replayed = _replay(user, key, request_print)
        if replayed is not None:
            return replayed
    guard.may_comment(user, visible_task(user, task_id))
    now = utcnow()
    comment = Comment.create(task=task_id, author=user.id, body=body, revision=1, deleted=False,
                             client_comment_id=key, request_fingerprint=request_print,
                             created_at=now)
    _count(task_id, +1)
    task = load(task_id, now)
    row = _audit(user, "comment", task, audit_note(comment.id, 1, body), now)
    _revision(comment, body, user, row, now)
    answer = _answer(comment, user, task)
    _announce("comment.created", answer, task, now)
    return answer, False


def _find(user, comment_id):
    """The comment and its author if `user` sees its task; 404 otherwise, so that an id says
    nothing about a thread its caller cannot read."""
    found = (Comment.select(Comment, User).join(User, on=(Comment.author == User.id))
             .where(Comment.id == comment_id).first())
    if found is None:
        raise NotFound(_l("comment %(comment_id)s does not exist", comment_id=comment_id))
    task = load(found.task_id)
    if not scope_rule.of(user).sees_task(task):
        raise NotFound(_l("comment %(comment_id)s does not exist", comment_id=comment_id))
    return found, task


def edit(user, comment_id, body):
    """The author's new text: revision + 1, edited_at set, the old text kept."""
    audit.lock_chain()
    comment, task = _find(user, comment_id)
    if comment.author_id != user.id:
        raise Forbidden(_l("only the author may edit comment %(comment_id)s",
                           comment_id=comment_id))
    if comment.deleted:
        raise Conflict(_l("comment %(comment_id)s is deleted", comment_id=comment_id), "body")
    if body == comment.body:  # nothing changes: no revision, no event
        return _answer(comment, comment.author, task)
    now = utcnow()
    comment.body, comment.revision, comment.edited_at = body, comment.revision + 1, now
    comment.save()
    row = _audit(user, "comment_edit", task, audit_note(comment.id, comment.revision, body), now)
    _revision(comment, body, user, row, now)
    answer = _answer(comment, comment.author, task)
    _announce("comment.edited", answer, task, now)
    return answer


def delete(user, comment_id):
    """The author or an admin leaves a tombstone; the texts stay in the revisions."""
    audit.lock_chain()
    comment, task = _find(user, comment_id)
    if comment.author_id != user.id and not user.is_admin:
        raise Forbidden(_l("only the author or an admin may delete comment %(comment_id)s",
                           comment_id=comment_id))
    if comment.deleted:  # a retried DELETE: the same tombstone, nothing written again
        return comment_dict(comment, comment.author, {})
    now = utcnow()
    comment.body, comment.deleted, comment.deleted_at, comment.deleted_by = None, True, now, user.id
    comment.save()
    _count(task["id"], -1)
    task = load(task["id"], now)
    _audit(user, "comment_delete", task, audit_note(comment.id, comment.revision), now)
    answer = comment_dict(comment, comment.author, {})
    _announce("comment.deleted", answer, task, now)
    return answer


def revisions(user, comment_id):
    """Every text the comment has had, oldest first (admins)."""
    comment, _task = _find(user, comment_id)
    rows = (CommentRevision.select(CommentRevision, User)
            .join(User, on=(CommentRevision.editor == User.id))
            .where(CommentRevision.comment == comment.id).order_by(CommentRevision.revision))
    return {"comment_id": comment.id, "deleted": bool(comment.deleted),
            "revisions": [{"revision": r.revision, "body": r.body, "editor": person(r.editor),
                           "created_at": iso(r.created_at),
                           "audit_id": r.audit_id} for r in rows]}
