"""Positive validation of JSON input: each check names the field it refuses."""
import datetime
import re

from server.services.core.errors import ValidationError
from server.services.language.text import _l

# Letters, digits and single separators between them: no leading or trailing dot, dash or
# underscore (`emma.` beside `emma`), no `a..b`. Always fullmatch: `$` also matches before "\n".
USERNAME_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[_.-](?=[A-Za-z0-9])){2,63}")
# Deliberately plain: one @, no spaces or angle brackets, a dotted domain. What a mail server
# would refuse later is refused here, before anything is written.
EMAIL_RE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+")
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def require_object(body):
    if not isinstance(body, dict):
        raise ValidationError(_l("the request body must be a JSON object"))
    return body


def integer(data, field, lo, hi, required=True):
    if field not in data or data[field] is None and not required:
        if required:
            raise ValidationError(_l("%(field)s is required", field=field), field)
        return None
    value = data[field]
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValidationError(_l("%(field)s must be an integer from %(low)d to %(high)d",
                                 field=field, low=lo, high=hi), field)
    return value


def text(data, field, max_len, min_len=0, required=False, default=""):
    if field not in data or data[field] is None:
        if required:
            raise ValidationError(_l("%(field)s is required", field=field), field)
        return default
    value = data[field]
    if not isinstance(value, str):
        raise ValidationError(_l("%(field)s must be a string", field=field), field)
    if min_len and len(value.strip()) < min_len:
        raise ValidationError(_l("%(field)s must not be empty", field=field), field)
    if len(value) > max_len:
        raise ValidationError(_l("%(field)s must be at most %(most)d characters", field=field,
                                 most=max_len), field)
    if "\x00" in value:
        raise ValidationError(_l("%(field)s must not contain NUL characters", field=field), field)
    return value


def email(data, field="email"):
    """An e-mail address, or None when absent, null or "" (which clears it)."""
    value = data.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 254 or not EMAIL_RE.fullmatch(value.strip()):
        raise ValidationError(_l("%(field)s must be an e-mail address such as ann@example.com",
                                 field=field), field)
    return value.strip()


def choice(data, field, options, required=False, default=None):
    if field not in data or data[field] is None:
        if required:
            raise ValidationError(_l("%(field)s is required", field=field), field)
        return default
    value = data[field]
    if value not in options:
        raise ValidationError(_l("%(field)s must be one of %(choices)s", field=field,
                                 choices=", ".join(options)), field)
    return value


def parse_datetime(value, field):
    """ISO 8601 to naive UTC. A bare date means the end of that day (UTC)."""
    if not isinstance(value, str) or not value or len(value) > 64:
        raise ValidationError(_l("%(field)s must be an ISO 8601 date or date-time", field=field),
                              field)
    try:
        if len(value) == 10:
            day = datetime.date.fromisoformat(value)
            return datetime.datetime.combine(day, datetime.time(23, 59, 59))
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(_l("%(field)s must be an ISO 8601 date or date-time", field=field),
                              field) from None
    if parsed.tzinfo is not None:
        try:  # 0001-01-01T00:00+14:00 is a year 0 in UTC: out of range, not a crash
            parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        except OverflowError:
            raise ValidationError(_l("%(field)s is out of range", field=field), field) from None
    if not 1970 <= parsed.year <= 9998:
        raise ValidationError(_l("%(field)s is out of range", field=field), field)
    return parsed


def optional_datetime(data, field):
    if field not in data or data[field] is None:
        return None
    return parse_datetime(data[field], field)


def reference_id(data, field, required=True):
    if field not in data or data[field] is None:
        if required:
            raise ValidationError(_l("%(field)s is required", field=field), field)
        return None
    value = data[field]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValidationError(_l("%(field)s must be a positive integer id", field=field), field)
    return value


def query_id(args, name):
    """An optional id from a query argument: absent -> None, present -> 1..MAX_ID or 400."""
    raw = args.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise ValidationError(_l("%(field)s must be a positive integer id", field=name), name)
    return int(raw)


def query_choice(args, name, options):
    """An optional enumerated query argument: absent -> None, present -> one of options or 400."""
    raw = args.get(name)
    if raw is None:
        return None
    if raw not in options:
        raise ValidationError(_l("%(field)s must be one of %(choices)s", field=name,
                                 choices=", ".join(options)), name)
    return raw


def only_fields(data, allowed):
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(_l("unknown field %(field)s", field=unknown[0]), unknown[0])


# What an admin reading a list of names could take for one another: case, 0/o, 1/l/i, 5/s, rn/m,
# vv/w, and which separator stands between two parts.
_LOOKALIKE_PAIRS = (("rn", "m"), ("vv", "w"))
_LOOKALIKE_CHARS = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s", "_": ".", "-": "."})


def skeleton(name):
    """The form of a username two look-alike names share (`0livia`, `Olivia` and `olivia`)."""
    folded = name.lower()
    for pair, single in _LOOKALIKE_PAIRS:
        folded = folded.replace(pair, single)
    return folded.translate(_LOOKALIKE_CHARS)


def username(value):
    if not isinstance(value, str) or not USERNAME_RE.fullmatch(value):
        raise ValidationError(_l("username must be 3-64 letters and digits, with single _ . - "
                                 "between them (not at the start or end)"), "username")
    return value
