"""The webhook outbox's rules: who sends what next (claims), what an attempt's outcome changes
(backoff, giving up, disabling an endpoint), and what goes on the wire (signatures, Slack text)."""
import base64
import collections
import datetime
import hashlib
import hmac
import os
import socket
import uuid

import orjson

from server.store.database import db, is_postgres, sql
from server.store.outbox_models import Delivery, Mail, MailMark, Webhook
from server.store.times import as_time, db_time, iso
from server.services.record import eventlog
from server.services.core.backoff import retry_delay
from server.services.outbound import mention_limits

RETRY_FOR = datetime.timedelta(hours=72)  # a delivery is retried this long, then failed
DISABLE_AFTER = datetime.timedelta(hours=24)  # an endpoint failing this long is disabled
LEASE = datetime.timedelta(seconds=60)  # longer than one attempt (10 s timeout) by far
BATCH = 20

Claim = collections.namedtuple("Claim", "hook_id url format secrets deliveries failing",
                               defaults=(False,))
Message = collections.namedtuple("Message", "id msg_id event_type payload")

STATUS_WORDS = {"PENDING": "pending", "IN_PROGRESS": "in progress", "DONE": "done",
                "CANCELLED": "cancelled"}


def _due_endpoints(now, limit, failing):
    """Endpoints due now, healthy ones or those failing (a delivery failed since the last success)."""
    lock = " FOR UPDATE SKIP LOCKED" if is_postgres() else ""  # one claimant per endpoint
    return [row[0] for row in db.execute_sql(sql(
        "SELECT w.id FROM webhook w WHERE w.enabled = ? "
        "AND w.failing_since IS %sNULL " % ("NOT " if failing else "") +
        "AND (w.lease_until IS NULL OR w.lease_until < ?) "
        "AND (SELECT d.next_attempt_at FROM delivery d WHERE d.webhook_id = w.id "
        "AND d.status = 'pending' ORDER BY d.id LIMIT 1) <= ? ORDER BY w.id LIMIT ?" + lock),
        (True, db_time(now), db_time(now), limit)).fetchall()]


def active_secrets(hook, now):
    keep_old = hook.old_secret and hook.old_secret_until and as_time(hook.old_secret_until) > now
    return [hook.secret] + ([hook.old_secret] if keep_old else [])


def claim(owner, now, limit=8, failing_limit=None):
    """Lease the endpoints whose oldest pending delivery is due (for this worker alone) and
    return each with its next pending deliveries, in event order. Healthy endpoints come first;
    failing ones take at most `failing_limit` of the places, so hung receivers cannot hold them all."""
    healthy = _due_endpoints(now, limit, failing=False)
    room = min(limit - len(healthy), limit if failing_limit is None else failing_limit)
    ids = healthy + (_due_endpoints(now, room, failing=True) if room > 0 else [])
    if not ids:
        return []
    Webhook.update(lease_until=now + LEASE, lease_owner=owner).where(Webhook.id.in_(ids)).execute()
    claims = []
    for hook in Webhook.select().where(Webhook.id.in_(ids)).order_by(Webhook.id):
        rows = (Delivery.select(Delivery.id, Delivery.msg_id, Delivery.event_type, Delivery.payload)
                .where(Delivery.webhook == hook.id, Delivery.status == "pending")
                .order_by(Delivery.id).limit(BATCH))
        messages = [Message(r.id, r.msg_id, r.event_type, r.payload) for r in rows]
        claims.append(Claim(hook.id, hook.url, hook.format, active_secrets(hook, now), messages,
                            hook.failing_since is not None))
    return claims


def _held(hook_id, owner):
    hook = Webhook.get_or_none(Webhook.id == hook_id)
    return hook if hook is not None and hook.enabled and hook.lease_owner == owner else None


def record(hook_id, delivery_id, owner, outcome, now, base_seconds):
    """Write one attempt's outcome (code or None, duration ms, error text). True when the worker
    may send the endpoint's next delivery; False when it must stop (endpoint gone, disabled,
    lease lost, or this delivery must wait for its retry)."""
    code, duration_ms, error = outcome
    hook, row = _held(hook_id, owner), Delivery.get_or_none(Delivery.id == delivery_id)
    if hook is None or row is None or row.status != "pending":
        return False
    was_enabled = hook.enabled
    row.attempts += 1
    row.response_code, row.duration_ms, row.error = code, duration_ms, error[:500]
    hook.lease_until = now + LEASE
    if code is not None and 200 <= code < 300:
        row.status, row.finished_at, row.error, hook.failing_since = "delivered", now, "", None
    elif now - as_time(row.created_at) >= RETRY_FOR:
        row.status, row.finished_at = "failed", now  # gave up: the next delivery goes ahead
    else:
        row.next_attempt_at = now + datetime.timedelta(seconds=retry_delay(row.attempts, base_seconds))
        _count_failure(hook, now, error or "answered %s" % code)
    row.save()
    hook.save()
    if was_enabled and not hook.enabled:
        announce_disabled(hook, now)
    return row.status != "pending"


def announce_disabled(hook, now):
    """The admins' push event (and webhook) saying which endpoint stopped, and why."""
    eventlog.append("webhook.disabled", now=now, webhook={
        "id": hook.id, "url": hook.url, "description": hook.description,
        "disabled_reason": hook.disabled_reason,
        "failing_since": iso(as_time(hook.failing_since)) if hook.failing_since else None})


def _count_failure(hook, now, error):
    if hook.failing_since is None:
        hook.failing_since = now
    elif now - as_time(hook.failing_since) >= DISABLE_AFTER:
        hook.enabled = False
        hook.disabled_reason = ("disabled automatically: every delivery since %s failed "
                                "(last: %s)" % (iso(as_time(hook.failing_since)), error[:200]))


def release(hook_id, owner):
    Webhook.update(lease_until=None, lease_owner=None).where(
        Webhook.id == hook_id, Webhook.lease_owner == owner).execute()


def worker_name():
    """A worker's lease owner: host, process id and a random part ("host:pid:rand")."""
    return "%s:%d:%s" % (socket.gethostname()[:40], os.getpid(), uuid.uuid4().hex[:8])


def _dead_here(owner, me, alive):
    """Did `owner` run on this host in another process, one that is gone? Another host's owners
    are never judged, nor this process's (its other workers hold live leases)."""
    parts = owner.split(":")
    if len(parts) != 3 or not parts[1].isdigit() or parts[0] != me.split(":")[0]:
        return False
    pid = int(parts[1])
    return pid != os.getpid() and not alive(pid)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def release_orphans(me, alive=pid_alive):
    """At a worker's start: free the leases a process killed on this host left behind, so what it
    held goes out now rather than when the lease runs out. Returns (endpoints, mails) freed."""
    freed = []
    for model in (Webhook, Mail):
        owners = [row.lease_owner for row in model.select(model.lease_owner).distinct()
                  .where(model.lease_owner.is_null(False))]
        dead = [owner for owner in owners if _dead_here(owner, me, alive)]
        freed.append(model.update(lease_until=None, lease_owner=None)
                     .where(model.lease_owner.in_(dead)).execute() if dead else 0)
    return tuple(freed)


def depth():
    """Deliveries waiting to be sent (the outbox depth, for metrics)."""
    return Delivery.select().where(Delivery.status == "pending").count()


def prune(now, retention_days):
    """Forget delivered and failed deliveries and sent and failed mails finished before the
    retention window (and past digests' marks); pending ones stay whatever their age.
    Returns (deliveries, mails) removed."""
    cutoff = now - datetime.timedelta(days=retention_days)
    deliveries = Delivery.delete().where(Delivery.status.in_(("delivered", "failed")),
                                         Delivery.finished_at < cutoff).execute()
    mails = Mail.delete().where(Mail.status.in_(("sent", "failed")), Mail.finished_at < cutoff).execute()
    MailMark.delete().where(MailMark.key.startswith("digest:"), MailMark.created_at < cutoff).execute()
    mention_limits.prune(cutoff)
    return deliveries, mails


def sign(secrets, msg_id, timestamp, body):
    """The webhook-signature header: "v1,<base64 HMAC-SHA256>" per secret, space-separated, over
    "id.timestamp.body" keyed with the base64-decoded part of the whsec_ secret."""
    signed = b"%s.%d.%s" % (msg_id.encode(), timestamp, body)
    return " ".join("v1," + base64.b64encode(hmac.new(base64.b64decode(secret[6:]), signed,
                                                      hashlib.sha256).digest()).decode()
                    for secret in secrets)


def body_for(fmt, payload):
    """The request body: the push event as stored, or for Slack a `{"text"}` a person can read."""
    if fmt != "slack":
        return payload.encode()
    return orjson.dumps({"text": slack_escape(slack_text(orjson.loads(payload)))})


def slack_escape(text):
    """Slack reads `<!channel>`, `<@U…>` and `<url|label>` as commands and links: its formatting
    rules ask for &, < and > as entities. The texts below add none of their own, so escaping the
    whole text escapes every field put into it (names, titles, notes, comment bodies, URLs)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_text(event):
    task, employee = event.get("task"), event.get("employee")
    if event["type"] == "occupancy.changed" and employee:
        return "%s is now %s" % (_name(employee), employee["occupancy_status"].lower())
    if event["type"] == "webhook.disabled" and event.get("webhook"):
        return "Webhook endpoint %s was disabled: %s" % (event["webhook"]["url"],
                                                         event["webhook"]["disabled_reason"])
    sheet, absence = event.get("timesheet"), event.get("absence")
    if event["type"] == "timesheet.changed" and sheet:
        return "%s's timesheet for %s: %s" % (_name(sheet["user"]), sheet["week"], sheet["state"])
    if event["type"] == "absence.changed" and absence:
        return "%s's %s from %s to %s: %s" % (_name(absence["user"]), absence["kind"],
                                              absence["starts_on"], absence["ends_on"], absence["state"])
    if not task:
        return "Progress Tracker: %s" % event["type"]
    comment = event.get("comment")
    if event["type"] == "comment.created" and comment:
        return "%s commented on \u201c%s\u201d: %s" % (_name(comment["author"]), task["title"],
                                                        comment["body"])
    entry = event.get("entry")
    if event["type"].startswith("time_entry.") and entry:
        return time_text(event["type"], entry, task)
    who = _name(task.get("assignee")) or "nobody"
    state = "%d%%, %s" % (task["progress_percentage"], STATUS_WORDS.get(task["status"], task["status"]))
    if event["type"] == "task.created":
        return "New task \u201c%s\u201d for %s (%s)" % (task["title"], who, state)
    if event["type"] == "task.updated":
        note = (event.get("update") or {}).get("notes")
        line = "%s reported \u201c%s\u201d: %s" % (who, task["title"], state)
        return line + (" \u2014 %s" % note if note else "")
    return "Task \u201c%s\u201d (%s) changed: %s" % (task["title"], who, state)


TIME_VERBS = {"time_entry.started": "started the timer on", "time_entry.stopped": "stopped the timer on",
              "time_entry.added": "added time to", "time_entry.edited": "corrected time on",
              "time_entry.deleted": "removed time from"}


def time_text(kind, entry, task):
    """"Ann Lee stopped the timer on “Report” (25 min; 3 h 10 min tracked)"."""
    line = "%s %s \u201c%s\u201d" % (_name(entry.get("user")) or "someone", TIME_VERBS[kind], task["title"])
    details = []
    if kind != "time_entry.started" and entry.get("minutes") is not None:
        details.append(_minutes(entry["minutes"]))
    if task.get("tracked_minutes") is not None:
        details.append("%s tracked" % _minutes(task["tracked_minutes"]))
    return line + (" (%s)" % "; ".join(details) if details else "")


def _minutes(minutes):
    hours, rest = divmod(int(round(minutes)), 60)
    return "%d h %d min" % (hours, rest) if hours else "%d min" % rest


def _name(person):
    return (person.get("full_name") or person.get("username")) if person else None
