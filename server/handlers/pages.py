"""The admin pages: the live monitor, and the routes of every page (the 404 page last)."""
import zlib

import orjson

from ..push import board
from ..store.times import utcnow
from ..services import statistics
from ..services.errors import NotFound
from . import login, statistics_page, task_pages
from .page import Page


class MonitorHandler(Page):
    nav = "monitor"

    def get(self):
        self.render("monitor.html")


class MonitorSnapshotHandler(Page):
    """The monitor's data: the task board /api/admin/task-status/ answers from, plus each task's
    last updates (kept by the board, read after its cursor; the page skips an update it already
    holds). The joined body is kept per board version; its ETag names that version, the cursor
    and the people's presence, so an unchanged monitor costs a 304 (and no hash of ~7 MB)."""

    def get(self):
        parts, cursor = self.svc.board.whole()
        people = statistics.employees(utcnow(), self.svc.settings["offline_after_seconds"])
        body_people = orjson.dumps(people)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Etag", '"%s-%d-%d-%08x"' % (self.svc.board.identity, self.svc.board.version,
                                                      cursor, zlib.crc32(body_people)))
        if self.check_etag_header():
            self.set_status(304)
            return self.finish()
        self.finish(board.snapshot(parts, cursor, body_people))


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
