"""Life between words: blinks, small head motion, breathing. Deterministic for a seed.

* Blinks: intervals drawn from a gamma distribution (mean ~4.2 s, never below
  :data:`MIN_BLINK_GAP`), each ~0.15-0.25 s with a fast close (~35 %) and a slower open;
  ~12 % are double blinks (a second, shorter blink right after). Both eyes together.
* Head: smooth low-frequency noise (sums of 0.05-0.5 Hz sines with random phases) for yaw,
  pitch, roll (radians, |x| <= :data:`MAX_ROT`) and dx, dy (fraction of face width,
  |x| <= :data:`MAX_SHIFT`); amplitude rises while speaking, plus small nods on stressed
  vowels.
* Breathing: ~0.25 Hz, a raised sine in 0..1 (inhale faster than exhale).
"""

from __future__ import annotations

import numpy as np

MIN_BLINK_GAP = 1.8
"""Seconds between the starts of two blink events (a double blink is one event)."""
MAX_ROT = 0.04
"""Radians, bound on head yaw/pitch/roll."""
MAX_SHIFT = 0.015
"""Fraction of face width, bound on head dx/dy."""
BREATH_HZ = 0.25


def blink_events(duration: float, seed: int = 0) -> list[tuple[float, float, bool]]:
    """[(start s, length s, double?)] for blinks that start within [0, duration)."""
    rng = np.random.default_rng([seed, 1])
    events: list[tuple[float, float, bool]] = []
    t = float(rng.uniform(0.6, 2.5))  # first blink soon, but not at frame 0
    while t < duration:
        length = float(rng.uniform(0.15, 0.25))
        events.append((t, length, bool(rng.random() < 0.12)))
        t += max(MIN_BLINK_GAP, float(rng.gamma(shape=4.0, scale=1.05)))
    return events


def _blink_shape(x: np.ndarray) -> np.ndarray:
    """Closure 0..1 over the blink's normalised time x in [0, 1]: fast close, slower open."""
    out = np.zeros_like(x)
    close, hold = 0.35, 0.1
    a = (x >= 0) & (x < close)
    out[a] = np.sin(0.5 * np.pi * x[a] / close) ** 2
    b = (x >= close) & (x < close + hold)
    out[b] = 1.0
    c = (x >= close + hold) & (x <= 1.0)
    y = (x[c] - close - hold) / (1.0 - close - hold)
    out[c] = 0.5 * (1.0 + np.cos(np.pi * y))
    return out


def blinks(times: np.ndarray, duration: float, seed: int = 0) -> np.ndarray:
    """Eye closure 0..1 at ``times`` (seconds); each blink's peak shows on its nearest sample."""
    val = np.zeros_like(times, dtype=np.float64)
    step = float(times[1] - times[0]) if len(times) > 1 else 1.0
    for start, length, double in blink_events(duration, seed):
        parts = [(start, length)]
        if double:
            parts.append((start + length + 0.08, 0.8 * length))
        for s, ln in parts:
            v = _blink_shape((times - s) / ln)
            peak = s + ln * 0.4  # middle of the closed hold
            j = int(np.argmin(np.abs(times - peak)))
            if abs(times[j] - peak) <= step:  # a sampled frame always sees the eyes shut
                v[j] = 1.0
            val = np.maximum(val, v)
    return val


def _noise(times: np.ndarray, rng: np.random.Generator, lo: float = 0.05, hi: float = 0.5,
           n: int = 5) -> np.ndarray:
    """Smooth noise in about [-1, 1]: random sines with 1/f-like amplitudes."""
    freqs = rng.uniform(lo, hi, n)
    phases = rng.uniform(0, 2 * np.pi, n)
    amps = 1.0 / np.sqrt(freqs)
    sig = sum(a * np.sin(2 * np.pi * f * times + p) for a, f, p in zip(amps, freqs, phases))
    return sig / amps.sum() * 2.0


def _soft_clip(x: np.ndarray, bound: float) -> np.ndarray:
    return bound * np.tanh(x / bound)


def head_motion(times: np.ndarray, seed: int = 0, activity: np.ndarray | None = None,
                nods: list[tuple[float, float]] | None = None) -> dict[str, np.ndarray]:
    """Head yaw/pitch/roll (rad) and dx/dy (face widths) at ``times``.

    ``activity`` (0..1 per sample) is how much the person is speaking: it scales the motion up
    to 1.8x. ``nods`` are (time s, strength 0..1) emphasis points: a quick down-up of pitch.
    """
    rng = np.random.default_rng([seed, 2])
    act = np.zeros_like(times) if activity is None else activity
    gain = 1.0 + 0.8 * act
    out = {
        "head_yaw": 0.013 * _noise(times, rng) * gain,
        "head_pitch": 0.009 * _noise(times, rng) * gain,
        "head_roll": 0.007 * _noise(times, rng) * gain,
        "head_dx": 0.004 * _noise(times, rng) * gain,
        "head_dy": 0.003 * _noise(times, rng) * gain,
    }
    if nods:
        # positive pitch = chin down (nod): a 0.35 s raised-cosine bump, peak ~12 ms rad
        for t0, strength in nods:
            x = (times - t0) / 0.35
            m = (x >= -0.5) & (x <= 0.5)
            bump = 0.5 * (1 + np.cos(2 * np.pi * x[m]))
            out["head_pitch"][m] += 0.012 * strength * bump
            out["head_dy"][m] += 0.002 * strength * bump
    for k in ("head_yaw", "head_pitch", "head_roll"):
        out[k] = _soft_clip(out[k], MAX_ROT)
    for k in ("head_dx", "head_dy"):
        out[k] = _soft_clip(out[k], MAX_SHIFT)
    return out


def breathing(times: np.ndarray, seed: int = 0) -> np.ndarray:
    """0..1 breathing phase at ``times``; rate wanders 0.2-0.3 Hz."""
    rng = np.random.default_rng([seed, 3])
    f = BREATH_HZ + 0.03 * _noise(times, rng, 0.02, 0.06, 2)  # Hz
    phase = 2 * np.pi * np.cumsum(f) * (times[1] - times[0] if len(times) > 1 else 0.0)
    phase += rng.uniform(0, 2 * np.pi)
    s = np.sin(phase)
    return 0.5 + 0.5 * np.sign(s) * np.abs(s) ** 0.8
