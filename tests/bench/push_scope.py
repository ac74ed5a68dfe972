"""Push scoping cost in-process (prints figures; not a test): the fan-out of one event batch to
1,000 sockets, all admins (one shared frame) against 900 leads of 50 teams and 100 admins (a set
lookup per event and lead), with the network and the load generator taken out.

    .venv/bin/python tests/bench/push_scope.py [--rounds 2000] [--batch 1]

Each round hands the Sockets observer a batch of fresh events (progress on a task of a worker in
every team, like tests/bench/push.py --teams) and times deliver(); p50 / p99 per round."""
import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from server.push.bus import Item  # noqa: E402
from server.push.sockets import Sockets  # noqa: E402
from server.services.people.scope import Scope  # noqa: E402
from server.services.record.eventlog import Written  # noqa: E402
from server.settings import DEFAULTS  # noqa: E402

WORKER = 1


class Bus:
    def __init__(self):
        self.observers, self.last_id = [], 0


class Socket:
    """What Sockets.deliver sees of a socket; sending costs nothing here."""
    live, closed = True, False

    def __init__(self, user_id, is_admin, scope):
        self.user_id, self.is_admin, self.scope, self.cursor = user_id, is_admin, scope, 0

    def send(self, data):
        return None


def sockets(n, leads, teams):
    subs = []
    for i in range(n):
        if i < leads:
            team = i % teams
            subs.append(Socket(1000 + i, False, Scope(1000 + i, roles={team: "lead"},
                                                      members={team: {WORKER, 1000 + i}})))
        else:
            subs.append(Socket(1000 + i, True, None))
    return subs


def payload(event_id):
    return json.dumps({"id": event_id, "type": "task.updated", "at": "2026-12-07T06:00:00+00:00",
                       "task": {"id": 1, "title": "Benchmark task", "assignee": {"id": WORKER},
                                "description": "A realistic description of the work. " * 8},
                       "update": {"id": event_id, "notes": "seq=%d" % event_id}, "employee": None})


def run(subs, rounds, batch):
    fan = Sockets(Bus(), DEFAULTS)
    fan.sockets = set(subs)
    times, next_id = [], 1
    for _ in range(rounds):
        items = [Item(Written(next_id + k, 1, WORKER, None, payload(next_id + k))) for k in range(batch)]
        next_id += batch
        began = time.perf_counter()
        fan.deliver(items)
        times.append(time.perf_counter() - began)
    times.sort()
    return times[len(times) // 2] * 1e6, times[int(len(times) * 0.99)] * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=1, help="events per deliver() call")
    parser.add_argument("--subscribers", type=int, default=1000)
    args = parser.parse_args()
    n = args.subscribers
    plain = run(sockets(n, 0, 50), args.rounds, args.batch)
    scoped = run(sockets(n, n * 9 // 10, 50), args.rounds, args.batch)
    print("fan-out of %d event(s) to %d sockets, %d rounds (µs per deliver)" % (args.batch, n, args.rounds))
    print("  all admins (one shared frame):      p50 %8.1f  p99 %8.1f" % plain)
    print("  900 leads of 50 teams + 100 admins: p50 %8.1f  p99 %8.1f" % scoped)
    print("  ratio: p50 %.2fx  p99 %.2fx" % (scoped[0] / plain[0], scoped[1] / plain[1]))


if __name__ == "__main__":
    main()
