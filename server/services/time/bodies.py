"""The bodies of timer starts, stops and new entries: instants from the server's clock, from a
client's elapsed seconds, or (a manual entry a person typed) from the dates typed."""
from server.services.core import idempotency, validate
from server.services.core.errors import ValidationError
from server.services.time.rules import NOTE_MAX, SOURCES
from server.services.time.instants import ENTRY_AGO, TIMER_AGO, back, seconds_ago, wall_clock
from server.services.language.text import _l

TYPED = ("started_at", "ended_at")
ELAPSED = ("started_ago_seconds", "ended_ago_seconds")


def _key(data):
    return idempotency.key_of(data, "client_entry_id")


def _instant(data, field, received):
    """`started_at` (within the clock skew: now) or `started_ago_seconds`; not both; None: now."""
    ago_field = field.replace("_at", "_ago_seconds")
    if data.get(field) is not None and data.get(ago_field) is not None:
        raise ValidationError(_l("send %(field)s or %(ago_field)s, not both",
                                 field=field, ago_field=ago_field), ago_field)
    ago = seconds_ago(data, ago_field, TIMER_AGO)
    return back(received, ago) if ago is not None else wall_clock(data, field, received)


def parse_start(data, received):
    """A start's optional fields: client_entry_id (a resend answers the entry as it now is) and
    when it started — `started_ago_seconds` for a start recorded while the server did not answer."""
    validate.require_object(data)
    validate.only_fields(data, ("started_at", "started_ago_seconds", "client_entry_id"))
    return {"started_at": _instant(data, "started_at", received), "client_entry_id": _key(data),
            "elapsed": data.get("started_ago_seconds") is not None}


def parse_stop(data, received):
    validate.require_object(data)
    validate.only_fields(data, ("ended_at", "ended_ago_seconds", "client_entry_id"))
    return {"ended_at": _instant(data, "ended_at", received), "client_entry_id": _key(data)}


def _span(data, received):
    """(start, end, elapsed seconds or None): typed dates, or elapsed seconds — one pair whole."""
    elapsed = [name for name in ELAPSED if data.get(name) is not None]
    if elapsed and any(data.get(name) is not None for name in TYPED):
        raise ValidationError(_l("send started_at and ended_at (typed), or started_ago_seconds and "
                                 "ended_ago_seconds (measured), not both"), elapsed[0])
    if elapsed:
        for name in ELAPSED:
            if data.get(name) is None:
                raise ValidationError(_l("%(name)s is required", name=name), name)
        started, ended = (seconds_ago(data, name, ENTRY_AGO) for name in ELAPSED)
        if ended >= started:
            raise ValidationError(_l("ended_ago_seconds must be less than started_ago_seconds"),
                                  "ended_ago_seconds")
        return back(received, started), back(received, ended), round(started - ended)
    for name in TYPED:
        if data.get(name) is None:
            raise ValidationError(_l("%(name)s is required", name=name), name)
    return (validate.parse_datetime(data["started_at"], "started_at"),
            validate.parse_datetime(data["ended_at"], "ended_at"), None)


def parse_entry(data, received):
    """The fields of a new entry: its span, note, source, client_entry_id. A timer recorded
    offline sends elapsed seconds and is `timer` unless it says otherwise; typed dates `manual`."""
    validate.require_object(data)
    validate.only_fields(data, TYPED + ELAPSED + ("note", "source", "client_entry_id"))
    key = _key(data)
    start, end, elapsed = _span(data, received)
    fields = {"started_at": start, "ended_at": end, "note": validate.text(data, "note", NOTE_MAX),
              "source": validate.choice(data, "source", SOURCES,
                                        default="manual" if elapsed is None else "timer"),
              "client_entry_id": key}
    if elapsed is not None:
        fields["elapsed_seconds"] = elapsed
    return fields
