"""Synthesised inside of the mouth, drawn where the opened inner-lip polygon leaves a hole.

Layers, back to front: dark cavity (the lip colour darkened, darkest at the back), tongue,
lower-teeth hint moving with the lower lip, upper-teeth band hanging from the upper lip. The teeth
keep their size in pixels (they never stretch); when the photo shows teeth their strip is reused
(with per-pixel coverage, so the gaps between the photo's teeth show the cavity), otherwise warm
off-white synthetic teeth are used. Shading blends towards a warm shadow colour, more so through a
narrow gap. Closed lips get a soft shadow line where they meet.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import PARAM_INDEX
from .rig import LIP_LO, LIP_UP, OUTER_LO, OUTER_UP, FaceRig

_TEETH_SYNTH = np.array([238.0, 228.0, 208.0], dtype=np.float32)  # off-white, RGB 0..255


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
        self.low_teeth_h = max(1, int(round(0.05 * wm)))
        self.wm = wm

        # Teeth strip (RGB + coverage): columns are pixel offsets from the mouth centre, rows
        # pixels below the lip line. Rigid: it is translated with the upper lip, never stretched.
        half = int(np.ceil(0.6 * wm))
        self.strip_half = half
        cols = np.arange(-half, half + 1, dtype=np.float32)
        up = src[list(LIP_UP)]
        cx = float(0.5 * (src[13, 0] + src[14, 0]))
        order = np.argsort(up[:, 0])
        uy = np.interp(cx + cols, up[order, 0], up[order, 1]).astype(np.float32)
        maxh = max(3, int(round(0.17 * wm)))
        rows = np.arange(maxh, dtype=np.float32) + 1.0
        mx = np.broadcast_to(cx + cols, (len(rows), len(cols))).astype(np.float32)
        my = (uy[None, :] + rows[:, None]).astype(np.float32)
        # start the strip where the photo's teeth start (MediaPipe's inner-lip line often sits a
        # few pixels above them, in the lip's shadow), so the teeth hang right under the lip
        lw = np.array([0.299, 0.587, 0.114], dtype=np.float32)
        cc = slice(half - int(0.25 * wm), half + int(0.25 * wm) + 1)
        probe = cv2.remap(base, mx[:, cc], my[:, cc], cv2.INTER_LINEAR).astype(np.float32)
        pl = np.percentile(probe @ lw, 75, axis=1)  # 75th percentile: teeth, not the gaps
        lim = int(min(maxh, max(1.0, 0.9 * rig.g0)))
        top = int(np.argmax(pl[:lim] > 0.6 * pl[:lim].max()))
        shift = max(0, min(top - 2, int(0.06 * wm)))
        my = my + shift
        photo = cv2.remap(base, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        photo = photo.astype(np.float32)
        lum = photo @ lw
        usable = int(min(maxh, max(0.0, 0.9 * rig.g0 - shift)))
        prof = np.percentile(lum[:max(usable, 1), cc], 75, axis=1)
        pk = int(np.argmax(prof))
        pcol = photo[pk, cc][lum[pk, cc] >= prof[pk]].mean(axis=0)
        chroma = float((pcol.max() - pcol.min()) / max(pcol.max(), 1.0))  # teeth: low, lips: high
        self.photo_teeth = bool(usable >= 0.05 * wm and prof[pk] > 0.95 * _lum(self.lip)
                                and prof[pk] > 70 and chroma < 0.35 and pk <= 0.12 * wm)
        bright = float(np.clip(_lum(self.lip) / 120.0, 0.6, 1.0))  # dim teeth in dark photos
        # synthetic teeth: warm off-white, soft shading, faint separations, soft tips
        synth = np.empty((maxh, len(cols), 3), np.float32)
        synth[:] = _TEETH_SYNTH * bright
        w_tooth = 0.125 * wm
        sep = 1.0 - 0.05 * np.exp(-(((cols / w_tooth + 0.5) % 1.0 - 0.5) / 0.08) ** 2)
        synth *= sep[None, :, None]
        sh0 = self.lip * np.array([0.42, 0.3, 0.28], dtype=np.float32)
        rr = rows / self.teeth_h
        vs = (0.75 + 0.25 * np.clip(rr / 0.35, 0, 1) - 0.1 * np.clip(rr - 0.6, 0, 1))[:, None, None]
        synth = sh0 + (synth - sh0) * vs
        cover = np.clip(self.teeth_h + 0.5 - rows, 0.0, 1.0)[:, None] * np.ones((1, len(cols)), np.float32)
        if self.photo_teeth:
            pl = prof[pk]
            a_ph = np.clip((lum - 0.4 * pl) / (0.35 * pl), 0.0, 1.0)
            a_ph[:pk + 1] = 1.0  # gum / lip shadow rows above the brightest row stay
            if usable < maxh:  # teeth reach the photo's lower lip: continue with the last row
                photo[usable:] = photo[usable - 1:usable] * 0.95
                a_ph[usable:] = a_ph[usable - 1:usable] * cover[usable:]
            strip, cover = photo, a_ph * (rows <= 0.15 * wm)[:, None]
            strip = np.where(a_ph[:, :, None] > 0.02, strip, synth)
        else:
            strip = synth
        # shadow: darker towards the corners and just under the lip
        shade = np.clip(1.0 - 0.85 * (np.abs(cols) / (0.55 * wm)) ** 2.5, 0.15, 1.0)
        # (shading blends towards a warm shadow, not black: plain scaling turns white to grey)
        self.shadow = sh = self.lip * np.array([0.42, 0.3, 0.28], dtype=np.float32)
        strip = sh + (strip - sh) * shade[None, :, None]
        strip[0] = sh + (strip[0] - sh) * 0.75
        self.strip = np.concatenate([strip, cover[:, :, None]], axis=2).astype(np.float32)
        self.teeth_rows = maxh
        self.low_teeth = _TEETH_SYNTH * bright * 0.72
        self.size = size

    def draw(self, out: np.ndarray, verts: np.ndarray, params: np.ndarray) -> None:
        """Composite the interior into ``out`` (frame, uint8 RGB, modified in place)."""
        up = verts[list(LIP_UP)]
        lo = verts[list(LIP_LO)]
        ey = self.rig.ey
        gaps = (lo - up) @ ey
        gap = float(gaps.max())
        self._lip_line(out, up, lo, gap)
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
        k = 3 if self.size <= 640 else 5
        alpha = cv2.GaussianBlur(mask, (k, k), 0).astype(np.float32)[:, :, None] * (1 / 255.0)

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

        # teeth seen through a narrow gap are in the shadow of the lips
        dim = 0.6 + 0.4 * float(np.clip(gap / (0.15 * self.wm), 0.0, 1.0))
        # lower-teeth hint just above the lower lip (soft, fades out towards the corners)
        below = ly - ys
        lmask = np.clip(1.0 - below / self.low_teeth_h, 0, 1) * (below >= 0) * np.clip(
            1.0 - np.abs(xs[None, :] - cx) / (0.7 * half_w), 0, 1) * (1 - 0.8 * tg)
        lmask = lmask * float(np.clip((gap - 2 * self.low_teeth_h) / (2 * self.low_teeth_h), 0, 1))
        lt = self.shadow + (self.low_teeth - self.shadow) * dim
        col = col * (1 - 0.8 * lmask[:, :, None]) + lt * 0.8 * lmask[:, :, None]

        # upper teeth: rigidly attached to the upper lip (rows = pixels below the lip line)
        t = np.floor(ys - uy).astype(np.int32)
        c = np.clip(np.round(xs - cx).astype(np.int32) + self.strip_half, 0,
                    self.strip.shape[1] - 1)
        inside = (t >= 0) & (t < self.teeth_rows)
        tt = np.clip(t, 0, self.teeth_rows - 1)
        teeth = self.strip[tt, np.broadcast_to(c[None, :], tt.shape)]
        ta = teeth[..., 3:] * inside[:, :, None]
        col = col * (1 - ta) + (self.shadow + (teeth[..., :3] - self.shadow) * dim) * ta

        roi = out[y0:y1, x0:x1]
        roi[:] = (roi * (1 - alpha) + col * alpha + 0.5).astype(np.uint8)

    def _lip_line(self, out: np.ndarray, up: np.ndarray, lo: np.ndarray, gap: float) -> None:
        """Closed or nearly closed lips: a soft shadow line where they meet, darkest at the
        corners. Hides the aliased seam between the two lips' maps (and the photo's mouth
        pixels that the seam can expose)."""
        strength = 1.0 - gap / (0.05 * self.wm)
        if strength <= 0:
            return
        mid = 0.5 * (up + lo)
        # continue a little past both corners (the crease where the lips meet)
        ext = 0.035 * self.wm
        d0 = mid[0] - mid[1]
        d1 = mid[-1] - mid[-2]
        mid = np.vstack([mid[0] + d0 * ext / max(np.linalg.norm(d0), 1e-3), mid,
                         mid[-1] + d1 * ext / max(np.linalg.norm(d1), 1e-3)])
        th = max(1.0, 0.012 * self.wm)
        x0, y0 = np.floor(mid.min(axis=0) - th).astype(int) - 3
        x1, y1 = np.ceil(mid.max(axis=0) + th).astype(int) + 4
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, self.size), min(y1, self.size)
        if x1 <= x0 or y1 <= y0:
            return
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        pts = np.round((mid - (x0, y0)) * 4).astype(np.int32)
        cv2.polylines(mask, [pts], False, 255, max(1, int(round(th))), cv2.LINE_AA, shift=2)
        a = cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32) * (1 / 255.0)
        xs = np.arange(x0, x1, dtype=np.float32)
        cx, hw = 0.5 * float(mid[0, 0] + mid[-1, 0]), max(0.5 * abs(float(mid[-1, 0] - mid[0, 0])), 1.0)
        r = np.abs(xs - cx) / hw  # 1 at the extended ends: fade out there
        a *= ((0.55 + 0.35 * np.clip(r / 0.9, 0, 1) ** 2) * np.clip((1 - r) / 0.1, 0, 1))[None, :] * strength
        roi = out[y0:y1, x0:x1]
        roi[:] = (roi * (1 - a[:, :, None]) + self.shadow * a[:, :, None] + 0.5).astype(np.uint8)
