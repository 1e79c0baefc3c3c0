"""Mouth cues -> per-frame mouth parameters (jaw_open, mouth_width, lip_round, lip_tuck, tongue).

Each shape has a target pose (units in :mod:`digihuman.types`). The curve is computed at
:data:`INTERNAL_RATE` (200 Hz): at each cue the mouth eases (smoothstep) from where it is towards
the new target over :data:`TRANSITION` seconds, starting :data:`LEAD` before the cue (muscles
move before the sound); lip closure is faster (:data:`CLOSE_TRANSITION`). A cue shorter than
the transition is undershot, as in real fast speech. Frames sample the curve at their centres,
then two guarantees are enforced on the frame nearest each cue's middle:

* every A cue shows a frame with jaw_open <= 0.02 (a p/b/m is never lost);
* every C/D/E cue that holds a frame centre reaches >= 90 % of its jaw target.

How far an open shape opens depends on its vowel, not only on its Rhubarb shape (C covers both
AE and schwa): :data:`VOWEL_OPEN` gives the peak lip gap per vowel, scaled a little by the
vowel's loudness (:func:`cue_openings`). Leaving a closure (a p/b/m release, the first vowel
after a pause) is quick, as the lips part at the burst: :data:`RELEASE_TRANSITION`.
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
    Viseme.D: (0.26, 1.05, 0.0, 0.0, 0.0),
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
RELEASE_TRANSITION = 0.04
"""Seconds to open from closed lips (jaw_open <= :data:`CLOSED_MAX`): real lips part at the
release burst and reach the vowel's opening within about a frame (issue 12)."""
CLOSED_MAX = 0.02
OPEN_REACH = 0.9
OPEN_SHAPES = (Viseme.C, Viseme.D, Viseme.E)

# Peak lip gap (jaw_open: gap / mouth width) per vowel. Real speech opens low vowels AA AE AW AY
# to 0.12-0.16 of the outer-eye-corner distance and mid vowels AH AO to 0.08-0.10 (issue 12).
# Tuned on benchmarks/bench_mouth.py's TUNE sentences with FaceMesh re-detected on the video:
# the detected gap grows less than linearly with jaw_open (0.1 -> ~0.08, 0.16 -> ~0.12,
# 0.25 -> ~0.145 eye distances on the default persona), hence ~0.25 for low and 0.12 for mid.
VOWEL_OPEN: dict[str, float] = {
    "ɑ": 0.27, "a": 0.25, "æ": 0.25, "ɒ": 0.26, "ɶ": 0.25,  # low: AA, AY/AW's first half, AE
    "ʌ": 0.12, "ɔ": 0.12,  # mid: AH, AO
    "ɛ": 0.14, "e": 0.12, "ɐ": 0.12, "ə": 0.11, "ɜ": 0.12, "ɚ": 0.11, "ɝ": 0.12, "o": 0.13,
}
LOUDNESS_GAIN = 0.03
"""Opening change per dB of a vowel's level above / below the clip's median vowel level..."""
LOUDNESS_RANGE = (0.95, 1.15)
"""... within these factors (louder, stressed vowels open wider: opening follows loudness)."""


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def cue_openings(cues: list[MouthCue], phonemes, audio=None) -> list[float | None]:
    """Per cue: the jaw_open target of its main vowel (:data:`VOWEL_OPEN`, scaled by loudness when
    ``audio`` is given), or None (the shape's own target) for closed shapes and unknown vowels."""
    from digihuman.lipsync.visemes import base_symbol

    vowels = [(p, VOWEL_OPEN[base_symbol(p.symbol)]) for p in phonemes
              if base_symbol(p.symbol) in VOWEL_OPEN]
    level = {}
    if audio is not None and len(audio.samples) and vowels:
        sr, x = audio.sample_rate, audio.samples
        for p, _ in vowels:
            seg = x[int(p.start * sr):max(int(p.end * sr), int(p.start * sr) + 1)]
            level[p] = 10 * np.log10(float(np.mean(seg.astype(np.float64) ** 2)) + 1e-10)
        med = float(np.median(list(level.values())))
    out: list[float | None] = []
    for cue in cues:
        best, jaw = 0.0, None
        if cue.shape in OPEN_SHAPES:
            for p, j in vowels:
                ov = min(p.end, cue.end) - max(p.start, cue.start)
                if ov > best:
                    best, jaw = ov, j
                    if p in level:
                        jaw = j * float(np.clip(1 + LOUDNESS_GAIN * (level[p] - med), *LOUDNESS_RANGE))
        out.append(jaw)
    return out


def _target(cue: MouthCue, jaw: float | None) -> np.ndarray:
    t = np.array(TARGETS[cue.shape], dtype=np.float64)
    if jaw is not None:
        t[0] = jaw
    return t


def mouth_curve(cues: list[MouthCue], duration: float, rate: float = INTERNAL_RATE,
                openings: list[float | None] | None = None):
    """Return (times, values): times (n,) seconds and values (n, 5) in :data:`MOUTH_PARAMS` order.
    ``openings``: per-cue jaw_open targets (None: the shape's), from :func:`cue_openings`."""
    n = max(2, int(np.ceil(duration * rate)) + 1)
    t = np.linspace(0.0, duration, n)
    vals = np.tile(np.array(TARGETS[Viseme.X], dtype=np.float64), (n, 1))
    if not cues:
        return t, vals
    openings = openings or [None] * len(cues)
    cur = np.array(TARGETS[Viseme.X], dtype=np.float64)
    for k, cue in enumerate(cues):
        s = max(0.0, cue.start - LEAD) if k else 0.0
        e = max(s, cues[k + 1].start - LEAD) if k + 1 < len(cues) else duration + 1.0
        target = _target(cue, openings[k])
        closing = cue.shape in (Viseme.A, Viseme.X)
        if closing:
            tau = CLOSE_TRANSITION
        elif cur[0] <= CLOSED_MAX and target[0] > 0.1:
            tau = RELEASE_TRANSITION  # the lips part at the release: the opening starts at it
            s = max(s, cue.start)
        else:
            tau = TRANSITION
        i0, i1 = np.searchsorted(t, [s, e], side="left")
        if i1 > i0:
            w = _smoothstep((t[i0:i1] - s) / tau)[:, None]
            vals[i0:i1] = cur + (target - cur) * w
        # where the mouth is when the next cue takes over (may be short of the target)
        w_end = float(_smoothstep(np.array((e - s) / tau)))
        cur = cur + (target - cur) * w_end
    return t, vals


def mouth_frames(cues: list[MouthCue], duration: float, fps: float, n_frames: int,
                 openings: list[float | None] | None = None) -> np.ndarray:
    """(n_frames, 5) mouth parameters sampled at frame centres (i + 0.5) / fps."""
    openings = openings or [None] * len(cues)
    t, vals = mouth_curve(cues, duration, openings=openings)
    centres = (np.arange(n_frames) + 0.5) / fps
    out = np.stack([np.interp(centres, t, vals[:, j]) for j in range(vals.shape[1])], axis=1)
    _enforce(out, cues, centres, fps, openings)
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


def _enforce(out: np.ndarray, cues: list[MouthCue], centres: np.ndarray, fps: float,
             openings: list[float | None]) -> None:
    for cue, jaw in zip(cues, openings):
        if cue.shape == Viseme.A:
            j = _frame_for(cue, centres, fps)
            if j is None:  # cue between two frame centres: the nearest frame shows it
                mid = 0.5 * (cue.start + cue.end)
                j = int(np.clip(round(mid * fps - 0.5), 0, len(centres) - 1))
            if out[j, 0] > CLOSED_MAX:
                out[j, :] = TARGETS[Viseme.A]
        elif cue.shape in OPEN_SHAPES:
            j = _frame_for(cue, centres, fps)
            if j is None:
                continue
            target = _target(cue, jaw)
            if out[j, 0] < OPEN_REACH * target[0]:
                # pull the whole pose a bit past 80 % of the way (float32 margin; keeps
                # width/round consistent with the jaw)
                frac = OPEN_REACH + 0.02
                out[j, :] = out[j, :] + (target - out[j, :]) * max(
                    0.0, (frac * target[0] - out[j, 0]) / max(target[0] - out[j, 0], 1e-6))
