"""Expression wrinkles and shadows: the shading that comes with some action units.

A warp moves skin but cannot fold it; the folds are what people (and classifiers) read first:
the vertical furrow between lowered brows (AU4), horizontal forehead lines of raised brows
(AU1+2, only the central ones for AU1), the nasolabial folds and cheek highlight of a smile
(AU6+12), crow's feet (AU6), the wrinkled nose (AU9), the dimpled chin of pouting lip corners
(AU15). Each is a soft dark stroke (or a light one) drawn along the *target* mesh, so it moves with
the head, and multiplied into the frame with a strength proportional to its unit, in 0..1.
Cost: strokes and one blur on a half-resolution canvas over the face box (~1-2 ms at 512 px).
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import PARAM_INDEX

_P = {name: PARAM_INDEX[name] for name in ("brow", "brow_inner", "brow_lower", "smile", "cheek",
                                           "nose_wrinkle", "lid_tight", "lip_raise")}
_ACTIVE = 0.03  # below this amount a unit draws nothing (cheaper, and no faint noise)


class Wrinkles:
    """Shading for one face rig; ``draw`` darkens/brightens one frame in place."""

    def __init__(self, rig) -> None:
        self.rig = rig
        self.W = float(rig.face_w)
        self.size = int(rig.size)
        self.sigma = max(1.0, 0.012 * self.W)  # blur, pixels: soft folds, not pen lines

    def draw(self, out: np.ndarray, verts: np.ndarray, params: np.ndarray) -> None:
        a = {k: float(params[i]) for k, i in _P.items()}
        dark: list[tuple[np.ndarray, float, float]] = []  # (polyline, strength 0..1, width in W)
        light: list[tuple[np.ndarray, float, float]] = []
        v, W = verts, self.W
        ex = self.rig.ex.astype(np.float32)
        ey = self.rig.ey.astype(np.float32)
        # AU4: two vertical furrows between the inner brow ends, and the shadow of the low brow
        if a["brow_lower"] > _ACTIVE:
            s = min(1.0, a["brow_lower"])
            for f in (0.42, 0.58):
                x = v[55] + f * (v[285] - v[55])
                dark.append((np.array([x + 0.02 * W * ey, x - 0.09 * W * ey]), 0.45 * s, 0.02))
            dark.append((np.array([v[i] for i in (46, 53, 52, 65, 55)]) + 0.012 * W * ey, 0.3 * s, 0.035))
            dark.append((np.array([v[i] for i in (285, 295, 282, 283, 276)]) + 0.012 * W * ey, 0.3 * s, 0.035))
        # AU1+2 (brow) and AU1 alone (brow_inner): horizontal forehead lines above the brows
        up = max(a["brow"], 0.0)
        inner = max(a["brow_inner"], 0.0)
        if up + inner > _ACTIVE:
            top = v[[105, 334]].mean(axis=0)  # brow tops
            half = 0.5 * float(np.linalg.norm(v[334] - v[105]))
            for k, h in enumerate((0.07, 0.12, 0.17)):
                c = top - h * W * ey
                # full-width lines for raised brows; short central ones, bowed up, for AU1
                span = half * (1.1 - 0.15 * k) * (1.0 if up >= inner else 0.6)
                bow = (0.0 if up >= inner else 0.025) * W
                xs = np.linspace(-1.0, 1.0, 9)
                pts = c + (xs[:, None] * span) * ex + ((xs[:, None] ** 2) * bow) * ey
                dark.append((pts, 0.3 * min(1.0, up + 0.8 * inner), 0.014))
        # AU12 + AU6: nasolabial folds from the nose wings past the mouth corners, cheek highlight
        smile = max(a["smile"], 0.0)
        cheek = max(a["cheek"], 0.0)
        if smile + cheek > _ACTIVE:
            s = min(1.0, 0.6 * smile + 0.5 * cheek)
            for wing, corner, side in ((129, 61, -1.0), (358, 291, 1.0)):
                end = v[corner] + side * 0.05 * W * ex + 0.05 * W * ey
                mid = 0.5 * (v[wing] + end) + side * 0.035 * W * ex
                dark.append((np.array([v[wing] + side * 0.01 * W * ex, mid, end]), 0.35 * s, 0.03))
            for c in (117, 346):  # the apples of the cheeks
                light.append((np.array([v[c] - 0.01 * W * ey]), 0.18 * s, 0.07))
        # AU6 / AU7: crow's feet at the outer eye corners
        crow = max(cheek, 0.6 * max(a["lid_tight"], 0.0))
        if crow > _ACTIVE:
            for corner, side in ((33, -1.0), (263, 1.0)):
                o = v[corner] + side * 0.02 * W * ex
                for dy in (-0.025, 0.0, 0.025):
                    dark.append((np.array([o, o + side * 0.05 * W * ex + dy * 1.4 * W * ey]), 0.25 * min(1.0, crow), 0.01))
        # AU9 (+AU10): creases across the nose bridge and beside the nose
        nose = max(a["nose_wrinkle"], 0.0)
        if nose > _ACTIVE:
            for f in (0.35, 0.55):
                c = v[168] + f * (v[4] - v[168])
                dark.append((np.array([c - 0.05 * W * ex, c + 0.05 * W * ex]), 0.35 * min(1.0, nose), 0.012))
        lip = max(a["lip_raise"], 0.0)
        if lip > _ACTIVE:
            for wing, corner in ((129, 61), (358, 291)):
                dark.append((np.array([v[wing], 0.5 * (v[wing] + v[corner])]), 0.35 * min(1.0, lip), 0.025))
        # AU15: pouting corners bunch the chin below them
        down = max(-a["smile"], 0.0)
        if down > _ACTIVE:
            for c in (61, 291):
                dark.append((np.array([v[c] + 0.015 * W * ey, v[c] + 0.07 * W * ey]), 0.25 * min(1.0, down), 0.025))
        dark = [d for d in dark if d[1] > 0]
        light = [d for d in light if d[1] > 0]
        if dark or light:
            self._apply(out, dark, light)

    def _apply(self, out: np.ndarray, dark, light) -> None:
        pts = np.vstack([p for p, _, _ in dark + light])
        m = int(0.1 * self.W) + 1
        x0, y0 = np.maximum(np.floor(pts.min(axis=0)).astype(int) - m, 0)
        x1, y1 = np.minimum(np.ceil(pts.max(axis=0)).astype(int) + m, self.size)
        if x1 <= x0 or y1 <= y0:
            return
        org = np.array([x0, y0], np.float32)
        # strokes and blur at half resolution (4x fewer pixels; the folds are soft anyway)
        h2, w2 = (y1 - y0 + 1) // 2, (x1 - x0 + 1) // 2
        shade = np.zeros((h2, w2), np.float32)  # > 0 darkens, < 0 brightens
        for group, sign in ((dark, 1.0), (light, -1.0)):
            for poly, strength, width in group:
                q = np.round((poly - org) * 2).astype(np.int32)  # half-res pixels, 2 fractional bits
                th = max(1, int(round(0.5 * width * self.W)))
                if len(q) == 1:
                    cv2.circle(shade, tuple(int(c) for c in q[0]), th * 4, sign * strength, -1, cv2.LINE_AA, 2)
                else:
                    cv2.polylines(shade, [q], False, sign * strength, th, cv2.LINE_AA, 2)
        shade = cv2.GaussianBlur(shade, (0, 0), 0.5 * self.sigma)
        shade = cv2.resize(shade, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
        gain = 1.0 - np.clip(shade, -0.25, 0.6)
        blk = out[y0:y1, x0:x1]
        out[y0:y1, x0:x1] = cv2.multiply(blk, cv2.merge([gain, gain, gain]), dtype=cv2.CV_8U)
