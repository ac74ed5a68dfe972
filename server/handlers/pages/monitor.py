"""The admin pages: the live monitor, and the routes of every page (the 404 page last)."""
import re
import zlib

import orjson

from server.services.monitor import answers
from server.services.reports import statistics
from server.push.bus import Reset
from server.services.core.errors import NotFound, ValidationError
from server.handlers.pages import login, statistics as statistics_page, tasks as task_pages
from server.handlers.pages.page import Page
from server.web.parts import accepts_gzip, write_parts
from server.handlers.pages.checklist import first_run, render_monitor, routes as checklist_routes
from server.services.monitor import scoped as team_board
from server.services.language.text import _l


CURSOR = re.compile(r"[0-9]{1,18}")


class MonitorHandler(Page):
    nav = "monitor"
    admin_only = "staff"  # leads and viewers too, scoped

    def get(self):
        render_monitor(self, first_run())


class MonitorSnapshotHandler(Page):
    """The monitor's first answer: the fields each task's card shows (the board /api/admin/
    task-status/ answers from, without what only the task page shows), the figures, the people
    and the teams; a card's last updates come when it is drawn (/api/admin/task-updates/). Its
    ETag names the board's version, the cursor and the people's presence, so an unchanged
    monitor costs a 304."""
    admin_only = "staff"

    def get(self):
        since = self.get_query_argument("since", None)
        if since is not None:
            return self.changes(since)
        if not self.scope.everything:
            return self.scoped()
        pieces, cursor = self.svc.board.whole()
        people = statistics.employees_shown(self.svc.settings)
        people = orjson.dumps(people)
        teams = team_board.teams_json(self.scope)  # what the page filters and groups by
        if self.unchanged('"%s-%d-%d-%08x-%08x"' % (self.svc.board.identity, self.svc.board.version,
                                                     cursor, zlib.crc32(people), zlib.crc32(teams))):
            return
        parts = answers.snapshot_parts(pieces, cursor, people, cards=True)
        parts.insert(len(parts) - 1, b',"teams":' + teams)  # before the closing brace
        write_parts(self, parts)

    def changes(self, since):
        """?since=CURSOR: what changed after the cursor, for a page coming back (see
        services/monitor/scoped.py changes), or {"reset": true} when only the whole board will
        do (a team changed, or the cursor is older than the history)."""
        if not CURSOR.fullmatch(since):
            raise ValidationError(_l("since must be an event id (a non-negative integer)"), "since")
        user, scope = self.current_user, self.scope if self.scope.roles else None
        self.set_header("Content-Type", "application/json; charset=utf-8")
        try:
            named, gone, teams, cursor = self.svc.bus.named(int(since), user.id, user.is_admin, scope)
        except Reset:
            teams = True
        if teams:
            return self.finish(b'{"reset":true}')
        self.finish(team_board.changes(self.svc.board, self.scope, named | gone, cursor, self.svc.settings))

    def scoped(self):
        tag, body = team_board.snapshot(self.svc.board, self.scope, self.svc.settings)
        if not self.unchanged(tag):
            self.finish(body)  # gzipped per request by compress_response: a team's share is small

    def unchanged(self, tag):
        """Name the answer by `tag` (its gzipped form by another: a cache keeps both apart) and
        answer 304 when the client holds it."""
        if accepts_gzip(self):
            tag = tag[:-1] + '-gz"'
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Etag", tag)
        if not self.check_etag_header():
            return False
        self.set_status(304)
        self.finish()
        return True


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
