"""Language-independent fallback: pseudo-phonemes from energy and spectrum, 10 ms frames.

Used for languages without a recogniser, and for chunks where recognition fails. The goal is
not the right phonemes but a mouth that opens and closes with the syllables of the speech:

* loud voiced frames (syllable nuclei) -> ``"a"`` (wide open), quieter voiced -> ``"ə"`` (open);
* noisy frames (high zero-crossing rate / high-band energy: fricatives, bursts) -> ``"s"``
  (teeth nearly together);
* energy dips between syllables (local minima of the smoothed envelope) -> ``"m"`` (closed),
  and speech that starts after a pause starts with a short ``"m"`` closure;
* anything below the noise floor or outside the VAD speech segments -> ``""`` (silence).
"""

from __future__ import annotations

import numpy as np

from digihuman._signal import convolve_same

SAMPLE_RATE = 16000  # Hz
HOP = 160  # samples per frame (10 ms at 16 kHz)
WIN = 400  # analysis window, samples (25 ms)
MIN_RUN = 4  # frames (40 ms): shorter labels are absorbed by a neighbour
ONSET_CLOSURE = 4  # frames (40 ms) of "m" before speech that follows a pause


def frame_features(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per 10 ms frame: level (dB re full scale), zero-crossing rate (0..1), high-band share
    (energy above 3 kHz over total, 0..1)."""
    x = np.asarray(samples, np.float32)
    n = max(1, (x.size + HOP - 1) // HOP)
    pad = np.concatenate([np.zeros(WIN // 2, np.float32), x, np.zeros(WIN + n * HOP, np.float32)])
    idx = np.arange(WIN)[None, :] + HOP * np.arange(n)[:, None]
    fr = pad[idx] * np.hanning(WIN).astype(np.float32)
    rms = np.sqrt(np.mean(fr**2, axis=1) + 1e-12)
    db = 20 * np.log10(rms + 1e-5)
    signs = np.signbit(fr)
    zcr = np.mean(signs[:, 1:] != signs[:, :-1], axis=1)
    spec = np.abs(np.fft.rfft(fr, axis=1)) ** 2
    freqs = np.fft.rfftfreq(WIN, 1.0 / SAMPLE_RATE)
    high = spec[:, freqs >= 3000].sum(1) / (spec.sum(1) + 1e-12)
    return db, zcr, high


def silence_floor(db: np.ndarray) -> float:
    """dB level under which a frame counts as silence: 35 dB under the loud frames, but at
    least 8 dB over the quiet ones (so steady background noise stays silence)."""
    return float(max(np.percentile(db, 95) - 35.0, np.percentile(db, 5) + 8.0))


def _smooth(v: np.ndarray, k: int) -> np.ndarray:
    return convolve_same(v, np.ones(k) / k)


def pseudo_phonemes(samples: np.ndarray, speech: np.ndarray | None = None) -> list[tuple[str, int, int]]:
    """(symbol, start_frame, end_frame) runs covering all frames of 16 kHz ``samples``.

    ``speech``: optional boolean mask per 10 ms frame (VAD); frames outside it are silence.
    """
    db, zcr, high = frame_features(samples)
    n = db.size
    if speech is None:
        speech = np.ones(n, bool)
    speech = speech[:n] if speech.size >= n else np.pad(speech, (0, n - speech.size))
    floor = silence_floor(db)
    active = speech & (db > floor)
    if not active.any():
        return [("", 0, n)]
    loud = np.percentile(db[active], 55)  # dB: nuclei are the louder half of speech frames
    env = _smooth(db, 5)  # 50 ms envelope for syllable dips
    labels = np.full(n, "", dtype=object)
    noisy = (zcr > 0.3) | (high > 0.45)
    labels[active & noisy] = "s"
    labels[active & ~noisy & (db >= loud)] = "a"
    labels[active & ~noisy & (db < loud)] = "ə"
    # energy dips between syllables: local minima at least 4 dB under the 150 ms neighbourhood max
    for i in range(2, n - 2):
        if not active[i] or labels[i] == "s":
            continue
        if env[i] <= env[i - 1] and env[i] <= env[i + 1]:
            lo, hi = max(0, i - 15), min(n, i + 16)
            if env[lo:hi].max() - env[i] >= 4.0:
                labels[max(0, i - 2): i + 2] = "m"
    # a closure right before speech that starts after silence (the lips part to speak)
    for i in range(1, n):
        if labels[i] != "" and labels[i - 1] == "":
            labels[max(0, i - ONSET_CLOSURE): i] = "m"
    return _runs(list(labels))


def _runs(labels: list[str]) -> list[tuple[str, int, int]]:
    runs: list[list] = []
    for i, lab in enumerate(labels):
        if runs and runs[-1][0] == lab:
            runs[-1][2] = i + 1
        else:
            runs.append([lab, i, i + 1])
    # absorb runs shorter than MIN_RUN frames into the previous one (silence is never absorbed,
    # and "m" closures stay: they are short on purpose)
    out: list[list] = []
    for r in runs:
        if out and r[2] - r[1] < MIN_RUN and r[0] not in ("", "m") and out[-1][0] != "":
            out[-1][2] = r[2]
        elif out and out[-1][0] == r[0]:
            out[-1][2] = r[2]
        else:
            out.append(r)
    return [(str(a), int(b), int(c)) for a, b, c in out]
