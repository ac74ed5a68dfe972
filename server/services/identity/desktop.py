"""The desktop app's sign-in through the system browser (RFC 8252): the app listens on a loopback
port, the browser signs in here (any way the server allows) and is sent back to the app with a
one-time code; the app trades the code and its PKCE verifier for an API token. Writes: on the writer."""
import base64
import datetime
import hashlib
import hmac
import re
import secrets
import urllib.parse

from server.store.models import User
from server.store.times import utcnow
from server.services.core.errors import ValidationError
from server.services.identity.models import DesktopGrant, record
from server.services.language.text import _l

CODE_LIFETIME = datetime.timedelta(minutes=2)
LOOPBACK = re.compile(r"^http://(127\.0\.0\.1|\[::1\]):([0-9]{1,5})(/[A-Za-z0-9._~/-]{0,100})?$")
CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43,128}$")
STATE = re.compile(r"^[A-Za-z0-9._~-]{8,200}$")
EXPIRED = _l("this sign-in code is not valid: it was used, has expired or belongs to another app")


def digest(code):
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def check_request(redirect_uri, state, challenge, method):
    """A desktop sign-in request as RFC 8252 and RFC 7636 shape it; ValidationError otherwise."""
    if not isinstance(redirect_uri, str) or not LOOPBACK.match(redirect_uri) \
            or not 0 < int(LOOPBACK.match(redirect_uri).group(2)) < 65536:
        raise ValidationError(_l("redirect_uri must be a loopback address: http://127.0.0.1:<port>/…"),
                              "redirect_uri")
    if not isinstance(state, str) or not STATE.match(state):
        raise ValidationError(_l("state must be 8 to 200 URL-safe characters"), "state")
    if method != "S256" or not isinstance(challenge, str) or not CHALLENGE.match(challenge):
        raise ValidationError(_l("code_challenge must be an S256 PKCE challenge"), "code_challenge")


def grant(user, redirect_uri, state, challenge):
    """A one-time code for this app; returns the URL to send the browser back to."""
    code = secrets.token_urlsafe(32)
    DesktopGrant.delete().where(DesktopGrant.expires_at < utcnow()).execute()
    DesktopGrant.create(user=user.id, code_hash=digest(code), redirect_uri=redirect_uri,
                        code_challenge=challenge, expires_at=utcnow() + CODE_LIFETIME)
    return "%s?%s" % (redirect_uri, urllib.parse.urlencode({"code": code, "state": state}))


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(
        b"=").decode("ascii")


def redeem(code, verifier, redirect_uri):
    """The user of a live code whose verifier matches, or None. The code ends here either way
    (so None is returned, not raised: the write must commit)."""
    row = DesktopGrant.get_or_none(DesktopGrant.code_hash == digest(code))
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        return None
    row.used_at = utcnow()
    row.save()
    if row.redirect_uri != redirect_uri or not hmac.compare_digest(s256(verifier), row.code_challenge):
        return None
    user = User.get_by_id(row.user_id)
    if not user.is_active:
        return None
    record("desktop_signin", user=user.id, actor=user.id)
    return user
