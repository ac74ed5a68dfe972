"""The outbox's rules with an injected clock: backoff, giving up, disabling, leases, event order."""
import datetime
import json
import os
import random

import pytest

from server.services.core import backoff
from server.services.outbound import webhook_outbox as outbox, webhooks
from server.store.database import db
from server.store.models import Event
from server.store.outbox_models import Delivery, Mail, Webhook

T0 = datetime.datetime(2030, 1, 1, 9, 0, 0)
OWNER = "test-worker"


def at(**delta):
    return T0 + datetime.timedelta(**delta)


def make_hook(events=("*",)):
    return webhooks.create({"url": "http://127.0.0.1:9/x", "events": list(events), "format": "standard"},
                           now=T0)["id"]


def event(event_id, type_="task.created", now=T0):
    with db.atomic():
        return webhooks.enqueue(event_id, type_, '{"id": %d, "type": "%s"}' % (event_id, type_), now)


def test_backoff_grows_with_jitter_and_the_first_retry_is_within_30_s():
    rng = random.Random(7)
    firsts = [backoff.retry_delay(1, 20.0, rng) for _ in range(200)]
    assert all(10.0 <= d <= 20.0 for d in firsts) and len(set(firsts)) > 100
    steps = [backoff.retry_delay(n, 20.0, random.Random(1)) for n in range(1, 30)]
    assert all(b > a for a, b in zip(steps[:10], steps[1:11]))
    assert max(steps) <= backoff.MAX_DELAY


def test_the_outbox_row_is_part_of_the_events_transaction(database):
    make_hook()
    with pytest.raises(RuntimeError):
        with db.atomic():
            webhooks.enqueue(1, "task.created", "{}", T0)
            raise RuntimeError("the change is refused after its event was written")
    assert Delivery.select().count() == 0
    assert event(2) == 1 and Delivery.select().count() == 1


def test_only_subscribed_and_enabled_endpoints_get_a_row(database):
    created, anything = make_hook(["task.created"]), make_hook()
    off = make_hook()
    webhooks.edit(off, {"enabled": False})
    event(1, "occupancy.changed")
    event(2, "task.created")
    rows = [(d.webhook_id, d.event_id) for d in Delivery.select().order_by(Delivery.id)]
    assert rows == [(anything, 1), (created, 2), (anything, 2)]


def test_a_claimed_endpoint_is_not_claimed_again_until_its_lease_ends(database):
    hook = make_hook()
    event(1)
    first = outbox.claim(OWNER, at(seconds=1))
    assert [c.hook_id for c in first] == [hook] and len(first[0].deliveries) == 1
    assert outbox.claim("other", at(seconds=2)) == []
    assert [c.hook_id for c in outbox.claim("other", at(seconds=1) + outbox.LEASE * 2)] == [hook]


def test_a_failing_head_holds_back_later_events_in_order(database):
    hook = make_hook()
    event(1)
    event(2)
    claim = outbox.claim(OWNER, at(seconds=1))[0]
    assert [m.msg_id for m in claim.deliveries] == [d.msg_id for d in Delivery.select().order_by(Delivery.id)]
    keep = outbox.record(hook, claim.deliveries[0].id, OWNER, (500, 12, "answered 500"), at(seconds=1), 20.0)
    assert keep is False
    outbox.release(hook, OWNER)
    head = Delivery.get_by_id(claim.deliveries[0].id)
    retry_at = head.next_attempt_at
    assert head.attempts == 1 and at(seconds=11) <= retry_at <= at(seconds=21)
    assert outbox.claim(OWNER, at(seconds=5)) == []  # event 2 is due, but waits behind event 1
    again = outbox.claim(OWNER, retry_at)[0]
    assert again.deliveries[0].msg_id == head.msg_id
    assert outbox.record(hook, head.id, OWNER, (204, 5, ""), retry_at, 20.0) is True
    assert Delivery.get_by_id(head.id).status == "delivered"
    assert Webhook.get_by_id(hook).failing_since is None


def fail(hook, delivery_id, now):
    outbox.claim(OWNER, now)
    outbox.record(hook, delivery_id, OWNER, (None, 3, "ConnectionRefusedError"), now, 20.0)
    outbox.release(hook, OWNER)


def test_an_endpoint_failing_for_24_hours_is_disabled_with_the_reason(database):
    hook = make_hook()
    event(1)
    delivery = Delivery.get()
    for hours in (0, 6, 12, 23):
        fail(hook, delivery.id, at(hours=hours))
        Delivery.update(next_attempt_at=T0).execute()  # the injected clock jumps; make it due
    assert Webhook.get_by_id(hook).enabled
    fail(hook, delivery.id, at(hours=24, seconds=1))
    hook_row = Webhook.get_by_id(hook)
    assert not hook_row.enabled and "ConnectionRefusedError" in hook_row.disabled_reason
    assert "since 2030-01-01T09:00:00" in hook_row.disabled_reason
    assert Delivery.get_by_id(delivery.id).status == "pending"  # kept for when it is enabled again
    [told] = Event.select().where(Event.type == "webhook.disabled")
    assert told.subject_id is None  # no subject: the fan-out shows it to admins only
    said = json.loads(told.payload)["webhook"]
    assert said["id"] == hook and said["disabled_reason"] == hook_row.disabled_reason
    assert Delivery.select().count() == 1  # the disabled endpoint is not sent its own news
    fail(hook, delivery.id, at(hours=30))
    assert Event.select().where(Event.type == "webhook.disabled").count() == 1  # said once
    assert outbox.claim(OWNER, at(hours=25)) == []
    webhooks.edit(hook, {"enabled": True})
    assert Webhook.get_by_id(hook).failing_since is None


def test_finished_rows_older_than_the_retention_are_pruned_and_pending_ones_kept(database):
    hook = make_hook()
    for event_id in (1, 2, 3, 4):
        event(event_id, now=at(days=event_id))
    rows = list(Delivery.select().order_by(Delivery.id))
    Delivery.update(status="delivered", finished_at=at(days=1)).where(Delivery.id == rows[0].id).execute()
    Delivery.update(status="failed", finished_at=at(days=2)).where(Delivery.id == rows[1].id).execute()
    Delivery.update(status="delivered", finished_at=at(days=20)).where(Delivery.id == rows[2].id).execute()
    assert outbox.prune(at(days=31, hours=12), 30) == (1, 0)  # only the one finished on day 1
    assert outbox.prune(at(days=40), 30) == (1, 0)
    assert [d.id for d in Delivery.select().order_by(Delivery.id)] == [rows[2].id, rows[3].id]
    assert outbox.prune(at(days=400), 30) == (1, 0)
    assert [(d.id, d.status) for d in Delivery.select()] == [(rows[3].id, "pending")]
    assert Webhook.get_by_id(hook).enabled


def test_comment_events_may_be_subscribed_to_by_name(database):
    commented = make_hook(["comment.created", "comment.deleted"])
    assert webhooks.parse_events(["comment.edited", "comment.created"]) == ["comment.created",
                                                                           "comment.edited"]
    for event_id, type_ in enumerate(("comment.created", "comment.edited", "comment.deleted"), 1):
        event(event_id, type_)
    assert [(d.webhook_id, d.event_type) for d in Delivery.select().order_by(Delivery.id)] == [
        (commented, "comment.created"), (commented, "comment.deleted")]


def test_a_delivery_is_given_up_after_72_hours(database):
    hook = make_hook()
    event(1)
    event(2)
    first = Delivery.select().order_by(Delivery.id).first()
    Webhook.update(failing_since=None).execute()
    outbox.claim(OWNER, at(hours=72))
    assert outbox.record(hook, first.id, OWNER, (502, 9, "answered 502"), at(hours=72), 20.0) is True
    assert Delivery.get_by_id(first.id).status == "failed"


def test_a_lost_lease_or_a_deleted_endpoint_stops_the_worker(database):
    hook = make_hook()
    event(1)
    claim = outbox.claim(OWNER, at(seconds=1))[0]
    assert outbox.record(hook, claim.deliveries[0].id, "someone-else", (200, 1, ""), at(seconds=2), 20.0) is False
    webhooks.delete(hook)
    assert outbox.record(hook, claim.deliveries[0].id, OWNER, (200, 1, ""), at(seconds=2), 20.0) is False
    assert Delivery.select().count() == 0


def test_signature_matches_the_standard_webhooks_example():
    # The example of the Standard Webhooks specification's reference libraries.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert outbox.sign([secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == \
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_secrets_rotated_more_than_a_day_ago_stop_signing(database):
    hook_id = make_hook()
    webhooks.rotate_secret(hook_id, now=T0)
    hook = Webhook.get_by_id(hook_id)
    assert len(outbox.active_secrets(hook, at(hours=23))) == 2
    assert outbox.active_secrets(hook, at(hours=24, seconds=1)) == [hook.secret]


def test_a_restart_frees_the_leases_of_a_process_killed_on_this_host_only(database):
    hooks = [make_hook() for _ in range(4)]
    event(1)
    me = outbox.worker_name()
    host, pid, _rand = me.split(":")
    owners = ["%s:999999:dead" % host,  # this host, a pid that is gone: freed
              "%s:%d:live" % (host, os.getppid()),  # this host, a live process: kept
              "%s:%s:sibling" % (host, pid),  # this process's other worker: kept
              "elsewhere:999999:x"]  # another host: never judged from here
    for hook, owner in zip(hooks, owners):
        Webhook.update(lease_until=at(hours=1), lease_owner=owner).where(Webhook.id == hook).execute()
    alive = lambda pid: pid != 999999  # noqa: E731
    assert outbox.release_orphans(me, alive) == (1, 0)
    assert [Webhook.get_by_id(h).lease_owner for h in hooks] == [None] + owners[1:]
    assert outbox.release_orphans(me, alive) == (0, 0)
    assert Mail.select().count() == 0
