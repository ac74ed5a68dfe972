"""The admin pages: the live monitor, and the routes of every page (the 404 page last)."""
import orjson

from ..store.database import read_transaction
from ..services import statistics
from ..services.activity import recent_updates
from ..services.errors import NotFound
from . import login, statistics_page, task_pages
from .page import Page


class MonitorHandler(Page):
    nav = "monitor"

    def get(self):
        self.render("monitor.html")


class MonitorSnapshotHandler(Page):
    """The monitor's data in one consistent read: the admin snapshot plus each task's last updates."""

    def get(self):
        with read_transaction():
            body = statistics.admin_status({}, self.svc.settings["offline_after_seconds"])
            body["recent"] = recent_updates()
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS))  # "recent" is keyed by task id


class PageNotFoundHandler(Page):
    def prepare(self):
        super().prepare()
        if self._finished:
            return
        raise NotFound("There is no page at %s." % self.request.path)


routes = login.routes + [
    (r"/dashboard/tasks/monitor/", MonitorHandler),
    (r"/dashboard/tasks/monitor/snapshot\.json", MonitorSnapshotHandler),
] + task_pages.routes + statistics_page.routes + [
    (r"/dashboard/.*", PageNotFoundHandler),  # after every page: it answers the rest
]
