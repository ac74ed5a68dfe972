"""Prometheus metrics of one app: its own registry, the requests it answered, and the state of its
writer and push path, read when scraped (docs/operations.md lists every metric)."""
import ipaddress
import re

from prometheus_client import (CollectorRegistry, Counter, GCCollector, Histogram,
                               PlatformCollector, ProcessCollector, generate_latest)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                   30.0, 60.0)  # long-polls wait up to 60 s
GROUP_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
COMMIT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)
# A label value an attacker picks (a made-up method, a random path) would grow the label set
# without bound: only these methods are named, and paths are named by their route.
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))


def route_label(pattern):
    """/api/task/([0-9]{1,12})/progress/ -> /api/task/{id}/progress/; /dashboard/.* -> /dashboard/*"""
    label = re.sub(r"\((?:\?P<(\w+)>)?(?:[^()\\]|\\.)*\)", lambda m: "{%s}" % (m.group(1) or "id"),
                   pattern)
    return label.replace(".*", "*").replace("\\", "")


def parse_allow(text):
    """metrics_allow: comma-separated addresses or CIDR networks; ValueError names a bad one."""
    networks = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError("metrics_allow (TRACKER_METRICS_ALLOW): %r is neither an address nor "
                             "a network such as 10.0.0.0/8" % part) from None
    return tuple(networks)


class Metrics:
    """Owned by one application (never the library's global registry): tests and several apps in
    one process each count their own."""

    def __init__(self, settings):
        self.allow = parse_allow(settings["metrics_allow"])
        self.registry = reg = CollectorRegistry()
        for collector in (ProcessCollector, PlatformCollector, GCCollector):
            collector(registry=reg)
        self.requests = Counter("tracker_http_requests", "Requests answered, by route pattern, "
                                "method and status", ("route", "method", "status"), registry=reg)
        self.latency = Histogram("tracker_http_request_duration_seconds", "Time from the request's "
                                 "start to its answer", ("route", "status"),
                                 buckets=LATENCY_BUCKETS, registry=reg)
        self.db_errors = Counter("tracker_database_errors", "Database errors: a request answered "
                                 "503 (where=request) or a failed group commit (where=writer)",
                                 ("where",), registry=reg)
        self.group_size = Histogram("tracker_writer_group_size", "Writes committed together in "
                                    "one transaction", buckets=GROUP_BUCKETS, registry=reg)
        self.commit_seconds = Histogram("tracker_writer_commit_seconds", "Time to run and COMMIT "
                                        "one group of writes", buckets=COMMIT_BUCKETS, registry=reg)
        self.routes = {}
        self._series = {}

    def name_routes(self, rules):
        """Label each handler class with its route pattern (the first, if it serves several)."""
        for pattern, handler, *_rest in rules:
            self.routes.setdefault(handler, route_label(pattern))

    def watch(self, sockets, writer, bus):
        self.registry.register(PushCollector(sockets, writer, bus))

    def watch_outages(self, outages):
        self.registry.register(OutageCollector(outages))

    def watch_outbox(self, depths):
        """`depths()` -> {"webhook": n, "mail": n}, read at each scrape."""
        self.registry.register(OutboxCollector(depths))

    def observe_request(self, handler):
        """Tornado's log_function hook: once per request, when it is answered."""
        request, status = handler.request, handler.get_status()
        key = (type(handler), request.method, status)
        series = self._series.get(key)
        if series is None:
            route = self.routes.get(type(handler), "other")
            method = request.method if request.method in METHODS else "other"
            series = self._series[key] = (self.requests.labels(route, method, str(status)),
                                          self.latency.labels(route, str(status)))
        series[0].inc()
        series[1].observe(request.request_time())

    def observing(self, log_function):
        def log_request(handler):
            self.observe_request(handler)
            log_function(handler)
        return log_request

    def writer_group(self, size, seconds, failed):
        """The writer's hook (its thread; the library's metrics are thread-safe)."""
        self.group_size.observe(size)
        self.commit_seconds.observe(seconds)
        if failed:
            self.db_errors.labels("writer").inc()

    def database_error(self, where):
        self.db_errors.labels(where).inc()

    def allowed(self, address):
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        ip = getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:127.0.0.1 is 127.0.0.1
        return any(ip in network for network in self.allow)

    def exposition(self):
        return generate_latest(self.registry)


class PushCollector:
    """Read at scrape time: the push path keeps plain counts and pays nothing per event for them."""

    def __init__(self, sockets, writer, bus):
        self.sockets, self.writer, self.bus = sockets, writer, bus

    def collect(self):
        stats = self.sockets.stats
        subscribers = GaugeMetricFamily("tracker_push_subscribers", "Push connections held open, "
                                        "by transport", labels=("transport",))
        subscribers.add_metric(("websocket",), len(self.sockets.sockets))
        subscribers.add_metric(("longpoll",), len(self.sockets.polls))
        delivered = CounterMetricFamily("tracker_push_events_delivered", "Events sent to "
                                        "subscribers (one per subscriber that got it)",
                                        labels=("transport",))
        for transport in ("websocket", "longpoll"):
            delivered.add_metric((transport,), stats.delivered[transport])
        yield subscribers
        yield delivered
        yield CounterMetricFamily("tracker_push_slow_consumers_cut", "WebSockets disconnected for "
                                  "falling behind their send buffer", value=stats.slow_cut)
        yield CounterMetricFamily("tracker_push_dead_sockets_reaped", "WebSockets closed for not "
                                  "answering a ping", value=stats.reaped)
        yield GaugeMetricFamily("tracker_writer_queue_depth", "Writes waiting for the writer "
                                "thread", value=self.writer.pending())
        yield GaugeMetricFamily("tracker_push_last_event_id", "Newest event this process has "
                                "taken in (compare processes to see one lag)", value=self.bus.last_id)


class OutageCollector:
    """Database errors of this process by kind (unavailable, full, busy): requests answered 503,
    failed group commits and background rounds, counted while the log says it once."""

    def __init__(self, outages):
        self.outages = outages

    def collect(self):
        family = CounterMetricFamily("tracker_database_outage_errors", "Database errors by kind "
                                     "(the log has one line per change of state)", labels=("kind",))
        for kind, count in sorted(self.outages.counts.items()):
            family.add_metric((kind,), count)
        yield family


class OutboxCollector:
    """The durable outbox's depth, read from the database at scrape time (one count per kind):
    work committed but not yet sent, by this process or any other."""

    def __init__(self, depths):
        self.depths = depths

    def collect(self):
        family = GaugeMetricFamily("tracker_outbox_depth", "Webhook deliveries and mails queued "
                                   "and not yet sent (retries included)", labels=("kind",))
        try:
            depths = self.depths()
        except Exception:  # the database is away: say nothing rather than fail the scrape
            return
        for kind, count in sorted(depths.items()):
            family.add_metric((kind,), count)
        yield family
