"""User queries for the admin API and pages: the list, one user, the staff, a password's hash."""
import asyncio

from server.store.models import User
from server.services.people import passwords
from server.services.people.auth import user_dict
from server.services.core import paging
from server.services.core.errors import NotFound, ValidationError
from server.services.language.text import _l


def user_with_state(user):
    """The API's user object: the brief form, whether the account is active, where mail goes and
    which kinds of mail the user unsubscribed from."""
    return dict(user_dict(user), is_active=user.is_active, email=user.email,
                mail_unsubscribed=[kind for kind in (user.mail_off or "").split(",") if kind])


def parse_user_page(args):
    """(`after`: the username the previous page ended with, or None; `limit`) from the query."""
    after = args.get("after")
    if after is not None and not 1 <= len(after) <= 64:
        raise ValidationError(_l("after must be a username from a previous page's next"), "after")
    return after, paging.parse_limit(args)


def user_page(after=None, limit=paging.DEFAULT_LIMIT):
    """(users by username after `after`, the next cursor or None): the unique username index
    bounds the read by the page."""
    query = User.select().order_by(User.username).limit(limit + 1)
    if after is not None:
        query = query.where(User.username > after)
    return paging.cut([user_with_state(u) for u in query], limit, lambda u: u["username"])


def get_user(user_id):
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound(_l("user %(user_id)s does not exist", user_id=user_id))
    return user


def active_staff():
    """Active admins and owners, by name: who a task form may name besides the employees."""
    staff = User.select().where(User.role != "EMPLOYEE", User.is_active == True)  # noqa: E712
    return [user_dict(u) for u in staff.order_by(User.full_name)]


async def hash_password(svc, password, user_inputs=()):
    """A new password's hash, once it passed the common-password check (ValidationError if not).
    Both cost milliseconds or more: they run in the app's pool, never on the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(svc.hash_pool, passwords.checked_hash, svc.hasher, password,
                                      user_inputs)
