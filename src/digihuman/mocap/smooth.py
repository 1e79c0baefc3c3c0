"""Cleaning landmark tracks over time: gaps filled, jitter removed, no lag.

Landmarks that MediaPipe marks as unlikely visible are treated as missing; short gaps are
interpolated linearly within a shot (a joint is never snapped from one guess to another), longer
ones hold the nearest seen value. Jitter is removed with the One-Euro filter (Casiez et al.,
CHI 2012): a low-pass whose cut-off rises with speed, so slow poses are steady and fast moves
are followed. Run forwards and then backwards over the whole track and averaged, its lag
cancels (the track is analysed after capture, so the future is known).
"""

from __future__ import annotations

import numpy as np

MIN_VISIBILITY = 0.5
"""Landmarks below this MediaPipe visibility are treated as not seen."""
MAX_GAP = 1.0
"""Seconds: longer gaps than this hold the nearest seen value instead of interpolating."""
MIN_CUTOFF = 1.2
"""Hz: the One-Euro cut-off at rest (lower = steadier still poses)."""
BETA = 0.6
"""s/m: how fast the cut-off rises with speed (higher = less lag on fast moves)."""
D_CUTOFF = 1.0
"""Hz: cut-off of the speed estimate itself."""


def fill_gaps(values: np.ndarray, seen: np.ndarray, times: np.ndarray, max_gap: float = MAX_GAP) -> np.ndarray:
    """``values`` (n, ...) with unseen rows (``seen`` (n,) False) filled from their seen neighbours.

    Gaps up to ``max_gap`` seconds are interpolated linearly; longer gaps and the ends hold the
    nearest seen row. A track that is never seen is returned as NaN.
    """
    out = np.array(values, dtype=np.float64, copy=True)
    idx = np.flatnonzero(seen)
    if idx.size == 0:
        out[:] = np.nan
        return out
    flat = out.reshape(len(out), -1)
    for col in range(flat.shape[1]):
        flat[:, col] = np.interp(times, times[idx], flat[idx, col])
    # long gaps: hold instead of sliding across seconds of guessed motion
    nxt = np.searchsorted(idx, np.arange(len(out)))
    for i in np.flatnonzero(~seen):
        a = idx[nxt[i] - 1] if nxt[i] > 0 else None
        b = idx[nxt[i]] if nxt[i] < idx.size else None
        if a is not None and b is not None and times[b] - times[a] <= max_gap:
            continue
        if a is None:
            flat[i] = flat[b]
        elif b is None or times[i] - times[a] <= times[b] - times[i]:
            flat[i] = flat[a]
        else:
            flat[i] = flat[b]
    return out


def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
    tau = 1.0 / (2.0 * np.pi * cutoff)
    return 1.0 / (1.0 + tau / dt)


def one_euro(x: np.ndarray, times: np.ndarray, min_cutoff: float = MIN_CUTOFF, beta: float = BETA,
             d_cutoff: float = D_CUTOFF) -> np.ndarray:
    """One pass of the One-Euro filter over ``x`` (n, ...) sampled at ``times`` (s)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    if len(x) == 0:
        return out
    out[0] = x[0]
    dx_prev = np.zeros_like(x[0])
    for i in range(1, len(x)):
        dt = max(float(abs(times[i] - times[i - 1])), 1e-3)
        dx = (x[i] - out[i - 1]) / dt
        a_d = _alpha(d_cutoff, dt)
        dx_hat = a_d * dx + (1 - a_d) * dx_prev
        # the speed that raises the cut-off is the point's own speed (per landmark, all axes)
        speed = np.linalg.norm(dx_hat, axis=-1, keepdims=True) if x.ndim > 1 else np.abs(dx_hat)
        a = _alpha(min_cutoff + beta * speed, dt)
        out[i] = a * x[i] + (1 - a) * out[i - 1]
        dx_prev = dx_hat
    return out


def smooth_track(x: np.ndarray, times: np.ndarray, **kw) -> np.ndarray:
    """Zero-lag One-Euro: the mean of a forward and a backward pass."""
    fwd = one_euro(x, times, **kw)
    bwd = one_euro(x[::-1], times[::-1], **kw)[::-1]
    return 0.5 * (fwd + bwd)


def shots(cuts: np.ndarray) -> list[slice]:
    """Slices of frames between shot cuts (``cuts`` (n,) True on each shot's first frame)."""
    starts = [0] + [int(i) for i in np.flatnonzero(cuts) if i > 0] + [len(cuts)]
    return [slice(a, b) for a, b in zip(starts[:-1], starts[1:]) if b > a]
