"""The monthly working-time reports (SPEC 11.5): GET /api/reports/time.pdf (in the reader's
language) and time.xlsx (a data file: its column names stay English)."""
import functools

import tornado.ioloop

from server.store.database import read_transaction
from server.handlers.base import ApiHandler
from server.services.reports import monthly, pdf, xlsx

KINDS = {"pdf": ("application/pdf", pdf.render),
         "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  lambda report, _reader: xlsx.render(report))}


class TimeReportHandler(ApiHandler):
    async def get(self, kind):
        args = {name: self.get_query_argument(name, None) for name in ("month", "user", "team")}
        with read_transaction():
            query = monthly.parse(args, self.current_user)
            report = monthly.report(query)
        content_type, render = KINDS[kind]
        body = await tornado.ioloop.IOLoop.current().run_in_executor(
            None, functools.partial(render, report, self.reader))
        who = "-%s" % query["people"][0].username if len(query["people"]) == 1 else ""
        self.set_header("Content-Type", content_type)
        self.set_header("Content-Disposition", 'attachment; filename="time-%s%s.%s"' % (
            query["first"].strftime("%Y-%m"), who, kind))
        self.finish(body)


routes = [
    (r"/api/reports/time\.(pdf|xlsx)", TimeReportHandler),
]
