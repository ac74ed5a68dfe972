"""Reconnect storm benchmark (prints figures; not a test, not in CI).

A process restarts, or the office's line comes back: every employee's app resumes its WebSocket
at once from the cursor it held, and the events written since (here one progress report per
employee, more than the bus's ring holds) lie between that cursor and the newest. Each employee
must get exactly their own missed events. Measured twice in one run, on the same sockets' worth
of people: resuming from the newest event (the baseline: nothing to catch up) and from the old
cursor (the storm); printed: the wall time until every socket is live and caught up, the server's
CPU seconds, and their ratio.

    .venv/bin/python tests/bench/storm.py [--employees 3000] [--postgres]

The server runs pinned to CPU 0, this load generator to CPU 1 (as tests/bench/company.py)."""
import argparse
import asyncio
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from company import Receiver, Run, Servers, build_company, newest_event, request, source  # noqa: E402

BATCH = 250


async def report_once_each(servers, run, staff):
    """One progress report per employee (seq = employee + 1): the events the storm must catch up."""
    gate = asyncio.Semaphore(32)

    async def one(who):
        seq = who + 1
        run.owner_of[seq], run.sent[seq] = who, time.monotonic()
        async with gate:
            status = await request(servers.port(), "POST", "/api/task/%d/progress/" % staff[who]["task"],
                                   staff[who]["token"], '{"progress_percentage": 5, "notes": "seq=%d"}' % seq,
                                   source(who))
        if b" 200 " not in status:
            run.post_errors += 1

    await asyncio.gather(*(one(who) for who in range(len(staff))))


async def resume(servers, run, staff, cursor, catch_up):
    """Every employee connects with `cursor`, in back-to-back batches; (seconds until all are live
    and, with `catch_up`, each holds its own report; server CPU seconds meanwhile; clients)."""
    loop = asyncio.get_running_loop()
    cpu0, began = sum(servers.cpu()), time.monotonic()
    clients = []
    path = "/api/events/ws?after=%d" % cursor
    for first in range(0, len(staff), BATCH):
        batch = [loop.create_connection(
            lambda t=staff[who]["token"], w=who: Receiver(
                path, [("Authorization", "Bearer %s" % t)], run, lambda seq, w=w: run.owner_of[seq] == w),
            "127.0.0.1", servers.port(who), local_addr=source(who))
            for who in range(first, min(first + BATCH, len(staff)))]
        clients += [client for _transport, client in await asyncio.gather(*batch)]
    await asyncio.wait_for(asyncio.gather(*(c.ready for c in clients)), 600)
    deadline = time.monotonic() + 600
    while catch_up and time.monotonic() < deadline and not all(
            who + 1 in c.seen for who, c in enumerate(clients)):
        await asyncio.sleep(0.02)
    return time.monotonic() - began, sum(servers.cpu()) - cpu0, clients


async def storm(servers, staff, bosses, cursor):
    run = Run()
    await report_once_each(servers, run, staff)
    newest = await asyncio.to_thread(newest_event, servers, bosses[0]["token"], cursor)
    print("%d reports written (errors %d): events %d to %d" % (
        len(run.sent), run.post_errors, cursor + 1, newest), flush=True)
    rows = []
    for name, after, catch_up in (("from the newest event", newest, False),
                                  ("from the old cursor", cursor, True)):
        closed_before = run.closed
        wall, cpu, clients = await resume(servers, run, staff, after, catch_up)
        missing = sum(who + 1 not in c.seen for who, c in enumerate(clients)) if catch_up else 0
        leaks = sum(c.leaks for c in clients)
        rows.append((wall, cpu))
        print("  resume %-22s %6.2f s wall  %6.2f s server CPU  missing %d  leaks %d  closed %d" % (
            name, wall, cpu, missing, leaks, run.closed - closed_before), flush=True)
        for client in clients:
            client.transport.close()
        await asyncio.sleep(1)  # let the server see them go before the next round
    (wall0, cpu0), (wall1, cpu1) = rows
    print("storm / baseline: wall %.1fx, server CPU %.1fx" % (wall1 / wall0, cpu1 / max(cpu0, 1e-3)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=3000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--server-env", action="append", default=[], metavar="TRACKER_X=VALUE")
    args = parser.parse_args()
    os.sched_setaffinity(0, {1})
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    print("load average at start: %s" % open("/proc/loadavg").read().split()[:3], flush=True)
    servers = Servers(args.postgres, 1, args.server_env)
    try:
        servers.start()
        staff, bosses, cursor = build_company(servers, args.employees, 1)
        asyncio.run(storm(servers, staff, bosses, cursor))
    finally:
        servers.stop()
    print("load average at the end: %s" % open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    sys.exit(main())
