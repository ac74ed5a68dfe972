"""Monitor benchmark (prints figures; not a test, not in CI): in Chromium, the monitor of 10,000
tasks and 500 employees on loopback and on an office line (CDP Network.emulateNetworkConditions:
20 Mbit/s, 40 ms), for one or two checkouts run side by side on copies of one database:

    .venv/bin/python tests/bench/monitor.py [--before DIR] [--year] [--away 60 --rate 2]

Per checkout and line it prints: *first task* (the page's `monitor:drawn` mark: navigation start
to the first frame with cards, the board's download included), the bytes over the wire before
it (CDP Network.loadingFinished, every response of the load with a cold cache, the cards'
updates read after the first frame counted apart), the JS heap, *report visible* (a progress
POST until its card's percentage changes, from a MutationObserver's wall time), *event applied*
(the `monitor:frame` measure), and a *reconnect*: auto-refresh off for `--away` seconds while a
worker reports `--rate` times a second, then on: the bytes until the page is quiet again (HTTP
and WebSocket frames). `--before DIR`: a checkout of the code before (e.g. `git worktree add`),
its server started from there on its own copy of the same database, the two alternated."""
import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from support.browser import CHROMIUM, CHROMIUM_ARGS, sign_in, wait_live  # noqa: E402
from support.client import Api  # noqa: E402
from support.server import OWNER_PASSWORD, USER_PASSWORD, ServerProcess, run_cli, server_env  # noqa: E402
from bench.monitor_wire import Wire, OFFICE  # noqa: E402

SEED = r"""
import sys
from server.store import database, migrations
from server.store.database import db
from server.store.models import Project, Task, User
url, count, staff, password_hash = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
database.open_database(url)
db.connect()
migrations.migrate()
with db.atomic():  # rows straight in: the monitor needs tasks, not their history
    admin = User.create(username="seeder", full_name="Seeder", role="ADMIN", password_hash="!")
    people = [User.create(username="worker%03d" % i, full_name="Worker %03d" % i,
                          password_hash=password_hash) for i in range(staff)]
    projects = [Project.create(name="Project %02d" % i, description="") for i in range(25)]
    rows = [{"title": "Bulk task %05d" % i, "assignee": people[i % staff].id, "created_by": admin.id,
             "project": projects[i % 26].id if i % 26 < 25 else None,
             "priority": ("LOW", "MEDIUM", "HIGH", "URGENT")[i % 4]} for i in range(count)]
    for start in range(0, count, 500):
        Task.insert_many(rows[start:start + 500]).execute()
"""
MONITOR = "/dashboard/tasks/monitor/"
SEEN = """() => { window.__seen = {}; new MutationObserver((changes) => {
  const at = performance.timeOrigin + performance.now();
  for (const change of changes) {
    const pct = change.target.closest && change.target.closest('[data-ref=pct]');
    const card = pct && pct.closest('[data-id]');
    if (card) window.__seen[card.dataset.id + ':' + pct.textContent] ??= at;
  }}).observe(document.getElementById('grid'), {subtree: true, childList: true, characterData: true}); }"""


def password_hash():
    from server.services.people.auth import PasswordHasher
    return PasswordHasher(1, 8192).hash(USER_PASSWORD)


def build(folder, args):
    """One database for every checkout: 10,000 bare tasks, or (--year) a year of history."""
    path = folder / "seed.db"
    url = "sqlite:///%s" % path
    if args.year:
        from bench import history_data
        run_cli("adduser", "root", "--role", "OWNER", "--password", OWNER_PASSWORD, db_url=url)
        history_data.build(url, args.employees, args.tasks, args.tasks * 6, args.employees * 10, 365)
        db = sqlite3.connect(path)  # workers who can sign in and report
        with db:
            db.execute("UPDATE user SET password_hash = ? WHERE role = 'EMPLOYEE'", (password_hash(),))
        db.close()  # the last connection: its WAL is checkpointed into the file copied below
    else:
        subprocess.run([sys.executable, "-c", SEED, url, str(args.tasks), str(args.employees), password_hash()],
                       cwd=ROOT, env=server_env(), check=True, timeout=300)
        run_cli("adduser", "root", "--role", "OWNER", "--password", OWNER_PASSWORD, db_url=url)
    return path


def serve(seed, folder, name, checkout):
    copy = folder / ("%s.db" % name)
    shutil.copy(seed, copy)
    command = [sys.executable, "-m", "server", "serve"]
    return ServerProcess("sqlite:///%s" % copy, folder / ("%s.log" % name), command=command,
                         cwd=checkout).start(timeout=120)


def first_task(page, wire, url, cold):
    """(ms to the first task drawn, bytes before it, bytes of the cards' updates after it)."""
    if cold:
        wire.cdp.send("Network.clearBrowserCache")
    wire.reset()
    page.goto(url)
    page.wait_for_function("() => performance.getEntriesByName('monitor:drawn').length > 0", timeout=120000)
    page.wait_for_selector("#grid [data-id]")
    drawn = page.evaluate("performance.getEntriesByName('monitor:drawn')[0].startTime")
    page.wait_for_load_state("networkidle")
    return drawn, wire.total(exclude="task-updates"), wire.total(only="task-updates")


class Workers:
    """The assignee of any task, signed in once: reports come from whoever the task is for."""

    def __init__(self, url):
        self.url, self.owner, self.signed = url, Api(url).login("root", OWNER_PASSWORD), {}

    def spread(self, count):
        """Sign in `count` people with tasks, so that reports fall all over the board."""
        tasks = self.owner.get("/api/admin/task-status/").json()["tasks"]
        for name in sorted({task["assignee"]["username"] for task in tasks})[:count]:
            if name not in self.signed:
                self.signed[name] = Api(self.url).login(name, USER_PASSWORD)

    def of(self, task_id):
        name = self.owner.get("/api/admin/tasks/%d/" % task_id).json()["assignee"]["username"]
        if name not in self.signed:
            self.signed[name] = Api(self.url).login(name, USER_PASSWORD)
        return self.signed[name]


def visible(page, workers, count):
    """(ms from each progress POST until its card shows it, frame durations), on drawn cards."""
    page.evaluate(SEEN)
    targets = page.locator("#grid [data-id]").evaluate_all("els => els.map(e => Number(e.dataset.id))")[:count]
    latencies, frames = [], []
    for step, task_id in enumerate(targets):
        worker = workers.of(task_id)
        shown = int(page.inner_text("#task-%d [data-ref=pct]" % task_id).split()[0])
        value = 1 + (shown + 7 + step) % 99  # never the value it shows (that would change nothing)
        page.evaluate("performance.clearMeasures('monitor:frame')")
        sent = time.time() * 1000
        assert worker.post("/api/task/%d/progress/" % task_id, {"progress_percentage": value}).ok
        key = "%d:%d %%" % (task_id, value)
        page.wait_for_function("k => window.__seen[k]", arg=key, timeout=30000)
        latencies.append(page.evaluate("k => window.__seen[k]", key) - sent)
        frames.append(page.evaluate("Math.max(...performance.getEntriesByName('monitor:frame').map(m => m.duration))"))
    return latencies, frames


def reconnect(page, wire, workers, away, rate):
    """Bytes moved to bring the page back after `away` seconds with `rate` reports a second, each
    on a task of one of 100 people (their tasks are spread over the board)."""
    workers.spread(100)
    own = sorted((t["id"], worker) for worker in workers.signed.values()
                 for t in worker.get("/api/employee-tasks/").json()["tasks"])
    page.click(".switch")  # auto-refresh off
    wait_live(page, "paused")
    start, sent = time.monotonic(), 0
    while time.monotonic() - start < away:
        due = start + sent / rate
        time.sleep(max(0.0, due - time.monotonic()))  # a load generator's pace, not a test's wait
        task_id, worker = own[(sent * 7919) % len(own)]
        worker.post("/api/task/%d/progress/" % task_id, {"progress_percentage": 1 + sent % 99})
        sent += 1
    wire.reset()
    page.click(".switch")
    wait_live(page)
    page.wait_for_load_state("networkidle")
    moved = -1
    while moved != wire.total():  # until a second passes with nothing more (the socket's replay)
        moved = wire.total()
        page.wait_for_timeout(1000)
    return moved, sent


def heap(wire):
    wire.cdp.send("HeapProfiler.collectGarbage")
    return wire.cdp.send("Runtime.getHeapUsage")["usedSize"]


def rss(srv):
    for line in open("/proc/%d/status" % srv.proc.pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(chromium, srv, line, args):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    wire = Wire(context.new_cdp_session(page), line)
    sign_in(page, srv.url)
    workers = Workers(srv.url)
    loads = [first_task(page, wire, srv.url + MONITOR, cold=True) for _ in range(args.loads)]
    warm = first_task(page, wire, srv.url + MONITOR, cold=False)
    used = heap(wire)
    wait_live(page)
    latencies, frames = visible(page, workers, args.events)
    back = reconnect(page, wire, workers, args.away, args.rate) if args.away else (0, 0)
    context.close()
    return {"drawn": statistics.median(x[0] for x in loads), "bytes": statistics.median(x[1] for x in loads),
            "updates": statistics.median(x[2] for x in loads), "warm": warm[0], "warm_bytes": warm[1],
            "heap": used, "visible": statistics.median(latencies), "visible_max": max(latencies),
            "frame": statistics.median(frames), "back": back[0], "sent": back[1]}


def report(name, line, m, srv):
    print("  %-7s %-8s first task %6.0f ms (warm %5.0f ms); before it %8.1f KB (warm %6.1f KB), updates "
          "after %5.1f KB; JS heap %5.1f MB; report visible p50 %5.1f ms (max %5.1f), event applied %4.2f ms;"
          " reconnect after %d reports: %7.1f KB; server RSS %5.1f MiB" % (
              name, line, m["drawn"], m["warm"], m["bytes"] / 1e3, m["warm_bytes"] / 1e3, m["updates"] / 1e3,
              m["heap"] / 1e6, m["visible"], m["visible_max"], m["frame"], m["sent"], m["back"] / 1e3, rss(srv)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--events", type=int, default=12, help="progress reports timed per run")
    parser.add_argument("--loads", type=int, default=3, help="cold page loads per run")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of the checkouts")
    parser.add_argument("--away", type=float, default=60.0, help="seconds away before the reconnect (0: none)")
    parser.add_argument("--rate", type=float, default=2.0, help="reports per second while away")
    parser.add_argument("--year", action="store_true", help="a year of history (6 updates a task)")
    parser.add_argument("--before", type=Path, help="a checkout of the code before, run beside this one")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    checkouts = ([("before", args.before.resolve())] if args.before else []) + [("after", ROOT)]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        seed = build(folder, args)
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print("monitor, %d tasks, %d employees%s, Chromium %s, %d CPUs (shared), load average %s" % (
            args.tasks, args.employees, ", a year of history" if args.year else "", chromium.version,
            os.cpu_count(), " ".join(open("/proc/loadavg").read().split()[:3])))
        try:
            for round_ in range(args.rounds):
                for name, checkout in checkouts:
                    srv = serve(seed, folder, "%s%d" % (name, round_), checkout)
                    try:
                        for line in ("loopback", "office"):
                            report(name, line, measure(chromium, srv, OFFICE if line == "office" else None, args), srv)
                    finally:
                        srv.stop()
            print("load average after: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
        finally:
            chromium.close()


if __name__ == "__main__":
    main()
