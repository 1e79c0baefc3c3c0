"""Small motion tools: minimum-jerk keyframe curves, smooth non-repeating noise, two-bone IK.

All functions work on whole clips at once (arrays over frames); lengths in metres, times in
seconds.
"""

from __future__ import annotations

import numpy as np


def min_jerk(u: np.ndarray) -> np.ndarray:
    """The minimum-jerk ease 0 -> 1 over u in [0, 1] (peak speed 1.875 at u = 0.5)."""
    u = np.clip(u, 0.0, 1.0)
    return u * u * u * (10.0 + u * (-15.0 + 6.0 * u))


def key_curve(times: np.ndarray, values: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Piecewise minimum-jerk curve through keys (``times`` ascending, ``values`` (k, ...)),
    sampled at ``t``; held constant before the first and after the last key. Each segment's
    speed peaks at its midpoint."""
    times = np.asarray(times, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    if len(times) == 1:
        return np.broadcast_to(values[0], (len(t),) + values.shape[1:]).copy()
    k = np.clip(np.searchsorted(times, t, side="right") - 1, 0, len(times) - 2)
    span = np.maximum(times[k + 1] - times[k], 1e-9)
    s = min_jerk((t - times[k]) / span)
    s = s.reshape((-1,) + (1,) * (values.ndim - 1))
    return values[k] + s * (values[k + 1] - values[k])


def smooth_noise(rng: np.random.Generator, t: np.ndarray, period: tuple[float, float], dims: int = 1) -> np.ndarray:
    """Zero-mean noise in about [-1, 1], smooth, with keys at random intervals drawn from
    ``period`` (s), so it never repeats (no visible loop). Shape (len(t), dims)."""
    end = float(t[-1]) if len(t) else 0.0
    keys = [0.0]
    while keys[-1] <= end:
        keys.append(keys[-1] + rng.uniform(*period))
    vals = rng.uniform(-1.0, 1.0, (len(keys), dims))
    return key_curve(np.array(keys), vals, t)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def two_bone(root: np.ndarray, target: np.ndarray, pole: np.ndarray, l1: float, l2: float
             ) -> tuple[np.ndarray, np.ndarray]:
    """Analytic two-bone IK: the middle joint (elbow/knee) and the reached end position.

    ``root``/``target``/``pole`` are (n, 3); the chain bends towards ``pole`` (a direction).
    Targets out of reach are pulled in to 99.9 % of the chain's length (or pushed out to its
    shortest fold)."""
    d = target - root
    dist = np.linalg.norm(d, axis=-1, keepdims=True)
    u = _unit(d)
    dist = np.clip(dist, abs(l1 - l2) + 1e-4, 0.999 * (l1 + l2))
    a = (l1 * l1 - l2 * l2 + dist * dist) / (2.0 * dist)
    h = np.sqrt(np.maximum(l1 * l1 - a * a, 0.0))
    p = pole - np.sum(pole * u, axis=-1, keepdims=True) * u
    p = _unit(p)
    mid = root + a * u + h * p
    return mid, root + dist * u


def bone_frame(along: np.ndarray, towards: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal (bone axis, in-plane perpendicular) for a bone ``along`` whose child lies
    ``towards``: the perpendicular is ``towards`` made orthogonal to ``along``."""
    a = _unit(along)
    p = towards - np.sum(towards * a, axis=-1, keepdims=True) * a
    return a, _unit(p)


def columns(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """(n, 3, 3) matrices with columns x, y, z."""
    return np.stack([x, y, z], axis=-1)
