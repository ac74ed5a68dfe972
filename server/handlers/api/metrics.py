"""GET /metrics: this process's Prometheus metrics (server/metrics.py), for metrics_allow only."""
from prometheus_client import CONTENT_TYPE_LATEST

from server.handlers.base import ApiHandler
from server.handlers.refusals import ApiError
from server.services.language.text import _l


class MetricsHandler(ApiHandler):
    access = None  # no token: a scraper is let in by its address

    def get(self):
        metrics = self.svc.metrics
        if not metrics.allowed(self.request.remote_ip):
            raise ApiError(403, _l("metrics are served only to the addresses in metrics_allow"))
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(metrics.exposition())


routes = [
    (r"/metrics", MetricsHandler),
]
