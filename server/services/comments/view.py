"""The comment object, its @mentions and the validation of what a client sends."""
import re
import types

import peewee as pw

from server.store.models import Comment, User
from server.store.times import iso
from server.services.core import idempotency, validate
from server.services.core.errors import ValidationError
from server.services.language.text import _l

MAX_BODY = 10000
# "@name" not inside a word or an address; a name may hold dots and dashes, but one that ends a
# sentence ("thanks @sam.") does not take the full stop with it.
MENTION_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.-]{3,64})")


def parse_body(data):
    """The trimmed body: 1 to 10,000 characters after trimming."""
    value = validate.text(data, "body", MAX_BODY * 4, required=True)
    value = value.strip()
    if not value:
        raise ValidationError(_l("body must not be blank"), "body")
    if len(value) > MAX_BODY:
        raise ValidationError(_l("body must be at most %(max_body)d characters",
                                 max_body=MAX_BODY), "body")
    return value


def parse_new(data):
    """{"body", "client_comment_id"} of a new comment (an Idempotency-Key header may stand for
    client_comment_id: idempotency.with_header)."""
    validate.require_object(data)
    validate.only_fields(data, ("body", "client_comment_id"))
    return {"body": parse_body(data), "client_comment_id": idempotency.key_of(data, "client_comment_id")}


def parse_edit(data):
    validate.require_object(data)
    validate.only_fields(data, ("body",))
    return parse_body(data)


def mentioned_names(body):
    names = []
    for match in MENTION_RE.finditer(body or ""):
        name = match.group(1).rstrip(".-").casefold()
        if len(name) >= 3 and name not in names:
            names.append(name)
    return names


def who_may_be_mentioned(names):
    """{folded username: {id, username}} of the named active users, whatever their role: were
    only those who see the task linked, an employee would learn who the admins are. Mails go
    only to those who see the task (services/outbound/mention_limits.py)."""
    if not names:
        return {}
    query = (User.select(User.id, User.username)
             .where(pw.fn.LOWER(User.username).in_(names), User.is_active == True))  # noqa: E712
    return {user.username.casefold(): {"id": user.id, "username": user.username} for user in query}


def mentions(body, linkable):
    return [linkable[name] for name in mentioned_names(body) if name in linkable]


def person(user):
    return {"id": user.id, "username": user.username, "full_name": user.full_name}


def comment_dict(comment, author, linkable):
    """The API object; a deleted comment is a tombstone: no body, no mentions."""
    return {
        "id": comment.id,
        "task_id": comment.task_id,
        "author": person(author),
        "body": None if comment.deleted else comment.body,
        "mentions": [] if comment.deleted else mentions(comment.body, linkable),
        "created_at": iso(comment.created_at),
        "edited_at": iso(comment.edited_at),
        "deleted": bool(comment.deleted),
        "revision": comment.revision,
    }


def as_first_written(comment, first_body):
    """The comment as its creation answered it: what an idempotent replay repeats."""
    return types.SimpleNamespace(id=comment.id, task_id=comment.task_id, body=first_body,
                                 revision=1, created_at=comment.created_at, edited_at=None,
                                 deleted=False)


def thread(task_id):
    """Every comment of a task, oldest first, tombstones included."""
    query = (Comment.select(Comment, User).join(User, on=(Comment.author == User.id))
             .where(Comment.task == task_id).order_by(Comment.id))
    rows = list(query)
    names = sorted({name for row in rows if not row.deleted for name in mentioned_names(row.body)})
    linkable = who_may_be_mentioned(names)
    return [comment_dict(row, row.author, linkable) for row in rows]
