"""Dependency links as task objects show them: depends_on, blocked_by, and forecasts carried
through open predecessors (SPEC 10.2). Read side only; services/dependencies.py writes.

A dependent's forecast is the later of its own forecast and its predecessors' latest forecast
plus its own remaining work at its own pace. When its own pace or a predecessor's forecast is
unknown, so is its forecast; `at_risk` then still holds when an open predecessor's forecast (or
that bound) is already past the due date, since the task cannot finish before it."""
import collections

from ..store.database import db, is_postgres, sql
from ..store.times import as_time
from . import forecast

OPEN = ("PENDING", "IN_PROGRESS")
STATE = ("SELECT id, status, progress_percentage, completed_at, last_progress_update_at, "
         "pace_gain, pace_seconds FROM task")
MANY = 400  # past this many tasks, reading every link is cheaper than walking from each
UNKNOWN = object()  # memo mark: evaluation in progress (a cycle, which links never make)


def links_column():
    """A SELECT column over TASK_SELECT's `t`: the task's predecessor ids, comma-separated."""
    if is_postgres():
        return ("(SELECT string_agg(d.depends_on_id::text, ',') FROM task_dependency d "
                "WHERE d.task_id = t.id)")
    return "(SELECT group_concat(d.depends_on_id) FROM task_dependency d WHERE d.task_id = t.id)"


def _chunks(ids, size=MANY):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _where_in(column, ids):
    return "%s IN (%s)" % (column, ", ".join("?" * len(ids)))


def touching(task_id):
    """(task, predecessor) links on either side of one task, in one read."""
    return db.execute_sql(sql("SELECT task_id, depends_on_id FROM task_dependency "
                              "WHERE task_id = ? OR depends_on_id = ?"), (task_id, task_id)).fetchall()


def ancestors(ids):
    """Ids of every task the given ones depend on, directly or not."""
    found, frontier = set(), set(ids)
    while frontier:
        step = set()
        for chunk in _chunks(frontier):
            step.update(pred for (pred,) in db.execute_sql(sql(
                "SELECT depends_on_id FROM task_dependency WHERE " + _where_in("task_id", chunk)),
                chunk).fetchall())
        frontier = step - found
        found |= step
    return found


def descendants(task_id):
    """Ids of every task that depends on `task_id`, directly or not."""
    found, frontier = set(), {task_id}
    while frontier:
        step = set()
        for chunk in _chunks(frontier):
            step.update(dep for (dep,) in db.execute_sql(sql(
                "SELECT task_id FROM task_dependency WHERE " + _where_in("depends_on_id", chunk)),
                chunk).fetchall())
        frontier = step - found
        found |= step
    found.discard(task_id)
    return found


class Graph:
    """Links among some tasks and all their ancestors, and the ancestors' forecast inputs."""

    def __init__(self, links=(), states=()):
        self.depends_on = {}  # task id -> [predecessor ids] ascending
        for task_id, pred in sorted(links):
            self.depends_on.setdefault(task_id, []).append(pred)
        self.states = {state[0]: state for state in states}
        self.memo = {}

    @classmethod
    def for_ids(cls, ids, known=None):
        """The graph task objects for these ids need: one query when they have no links (none
        with `known`, the links touching them already read)."""
        ids = list(ids)
        if len(ids) > MANY:
            return cls.everything()
        links = [link for link in known or () if link[0] in ids]
        for chunk in _chunks(ids) if known is None else ():
            links += db.execute_sql(sql("SELECT task_id, depends_on_id FROM task_dependency WHERE "
                                        + _where_in("task_id", chunk)), chunk).fetchall()
        if not links:
            return cls()
        preds = {pred for _task, pred in links}
        above = preds | ancestors(preds)
        links, states = list(links), []
        for chunk in _chunks(above):
            links += db.execute_sql(sql("SELECT task_id, depends_on_id FROM task_dependency WHERE "
                                        + _where_in("task_id", chunk)), chunk).fetchall()
            states += db.execute_sql(sql(STATE + " WHERE " + _where_in("id", chunk)), chunk).fetchall()
        return cls(set(links), states)

    def absorb(self, rows):
        """Take in (TaskRow, "pred,pred" or None) pairs read with links_column(): no read."""
        for row, preds in rows:
            self.states[row.id] = State(row.id, row.status, row.progress_percentage, row.completed_at,
                                        row.last_progress_update_at, row.pace_gain, row.pace_seconds)
            self.depends_on.pop(row.id, None)
            if preds:
                self.depends_on[row.id] = sorted(int(p) for p in str(preds).split(","))
        self.memo = {}

    @classmethod
    def everything(cls):
        links = db.execute_sql("SELECT task_id, depends_on_id FROM task_dependency").fetchall()
        return cls(links, db.execute_sql(STATE).fetchall() if links else ())

    def blocked_by(self, task_id, status):
        """Open predecessors of an open task (a closed task waits for nothing)."""
        if status not in OPEN:
            return []
        return [pred for pred in self.depends_on.get(task_id, ())
                if self.states.get(pred, (pred, "DONE"))[1] in OPEN]

    def view(self, row, now):
        """(forecast ISO or None, at_risk) of a task with open predecessors, else None."""
        if not self.blocked_by(row.id, row.status):
            return None
        found, floor = self._through(row, now)
        due = as_time(row.due_date) if row.due_date is not None else None
        bound = found or floor
        at_risk = due is not None and bound is not None and bound > due
        iso = found.isoformat(timespec="seconds") + "+00:00" if found else None
        return iso, at_risk

    def _through(self, state, now):
        """(forecast or None, latest bound of the open predecessors or None) of an open task."""
        last_at = as_time(state.last_progress_update_at) if state.last_progress_update_at else None
        own = forecast.estimate(state.pace_gain, state.pace_seconds, last_at,
                                state.progress_percentage, now)
        bounds = [self._bound(pred, now) for pred in self.blocked_by(state.id, state.status)]
        known = [bound for bound, _exact in bounds if bound is not None]
        floor = max(known) if known else None
        if own is None or not bounds or not all(exact for _b, exact in bounds):
            return own if not bounds else None, floor
        return max(own, floor + (own - max(now, last_at))), floor

    def _bound(self, task_id, now):
        """(a time the open task will not finish before, whether it is its forecast)."""
        stack = [(task_id, False)]  # depth first without recursion: chains can be long
        while stack:
            node, expanded = stack.pop()
            if expanded:
                self.memo[node] = self._evaluate(node, now)
            elif node not in self.memo:
                self.memo[node] = UNKNOWN  # met again before it is evaluated: a cycle
                stack.append((node, True))
                stack.extend((pred, False) for pred in self.blocked_by(node, "PENDING")
                             if pred not in self.memo)
        hit = self.memo[task_id]
        return (None, False) if hit is UNKNOWN else hit

    def _evaluate(self, task_id, now):
        found, floor = self._through(State._make(self.states[task_id]), now)
        return (found, True) if found else (floor, False)


State = collections.namedtuple("State", "id status progress_percentage completed_at "
                                        "last_progress_update_at pace_gain pace_seconds")
EMPTY = Graph()
