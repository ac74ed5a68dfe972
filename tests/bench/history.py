"""History benchmark: the admin's reads at 1x and 10x history in one run, or at a year's size.

Each scale gets a fresh SQLite database filled by tests/bench/history_data.py (a bulk path that
keeps the hash chain valid; verify-audit runs on it), then a real server; every read is timed
in --rounds rounds of --repeat requests after a warm-up, the scales taking turns read by read
(both servers run at once: the machine's drift falls on both). Prints p50/p99 per read and,
for 1x/10x, the ratios.

    .venv/bin/python tests/bench/history.py [--repeat 30] [--tasks 2000] [--rows 22000]
    .venv/bin/python tests/bench/history.py --year   # 1,000,000 rows, 10,000 tasks, 500 people
    .venv/bin/python tests/bench/history.py --year --data /tmp/year   # built once, kept, reused
    .venv/bin/python tests/bench/history.py --year --data /tmp/year --bytes   # bytes, not times

History grows with time: 10x history spans 10x the days at the same daily rate (so the last
24 h hold what they held), unless --dense packs every row into the last six days (the issue's
measurement: all of it inside the 7-day window). --bytes: what the statistics page and the task
page bring over the wire, gzip and uncompressed (tests/bench/history_wire.py), instead of times."""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parents[1])]

import history_data  # noqa: E402
import history_wire  # noqa: E402
from support.browser import form_session  # noqa: E402
from support.client import Api  # noqa: E402
from support.server import OWNER_PASSWORD, ROOT, ServerProcess, run_cli, server_env  # noqa: E402


def reads(task_id):
    """(name, how: "api" or "page", path) of each admin read the issue names."""
    return [("statistics 24 h", "api", "/api/admin/statistics/?hours=24"),
            ("statistics 7 days", "api", "/api/admin/statistics/?hours=168"),
            ("statistics page", "page", "/dashboard/tasks/statistics/"),
            ("monitor data (snapshot.json)", "page", "/dashboard/tasks/monitor/snapshot.json"),
            ("task status", "api", "/api/admin/task-status/"),
            ("task page", "page", "/dashboard/tasks/%d/" % task_id),
            ("task history (first page)", "api", "/api/task/%d/history/" % task_id),
            ("task history (10 rows)", "api", "/api/task/%d/history/?limit=10" % task_id),
            ("users (first page)", "api", "/api/admin/users/")]


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(get, path, repeat):
    """Milliseconds of each of `repeat` requests."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    return times


def logged_as(path):
    """The path as the access log writes it: query values left out."""
    base, _, query = path.partition("?")
    return base + ("?" + "&".join(part.split("=")[0] + "=" for part in query.split("&")) if query else "")


class ServerTimes:
    """The server's own time for each request (its access log's last field: from the request's
    arrival to its answer handed to the socket), read from the log after each batch."""

    def __init__(self, log_path):
        self.log_path = Path(log_path)
        self.offset = 0

    def mark(self):
        self.offset = self.log_path.stat().st_size

    def since_mark(self, path, count, timeout=10.0):
        """The ms of the `count` requests for `path` logged since mark() (query values redacted)."""
        logged = logged_as(path)
        deadline = time.monotonic() + timeout
        while True:
            with open(self.log_path, "rb") as log:
                log.seek(self.offset)
                lines = log.read().decode("utf-8", "replace").splitlines()
            found = [float(line.rsplit(" ", 1)[1][:-2]) for line in lines
                     if " 200 GET %s " % logged in line]
            if len(found) >= count or time.monotonic() > deadline:
                return found[-count:]
            time.sleep(0.05)  # the log is written once per turn of the server's loop


def verify(db_url):
    """`python -m server verify-audit` (no 60 s cap: a million rows take a while)."""
    proc = subprocess.run([sys.executable, "-m", "server", "verify-audit", "--db", db_url],
                          cwd=ROOT, env=server_env(), capture_output=True, text=True)
    return "ok" if proc.returncode == 0 else "FAILED " + (proc.stdout + proc.stderr)[-300:]


def prepare(workdir, employees, tasks, rows, intervals, days):
    """A database of that size, checked by verify-audit, and a server on it. A database already
    in `workdir` (--data) is reused as it is: its windows have moved on by the time since."""
    db_url = "sqlite:///%s" % (workdir / "history.db")
    if (workdir / "history.db").exists():
        ids = history_data.task_ids(db_url)
        print("  reusing %s (%d tasks)" % (workdir / "history.db", len(ids)))
    else:
        run_cli("adduser", "root", "--role", "OWNER", "--full-name", "Root", "--password",
                OWNER_PASSWORD, db_url=db_url)
        began = time.perf_counter()
        ids = history_data.build(db_url, employees, tasks, rows, intervals, days)
        built = time.perf_counter() - began
        print("  built %d audit rows in %.0f s; verify-audit: %s" % (rows, built, verify(db_url)))
    server = ServerProcess(db_url, workdir / "server.log", env=server_env()).start(timeout=600)
    api, page = Api(server.url).login("root", OWNER_PASSWORD), form_session(server.url)
    getters = {"api": api.get, "page": lambda path, **kw: page.get(server.url + path, timeout=60, **kw),
               "log": ServerTimes(workdir / "server.log")}
    return server, getters, reads(ids[len(ids) // 2])


def interleave(targets, rounds, repeat):
    """({scale: {read: [ms...]}}, the same as the server logged them): every read measured on
    each scale in turn, round after round, so that the machine's drift (other work on a shared
    box) falls on all scales alike."""
    found = {scale: {} for scale in targets}
    served = {scale: {} for scale in targets}
    count = len(next(iter(targets.values()))[1])
    for number in range(rounds):
        for index in range(count):
            for scale, (getters, plan) in targets.items():
                name, how, path = plan[index]
                if number == 0:
                    getters[how](path)  # warm-up: the board, caches, the first render
                getters["log"].mark()
                found[scale].setdefault(name, []).extend(timed(getters[how], path, repeat))
                served[scale].setdefault(name, []).extend(getters["log"].since_mark(path, repeat))
    return found, served


def show(title, figures, base=None, served=None):
    """Client p50/p99 (and the server's own, from its log), per read."""
    print(title + ("   (client | server)" if served else ""))
    for name, times in figures.items():
        p50, p99 = pct(times, 0.5), pct(times, 0.99)
        ratio = "" if base is None else "  ratio p50 %.2f" % (p50 / pct(base[name], 0.5))
        own = "" if not served or not served.get(name) else " | server p50 %7.1f ms  p99 %7.1f ms" % (
            pct(served[name], 0.5), pct(served[name], 0.99))
        print("  %-30s p50 %7.1f ms  p99 %7.1f ms%s%s" % (name, p50, p99, own, ratio))


def wire_bytes(server, getters, plan):
    """--bytes: each read alone, gzip and identity; the two pages in Chromium on the office line."""
    from playwright.sync_api import sync_playwright
    busiest, rows = history_data.busiest_task(server.db_url)
    task_page = next(path for name, _, path in plan if name == "task page")
    print("  task page: %s; the busiest task: #%d, %d audit rows" % (task_page, busiest, rows))
    history_wire.alone(getters, plan)
    with sync_playwright() as playwright:
        history_wire.browse(playwright, server.url, plan, busiest)
    print("  load average after: %.2f %.2f %.2f" % os.getloadavg())


def run(args, tmp, servers):
    if args.year:
        print("a year: 1,000,000 audit rows, 10,000 tasks, 500 employees, 500,000 intervals")
        workdir = Path(args.data or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        server, getters, plan = prepare(workdir, 500, 10000, 1_000_000, 500_000, 365)
        servers.append(server)
        print("  load average before: %.2f %.2f %.2f" % os.getloadavg())
        if args.bytes:
            return wire_bytes(server, getters, plan)
        found, served = interleave({"year": (getters, plan)}, args.rounds, args.repeat)
        print("  load average after: %.2f %.2f %.2f" % os.getloadavg())
        show("a year", found["year"], served=served["year"])
        return
    targets = {}
    for factor in (1, 10):
        days = 6 if args.dense else args.days * factor
        print("%dx: %d audit rows over %.1f days" % (factor, args.rows * factor, days))
        workdir = Path(tmp) / ("x%d" % factor)
        workdir.mkdir()
        server, getters, plan = prepare(workdir, args.employees, args.tasks, args.rows * factor,
                                        args.rows * factor // 2, days)
        servers.append(server)
        targets[factor] = (getters, plan)
    found, served = interleave(targets, args.rounds, args.repeat)
    show("1x", found[1], served=served[1])
    show("10x", found[10], found[1], served=served[10])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="requests per read per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--employees", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=22000, help="audit rows at 1x")
    parser.add_argument("--days", type=float, default=36.5, help="days the 1x history spans")
    parser.add_argument("--dense", action="store_true", help="every row inside the last 6 days")
    parser.add_argument("--year", action="store_true")
    parser.add_argument("--bytes", action="store_true", help="--year: bytes over the wire of the "
                        "statistics page and the task page (and each read), not times")
    parser.add_argument("--data", help="--year: build the database in this folder once, keep it "
                        "and reuse it on later runs")
    args = parser.parse_args()
    if args.bytes and not args.year:
        parser.error("--bytes measures the year's database: add --year")
    servers = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            run(args, tmp, servers)
        finally:
            for server in servers:
                server.stop()


if __name__ == "__main__":
    main()
