"""Finish-to-start links set by admins, the refusals they bring, and the task.changed events for
the dependents a change moves (SPEC 10.2)."""
from server.store.database import db, sql
from server.store.times import db_time, utcnow
from server.services.record import audit, eventlog
from server.services.tasks import graph as dependency_view
from server.services.core import validate
from server.services.tasks.graph import OPEN
from server.services.core.errors import Conflict, NotFound, ValidationError
from server.services.tasks.view import fetch, load
from server.services.language.text import _l


class DependencyCycle(Conflict):
    code = "dependency_cycle"

    def __init__(self, cycle):
        super().__init__("the link would close a cycle: %s" % " -> ".join("#%d" % i for i in cycle),
                         "depends_on")
        self.details = {"cycle": cycle}


class DuplicateLink(Conflict):
    code = "dependency_exists"


class Blocked(Conflict):
    code = "blocked"

    def __init__(self, task_id, blockers):
        super().__init__("task %d is blocked by %s: they must be finished or cancelled first"
                         % (task_id, ", ".join("#%d" % i for i in blockers)), "blocked_by")
        self.details = {"blocked_by": blockers}


def parse_link(data):
    validate.require_object(data)
    validate.only_fields(data, ("depends_on",))
    return validate.reference_id(data, "depends_on")


def open_blockers(task_id):
    """Ids of the task's predecessors that are still open."""
    return [pred for (pred,) in db.execute_sql(sql(
        "SELECT d.depends_on_id FROM task_dependency d JOIN task p ON p.id = d.depends_on_id "
        "WHERE d.task_id = ? AND p.status IN (?, ?) ORDER BY d.depends_on_id"),
        (task_id,) + OPEN).fetchall()]


def check_may_complete(task_id):
    """Completion of a task with open predecessors: 409 `blocked`, naming them."""
    blockers = open_blockers(task_id)
    if blockers:
        raise Blocked(task_id, blockers)


def _predecessors(task_ids):
    marks = ", ".join("?" * len(task_ids))
    return db.execute_sql(sql("SELECT task_id, depends_on_id FROM task_dependency WHERE task_id IN "
                              "(%s)" % marks), list(task_ids)).fetchall()


def find_cycle(task_id, depends_on):
    """The path [task_id, depends_on, ..., task_id] that linking would close, or None: a
    breadth-first walk up from `depends_on` that stops when it meets `task_id`."""
    parent, frontier = {depends_on: None}, [depends_on]
    while frontier:
        step = []
        for start in range(0, len(frontier), 400):
            for child, pred in _predecessors(frontier[start:start + 400]):
                if pred in parent:
                    continue
                parent[pred] = child
                if pred == task_id:
                    return _path(parent, task_id)
                step.append(pred)
        frontier = step
    return None


def _path(parent, task_id):
    path, node = [], task_id
    while node is not None:
        path.append(node)
        node = parent[node]
    return [task_id] + path[::-1]


def _task_row(task_id, field=None):
    found = db.execute_sql(sql("SELECT id, status, progress_percentage, version FROM task "
                               "WHERE id = ?"), (task_id,)).fetchone()
    if found is None:
        raise NotFound(_l("task %(task_id)s does not exist", task_id=task_id), field)
    return found


def _record(admin, task, action, notes, now):
    """Bump the dependent's version (its object changed) and write the audit row."""
    task_id, status, progress, version = task
    db.execute_sql(sql("UPDATE task SET version = ?, updated_at = ? WHERE id = ?"),
                   (version + 1, db_time(now), task_id))
    audit.append(task_id=task_id, user_id=admin.id, action=action, previous_percentage=progress,
                 new_percentage=progress, previous_status=status, new_status=status,
                 notes=notes, task_version=version + 1, created_at=now)


def link(admin, task_id, depends_on):
    """`task_id` depends on `depends_on` from now on; returns the dependent's task object."""
    audit.lock_chain()  # serializes links across processes: two halves of a cycle cannot race
    task = _task_row(task_id)
    _task_row(depends_on, "depends_on")
    if task_id == depends_on:
        raise ValidationError(_l("a task cannot depend on itself"), "depends_on")
    if db.execute_sql(sql("SELECT 1 FROM task_dependency WHERE task_id = ? AND depends_on_id = ?"),
                      (task_id, depends_on)).fetchone():
        raise DuplicateLink("task %d already depends on task %d" % (task_id, depends_on),
                            "depends_on")
    cycle = find_cycle(task_id, depends_on)
    if cycle:
        raise DependencyCycle(cycle)
    ripple, now = Ripple(task_id), utcnow()
    db.execute_sql(sql("INSERT INTO task_dependency (task_id, depends_on_id, created_by_id, "
                       "created_at) VALUES (?, ?, ?, ?)"), (task_id, depends_on, admin.id, db_time(now)))
    _record(admin, task, "link", "Depends on #%d" % depends_on, now)
    return ripple.announce(now)


def unlink(admin, task_id, depends_on):
    """Remove the link; 404 when there is none."""
    audit.lock_chain()
    task = _task_row(task_id)
    ripple, now = Ripple(task_id), utcnow()
    removed = db.execute_sql(sql("DELETE FROM task_dependency WHERE task_id = ? AND "
                                 "depends_on_id = ?"), (task_id, depends_on)).rowcount
    if not removed:
        raise NotFound(_l("task %(task_id)d does not depend on task %(depends_on)s",
                          task_id=task_id, depends_on=depends_on))
    _record(admin, task, "unlink", "No longer depends on #%d" % depends_on, now)
    ripple.announce(now)


def neighbours(task_id):
    """{"predecessors": [task…], "successors": [task…]} of one task, for its page."""
    preds = [p for (p,) in db.execute_sql(sql(
        "SELECT depends_on_id FROM task_dependency WHERE task_id = ?"), (task_id,)).fetchall()]
    succs = [s for (s,) in db.execute_sql(sql(
        "SELECT task_id FROM task_dependency WHERE depends_on_id = ?"), (task_id,)).fetchall()]
    return {"predecessors": _objects(preds), "successors": _objects(succs)}


def _objects(ids, now=None, graph=None):
    """Task objects; `graph` (one holding their links and forecasts) saves reading it again."""
    if not ids:
        return []
    return fetch("t.id IN (%s)" % ", ".join("?" * len(ids)), ids, now, graph=graph)


class Ripple:
    """What a change to one task does to the tasks downstream of it: take `Ripple(task_id)`
    before the change, call announce() after it. Only the task and what is above it are read
    before; after, only the descendants, and only when the task's own bound moved."""

    def __init__(self, task_id, include_self=True, known=None):
        self.task_id, self.include_self = task_id, include_self
        if known is not None:  # dependency_view.touching: the links on either side, read already
            below = any(pred == task_id for _dep, pred in known)
        else:
            below = dependency_view.has_dependents(task_id)
        self.before = dependency_view.Graph.upstream(task_id, known) if below else None

    def announce(self, now=None):
        """task.changed for each descendant whose blocked_by, forecast or at_risk moved (and for
        the task itself with include_self); returns the task's own object."""
        now = now or utcnow()
        moved, graph = {}, None
        if self.before is not None:
            moved, graph = dependency_view.moved_below(self.task_id, self.before, now)
        ids = sorted(moved) + ([self.task_id] if self.include_self else [])
        if not ids:
            return None  # the common case: nothing downstream, and no read
        own = None
        for task in _objects(ids, now, graph):
            if task["id"] == self.task_id:
                own = task
            elif moved[task["id"]]:
                _bump(task)  # what it waits for changed: a new version, so list ETags move
            eventlog.append("task.changed", task=task, subject_id=task["assignee"]["id"], now=now)
        return own if own is not None or not self.include_self else load(self.task_id, now)


def _bump(task):
    db.execute_sql(sql("UPDATE task SET version = version + 1 WHERE id = ?"), (task["id"],))
    task["version"] += 1
