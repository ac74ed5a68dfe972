"""Mention mails, limited: to people who see the task, at most one per author and recipient in
MENTION_GAP, and at most MENTION_HOURLY an hour to anyone from everyone together. The comment
thread keeps every mention; only the mails are spared."""
import datetime

from server.store.database import db, sql
from server.store.models import User
from server.store.outbox_models import Mail, MailMark
from server.store.times import as_time, db_time
from server.services.people import scope as scope_rule

MENTION_GAP = datetime.timedelta(minutes=15)
MENTION_HOURLY = 20
PREFIX = "mention:"


def sees(user_id, task):
    """Whether the person may see the task (its assignee, an active admin, a lead or viewer of
    the assignee's team: services/people/scope.py): only they are mailed."""
    user = User.get_or_none(User.id == user_id, User.is_active == True)  # noqa: E712
    return user is not None and task.get("assignee") is not None and scope_rule.of(user).sees_task(task)


def _recently(author_id, recipient_id, now):
    """True when this author's mention already mailed this person within MENTION_GAP; else
    remember now as the last one (the comment's transaction holds the audit chain's lock, so
    two processes cannot both pass)."""
    key = "%s%d:%d" % (PREFIX, author_id, recipient_id)
    mark = MailMark.get_or_none(MailMark.key == key)
    if mark is not None and as_time(mark.created_at) > now - MENTION_GAP:
        return True
    db.execute_sql(sql('INSERT INTO mail_mark ("key", created_at) VALUES (?, ?) ON CONFLICT ("key") '
                       'DO UPDATE SET created_at = excluded.created_at'), (key, db_time(now)))
    return False


def _hour_full(recipient_id, now):
    return Mail.select().where(Mail.user == recipient_id, Mail.kind == "mention",
                               Mail.created_at > now - datetime.timedelta(hours=1)).count() >= MENTION_HOURLY


def recipients(comment, task, now):
    """The ids of the people this comment's mentions mail now."""
    author = comment["author"]["id"]
    chosen = []
    for person in comment["mentions"]:
        if person["id"] == author or person["id"] in chosen or not sees(person["id"], task):
            continue
        if _hour_full(person["id"], now) or _recently(author, person["id"], now):
            continue
        chosen.append(person["id"])
    return chosen


def prune(cutoff):
    MailMark.delete().where(MailMark.key.startswith(PREFIX), MailMark.created_at < cutoff).execute()
