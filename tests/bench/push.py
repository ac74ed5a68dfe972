"""Push benchmark (prints figures; not a test): POST -> receipt latency, delivery and memory of this
server's push channel against a bare Tornado broadcast and python-socketio 5 (Tornado mode), all
driven by the same load generator with the same payload.

    .venv/bin/python tests/bench/push.py [--sizes 100,1000,5000] [--rate 10] [--seconds 10]

The load generator is one asyncio process of raw protocol clients (hand-written handshake, minimal
frame parser), pinned to CPU 1; each server runs pinned to CPU 0. python-socketio is optional:
`pip install -r tests/bench/requirements.txt`."""
import argparse
import asyncio
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
SEQ = re.compile(rb"seq=(\d+)")
OWNER_PASSWORD = "quartz-otter-bench-71"  # the password rule refuses common ones


# ---------------------------------------------------------------- the two peer servers

def serve_bare(port):
    """A set of WebSocket handlers and a POST that writes its body to each."""
    import tornado.ioloop
    import tornado.web
    import tornado.websocket
    subscribers = set()

    class Subscribe(tornado.websocket.WebSocketHandler):
        def open(self):
            self.set_nodelay(True)
            subscribers.add(self)

        def on_close(self):
            subscribers.discard(self)

    class Publish(tornado.web.RequestHandler):
        def post(self):
            message = self.request.body.decode()
            for handler in list(subscribers):
                try:
                    handler.write_message(message)
                except tornado.websocket.WebSocketClosedError:
                    pass
            self.finish("ok")

    tornado.web.Application([(r"/ws", Subscribe), (r"/publish", Publish)]).listen(port, "127.0.0.1")
    tornado.ioloop.IOLoop.current().start()


def serve_socketio(port):
    import socketio
    import tornado.ioloop
    import tornado.web
    sio = socketio.AsyncServer(async_mode="tornado", transports=["websocket"], logger=False,
                               engineio_logger=False, ping_interval=25, ping_timeout=20)

    class Publish(tornado.web.RequestHandler):
        async def post(self):
            await sio.emit("progress", json.loads(self.request.body))
            self.finish("ok")

    tornado.web.Application([(r"/socket.io/", socketio.get_tornado_handler(sio)),
                             (r"/publish", Publish)]).listen(port, "127.0.0.1")
    tornado.ioloop.IOLoop.current().start()


# ---------------------------------------------------------------- raw clients

def masked(opcode, payload):
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    assert len(payload) < 126
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + body


class Stats:
    def __init__(self):
        self.latencies, self.seen, self.dups, self.closed = [], set(), 0, 0
        self.first, self.last = {}, {}  # per seq: earliest and latest receipt (fan-out spread)


def record(client, seq, now):
    """Note one delivery: a duplicate, or its latency from the POST's due time."""
    if seq in client.seen:
        client.stats.dups += 1
        return
    client.seen.add(seq)
    stats = client.stats
    stats.latencies.append(now - client.sent[seq])
    stats.first.setdefault(seq, now)
    stats.last[seq] = now


class WsClient(asyncio.Protocol):
    """Handshake, then unmasked server frames; answers pings (and Engine.IO pings)."""

    def __init__(self, path, headers, stats, sent, engineio=False):
        self.request = ("GET %s HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n" % (
                            path, base64.b64encode(os.urandom(16)).decode(),
                            "".join("%s: %s\r\n" % kv for kv in headers))).encode()
        self.stats, self.sent, self.engineio = stats, sent, engineio
        self.buffer, self.upgraded = b"", False
        self.ready = asyncio.get_running_loop().create_future()
        self.seen = set()

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data):
        now = time.monotonic()
        self.buffer += data
        if not self.upgraded:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            if b" 101 " not in head.split(b"\r\n")[0]:
                self.ready.set_exception(RuntimeError(head.split(b"\r\n")[0].decode()))
                return self.transport.close()
            self.upgraded, self.buffer = True, rest
            if not self.engineio:
                self.ready.set_result(True)
        buf, pos = self.buffer, 0
        while len(buf) - pos >= 2:
            opcode, length, start = buf[pos] & 0x0F, buf[pos + 1] & 0x7F, pos + 2
            if length == 126:
                if len(buf) - pos < 4:
                    break
                length, start = int.from_bytes(buf[pos + 2:pos + 4], "big"), pos + 4
            elif length == 127:
                if len(buf) - pos < 10:
                    break
                length, start = int.from_bytes(buf[pos + 2:pos + 10], "big"), pos + 10
            if len(buf) < start + length:
                break
            self.frame(opcode, buf[start:start + length], now)
            pos = start + length
        self.buffer = buf[pos:]

    def frame(self, opcode, payload, now):
        if opcode == 9:
            self.transport.write(masked(10, payload))
        elif opcode == 1:
            if self.engineio and payload[:1] != b"4":
                if payload[:1] == b"0":
                    self.transport.write(masked(1, b"40"))  # join the default namespace
                elif payload == b"2":
                    self.transport.write(masked(1, b"3"))
                return
            if self.engineio and payload[:2] == b"40":
                return self.ready.done() or self.ready.set_result(True)
            match = SEQ.search(payload)
            if match:
                self.record(int(match.group(1)), now)

    def record(self, seq, now):
        record(self, seq, now)

    def connection_lost(self, exc):
        self.stats.closed += 1
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed during the handshake"))


class LongPoller(asyncio.Protocol):
    """Keep-alive GET /api/events/?after=cursor loops."""

    def __init__(self, token, cursor, stats, sent):
        self.token, self.cursor, self.stats, self.sent = token, cursor, stats, sent
        self.buffer, self.seen, self.stopped = b"", set(), False

    def connection_made(self, transport):
        self.transport = transport
        self.ask()

    def ask(self):
        self.transport.write(("GET /api/events/?after=%d&timeout=25 HTTP/1.1\r\nHost: bench\r\n"
                              "Authorization: Bearer %s\r\n\r\n" % (self.cursor, self.token)).encode())

    def data_received(self, data):
        now = time.monotonic()
        self.buffer += data
        head, sep, rest = self.buffer.partition(b"\r\n\r\n")
        if not sep:
            return
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        if len(rest) < length:
            return
        body, self.buffer = json.loads(rest[:length]), rest[length:]
        for event in body.get("events", []):
            notes = (event.get("update") or {}).get("notes") or ""
            if notes.startswith("seq="):
                record(self, int(notes[4:]), now)
        self.cursor = body["cursor"]
        if not self.stopped:
            self.ask()

    def connection_lost(self, exc):
        self.stats.closed += 1


# ---------------------------------------------------------------- targets

def pinned(cpu):
    return lambda: os.sched_setaffinity(0, {cpu})


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        return int(next(line for line in status if line.startswith("VmRSS:")).split()[1])


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Target:
    """A server under test: how to start it, subscribe to it and publish through it."""
    long_poll = False
    engineio = False

    def __init__(self, port):
        self.port, self.proc, self.tmp = port, None, tempfile.mkdtemp(prefix="pushbench-")

    def spawn(self, args, env=None):
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.tmp, "server-%d.log" % self.port), "wb"),
                                     preexec_fn=pinned(0))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                import socket
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server on %d did not start" % self.port)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
        if os.environ.get("BENCH_KEEP"):
            print("server log kept in", self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


class Ours(Target):
    name, path, long_poll = "this server", "/api/events/ws?after=%d", True

    def database(self):
        return "sqlite:///%s/bench.db" % self.tmp

    def start(self):
        from support.server import server_env
        import requests
        db = self.database()
        env = server_env(TRACKER_PUSH_MAX_CONNECTIONS=20000, TRACKER_PUSH_MAX_PER_USER=20000)
        subprocess.run([sys.executable, "-m", "server", "adduser", "root", "--role", "OWNER",
                        "--password", OWNER_PASSWORD, "--db", db], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        self.spawn([sys.executable, "-m", "server", "serve", "--db", db, "--port", str(self.port)], env)
        self.publish_port = self.port
        self.more_processes(db, env)
        url = "http://127.0.0.1:%d" % self.port
        login = lambda name, pw: requests.post(url + "/api/auth/token/", json={  # noqa: E731
            "username": name, "password": pw}, timeout=30).json()["token"]
        self.token = login("root", OWNER_PASSWORD)
        auth = {"Authorization": "Bearer %s" % self.token}
        user = requests.post(url + "/api/admin/users/", headers=auth, timeout=30, json={
            "username": "worker", "password": OWNER_PASSWORD, "role": "EMPLOYEE"}).json()
        task = requests.post(url + "/api/admin/tasks/", headers=auth, timeout=30, json={
            "title": "Benchmark task", "assignee_id": user["id"],
            "description": "A realistic description of the work. " * 8}).json()
        self.publish_path = "/api/task/%d/progress/" % task["id"]
        self.publish_auth = "Authorization: Bearer %s\r\n" % login("worker", OWNER_PASSWORD)
        requests.post(url + self.publish_path, json={"progress_percentage": 1, "notes": "seq=0"},
                      headers={"Authorization": self.publish_auth.split(": ", 1)[1].strip()}, timeout=30)
        events = requests.get(url + "/api/events/?after=0&timeout=0", headers=auth, timeout=30).json()
        self.cursor = events["cursor"]
        self.sample = events["events"][-1]  # the payload the peers broadcast too

    def more_processes(self, db, env):
        pass

    def headers(self):
        return [("Authorization", "Bearer %s" % self.token)]

    def body(self, seq):
        return json.dumps({"progress_percentage": seq % 99 + 1, "notes": "seq=%d" % seq})


class OursPostgres(Ours):
    """The same server on PostgreSQL (a fresh database on the local server)."""
    name = "this server, PG"

    def database(self):
        from support.pg import create_pg_database
        self.pg_name, url = create_pg_database()
        return url

    def stop(self):
        super().stop()
        from support.pg import drop_pg_database
        drop_pg_database(self.pg_name)


class OursTwoProcesses(OursPostgres):
    """Two processes on one PostgreSQL database: POSTs go to the first, every subscriber is on
    the second, so each event crosses LISTEN/NOTIFY."""
    name = "this server, PG x2"

    def more_processes(self, db, env):
        self.first = self.proc
        self.publish_port, self.port = self.port, free_port_()
        self.spawn([sys.executable, "-m", "server", "serve", "--db", db, "--port", str(self.port)], env)

    def stop(self):
        self.first.terminate()
        self.first.wait(10)
        super().stop()


class OursTeams(Ours):
    """The same server, 90 % of its subscribers the leads of 50 teams (docs/teams.md): each of
    their sockets decides each event with a set lookup instead of the admins' shared frame. The
    worker whose progress is published is a member of every team, so every subscriber still
    receives every event and the two runs measure the same deliveries."""
    name = "this server, teams"
    leads_share, team_count = 0.9, 50

    def start(self):
        super().start()
        import requests
        url, owner = "http://127.0.0.1:%d" % self.port, {"Authorization": "Bearer %s" % self.token}
        post = lambda path, body: requests.post(url + path, json=body, headers=owner, timeout=60)  # noqa: E731
        teams = [post("/api/admin/teams/", {"name": "Team %d" % i}).json()["id"] for i in range(self.team_count)]
        worker = self.publish_auth.split(": ", 1)[1].strip()
        worker_id = requests.get(url + "/api/me/", headers={"Authorization": worker}, timeout=30).json()["id"]
        for team in teams:
            requests.put(url + "/api/admin/teams/%d/members/%d/" % (team, worker_id),
                         json={"role": "member"}, headers=owner, timeout=30)
        self.lead_tokens = []
        for i in range(self.leads):
            post("/api/admin/users/", {"username": "lead%04d" % i, "password": OWNER_PASSWORD})
            token = requests.post(url + "/api/auth/token/", timeout=30, json={
                "username": "lead%04d" % i, "password": OWNER_PASSWORD}).json()["token"]
            user_id = requests.get(url + "/api/me/", headers={"Authorization": "Bearer " + token},
                                   timeout=30).json()["id"]
            requests.put(url + "/api/admin/teams/%d/members/%d/" % (teams[i % len(teams)], user_id),
                         json={"role": "lead"}, headers=owner, timeout=30)
            self.lead_tokens.append(token)
        self.handed = 0

    def headers(self):
        """The leads' tokens first, then the owner's for the rest."""
        self.handed += 1
        if self.handed <= len(self.lead_tokens):
            return [("Authorization", "Bearer %s" % self.lead_tokens[self.handed - 1])]
        return super().headers()


def free_port_():
    from support.server import free_port
    return free_port()


class Bare(Target):
    name, path = "bare Tornado", "/ws"
    publish_path, publish_auth = "/publish", ""

    def __init__(self, port, sample):
        super().__init__(port)
        self.sample = sample
        self.publish_port = port

    def start(self):
        self.spawn([sys.executable, __file__, "--serve-bare", str(self.port)])

    def headers(self):
        return []

    def body(self, seq):
        event = dict(self.sample, update=dict(self.sample["update"], notes="seq=%d" % seq))
        return json.dumps(event, separators=(",", ":"))


class SocketIO(Bare):
    name, path, engineio = "python-socketio", "/socket.io/?EIO=4&transport=websocket", True

    def start(self):
        self.spawn([sys.executable, __file__, "--serve-socketio", str(self.port)])


# ---------------------------------------------------------------- one run

async def publisher(port, target, count, rate, sent):
    """Open loop: POST i is due at t0 + i / rate whatever the previous ones did; latency counts
    from the due time (no coordinated omission)."""
    loop = asyncio.get_running_loop()
    t0 = loop.time() + 0.2
    post_times = []

    async def post(seq):
        await asyncio.sleep(max(0, t0 + seq / rate - loop.time()))
        sent[seq] = time.monotonic()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        body = target.body(seq).encode()
        writer.write(("POST %s HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n%s"
                      "Content-Length: %d\r\nConnection: close\r\n\r\n" % (
                          target.publish_path, target.publish_auth, len(body))).encode() + body)
        status = await reader.readline()
        await reader.read()
        writer.close()
        assert b" 200 " in status, status
        post_times.append(time.monotonic() - sent[seq])

    await asyncio.gather(*(post(seq) for seq in range(1, count + 1)))
    return post_times


async def run(target, subscribers, rate, seconds, long_pollers):
    loop = asyncio.get_running_loop()
    sent, ws_stats, lp_stats = {}, Stats(), Stats()
    base_rss = rss_kib(target.proc.pid)
    clients = []
    for first in range(0, subscribers, 250):
        batch = []
        for _ in range(first, min(subscribers, first + 250)):
            path = target.path % target.cursor if "%d" in target.path else target.path
            batch.append(loop.create_connection(
                lambda p=path: WsClient(p, target.headers(), ws_stats, sent, target.engineio),
                "127.0.0.1", target.port))
        for _transport, client in await asyncio.gather(*batch):
            clients.append(client)
        try:  # bounded: a server that cannot take N subscribers ends the run, not the benchmark
            await asyncio.wait_for(asyncio.gather(*(c.ready for c in clients[first:])), 60)
        except (asyncio.TimeoutError, ConnectionError, RuntimeError) as exc:
            print("%s: only %d of %d subscribers connected (%r)" % (
                target.name, first, subscribers, exc), flush=True)
            for client in clients:
                client.transport.close()
            return []
    await asyncio.sleep(2)
    rss_per_ws = (rss_kib(target.proc.pid) - base_rss) * 1024 / subscribers
    pollers = []
    if target.long_poll and long_pollers:
        for _ in range(long_pollers):
            _t, poller = await loop.create_connection(
                lambda: LongPoller(target.token, target.cursor, lp_stats, sent), "127.0.0.1", target.port)
            pollers.append(poller)
        await asyncio.sleep(1)
    count = int(rate * seconds)
    cpu0, gen0, wall0 = cpu_seconds(target.proc.pid), time.process_time(), time.monotonic()
    try:  # bounded: a server that falls minutes behind is reported as such, not waited for
        post_times = await asyncio.wait_for(publisher(target.publish_port, target, count, rate, sent),
                                            seconds * 3 + 30)
    except asyncio.TimeoutError:
        print("%s: publishing did not finish in %.0f s" % (target.name, seconds * 3 + 30), flush=True)
        post_times = []
    deadline = time.monotonic() + 10
    expected = count * (len(clients) + len(pollers))
    while time.monotonic() < deadline and len(ws_stats.latencies) + len(lp_stats.latencies) < expected:
        await asyncio.sleep(0.05)
    wall = time.monotonic() - wall0
    server_cpu = (cpu_seconds(target.proc.pid) - cpu0) / wall
    generator_cpu = (time.process_time() - gen0) / wall
    for client in clients + pollers:
        client.stopped = True
        client.transport.close()
    rows = []
    for transport, stats, n in (("WebSocket", ws_stats, len(clients)), ("long-poll", lp_stats, len(pollers))):
        if n:
            got = [c for c in clients + pollers if c.stats is stats]
            gaps = sum(count - len([s for s in c.seen if 1 <= s <= count]) for c in got)
            rows.append(dict(target=target.name, n=subscribers, transport=transport, subs=n,
                             p50=pct(stats.latencies, 50), p99=pct(stats.latencies, 99),
                             delivered=len(stats.latencies), expected=count * n, gaps=gaps,
                             dups=stats.dups, rss_per_ws=rss_per_ws,
                             spread=pct([stats.last[q] - stats.first[q] for q in stats.first], 99), server_cpu=server_cpu,
                             generator_cpu=generator_cpu, post_p50=pct(post_times, 50)))
    await asyncio.sleep(0.5)
    return rows


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] * 1000


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--rate", type=float, default=10.0, help="progress updates per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="publishing time per run")
    parser.add_argument("--long-pollers", type=int, default=100)
    parser.add_argument("--postgres", action="store_true",
                        help="also run this server on PostgreSQL, with one and with two processes")
    parser.add_argument("--teams", action="store_true",
                        help="only this server, unscoped and with 90%% of the subscribers team leads")
    parser.add_argument("--serve-bare", type=int)
    parser.add_argument("--serve-socketio", type=int)
    args = parser.parse_args()
    if args.serve_bare:
        return serve_bare(args.serve_bare)
    if args.serve_socketio:
        return serve_socketio(args.serve_socketio)
    os.sched_setaffinity(0, {1})
    from support.server import free_port
    sizes = [int(n) for n in args.sizes.split(",")]
    print("load average at start: %s (other work on this machine skews every figure)"
          % open("/proc/loadavg").read().split()[:3])
    rows, sample = [], None
    try:
        import socketio  # noqa: F401
        peers = [Bare, SocketIO]
    except ImportError:
        print("python-socketio not installed (pip install -r tests/bench/requirements.txt): skipped")
        peers = [Bare]
    # This server alone (the peers' load) and with the long-pollers added (the stated load).
    plan = [(Ours, 0)] + ([(Ours, args.long_pollers)] if args.long_pollers else [])
    plan += [(peer, 0) for peer in peers]
    if args.teams:
        plan = [(Ours, 0), (OursTeams, 0)]
    if args.postgres:
        plan += [(OursPostgres, 0), (OursTwoProcesses, 0)]
    for n in sizes:
        for make, long_pollers in plan:
            ours = issubclass(make, Ours)
            target = make(free_port()) if ours else make(free_port(), sample)
            target.leads = int(n * OursTeams.leads_share)
            try:
                target.start()
                if ours:
                    sample = target.sample
                else:
                    target.cursor = 0
                new = asyncio.run(run(target, n, args.rate, args.seconds, long_pollers))
            finally:
                target.stop()
            for row in new:
                row["target"] += " + LP" if long_pollers else ""
                print_row(row, flush=True)
            rows += new
    print_table(rows)
    print("load average at the end: %s" % open("/proc/loadavg").read().split()[:3])


HEADER = ("%-16s %6s %-10s %8s %8s %9s %15s %5s %5s %9s %7s %7s"
          % ("server", "N", "transport", "p50 ms", "p99 ms", "spread99", "delivered", "gaps", "dups",
             "B/idle WS", "srv CPU", "gen CPU"))


def print_row(row, flush=False):
    print("%-16s %6d %-10s %8.1f %8.1f %9.1f %15s %5d %5d %9.0f %6.0f%% %6.0f%%" % (
        row["target"], row["n"], row["transport"], row["p50"], row["p99"], row["spread"],
        "%d/%d" % (row["delivered"], row["expected"]), row["gaps"], row["dups"], row["rss_per_ws"],
        row["server_cpu"] * 100, row["generator_cpu"] * 100), flush=flush)


def print_table(rows):
    print("\nPOST -> receipt latency (from each POST's due time); spread99 = p99 over events of the time\n"
          "from the first to the last subscriber receiving it; B/idle WS = server RSS growth per idle\n"
          "WebSocket; CPU = share of one core during publishing.\n" + HEADER)
    for row in rows:
        print_row(row)
    print("\nRatios at equal load (this server / peer, WebSocket subscribers only):")
    ours = {r["n"]: r for r in rows if r["target"] == "this server" and r["transport"] == "WebSocket"}
    for row in rows:
        if not row["target"].startswith("this server") and row["n"] in ours:
            mine = ours[row["n"]]
            print("  N=%-5d vs %-16s p50 %.2fx  p99 %.2fx  fan-out spread p99 %.2fx  memory per idle WS %.2fx"
                  % (row["n"], row["target"], mine["p50"] / row["p50"], mine["p99"] / row["p99"],
                     mine["spread"] / max(0.1, row["spread"]), mine["rss_per_ws"] / max(1.0, row["rss_per_ws"])))
    for n in sorted({r["n"] for r in rows}):
        one = [r for r in rows if r["n"] == n and r["target"] == OursPostgres.name]
        two = [r for r in rows if r["n"] == n and r["target"] == OursTwoProcesses.name]
        for transport in ("WebSocket",):
            a = [r for r in one if r["transport"] == transport]
            b = [r for r in two if r["transport"] == transport]
            if a and b:
                print("  N=%-5d a second process on PostgreSQL (LISTEN/NOTIFY) adds p50 %+.1f ms, p99 %+.1f ms"
                      % (n, b[0]["p50"] - a[0]["p50"], b[0]["p99"] - a[0]["p99"]))
    for n in sorted({r["n"] for r in rows}):
        plain = [r for r in rows if r["n"] == n and r["target"] == Ours.name and r["transport"] == "WebSocket"]
        scoped = [r for r in rows if r["n"] == n and r["target"] == OursTeams.name]
        if plain and scoped:
            print("  N=%-5d with %d%% of the subscribers team leads: p50 %.2fx  p99 %.2fx  server CPU %.2fx"
                  % (n, OursTeams.leads_share * 100, scoped[0]["p50"] / plain[0]["p50"],
                     scoped[0]["p99"] / plain[0]["p99"], scoped[0]["server_cpu"] / plain[0]["server_cpu"]))
    post = [r["post_p50"] for r in rows if r["target"] == "this server"]
    if post:
        print("  (this server's latency includes its durable commit: POST answered in %.1f ms p50)"
              % sorted(post)[len(post) // 2])


if __name__ == "__main__":
    sys.exit(main())
