"""The admin pages: the live monitor, and the routes of every page (the 404 page last)."""
from ..push import board
from ..store.times import utcnow
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
    """The monitor's data: the task board /api/admin/task-status/ answers from, plus each task's
    last updates (read after the board's cursor; the page skips an update it already holds)."""

    def get(self):
        entries, cursor = self.svc.board.select({})
        people = statistics.employees(utcnow(), self.svc.settings["offline_after_seconds"])
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(board.answer(entries, cursor, people, recent=recent_updates()))


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
