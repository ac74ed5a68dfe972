"""The tables of what the product sends out, each row written in the transaction of the change
that caused it: webhook endpoints and their deliveries, the mail outbox and the marks of mails
sent once, calendar feeds, and the keys the application generates for them."""
import peewee as pw

from server.store.models import BaseModel, User
from server.store.times import utcnow


class Webhook(BaseModel):
    """An admin's endpoint; `secret` signs, `old_secret` too until `old_secret_until` (rotation)."""
    url = pw.TextField()
    events = pw.TextField()  # JSON list of event types, or ["*"]
    format = pw.CharField(max_length=16, default="standard")
    description = pw.TextField(default="")
    secret = pw.CharField(max_length=64)
    old_secret = pw.CharField(max_length=64, null=True)
    old_secret_until = pw.DateTimeField(null=True)
    enabled = pw.BooleanField(default=True)
    disabled_reason = pw.TextField(default="")
    failing_since = pw.DateTimeField(null=True)
    lease_until = pw.DateTimeField(null=True)  # a worker is sending its deliveries until then
    lease_owner = pw.CharField(max_length=64, null=True)
    created_at = pw.DateTimeField(default=utcnow)


class Delivery(BaseModel):
    """The outbox: one row per event and endpoint, written in the event's own transaction."""
    webhook = pw.ForeignKeyField(Webhook, backref="deliveries", on_delete="CASCADE", index=False)
    event_id = pw.IntegerField()  # no foreign key: events are pruned, the log keeps its copy
    event_type = pw.CharField(max_length=32)
    msg_id = pw.CharField(max_length=64)  # the webhook-id header: msg_<event>_<endpoint>, kept by retries
    payload = pw.TextField()
    status = pw.CharField(max_length=16, default="pending")  # pending, delivered, failed
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField(default=utcnow)
    response_code = pw.IntegerField(null=True)
    duration_ms = pw.IntegerField(null=True)
    error = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)
    finished_at = pw.DateTimeField(null=True)


class CalendarFeed(BaseModel):
    """A user's feed token: only its SHA-256 is kept; the salt lets the owner see the URL again."""
    user = pw.ForeignKeyField(User, primary_key=True, backref="+", on_delete="CASCADE")
    salt = pw.CharField(max_length=64)
    token_hash = pw.CharField(max_length=64, unique=True)
    created_at = pw.DateTimeField(default=utcnow)


class AppSecret(BaseModel):
    """Keys the application generates once (the calendar token key when none is configured)."""
    name = pw.CharField(max_length=64, primary_key=True)
    value = pw.CharField(max_length=128)


class Mail(BaseModel):
    """The mail outbox: one rendered message, written in the transaction of what caused it."""
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE", index=False)
    kind = pw.CharField(max_length=16)  # assigned, mention, at_risk, overdue, digest
    recipient = pw.CharField(max_length=254)
    subject = pw.TextField()
    text_body = pw.TextField()
    html_body = pw.TextField()
    unsubscribe_url = pw.TextField()
    status = pw.CharField(max_length=16, default="pending")  # pending, sent, failed
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField(default=utcnow)
    error = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)
    finished_at = pw.DateTimeField(null=True)
    lease_until = pw.DateTimeField(null=True)  # a worker is sending it until then
    lease_owner = pw.CharField(max_length=64, null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)


class MailMark(BaseModel):
    """A mail that goes out once: "overdue:<task>:<due>", "digest:<user>:<local date>"."""
    key = pw.CharField(max_length=128, primary_key=True)
    created_at = pw.DateTimeField(default=utcnow)
