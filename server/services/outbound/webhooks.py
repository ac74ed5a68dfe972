"""Webhook endpoints: registration rules, the outbox rows written beside each event, the log."""
import base64
import datetime
import ipaddress
import json
import secrets
import socket
import urllib.parse

import peewee as pw
from tornado.netutil import DefaultLoopResolver

from server.store.database import db, sql
from server.store.outbox_models import Delivery, Webhook
from server.store.times import as_time, db_time, iso, utcnow
from server.services.core.errors import Conflict, NotFound, ValidationError
from server.services.core.validate import only_fields, require_object, text
from server.services.language.text import _l

# What an endpoint may subscribe to by name (the push events; SPEC 10.4).
EVENT_TYPES = ("task.created", "task.updated", "task.changed", "occupancy.changed",
               "comment.created", "comment.edited", "comment.deleted",
               "time_entry.started", "time_entry.stopped", "time_entry.added",
               "time_entry.edited", "time_entry.deleted", "timesheet.changed", "absence.changed",
               "webhook.disabled")
FORMATS = ("standard", "slack")
ROTATION_OVERLAP_HOURS = 24
LOG_PAGE = 100


def new_secret():
    """A Standard Webhooks secret: whsec_ and the base64 of 24 random bytes (the HMAC key)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64's well-known prefix
# (RFC 6052) and the deprecated IPv4-compatible ::/96. 6to4 (2002::/16) has its own accessor;
# Teredo (2001::/32) is not globally routed, so it is refused whole.
_V4_IN_LAST_32 = [ipaddress.ip_network(net) for net in ("64:ff9b::/96", "::/96")]
# RFC 8215's local-use NAT64 prefix: a site maps it as it likes, so no address in it is public.
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


def _embedded_v4(ip):
    """The IPv4 address a translated or tunnelled IPv6 form reaches, which is what gets checked
    (`[64:ff9b::a9fe:a9fe]` is 169.254.169.254 through a NAT64 gateway)."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if any(ip in net for net in _V4_IN_LAST_32) and int(ip) > 1:  # :: and ::1 are themselves
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refused_address(address):
    """Why an IP address may not be a target (None when it may): only globally routed ones may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        if ip in _LOCAL_NAT64:
            return "%s is a local-use NAT64 address" % ip
        ip = _embedded_v4(ip) or ip
    if ip.is_global and not ip.is_multicast:
        return None
    kind = ("loopback" if ip.is_loopback else "link-local" if ip.is_link_local
            else "private" if ip.is_private else "non-public")
    return "%s is a %s address" % (ip, kind)


# Where a refused address points, in words an admin reads on the integrations page.
PLACES = (("loopback", _l("this server itself")),
          ("link-local", _l("a link-local address, such as a cloud metadata service")),
          ("private", _l("a private network")))


def refused_target_words(host, address, reason):
    """The integrations page's sentence for a URL whose host resolves to `address`, which
    refused_address refuses (`reason`)."""
    where = next((words for kind, words in PLACES if kind in reason),
                 _l("an address that is not on the public internet"))
    if address != host:
        where = _l("%(place)s (%(address)s)", place=where, address=address)
    return _l("The tracker does not send events to %(host)s: it points to %(place)s. Use an address "
              "on the public internet, or ask whoever runs the tracker to allow private targets "
              "(TRACKER_WEBHOOK_ALLOW_PRIVATE=true).", host=host, place=where)


def parse_url(value):
    """An http(s) URL with a host; (url, host). Addresses are checked by the caller."""
    url = text({"url": value}, "url", 2000, min_len=1, required=True).strip()
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValidationError(_l("url is not a valid URL"), "url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_l("url must be an http:// or https:// address with a host"), "url")
    if parts.username or parts.password:
        raise ValidationError(_l("url must not carry credentials; the signature authenticates"), "url")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValidationError(_l("url must not contain spaces or control characters"), "url")
    return url, parts.hostname


def parse_events(value):
    if not isinstance(value, list) or not value or len(value) > len(EVENT_TYPES):
        raise ValidationError(_l('events must be a non-empty list of event types, or ["*"]'), "events")
    if value == ["*"]:
        return value
    for item in value:
        if item not in EVENT_TYPES:
            raise ValidationError(_l("events: %(item)s is not one of %(choices)s, or *",
                                     item=item, choices=', '.join(EVENT_TYPES)), "events")
    return sorted(set(value))


def parse_endpoint(data, partial=False):
    """Fields of a new endpoint (or, partial, of an edit); the URL's host is resolved later."""
    require_object(data)
    only_fields(data, ("url", "events", "format", "description") + (("enabled",) if partial else ()))
    fields = {}
    if "url" in data or not partial:
        fields["url"], fields["host"] = parse_url(data.get("url"))
    if "events" in data or not partial:
        fields["events"] = parse_events(data.get("events"))
    if "format" in data or not partial:
        fmt = data.get("format", "standard")
        if fmt not in FORMATS:
            raise ValidationError(_l("format must be standard or slack"), "format")
        fields["format"] = fmt
    if "description" in data:
        fields["description"] = text(data, "description", 500)
    if "enabled" in data:
        if not isinstance(data["enabled"], bool):
            raise ValidationError(_l("enabled must be true or false"), "enabled")
        fields["enabled"] = data["enabled"]
    return fields


def endpoint_dict(hook, pending=None):
    rotating = hook.old_secret_until if hook.old_secret else None
    body = {"id": hook.id, "url": hook.url, "events": json.loads(hook.events), "format": hook.format,
            "description": hook.description, "enabled": hook.enabled,
            "disabled_reason": hook.disabled_reason or None,
            "failing_since": iso(_time(hook.failing_since)), "old_secret_expires_at": iso(_time(rotating)),
            "created_at": iso(_time(hook.created_at))}
    if pending is not None:
        body["pending"] = pending
    return body


def _time(value):
    return as_time(value) if value is not None else None


def create(fields, now=None):
    hook = Webhook.create(url=fields["url"], events=json.dumps(fields["events"]),
                          format=fields["format"], description=fields.get("description", ""),
                          secret=new_secret(), created_at=now or utcnow())
    return dict(endpoint_dict(hook, pending=0), secret=hook.secret)


def get(hook_id):
    hook = Webhook.get_or_none(Webhook.id == hook_id)
    if hook is None:
        raise NotFound(_l("webhook %(hook_id)s does not exist", hook_id=hook_id))
    return hook


def pending_counts():
    rows = (Delivery.select(Delivery.webhook, pw.fn.COUNT(Delivery.id))
            .where(Delivery.status == "pending").group_by(Delivery.webhook).tuples())
    return dict(rows)


def all_endpoints():
    counts = pending_counts()
    return [endpoint_dict(hook, counts.get(hook.id, 0)) for hook in Webhook.select().order_by(Webhook.id)]


def edit(hook_id, fields):
    hook = get(hook_id)
    for name in ("url", "format", "description"):
        if name in fields:
            setattr(hook, name, fields[name])
    if "events" in fields:
        hook.events = json.dumps(fields["events"])
    if fields.get("enabled") is True and not hook.enabled:  # a fresh start: 24 h before the next
        hook.enabled, hook.disabled_reason, hook.failing_since = True, "", None
    elif fields.get("enabled") is False:
        hook.enabled, hook.disabled_reason = False, "disabled by an admin"
    hook.save()
    return endpoint_dict(hook, pending_counts().get(hook.id, 0))


def delete(hook_id):
    """Remove the endpoint; its queued deliveries go with it (a worker holding one stops)."""
    if Webhook.delete().where(Webhook.id == get(hook_id).id).execute() == 0:
        raise NotFound(_l("webhook %(hook_id)s does not exist", hook_id=hook_id))


def rotate_secret(hook_id, now=None):
    """A new secret; the old one keeps signing beside it for 24 h so receivers can switch."""
    now = now or utcnow()
    hook = get(hook_id)
    hook.old_secret, hook.secret = hook.secret, new_secret()
    hook.old_secret_until = now + datetime.timedelta(hours=ROTATION_OVERLAP_HOURS)
    hook.save()
    return dict(endpoint_dict(hook), secret=hook.secret)


async def check_target(host, allow_private):
    """400 for a host that is, or resolves to, an address webhooks may not reach. The worker
    checks again at every send (a name may change what it points to)."""
    if allow_private:
        return
    try:
        found = await DefaultLoopResolver().resolve(host, 443, socket.AF_UNSPEC)
    except (OSError, ValueError):
        raise ValidationError(_l("The host %(host)s cannot be found: check the address for a typo.",
                                 host=host), "url") from None
    for _family, address in found:
        reason = refused_address(address[0])
        if reason:
            raise ValidationError(refused_target_words(host, address[0], reason), "url")


def on_event(event):
    """The event log's consumer (make_app subscribes it): the outbox rows of an appended event."""
    return enqueue(event.id, event.type, event.payload, event.at)


def enqueue(event_id, type_, payload, now):
    """The outbox rows of one event, in the event's own transaction: a crash after COMMIT loses
    none, a rollback writes none. One statement per event, however many endpoints; the message
    id names the event and the endpoint, so it is the same on every retry."""
    cursor = db.execute_sql(sql(
        "INSERT INTO delivery (webhook_id, event_id, event_type, msg_id, payload, status, attempts, "
        "next_attempt_at, error, created_at) SELECT w.id, ?, ?, 'msg_' || ? || '_' || w.id, ?, "
        "'pending', 0, ?, '', ? FROM webhook w WHERE w.enabled = ? AND (w.events = ? OR w.events LIKE ?)"),
        (event_id, type_, str(event_id), payload, db_time(now), db_time(now), True, '["*"]',
         '%%"%s"%%' % type_))
    return cursor.rowcount


def delivery_dict(row):
    return {"id": row.id, "event_id": row.event_id, "event_type": row.event_type,
            "webhook_id": row.msg_id, "status": row.status, "attempts": row.attempts,
            "response_code": row.response_code, "duration_ms": row.duration_ms,
            "error": row.error or None, "created_at": iso(_time(row.created_at)),
            "next_attempt_at": iso(_time(row.next_attempt_at)) if row.status == "pending" else None,
            "finished_at": iso(_time(row.finished_at))}


def deliveries(hook_id, before=None):
    """The delivery log of one endpoint, newest first, a page at a time (`before`: an id)."""
    query = Delivery.select().where(Delivery.webhook == get(hook_id).id)
    if before is not None:
        query = query.where(Delivery.id < before)
    return [delivery_dict(row) for row in query.order_by(Delivery.id.desc()).limit(LOG_PAGE)]


def redeliver(hook_id, delivery_id, now=None):
    """Queue the delivery again as a new row at the end of the endpoint's order, with the same
    webhook-id: a receiver that did process it recognises the message."""
    hook = get(hook_id)
    row = Delivery.get_or_none(Delivery.id == delivery_id, Delivery.webhook == hook.id)
    if row is None:
        raise NotFound(_l("delivery %(delivery_id)s of webhook %(hook_id)s does not exist",
                          delivery_id=delivery_id, hook_id=hook_id))
    if not hook.enabled:
        raise Conflict(_l("the endpoint is disabled: enable it first"))
    now = now or utcnow()
    copy = Delivery.create(webhook=hook.id, event_id=row.event_id, event_type=row.event_type,
                           msg_id=row.msg_id, payload=row.payload, next_attempt_at=now,
                           created_at=now)
    return delivery_dict(copy)
