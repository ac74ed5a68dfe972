"""The admin pages: the live monitor, and the routes of every page (the 404 page last)."""
import zlib

import orjson

from server.services.monitor import answers
from server.services.reports import statistics
from server.services.core.errors import NotFound
from server.handlers.pages import login, statistics as statistics_page, tasks as task_pages
from server.handlers.pages.page import Page
from server.web.parts import write_parts
from server.handlers.pages.checklist import first_run, routes as checklist_routes
from server.services.monitor import scoped as team_board
from server.services.language.text import _l


class MonitorHandler(Page):
    nav = "monitor"
    admin_only = "staff"  # leads and viewers too, scoped

    def get(self):
        self.render("monitor.html", first_run=first_run())


class MonitorSnapshotHandler(Page):
    """The monitor's data: the task board /api/admin/task-status/ answers from, plus each task's
    last updates (kept by the board, read after its cursor; the page skips an update it already
    holds). Its ETag names the board's version, the cursor and the people's presence, so an
    unchanged monitor costs a 304 (and no hash of ~27 MB)."""
    admin_only = "staff"

    def get(self):
        if not self.scope.everything:
            return self.scoped()
        pieces, cursor = self.svc.board.whole()
        people = statistics.employees_shown(self.svc.settings)
        people = orjson.dumps(people)
        teams = team_board.teams_json(self.scope)  # what the page filters and groups by
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Etag", '"%s-%d-%d-%08x-%08x"' % (self.svc.board.identity, self.svc.board.version,
                                                           cursor, zlib.crc32(people), zlib.crc32(teams)))
        if self.check_etag_header():
            self.set_status(304)
            return self.finish()
        parts = answers.snapshot_parts(pieces, cursor, people)
        parts.insert(len(parts) - 1, b',"teams":' + teams)  # before the closing brace
        write_parts(self, parts)

    def scoped(self):
        tag, body = team_board.snapshot(self.svc.board, self.scope, self.svc.settings)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Etag", tag)
        if self.check_etag_header():
            self.set_status(304)
            return self.finish()
        self.finish(body)


class PageNotFoundHandler(Page):
    admin_only = "staff"
    def prepare(self):
        super().prepare()
        if self._finished:
            return
        raise NotFound(_l("There is no page at %(path)s.", path=self.request.path))


routes = login.routes + [
    (r"/dashboard/tasks/monitor/", MonitorHandler),
    (r"/dashboard/tasks/monitor/snapshot\.json", MonitorSnapshotHandler),
] + task_pages.routes + statistics_page.routes + checklist_routes + [
    (r"/dashboard/.*", PageNotFoundHandler),  # after every page: it answers the rest
]
