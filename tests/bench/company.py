"""Company-shaped load and soak benchmark (prints figures; not a test, not in CI).

N employees hold a WebSocket each and see only their own events, and send a heartbeat every 30 s
(--time-scale compresses that); M admin monitors hold a WebSocket and see everything; P progress
updates per second come from random employees (open loop: each update is due at t0 + i/P and its
latency counts from then). Prints p50/p99 of update -> admin and update -> employee delivery,
heartbeat p99, server CPU and RSS, gaps, duplicates and leaks (an event at the wrong employee);
with --soak MINUTES, RSS every --sample-minutes and its growth per 10 minutes. The figures start
once every employee's first heartbeat answered (the company online, a change of status each);
--cold starts them 5 s after the first heartbeats instead, while the company comes online.

    .venv/bin/python tests/bench/company.py [--employees 1000] [--admins 20] [--rate 10]
        [--seconds 60] [--soak MINUTES] [--postgres] [--processes 2] [--nginx]

With --nginx every client (sockets, heartbeats, progress POSTs, and the set-up) goes through one
Debian nginx with deploy/nginx/tracker.conf in front of the processes (tests/support/nginx.py),
as deployed; without it the clients take turns at the processes directly.

Servers (and nginx, master and workers) run pinned to CPU 0, this load generator to CPU 1 (as
tests/bench/push.py does); with --unpinned every process may run on any core (a machine with no
core to spare for the load generator: its work is then part of what the servers compete with)."""
import argparse
import asyncio
import concurrent.futures
import math
import os
import pathlib
import random
import resource
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from push import ROOT, WsClient, cpu_seconds, pct, pinned, rss_kib  # noqa: E402  (adds tests/ to the path)
sys.path.insert(0, ROOT)  # before tests/: its server/ folder is not the server package
from support.nginx import NGINX, Nginx  # noqa: E402
from support.server import free_port, server_env  # noqa: E402

OWNER_PASSWORD = "quartz-lantern-meadow-4821"  # the password rules refuse an easy one


class Receiver(WsClient):
    """A subscriber that notes each seq it receives: latency, duplicates, and seqs not meant for it."""

    def __init__(self, path, headers, run, expects):
        super().__init__(path, headers, None, run.sent)
        self.run, self.expects = run, expects  # expects(seq) -> True when this client should see it
        self.latencies, self.dups, self.leaks = [], 0, 0
        self.worst = {}  # seq -> latency (the slowest delivery of each update, to find stalls)

    def record(self, seq, now):
        if seq in self.seen:
            self.dups += 1
            return
        self.seen.add(seq)
        if not self.expects(seq):
            self.leaks += 1
            return
        latency = now - self.run.sent[seq]
        self.latencies.append(latency)
        if latency > self.worst.get(seq, 0.0):
            self.worst[seq] = latency

    def connection_lost(self, exc):
        self.run.closed += 1
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed during the handshake"))


class Run:
    def __init__(self):
        self.sent, self.owner_of, self.closed = {}, {}, 0
        self.heartbeats, self.heartbeat_errors, self.post_errors = [], 0, 0
        self.beat_seconds = {}  # second of the run -> its slowest heartbeat answer


# ---------------------------------------------------------------- servers

class Servers:
    """K `python -m server` processes on one database (SQLite: one process), pinned to CPU 0;
    with `clients` set, one nginx in front of them, pinned there too, sized for that many sockets."""

    def __init__(self, postgres, processes, extra_env=(), gc_probe=False, clients=None, cpu=0):
        self.pin = pinned(cpu) if cpu is not None else None
        self.tmp = tempfile.mkdtemp(prefix="companybench-")
        self.pg_name = None
        if postgres:
            from support.pg import create_pg_database
            self.pg_name, self.db = create_pg_database()
        else:
            self.db = "sqlite:///%s/company.db" % self.tmp
        # every client of the load generator shares one address, as behind a proxy: no cap per address
        # (behind nginx every connection comes from 127.0.0.1, as deployed, and the cap must be 0)
        settings = {"TRACKER_PUSH_MAX_CONNECTIONS": 50000, "TRACKER_PUSH_MAX_PER_USER": 50,
                    "TRACKER_MAX_CONNECTIONS_PER_ADDRESS": 0}
        if clients:
            settings["TRACKER_XHEADERS"] = "true"  # as deployed: the address from nginx's X-Real-IP
        settings.update(item.split("=", 1) for item in extra_env)  # --server-env wins
        self.env = server_env(**settings)
        self.ports = [free_port() for _ in range(processes)]
        self.procs = []
        self.clients, self.nginx = clients, None
        self.command = [sys.executable, "-m", "server"]
        if gc_probe:  # the same server, its collections timed (tests/bench/gc_probe.py)
            self.command = [sys.executable, os.path.join(ROOT, "tests", "bench", "gc_probe.py")]
            self.env["PYTHONPATH"] = str(ROOT)

    def start(self):
        subprocess.run([sys.executable, "-m", "server", "adduser", "root", "--role", "OWNER",
                        "--password", OWNER_PASSWORD, "--db", self.db], cwd=ROOT, env=self.env,
                       check=True, capture_output=True)
        for port in self.ports:
            log = open(os.path.join(self.tmp, "server-%d.log" % port), "wb")
            self.procs.append(subprocess.Popen(
                self.command + ["serve", "--db", self.db, "--port", str(port)],
                cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log, preexec_fn=self.pin))
            wait_healthy(port)
        if self.clients:
            folder = pathlib.Path(self.tmp, "nginx")
            folder.mkdir()
            limits = nginx_limits(self.clients)
            print("nginx: %s" % ", ".join("%s %d" % item for item in limits.items()), flush=True)
            spread = " reuseport" if limits["worker_processes"] > 1 else ""
            self.nginx = Nginx(folder, self.ports, spread, **limits).start(preexec_fn=self.pin)

    def port(self, i=0):
        """Where client `i` connects: nginx, or the processes in turn."""
        return self.nginx.port if self.nginx else self.ports[i % len(self.ports)]

    def url(self, i=0):
        return "http://127.0.0.1:%d" % self.port(i)

    def rss_mib(self):
        return [rss_kib(p.pid) / 1024 for p in self.procs]

    def cpu(self):
        return [cpu_seconds(p.pid) for p in self.procs]

    def nginx_pids(self):
        """nginx's master and its workers (the master's children, from /proc); none without nginx."""
        if not self.nginx:
            return []
        pid = self.nginx.proc.pid
        return [pid] + [int(c) for c in open("/proc/%d/task/%d/children" % (pid, pid)).read().split()]

    def nginx_cpu(self):
        return sum(cpu_seconds(pid) for pid in self.nginx_pids())

    def stop(self):
        if self.nginx:
            self.nginx.stop()  # first: a WebSocket's access line is written when it closes
            print("  " + nginx_traffic(self.nginx.folder))
        for proc in self.procs:
            proc.terminate()
            proc.wait(10)
        for port in self.ports:  # what the gc probe wrote, if it ran
            path = os.path.join(self.tmp, "server-%d.log" % port)
            for line in open(path, errors="replace") if os.path.exists(path) else ():
                if line.startswith("gc"):
                    print("  server %d %s" % (port, line.rstrip()))
        if self.pg_name:
            from support.pg import drop_pg_database
            drop_pg_database(self.pg_name)
        if not os.environ.get("BENCH_KEEP"):
            subprocess.run(["rm", "-rf", self.tmp])


def nginx_limits(clients):
    """nginx's workers and limits for `clients` sockets. A proxied socket is two connections of a
    worker (client side and upstream) and two open files, plus room for heartbeats and POSTs in
    flight; a worker cannot open more files than the hard limit (root without CAP_SYS_RESOURCE in a
    container cannot raise it either), so above it the sockets are spread over more workers, by the
    kernel (reuseport), with a tenth to spare for its uneven hashing."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    budget = 1 << 20 if hard == resource.RLIM_INFINITY else hard
    if budget < 4096:
        sys.exit("nginx needs at least 4096 open files per worker; the hard limit is %d (ulimit -Hn)" % hard)
    workers = 1
    while 2 * math.ceil(clients * (1.0 if workers == 1 else 1.1) / workers) + 2048 + 256 > budget:
        workers += 1
    connections = min(2 * clients + 2048, budget - 256)
    return dict(worker_processes=workers, worker_connections=connections,
                rlimit_nofile=connections + 256)


def nginx_traffic(folder):
    """What nginx's access log saw (proof that the load went through it) and its error log's worst."""
    kinds = {"WebSocket 101": 0, "heartbeat": 0, "progress": 0, "other": 0, "not 2xx/101": 0}
    for line in open(folder / "access.log", errors="replace"):
        request, status = line.split('"')[1], line.split('"')[2].split()[0]
        kind = ("WebSocket 101" if status == "101" else "heartbeat" if "/api/heartbeat/" in request
                else "progress" if "/progress/" in request else "other")
        kinds[kind] += 1
        if status != "101" and not status.startswith("2"):
            kinds["not 2xx/101"] += 1
    errors = [line for line in open(folder / "error.log", errors="replace")
              if "[error]" in line or "[alert]" in line or "[crit]" in line or "[emerg]" in line]
    return "nginx access log: %s; error log: %d error/alert lines%s" % (
        ", ".join("%s %d" % item for item in kinds.items()), len(errors),
        (" (first: %s)" % errors[0].strip()[:200]) if errors else "")


def wait_healthy(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get("http://127.0.0.1:%d/healthz" % port, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("server on %d did not start" % port)


# ---------------------------------------------------------------- the company

def build_company(servers, employees, admins):
    """Employees with one task each and admins, made through the API (parallel, like an import)."""
    url = servers.url()

    def login(name, i=0):
        return requests.post(servers.url(i) + "/api/auth/token/", timeout=60, json={
            "username": name, "password": OWNER_PASSWORD}).json()["token"]

    owner = {"Authorization": "Bearer %s" % login("root")}

    def person(i, role):
        name = "%s%05d" % (role[0].lower(), i)
        user = requests.post(url + "/api/admin/users/", headers=owner, timeout=60, json={
            "username": name, "full_name": name.title(), "role": role, "password": OWNER_PASSWORD})
        assert user.status_code == 201, user.text
        token = login(name, i)
        if role == "ADMIN":
            return {"token": token}
        task = requests.post(url + "/api/admin/tasks/", headers=owner, timeout=60, json={
            "title": "Work of %s" % name, "assignee_id": user.json()["id"]})
        assert task.status_code == 201, task.text
        return {"token": token, "task": task.json()["id"]}

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        staff = list(pool.map(lambda i: person(i, "EMPLOYEE"), range(employees)))
        bosses = list(pool.map(lambda i: person(i, "ADMIN"), range(admins)))
    return staff, bosses, newest_event(servers, owner["Authorization"].split()[1], 0)


# ---------------------------------------------------------------- load

def source(k, admin=False):
    """Person k's own client address (127.x.y.z all reach loopback on Linux): as in an office, each
    person connects from their own machine, so nginx's per-address cap sees people, not one host."""
    return ("127.%d.%d.%d" % (2 if admin else 1, k // 250, k % 250 + 1), 0)


def newest_event(servers, token, after):
    """The newest event id an admin can read now (long-polls from `after` that do not wait, one
    page of events each, until one comes back empty)."""
    while True:
        body = requests.get(servers.url(0) + "/api/events/?after=%d&timeout=0" % after, timeout=60,
                            headers={"Authorization": "Bearer %s" % token}).json()
        if not body["events"]:
            return body["cursor"]
        after = body["cursor"]


async def connect_all(servers, run, staff, bosses, cursor):
    loop = asyncio.get_running_loop()
    clients = []
    people = [(b["token"], None) for b in bosses] + [(e["token"], i) for i, e in enumerate(staff)]
    for first in range(0, len(people), 250):
        # Each batch resumes from the newest event, as a client that was up to date: the sockets
        # connected before it made events (presence) that a resume from the first cursor would
        # read again, 10,000 times over (a reconnect storm, docs/benchmarks.md), not the steady day.
        cursor = await asyncio.to_thread(newest_event, servers, bosses[0]["token"], cursor)
        path = "/api/events/ws?after=%d" % cursor
        batch = []
        for n, (token, who) in enumerate(people[first:first + 250], first):
            expects = (lambda seq: True) if who is None else (lambda seq, w=who: run.owner_of[seq] == w)
            port = servers.port(n)
            batch.append(loop.create_connection(
                lambda t=token, e=expects: Receiver(path, [("Authorization", "Bearer %s" % t)], run, e),
                "127.0.0.1", port, local_addr=source(n, admin=True) if who is None else source(who)))
        for _transport, client in await asyncio.gather(*batch):
            clients.append(client)
        await asyncio.wait_for(asyncio.gather(*(c.ready for c in clients[first:])), 120)
    return clients[:len(bosses)], clients[len(bosses):]


async def request(port, method, path, token, body, client):
    """The status line, or b"" when the connection failed (counted as an error by the caller);
    `client` is the source address of the person sending it."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=client)
    except OSError:
        return b""
    payload = body.encode()
    try:
        writer.write(("%s %s HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                      "Authorization: Bearer %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                      % (method, path, token, len(payload))).encode() + payload)
        status = await reader.readline()
        await reader.read()
        return status
    except OSError:
        return b""
    finally:
        writer.close()


async def updates(servers, run, staff, rate, seconds, seq0):
    """Open loop: update i is due at t0 + i/rate, from a random employee, whatever came before."""
    loop = asyncio.get_running_loop()
    t0 = loop.time() + 0.2
    count = int(round(rate * seconds))

    async def one(i):
        seq = seq0 + i
        who = random.randrange(len(staff))
        await asyncio.sleep(max(0, t0 + i / rate - loop.time()))
        run.owner_of[seq] = who
        run.sent[seq] = time.monotonic()
        body = '{"progress_percentage": %d, "notes": "seq=%d"}' % (seq % 99 + 1, seq)
        status = await request(servers.port(seq), "POST",
                               "/api/task/%d/progress/" % staff[who]["task"], staff[who]["token"], body,
                               source(who))
        if b" 200 " not in status:
            run.post_errors += 1

    await asyncio.gather(*(one(i) for i in range(count)))
    return seq0 + count


async def heartbeats(servers, run, staff, every, stop, online):
    """Each employee heartbeats every `every` seconds, the company spread evenly over that period;
    `online` is set once every employee's first heartbeat (coming online: an event each) answered."""
    loop = asyncio.get_running_loop()
    t0, first = loop.time(), [0]

    async def beat(i, employee):
        n = 0
        while not stop.is_set():
            due = t0 + every * (n + i / len(staff))
            n += 1
            await asyncio.sleep(max(0, due - loop.time()))
            if stop.is_set():
                return
            started = time.monotonic()
            status = await request(servers.port(i), "POST", "/api/heartbeat/",
                                   employee["token"], '{"occupancy_status": "ACTIVE"}', source(i))
            if started < run.t0:  # sent while the company came online: not in the figures
                pass
            elif b" 200 " in status:
                run.heartbeats.append(time.monotonic() - started)
                second = int(started - run.t0)
                run.beat_seconds[second] = max(run.beat_seconds.get(second, 0), run.heartbeats[-1])
            else:
                run.heartbeat_errors += 1
            if n == 1:
                first[0] += 1
                if first[0] == len(staff):
                    online.set()

    await asyncio.gather(*(beat(i, e) for i, e in enumerate(staff)))


# ---------------------------------------------------------------- one run

async def drain(run, admins, employees, last_seq):
    """Wait (bounded) until every expected delivery arrived."""
    expected = len(admins) * len(run.sent) + len(run.sent)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if sum(len(c.latencies) for c in admins + employees) >= expected:
            return
        await asyncio.sleep(0.1)


def gaps(run, admins, employees):
    seqs = set(run.sent)
    missing = sum(len(seqs - c.seen) for c in admins)
    for who, client in enumerate(employees):
        mine = {s for s in seqs if run.owner_of[s] == who}
        missing += len(mine - client.seen)
    return missing


async def company(args, servers, staff, bosses, cursor):
    run = Run()
    run.t0 = time.monotonic()
    admins, employees = await connect_all(servers, run, staff, bosses, cursor)
    print("connected: %d admins, %d employees over %d process(es); RSS %s MiB" % (
        len(admins), len(employees), len(servers.procs), fmt(servers.rss_mib())), flush=True)
    stop, online, every, begun = asyncio.Event(), asyncio.Event(), 30.0 / args.time_scale, time.monotonic()
    beating = asyncio.ensure_future(heartbeats(servers, run, staff, every, stop, online))
    if args.cold:  # measure while the company is still coming online
        await asyncio.sleep(min(5.0, every))
    else:  # a morning: everyone online (a change of status each) before the working day is measured
        await online.wait()
        print("online: %d employees in %.0f s; their first heartbeats p50 %.1f ms p99 %.1f ms "
              "(errors %d)" % (len(staff), time.monotonic() - begun, pct(run.heartbeats, 50), pct(run.heartbeats, 99),
                               run.heartbeat_errors), flush=True)
    run.heartbeats.clear()
    run.heartbeat_errors, run.beat_seconds, run.t0 = 0, {}, time.monotonic()
    cpu0, side0, wall0 = servers.cpu(), side_cpu(servers), time.monotonic()
    rss_samples = [(0.0, sum(servers.rss_mib()))]
    minutes = args.soak if args.soak else args.seconds / 60.0
    seq, started = 1, time.monotonic()
    while time.monotonic() - started < minutes * 60:
        chunk = min(args.sample_minutes * 60, minutes * 60 - (time.monotonic() - started))
        marks = [len(c.latencies) for c in admins]
        seq = await updates(servers, run, staff, args.rate, chunk, seq)
        if args.soak:
            elapsed = (time.monotonic() - started) / 60
            rss_samples.append((elapsed, sum(servers.rss_mib())))
            window = [x for c, m in zip(admins, marks) for x in c.latencies[m:]]  # this period only
            print("  %5.1f min  RSS %s MiB  update -> admin this period p50 %.1f ms p99 %.1f ms; "
                  "load %s" % (elapsed, fmt(servers.rss_mib()), pct(window, 50), pct(window, 99),
                               open("/proc/loadavg").read().split()[0]), flush=True)
    await drain(run, admins, employees, seq)
    wall = time.monotonic() - wall0
    cpu = [(b - a) / wall for a, b in zip(cpu0, servers.cpu())]
    side = {name: (spent - side0[name]) / wall for name, spent in side_cpu(servers).items()}
    stop.set()
    await beating
    closed_by_server = run.closed
    for client in admins + employees:
        client.transport.close()
    report(args, servers, run, admins, employees, cpu, rss_samples, closed_by_server, side)


def fmt(values):
    return "+".join("%.0f" % v for v in values)


def side_cpu(servers):
    """CPU seconds spent so far beside the servers: nginx, this load generator, and PostgreSQL
    (every postgres process on the machine: the benchmark is its only client)."""
    postgres = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split()
    return {"nginx": servers.nginx_cpu(), "load generator": sum(os.times()[:2]),
            "PostgreSQL": sum(map(cpu_or_none, postgres)) if servers.pg_name else 0.0}


def cpu_or_none(pid):
    """CPU seconds of a process, 0 once it has gone (a backend that ended meanwhile)."""
    try:
        return cpu_seconds(int(pid))
    except OSError:
        return 0.0


def report(args, servers, run, admins, employees, cpu, rss_samples, closed_by_server, side):
    to_admin = [x for c in admins for x in c.latencies]
    to_employee = [x for c in employees for x in c.latencies]
    print("\n%d employees, %d admins, %.0f updates/s, %s on %d process(es) (%s)" % (
        len(employees), len(admins), args.rate,
        "%.1f min soak" % args.soak if args.soak else "%.0f s" % args.seconds,
        len(servers.procs), "PostgreSQL" if args.postgres else "SQLite") + (
        ", behind nginx" if servers.nginx else "") + ("" if servers.pin else ", nothing pinned"))
    print("  updates sent %d (POST errors %d); heartbeats %d (errors %d)" % (
        len(run.sent), run.post_errors, len(run.heartbeats), run.heartbeat_errors))
    print("  update -> admin     p50 %7.1f ms  p99 %7.1f ms  (%d deliveries)" % (
        pct(to_admin, 50), pct(to_admin, 99), len(to_admin)))
    print("  update -> employee  p50 %7.1f ms  p99 %7.1f ms  (%d deliveries)" % (
        pct(to_employee, 50), pct(to_employee, 99), len(to_employee)))
    print("  heartbeat answered  p50 %7.1f ms  p99 %7.1f ms" % (
        pct(run.heartbeats, 50), pct(run.heartbeats, 99)))
    print("  gaps %d  duplicates %d  leaks %d  sockets closed by the server %d" % (
        gaps(run, admins, employees), sum(c.dups for c in admins + employees),
        sum(c.leaks for c in employees), closed_by_server))
    print("  server CPU %s of one core; RSS %s MiB" % (
        "+".join("%.0f%%" % (c * 100) for c in cpu), fmt(servers.rss_mib())))
    if servers.nginx:
        print("  nginx CPU %.0f%% of one core; RSS %.0f MiB" % (
            side["nginx"] * 100, sum(rss_kib(pid) for pid in servers.nginx_pids()) / 1024))
    print("  load generator CPU %.0f%%%s of one core" % (side["load generator"] * 100, (
        "; PostgreSQL %.0f%%" % (side["PostgreSQL"] * 100)) if servers.pg_name else ""))
    stalls = slowest_seconds(run, admins)
    if stalls:
        print("  slowest seconds (since the first update: worst update -> admin): " + ", ".join(
            "%ds %.0f ms" % (second, worst * 1000) for second, worst in stalls))
    slow_beats = sorted(run.beat_seconds.items(), key=lambda item: -item[1])[:5]
    if slow_beats:
        print("  slowest seconds (since the figures started: worst heartbeat answer): " + ", ".join(
            "%ds %.0f ms" % (second, worst * 1000) for second, worst in slow_beats))
    if len(rss_samples) > 2:
        (t1, r1), (t2, r2) = rss_samples[1], rss_samples[-1]  # from the first sample: past warm-up
        growth = (r2 - r1) / r1 * 100 / max(1e-9, t2 - t1) * 10
        print("  RSS %.0f -> %.0f MiB from minute %.1f to %.1f: %+.2f %% per 10 minutes" % (
            r1, r2, t1, t2, growth))


def slowest_seconds(run, admins, count=5):
    """The seconds of the run whose updates reached an admin slowest: a stall shows as a run of
    neighbouring seconds, a slow machine as slow seconds everywhere."""
    if not run.sent:
        return []
    t0, by_second = min(run.sent.values()), {}
    for client in admins:
        for seq, latency in client.worst.items():
            second = int(run.sent[seq] - t0)
            by_second[second] = max(by_second.get(second, 0.0), latency)
    return sorted(by_second.items(), key=lambda item: -item[1])[:count]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--admins", type=int, default=20)
    parser.add_argument("--rate", type=float, default=10.0, help="progress updates per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of a (non-soak) run")
    parser.add_argument("--soak", type=float, help="run this many minutes, printing RSS as it goes")
    parser.add_argument("--sample-minutes", type=float, default=5.0, help="RSS sample period in soak mode")
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="compress time: heartbeats every 30/SCALE seconds")
    parser.add_argument("--cold", action="store_true",
                        help="measure from 5 s after the first heartbeats, while the company is still "
                        "coming online (before: from when every employee's first heartbeat answered)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--processes", type=int, default=1, help="server processes (PostgreSQL only)")
    parser.add_argument("--server-env", action="append", default=[], metavar="TRACKER_X=VALUE",
                        help="a setting for the servers (repeatable), e.g. TRACKER_PUSH_PING_SECONDS=600")
    parser.add_argument("--gc-probe", action="store_true",
                        help="print the servers' garbage collections of 10 ms or more (GC_PROBE_MS)")
    parser.add_argument("--nginx", action="store_true",
                        help="every client through one nginx (deploy/nginx/tracker.conf) in front of "
                        "the processes (PostgreSQL, 2 or more)")
    parser.add_argument("--unpinned", action="store_true",
                        help="pin nothing: the servers, nginx, PostgreSQL and this load generator share every core")
    args = parser.parse_args()
    if args.processes > 1 and not args.postgres:
        parser.error("several processes share a PostgreSQL database: add --postgres")
    if args.nginx and (args.processes < 2 or not os.access(NGINX, os.X_OK)):
        parser.error("--nginx needs --postgres --processes 2 (or more), and nginx (apt-get install nginx)")
    if not args.unpinned:
        os.sched_setaffinity(0, {1})
    # one file per socket here, in the servers and (twice) in nginx: the soft limit up to the hard
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    print("load average at start: %s" % open("/proc/loadavg").read().split()[:3], flush=True)
    clients = args.employees + args.admins if args.nginx else None
    servers = Servers(args.postgres, args.processes, args.server_env, args.gc_probe, clients,
                      cpu=None if args.unpinned else 0)
    try:
        servers.start()
        began = time.monotonic()
        staff, bosses, cursor = build_company(servers, args.employees, args.admins)
        print("company built in %.0f s" % (time.monotonic() - began), flush=True)
        asyncio.run(company(args, servers, staff, bosses, cursor))
    finally:
        servers.stop()
    print("load average at the end: %s" % open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    sys.exit(main())
