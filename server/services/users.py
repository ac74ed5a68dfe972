"""User queries for the admin API and pages: the list, one user, the staff, a password's hash."""
import asyncio

from ..store.models import User
from . import passwords
from .auth import user_dict
from .errors import NotFound


def user_with_state(user):
    """The API's user object: the brief form plus whether the account is active."""
    return dict(user_dict(user), is_active=user.is_active)


def all_users():
    return [user_with_state(u) for u in User.select().order_by(User.username)]


def get_user(user_id):
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound("user %s does not exist" % user_id)
    return user


def active_staff():
    """Active admins and owners, by name: who a task form may name besides the employees."""
    staff = User.select().where(User.role != "EMPLOYEE", User.is_active == True)  # noqa: E712
    return [user_dict(u) for u in staff.order_by(User.full_name)]


async def hash_password(svc, password):
    """A new password's hash, once it passed the common-password check (ValidationError if not).
    Both cost milliseconds or more: they run in the app's pool, never on the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(svc.hash_pool, passwords.checked_hash, svc.hasher, password)
