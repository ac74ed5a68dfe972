"""The admin monitor's task board, kept in memory: GET /api/admin/task-status/ and the monitor
page's snapshot.json join task objects serialized once instead of reading, building and
serializing up to 10,000 of them per request.

An entry is brought up to date when the bus takes in an event about its task (the row is read
again), when a user changes (names are in the objects), and when the clock changes what it shows:
at its due date (overdue), and every `refresh` seconds for an open task's forecast, which drifts
with time. A full rebuild every `rebuild` seconds catches changes made behind the server's back.
The whole board is kept joined in pieces (see whole): the task objects, and the fields a monitor
card shows. A task's last updates are read when a monitor first asks for them and kept until the
audit trail names the task again (recent_of)."""
import datetime
import random
import time

import orjson

from server.store.database import db, sql
from server.services.monitor import activity
from server.services.tasks import graph as dependency_view, view as task_rules
from server.services.monitor.query import NO_PROJECT
from server.services.reports.statistics import summary_of
from server.services.monitor.answers import Piece

FILTERS = (("status", "status"), ("priority", "priority"), ("employee", "assignee"),
           ("project", "project"), ("at_risk", "at_risk"), ("stale", "stale"),
           ("overdue", "overdue"), ("blocked", "blocked"))  # (filter name, Entry attribute)
CHUNK = 500  # task ids per read of the changed rows
RECENT = 5  # each task's newest audit rows the monitor's data carries
AFTER_HEAD = "SELECT id, task_id FROM task_progress WHERE id > ? ORDER BY id"
SPAN = 256  # task ids per piece of the joined board (a change rejoins only its piece)
# What a monitor card, its table row, its filters and its figures read of a task: the monitor's
# first answer carries these, not the description or the dates only the task page shows.
CARD = ("id", "title", "status", "priority", "progress_percentage", "due_date", "is_overdue",
        "overdue_at", "assignee", "project", "last_progress_update_at", "version",
        "forecast_completion_at", "at_risk", "is_stale", "blocked_by", "is_blocked", "comment_count")


def kept(data):
    """`data` in a bytes object of its own size: orjson's answer keeps its buffer's spare room
    (~8 KB a task object here), which 10,000 kept objects turned into ~75 MB."""
    return memoryview(data).tobytes()


class Entry:
    """One task on the board: its row (to serialize again), what the filters and counts need,
    its JSON and its card's, and the wall time at which the clock alone would change it."""
    __slots__ = ("row", "status", "priority", "assignee", "project", "overdue", "at_risk",
                 "stale", "blocked", "text", "data", "card", "until")

    def __init__(self):
        self.data = None

    def fill(self, row, task, until):
        """Take in a fresh row; True when the task's JSON changed."""
        data = kept(orjson.dumps(task))
        self.row, self.status, self.priority = row, task["status"], task["priority"]
        person, project = task["assignee"], task["project"]
        self.assignee = person["id"]
        self.project = project["id"] if project else NO_PROJECT
        # What a search looks in: the title, the assignee's names, the project's name.
        self.text = "\n".join((task["title"], person["username"], person["full_name"] or "",
                               project["name"] if project else "")).casefold()
        self.overdue, self.at_risk, self.stale = task["is_overdue"], task["at_risk"], task["is_stale"]
        self.blocked = task["is_blocked"]
        changed, self.data = data != self.data, data
        if changed:
            self.card = kept(orjson.dumps({name: task[name] for name in CARD}))
        self.until = until
        return changed


class TaskBoard:
    def __init__(self, bus, refresh=30.0, rebuild=300.0, clock=time.time):
        self.bus = bus
        self.refresh = refresh
        self.rebuild = rebuild
        self.clock = clock
        self.entries = {}  # task id -> Entry, in id order
        self.cursor = None  # every event up to here is reflected
        self.built_at = 0.0
        self.touched = set()  # task ids of events taken in since
        self.graph = dependency_view.Graph()  # every task's links and forecast inputs
        self.identity = "%08x" % random.getrandbits(32)  # this board's versions, not another process's
        self.version = 0  # moves whenever an entry's JSON changes
        self.recent = {}  # task id -> the JSON of its newest audit rows, of the tasks asked for
        self.audit_head = None  # `recent` reflects every audit row up to this id (None: start over)
        self.pieces = {}  # task id // SPAN -> Piece of those tasks' joined JSON
        self.dirty = set()  # keys of the pieces to join again
        bus.observers.append(self._taken_in)

    def _taken_in(self, items):
        if self.cursor is not None:
            self.touched.update(item.task for item in items if item.task is not None)

    def invalidate(self):
        """Rebuild at the next request (a user's name or role changed: it is in the objects and
        in the recent updates)."""
        self.cursor = None
        self.audit_head = None

    def select(self, filters):
        """(entries matching the filters in id order, cursor they reflect)."""
        self._bring_up_to_date()
        picked = self.entries.values()
        for name, attribute in FILTERS:
            if name in filters:
                picked = [e for e in picked if getattr(e, attribute) == filters[name]]
        for term in filters.get("q", ()):
            picked = [e for e in picked if term in e.text]
        return list(picked), self.cursor

    def present(self, ids, people=None):
        """(entries of those of `ids` on the board, and of `people` when given, in id order; the
        other ids)."""
        self._bring_up_to_date()
        shown = [task_id for task_id in sorted(ids) if task_id in self.entries
                 and (people is None or self.entries[task_id].assignee in people)]
        return [self.entries[task_id] for task_id in shown], sorted(set(ids) - set(shown))

    def whole(self):
        """(the whole board as Pieces in id order, cursor). Each piece joins the JSON of SPAN
        task ids once per change to one of them (10,000 objects are ~6 MB), and a request writes
        the pieces it is handed without copying them."""
        self._bring_up_to_date()
        if self.dirty:
            self._join(self.dirty)
            self.dirty = set()
        return [self.pieces[key] for key in sorted(self.pieces)], self.cursor

    def _join(self, keys):
        members = {}
        for task_id, entry in self.entries.items():
            if task_id // SPAN in keys:
                members.setdefault(task_id // SPAN, []).append((task_id, entry))
        for key in keys:
            if key in members:
                self.pieces[key] = Piece(members[key])
            else:
                self.pieces.pop(key, None)

    def _changed(self, task_id):
        self.version += 1
        self.dirty.add(task_id // SPAN)

    def _bring_up_to_date(self):
        now = self.clock()
        if self.cursor is None or now - self.built_at >= self.rebuild:
            self._rebuild(now)
            return
        cursor = self.bus.last_id  # read first: the rows reflect at least this much
        if self.touched:
            self._reread(sorted(self.touched))
        self.cursor = cursor
        due = [entry.row for entry in self.entries.values() if entry.until <= now]
        if due:
            self._store(due)

    def _rebuild(self, now):
        cursor = self.bus.last_id  # read first: the rows reflect at least this much
        self.graph = dependency_view.Graph()
        rows = self._read(" ORDER BY t.id")
        self.touched.clear()
        self.entries = {}
        self._store(rows)  # the recent updates stay: _follow_audit keeps them right
        self.cursor, self.built_at = cursor, now
        self.version += 1
        self.dirty = set(self.pieces) | {task_id // SPAN for task_id in self.entries}

    def _reread(self, ids):
        rows = []
        for start in range(0, len(ids), CHUNK):  # a failed read leaves them touched
            chunk = ids[start:start + CHUNK]
            rows += self._read(" WHERE t.id IN (%s)" % ", ".join("?" * len(chunk)), chunk)
        self.touched.difference_update(ids)
        self._store(rows)

    def recent_of(self, ids, people=None):
        """{task id: JSON of its newest audit rows, newest first} of those of `ids` on the board
        (with `people`, of those assigned to one of them): read when first asked for, then kept
        until the audit trail names the task again."""
        self._bring_up_to_date()
        self._follow_audit()
        shown = [task_id for task_id in dict.fromkeys(ids) if task_id in self.entries
                 and (people is None or self.entries[task_id].assignee in people)]
        missing = [task_id for task_id in shown if task_id not in self.recent]
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start:start + CHUNK]
            found = activity.recent_updates(RECENT, chunk)
            for task_id in chunk:
                self.recent[task_id] = kept(orjson.dumps(found.get(task_id, [])))
        return {task_id: self.recent[task_id] for task_id in shown}

    def _follow_audit(self):
        """Forget the kept updates of every task an audit row after the head names. Not from the
        events: some audit rows come without one (a timer's start). A range on the primary key:
        ids are taken in commit order, under the chain lock, so none can appear below a head
        once read; the head is read before the rows it covers."""
        if self.audit_head is None:
            self.audit_head = db.execute_sql("SELECT MAX(id) FROM task_progress").fetchone()[0] or 0
            self.recent = {}
            return
        rows = db.execute_sql(sql(AFTER_HEAD), (self.audit_head,)).fetchall()
        for _id, task_id in rows:
            self.recent.pop(task_id, None)
        if rows:
            self.audit_head = rows[-1][0]

    def _read(self, where, params=()):
        """Task rows, their links taken into the held graph in the same read."""
        select = task_rules.task_select(dependency_view.links_column())  # last: predecessor ids
        found = db.execute_sql(sql(select + where), params).fetchall()
        self.graph.absorb((task_rules.TaskRow._make(row[:-1]), row[-1]) for row in found)
        return [row[:-1] for row in found]

    def _store(self, rows):
        wall = self.clock()
        now = datetime.datetime.fromtimestamp(wall, datetime.timezone.utc).replace(tzinfo=None)
        now_text, shared = now.isoformat(" "), {}
        last_id, unordered = next(reversed(self.entries), 0), False
        self.graph.memo = {}  # forecasts move with the clock
        for row in rows:
            task = task_rules.row_dict(row, now, now_text, shared, self.graph)
            entry = self.entries.get(task["id"])
            if entry is None:
                entry = self.entries[task["id"]] = Entry()
                unordered = unordered or task["id"] < last_id
            if entry.fill(row, task, self._until(task, wall)):
                self._changed(task["id"])
        if unordered:  # a task committed late by another process: keep the list in id order
            self.entries = dict(sorted(self.entries.items()))

    def _until(self, task, wall):
        """When the clock alone would change what this task shows."""
        if task["status"] not in task_rules.OPEN_STATUSES:
            return float("inf")
        # Spread over a window, so the forecasts are not all refreshed by one request.
        until = wall + self.refresh * random.uniform(0.5, 1.5)
        if task["due_date"] is not None and not task["is_overdue"]:
            until = min(until, datetime.datetime.fromisoformat(task["due_date"]).timestamp())
        return until


def groups(entries, by):
    """Per-group counts of the selected entries, by "employee" or "project": [{id, name, summary
    keys…}] ordered by name, tasks outside every project last (id null)."""
    members = {}
    for entry in entries:
        members.setdefault(getattr(entry, "assignee" if by == "employee" else "project"), []).append(entry)
    found = []
    for key, group in members.items():
        name = _group_name(orjson.loads(group[0].data), by)
        counts = summary_of((e.status, e.overdue, e.at_risk, e.stale) for e in group)
        found.append(dict({"id": key or None, "name": name}, **counts))
    return sorted(found, key=lambda g: (g["id"] is None, g["name"].casefold(), g["id"] or 0))


def _group_name(task, by):
    if by == "employee":
        return task["assignee"]["full_name"] or task["assignee"]["username"]
    return task["project"]["name"] if task["project"] else "No project"
