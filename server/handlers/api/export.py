"""CSV downloads for admins: the audit trail and the per-employee statistics, streamed in chunks."""
from tornado.iostream import StreamClosedError

from server.store.database import read_transaction
from server.services.reports import export, statistics
from server.handlers.api.admin import AdminHandler, query_args
from server.services.reports import teams as team_stats
from server.services.teams import reads

STATISTICS_CHUNK = 500


class CsvHandler(AdminHandler):
    """Writes a header row, then each batch of rows as soon as it is read (chunked encoding).
    Leads and viewers get their teams' rows only (services/teams/reads.py)."""
    access = "staff"

    async def stream(self, filename, columns, batches):
        self.set_header("Content-Type", "text/csv; charset=utf-8; header=present")
        self.set_header("Content-Disposition", 'attachment; filename="%s"' % filename)
        self.write(export.encode([columns]))
        try:
            await self.flush()
            for batch in batches:
                self.write(export.encode(batch))
                await self.flush()  # waits for the socket: a slow reader slows the reading
        except StreamClosedError:
            return  # the client went away: stop reading rows
        self.finish()


class AuditExportHandler(CsvHandler):
    async def get(self):
        filters = export.parse_audit_filters(query_args(self, "task", "since", "until"))
        filters["people"] = reads.people_of(self.scope)
        await self.stream(export.audit_filename(filters), export.AUDIT_COLUMNS,
                          export.audit_batches(filters))


class StatisticsExportHandler(CsvHandler):
    async def get(self):
        hours = statistics.parse_hours(query_args(self, "hours"))
        with read_transaction():
            table = team_stats.statistics(self.scope, hours)["employees"]
            rows = [tuple(row[name] for name in export.STATISTICS_COLUMNS) for row in table]
        batches = (rows[i:i + STATISTICS_CHUNK] for i in range(0, len(rows), STATISTICS_CHUNK))
        await self.stream(export.statistics_filename(hours), export.STATISTICS_COLUMNS, batches)


routes = [
    (r"/api/admin/export/audit\.csv", AuditExportHandler),
    (r"/api/admin/export/statistics\.csv", StatisticsExportHandler),
]
