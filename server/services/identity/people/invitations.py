"""Invitations: a one-time link (valid 72 hours) by e-mail with which a new user sets their
password. Only the link's digest is stored; using it ends it."""
import datetime
import hashlib
import secrets

import tornado.template

from server.store.models import User
from server.store.outbox_models import Mail
from server.store.times import utcnow
from server.services.core.errors import NotFound
from server.services.identity.models import Invitation, record
from server.services.language.text import _l

VALID = datetime.timedelta(hours=72)
GONE = _l("this invitation link is not valid: it was used, has expired, or was replaced")
TEXT = """Hello {name},

{inviter} invited you to Progress Tracker as {username}.
Choose your password here (the link works once, for 72 hours):

{link}
"""
HTML = tornado.template.Template("""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Your Progress Tracker account</title></head>
<body style="font-family: sans-serif; max-width: 40em"><p>Hello {{ name }},</p>
<p>{{ inviter }} invited you to Progress Tracker as <b>{{ username }}</b>.</p>
<p><a href="{{ link }}">Choose your password</a> (the link works once, for 72 hours).</p>
</body></html>""", name="invitation.html", autoescape="xhtml_escape")


def digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite(user, base_url, inviter="An admin", now=None):
    """A new link for `user` (earlier ones end) and, when they have an address and `base_url`
    is set (mail is configured), the mail carrying it. Returns the link. Call on the writer."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    Invitation.delete().where(Invitation.user == user.id, Invitation.used_at.is_null()).execute()
    Invitation.create(user=user.id, token_hash=digest(token), expires_at=now + VALID, created_at=now)
    link = "%s/invite/%s" % (base_url or "", token)
    if user.email and base_url:
        values = dict(name=user.full_name or user.username, inviter=inviter,
                      username=user.username, link=link)
        Mail.create(user=user.id, kind="invitation", recipient=user.email,
                    subject="Your Progress Tracker account", text_body=TEXT.format(**values),
                    html_body=HTML.generate(**values).decode(), unsubscribe_url="",
                    next_attempt_at=now, created_at=now)
    record("invitation_sent", user=user.id, detail="by mail" if user.email and base_url else "link")
    return link


def pending(token):
    """The user a live link is for; NotFound otherwise."""
    row = Invitation.get_or_none(Invitation.token_hash == digest(token or ""))
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        raise NotFound(GONE)
    user = User.get_or_none(User.id == row.user_id)
    if user is None or not user.is_active:
        raise NotFound(GONE)
    return row, user


def accept(token, password_hash):
    """Set the password (hashed off the loop by the caller) and end the link. Call on the writer."""
    row, user = pending(token)
    row.used_at = utcnow()
    row.save()
    User.update(password_hash=password_hash).where(User.id == user.id).execute()
    record("invitation_used", user=user.id, actor=user.id)
    return user
