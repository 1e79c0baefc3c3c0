"""Speech -> per-frame face parameters (:class:`FaceTrack`): mouth from the cues, plus blinks,
head motion and breathing. Frame ``i`` shows time ``(i + 0.5) / fps`` seconds."""

from __future__ import annotations

import numpy as np

from digihuman._signal import convolve_same
from digihuman.animation.idle import blinks, breathing, head_motion
from digihuman.animation.mouth import MOUTH_PARAMS, cue_openings, mouth_frames
from digihuman.lipsync.visemes import is_stressed, is_vowel
from digihuman.types import NEUTRAL_PARAMS, PARAM_INDEX, FACE_PARAMS, FaceTrack, MouthCue, Speech


def _n_frames(duration: float, fps: float) -> int:
    return max(1, int(round(duration * fps)))


def _base(n: int, fps: float, duration: float, seed: int, activity=None, nods=None) -> np.ndarray:
    """Neutral rows plus blinks, head motion and breathing."""
    row = np.array([NEUTRAL_PARAMS[name] for name in FACE_PARAMS], dtype=np.float64)
    values = np.tile(row, (n, 1))
    times = (np.arange(n) + 0.5) / fps
    b = blinks(times, duration, seed)
    values[:, PARAM_INDEX["blink_l"]] = b
    values[:, PARAM_INDEX["blink_r"]] = b
    for name, col in head_motion(times, seed, activity, nods).items():
        values[:, PARAM_INDEX[name]] = col
    values[:, PARAM_INDEX["breath"]] = breathing(times, seed)
    return values


def idle_track(duration: float, fps: float = 25.0, seed: int = 0) -> FaceTrack:
    """A listening/silent face: closed mouth, blinks, head motion, breathing."""
    n = _n_frames(duration, fps)
    return FaceTrack(_base(n, fps, max(duration, n / fps), seed).astype(np.float32), float(fps))


def _activity(speech: Speech, times: np.ndarray, fps: float) -> np.ndarray:
    """0..1 per frame: 1 while speaking, smoothed over ~0.5 s so motion swells and settles."""
    act = np.zeros_like(times)
    for p in speech.timeline.phonemes:
        if not p.is_silence:
            act[(times >= p.start) & (times < p.end)] = 1.0
    if len(act) > 2:
        k = np.hanning(max(3, int(0.5 * fps)))
        act = convolve_same(act, k / k.sum())
    return np.clip(act, 0.0, 1.0)


def _nods(speech: Speech, seed: int) -> list[tuple[float, float]]:
    """Emphasis points: long primary-stressed vowels, at most one per 0.8 s, ~60 % chosen."""
    rng = np.random.default_rng([seed, 4])
    out: list[tuple[float, float]] = []
    last = -1e9
    for p in speech.timeline.phonemes:
        if is_stressed(p.symbol) and is_vowel(p.symbol) and p.duration >= 0.08:
            t = p.start + 0.3 * p.duration
            if t - last >= 0.8 and rng.random() < 0.6:
                strength = float(np.clip(p.duration / 0.18, 0.4, 1.0))
                out.append((t, strength))
                last = t
    return out


def animate(speech: Speech, fps: float = 25.0, *, seed: int = 0,
            cues: list[MouthCue] | None = None) -> FaceTrack:
    """Per-frame face parameters for ``speech`` (cues from :func:`mouth_cues` unless given)."""
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps}")
    if cues is None:
        from digihuman.lipsync.cues import mouth_cues

        cues = mouth_cues(speech.timeline)
    duration = float(speech.timeline.duration)
    n = _n_frames(duration, fps)
    times = (np.arange(n) + 0.5) / fps
    values = _base(n, fps, max(duration, n / fps), seed, _activity(speech, times, fps), nods := _nods(speech, seed))
    openings = cue_openings(cues, speech.timeline.phonemes, speech.audio)
    mouth = mouth_frames(cues, max(duration, n / fps), fps, n, openings)
    for j, name in enumerate(MOUTH_PARAMS):
        values[:, PARAM_INDEX[name]] = mouth[:, j]
    # brows lift a little with emphasis (0..0.2, a 0.5 s raised cosine per nod)
    brow = values[:, PARAM_INDEX["brow"]]
    for t0, strength in nods:
        x = (times - t0) / 0.5
        m = np.abs(x) <= 0.5
        brow[m] = np.maximum(brow[m], 0.2 * strength * 0.5 * (1 + np.cos(2 * np.pi * x[m])))
    return FaceTrack(values.astype(np.float32), float(fps))


EXPRESSION_RAMP = 0.3
"""Seconds over which an emotional expression eases in at the start of a clip and out at its end."""


def express(track: FaceTrack, offsets: dict[str, float], cues: list[MouthCue] | None = None) -> FaceTrack:
    """Add an emotional expression (face parameter offsets, e.g. ``{"smile": 0.5}``) to a whole
    track, easing in and out (:mod:`digihuman.animation.expression`); with the clip's mouth
    ``cues`` the mouth-opening parts of it give way to lip closures."""
    from digihuman.animation.expression import ExpressionSegment, express_segments

    return express_segments(track, [ExpressionSegment(0.0, track.duration, dict(offsets))], cues)
