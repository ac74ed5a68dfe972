"""SCIM Users kept in step with the tracker's users: userName, displayName (or name), the primary
e-mail and `active` drive the user; the rest of the resource is kept as sent, but `groups`,
read-only, lists the user's teams. Deactivating or deleting ends the user's tokens at once.
Writes: on the writer."""
import datetime
import json

import pydantic
from scim2_models import (Context, InvalidValueException, Meta, NotFoundException, PatchOp,
                          UniquenessException, User)

from server.store.models import User as Account
from server.store.times import utcnow
from server.services.core import validate
from server.services.people.auth import update_user
from server.services.core.errors import ServiceError
from server.services.identity.accounts import free_username
from server.services.identity.models import ScimUser, record
from server.services.identity.scim.groups import groups_of

FIELDS_OF_USER = ("id", "meta", "password", "groups")  # the server's, or never kept


def parsed(payload, context):
    """The payload as a User, or InvalidValueException with pydantic's reason."""
    try:
        return User.model_validate(payload, scim_ctx=context)
    except pydantic.ValidationError as exc:
        raise InvalidValueException(detail=exc.errors()[0]["msg"]) from None


def live_row(user_id):
    row = ScimUser.get_or_none(ScimUser.user == user_id, ScimUser.deleted == False)  # noqa: E712
    if row is None:
        raise NotFoundException(detail="no user %s" % user_id)
    return row


def aware(value):
    return value.replace(tzinfo=datetime.timezone.utc)


def loaded(row, base):
    """The stored resource with what the tracker owns written over it."""
    user = Account.get_by_id(row.user_id)
    resource = User.model_validate(json.loads(row.resource), scim_ctx=Context.DEFAULT)
    resource.id, resource.external_id = str(user.id), row.external_id
    resource.groups = groups_of(user.id, base)  # read-only: the teams, as SCIM Groups
    if resource.active is not None or not user.is_active:  # left out by the client: active
        resource.active = user.is_active
    resource.meta = Meta(resource_type="User", created=aware(row.created_at),
                         last_modified=aware(row.updated_at), location="%s/Users/%d" % (base, user.id),
                         version='W/"%d"' % row.version)
    return resource


def taken(user_name, user_id=None):
    query = ScimUser.select().where(ScimUser.user_name == user_name.lower(),
                                    ScimUser.deleted == False)  # noqa: E712
    if user_id is not None:
        query = query.where(ScimUser.user != user_id)
    if query.exists():
        raise UniquenessException(detail="userName %s is taken" % user_name)


def primary_email(resource):
    emails = [e for e in resource.emails or [] if e.value]
    chosen = next((e for e in emails if e.primary), emails[0] if emails else None)
    try:
        return validate.email({"email": str(chosen.value)}) if chosen else None
    except ServiceError:
        return None


def full_name_of(resource):
    name = resource.name
    parts = name and (name.formatted or " ".join(p for p in (name.given_name, name.family_name) if p))
    return (resource.display_name or parts or "")[:200]


def adopt(resource):
    """The tracker user this new SCIM user is: one deleted by SCIM before, a local user of the same
    username without a SCIM record, or a new one."""
    old = ScimUser.get_or_none(ScimUser.user_name == resource.user_name.lower())
    if old is not None:
        old.delete_instance()
        return Account.get_by_id(old.user_id)
    local = Account.get_or_none(Account.username == resource.user_name)
    if local is not None and not ScimUser.select().where(ScimUser.user == local.id).exists():
        return local
    return Account.create(username=free_username(resource.user_name.split("@")[0]),
                          full_name="", role="EMPLOYEE", password_hash="")


def store(user, resource, row=None):
    """Write the resource and its effects on the user; returns whether their tokens ended."""
    kept = resource.model_dump(scim_ctx=Context.DEFAULT, exclude=set(FIELDS_OF_USER))
    fields = {"full_name": full_name_of(resource) or user.full_name,
              "is_active": resource.active is not False}
    email = primary_email(resource)
    if email and not Account.select().where(Account.email == email, Account.id != user.id).exists():
        fields["email"] = email
    _user, ended = update_user(user.id, fields)
    now = utcnow()
    if row is None:
        row = ScimUser(user=user.id, created_at=now, version=0)
    row.user_name, row.external_id = resource.user_name.lower(), resource.external_id
    row.resource, row.updated_at, row.version = json.dumps(kept), now, row.version + 1
    row.save(force_insert=row.version == 1)
    return ended and fields["is_active"] is False


def create(payload, base):
    resource = parsed(payload, Context.RESOURCE_CREATION_REQUEST)
    taken(resource.user_name)
    user = adopt(resource)
    ended = store(user, resource)
    record("scim_provisioned", user=user.id)
    return loaded(ScimUser.get_by_id(user.id), base), ended, user.id


def replace(user_id, payload, base):
    row = live_row(user_id)
    resource = parsed(payload, Context.RESOURCE_REPLACEMENT_REQUEST)
    taken(resource.user_name, user_id)
    ended = store(Account.get_by_id(user_id), resource, row)
    return loaded(row, base), ended


def patch(user_id, payload, base):
    row = live_row(user_id)
    resource = loaded(row, base)
    try:
        operation = PatchOp[User].model_validate(payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    except pydantic.ValidationError as exc:
        raise InvalidValueException(detail=exc.errors()[0]["msg"]) from None
    operation.patch(resource)
    taken(resource.user_name, user_id)
    ended = store(Account.get_by_id(user_id), resource, row)
    return loaded(row, base), ended


def delete(user_id):
    """The SCIM record is gone (404 from now on) and the user disabled, their tokens ended."""
    row = live_row(user_id)
    row.deleted, row.updated_at = True, utcnow()
    row.save()
    update_user(user_id, {"is_active": False})
    record("scim_deprovisioned", user=user_id)


def listing(base, scim_filter=None, by_name=None):
    """Every live SCIM user matching the parsed filter, by id; `userName eq "…"` (what clients
    ask before they create) reads one row by its index instead of every user."""
    rows = ScimUser.select().where(ScimUser.deleted == False).order_by(ScimUser.user)  # noqa: E712
    if by_name is not None:
        rows = rows.where(ScimUser.user_name == by_name.group(1).replace('\\"', '"').lower())
    resources = (loaded(row, base) for row in rows)
    return [r for r in resources if scim_filter is None or scim_filter.match(r)]
