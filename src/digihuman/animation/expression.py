"""Emotional expression over time, blended with speech: onset, apex, offset, and lip sync kept.

An expression is a set of face-parameter offsets (action units, ``digihuman.emotion.expression``)
scaled by an envelope: it eases in over :data:`ONSET` seconds (smoothstep), holds, and eases out
over :data:`OFFSET` seconds. Consecutive segments (one per sentence) cross-fade instead of dipping
to neutral between them.

Speech owns the mouth: offsets that open the lips (:data:`MOUTH_GATED`: a smile's parted lips,
surprise's dropped jaw) are faded out around every lip closure (mouth cue A: p, b, m) and
lip-on-teeth contact (G: f, v), so a bilabial still closes whatever the emotion. The other units
(brows, lids, cheeks, mouth corners, mouth width and rounding) never part the lips and apply
everywhere, kept within the ranges of their parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from digihuman.types import PARAM_INDEX, FaceTrack, MouthCue, Viseme

ONSET = 0.25
"""Seconds for an expression to ease in (real onsets take 0.2-0.5 s)."""
OFFSET = 0.3
"""Seconds for it to ease out at the end of its segment (and of the clip)."""
MOUTH_GATED = ("jaw_open",)
RANGES = {"jaw_open": (0.0, 0.6), "mouth_width": (0.6, 1.4), "lip_round": (0.0, 1.0)}  # else -1..1
CONTACT = (Viseme.A, Viseme.G)  # cues whose lips must touch (lips together / lip on teeth)
GATE_MARGIN = 0.0
"""Seconds before and after a contact cue during which the gated offsets are fully off."""
GATE_FADE = 0.04
"""Seconds over which they come back."""


@dataclass(frozen=True)
class ExpressionSegment:
    """One expression held from ``start`` to ``end`` seconds (e.g. one sentence)."""

    start: float
    end: float
    offsets: dict[str, float] = field(default_factory=dict)
    """Face parameter offsets at the apex (FACE_PARAMS names), already scaled by intensity."""


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def contact_gate(cues: list[MouthCue] | None, times: np.ndarray) -> np.ndarray:
    """0..1 per time: 0 around lip contacts (cues A and G), 1 where the mouth is free."""
    gate = np.ones_like(times, dtype=np.float64)
    for c in cues or ():
        if c.shape in CONTACT:
            d = np.maximum(c.start - GATE_MARGIN - times, times - c.end - GATE_MARGIN)  # s outside
            gate = np.minimum(gate, _smoothstep(d / GATE_FADE))
    return gate


def envelopes(segments: list[ExpressionSegment], times: np.ndarray, clip_end: float,
              onset: bool = True, release: bool = True) -> np.ndarray:
    """(len(segments), len(times)) weights 0..1: each segment's onset-hold-offset curve.

    ``onset``/``release`` False keep the first segment fully on from the clip start / the last one
    to the clip end (a live reply whose earlier or later sentence carries the same expression)."""
    env = np.zeros((len(segments), len(times)))
    for i, s in enumerate(segments):
        first, last = i == 0, i == len(segments) - 1
        start = s.start if not first else min(s.start, 0.0)
        rise = np.ones_like(times) if first and not onset else _smoothstep((times - start) / ONSET)
        # a following segment starts fading in at its start: this one fades out over the same time
        end = s.end + (OFFSET if not last else 0.0)
        end = clip_end if last else end
        fall = np.ones_like(times) if last and not release else _smoothstep((end - times) / OFFSET)
        env[i] = rise * fall
    total = env.sum(axis=0)
    return env / np.maximum(total, 1.0)


def express_segments(track: FaceTrack, segments: list[ExpressionSegment], cues: list[MouthCue] | None = None,
                     *, onset: bool = True, release: bool = True) -> FaceTrack:
    """``track`` with the expressions of ``segments`` added (values stay within -1..1 for the
    emotion columns, the mouth columns within their speech ranges)."""
    segments = [s for s in segments if s.offsets]
    if not segments:
        return track
    n = track.n_frames
    times = (np.arange(n) + 0.5) / track.fps
    env = envelopes(segments, times, track.duration, onset, release)
    gate = contact_gate(cues, times)
    values = track.values.astype(np.float64).copy()
    names = sorted({k for s in segments for k in s.offsets})
    for name in names:
        col = PARAM_INDEX[name]
        amount = sum(e * s.offsets.get(name, 0.0) for e, s in zip(env, segments))
        if name in MOUTH_GATED:
            amount = amount * gate
        lo, hi = RANGES.get(name, (-1.0, 1.0))
        values[:, col] = np.clip(values[:, col] + amount, lo, hi)
    return FaceTrack(values.astype(np.float32), track.fps)
