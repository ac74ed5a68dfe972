"""Users, passwords (argon2id), bearer tokens and page sessions (stored as SHA-256), the login check."""
import asyncio
import hashlib
import secrets
import time

import argon2
import peewee as pw

from server.store.database import db, is_postgres, sql
from server.store.models import ROLES, ApiToken, User
from server.store.times import utcnow
from server.services.people import passwords
from server.services.core import validate
from server.services.core.errors import Conflict, Forbidden, Unauthorized, ValidationError
from server.services.people.throttle import LoginThrottle  # noqa: F401  (the app builds it from here)
from server.services.language.text import _l

TOKEN_TOUCH_SECONDS = 60
CREDENTIALS_CHANNEL = "tracker_credentials"  # NOTIFY: "token <id> <close>" or "user <id> <close>"


class PasswordHasher:
    """argon2id with configurable cost; call from a worker thread, never the event loop."""

    def __init__(self, time_cost=3, memory_kib=65536):
        self._hasher = argon2.PasswordHasher(time_cost=time_cost, memory_cost=memory_kib,
                                             parallelism=4)
        # Verifying an unknown username still costs one hash, so timing does not reveal names.
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    def hash(self, password):
        return self._hasher.hash(password)

    def verify(self, password_hash, password):
        try:
            return self._hasher.verify(password_hash or self._dummy, password) and bool(password_hash)
        except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
            return False


def token_digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def grantable_roles(granter_role):
    """The roles a user of `granter_role` may give: every one for an OWNER, else EMPLOYEE."""
    return ROLES if granter_role == "OWNER" else ("EMPLOYEE",)


def validate_new_user(data, creator_role):
    """Checks a user-creation body; only an OWNER may create ADMIN or OWNER users."""
    validate.require_object(data)
    validate.only_fields(data, ("username", "full_name", "role", "password", "email"))
    username = validate.username(data.get("username"))
    email = validate.email(data)
    full_name = validate.text(data, "full_name", 200)
    role = validate.choice(data, "role", ROLES, default="EMPLOYEE")
    passwords.check_shape(data.get("password"), username)  # the rest off the loop, with the hash
    if role not in grantable_roles(creator_role):
        raise Forbidden(_l("only an OWNER can create ADMIN or OWNER users"), "role")
    return {"username": username, "full_name": full_name, "role": role, "email": email}


def parse_user_edit(data, editor, target):
    """Checks a user-edit body: is_active, full_name, role, password. Admins may only edit employees;
    only an OWNER grants ADMIN or OWNER; nobody disables themselves."""
    validate.require_object(data)
    validate.only_fields(data, ("full_name", "role", "is_active", "password", "email"))
    if not data:
        raise ValidationError(_l("nothing to change: send full_name, role, is_active, password or email"))
    if target.role != "EMPLOYEE" and editor.role != "OWNER":
        raise Forbidden(_l("only an OWNER can change ADMIN or OWNER users"))
    fields = {}
    if "full_name" in data:
        fields["full_name"] = validate.text(data, "full_name", 200, required=True)
    if "role" in data:
        fields["role"] = validate.choice(data, "role", ROLES, required=True)
        if fields["role"] != "EMPLOYEE" and editor.role != "OWNER":
            raise Forbidden(_l("only an OWNER can grant ADMIN or OWNER"), "role")
    if "is_active" in data:
        if not isinstance(data["is_active"], bool):
            raise ValidationError(_l("is_active must be true or false"), "is_active")
        if target.id == editor.id and not data["is_active"]:
            raise Conflict(_l("you cannot disable yourself"), "is_active")
        fields["is_active"] = data["is_active"]
    if "password" in data:
        passwords.check_shape(data["password"], target.username)
    if "email" in data:
        fields["email"] = validate.email(data)
    return fields


def update_user(user_id, fields, password_hash=None):
    """Apply an edit; disabling a user or changing the password ends all their tokens and sessions.
    Returns (user, close): `close` when the push sockets they hold must end (also a role change,
    which changes what they may see)."""
    user = User.get_by_id(user_id)
    if leaves_no_owner(user, fields):
        raise Conflict(_l("this is the last active owner: make another owner first"),
                       "role" if "role" in fields else "is_active")
    role_changed = fields.get("role", user.role) != user.role
    for name, value in fields.items():
        setattr(user, name, value)
    if password_hash:
        user.password_hash = password_hash
    user.save()
    ended = fields.get("is_active") is False or bool(password_hash)
    if ended:
        revoke_all(user.id)
    close = ended or role_changed
    announce("user", user.id, close)
    return user, close


def leaves_no_owner(user, fields):
    """Would this edit leave no active OWNER (nobody could then create admins)? On PostgreSQL the
    active owners' rows stay locked until COMMIT, so two owners demoting each other at once in
    two processes cannot both pass."""
    if user.role != "OWNER" or not user.is_active:
        return False
    if fields.get("role", "OWNER") == "OWNER" and fields.get("is_active", True):
        return False
    owners = User.select(User.id).where(User.role == "OWNER", User.is_active == True)  # noqa: E712
    if is_postgres():
        owners = owners.order_by(User.id).for_update()  # one order: no deadlock between editors
    return not any(row.id != user.id for row in owners)


def find_user(username):
    """The user of that name, whatever its case (names are unique case-insensitively)."""
    return User.get_or_none(pw.fn.LOWER(User.username) == username.lower())


def _refuse_lookalike(username):
    """409 when an existing name reads like the new one (`0livia` beside `olivia`)."""
    shape = validate.skeleton(username)
    for (existing,) in User.select(User.username).tuples().iterator():
        if validate.skeleton(existing) == shape:
            raise Conflict(_l("username %(username)s is too like the existing %(existing)s: choose another",
                              username=username, existing=existing),
                           "username")


def create_user(username, full_name, role, password_hash, email=None):
    """Insert a user; the caller hashed the password off the event loop."""
    taken = _l("username %(username)s is taken", username=username)
    if find_user(username) is not None:
        raise Conflict(taken, "username")
    _refuse_lookalike(username)
    try:
        with db.atomic():  # another process may have taken it since: the unique indexes tell
            return User.create(username=username, full_name=full_name, role=role,
                               password_hash=password_hash, email=email)
    except pw.IntegrityError:
        raise Conflict(taken, "username") from None


def issue_token(user, kind="api"):
    """A new random token (256 bits); only its digest is stored."""
    token = secrets.token_urlsafe(32)
    ApiToken.create(user=user, token_hash=token_digest(token), kind=kind, last_used_at=utcnow())
    return token


def lookup_token(digest, kind="api"):
    """The (token row, user) for a live token's digest, or raise Unauthorized."""
    # One hand-written join, no model-layer query building: it runs for every uncached token.
    found = db.execute_sql(sql(
        'SELECT t.id, t.last_used_at, t.revoked, u.id, u.username, u.full_name, u.role, u.is_active, '
        'u.locale, u.time_zone '
        'FROM api_token t JOIN "user" u ON u.id = t.user_id WHERE t.token_hash = ? AND t.kind = ?'),
        (digest, kind)).fetchone()
    if found is None:
        raise Unauthorized(_l("a valid token is required"))
    token_id, last_used_at, revoked, user_id, username, full_name, role, is_active, locale, zone = found
    if revoked or not is_active:
        raise Unauthorized(_l("a valid token is required"))
    user = User(id=user_id, username=username, full_name=full_name, role=role, is_active=True,
                locale=locale, time_zone=zone)  # the language and zone of every answer
    row = ApiToken(id=token_id, user=user, kind=kind,
                   last_used_at=ApiToken.last_used_at.python_value(last_used_at), revoked=False)
    return row, user


def check_idle(row, idle_seconds):
    """Refuse a session unused for longer than `idle_seconds` (None: no limit)."""
    if idle_seconds and row.last_used_at and (utcnow() - row.last_used_at).total_seconds() > idle_seconds:
        raise Unauthorized(_l("the session has expired"))


def needs_touch(row):
    """True about once a minute per token; on other requests it costs one clock read (the token
    row is cached and shared, so it remembers when to look again)."""
    now = time.monotonic()
    if now < getattr(row, "look_again_at", 0.0):
        return False
    row.look_again_at = now + TOKEN_TOUCH_SECONDS
    return row.last_used_at is None or (utcnow() - row.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS


def touch_token(token_id):
    ApiToken.update(last_used_at=utcnow()).where(ApiToken.id == token_id).execute()


def touch_tokens(calls):
    """touch_token for a writer group's calls at once (its `together`, see Writer): one UPDATE.
    On PostgreSQL rows another writer holds are skipped, never waited on (that writer may hold
    the audit chain's lock): those calls take touch_token in the group. None for them."""
    wanted = {token_id for (token_id,) in calls}
    free = ApiToken.select(ApiToken.id).where(ApiToken.id.in_(wanted))
    if is_postgres():
        free = free.for_update("FOR UPDATE SKIP LOCKED")
    touched = {row.id for row in ApiToken.update(last_used_at=utcnow())
               .where(ApiToken.id.in_(free)).returning(ApiToken.id).execute()}
    return [True if token_id in touched else None for (token_id,) in calls]


touch_token.together = touch_tokens


def live_token_ids(token_ids):
    """Those of `token_ids` still valid: not revoked, their user active (one query per 500)."""
    live = set()
    for start in range(0, len(token_ids), 500):
        chunk = token_ids[start:start + 500]
        live.update(row[0] for row in db.execute_sql(sql(
            'SELECT t.id FROM api_token t JOIN "user" u ON u.id = t.user_id '
            "WHERE NOT t.revoked AND u.is_active AND t.id IN (%s)" % ", ".join("?" * len(chunk))),
            chunk).fetchall())
    return live


def announce(kind, ident, close):
    """Tell every other process (PostgreSQL NOTIFY, delivered at COMMIT) that a token or a user
    changed: they forget cached lookups and, with `close`, end the push sockets it opened."""
    if is_postgres():
        db.execute_sql("SELECT pg_notify(%s, %s)", (CREDENTIALS_CHANNEL, "%s %d %d" % (kind, ident, close)))


def parse_announcement(payload):
    """(token_id, user_id, close) from announce()'s payload."""
    kind, ident, close = payload.split()
    ident = int(ident)
    return (ident if kind == "token" else None), (ident if kind == "user" else None), close == "1"


def revoke_token(token_id):
    ApiToken.update(revoked=True).where(ApiToken.id == token_id).execute()
    announce("token", token_id, True)


def revoke_all(user_id):
    ApiToken.update(revoked=True).where(ApiToken.user == user_id).execute()


def user_dict(user):
    return {"id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role}


async def check_password(svc, username, password, address):
    """Count the attempt (or refuse a throttled one), look the user up, verify off the event loop.
    Returns the active User or raises Throttled or Unauthorized (one answer, and the same work,
    for an unknown name and a wrong password)."""
    await svc.writer.submit(svc.throttle.begin, username, address)
    user = find_user(username)
    loop = asyncio.get_running_loop()
    ok = await loop.run_in_executor(svc.hash_pool, svc.hasher.verify,
                                    user.password_hash if user else None, password)
    if not ok or not user.is_active:
        raise Unauthorized(_l("wrong username or password"))
    await svc.writer.submit(svc.throttle.succeeded, username, address)
    return user
