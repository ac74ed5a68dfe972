"""Dependency benchmark (not in CI): 10,000 tasks and 50,000 links on SQLite (or --db URL).

Prints p50/p99 of adding a link (cycle check included: links that would close a cycle are timed
too) and, for progress on a predecessor, how many tasks it read again against the whole board.
Target: adding a link p99 <= 20 ms. Run: .venv/bin/python tests/bench/dependencies.py
[--forecasts]: with --forecasts every task has a pace and a due date, so a link or a report moves
forecasts and at_risk downstream (without, no task has a forecast and nothing below moves)."""
import argparse
import datetime
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parents[1])]

from server.services.tasks import links as dependencies, graph as dependency_view  # noqa: E402
from server.services.core.errors import ServiceError  # noqa: E402
from server.store import database as store, migrations  # noqa: E402
from server.store.database import db  # noqa: E402
from server.store.models import User  # noqa: E402
from server.store.times import utcnow  # noqa: E402
from support.db import progress  # noqa: E402


def fill(tasks, links, cluster, rng, forecasts=False):
    """Tasks with a random DAG of links: a task depends only on older ones of its own cluster
    of `cluster` tasks (a project's plan)."""
    now = utcnow()
    with db.atomic():
        boss = User.create(username="boss", role="ADMIN", password_hash="x")
        ann = User.create(username="ann", password_hash="x")
        db.execute_sql("INSERT INTO task (title, description, assignee_id, created_by_id, priority, "
                       "status, progress_percentage, created_at, updated_at, version) "
                       "SELECT 't', '', %d, %d, 'MEDIUM', 'IN_PROGRESS', 10, ?, ?, 1 FROM "
                       "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
                       "SELECT i FROM n)" % (ann.id, boss.id, tasks), (str(now), str(now)))
        pairs = set()
        while len(pairs) < links:
            later = rng.randint(2, tasks)
            first = (later - 1) // cluster * cluster + 1
            if later > first:
                pairs.add((later, rng.randint(first, later - 1)))
        db.obj.cursor().executemany(
            "INSERT INTO task_dependency (task_id, depends_on_id, created_by_id, created_at) "
            "VALUES (?, ?, ?, ?)", [(a, b, boss.id, str(now)) for a, b in pairs])
        if forecasts:  # 2 to 30 points an hour over the last 4 h, due within 4 days
            last = now - datetime.timedelta(minutes=30)
            db.obj.cursor().executemany(
                "UPDATE task SET pace_gain = ?, pace_seconds = 14400.0, last_progress_update_at = ?, "
                "due_date = ? WHERE id = ?",
                [(4.0 * rng.randint(2, 30), str(last), str(now + datetime.timedelta(hours=rng.randint(2, 96))), i)
                 for i in range(1, tasks + 1)])
    return boss, ann


def time_links(boss, tasks, rounds, rng):
    timings, refused = [], 0
    for _ in range(rounds):
        a = rng.randint(1, tasks)  # within a plan half the time, across plans the other half
        b = rng.randint(1, tasks) if rng.random() < 0.5 else min(tasks, a + rng.randint(-20, 20) or 1)
        if a == b:
            b = a % tasks + 1
        start = time.perf_counter()
        try:
            with db.atomic() as txn:
                dependencies.link(boss, a, b)
                txn.rollback()  # keep the graph as built: every round meets the same one
        except ServiceError:
            refused += 1
        timings.append((time.perf_counter() - start) * 1000)
    return timings, refused


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--links", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--cluster", type=int, default=50,
                        help="tasks per connected plan; 10,000 makes one plan of everything")
    parser.add_argument("--forecasts", action="store_true", help="every task with a pace and a due date")
    args = parser.parse_args()
    rng = random.Random(7)
    folder = tempfile.mkdtemp()
    store.open_database("sqlite:///%s/bench.db" % folder).connect()
    migrations.migrate()
    boss, ann = fill(args.tasks, args.links, args.cluster, rng, args.forecasts)
    timings, refused = time_links(boss, args.tasks, args.rounds, rng)
    timings.sort()
    print("add a link: p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d of %d refused as cycles "
          "or duplicates)" % (statistics.median(timings), timings[int(len(timings) * 0.99) - 1],
                              timings[-1], refused, args.rounds))
    task_id = args.tasks // 2 // args.cluster * args.cluster + 1  # the first of a plan: most below it
    below = len(dependency_view.descendants(task_id))
    start = time.perf_counter()
    progress(ann, task_id, 50)
    print("progress on #%d (%d descendants of %d tasks): %.1f ms" % (
        task_id, below, args.tasks, (time.perf_counter() - start) * 1000))
    leaf = args.tasks  # nothing depends on the newest task
    start = time.perf_counter()
    progress(ann, leaf, 50)
    print("progress on a task without dependents: %.2f ms" % ((time.perf_counter() - start) * 1000))


if __name__ == "__main__":
    main()
