"""Robust watermark in the speech band (1-4 kHz) of an audio track.

The mark is a pattern of small gains on the short-time spectrum: 24 bands of 125 Hz between
1 and 4 kHz, in time cells of 64 ms (two 32 ms hops), each multiplied by exp(+-ALPHA). A period
of 10 time cells x 24 bands = 240 cells carries the 172 coded payload bits once (spread by keyed
chips) and 68 keyed sync cells, and repeats for the whole track. Because the gains multiply the
speech's own spectrum, the mark is loudest where speech is loud and absent in silence (the
speech masks it); AAC and MP3 at 96 kbit/s keep band energies in this range nearly intact.

Embedding is informed: the speech itself leans each bit's reading one way or the other, so
after a first pass the bits it works against get more gain (up to +-3.5 dB per cell), measured
with the detector's own reading. The mark is computed at 16 kHz and added as a band-limited
difference signal, so any sample rate works. It sits ~21-24 dB below the speech. Detection resamples to 16 kHz, tries 4 sub-hop time offsets and both cell phases,
whitens the band log-energies against their slow variation, folds them modulo the period,
finds the period phase with the sync cells and decodes the best hypotheses (CRC + plausibility).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np

from .payload import CODED_BITS, Payload, encode
from .video import Detection, judge

RATE = 16000  # Hz: the mark's own sample rate
N_FFT = 1024  # 64 ms analysis window
HOP = N_FFT // 2  # 32 ms
BAND_HZ = (1000.0, 4000.0)
BANDS = 24  # 125 Hz each
CELL_HOPS = 2  # a time cell is 2 hops (64 ms): overlapping frames agree, the mark stays consistent
PERIOD = 10  # time cells per repetition of the message (640 ms)
N_SYNC = PERIOD * BANDS - CODED_BITS  # 68
ALPHA = 0.15  # log-gain (+-1.3 dB) before informed embedding adds where the speech works against a bit
ROUNDS = 2  # informed-embedding passes
MAX_GAIN = 0.4  # log-gain cap per cell (+-3.5 dB)
KEPT = 1.0  # reading gained per unit of log-gain: ~0.53 kept through whitening, x2 as power is magnitude squared
KEY = 0xA0D10
MIN_LEVEL_DB = -45.0  # frames quieter than this (re the loudest) carry no usable mark
RELIABLE_S = 6.0  # s of speech audio: after AAC 96k, 6 s clips read 6/6, 4 s 4/6, 3 s 3/6 (dev runs)
TRIES = 80  # hypotheses decoded: all of 4 offsets x 2 phases x 10 shifts (the sync alone is weak on short clips)


@lru_cache(maxsize=1)
def _layout() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(data cell indices, data chips, sync cell indices, sync values) in the PERIOD x BANDS grid."""
    rng = np.random.default_rng(KEY)
    order = rng.permutation(PERIOD * BANDS)
    chips = rng.choice([-1.0, 1.0], size=CODED_BITS)
    sync_vals = rng.choice([-1.0, 1.0], size=N_SYNC)
    return order[:CODED_BITS], chips, order[CODED_BITS:], sync_vals


def _band_bins() -> np.ndarray:
    """For each rfft bin, its band index (or -1 outside 1-4 kHz)."""
    f = np.fft.rfftfreq(N_FFT, 1.0 / RATE)
    idx = np.floor((f - BAND_HZ[0]) / ((BAND_HZ[1] - BAND_HZ[0]) / BANDS)).astype(int)
    idx[(f < BAND_HZ[0]) | (f >= BAND_HZ[1])] = -1
    return idx


def _window() -> np.ndarray:
    return np.sqrt(np.hanning(N_FFT + 1)[:N_FFT])  # sqrt-Hann analysis and synthesis: perfect reconstruction at 50 %


def _stft(x: np.ndarray) -> np.ndarray:
    n = 1 + max(0, int(np.ceil((len(x) - N_FFT) / HOP)))
    xp = np.pad(x, (0, (n - 1) * HOP + N_FFT - len(x)))
    frames = np.lib.stride_tricks.sliding_window_view(xp, N_FFT)[::HOP][:n]
    return np.fft.rfft(frames * _window(), axis=1).astype(np.complex64)  # half the memory on long tracks


def _resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    from ..audio.io import resample
    from ..types import Audio

    return x if src == dst else resample(Audio(x.astype(np.float32), src), dst).samples


def _apply(x: np.ndarray, spec: np.ndarray, logg: np.ndarray) -> np.ndarray:
    """The change (a signal like ``x``) that multiplies each frame's bands by exp(logg)."""
    band = _band_bins()
    inband = band >= 0
    gains = np.ones(spec.shape)
    gains[:, inband] = np.exp(logg[:, band[inband]])
    diff = np.fft.irfft(spec * (gains - 1.0), n=N_FFT, axis=1) * _window()
    out = np.zeros((len(spec) - 1) * HOP + N_FFT)
    for t, d in enumerate(diff):  # overlap-add of the change only
        out[t * HOP:t * HOP + N_FFT] += d
    return out[: len(x)]


def _bit_cells(n_frames: int) -> tuple[np.ndarray, np.ndarray]:
    """For every (frame, band): its coded bit index (-1 for sync) and the chip/sync sign."""
    data, chips, sync, sync_vals = _layout()
    which = np.full(PERIOD * BANDS, -1)
    which[data] = np.arange(CODED_BITS)
    sign = np.zeros(PERIOD * BANDS)
    sign[data], sign[sync] = chips, sync_vals
    cell = (np.arange(n_frames) // CELL_HOPS) % PERIOD
    return which.reshape(PERIOD, BANDS)[cell], sign.reshape(PERIOD, BANDS)[cell]


def mark_audio(samples: np.ndarray, sample_rate: int, payload: Payload) -> np.ndarray:
    """A marked copy of mono float samples (any rate).

    Informed embedding: the speech itself leans each coded bit one way or the other, so after a
    first pass the bits the speech works against get more gain (up to ``MAX_GAIN``), measured
    with the detector's own reading, ``ROUNDS`` times.
    """
    x = _resample(np.asarray(samples, np.float32), sample_rate, RATE).astype(np.float64)
    if len(x) < N_FFT:
        return np.asarray(samples, np.float32).copy()
    spec = _stft(x)
    which, sign = _bit_cells(len(spec))
    symbols = 1.0 - 2.0 * encode(payload)
    target = np.where(which >= 0, symbols[np.maximum(which, 0)], 1.0) * sign  # +-1 per (frame, band)
    logg = ALPHA * target
    delta = np.zeros_like(x)
    for _ in range(ROUNDS):
        delta = _apply(x, spec, logg)
        loge, voiced = _band_log_energy(x + delta)
        w = _whiten(loge) * voiced[:, None]
        got = w * target  # each cell's contribution, positive when it agrees
        per_bit = np.bincount(which[which >= 0], got[which >= 0], minlength=CODED_BITS)
        cells = np.bincount(which[(which >= 0) & voiced[:, None]], minlength=CODED_BITS) + 1
        goal = np.percentile(per_bit, 75)  # every bit at least as clear as the clearest quarter
        short = np.maximum(goal - per_bit, 0.0) / cells / KEPT  # extra log-gain per cell
        extra = np.where(which >= 0, short[np.maximum(which, 0)], 0.0) * target
        logg = np.clip(logg + extra, -MAX_GAIN, MAX_GAIN)
    delta = _apply(x, spec, logg)
    delta = _resample(delta.astype(np.float32), RATE, sample_rate)[: len(samples)]
    marked = np.asarray(samples, np.float32).copy()
    marked[: len(delta)] += delta
    return np.clip(marked, -1.0, 1.0)



def _band_log_energy(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(frames x BANDS log band energies, frames' loudness mask)."""
    spec = np.abs(_stft(x)) ** 2
    band = _band_bins()
    e = np.zeros((len(spec), BANDS))
    for k in range(BANDS):
        e[:, k] = spec[:, band == k].sum(axis=1)
    total = e.sum(axis=1) + 1e-12
    level = 10 * np.log10(total / total.max())
    return np.log(e + 1e-10), level > MIN_LEVEL_DB


def _whiten(loge: np.ndarray) -> np.ndarray:
    """Remove the speech's own structure from band log-energies: its spectral envelope (mean of
    3 neighbouring bands) and then its slow change over time (5 hops). Measured on speech, this
    leaves 1/8 of the variance of a time-only high-pass and keeps ~40 % of the mark."""
    import cv2

    f = loge.astype(np.float32)
    f = f - cv2.blur(f, (3, 1), borderType=cv2.BORDER_REFLECT)
    return f - cv2.blur(f, (1, 5), borderType=cv2.BORDER_REFLECT)


def detect_audio(samples: np.ndarray, sample_rate: int) -> Detection:
    """Look for the mark in mono float samples."""
    x = _resample(np.asarray(samples, np.float32), sample_rate, RATE).astype(np.float64)
    if len(x) < PERIOD * CELL_HOPS * HOP or not np.any(x):
        return Detection(False, None, 0.0, 0.0, note="too short or silent to carry a sound mark")
    data, chips, sync, sync_vals = _layout()
    hyps = []
    for sub in range(0, HOP, HOP // 4):
        loge, voiced = _band_log_energy(x[sub:])
        w = _whiten(loge) * voiced[:, None]
        for phase in range(CELL_HOPS):
            n_cells = (len(w) - phase) // CELL_HOPS
            if n_cells < PERIOD:
                continue
            cells = w[phase:phase + n_cells * CELL_HOPS].reshape(n_cells, CELL_HOPS, BANDS).sum(axis=1)
            folded = np.zeros((PERIOD, BANDS))
            for j in range(n_cells):
                folded[j % PERIOD] += cells[j]
            for shift in range(PERIOD):  # which folded row is the period's first cell
                g = np.roll(folded, -shift, axis=0).reshape(-1)
                score = float(g[sync] @ sync_vals)
                soft = g[data] * chips
                hyps.append((score, soft / (np.std(soft) + 1e-9)))
    scores = np.array([h[0] for h in hyps])
    z = (scores - scores.mean()) / (scores.std() + 1e-9)
    order = np.argsort(-z)
    found = judge([hyps[i][1] for i in order[:TRIES]], float(z[order[0]]))
    seconds = len(x) / RATE
    if not found.marked and seconds < RELIABLE_S:
        return replace(found, note=f"only {seconds:.1f} s of sound: the sound mark is read reliably from ~{RELIABLE_S:g} s")
    return found

