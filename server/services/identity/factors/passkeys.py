"""Passkeys (WebAuthn, the `webauthn` library): register one from the Security page, sign in with
it without a password. Each ceremony's challenge is kept server-side for 5 minutes, found by a
handle the browser sends back, and used once. Writes: on the writer."""
import datetime
import hashlib
import json
import secrets

import webauthn
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (AuthenticatorSelectionCriteria, PublicKeyCredentialDescriptor,
                                      ResidentKeyRequirement, UserVerificationRequirement)

from server.store.models import User
from server.store.times import utcnow
from server.services.core.errors import NotFound, Unauthorized, ValidationError
from server.services.identity.models import Passkey, WebauthnChallenge, record
from server.services.language.text import _l

RP_NAME = "Progress Tracker"
CEREMONY = datetime.timedelta(minutes=5)
REFUSED = _l("that passkey was not accepted; try again or sign in with your password")


def digest(handle):
    return hashlib.sha256(handle.encode("utf-8")).hexdigest()


def remember(challenge, purpose, user_id=None):
    """Keep a challenge; returns the handle the browser sends back with its answer."""
    WebauthnChallenge.delete().where(WebauthnChallenge.created_at < utcnow() - CEREMONY).execute()
    handle = secrets.token_urlsafe(24)
    WebauthnChallenge.create(handle_hash=digest(handle), challenge=bytes_to_base64url(challenge),
                             user=user_id, purpose=purpose)
    return handle


def recall(handle, purposes, user_id=None):
    """(challenge, user id) of a live ceremony of one of `purposes` (deleted as it is read; a
    "register" one must be `user_id`'s); ValidationError otherwise."""
    row = WebauthnChallenge.get_or_none(WebauthnChallenge.handle_hash == digest(handle or ""))
    if row is None or row.purpose not in purposes or (user_id is not None and row.user_id != user_id):
        raise ValidationError(_l("this passkey request expired; start again"), "handle")
    row.delete_instance()
    if utcnow() - row.created_at > CEREMONY:
        raise ValidationError(_l("this passkey request expired; start again"), "handle")
    return base64url_to_bytes(row.challenge), row.user_id


def registration_options(user, rp_id):
    """{"handle", "options"}: what navigator.credentials.create() needs (a discoverable key)."""
    mine = Passkey.select().where(Passkey.user == user.id)
    options = webauthn.generate_registration_options(
        rp_id=rp_id, rp_name=RP_NAME, user_name=user.username, user_id=str(user.id).encode(),
        user_display_name=user.full_name or user.username,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
                             for p in mine])
    handle = remember(options.challenge, "register", user.id)
    return {"handle": handle, "options": json.loads(webauthn.options_to_json(options))}


def register(user, handle, credential, name, rp_id, origin):
    """Verify the browser's new credential and keep it; returns the passkey's dict."""
    challenge, _user_id = recall(handle, ("register",), user.id)
    try:
        verified = webauthn.verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValidationError(_l("the passkey could not be verified: %(exc)s",
                                 exc=exc), "credential") from None
    row = Passkey.create(user=user.id, credential_id=bytes_to_base64url(verified.credential_id),
                         public_key=bytes_to_base64url(verified.credential_public_key),
                         sign_count=verified.sign_count, name=name or "Passkey")
    record("passkey_added", user=user.id, actor=user.id, detail=row.name)
    return passkey_dict(row)


def signin_options(rp_id):
    options = webauthn.generate_authentication_options(
        rp_id=rp_id, user_verification=UserVerificationRequirement.REQUIRED)
    return {"handle": remember(options.challenge, "signin"),
            "options": json.loads(webauthn.options_to_json(options))}


def second_factor_options(user, rp_id):
    """After a right password: a challenge only this user's passkeys can answer."""
    mine = Passkey.select().where(Passkey.user == user.id)
    options = webauthn.generate_authentication_options(
        rp_id=rp_id, user_verification=UserVerificationRequirement.PREFERRED,
        allow_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
                           for p in mine])
    return {"handle": remember(options.challenge, "second", user.id),
            "options": json.loads(webauthn.options_to_json(options))}


def authenticate(handle, credential, rp_id, origin):
    """The active user whose passkey answered the challenge (for a second factor: the user who
    gave the right password); Unauthorized otherwise."""
    challenge, expected_user = recall(handle, ("signin", "second"))
    raw_id = credential.get("rawId") or credential.get("id")
    row = Passkey.get_or_none(Passkey.credential_id == raw_id) if isinstance(raw_id, str) else None
    if row is None or (expected_user is not None and row.user_id != expected_user):
        raise Unauthorized(REFUSED)
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=base64url_to_bytes(row.public_key),
            credential_current_sign_count=row.sign_count, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise Unauthorized(REFUSED) from None
    row.sign_count, row.last_used_at = verified.new_sign_count, utcnow()
    row.save()
    user = User.get_by_id(row.user_id)
    if not user.is_active:
        raise Unauthorized(REFUSED)
    return user


def passkey_dict(row):
    return {"id": row.id, "name": row.name, "created_at": row.created_at.isoformat() + "Z",
            "last_used_at": row.last_used_at and row.last_used_at.isoformat() + "Z"}


def listing(user_id):
    return [passkey_dict(p) for p in Passkey.select().where(Passkey.user == user_id).order_by(Passkey.id)]


def remove(user_id, passkey_id):
    if not Passkey.delete().where(Passkey.user == user_id, Passkey.id == passkey_id).execute():
        raise NotFound(_l("no passkey %(passkey_id)s", passkey_id=passkey_id))
    record("passkey_removed", user=user_id, actor=user_id)


def has_passkey(user_id):
    return Passkey.select().where(Passkey.user == user_id).exists()
