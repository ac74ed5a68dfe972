"""Sign-in flows in progress: what the browser's return from the provider must match. A flow is
found by its state's digest, used once, and expires after FLOW_MINUTES."""
import datetime
import hashlib

from server.store.times import utcnow
from server.services.identity.models import SigninFlow

FLOW_MINUTES = 10


class Expired(Exception):
    """No flow for this state: too old, already used, or never started here."""


def digest(state):
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


def begin(state, nonce, verifier, next_url):
    """Store a flow (a write: on the writer), and forget flows nobody finished."""
    now = utcnow()
    SigninFlow.delete().where(
        SigninFlow.created_at < now - datetime.timedelta(minutes=FLOW_MINUTES)).execute()
    SigninFlow.create(state_hash=digest(state), nonce=nonce, code_verifier=verifier,
                      next_url=next_url, created_at=now)


def take(state):
    """The flow of this state, deleted as it is read (a write: on the writer); Expired if none."""
    row = SigninFlow.get_or_none(SigninFlow.state_hash == digest(state or ""))
    if row is None:
        raise Expired()
    row.delete_instance()
    if utcnow() - row.created_at > datetime.timedelta(minutes=FLOW_MINUTES):
        raise Expired()
    return row
