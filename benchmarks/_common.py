"""Shared benchmark helpers: pin threads before heavy imports, time medians, report figures
against their targets.

Every :func:`report` with a numeric target ("<= 0.3", ">= 90", "< 1", "0") is checked and says
MET or MISSED; :func:`finish` prints the summary and gives the exit status (1 if any target was
missed), so ``make bench`` fails when a figure misses its target.
"""

from __future__ import annotations

import os
import re
import statistics
import time

_MISSED: list[str] = []
_CHECKED: list[str] = []
_TARGET = re.compile(r"^\s*(<=|>=|<|>|==|=)?\s*([-+]?\d+(?:\.\d+)?)\s*$")


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


def meets(value: float, target: str) -> bool | None:
    """Whether ``value`` meets ``target`` ("<= 0.3", ">= 90", "0" = exactly 0); None if the
    target is not a comparison (then it is printed, not checked)."""
    m = _TARGET.match(target)
    if m is None:
        return None
    op, bound = m.group(1) or "==", float(m.group(2))
    return {"<=": value <= bound, ">=": value >= bound, "<": value < bound, ">": value > bound,
            "==": value == bound, "=": value == bound}[op]


def report(name: str, value: float, unit: str, target: str = "") -> bool | None:
    """Print one figure; with a target, also MET or MISSED (remembered for :func:`finish`)."""
    line = f"{name:<48} {value:>10.3f} {unit}"
    ok = meets(value, target) if target else None
    if target:
        line += f"   (target {target})"
        if ok is None:
            line += " not checked"
        else:
            line += "  MET" if ok else "  MISSED"
            (_CHECKED if ok else _MISSED).append(f"{name}: {value:.3f} {unit}, target {target}")
    print(line, flush=True)
    return ok


def finish() -> int:
    """Print how many targets were met; return the exit status (1 if any was missed)."""
    if _MISSED:
        print(f"MISSED {len(_MISSED)} of {len(_MISSED) + len(_CHECKED)} targets:", *_MISSED, sep="\n  ", flush=True)
        return 1
    print(f"all {len(_CHECKED)} targets met", flush=True)
    return 0
