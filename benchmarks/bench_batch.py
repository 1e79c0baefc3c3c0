"""Batch rendering: throughput with 1 vs 2 local workers, and peak memory per worker.

Targets (issue 15): 2 workers render at least 1.7x the videos per minute of 1 worker; a worker's
peak memory is that of a single ``say`` (here: at most 15 % more). Each run starts fresh workers,
so the first figures include worker start-up (models load once per worker, ~4 s: much of a
12-row run); the checked speed-up is the steady one, by the wall clock from the moment every
worker has finished its first row to the last row, which is what a run of thousands of rows sees.
The "headroom" line shows whether the machine had 2 free cores at all (on a shared machine it
may not, and then no batch code can reach the target).

    PYTHONPATH=src python benchmarks/bench_batch.py [ROWS]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, pin_one_core, report  # noqa: E402

SCRIPT = "Hello {name}, welcome back. Your order is on its way."
NAMES = ("Ann", "Bob", "Cy", "Di", "Eve", "Finn", "Gus", "Hal")
SINGLE = """
import json, resource, sys
from digihuman import say
say(sys.argv[1], sys.argv[2])
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
"""


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def headroom() -> float:
    """Speed-up of 2 processes over 1 on pure Python arithmetic: ~2 with 2 free cores, ~1 on a
    machine others keep busy (then the batch figure below says nothing about the batch code)."""
    from concurrent.futures import ProcessPoolExecutor

    took = {}
    for workers in (1, 2):
        with ProcessPoolExecutor(workers) as pool:
            pool.submit(_spin, 1).result()  # start-up outside the timing
            t0 = time.perf_counter()
            list(pool.map(_spin, [3_000_000] * 4))
            took[workers] = time.perf_counter() - t0
    return took[1] / took[2]


def main() -> int:
    pin_one_core()
    from digihuman.batch import run_batch

    room = headroom()
    report("machine headroom: 2 processes over 1 (CPU spin)", room, "x")
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        jobs = tmp / "jobs.csv"
        jobs.write_text("persona,script,name\n" + "".join(f'default,"{SCRIPT}",{NAMES[i % len(NAMES)]}{i}\n'
                                                           for i in range(rows)), encoding="utf-8")
        single = subprocess.run([sys.executable, "-c", SINGLE, SCRIPT.format(name="Ann"), str(tmp / "one.mp4")],
                                capture_output=True, text=True, check=True)
        say_mb = float(json.loads(single.stdout.strip().splitlines()[-1]))
        per_min, steady, peak = {}, {}, {}
        for workers in (1, 2):
            t0 = time.perf_counter()
            res = run_batch(jobs, tmp / f"out{workers}", workers=workers)
            took = time.perf_counter() - t0
            assert not res.failed, res.failed
            per_min[workers] = rows / took * 60.0
            peak[workers] = max(r.peak_mb for r in res.results)
            # steady state, by the wall clock: from the moment every worker has finished its first
            # row (which also loads the models) to the last row
            ends = sorted(r.finished for r in res.results)
            steady[workers] = (rows - workers) / (ends[-1] - ends[workers - 1]) * 60.0
            report(f"throughput, {workers} worker(s), {rows} videos, with start-up", per_min[workers], "videos/min")
            report(f"steady throughput, {workers} worker(s), after start-up", steady[workers], "videos/min")
    report("speed-up, 2 workers over 1, with start-up", per_min[2] / per_min[1], "x")
    report("speed-up, 2 workers over 1, steady (what thousands of rows see)", steady[2] / steady[1], "x", ">= 1.7")
    report("steady speed-up / machine headroom", steady[2] / steady[1] / room, "x")
    report("peak memory of a single say", say_mb, "MB")
    report("peak memory per batch worker (2 workers)", peak[2], "MB")
    report("worker memory / single say", peak[2] / say_mb, "x", "<= 1.15")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
