"""The SCIM bearer token: an owner creates it (a new one replaces the old); only its digest is kept."""
import hashlib
import hmac
import secrets

from server.services.identity.models import ScimToken, record


def digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def rotate(actor):
    """A new token (returned once); every earlier one stops working. Call on the writer."""
    token = secrets.token_urlsafe(32)
    ScimToken.delete().execute()
    ScimToken.create(token_hash=digest(token), created_by=actor.id)
    record("scim_token_rotated", actor=actor.id)
    return token


def valid(token):
    """Whether `token` is the live SCIM token (compared in constant time)."""
    if not token:
        return False
    wanted = digest(token)
    return any(hmac.compare_digest(row.token_hash, wanted) for row in ScimToken.select())
