"""Memory recall over sessions, superseded-fact leaks, and search latency at 10,000 memories.

Replays the user messages of benchmarks/data/memory_sessions.json through ``extract_facts`` +
``MemoryStore.remember`` (a new store object per session, like a restart), then asks each probe:
a hit needs a current memory with an expected answer in the top 3 and no forbidden (superseded)
answer in the top 3. A "leak" is any current memory of the user that still holds a forbidden answer.
Then 10,000 memories are stored for one user (random unit vectors: latency does not depend on the
content) and search is timed on one core, without and with the query's e5 embedding.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"  # one core, before numpy loads

import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

from digihuman.dialog.embed import embed_query  # noqa: E402
from digihuman.memory import Fact, MemoryStore, extract_facts  # noqa: E402

DATA = Path(__file__).parent / "data" / "memory_sessions.json"


def _has(texts: list[str], needles: list[str]) -> bool:
    return any(n.lower() in t.lower() for t in texts for n in needles)


def recall(tmp: Path, verbose: bool) -> tuple[float, int, int]:
    data = json.loads(DATA.read_text())
    user, db = data["user"], tmp / "memory.sqlite"
    written = 0
    for session in data["sessions"]:
        with MemoryStore(db) as store:  # reopened per session: recall must survive restarts
            for msg in session["messages"]:
                turn = store.log_turn(user, "user", msg)
                for fact in extract_facts(msg, about="partner"):
                    written += store.remember(user, fact, source_turn=turn.id, reason=msg) is not None
    hits = leaks = 0
    with MemoryStore(db) as store:
        current = [m.text for m in store.current(user)]
        for p in data["probes"]:
            top = [m.text for m in store.search(user, p["question"], k=3)]
            ok = _has(top, p["expect"]) and not _has(top, p["forbid"])
            hits += ok
            leaks += bool(p["forbid"]) and _has(current, p["forbid"])
            if verbose or not ok:
                print(f"  {'hit ' if ok else 'MISS'} {p['question']!r}: {top}")
    if verbose:
        print("  current memories:", *current, sep="\n    ")
    return 100.0 * hits / len(data["probes"]), leaks, written


def latency(tmp: Path, n: int = 10_000) -> tuple[float, float, float, float]:
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((n, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    with MemoryStore(tmp / "big.sqlite") as store:
        t0 = time.perf_counter()
        for i in range(n):
            item = f"item {i} of category {i % 97}"
            store.remember("big_user", Fact(f"likes:{item}", item, f"(partner) likes {item}", "partner"),
                           source_turn=i, reason="bench", embedding=vecs[i])
        write_ms = (time.perf_counter() - t0) * 1000 / n
        queries = [f"do I like item {i} or category {i % 7}?" for i in range(40)]
        qvecs = [embed_query(q) for q in queries]
        t0 = time.perf_counter()
        store.search("big_user", queries[0], k=5, query_vec=qvecs[0])  # builds the per-user cache
        build_ms = (time.perf_counter() - t0) * 1000
        pure, full = [], []
        for q, v in zip(queries, qvecs):
            t0 = time.perf_counter()
            res = store.search("big_user", q, k=5, query_vec=v)
            pure.append((time.perf_counter() - t0) * 1000)
            assert len(res) == 5
        for i in range(40):
            t0 = time.perf_counter()
            store.search("big_user", f"what else do I like, number {i}?", k=5)  # includes embed_query
            full.append((time.perf_counter() - t0) * 1000)
    return statistics.median(pure), statistics.median(full), build_ms, write_ms


def main() -> None:
    verbose = "-v" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        pct, leaks, written = recall(Path(tmp), verbose)
        report("memories written over 5 sessions", written, "")
        report("probe recall (top-3)", pct, "%", ">= 90")
        report("superseded facts still current (leaks)", leaks, "", "0")
        pure, full, build, write = latency(Path(tmp))
        report("search, 10k memories (query vector given)", pure, "ms", "a few ms")
        report("search, 10k memories (incl. query embedding)", full, "ms")
        report("first search, 10k memories (load cache)", build, "ms")
        report("remember (precomputed vector), per memory", write, "ms")


if __name__ == "__main__":
    main()
    sys.exit(finish())
