"""Dependency links as task objects show them: depends_on, blocked_by, and forecasts carried
through open predecessors (SPEC 10.2). Read side only; services/tasks/links.py writes.

A dependent's forecast is the later of its own forecast and its predecessors' latest forecast
plus its own remaining work at its own pace. When its own pace or a predecessor's forecast is
unknown, so is its forecast; `at_risk` then still holds when an open predecessor's forecast (or
that bound) is already past the due date, since the task cannot finish before it."""
import collections

from server.store.database import db, is_postgres, sql
from server.store.times import as_time
from server.services.tasks import forecast

OPEN = ("PENDING", "IN_PROGRESS")
STATE_COLUMNS = ("id, status, progress_percentage, completed_at, last_progress_update_at, "
                 "pace_gain, pace_seconds")
STATE = "SELECT " + STATE_COLUMNS + " FROM task"
STATE_AND_DUE = "SELECT " + STATE_COLUMNS + ", due_date FROM task"  # a Row
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


def has_dependents(task_id):
    return db.execute_sql(sql("SELECT 1 FROM task_dependency WHERE depends_on_id = ? LIMIT 1"),
                          (task_id,)).fetchone() is not None


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
        self.unchanged = None  # a graph whose bounds this one shares outside self.changed
        self.changed = frozenset()

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
    def upstream(cls, task_id, known=None):
        """One task with everything above it, its own forecast inputs included."""
        graph = cls.for_ids([task_id], known)
        graph.states.update((row[0], tuple(row)) for row in db.execute_sql(
            sql(STATE + " WHERE id = ?"), (task_id,)).fetchall())
        return graph

    @classmethod
    def everything(cls):
        links = db.execute_sql("SELECT task_id, depends_on_id FROM task_dependency").fetchall()
        return cls(links, db.execute_sql(STATE).fetchall() if links else ())

    def as_before(self, task_id, before, bound, below):
        """This graph as it was before a change to `task_id` alone: its links and state as
        `before` (a graph read then) has them, its bound `bound` (which `before` computed), and
        the bounds of every task but those `below` it (which the change cannot move) shared."""
        past = Graph()
        past.depends_on, past.states = dict(self.depends_on), dict(self.states)
        past.depends_on.pop(task_id, None)
        if before.depends_on.get(task_id):
            past.depends_on[task_id] = before.depends_on[task_id]
        past.states[task_id] = before.states[task_id]
        past.memo = {task_id: bound}
        past.unchanged, past.changed = self, frozenset(below)
        return past

    def shares(self, other, changed=None):
        """Take the bounds `other` (read in the same transaction) has found, but the changed
        task's: a task's bound depends only on what is above it, which the change left alone."""
        self.memo.update((node, hit) for node, hit in other.memo.items()
                         if node != changed and hit is not UNKNOWN)
        return self

    def blocked_by(self, task_id, status):
        """Open predecessors of an open task (a closed task waits for nothing)."""
        if status not in OPEN:
            return []
        return [pred for pred in self.depends_on.get(task_id, ())
                if self.states.get(pred, (pred, "DONE"))[1] in OPEN]

    def view(self, row, now, bound=None):
        """(forecast ISO or None, at_risk) of a task with open predecessors, else None; `bound`
        (its _bound, already found) saves computing it again."""
        if not self.blocked_by(row.id, row.status):
            return None
        if bound is None:
            found, floor = self._through(row, now)
            bound = (found, True) if found else (floor, False)
        when, exact = bound
        due = as_time(row.due_date) if row.due_date is not None else None
        at_risk = due is not None and when is not None and when > due
        iso = when.isoformat(timespec="seconds") + "+00:00" if exact else None
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
            elif node in self.memo:
                continue
            elif self.unchanged is not None and node not in self.changed:
                self.memo[node] = self.unchanged._bound(node, now)
            else:
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


Row = collections.namedtuple("Row", State._fields + ("due_date",))


def moved_below(task_id, before, now):
    """What a change to `task_id` alone did below it: ({descendant id: whether its blocked_by
    moved} for each whose blocked_by, forecast or at_risk moved, the graph read). `before` is
    Graph.upstream(task_id) read before the change. Nothing below is read when the task's own
    bound and openness stayed, and the walk goes down only through tasks whose bound moved."""
    after = Graph.upstream(task_id)
    moved = after._bound(task_id, now) != before.shares(after, task_id)._bound(task_id, now)
    was_open, is_open = (graph.states[task_id][1] in OPEN for graph in (before, after))
    if was_open == is_open and (not is_open or not moved):
        return {}, after
    below = descendants(task_id)
    region, rows = Graph.for_ids(below).shares(after), {}
    for chunk in _chunks(below):
        for found in db.execute_sql(sql(STATE_AND_DUE + " WHERE "
                                        + _where_in("id", chunk)), chunk).fetchall():
            rows[found[0]] = Row._make(found)
            region.states[found[0]] = tuple(found[:len(State._fields)])
    past = region.as_before(task_id, before, before.memo[task_id], below)
    return _walk(task_id, rows, past, region, now), region


def _walk(task_id, rows, past, region, now):
    successors = collections.defaultdict(list)
    for node in rows:
        for pred in region.depends_on.get(node, ()):
            successors[pred].append(node)
    moved, seen, frontier = {}, set(), [task_id]
    while frontier:
        for node in successors.get(frontier.pop(), ()):
            if node in seen:
                continue
            seen.add(node)
            row = rows[node]
            bounds = past._bound(node, now), region._bound(node, now)
            then = past.blocked_by(node, row.status), past.view(row, now, bounds[0])
            later = region.blocked_by(node, row.status), region.view(row, now, bounds[1])
            if then != later:
                moved[node] = then[0] != later[0]
            if row.status in OPEN and bounds[0] != bounds[1]:
                frontier.append(node)  # its own dependents wait on it: they may move too
    return moved
