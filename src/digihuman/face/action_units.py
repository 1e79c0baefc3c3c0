"""Facial action units (FACS) as displacement fields on the FaceMesh vertices.

Each unit is one column of :class:`~digihuman.types.FaceTrack` (0 = as in the photo, 1 = a full,
clearly visible action) and one basis of :class:`~digihuman.face.rig.FaceRig`: a field of
(du, dv) pixel offsets in face coordinates (u right, v down, origin at the mouth centre) for
unit 1. The six basic emotions are combinations of these (``digihuman.emotion.expression``):

=============  =====  =====================================================================
column         FACS   what moves
=============  =====  =====================================================================
brow_inner     AU1    inner ends of the brows up (the "worried" slant of sadness and fear)
brow_lower     AU4    brows down and drawn together (anger, concentration)
lid_raise      AU5    upper lids up: eyes wider (surprise, fear)
lid_tight      AU7    lids narrowed, the lower lid up most (anger, the squint of a smile)
cheek          AU6    cheeks raised, pushing the lower lids up (a felt smile)
nose_wrinkle   AU9    the nose wings and the skin between the brows pulled up/down (disgust)
lip_raise      AU10   upper lip raised (disgust); the inner lip stays, so lip sync is untouched
lip_stretch    AU20   mouth corners pulled out sideways and a little down (fear)
=============  =====  =====================================================================

The brows (AU1+2 together: "brow") and the mouth corners (AU12 up / AU15 down: "smile") were
already rig parameters. Wrinkles that come with some units (the furrow of AU4, the folds of
AU9, the crow's feet of AU6) are shading, drawn by :mod:`digihuman.face.wrinkles`.
"""

from __future__ import annotations

import numpy as np

ACTION_UNITS = ("brow_inner", "brow_lower", "lid_raise", "lid_tight", "cheek", "nose_wrinkle",
                "lip_raise", "lip_stretch")

# contours (same indices as rig.py; duplicated here only as the groups this module needs)
_EYE_R_UP = (33, 246, 161, 160, 159, 158, 157, 173, 133)
_EYE_R_LO = (33, 7, 163, 144, 145, 153, 154, 155, 133)
_EYE_L_UP = (263, 466, 388, 387, 386, 385, 384, 398, 362)
_EYE_L_LO = (263, 249, 390, 373, 374, 380, 381, 382, 362)
_BROWS = (46, 53, 52, 65, 55, 70, 63, 105, 66, 107, 276, 283, 282, 295, 285, 300, 293, 334, 296, 336)
_NOSE_WINGS = (129, 358, 98, 327, 64, 294, 102, 331, 48, 278, 49, 279, 219, 439, 115, 344, 203, 423)
_OUTER_UP = (185, 40, 39, 37, 0, 267, 269, 270, 409)
_CORNERS = (61, 291)


def _smooth(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _line(u: np.ndarray, ids, uu: np.ndarray, vv: np.ndarray) -> np.ndarray:
    o = np.argsort(uu[list(ids)])
    return np.interp(u, uu[list(ids)][o], vv[list(ids)][o])


def action_unit_bases(u: np.ndarray, v: np.ndarray, face_w: float, edge: np.ndarray) -> dict[str, np.ndarray]:
    """{column: (N, 2) float64 (du, dv) pixels at unit 1} for the mesh points at (u, v).

    ``face_w``: face width (pixels); ``edge``: 1 inside the face, 0 at its outline (the rig's
    fall-off that keeps the outline still)."""
    n = len(u)
    W = face_w
    out = {name: np.zeros((n, 2)) for name in ACTION_UNITS}
    mid = 0.5 * (u[168] + u[6])  # face midline: the nose bridge
    du = u - mid
    brows = np.array(_BROWS)
    bv = _line(u, brows, u, v)  # brow line height at each u
    eye_v = _line(u, (33, 133, 362, 263), u, v)
    eyes = np.array(_EYE_R_UP + _EYE_R_LO + _EYE_L_UP + _EYE_L_LO)
    # vertical fall-off around the brow line: full on the brow, none at the eye line or high up
    t_down = _smooth(1.0 - (v - bv) / np.maximum(eye_v - bv, 1.0))
    t_up = _smooth(1.0 - (bv - v) / (0.4 * W))
    brow_zone = np.where(v > bv, t_down, t_up) * _smooth(1.0 - (np.abs(du) - 0.45 * W) / (0.1 * W)) * edge
    inner = np.exp(-(np.maximum(np.abs(du) - 0.06 * W, 0.0) / (0.14 * W)) ** 2)  # 1 at the inner brow ends
    toward_mid = -np.sign(du) * _smooth(np.abs(du) / (0.05 * W))  # no motion across the midline

    # AU1: inner brows up (and slightly together), the outer ends barely
    out["brow_inner"][:, 1] = -0.08 * W * inner * brow_zone
    out["brow_inner"][:, 0] = 0.012 * W * toward_mid * inner * brow_zone
    # AU4: brows down and together, most at the inner ends
    out["brow_lower"][:, 1] = 0.07 * W * (0.45 + 0.55 * inner) * brow_zone
    out["brow_lower"][:, 0] = 0.04 * W * toward_mid * inner * brow_zone
    out["brow_inner"][eyes] = 0.0
    out["brow_lower"][eyes] = 0.0

    for up, lo in ((_EYE_R_UP, _EYE_R_LO), (_EYE_L_UP, _EYE_L_LO)):
        up_a, lo_a = np.array(up), np.array(lo)
        up_v = _line(u, up_a, u, v)
        lo_v = _line(u, lo_a, u, v)
        gap = np.maximum(lo_v - up_v, 0.0)  # eye opening height at each u, pixels
        umin, umax = u[up_a].min(), u[up_a].max()
        ew = umax - umin
        cx = 0.5 * (umin + umax)
        inside = _smooth(1.0 - np.maximum(np.maximum(umin - u, u - umax), 0) / (0.35 * ew))
        # eye-corner weight: the corners themselves stay (no tearing of the eye's outline)
        prof = np.sqrt(np.clip(1.0 - ((u - cx) / (0.5 * ew)) ** 2, 0.0, 1.0))
        above = up_v - v  # pixels above the upper lid line
        below = v - lo_v
        f_up = _smooth(1.0 - above / (0.5 * ew)) * (above > -0.5) * inside * prof
        f_lo = _smooth(1.0 - below / (0.6 * ew)) * (below > -0.5) * inside * prof
        # AU5: the upper lid up by 50 % of the opening, the skin under the brow compresses
        out["lid_raise"][:, 1] -= 0.5 * gap * f_up
        # AU7: lower lid up 30 % of the opening, upper lid down 12 %
        out["lid_tight"][:, 1] += 0.12 * gap * f_up - 0.30 * gap * f_lo
        # AU6: the cheek below the eye rises and bunches the lower lid up (15 %)
        cheek = np.exp(-(((u - cx) / (0.6 * ew)) ** 2 + (np.maximum(v - lo_v, 0) / (0.9 * ew)) ** 2)) * (v >= lo_v - 0.5)
        out["cheek"][:, 1] -= (0.2 * gap * f_lo + 0.03 * W * cheek) * edge
        for name in ("lid_raise", "lid_tight", "cheek"):
            out[name][[up[0], up[-1], lo[0], lo[-1]], 1] = 0.0

    # AU9: nose wings up, the skin between the brows down (the frown the wrinkle comes with)
    wings = np.array(_NOSE_WINGS)
    nose_u, nose_v = u[wings].mean(), v[wings].mean()
    nw = np.exp(-(((u - nose_u) / (0.16 * W)) ** 2 + ((v - nose_v) / (0.12 * W)) ** 2)) * edge
    glabella = np.exp(-((du / (0.12 * W)) ** 2)) * brow_zone
    out["nose_wrinkle"][:, 1] = -0.025 * W * nw + 0.02 * W * glabella
    # AU10: outer upper lip up (thinner upper lip, deeper folds beside the nose); inner lip fixed
    lip_top = np.array(_OUTER_UP)
    ou_v = _line(u, lip_top, u, v)
    hw = 0.5 * abs(u[_CORNERS[1]] - u[_CORNERS[0]])
    near = np.exp(-(np.maximum(np.abs(u) - 0.6 * hw, 0) / (0.25 * W)) ** 2)
    band = _smooth(1.0 - np.abs(v - ou_v) / (0.12 * W)) * (v <= ou_v + 0.5)
    out["lip_raise"][:, 1] = -0.028 * W * near * band * edge
    out["lip_raise"][list(lip_top), 1] = -0.028 * W * near[list(lip_top)]
    # AU20: corners out sideways and a little down, fading around each corner
    for c in _CORNERS:
        dc = np.hypot(u - u[c], v - v[c])
        g = np.exp(-(dc / (0.2 * W)) ** 2) * edge
        out["lip_stretch"][:, 0] += np.sign(u[c]) * 0.06 * W * g
        out["lip_stretch"][:, 1] += 0.015 * W * g
    return out
