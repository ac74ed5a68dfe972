"""One-time set-password links: an admin makes one for a user (People page or
POST /api/admin/users/<id>/password-link/) and hands it over; it sets a password once, within
LINK_HOURS, and then answers like any unknown link. Only the token's SHA-256 is stored; a new
link voids the user's older ones."""
import datetime
import hashlib
import secrets

from server.store.models import PasswordLink, User
from server.store.times import iso, utcnow
from server.services.core.errors import Conflict, Forbidden, NotFound
from server.services.people import auth
from server.services.language.text import _l

LINK_HOURS = 72
GONE = _l("This link is no longer valid: ask an admin for a new one.")


def digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_editor(editor, target):
    """The rule of every user edit: admins reset employees; owners anyone."""
    if target.role != "EMPLOYEE" and editor.role != "OWNER":
        raise Forbidden(_l("only an OWNER can change ADMIN or OWNER users"))
    if not target.is_active:
        raise Conflict(_l("%(username)s is disabled: enable the account first",
                          username=target.username), "is_active")


def create_link(editor, user_id, base_url, now=None):
    """(url, expires_at) of a new link for the user (on the writer)."""
    now = now or utcnow()
    target = User.get_or_none(User.id == user_id)
    if target is None:
        raise NotFound(_l("user %(user_id)s does not exist", user_id=user_id))
    check_editor(editor, target)
    PasswordLink.update(used_at=now).where(PasswordLink.user == target.id,
                                           PasswordLink.used_at.is_null()).execute()
    token = secrets.token_urlsafe(32)
    expires = now + datetime.timedelta(hours=LINK_HOURS)
    PasswordLink.create(user=target.id, token_hash=digest(token), created_by_id=editor.id,
                        created_at=now, expires_at=expires)
    return {"url": "%s/set-password/%s" % (base_url, token), "expires_at": iso(expires),
            "user": auth.user_dict(target)}


def find(token, now=None):
    """The live link of a token and its user, or NotFound (used, expired, unknown alike)."""
    now = now or utcnow()
    link = (PasswordLink.select(PasswordLink, User).join(User, on=(PasswordLink.user == User.id))
            .where(PasswordLink.token_hash == digest(token)).first())
    if link is None or link.used_at is not None or link.expires_at <= now or not link.user.is_active:
        raise NotFound(GONE)
    return link


def use(token, password_hash, now=None):
    """Set the password through the link, once (on the writer): the user's tokens and sessions
    end as with any new password. Returns the user."""
    now = now or utcnow()
    link = find(token, now)
    PasswordLink.update(used_at=now).where(PasswordLink.id == link.id).execute()
    user, _close = auth.update_user(link.user.id, {}, password_hash)
    return user
