"""Synthesised inside of the mouth, drawn where the opened inner-lip polygon leaves a hole.

Layers, back to front: dark cavity (the lip colour darkened, darkest at the back), tongue,
lower-teeth hint moving with the lower lip, upper-teeth band hanging from the upper lip. The teeth
keep their size in pixels (they never stretch); when the photo shows teeth their strip is reused.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import PARAM_INDEX
from .rig import LIP_LO, LIP_UP, OUTER_LO, OUTER_UP, FaceRig

_TEETH_SYNTH = np.array([232.0, 226.0, 212.0], dtype=np.float32)  # off-white, RGB 0..255


def _lum(rgb: np.ndarray) -> float:
    return float(np.dot(np.asarray(rgb, dtype=np.float32), [0.299, 0.587, 0.114]))


class MouthInterior:
    """Precomputed colours and teeth texture for one face; ``draw`` composites one frame."""

    def __init__(self, base: np.ndarray, rig: FaceRig):
        self.rig = rig
        src = rig.src
        size = base.shape[0]
        wm = rig.mouth_w
        outer = np.vstack([src[list(OUTER_UP)], src[list(OUTER_LO[::-1])]]).astype(np.int32)
        inner = np.vstack([src[list(LIP_UP)], src[list(LIP_LO[::-1])]]).astype(np.int32)
        m = np.zeros(base.shape[:2], np.uint8)
        cv2.fillPoly(m, [outer], 255)
        cv2.fillPoly(m, [inner], 0)
        lip = np.median(base[m > 0], axis=0) if (m > 0).sum() > 10 else np.array([150, 80, 80])
        self.lip = lip.astype(np.float32)
        self.cavity = self.lip * np.array([0.32, 0.16, 0.16], dtype=np.float32)  # dark red-brown
        self.tongue = self.lip * np.array([0.85, 0.55, 0.58], dtype=np.float32)
        self.teeth_h = max(2, int(round(0.13 * wm)))  # upper-teeth band height, pixels
        self.low_teeth_h = max(1, int(round(0.06 * wm)))

        # Teeth strip: columns are pixel offsets from the mouth centre, rows pixels below the lip.
        half = int(np.ceil(0.6 * wm))
        self.strip_half = half
        cols = np.arange(-half, half + 1, dtype=np.float32)
        up = src[list(LIP_UP)]
        cx = float(0.5 * (src[13, 0] + src[14, 0]))
        order = np.argsort(up[:, 0])
        uy = np.interp(cx + cols, up[order, 0], up[order, 1]).astype(np.float32)
        rows = np.arange(self.teeth_h, dtype=np.float32) + 1.0
        mx = np.broadcast_to(cx + cols, (len(rows), len(cols))).astype(np.float32)
        my = (uy[None, :] + rows[:, None]).astype(np.float32)
        photo = cv2.remap(base, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        photo = photo.astype(np.float32)
        usable = int(min(self.teeth_h, max(0.0, 0.85 * rig.g0)))
        centre = photo[:max(usable, 1), half - int(0.25 * wm):half + int(0.25 * wm)]
        self.photo_teeth = usable >= 0.08 * wm and _lum(centre.reshape(-1, 3).mean(0)) > 1.05 * _lum(self.lip)
        synth = np.empty_like(photo)
        bright = np.clip(_lum(self.lip) / 120.0, 0.6, 1.0)  # dim teeth in dark photos
        synth[:] = _TEETH_SYNTH * bright
        gaps = np.abs(((cols / (0.13 * wm)) + 0.5) % 1.0 - 0.5) < 0.06  # thin gaps between teeth
        synth[:, gaps] *= 0.8
        synth *= np.linspace(1.0, 0.85, len(rows), dtype=np.float32)[:, None, None]
        if self.photo_teeth:
            strip = synth
            strip[:usable] = photo[:usable]
            # photo teeth end at the photo's lower lip; continue them with their own bottom row
            if usable < self.teeth_h:
                strip[usable:] = photo[usable - 1:usable] * 0.92
        else:
            strip = synth
        # shadow: the corners and the row just under the lip are darker
        shade = np.clip(1.0 - (np.abs(cols) / (0.55 * wm)) ** 3, 0.15, 1.0)
        strip *= shade[None, :, None]
        strip[0] *= 0.75
        self.strip = strip
        self.low_teeth = _TEETH_SYNTH * bright * 0.6
        self.size = size

    def draw(self, out: np.ndarray, verts: np.ndarray, params: np.ndarray) -> None:
        """Composite the interior into ``out`` (frame, uint8 RGB, modified in place)."""
        up = verts[list(LIP_UP)]
        lo = verts[list(LIP_LO)]
        ey = self.rig.ey
        gaps = (lo - up) @ ey
        gap = float(gaps.max())
        if gap < 0.6:
            return
        poly = np.vstack([up, lo[-2:0:-1]])
        x0, y0 = np.floor(poly.min(axis=0)).astype(int) - 2
        x1, y1 = np.ceil(poly.max(axis=0)).astype(int) + 3
        x0, y0 = max(x0, 0), max(y0, 0)
        x1, y1 = min(x1, self.size), min(y1, self.size)
        if x1 <= x0 or y1 <= y0:
            return
        h, w = y1 - y0, x1 - x0
        mask = np.zeros((h, w), np.uint8)
        cv2.fillPoly(mask, [np.round((poly - (x0, y0)) * 4).astype(np.int32)], 255,
                     cv2.LINE_AA, shift=2)
        alpha = cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32)[:, :, None] * (1 / 255.0)

        xs = np.arange(x0, x1, dtype=np.float32)
        ou, ol = np.argsort(up[:, 0]), np.argsort(lo[:, 0])
        uy = np.interp(xs, up[ou, 0], up[ou, 1])[None, :]
        ly = np.interp(xs, lo[ol, 0], lo[ol, 1])[None, :]
        ys = np.arange(y0, y1, dtype=np.float32)[:, None]
        cx = float(0.5 * (up[5, 0] + lo[5, 0]))
        half_w = max(0.5 * float(up[-1, 0] - up[0, 0]), 1.0)
        mid = 0.5 * (uy + ly)
        # cavity: darkest at the back (centre of the opening), lighter towards the lips
        rr = np.sqrt(((xs[None, :] - cx) / half_w) ** 2 + ((ys - mid) / (0.5 * gap + 1)) ** 2)
        col = self.cavity * (0.55 + 0.6 * np.clip(rr, 0, 1))[:, :, None]

        # tongue: ellipse resting low, rising towards the upper teeth with `tongue`
        tg = float(np.clip(params[PARAM_INDEX["tongue"]], 0, 1))
        ly_c = float(np.interp(cx, lo[ol, 0], lo[ol, 1]))
        ty = ly_c - (0.05 + 0.55 * tg) * gap
        e = ((xs[None, :] - cx) / (0.55 * half_w)) ** 2 + ((ys - ty) / (0.35 * gap + 1.5)) ** 2
        tmask = np.clip((1.0 - e) * 3.0, 0, 1)[:, :, None]
        tshade = np.clip(0.7 + 0.3 * (ys - ty + 0.35 * gap) / (0.7 * gap + 1), 0.6, 1.1)
        col = col * (1 - tmask) + (self.tongue * tshade[:, :, None]) * tmask

        # lower-teeth hint just above the lower lip
        below = ly - ys
        lmask = ((below >= 0) & (below < self.low_teeth_h)) * np.clip(
            1.0 - np.abs(xs[None, :] - cx) / (0.7 * half_w), 0, 1) * (1 - 0.8 * tg)
        col = col * (1 - lmask[:, :, None]) + self.low_teeth * lmask[:, :, None]

        # upper teeth: rigidly attached to the upper lip (rows = pixels below the lip line)
        t = np.floor(ys - uy).astype(np.int32)
        c = np.clip(np.round(xs - cx).astype(np.int32) + self.strip_half, 0,
                    self.strip.shape[1] - 1)
        inside = (t >= 0) & (t < self.teeth_h)
        tt = np.clip(t, 0, self.teeth_h - 1)
        teeth = self.strip[tt, np.broadcast_to(c[None, :], tt.shape)]
        col = np.where(inside[:, :, None], teeth, col)

        roi = out[y0:y1, x0:x1]
        roi[:] = (roi * (1 - alpha) + col * alpha + 0.5).astype(np.uint8)
