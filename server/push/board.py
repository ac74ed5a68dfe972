"""The admin monitor's task list, kept in memory: GET /api/admin/task-status/ joins task objects
serialized once instead of reading, building and serializing up to 10,000 of them per request.

An entry is brought up to date when the bus takes in an event about its task (the row is read
again), when a user changes (names are in the objects), and when the clock changes what it shows:
at its due date (overdue), and every `refresh` seconds for an open task's forecast, which drifts
with time. A full rebuild every `rebuild` seconds catches changes made behind the server's back."""
import random
import time

import orjson

from ..store.database import db, sql
from ..store.times import unix_time, utcnow
from ..services import task_view as task_rules
from ..services.statistics import summary_of

class Entry:
    __slots__ = ("row", "status", "priority", "assignee", "project", "overdue", "at_risk",
                 "stale", "data", "until")


class TaskSnapshot:
    def __init__(self, bus, refresh=30.0, rebuild=300.0, clock=time.time):
        self.bus = bus
        self.refresh = refresh
        self.rebuild = rebuild
        self.clock = clock
        self.entries = {}  # task id -> Entry, in id order
        self.cursor = None  # every event up to here is reflected
        self.built_at = 0.0
        self.touched = set()  # task ids of events taken in since
        bus.observers.append(self._taken_in)

    def _taken_in(self, items):
        if self.cursor is not None:
            self.touched.update(item.task for item in items if item.task is not None)

    def invalidate(self):
        """Rebuild at the next request (a user's name or role changed: it is in the objects)."""
        self.cursor = None

    def select(self, filters):
        """(entries matching the filters in id order, cursor they reflect)."""
        self._bring_up_to_date()
        wanted = [(name, filters[name]) for name in ("status", "priority", "employee", "project")
                  if name in filters]
        picked = self.entries.values()
        for name, value in wanted:
            attribute = {"employee": "assignee"}.get(name, name)
            picked = [e for e in picked if getattr(e, attribute) == value]
        return list(picked), self.cursor

    def _bring_up_to_date(self):
        now = self.clock()
        if self.cursor is None or now - self.built_at >= self.rebuild:
            cursor = self.bus.last_id  # read first: the rows reflect at least this much
            rows = db.execute_sql(sql(task_rules.TASK_SELECT + " ORDER BY t.id")).fetchall()
            self.touched.clear()
            self.entries = {}
            self._store(rows)
            self.cursor, self.built_at = cursor, now
            return
        cursor = self.bus.last_id
        if self.touched:
            ids = sorted(self.touched)
            rows = []
            for start in range(0, len(ids), 500):  # a failed read leaves them touched
                chunk = ids[start:start + 500]
                rows += db.execute_sql(sql("%s WHERE t.id IN (%s)" % (
                    task_rules.TASK_SELECT, ", ".join("?" * len(chunk)))), chunk).fetchall()
            self.touched.difference_update(ids)
            self._store(rows)
        self.cursor = cursor
        due = [entry.row for entry in self.entries.values() if entry.until <= now]
        if due:
            self._store(due)

    def _store(self, rows):
        now = utcnow()
        now_text, shared, wall = now.isoformat(" "), {}, self.clock()
        unordered = False
        last_id = next(reversed(self.entries), 0)
        for row in rows:
            task = task_rules.row_dict(row, now, now_text, shared)
            entry = self.entries.get(row[0])
            if entry is None:
                entry = Entry()
                unordered = unordered or row[0] < last_id
                self.entries[row[0]] = entry
            entry.row, entry.status, entry.priority = row, task["status"], task["priority"]
            entry.assignee = task["assignee"]["id"]
            entry.project = task["project"]["id"] if task["project"] else None
            entry.overdue, entry.at_risk, entry.stale = task["is_overdue"], task["at_risk"], task["is_stale"]
            entry.data = orjson.dumps(task)
            entry.until = self._until(task, row, wall)
        if unordered:  # a task committed late by another process: keep the list in id order
            self.entries = dict(sorted(self.entries.items()))

    def _until(self, task, row, wall):
        """When the clock alone would change what this task shows."""
        if task["status"] not in task_rules.OPEN_STATUSES:
            return float("inf")
        # Spread over a window, so the forecasts are not all refreshed by one request.
        until = wall + self.refresh * random.uniform(0.5, 1.5)
        if row[6] is not None and not task["is_overdue"]:
            until = min(until, unix_time(row[6]))
        return until


def answer(entries, cursor, employees):
    """The task-status body as bytes: the same JSON the objects would serialize to."""
    return b"".join((b'{"tasks":[', b",".join(entry.data for entry in entries), b'],"summary":',
                     orjson.dumps(summary_of((e.status, e.overdue, e.at_risk, e.stale) for e in entries)),
                     b',"employees":', orjson.dumps(employees),
                     b',"cursor":%d}' % cursor))
