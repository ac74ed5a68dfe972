"""GET /healthz and GET /api/openapi.json."""
from server.store.database import ping
from server.handlers.openapi.document import document
from server.handlers.base import ApiHandler


class HealthHandler(ApiHandler):
    access = None

    def get(self):
        if not ping():
            return self.reply({"status": "unavailable"}, status=503)
        self.reply({"status": "ok"})


class OpenApiHandler(ApiHandler):
    access = None

    def get(self):
        self.reply(document())


routes = [
    (r"/healthz", HealthHandler),
    (r"/api/openapi.json", OpenApiHandler),
]
