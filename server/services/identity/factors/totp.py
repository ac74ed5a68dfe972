"""Second factor by TOTP (RFC 6238, pyotp): enrolment with a QR code (segno, SVG), confirmation
by a first code, 10 one-time recovery codes stored as digests, and the check at sign-in (a code
is accepted once: its time step must be newer than the last one used). Writes: on the writer."""
import hashlib
import io
import secrets

import pyotp
import segno

from server.store.times import utcnow
from server.services.core.errors import Conflict, NotFound, ValidationError
from server.services.identity.models import Passkey, RecoveryCode, UserTotp, record
from server.services.language.text import _l

ISSUER = "Progress Tracker"
RECOVERY_CODES = 10


def digest(code):
    return hashlib.sha256(code.replace("-", "").strip().lower().encode("utf-8")).hexdigest()


def enrolled(user_id):
    return UserTotp.select().where(UserTotp.user == user_id,
                                   UserTotp.confirmed_at.is_null(False)).exists()


def begin(user):
    """A new secret, not yet in force: {"secret", "otpauth_uri"}. Refused while one is in force."""
    if enrolled(user.id):
        raise Conflict(_l("two-factor sign-in is on already; turn it off first to enrol again"))
    secret = pyotp.random_base32()
    UserTotp.delete().where(UserTotp.user == user.id).execute()
    UserTotp.create(user=user.id, secret=secret, last_step=0)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return {"secret": secret, "otpauth_uri": uri}


def qr_svg(otpauth_uri):
    """The enrolment QR code as an SVG document (no script, no external reference)."""
    out = io.BytesIO()
    segno.make(otpauth_uri, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False,
                                          title="QR code for your authenticator app")
    return out.getvalue().decode("utf-8")


def matching_step(secret, code, after):
    """The time step `code` is valid for (now, or one step either side), newer than `after`."""
    code = (code or "").replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now = pyotp.TOTP(secret), utcnow().timestamp()
    for offset in (0, -1, 1):
        step = int(now // totp.interval) + offset
        if step > after and secrets.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def confirm(user, code):
    """Put the pending secret in force with a first code; returns the 10 recovery codes (shown once)."""
    row = UserTotp.get_or_none(UserTotp.user == user.id)
    if row is None or row.confirmed_at is not None:
        raise NotFound(_l("no enrolment is pending: start one first"))
    step = matching_step(row.secret, code, 0)
    if step is None:
        raise ValidationError(_l("that code does not match; check the time on your phone"), "code")
    row.confirmed_at, row.last_step = utcnow(), step
    row.save()
    codes = ["%s-%s" % (secrets.token_hex(3), secrets.token_hex(3)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.delete().where(RecoveryCode.user == user.id).execute()
    RecoveryCode.insert_many([{"user": user.id, "code_hash": digest(c)} for c in codes]).execute()
    record("totp_enrolled", user=user.id, actor=user.id)
    return codes


def remove(user_id, actor_id):
    """Turn TOTP off (the user themself); NotFound when it was not on."""
    removed = UserTotp.delete().where(UserTotp.user == user_id).execute()
    RecoveryCode.delete().where(RecoveryCode.user == user_id).execute()
    if not removed:
        raise NotFound(_l("two-factor sign-in is not on"))
    record("totp_removed", user=user_id, actor=actor_id)


def reset(user_id, actor_id):
    """An owner's reset for someone who lost their phone: TOTP, recovery codes and passkeys go."""
    removed = UserTotp.delete().where(UserTotp.user == user_id).execute()
    RecoveryCode.delete().where(RecoveryCode.user == user_id).execute()
    removed += Passkey.delete().where(Passkey.user == user_id).execute()
    if not removed:
        raise NotFound(_l("this user has no second factor"))
    record("second_factor_reset", user=user_id, actor=actor_id)


def check(user_id, code):
    """Whether `code` (a TOTP code, or an unused recovery code) is right; each is accepted once."""
    row = UserTotp.get_or_none(UserTotp.user == user_id, UserTotp.confirmed_at.is_null(False))
    if row is None:
        return False
    step = matching_step(row.secret, code, row.last_step)
    if step is not None:
        UserTotp.update(last_step=step).where(UserTotp.user == user_id).execute()
        return True
    used = (RecoveryCode.update(used_at=utcnow())
            .where(RecoveryCode.user == user_id, RecoveryCode.code_hash == digest(code or ""),
                   RecoveryCode.used_at.is_null()).execute())
    if used:
        record("recovery_code_used", user=user_id, actor=user_id)
    return bool(used)
