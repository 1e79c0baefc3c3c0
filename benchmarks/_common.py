"""Shared benchmark helpers: pin threads before heavy imports, time medians, print figures."""

from __future__ import annotations

import os
import statistics
import time


def pin_one_core() -> None:
    """One core for the numeric libraries; call before importing numpy/cv2."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    import cv2

    cv2.setNumThreads(1)


def median_time(fn, repeat: int = 5) -> float:
    """Median wall seconds of ``fn()`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(name: str, value: float, unit: str, target: str = "") -> None:
    line = f"{name:<48} {value:>10.3f} {unit}"
    if target:
        line += f"   (target {target})"
    print(line, flush=True)
