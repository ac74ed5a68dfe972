"""`python -m server` with its garbage collector timed (benchmarks only: tests/bench/company.py
--gc-probe): each collection of at least GC_PROBE_MS (default 10) is written to stderr with its
generation, its length and what it freed, and at exit the count and total time per generation.
(The thresholds are the server's own setting: --server-env TRACKER_GC_THRESHOLDS=700,10,10.)"""
import atexit
import gc
import os
import sys
import time

from server.__main__ import main

LONGEST = float(os.environ.get("GC_PROBE_MS", "10"))
began = [0.0]
totals = {0: [0, 0.0], 1: [0, 0.0], 2: [0, 0.0]}


def timed(phase, info):
    if phase == "start":
        began[0] = time.perf_counter()
        return
    took = (time.perf_counter() - began[0]) * 1000
    totals[info["generation"]][0] += 1
    totals[info["generation"]][1] += took
    if took >= LONGEST:
        print("gc: generation %d took %.1f ms at %.1f, freed %d (tracked %d)" % (
            info["generation"], took, time.time(), info["collected"], len(gc.get_objects())),
            file=sys.stderr, flush=True)


def summary():
    print("gc totals: " + ", ".join("generation %d: %d in %.0f ms" % (g, n, ms)
                                    for g, (n, ms) in totals.items()), file=sys.stderr, flush=True)


if __name__ == "__main__":
    gc.callbacks.append(timed)
    atexit.register(summary)
    sys.exit(main())
