"""The statistics page: charts and the per-employee table over a window, refreshed live."""
from server.store.database import read_transaction
from server.services.record import eventlog
from server.services.reports import statistics
from server.services.reports import charts
from server.web.escape import CheapEscape
from server.handlers.pages.page import STATUS_LABELS, Page
from server.services.reports import teams as team_stats
from server.services.teams import reads


def chart_data(stats, reader):
    """The page's four SVG charts from the statistics, labelled in the reader's language."""
    dist, occ, _ = stats["status_distribution"], stats["occupancy"], reader.gettext
    return {
        "status_bars": charts.hbars([(_(STATUS_LABELS[s]), dist[s], s.lower()) for s in dist]),
        "bucket_bars": charts.bars([(_("%(percent)s %%", percent=name), count, "b%d" % i)
                                    for i, (name, count) in enumerate(stats["progress_buckets"].items())]),
        "occupancy_ring": charts.donut([(_("Active"), occ["active_seconds"], "active"),
                                        (_("Idle"), occ["idle_seconds"], "idle"),
                                        (_("Offline"), occ["offline_seconds"], "offline")]),
        "timeline": charts.timeline(stats["timeline"]),
    }


class StatisticsHandler(CheapEscape, Page):
    nav = "statistics"
    admin_only = "staff"  # leads and viewers: their teams' figures

    def get(self):
        hours = statistics.parse_hours({"hours": self.get_query_argument("hours", None)})
        with read_transaction():
            cursor = eventlog.latest_id()
            team_id = reads.parse_team(self.scope, {"team": self.get_query_argument("team", None)})
            stats = team_stats.statistics(self.scope, hours, team_id)
        partial = self.get_query_argument("partial", None)
        template = "_stats_body.html" if partial else "statistics.html"
        self.render(template, stats=stats, cursor=cursor, team=team_id, **chart_data(stats, self.reader))


routes = [
    (r"/dashboard/tasks/statistics/", StatisticsHandler),
]
