"""Idempotent creation, written once for progress reports, comments and time entries: the client's
key (a body field, or the Idempotency-Key header, which must agree with it), the fingerprint of
what the request asks, and the replay: the same key and the same request get the first answer
again (the handler adds Idempotent-Replayed), the same key for another request a 422."""
import hashlib
import json

from server.services.core import validate
from server.services.core.errors import IdempotencyMismatch, ValidationError
from server.services.language.text import _l

MAX_KEY = 64
HEADER = "Idempotency-Key"


def key_of(data, field):
    """The body's key `field`: 1 to 64 characters, not blank; None when the body has none."""
    key = validate.text(data, field, MAX_KEY, default=None)
    if key is not None and not key.strip():
        raise ValidationError(_l("%(field)s must not be empty", field=field), field)
    return key


def with_header(fields, field, header):
    """`fields` with the Idempotency-Key header (None: none sent) as its key `field`."""
    if header is None:
        return fields
    if not header.strip() or len(header) > MAX_KEY:
        raise ValidationError(_l("%(header)s must be 1 to %(max_key)d characters",
                                 header=HEADER, max_key=MAX_KEY), HEADER)
    if fields[field] not in (None, header):
        raise ValidationError(_l("%(header)s and %(field)s differ",
                                 header=HEADER, field=field), field)
    return dict(fields, **{field: header})


def fingerprint(material):
    """What a replay must repeat to be the same request: a digest of `material` (a JSON dict).
    Stored beside the first answer; never change how it is computed (old keys would mismatch)."""
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def replay(field, key, stored_print, request_print, first_answer, what):
    """first_answer() when this request repeats the one that used `key` first, else a 422."""
    if stored_print != request_print:
        raise IdempotencyMismatch(_l("%(field)s %(key)s was already used for %(what)s",
                                     field=field, key=key, what=what), field)
    return first_answer()
