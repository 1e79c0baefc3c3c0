"""Pitch shifting without changing timing or formants (WORLD vocoder re-synthesis).

Used for ``--pitch`` (and emotional prosody) on voices that cannot shift pitch themselves
(piper). The spectral envelope is kept, so the voice gets higher or lower without the
"chipmunk" formant shift of resampling, and the length stays identical sample for sample, so
the phoneme timeline stays aligned.
"""

from __future__ import annotations

import numpy as np

from ..types import Audio
from .convert import FRAME_MS, _fit_length, _match_level, world_analyze


def shift_pitch(audio: Audio, semitones: float) -> Audio:
    """``audio`` with its pitch moved by ``semitones`` (+12 = one octave up)."""
    if abs(semitones) < 1e-3 or len(audio.samples) < 2048 or not np.any(audio.samples):
        return audio
    import pyworld as pw

    x = audio.samples.astype(np.float64)
    f0, sp, ap, _ = world_analyze(x, audio.sample_rate)
    if sp.shape[1] != ap.shape[1]:
        # CheapTrick ran with a lower F0 floor (a longer FFT) than D4C; every other bin of the
        # envelope lies exactly on the aperiodicity's frequencies.
        sp = np.ascontiguousarray(sp[:, :: (sp.shape[1] - 1) // (ap.shape[1] - 1)])
    y = pw.synthesize(f0 * 2.0 ** (semitones / 12.0), sp, ap, audio.sample_rate, FRAME_MS)
    out = _fit_length(y, len(x))
    return Audio(_match_level(out, audio.samples, audio.sample_rate), audio.sample_rate)
