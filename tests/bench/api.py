"""REST API benchmark: this server beside a bare Tornado JSON handler, measured in the same run.

Prints throughput and p50/p99 for durable progress POSTs at 50 clients, /api/employee-tasks/ 200
and 304, and /api/admin/task-status/ at 10,000 tasks, with the ratios to the bare handler.
Run: .venv/bin/python tests/bench/api.py [--seconds 4] [--rounds 3]"""
import argparse
import datetime
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parents[1])]

import requests  # noqa: E402

import loadgen  # noqa: E402
from support.client import Api, Company  # noqa: E402
from support.server import ServerProcess, free_port, server_env, start_server  # noqa: E402


def rss_kib(pid):
    for line in Path("/proc/%d/status" % pid).read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def bare_server():
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(HERE / "bare_server.py"), str(port)])
    for _ in range(100):
        try:
            requests.get("http://127.0.0.1:%d/api/employee-tasks/" % port, timeout=1)
            return proc, port
        except requests.RequestException:
            import time
            time.sleep(0.05)
    raise RuntimeError("bare server did not start")


def progress_requests(workers):
    def for_client(i):
        employee, task = workers[i % len(workers)]
        auth = {"Authorization": "Bearer %s" % employee.token}

        def make(n):
            body = loadgen.json_body({"progress_percentage": n % 99 + 1, "notes": "bench",
                                      "client_update_id": uuid.uuid4().hex})
            return "POST", "/api/task/%d/progress/" % task["id"], auth, body
        return make
    return for_client


def get_requests(path, headers):
    return lambda i: (lambda n: ("GET", path, headers, None))


def fill_10k(db_url, count=10000):
    """10,000 tasks with a create row each, written straight through the models (fast)."""
    from server.store import database, migrations, models, times
    from server.services.record import audit
    database.open_database(db_url)
    migrations.migrate()
    now = times.utcnow()
    with database.db.atomic():
        admin = models.User.get(models.User.role == "OWNER")
        people = [models.User.create(username="bulk%03d" % i, full_name="Bulk %d" % i,
                                     password_hash="x") for i in range(100)]
        rows = []
        for i in range(count):
            rows.append({"title": "Bulk task %d" % i, "description": "", "assignee": people[i % 100].id,
                         "created_by": admin.id, "priority": ("LOW", "MEDIUM", "HIGH", "URGENT")[i % 4],
                         "status": ("PENDING", "IN_PROGRESS", "DONE")[i % 3],
                         "progress_percentage": (0, 50, 100)[i % 3],
                         "due_date": now + datetime.timedelta(hours=i % 200 - 50),
                         "created_at": now, "updated_at": now})
        for start in range(0, count, 500):
            models.Task.insert_many(rows[start:start + 500]).execute()
        for task in models.Task.select(models.Task.id, models.Task.progress_percentage):
            audit.append(task_id=task.id, user_id=admin.id, action="create", new_percentage=0,
                         new_status="PENDING", notes="bulk", task_version=1)
    database.db.close()


def line(name, figures, baseline=None, key="rps"):
    ratio = ""
    if baseline:
        ratio = "%.2f x bare" % (figures[key] / baseline[key])
    bad = {s: c for s, c in figures["statuses"].items() if s >= 400}
    print("%-48s %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  %-12s loadgen CPU %3.0f%% %s" % (
        name, figures["rps"], figures["p50_ms"], figures["p99_ms"], ratio,
        100 * figures["loadgen_cpu"], ("errors %s" % bad) if bad else ""))


def median_run(runs):
    """The run with the median rate (its own latencies kept), and every round's rate."""
    ordered = sorted(runs, key=lambda r: r["rps"])
    return dict(ordered[len(ordered) // 2], rounds=[r["rps"] for r in runs])


def interleaved(name, rounds, bare, ours):
    """Alternate the baseline and this server `rounds` times (so drift on a shared machine hits
    both alike); print the median of each and the median of the per-round ratios."""
    bare_runs, our_runs = [], []
    for _ in range(rounds):
        bare_runs.append(bare())
        our_runs.append(ours())
    ratios = sorted(o["rps"] / b["rps"] for o, b in zip(our_runs, bare_runs))
    line("bare: " + name, median_run(bare_runs))
    line("ours: " + name, median_run(our_runs))
    print("%-48s median %.2f x bare (rounds: %s)" % (
        "", ratios[len(ratios) // 2], ", ".join("%.2f" % r for r in ratios)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0, help="per round and server")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    seconds, rounds = args.seconds, args.rounds
    bare_proc, bare_port = bare_server()
    srv = ServerProcess("sqlite:///%s" % (tmp / "demo.db"), tmp / "demo.log",
                        env=server_env(TRACKER_DEMO="true")).start()
    try:
        print("== demo-sized SQLite (WAL, synchronous=FULL) beside a bare Tornado JSON handler, "
              "%d alternating rounds of %.0f s ==" % (rounds, seconds))
        company = Company.__new__(Company)
        company.server, company.owner = srv, Api(srv.url).login("olivia", "owner-demo-pass")
        workers = []
        for _ in range(50):
            employee = company.user()
            workers.append((employee, company.task(employee)))
        interleaved("POST progress, 50 clients (durable)", rounds,
                    lambda: loadgen.run(bare_port, lambda i: (lambda n: (
                        "POST", "/api/task/1/progress/", {},
                        loadgen.json_body({"progress_percentage": n % 100}))), 50, seconds),
                    lambda: loadgen.run(srv.port, progress_requests(workers), 50, seconds))
        emma = Api(srv.url).login("emma", "employee-demo-pass")
        auth = {"Authorization": "Bearer %s" % emma.token}
        interleaved("GET /api/employee-tasks/ 200, 10 clients", rounds,
                    lambda: loadgen.run(bare_port, get_requests("/api/employee-tasks/", {}), 10, seconds),
                    lambda: loadgen.run(srv.port, get_requests("/api/employee-tasks/", auth), 10, seconds))
        tag = emma.get("/api/employee-tasks/").headers["ETag"]
        interleaved("GET /api/employee-tasks/ 304, 10 clients", rounds,
                    lambda: loadgen.run(bare_port, get_requests(
                        "/api/employee-tasks/", {"If-None-Match": '"fixed"'}), 10, seconds),
                    lambda: loadgen.run(srv.port, get_requests("/api/employee-tasks/", dict(auth, **{
                        "If-None-Match": tag})), 10, seconds))
        print("server RSS after the runs: %.1f MiB" % (rss_kib(srv.proc.pid) / 1024))
    finally:
        srv.stop()
        bare_proc.terminate()

    print("\n== this server, 10,000 tasks ==")
    big = tmp / "big"
    big.mkdir()
    db_url = "sqlite:///%s" % (big / "tracker.db")
    srv = start_server(big, db_url=db_url)
    srv.stop()
    fill_10k(db_url)
    srv = ServerProcess(db_url, big / "server.log", env=server_env()).start()
    try:
        owner = Company(srv).owner
        auth = {"Authorization": "Bearer %s" % owner.token}
        size = len(owner.get("/api/admin/task-status/").content)
        status = loadgen.run(srv.port, get_requests("/api/admin/task-status/", auth), 1, seconds * rounds)
        line("GET /api/admin/task-status/ (1 client)", status)
        print("  answer size %.1f MiB for 10,000 tasks; goal p99 <= 50 ms" % (size / 2**20))
        print("server RSS: %.1f MiB" % (rss_kib(srv.proc.pid) / 1024))
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
