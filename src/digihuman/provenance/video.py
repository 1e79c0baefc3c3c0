"""Invisible, robust luma watermark for video frames and images.

Embedding: a 256 x 256 px tile of 64 x 64 cells (4 px each, a smooth bump per cell) is repeated
over the frame. 3/4 of the cells carry the 172 coded payload bits 17 times each (spread by a
keyed +-1 chip), 1/4 are a keyed sync pattern. The mark is defined on a 512 px canvas and scaled
with the frame (a 1024 px video halved is the same as a 512 px one). Its amplitude follows a
perceptual mask (local luma contrast): textured areas carry up to ``STRENGTH`` levels, flat areas
almost nothing, so nothing shows on a flat background; the total is held at PSNR >= 42.3 dB.
The mask and the integer pattern are computed once per video from the first frame (informed
embedding, see :class:`VideoMarker`); marking a frame is then two saturating adds on the Y plane.

Detection is blind: luma is averaged over frames (the mark is static, codec noise and motion are
not), then for each candidate scale the image is high-passed, clipped (strong edges must not
outvote the mark), resampled to the 512 px canvas and folded modulo the tile. The sync pattern's
circular correlation peak gives the tile offset (so cropping does not matter) and, as a z-score
against the whole correlation surface, ranks the (scale, offset) hypotheses. The best ones are
decoded (soft Viterbi); a mark is reported only if the CRC-16 holds and the tool id and version
are ones digihuman writes: 32 check bits, so a false detection needs ~1 in 4e9 luck per try.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .payload import CODED_BITS, Payload, decode, encode

CANVAS = 512  # px: the mark's own pixel grid; frames of other sizes get it scaled
CELL = 4  # px per cell on the canvas: host texture is weaker at finer scales (1/f spectrum); 8 px gave 3x less SNR
CELLS = 256 // CELL  # cells per tile side -> a 256 px tile, 4 tiles on a 512 px frame
TILE = CELL * CELLS
REPEAT = CELLS * CELLS * 3 // 4 // CODED_BITS  # 17 copies of each coded bit per tile (3/4 data, 1/4 sync: 4/5 left the sync the weak link)
N_DATA = CODED_BITS * REPEAT
KEY = 0x5EED_D161  # public key: anyone can verify (the mark proves origin, it is not a secret)
STRENGTH = 8.0  # luma levels at full mask (textured areas); PSNR is then held >= PSNR_FLOOR
PSNR_FLOOR = 42.3  # dB: the pattern is scaled down if the mask would make it louder
MASK_REF = 4.0  # local luma std (levels) at which the mask reaches 1 (10 gave 25 % less SNR)
MASK_MIN = 0.02  # flat areas: 0.16 levels (x3 at most when boosted), which rounds to nothing
INFORMED_ROUNDS = 2  # measure-and-boost passes on the first frame
MAX_BOOST = 3.0  # informed embedding: at most 3x the amplitude for the bits the host works against
COARSE_KEEP = 6  # coarse scales refined
DECODE_TRIES = 40  # best (scale, offset) hypotheses decoded (5 ms each); a false decode must pass 32 check bits: ~1e-8 per file
MAX_TILES = 4  # tiles per side folded at most (a 0.2x copy of a 512 px frame would be 10)
SCALES = np.exp(np.arange(-107, 56) * 0.015)  # observed px per canvas px, 0.2-2.3 in 1.5 % steps, 1.0 exact


@dataclass(frozen=True)
class Layout:
    """Where the sync and data cells are, and their chips (all from ``KEY``)."""

    data_cells: np.ndarray  # (CODED_BITS, REPEAT) flat cell indices
    chips: np.ndarray  # (CODED_BITS, REPEAT) +-1
    sync: np.ndarray  # (CELLS, CELLS) +-1 on sync cells, 0 on data cells
    bump: np.ndarray  # (CELL, CELL) the smooth shape of one cell, unit peak


@lru_cache(maxsize=1)
def layout() -> Layout:
    rng = np.random.default_rng(KEY)
    order = rng.permutation(CELLS * CELLS)
    data = order[:N_DATA].reshape(CODED_BITS, REPEAT)
    chips = rng.choice([-1.0, 1.0], size=(CODED_BITS, REPEAT))
    sync = np.zeros(CELLS * CELLS)
    sync[order[N_DATA:]] = rng.choice([-1.0, 1.0], size=CELLS * CELLS - N_DATA)
    w = np.sin(np.pi * (np.arange(CELL) + 0.5) / CELL)
    return Layout(data, chips, sync.reshape(CELLS, CELLS), np.outer(w, w))


def _cells_to_pixels(cells: np.ndarray) -> np.ndarray:
    """(CELLS, CELLS) cell values -> (TILE, TILE) pixels, each cell a smooth bump."""
    return np.kron(cells, layout().bump)


def _mask(y: np.ndarray) -> np.ndarray:
    """Perceptual mask in [MASK_MIN, 1]: local luma contrast (std over ~1.5 cells)."""
    import cv2

    yf = y.astype(np.float32)
    k = max(3, (y.shape[1] * 12 // CANVAS) | 1)
    mean = cv2.blur(yf, (k, k))
    var = cv2.blur(yf * yf, (k, k)) - mean * mean
    return np.clip(np.sqrt(np.maximum(var, 0.0)) / MASK_REF, MASK_MIN, 1.0)


class VideoMarker:
    """Marks the Y plane of every frame of one video with one payload (pattern built once).

    Informed embedding: the first frame's own texture leans each coded bit one way or the other
    as the detector reads it; bits it works against get up to ``MAX_BOOST`` x their amplitude
    (the host of a talking-head video barely changes, so what holds for frame 1 holds for all).
    """

    def __init__(self, payload: Payload) -> None:
        self.payload = payload
        self._symbols = 1.0 - 2.0 * encode(payload)
        self._add: tuple[np.ndarray, np.ndarray] | None = None
        self.psnr = float("inf")

    def _cells(self, boost: np.ndarray) -> np.ndarray:
        lay = layout()
        cells = lay.sync.copy().reshape(-1)
        cells[lay.data_cells] = (self._symbols * boost)[:, None] * lay.chips
        return cells.reshape(CELLS, CELLS)

    def _full(self, cells: np.ndarray, h: int, w: int) -> np.ndarray:
        import cv2

        scale = w / CANVAS
        reps = (int(np.ceil(h / scale / TILE)), int(np.ceil(w / scale / TILE)))
        canvas = np.tile(_cells_to_pixels(cells), reps)
        size = (int(round(canvas.shape[1] * scale)), int(round(canvas.shape[0] * scale)))
        return cv2.resize(canvas, size, interpolation=cv2.INTER_LINEAR)[:h, :w]

    def _reading(self, y: np.ndarray) -> np.ndarray:
        """Per coded bit, how strongly the detector (at the true scale and offset) reads it right."""
        import cv2

        h, w = y.shape
        canvas = y if w == CANVAS else cv2.resize(y, (CANVAS, int(round(h * CANVAS / w))), interpolation=cv2.INTER_AREA)
        return _bit_sums(_fold(_residual(canvas))) * self._symbols

    def _prepare(self, y: np.ndarray) -> None:
        h, w = y.shape
        yf = y.astype(np.float32)
        amp = STRENGTH * _mask(y)
        boost = np.ones(CODED_BITS)
        host = self._reading(yf)
        for _ in range(INFORMED_ROUNDS):
            got = self._reading(yf + self._full(self._cells(boost), h, w) * amp)
            per_unit = max(1e-6, float(np.median((got - host) / boost)))  # reading per unit of boost
            boost = np.clip(boost + np.maximum(np.percentile(got, 75) - got, 0.0) / per_unit, 1.0, MAX_BOOST)
        full = self._full(self._cells(boost), h, w) * amp
        gain = 1.0
        for _ in range(8):  # never louder than the floor (rounding moves the error: re-measure)
            pattern = np.rint(full * gain)
            mse = float(np.mean(pattern ** 2))
            if mse == 0 or 10 * np.log10(255.0 ** 2 / mse) >= PSNR_FLOOR:
                break
            gain *= min(0.97, np.sqrt(255.0 ** 2 / 10 ** (PSNR_FLOOR / 10) / mse))
        self.psnr = 10 * np.log10(255.0 ** 2 / mse) if mse > 0 else float("inf")
        self._add = (np.clip(pattern, 0, 255).astype(np.uint8), np.clip(-pattern, 0, 255).astype(np.uint8))

    def mark_y(self, y: np.ndarray) -> None:
        """Add the mark to a uint8 Y plane in place (the pattern is fitted to the first frame)."""
        import cv2

        if self._add is None:
            self._prepare(y)
        pos, neg = self._add
        cv2.add(y, pos, dst=y)
        cv2.subtract(y, neg, dst=y)

    def mark_rgb(self, rgb: np.ndarray) -> np.ndarray:
        """A marked copy of an RGB uint8 image (through I420, as the encoder does)."""
        import cv2

        h = rgb.shape[0]
        yuv = cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420)
        self.mark_y(yuv[:h])
        return cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420)


@dataclass(frozen=True)
class Detection:
    """What a detector found in one picture, video or recording."""

    marked: bool
    payload: Payload | None
    confidence: float
    """0..1: share of coded bits read that agree with the decoded payload, rescaled so that 0 is
    chance (0.5) and 1 is every bit right; 0 when not marked."""
    sync_z: float
    """Sync correlation peak in standard deviations of the correlation surface (noise: ~4-5.5)."""
    scale: float = 1.0
    """Video: observed pixels per canvas pixel at the best hypothesis (0.5 = downscaled to half)."""
    soft: np.ndarray | None = field(default=None, repr=False)
    """The 172 soft coded bits (positive = 0) at the best hypothesis, for diagnostics."""
    note: str = ""
    """Why a missing mark may not mean much (e.g. too little speech to read it), or ""."""


def _residual(y: np.ndarray, sigma: float = CELL / 2) -> np.ndarray:
    """High-passed luma, clipped so strong edges do not outvote the mark."""
    import cv2

    r = y - cv2.GaussianBlur(y, (0, 0), sigma)
    limit = 3.0 * float(np.median(np.abs(r[::4, ::4]))) + 1e-3  # a 1/16 sample gives the same median
    return np.clip(r, -limit, limit)


def _fold(r: np.ndarray) -> np.ndarray:
    """Sum an image modulo the tile (the mark repeats every TILE px)."""
    h, w = r.shape
    rp = np.pad(r, ((0, -h % TILE), (0, -w % TILE)))
    return rp.reshape(rp.shape[0] // TILE, TILE, rp.shape[1] // TILE, TILE).sum(axis=(0, 2))


@lru_cache(maxsize=1)
def _sync_fft() -> np.ndarray:
    return np.conj(np.fft.rfft2(_cells_to_pixels(layout().sync)))


def _try_scale(ymean: np.ndarray, s: float, peaks: int = 1):
    """Resample to the canvas at scale ``s``, fold, correlate with the sync pattern.

    Returns (z of the best peak, [(z, offset)] of the ``peaks`` best peaks, folded tile)."""
    import cv2

    h, w = ymean.shape
    ch, cw = min(h, int(np.ceil(MAX_TILES * TILE * s))), min(w, int(np.ceil(MAX_TILES * TILE * s)))
    part = ymean[(h - ch) // 2:(h - ch) // 2 + ch, (w - cw) // 2:(w - cw) // 2 + cw]  # bounded work per scale
    size = (max(8, int(round(cw / s))), max(8, int(round(ch / s))))
    # high-pass at the observed size (cheaper when upscaling), then resample to the canvas
    res = _residual(part, max(0.7, CELL / 2 * s))
    folded = _fold(cv2.resize(res, size, interpolation=cv2.INTER_LINEAR if s < 1 else cv2.INTER_AREA))
    corr = np.fft.irfft2(np.fft.rfft2(folded) * _sync_fft(), s=folded.shape)
    z = (corr - corr.mean()) / (corr.std() + 1e-9)
    top = np.argpartition(z.ravel(), -peaks)[-peaks:]
    found = sorted(((float(z.flat[i]), divmod(int(i), TILE)) for i in top), reverse=True)
    return found[0][0], found, folded


def _pyramid(ymean: np.ndarray):
    """``f(s)`` -> (image, scale) to test scale ``s`` on: a half-size copy for s >= 1.25 (a large
    picture is first brought near the canvas size once, not at every scale)."""
    import cv2

    half = cv2.resize(ymean, (ymean.shape[1] // 2, ymean.shape[0] // 2), interpolation=cv2.INTER_AREA)
    return lambda s: (half, s / 2) if s >= 1.25 else (ymean, s)


def _bit_sums(tile: np.ndarray) -> np.ndarray:
    """Per coded bit: its cells in a folded tile, bump-weighted, de-chipped and summed (+ = bit 0)."""
    lay = layout()
    cells = (tile.reshape(CELLS, CELL, CELLS, CELL) * lay.bump[None, :, None, :]).sum(axis=(1, 3)).reshape(-1)
    return (cells[lay.data_cells] * lay.chips).sum(axis=1)


def _read_bits(folded: np.ndarray, offset: tuple[int, int]) -> np.ndarray:
    """Soft coded bits (unit spread) of a folded tile whose mark starts at ``offset``."""
    soft = _bit_sums(np.roll(folded, (-offset[0], -offset[1]), axis=(0, 1)))
    return soft / (np.std(soft) + 1e-9)


def plausible(payload: Payload | None) -> bool:
    """A decoded payload counts only if its tool id is ours and its version is one we can have
    written: 16 more check bits on top of the CRC-16 (false decodes ~1 in 4e9 per hypothesis)."""
    from .payload import TOOL_ID, make_payload

    return payload is not None and payload.tool == TOOL_ID and 1 <= payload.version <= make_payload(0).version


def judge(soft_candidates, z: float, scale: float = 1.0) -> Detection:
    """Decode each candidate's soft bits; the first plausible payload makes a detection."""
    from .payload import encode

    best_soft = soft_candidates[0] if soft_candidates else None
    for soft in soft_candidates:
        payload, _ = decode(soft)
        if plausible(payload):
            agree = float(np.mean((soft < 0) == encode(payload).astype(bool)))
            return Detection(True, payload, round(max(0.0, 2 * agree - 1), 3), round(z, 2), round(scale, 4), soft)
    return Detection(False, None, 0.0, round(z, 2), round(scale, 4), best_soft)


def detect_luma(ymean: np.ndarray) -> Detection:
    """Look for the mark in a luma image (float32; for video, the mean over frames)."""
    ymean = np.ascontiguousarray(ymean, dtype=np.float32)
    h, w = ymean.shape
    scales = [s for s in SCALES if min(h, w) / s >= 0.6 * TILE]  # need most of one tile
    if not scales:
        return Detection(False, None, 0.0, 0.0)
    level = _pyramid(ymean)
    coarse = sorted((_try_scale(*level(s))[0], s) for s in scales)[-COARSE_KEEP:]
    hyps = []  # (z, scale, offset, folded)
    for _, s0 in coarse:  # refine around the best coarse scales, keep a few peaks each
        for s in s0 * np.exp(np.arange(-0.0075, 0.0076, 0.0025)):
            _, found, folded = _try_scale(*level(s), peaks=2)
            hyps.extend((z, s, off, folded) for z, off in found)
    hyps.sort(key=lambda t: -t[0])
    z, s = hyps[0][0], hyps[0][1]
    for hz, hs, off, folded in hyps[:DECODE_TRIES]:
        d = judge([_read_bits(folded, off)], hz, hs)
        if d.marked:
            return d
    return Detection(False, None, 0.0, round(z, 2), round(float(s), 4), _read_bits(hyps[0][3], hyps[0][2]))
