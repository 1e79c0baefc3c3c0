"""Mouth cues -> per-frame mouth parameters (jaw_open, mouth_width, lip_round, lip_tuck, tongue).

Each shape has a target pose (units in :mod:`digihuman.types`). The curve is computed at
:data:`INTERNAL_RATE` (200 Hz): at each cue the mouth eases (smoothstep) from where it is towards
the new target over :data:`TRANSITION` seconds, starting :data:`LEAD` before the cue (muscles
move before the sound); lip closure is faster (:data:`CLOSE_TRANSITION`). A cue shorter than
the transition is undershot, as in real fast speech. Frames sample the curve at their centres,
then two guarantees are enforced on the frame nearest each cue's middle:

* every A cue shows a frame with jaw_open <= 0.02 (a p/b/m is never lost);
* every C/D cue that holds a frame centre reaches >= 80 % of its jaw target.
"""

from __future__ import annotations

import numpy as np

from digihuman.types import MouthCue, Viseme

MOUTH_PARAMS: tuple[str, ...] = ("jaw_open", "mouth_width", "lip_round", "lip_tuck", "tongue")

# jaw_open (lip gap / mouth width), mouth_width (x rest), lip_round, lip_tuck, tongue (0..1)
TARGETS: dict[Viseme, tuple[float, float, float, float, float]] = {
    Viseme.X: (0.0, 1.0, 0.0, 0.0, 0.0),
    Viseme.A: (0.0, 0.97, 0.05, 0.0, 0.0),
    Viseme.B: (0.06, 1.0, 0.0, 0.0, 0.0),
    Viseme.C: (0.2, 1.03, 0.0, 0.0, 0.0),
    Viseme.D: (0.35, 1.05, 0.0, 0.0, 0.0),
    Viseme.E: (0.18, 0.88, 0.5, 0.0, 0.0),
    Viseme.F: (0.06, 0.75, 0.9, 0.0, 0.0),
    Viseme.G: (0.03, 1.0, 0.0, 1.0, 0.0),
    Viseme.H: (0.16, 1.0, 0.0, 0.0, 1.0),
}

INTERNAL_RATE = 200.0
"""Hz, rate of the internal curve (5 ms steps)."""
TRANSITION = 0.07
"""Seconds to ease into a new shape."""
CLOSE_TRANSITION = 0.045
"""Seconds to close the lips (A, and X after speech): closures are quick."""
LEAD = 0.015
"""Seconds the ease starts before the cue."""
CLOSED_MAX = 0.02
OPEN_REACH = 0.8


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def mouth_curve(cues: list[MouthCue], duration: float, rate: float = INTERNAL_RATE):
    """Return (times, values): times (n,) seconds and values (n, 5) in :data:`MOUTH_PARAMS` order."""
    n = max(2, int(np.ceil(duration * rate)) + 1)
    t = np.linspace(0.0, duration, n)
    vals = np.tile(np.array(TARGETS[Viseme.X], dtype=np.float64), (n, 1))
    if not cues:
        return t, vals
    cur = np.array(TARGETS[Viseme.X], dtype=np.float64)
    for k, cue in enumerate(cues):
        s = max(0.0, cue.start - LEAD) if k else 0.0
        e = max(s, cues[k + 1].start - LEAD) if k + 1 < len(cues) else duration + 1.0
        target = np.array(TARGETS[cue.shape], dtype=np.float64)
        closing = cue.shape in (Viseme.A, Viseme.X)
        tau = CLOSE_TRANSITION if closing else TRANSITION
        i0, i1 = np.searchsorted(t, [s, e], side="left")
        if i1 > i0:
            w = _smoothstep((t[i0:i1] - s) / tau)[:, None]
            vals[i0:i1] = cur + (target - cur) * w
        # where the mouth is when the next cue takes over (may be short of the target)
        w_end = float(_smoothstep(np.array((e - s) / tau)))
        cur = cur + (target - cur) * w_end
    return t, vals


def mouth_frames(cues: list[MouthCue], duration: float, fps: float, n_frames: int) -> np.ndarray:
    """(n_frames, 5) mouth parameters sampled at frame centres (i + 0.5) / fps."""
    t, vals = mouth_curve(cues, duration)
    centres = (np.arange(n_frames) + 0.5) / fps
    out = np.stack([np.interp(centres, t, vals[:, j]) for j in range(vals.shape[1])], axis=1)
    _enforce(out, cues, centres, fps)
    return out.astype(np.float32)


def _frame_for(cue: MouthCue, centres: np.ndarray, fps: float) -> int | None:
    """Frame whose centre lies in the cue, nearest its middle (None if no centre inside)."""
    if len(centres) == 0:
        return None
    mid = 0.5 * (cue.start + cue.end)
    i = int(np.clip(np.floor(mid * fps), 0, len(centres) - 1))
    inside = [j for j in (i - 1, i, i + 1)
              if 0 <= j < len(centres) and cue.start <= centres[j] < cue.end]
    if not inside:
        return None
    return min(inside, key=lambda j: abs(centres[j] - mid))


def _enforce(out: np.ndarray, cues: list[MouthCue], centres: np.ndarray, fps: float) -> None:
    for cue in cues:
        if cue.shape == Viseme.A:
            j = _frame_for(cue, centres, fps)
            if j is None:  # cue between two frame centres: the nearest frame shows it
                mid = 0.5 * (cue.start + cue.end)
                j = int(np.clip(round(mid * fps - 0.5), 0, len(centres) - 1))
            if out[j, 0] > CLOSED_MAX:
                out[j, :] = TARGETS[Viseme.A]
        elif cue.shape in (Viseme.C, Viseme.D):
            j = _frame_for(cue, centres, fps)
            if j is None:
                continue
            target = np.array(TARGETS[cue.shape])
            if out[j, 0] < OPEN_REACH * target[0]:
                # pull the whole pose a bit past 80 % of the way (float32 margin; keeps
                # width/round consistent with the jaw)
                frac = OPEN_REACH + 0.02
                out[j, :] = out[j, :] + (target - out[j, :]) * max(
                    0.0, (frac * target[0] - out[j, 0]) / max(target[0] - out[j, 0], 1e-6))
