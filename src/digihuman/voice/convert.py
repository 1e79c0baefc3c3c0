"""Voice conversion: make the base TTS voice sound like a stored :class:`VoiceProfile`.

Backends are named and pluggable (``get_converter("world", profile)``); a neural backend can be
registered in :data:`_BACKENDS` later. Every backend MUST return audio of exactly the input's
length, sample for sample: the phoneme timeline (lip sync) was computed for the input.

The "world" backend is classic DSP voice conversion on the WORLD vocoder:
  1. analyse the input: F0 (DIO + StoneMask), spectral envelope (CheapTrick), aperiodicity (D4C)
  2. F0: linear mapping of log-F0 (mean and spread, in semitones) from base to speaker
  3. envelope: frequency warping (vocal-tract length) + mel-cepstral amplitude scaling and
     per-coefficient slope learned from the speaker's sample (energy coefficient untouched)
  4. resynthesise, restore the input's loudness, limit the peaks below full scale.
"""

from __future__ import annotations

import abc
from functools import lru_cache

import numpy as np

from ..errors import BackendUnavailable
from ..types import Audio
from .profile import VoiceProfile

FRAME_MS = 5.0
"""WORLD frame period (milliseconds). 5 ms keeps F0 contours smooth; D4C (the costliest step)
runs on every :data:`AP_STEP`-th frame, interpolated between (aperiodicity changes slowly)."""
SP_STEP = 2
"""CheapTrick every 2nd frame (10 ms), the frames between interpolated: the envelope (formants)
moves slowly next to F0, and CheapTrick is WORLD's costliest analysis step."""
AP_STEP = 3
"""D4C every 3rd frame (15 ms): a third of its cost, keeps conversion <= 0.05 x real time."""
F0_FLOOR, F0_CEIL = 60.0, 500.0
"""Search range for F0 (Hz): covers deep male to high female/child voices."""
DIO_SPEED = 2
"""DIO's decimation factor for the F0 search (1 = full rate)."""
PEAK = 0.98
"""Largest allowed absolute sample value after conversion (no clipping)."""


class VoiceConverter(abc.ABC):
    """Turns base-voice audio into the profile's voice, keeping the length exactly."""

    name: str = ""

    def __init__(self, profile: VoiceProfile) -> None:
        self.profile = profile

    @abc.abstractmethod
    def convert(self, audio: Audio) -> Audio:
        """Return converted audio with the same sample rate and the same number of samples."""


def base_voice_range(median_hz: float, semitones: float = 9.0) -> tuple[float, float]:
    """DIO's F0 search range around a voice's median F0 (measured with Harvest).

    Unbounded (60-500 Hz), DIO reads piper's ~100 Hz voice about an octave high (~170 Hz) in
    most runs, and re-synthesis at that F0 moved the voice up to an octave: ``--pitch 1.5``
    landed +9..+11 semitones, ``-1.5`` +5..+8. +-9 semitones around the median keeps the voice's
    normal range and excludes the doubled reading (measured: within ~1.5 semitones of the asked
    shift)."""
    k = 2.0 ** (semitones / 12.0)
    return max(F0_FLOOR, median_hz / k), min(F0_CEIL, median_hz * k)


def world_analyze(x: np.ndarray, fs: int, *, aperiodicity: bool = True, harvest: bool = False,
                  f0_range: tuple[float, float] | None = None):
    """WORLD features of float64 samples ``x`` at ``fs`` Hz: (f0 Hz, envelope, aperiodicity, times).

    ``f0_range`` (Hz) bounds DIO's F0 search when the voice's pitch is known (see
    :func:`base_voice_range`)."""
    import pyworld as pw

    if harvest:  # slower (~0.1 x real time) but more robust F0; used for analysis, not conversion
        f0, t = pw.harvest(x, fs, f0_floor=F0_FLOOR, f0_ceil=F0_CEIL, frame_period=FRAME_MS)
    else:
        # speed=2: DIO searches a 2x decimated signal (2.5x faster); StoneMask then refines each
        # frame's F0 on the full-rate signal, so the contour keeps its precision
        lo, hi = f0_range or (F0_FLOOR, F0_CEIL)
        f0, t = pw.dio(x, fs, f0_floor=lo, f0_ceil=hi, frame_period=FRAME_MS, speed=DIO_SPEED)
    f0 = pw.stonemask(x, f0, t, fs)
    sp_few = pw.cheaptrick(x, np.ascontiguousarray(f0[::SP_STEP]), np.ascontiguousarray(t[::SP_STEP]), fs,
                           f0_floor=F0_FLOOR)
    sp = _between_frames(sp_few, SP_STEP, len(f0))
    ap = None
    if aperiodicity:
        ap_few = pw.d4c(x, np.ascontiguousarray(f0[::AP_STEP]), np.ascontiguousarray(t[::AP_STEP]), fs)
        ap = _between_frames(ap_few, AP_STEP, len(f0))
    return f0, sp, ap, t


def _between_frames(few: np.ndarray, step: int, n: int) -> np.ndarray:
    """Frames (rows) analysed every ``step``-th frame -> ``n`` frames, linear in between."""
    if step == 1:
        return few[:n]
    pos = np.arange(n) / step
    i0 = np.minimum(np.floor(pos).astype(np.int64), len(few) - 1)
    i1 = np.minimum(i0 + 1, len(few) - 1)
    w = (pos - i0)[:, None]
    return np.ascontiguousarray(few[i0] * (1.0 - w) + few[i1] * w)


def to_mcep(sp: np.ndarray, fs: int, n_dims: int) -> np.ndarray:
    """Mel-cepstrum-like coding of a power envelope (pyworld's coded spectral envelope)."""
    import pyworld as pw

    return pw.code_spectral_envelope(np.ascontiguousarray(np.maximum(sp, 1e-16)), fs, n_dims)


def from_mcep(mc: np.ndarray, fs: int) -> np.ndarray:
    import pyworld as pw

    return pw.decode_spectral_envelope(np.ascontiguousarray(mc, dtype=np.float64), fs, pw.get_cheaptrick_fft_size(fs))


@lru_cache(maxsize=16)
def _warp_table(n_bins: int, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Interpolation indices/weights that move spectral features by ``scale`` along frequency:
    out(f) = in(f / scale). Above the Nyquist the last bin is repeated."""
    src = np.clip(np.arange(n_bins) / scale, 0, n_bins - 1)
    i0 = np.floor(src).astype(np.int64)
    i1 = np.minimum(i0 + 1, n_bins - 1)
    return i0, i1, (src - i0)


def warp_envelope(sp: np.ndarray, scale: float) -> np.ndarray:
    """Frequency-warp power envelopes (frames x bins) by ``scale`` (vocal-tract length change);
    interpolation is done on the log envelope so formant peaks keep their shape."""
    if abs(scale - 1.0) < 1e-4:
        return sp
    i0, i1, w = _warp_table(sp.shape[1], round(float(scale), 4))
    lg = np.log(np.maximum(sp, 1e-16))
    return np.exp(lg[:, i0] * (1.0 - w) + lg[:, i1] * w)


def map_mcep(mc: np.ndarray, profile: VoiceProfile, voiced: np.ndarray | None = None) -> np.ndarray:
    """Apply the learned amplitude mapping to mel-cepstra (frames x dims); coefficient 0
    (frame energy) is left alone so the loudness contour (and silences) stay as they were."""
    out = mc + profile.mcep_shift + (profile.mcep_scale - 1.0) * (mc - profile.base_mcep_mean)
    gv = profile.mcep_gv
    if voiced is not None and np.any(gv > 0) and voiced.sum() > 10:
        # Global-variance post-filter: averaging in the mapping smooths the trajectories, which
        # sounds muffled; restore the speaker's per-coefficient variance on voiced frames.
        seg = out[voiced]
        mu, var = seg.mean(0), seg.var(0) + 1e-8
        gain = np.where(gv > 0, np.sqrt(np.maximum(gv, 1e-8) / var), 1.0)
        gain = np.clip(gain, 0.5, 2.0)
        out = mu + (out - mu) * gain
    out[:, 0] = mc[:, 0]
    return out


def map_f0(f0: np.ndarray, profile: VoiceProfile) -> np.ndarray:
    """Linear mapping of log-F0: median moves to the speaker's, spread scales by the ratio of
    the two spreads (semitones), clamped to 0.5-2 so odd samples never exaggerate intonation."""
    voiced = f0 > 0
    out = np.zeros_like(f0)
    if not voiced.any():
        return out
    # Centre on this utterance's own median when it has >= 0.5 s of voicing: the base voice's
    # median varies by ~2 semitones between sentences, which would otherwise carry over.
    centre = np.median(f0[voiced]) if voiced.sum() * FRAME_MS >= 500 else profile.base_pitch_median_hz
    st = 12.0 * np.log2(f0[voiced] / centre)
    ratio = float(np.clip(profile.pitch_range_st / max(profile.base_pitch_range_st, 1e-3), 0.5, 2.0))
    out[voiced] = profile.pitch_median_hz * 2.0 ** (st * ratio / 12.0)
    return np.clip(out, 0.0, 1000.0)


class WorldConverter(VoiceConverter):
    """DSP conversion on the WORLD vocoder (see the module docstring)."""

    name = "world"

    def convert(self, audio: Audio) -> Audio:
        import pyworld as pw

        from ..audio.io import resample

        p = self.profile
        n = len(audio.samples)
        if n < 2048 or not np.any(audio.samples):
            return audio  # too short to analyse or silent: nothing to convert
        work = resample(audio, p.sample_rate)
        x = work.samples.astype(np.float64)
        fs = p.sample_rate
        # the base voice's median was measured with Harvest when the profile was learned
        f0, sp, ap, _ = world_analyze(x, fs, f0_range=base_voice_range(p.base_pitch_median_hz))
        sp = warp_envelope(sp, p.formant_scale)
        mc = to_mcep(sp, fs, p.n_dims)
        mc = map_mcep(mc, p, voiced=f0 > 0)
        sp = _keep_low_band(from_mcep(mc, fs), sp, fs)
        y = pw.synthesize(map_f0(f0, p), sp, ap, fs, FRAME_MS)
        y = _fit_length(y, len(x))
        out = resample(Audio(y.astype(np.float32), fs), audio.sample_rate).samples
        out = _fit_length(out, n)
        return Audio(_match_level(out, audio.samples, audio.sample_rate), audio.sample_rate)


def _keep_low_band(new: np.ndarray, old: np.ndarray, fs: int, edge_hz: float = 150.0) -> np.ndarray:
    """Below ``edge_hz`` keep the base envelope's shape (joined at the edge): the learned shift
    also captures the sample's room rumble / mains hum, which must not be added to the voice
    (shaped noise there is heard as a drone and confuses pitch trackers)."""
    k = max(1, int(edge_hz / (fs / 2) * (new.shape[1] - 1)))
    lo_new, lo_old = np.log(np.maximum(new, 1e-16)), np.log(np.maximum(old, 1e-16))
    out = lo_new.copy()
    out[:, :k] = np.minimum(lo_new[:, :k], lo_old[:, :k] + (lo_new[:, k : k + 1] - lo_old[:, k : k + 1]))
    return np.exp(out)


def _fit_length(y: np.ndarray, n: int) -> np.ndarray:
    """Cut or zero-pad to exactly ``n`` samples (WORLD rounds to whole frames)."""
    if len(y) >= n:
        return y[:n]
    return np.concatenate([y, np.zeros(n - len(y), y.dtype)])


def _match_level(y: np.ndarray, ref: np.ndarray, sample_rate: int) -> np.ndarray:
    """Give ``y`` the RMS level of ``ref`` (the caller chose the volume), then limit peaks.

    Conversion can make the waveform peakier (sharper formants, different pitch), so a few
    peaks may exceed full scale at the same loudness. A look-ahead limiter lowers the gain
    smoothly around those peaks only (gain = min over +-5 ms, smoothed over 10 ms), instead of
    turning the whole utterance down or clipping (which would crackle)."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    y = y.astype(np.float64)
    r_ref = float(np.sqrt(np.mean(ref.astype(np.float64) ** 2)))
    r_y = float(np.sqrt(np.mean(y**2)))
    if r_y > 1e-9:
        y = y * (r_ref / r_y)
    mag = np.abs(y)
    if len(y) and mag.max() > PEAK:
        win = max(3, int(0.010 * sample_rate))
        gain = np.minimum(1.0, PEAK / np.maximum(mag, 1e-9))
        gain = minimum_filter1d(gain, size=win, mode="nearest")
        gain = uniform_filter1d(gain, size=win, mode="nearest")
        y = y * gain
        peak = float(np.abs(y).max())
        if peak > PEAK:  # smoothing can leave a sliver above the ceiling
            y = y * (PEAK / peak)
    return y.astype(np.float32)


# name -> (module, class, what to pip install when it is missing)
_BACKENDS: dict[str, tuple[str, str, str]] = {
    "world": ("digihuman.voice.convert", "WorldConverter", "pyworld==0.3.5"),
}


def available_converters() -> list[str]:
    return sorted(_BACKENDS)


def get_converter(name: str, profile: VoiceProfile) -> VoiceConverter:
    """Create the named conversion backend for ``profile``."""
    import importlib

    key = name.lower().strip()
    if key not in _BACKENDS:
        raise BackendUnavailable(
            f"unknown voice conversion backend {name!r}", f"choose one of: {', '.join(available_converters())}"
        )
    module_name, cls_name, extra = _BACKENDS[key]
    try:
        module = importlib.import_module(module_name)
        if key == "world":
            import pyworld  # noqa: F401
    except ImportError as exc:
        raise BackendUnavailable(
            f"the {key} voice conversion backend is not installed ({exc})", f"install it with: pip install {extra}"
        ) from exc
    return getattr(module, cls_name)(profile)
