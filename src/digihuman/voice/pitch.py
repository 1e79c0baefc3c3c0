"""Pitch shifting without changing timing or formants (WORLD vocoder re-synthesis).

Used for ``--pitch`` (and emotional prosody) on voices that cannot shift pitch themselves
(piper). The spectral envelope is kept, so the voice gets higher or lower without the
"chipmunk" formant shift of resampling, and the length stays identical sample for sample, so
the phoneme timeline stays aligned.
"""

from __future__ import annotations

import threading

import numpy as np

from ..types import Audio
from .convert import F0_CEIL, F0_FLOOR, FRAME_MS, _fit_length, _match_level, base_voice_range, world_analyze

_MEDIANS: dict[str, float] = {}  # voice name -> median F0 (Hz), measured once per process
_lock = threading.Lock()
MEDIAN_SECONDS = 4.0  # of the first utterance: Harvest costs ~0.1-0.25 x real time


def voice_median_f0(voice: str, audio: Audio) -> float:
    """The median F0 of TTS voice ``voice``: measured with Harvest (slow, no octave errors) on
    the first ``MEDIAN_SECONDS`` of ``audio`` the first time, then remembered."""
    with _lock:
        if voice in _MEDIANS:
            return _MEDIANS[voice]
    import pyworld as pw

    x = audio.samples[: int(MEDIAN_SECONDS * audio.sample_rate)].astype(np.float64)
    f0, _ = pw.harvest(x, audio.sample_rate, f0_floor=F0_FLOOR, f0_ceil=F0_CEIL, frame_period=FRAME_MS)
    if not np.any(f0 > 0):
        return float("nan")  # nothing voiced yet: measure on a later utterance
    with _lock:
        return _MEDIANS.setdefault(voice, float(np.median(f0[f0 > 0])))


def shift_pitch(audio: Audio, semitones: float, *, voice: str | None = None, range_factor: float = 1.0) -> Audio:
    """``audio`` with its pitch moved by ``semitones`` (+12 = one octave up).

    ``voice`` names the TTS voice that spoke ``audio``: its median F0 (see
    :func:`voice_median_f0`) bounds the F0 analysis, without which piper's voice was read an
    octave high and every shift landed up to an octave above the one asked for.
    ``range_factor`` scales the intonation around the median (in semitones: 1.3 = 30 % wider
    pitch range, 0.7 = flatter), as emotions do (``digihuman.emotion.prosody``)."""
    if (abs(semitones) < 1e-3 and abs(range_factor - 1.0) < 1e-3) or len(audio.samples) < 2048 \
            or not np.any(audio.samples):
        return audio
    import pyworld as pw

    x = audio.samples.astype(np.float64)
    median = voice_median_f0(voice, audio) if voice else float("nan")
    f0, sp, ap, _ = world_analyze(x, audio.sample_rate, f0_range=None if np.isnan(median) else base_voice_range(median))
    if sp.shape[1] != ap.shape[1]:
        # CheapTrick ran with a lower F0 floor (a longer FFT) than D4C; every other bin of the
        # envelope lies exactly on the aperiodicity's frequencies.
        sp = np.ascontiguousarray(sp[:, :: (sp.shape[1] - 1) // (ap.shape[1] - 1)])
    if abs(range_factor - 1.0) >= 1e-3 and np.any(f0 > 0):
        voiced = f0 > 0
        centre = np.median(np.log(f0[voiced]))
        f0 = f0.copy()
        f0[voiced] = np.exp(centre + range_factor * (np.log(f0[voiced]) - centre))
    y = pw.synthesize(f0 * 2.0 ** (semitones / 12.0), sp, ap, audio.sample_rate, FRAME_MS)
    out = _fit_length(y, len(x))
    return Audio(_match_level(out, audio.samples, audio.sample_rate), audio.sample_rate)
