"""The webhook worker: follows committed events like the other bus observers and sends the outbox.

It lives beside the bus because it is woken by the same thing (a commit here, a NOTIFY or poll
from another process) and, like the sockets, must never hold up the event loop: every database
step goes through the writer thread, every send is an async fetch with a hard timeout."""
import asyncio
import logging
import socket
import time

import tornado.ioloop
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.netutil import DefaultLoopResolver, Resolver

from server.services.outbound import webhook_outbox as outbox
from server.services.outbound.webhooks import refused_address
from server.store.times import utcnow
from server.store import outage

log = logging.getLogger("tracker.webhooks")
BODY_KEEP = 4096  # bytes of a response read; the rest is cut off
PARALLEL = 8  # endpoints sent to at once by one process
# Of those, at most this many may be endpoints that are failing: hung receivers that accept and
# never answer cannot take every place, and a healthy endpoint always finds one free.
FAILING_PARALLEL = 4
FAILING_TIMEOUT_SHARE = 0.25  # a failing endpoint gets this share of webhook_timeout_seconds (>= 1 s)
USER_AGENT = "ProgressTracker-Webhooks/1"
PRUNE_EVERY = 3600  # seconds between prunings of finished deliveries and mails


class RefusedTarget(OSError):
    """The target resolved to an address webhooks may not reach."""


class SafeResolver(Resolver):
    """Checks the addresses a name resolves to at send time, the ones actually connected to:
    a name that passed at registration and now points inside (DNS rebinding) is refused."""

    def initialize(self, allow_private=False):
        self.inner, self.allow_private = DefaultLoopResolver(), allow_private

    async def resolve(self, host, port, family=socket.AF_UNSPEC):
        found = await self.inner.resolve(host, port, family)
        if not self.allow_private:
            for _family, address in found:
                reason = refused_address(address[0])
                if reason:
                    raise RefusedTarget("refused: %s resolves to %s" % (host, reason))
        return found


class _Cut(Exception):
    """The response body passed BODY_KEEP: stop reading it."""


class Attempt:
    """One HTTP attempt: the status line and the first few KiB of the body, nothing more."""

    def __init__(self):
        self.code, self.body = None, b""

    def header(self, line):
        if self.code is None and line.startswith("HTTP/"):
            parts = line.split()
            self.code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None

    def chunk(self, data):
        self.body += data[:BODY_KEEP - len(self.body)]
        if len(self.body) >= BODY_KEEP:
            raise _Cut()


def _unless_stopping(fetch):
    """The fetch, shielded: at shutdown the loop cancels the task awaiting it, and a fetch future
    cancelled under a connection still open logs "Exception after Future was cancelled" when
    that connection times out. Shielded, the fetch ends in its own time and its outcome (read
    here, so asyncio does not report it as never retrieved) is dropped."""
    fetch.add_done_callback(lambda done: done.cancelled() or done.exception())
    return asyncio.shield(fetch)


class Deliveries:
    def __init__(self, writer, settings, clock=utcnow):
        self.writer, self.clock = writer, clock
        self.timeout = settings["webhook_timeout_seconds"]
        self.failing_timeout = min(self.timeout, max(1.0, self.timeout * FAILING_TIMEOUT_SHARE))
        self.retry_base = settings["webhook_retry_seconds"]
        self.owner = outbox.worker_name()
        self.allow_private = settings["webhook_allow_private"]
        self.retention_days = settings["outbox_retention_days"]
        self.client = None  # made in start(): it belongs to the running loop
        self.inflight, self.inflight_failing = set(), set()
        self._claiming = False
        self._timer = None

    def observe(self, _items):
        """A bus observer: new events may have queued deliveries."""
        self.wake()

    def wake(self):
        if self.client is not None and not self._claiming:
            self._claiming = True
            asyncio.ensure_future(self._claim())

    def start(self, poll_seconds=1.0):
        self.client = AsyncHTTPClient(force_instance=True, max_clients=PARALLEL,
                                      resolver=SafeResolver(allow_private=self.allow_private))
        self._timer = tornado.ioloop.PeriodicCallback(self.wake, poll_seconds * 1000)
        self._timer.start()
        self._pruner = tornado.ioloop.PeriodicCallback(self.prune, PRUNE_EVERY * 1000, jitter=0.1)
        self._pruner.start()
        asyncio.ensure_future(self._recover())
        self.prune()

    async def _recover(self):
        """Free what a process killed on this host held, then send what a crash left queued."""
        try:
            freed = await self.writer.submit(outbox.release_orphans, self.owner)
            if any(freed):
                log.info("freed the leases of a stopped process: %d endpoints, %d mails", *freed)
        except Exception as exc:  # the leases run out by themselves
            if not outage.expected(exc, "webhook outbox"):
                log.warning("could not free stale leases: %s", exc)
        self.wake()

    def stop(self):
        if self._timer:
            self._timer.stop()
            self._pruner.stop()
        if self.client:
            self.client.close()

    def prune(self):
        asyncio.ensure_future(self._prune())

    async def _prune(self):
        try:
            await self.writer.submit(outbox.prune, self.clock(), self.retention_days)
        except Exception as exc:  # the next round tries again
            if not outage.expected(exc, "webhook outbox"):
                log.warning("could not prune the outbox: %s", exc)

    async def _claim(self):
        try:
            room = PARALLEL - len(self.inflight)
            failing_room = FAILING_PARALLEL - len(self.inflight_failing)
            claims = await self.writer.submit(outbox.claim, self.owner, self.clock(), room,
                                              failing_room) if room else []
        except Exception as exc:  # the database is away: the next poll tries again
            if not outage.expected(exc, "webhook outbox"):
                log.warning("could not claim webhook deliveries: %s", exc)
            claims = []
        finally:
            self._claiming = False
        for claim in claims:
            self.inflight.add(claim.hook_id)
            if claim.failing:
                self.inflight_failing.add(claim.hook_id)
            asyncio.ensure_future(self._send_all(claim))

    async def _send_all(self, claim):
        try:
            for message in claim.deliveries:
                outcome = await self.send(claim, message)
                keep_going = await self.writer.submit(outbox.record, claim.hook_id, message.id,
                                                      self.owner, outcome, self.clock(),
                                                      self.retry_base)
                if not keep_going:
                    break
        except asyncio.CancelledError:  # shutting down: the writer is gone, so no release is
            raise  # awaited (it never would end); the lease runs out, or the next start frees it
        except Exception as exc:
            if not outage.expected(exc, "webhook outbox"):
                log.exception("webhook %d: delivery bookkeeping failed", claim.hook_id)
        await self._release(claim.hook_id)

    async def _release(self, hook_id):
        try:
            await self.writer.submit(outbox.release, hook_id, self.owner)
        except Exception as exc:  # the lease runs out by itself
            if not outage.expected(exc, "webhook outbox"):
                log.warning("webhook %d: could not release its lease: %s", hook_id, exc)
        self.inflight.discard(hook_id)
        self.inflight_failing.discard(hook_id)
        self.wake()

    async def send(self, claim, message):
        """(status code or None, duration in ms, error text): never raises."""
        body = outbox.body_for(claim.format, message.payload)
        stamp = int(time.time())
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   "webhook-id": message.msg_id, "webhook-timestamp": str(stamp),
                   "webhook-signature": outbox.sign(claim.secrets, message.msg_id, stamp, body)}
        attempt = Attempt()
        timeout = self.failing_timeout if claim.failing else self.timeout
        request = HTTPRequest(claim.url, method="POST", body=body, headers=headers,
                              follow_redirects=False, connect_timeout=timeout,
                              request_timeout=timeout, header_callback=attempt.header,
                              streaming_callback=attempt.chunk, decompress_response=False)
        started = time.monotonic()
        error = ""
        try:
            response = await _unless_stopping(self.client.fetch(request, raise_error=False))
            attempt.code = response.code if response.code != 599 else attempt.code
            if response.error and attempt.code is None:
                error = str(response.error)
        except _Cut:
            pass  # the status line arrived; the rest of the body is not our business
        except Exception as exc:
            error = "%s: %s" % (type(exc).__name__, exc) if not isinstance(exc, RefusedTarget) else str(exc)
        took = int((time.monotonic() - started) * 1000)
        if attempt.code is not None and not 200 <= attempt.code < 300 and not error:
            error = "answered %d: %s" % (attempt.code, attempt.body[:200].decode("utf-8", "replace"))
        return attempt.code if not error or attempt.code else None, took, error
