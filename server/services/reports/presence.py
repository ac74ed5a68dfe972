"""Presence over a window for the statistics: ACTIVE / IDLE seconds per person and per bucket."""
import datetime

from server.store.database import db, is_postgres, sql
from server.store.times import iso

# The intervals overlapping a window (the covering index of migration 13 finds them), as plain
# rows with their ends in seconds from the window's start: a week at a year's size is ~10,000
# intervals, read once for the per-person sums and the timeline both. SQLite keeps times as text:
# whole seconds by strftime, then the digits after the point. (Summing them in SQL as well was
# measured no faster: the GROUP BYs cost what the loop below does.)
SPANS = ("SELECT user_id, status, {started}, {ended} FROM occupancy_interval "
         "WHERE ended_at > ? AND started_at < ?")
EPOCH = {"sqlite": "CAST(strftime('%s', {0}) AS REAL) + CAST(substr({0}, 20) AS REAL) - ?",
         "postgres": "CAST(EXTRACT(EPOCH FROM {0}) AS DOUBLE PRECISION) - ?"}


def spans_statement():
    epoch = EPOCH["postgres" if is_postgres() else "sqlite"]
    return sql(SPANS.format(started=epoch.format("started_at"), ended=epoch.format("ended_at")))


class Presence:
    """ACTIVE / IDLE seconds inside a window: per person, and per bucket for the timeline."""

    def __init__(self, since, until, bucket_minutes=10):
        self.since, self.size = since, bucket_minutes * 60.0
        self.length = (until - since).total_seconds()
        self.count = int(self.length // self.size)
        self.by_user = {}  # user id -> {"ACTIVE": s, "IDLE": s}
        # Per status: seconds in the buckets an interval only cuts, and the difference array of
        # the buckets it covers whole (an interval of 8 hours covers 48 of them: no loop over those).
        self.partial = {"ACTIVE": [0.0] * (self.count + 1), "IDLE": [0.0] * (self.count + 1)}
        self.whole = {"ACTIVE": [0] * (self.count + 2), "IDLE": [0] * (self.count + 2)}
        zero = since.replace(tzinfo=datetime.timezone.utc).timestamp()
        bounds = (since, until) if is_postgres() else (since.isoformat(" "), until.isoformat(" "))
        self._add(db.execute_sql(spans_statement(), (zero, zero) + bounds).fetchall())

    def _add(self, rows):
        """Take in (user id, status, start, end) rows, in seconds from the window's start."""
        size, count, length, by_user = self.size, self.count, self.length, self.by_user
        for user_id, status, start, end in rows:
            start, end = max(start, 0.0), min(end, length)
            if end <= start:
                continue
            per_user = by_user.get(user_id)
            if per_user is None:
                per_user = by_user[user_id] = {"ACTIVE": 0.0, "IDLE": 0.0}
            per_user[status] += end - start
            first, last = int(start // size), int(end // size)
            partial = self.partial[status]
            if first == last:
                partial[min(first, count)] += end - start
                continue
            partial[first] += (first + 1) * size - start
            partial[min(last, count)] += end - last * size
            whole = self.whole[status]
            whole[first + 1] += 1
            whole[last] -= 1

    def buckets(self, status):
        """Seconds of `status` in each bucket, oldest first."""
        found, covered = [], 0
        for index in range(self.count):
            covered += self.whole[status][index]
            found.append(self.partial[status][index] + covered * self.size)
        return found

    def timeline(self, bucket_minutes):
        step = datetime.timedelta(minutes=bucket_minutes)
        active, idle = self.buckets("ACTIVE"), self.buckets("IDLE")
        return [{"start": iso(self.since + i * step), "ACTIVE": round(active[i]),
                 "IDLE": round(idle[i])} for i in range(self.count)]
