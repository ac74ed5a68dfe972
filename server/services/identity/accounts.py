"""Who a provider's answer is: the linked user, an unlinked user with that verified e-mail, or a
new EMPLOYEE created just in time. Runs on the writer: linking and creating are one transaction
with their security-log rows."""
import re

import peewee as pw

from server.services.language.text import _l
from server.store.models import User
from server.store.times import utcnow
from server.services.people.auth import announce, find_user
from server.services.core.errors import Forbidden
from server.services.identity.groups import apply_group_map
from server.services.identity.models import UserIdentity, record

USERNAME_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


class NoAccount(Forbidden):
    """The provider vouched for someone this server will not let in (no account, disabled)."""


def linked_user(provider, issuer, subject):
    row = (UserIdentity.select(UserIdentity, User).join(User)
           .where(UserIdentity.provider == provider, UserIdentity.issuer == issuer,
                  UserIdentity.subject == subject).first())
    if row is not None:
        row.last_seen_at = utcnow()
        row.save()
        return row.user
    return None


def user_by_verified_email(provider, email):
    """The one user with this address who has no identity at `provider` yet, or None."""
    if not email:
        return None
    found = list(User.select().where(pw.fn.LOWER(User.email) == email.lower()).limit(2))
    if len(found) != 1:
        return None  # none, or two: never guess between people
    taken = UserIdentity.select().where(UserIdentity.user == found[0],
                                        UserIdentity.provider == provider).exists()
    return None if taken else found[0]


def free_username(*candidates):
    """The first candidate cleaned to a valid username, made unique with a number if taken."""
    base = next((USERNAME_CHARS.sub("", c)[:56] for c in candidates
                 if c and len(USERNAME_CHARS.sub("", c)) >= 3), "user")
    name, number = base, 1
    while find_user(name) is not None:
        number += 1
        name = "%s%d" % (base, number)
    return name


def create_for(profile):
    """A new EMPLOYEE who signs in through a provider only (no password)."""
    email = profile.get("email") or ""
    user = User.create(username=free_username(profile.get("username"), email.split("@")[0]),
                       full_name=(profile.get("full_name") or "")[:200], role="EMPLOYEE",
                       password_hash="", email=email[:254] or None)
    record("created_by_sso", user=user, detail=profile["provider"])
    return user


def link(user, provider, issuer, subject):
    UserIdentity.create(user=user, provider=provider, issuer=issuer, subject=subject)
    record("identity_linked", user=user, detail="%s %s" % (provider, issuer))


def sign_in(profile, team_map, admin_groups, create_users):
    """The user a provider vouched for. `profile`: provider, issuer, subject, email (verified
    only), username, full_name, groups. Returns (user, role_changed); raises NoAccount."""
    user = linked_user(profile["provider"], profile["issuer"], profile["subject"])
    if user is None:
        user = user_by_verified_email(profile["provider"], profile.get("email"))
        if user is None and not create_users:
            raise NoAccount(_l("there is no account for you here yet; ask an admin to create one"))
        user = user or create_for(profile)
        link(user, profile["provider"], profile["issuer"], profile["subject"])
    if not user.is_active:
        raise NoAccount(_l("your account here is disabled; ask an admin"))
    keep_email(user, profile.get("email"))
    before = user.role
    apply_group_map(user, profile.get("groups") or [], team_map, admin_groups, profile["provider"])
    if user.role != before:
        announce("user", user.id, True)
    return user, user.role != before


def keep_email(user, email):
    """A verified address the provider now gives replaces the stored one, unless another user has it."""
    if not email or (user.email or "").lower() == email.lower():
        return
    other = User.select().where(pw.fn.LOWER(User.email) == email.lower(), User.id != user.id).exists()
    if not other:
        user.email = email[:254]
        user.save()


def directory_sign_in(profile, team_map, admin_groups):
    """The user the directory vouched for: linked before, else the local user of that username
    (the directory is the company's list of names), else a new EMPLOYEE. Name and e-mail follow
    the directory at each sign-in. Returns (user, role_changed); raises NoAccount."""
    user = linked_user("ldap", profile["issuer"], profile["subject"])
    if user is None:
        user = find_user(profile["username"])
        if user is not None and UserIdentity.select().where(
                UserIdentity.user == user, UserIdentity.provider == "ldap").exists():
            user = None  # that name belongs to another directory entry: never merge two people
        user = user or create_for(dict(profile, email=None))
        link(user, "ldap", profile["issuer"], profile["subject"])
    if not user.is_active:
        raise NoAccount(_l("your account here is disabled; ask an admin"))
    if profile.get("full_name") and user.full_name != profile["full_name"][:200]:
        user.full_name = profile["full_name"][:200]
        user.save()
    keep_email(user, profile.get("email"))
    before = user.role
    apply_group_map(user, profile.get("groups") or [], team_map, admin_groups, "ldap")
    if user.role != before:
        announce("user", user.id, True)
    return user, user.role != before


def is_directory_user(username):
    """Whether this local user signs in through the directory (so never with a local password)."""
    user = find_user(username)
    return user is not None and UserIdentity.select().where(
        UserIdentity.user == user, UserIdentity.provider == "ldap").exists()
