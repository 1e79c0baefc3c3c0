"""Render talking-head frames from one photo: piecewise-affine warp of the face region only.

Per frame: target mesh vertices from the rig, triangle ids of the target mesh rasterised on a
coarse grid (the piecewise-affine backward map is continuous, so it is upsampled bilinearly),
one ``cv2.remap`` over the region of interest (ROI, the bounding box of the fixed outer anchor
ring), then the synthesised mouth interior. Pixels outside the ROI are the base frame's.
"""

from __future__ import annotations

from typing import Iterator

import cv2
import numpy as np

from ..types import PARAM_INDEX, FaceAnalysis, FaceTrack
from .mouth_interior import MouthInterior
from .wrinkles import Wrinkles
from .rig import (EYE_L_LO, EYE_L_UP, EYE_R_LO, EYE_R_UP, LIP_LO, LIP_UP, OUTER_LO, OUTER_UP,
                  FaceRig)

GRID_PX = 256
"""Target width of the coarse map grid over the whole frame (grid step = size / GRID_PX)."""


def crop_photo(photo: np.ndarray, crop: tuple[int, int, int, int], size: int) -> np.ndarray:
    """The square crop resized to ``size``; regions past the photo's edges repeat the edge."""
    x, y, side, _ = crop
    h, w = photo.shape[:2]
    sx0, sy0 = max(x, 0), max(y, 0)
    sx1, sy1 = min(x + side, w), min(y + side, h)
    sub = photo[sy0:sy1, sx0:sx1]
    sub = cv2.copyMakeBorder(sub, sy0 - y, y + side - sy1, sx0 - x, x + side - sx1,
                             cv2.BORDER_REPLICATE)
    interp = cv2.INTER_AREA if side > size else cv2.INTER_LANCZOS4
    return cv2.resize(sub, (size, size), interpolation=interp)


class FaceRenderer:
    """Frames of one face; build once per persona and size, then ``render`` each frame."""

    def __init__(self, photo_rgb: np.ndarray, analysis: FaceAnalysis, size: int = 512):
        photo = np.ascontiguousarray(np.asarray(photo_rgb)[:, :, :3], dtype=np.uint8)
        self.size = int(size)
        self._base = crop_photo(photo, analysis.crop, self.size)
        x0, y0, side, _ = analysis.crop
        s = self.size / float(side)
        lm = analysis.landmarks
        pts = (lm[:, :2] - np.array([x0, y0], dtype=np.float32)) * s
        self.rig = rig = FaceRig(pts, lm[:, 2] * s, self.size)
        self.mouth = MouthInterior(self._base, rig)
        self.wrinkles = Wrinkles(rig)  # expression folds (emotion action units)

        # ROI = bounding box of the outer (fixed) anchor ring, a whole number of grid cells.
        f = max(1, int(round(self.size / GRID_PX)))
        self._f = f
        ring = rig.src[rig.ring2]
        lo = np.floor(ring.min(axis=0)).astype(int) - f
        hi = np.ceil(ring.max(axis=0)).astype(int) + f
        gw = min(-(-(hi[0] - lo[0]) // f), self.size // f)
        gh = min(-(-(hi[1] - lo[1]) // f), self.size // f)
        rx = int(np.clip(lo[0], 0, self.size - gw * f))
        ry = int(np.clip(lo[1], 0, self.size - gh * f))
        self.roi = (rx, ry, gw * f, gh * f)
        self._gshape = (gh, gw)
        # grid point g sits at frame pixel r0 + (g + 0.5) * f - 0.5 (cv2.resize's alignment)
        self._g0 = np.array([rx + 0.5 * f - 0.5, ry + 0.5 * f - 0.5], dtype=np.float32)
        gy, gx = np.mgrid[0:gh, 0:gw].astype(np.float32)
        self._gx, self._gy = gx, gy
        self._ids = np.empty((gh, gw), np.int32)

        tris = rig.tris
        self._tris = tris
        self._n_tri = len(tris)
        self._src_tri = rig.tex[tris].astype(np.float64)  # (M, 3, 2) frame pixels
        # identity affine (grid -> frame) used outside the mesh; row M of the affine table
        self._ident = np.array([f, 0, self._g0[0], 0, f, self._g0[1]], dtype=np.float64)
        # for the mouth hole: the lip triangle on each inner-lip edge, so the map there is the
        # neighbouring lip's affine extended (keeps the lip edge sharp after upsampling)
        self._hole_up = self._edge_tris(LIP_UP)
        self._hole_lo = self._edge_tris(LIP_LO)
        self._lip_pts = np.array(sorted(set(LIP_UP + LIP_LO + OUTER_UP + OUTER_LO)))
        self._eye_l = np.array(EYE_L_UP + EYE_L_LO)
        self._eye_r = np.array(EYE_R_UP + EYE_R_LO)

    def _edge_tris(self, chain: tuple[int, ...]) -> np.ndarray:
        out = []
        for a, b in zip(chain[:-1], chain[1:]):
            hit = np.nonzero(((self._tris == a).any(1)) & ((self._tris == b).any(1)))[0]
            out.append(int(hit[0]) if len(hit) else self._n_tri)
        return out

    @property
    def base_frame(self) -> np.ndarray:
        """The cropped, resized photo (size, size, 3) uint8 RGB; read-only."""
        v = self._base.view()
        v.flags.writeable = False
        return v

    def _affines(self, g: np.ndarray) -> np.ndarray:
        """(M + 1, 6) affines mapping grid coords inside each target triangle to source pixels."""
        t = g[self._tris].astype(np.float64)
        s = self._src_tri
        d1, d2 = t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]
        det = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]
        det = np.where(np.abs(det) < 1e-6, 1e-6, det)
        # inverse of [d1 d2] (columns), then A = [s1-s0, s2-s0] @ inv
        i00, i01 = d2[:, 1] / det, -d2[:, 0] / det
        i10, i11 = -d1[:, 1] / det, d1[:, 0] / det
        e1, e2 = s[:, 1] - s[:, 0], s[:, 2] - s[:, 0]
        a = e1[:, 0] * i00 + e2[:, 0] * i10
        b = e1[:, 0] * i01 + e2[:, 0] * i11
        c = e1[:, 1] * i00 + e2[:, 1] * i10
        d = e1[:, 1] * i01 + e2[:, 1] * i11
        ox = s[:, 0, 0] - a * t[:, 0, 0] - b * t[:, 0, 1]
        oy = s[:, 0, 1] - c * t[:, 0, 0] - d * t[:, 0, 1]
        aff = np.empty((self._n_tri + 1, 6), np.float32)
        aff[:-1] = np.stack([a, b, ox, c, d, oy], axis=1)
        aff[-1] = self._ident
        return aff, det

    def render(self, params: np.ndarray) -> np.ndarray:
        """One frame (size, size, 3) uint8 RGB for one row of ``FaceTrack.values``."""
        params = np.asarray(params, dtype=np.float32)
        verts = self.rig.targets(params)
        f = self._f
        g = (verts - self._g0) / f  # target vertices in grid coordinates
        aff, det = self._affines(g)

        ids = self._ids
        ids.fill(self._n_tri)
        polys = np.round(g[self._tris] * 16).astype(np.int32)  # 4 fractional bits
        self._fill_mouth(ids, g, under=True)
        fill = cv2.fillConvexPoly
        for i in np.nonzero(np.abs(det) > 0.02)[0].tolist():
            fill(ids, polys[i], i, cv2.LINE_8, 4)
        self._fill_mouth(ids, g, under=False)

        A = aff[ids]  # (gh, gw, 6) gather
        gx, gy = self._gx, self._gy
        grid_map = np.empty(self._gshape + (2,), np.float32)
        grid_map[..., 0] = A[..., 0] * gx + A[..., 1] * gy + A[..., 2]
        grid_map[..., 1] = A[..., 3] * gx + A[..., 4] * gy + A[..., 5]
        rx, ry, rw, rh = self.roi
        full_map = cv2.resize(grid_map, (rw, rh), interpolation=cv2.INTER_LINEAR)

        if f > 1:
            self._exact(full_map, verts, aff, self._lip_pts, hole=True)
            for name, idx in (("blink_l", self._eye_l), ("blink_r", self._eye_r)):
                if params[PARAM_INDEX[name]] > 0.05:
                    self._exact(full_map, verts, aff, idx, hole=False)

        out = self._base.copy()
        out[ry:ry + rh, rx:rx + rw] = cv2.remap(self._base, full_map, None, cv2.INTER_LINEAR,
                                                borderMode=cv2.BORDER_REPLICATE)
        self.wrinkles.draw(out, verts, params)
        self.mouth.draw(out, verts, params)
        return out

    def _exact(self, full_map: np.ndarray, verts: np.ndarray, aff: np.ndarray,
               pts: np.ndarray, hole: bool) -> None:
        """Full-resolution map around ``pts`` (lips or an eye), written into ``full_map``.

        The backward map jumps across the lip line when the lips close over a photo's open
        mouth (and across a closed eyelid); upsampling the coarse map there would blend across
        the jump and draw a line of teeth / eye-white pixels, so this block is rasterised exactly.
        """
        f = self._f
        rx, ry, rw, rh = self.roi
        lips = verts[pts]
        m = 2 * f + 2
        x0, y0 = np.floor(lips.min(axis=0)).astype(int) - m
        x1, y1 = np.ceil(lips.max(axis=0)).astype(int) + m
        x0, y0 = max(x0, rx), max(y0, ry)
        x1, y1 = min(x1, rx + rw), min(y1, ry + rh)
        if x1 <= x0 or y1 <= y0:
            return
        t = verts[self._tris]  # (M, 3, 2) frame pixels
        tmin, tmax = t.min(axis=1), t.max(axis=1)
        sel = np.nonzero((tmax[:, 0] >= x0) & (tmin[:, 0] <= x1) & (tmax[:, 1] >= y0)
                         & (tmin[:, 1] <= y1))[0]
        ids = np.full((y1 - y0, x1 - x0), self._n_tri, np.int32)
        org = np.array([x0, y0], dtype=np.float32)
        if hole:
            self._fill_mouth(ids, verts - org, under=True)
        polys = np.round((t[sel] - org) * 16).astype(np.int32)
        fill = cv2.fillConvexPoly
        for i, poly in zip(sel.tolist(), polys):
            fill(ids, poly, i, cv2.LINE_8, 4)
        if hole:
            self._fill_mouth(ids, verts - org, under=False)
        A = aff[ids]
        # grid coordinates of these full-resolution pixels
        gx = ((np.arange(x0, x1, dtype=np.float32) - self._g0[0]) / f)[None, :]
        gy = ((np.arange(y0, y1, dtype=np.float32) - self._g0[1]) / f)[:, None]
        blk = full_map[y0 - ry:y1 - ry, x0 - rx:x1 - rx]
        # feather into the coarse map over the block's outer f + 1 pixels (the two agree there
        # up to sub-pixel interpolation error; a hard switch could still show as a faint edge)
        r = float(f + 1)
        h, w = ids.shape
        wy = np.clip(np.minimum(np.arange(h) + 1.0, h - np.arange(h)) / r, 0, 1).astype(np.float32)
        wx = np.clip(np.minimum(np.arange(w) + 1.0, w - np.arange(w)) / r, 0, 1).astype(np.float32)
        wt = np.minimum(wy[:, None], wx[None, :])
        for k in (0, 1):
            ex = A[..., 3 * k] * gx + A[..., 3 * k + 1] * gy + A[..., 3 * k + 2]
            blk[..., k] += wt * (ex - blk[..., k])

    def _fill_mouth(self, ids: np.ndarray, g: np.ndarray, under: bool) -> None:
        """Mouth hole ids: its upper half takes the upper lip's affine, the lower half the lower
        lip's (always: closed lips still leave slivers between the two inner-lip polylines).
        ``under``: the same from the outer lip contours to the lip line, drawn before the mesh so
        that no pixel between two lip triangles falls back to the identity map (which would show
        the photo's own mouth: dark or white specks on the lip line)."""
        up, lo = g[list(OUTER_UP if under else LIP_UP)], g[list(OUTER_LO if under else LIP_LO)]
        iu, il = g[list(LIP_UP)], g[list(LIP_LO)]
        mid = np.round(8 * (iu + il)).astype(np.int32)
        up, lo = np.round(up * 16).astype(np.int32), np.round(lo * 16).astype(np.int32)
        fill = cv2.fillConvexPoly
        for k in range(len(up) - 1):
            fill(ids, np.array([up[k], up[k + 1], mid[k + 1], mid[k]]), self._hole_up[k], cv2.LINE_8, 4)
            fill(ids, np.array([mid[k], mid[k + 1], lo[k + 1], lo[k]]), self._hole_lo[k], cv2.LINE_8, 4)

    def render_track(self, track: FaceTrack) -> Iterator[np.ndarray]:
        """Frames for every row of ``track``, in order."""
        for row in track.values:
            yield self.render(row)
