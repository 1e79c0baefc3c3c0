"""Triangle mesh over the face and its linear deformation model.

Vertices: the 468 MediaPipe FaceMesh points, then two rings of anchors around the face oval.
The inner ring follows the head partly, the outer ring never moves, so the warp is the identity
at the edge of the region that is re-rendered and no seam can appear.

Expression: ``target = source + C + sum_k coef_k * B[k]`` (pixels), with ``C`` the constant
part (jaw_open=0 closes the lips even when the photo shows teeth). Head motion is applied after.
All coordinates are output-frame pixels (x right, y down).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..types import PARAM_INDEX
from .landmarks import FACE_OVAL

N_MESH = 468
# Inner lips, corner to corner (image left to right); index i of upper pairs with i of lower.
LIP_UP = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308)
LIP_LO = (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308)
OUTER_UP = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291)
OUTER_LO = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291)
# Eye contours, outer corner to inner corner.
EYE_R_UP = (33, 246, 161, 160, 159, 158, 157, 173, 133)
EYE_R_LO = (33, 7, 163, 144, 145, 153, 154, 155, 133)
EYE_L_UP = (263, 466, 388, 387, 386, 385, 384, 398, 362)
EYE_L_LO = (263, 249, 390, 373, 374, 380, 381, 382, 362)
BROW_R = (46, 53, 52, 65, 55, 70, 63, 105, 66, 107)
BROW_L = (276, 283, 282, 295, 285, 300, 293, 334, 296, 336)

# Expression parameters that move vertices, in the order of the bases B.
EXPR = ("jaw_open", "mouth_width", "lip_round", "lip_tuck", "smile", "blink_l", "blink_r", "brow")
RING1_FOLLOW = 0.4  # fraction of the oval's motion the inner anchor ring follows


@lru_cache(maxsize=1)
def mesh_triangles() -> np.ndarray:
    """(M, 3) int32: FaceMesh triangles (3-cliques of the tessellation) plus eye-hole strips."""
    from mediapipe.python.solutions.face_mesh_connections import FACEMESH_TESSELATION

    edges = {tuple(sorted(e)) for e in FACEMESH_TESSELATION}
    adj: dict[int, set[int]] = {}
    for a, b in edges:
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    tris = {tuple(sorted((a, b, c))) for a, b in edges for c in adj[a] & adj[b]}
    # The mouth must stay a hole: drop anything spanning upper and lower inner lip.
    up, lo = set(LIP_UP[1:-1]), set(LIP_LO[1:-1])
    tris = {t for t in tris if not (set(t) & up and set(t) & lo)}
    out = []
    # The eye openings are holes in the tessellation; fill them so the eyes warp with the lids.
    # They come first: drawn first, the closing lids (which overlap them) paint over them.
    for u, l in ((EYE_R_UP, EYE_R_LO), (EYE_L_UP, EYE_L_LO)):
        for i in range(len(u) - 1):
            if i > 0:
                out.append((u[i], l[i], l[i + 1]))
            if i < len(u) - 2:
                out.append((u[i], u[i + 1], l[i + 1]))
    out += sorted(tris)
    return np.array(out, dtype=np.int32)


def _smooth(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


class FaceRig:
    """Mesh + deformation bases for one face, in output-frame pixels."""

    def __init__(self, pts: np.ndarray, z: np.ndarray, size: int):
        p = pts[:N_MESH].astype(np.float64)
        self.size = size
        oval = list(FACE_OVAL)
        self.center = p[oval].mean(axis=0)
        er = p[[EYE_R_UP[0], EYE_R_UP[-1]]].mean(axis=0)
        el = p[[EYE_L_UP[0], EYE_L_UP[-1]]].mean(axis=0)
        ex = (el - er) / np.linalg.norm(el - er)  # face "right" axis (image left->right)
        ey = np.array([-ex[1], ex[0]])  # face "down" axis
        self.ex, self.ey = ex, ey
        self.face_w = float(np.linalg.norm(p[454] - p[234]))
        self.mouth_w = float(np.linalg.norm(p[291] - p[61]))
        mc = 0.5 * (p[13] + p[14])
        # Face-frame coordinates (u right, v down) relative to the mouth centre, pixels.
        u = (p - mc) @ ex
        v = (p - mc) @ ey
        self._uv_origin = mc

        # --- anchor rings: radial projections of the oval from its centroid -------------------
        d = p[oval] - self.center
        ny = (d @ ey) / np.linalg.norm(d, axis=1)  # -1 at the top of the head, +1 at the chin
        k2 = 1.62 - 0.2 * ny  # farther above the head (hair), closer under the chin (neck)
        k1 = 1.0 + 0.45 * (k2 - 1.0)
        ring1 = self.center + d * k1[:, None]
        ring2 = np.clip(self.center + d * k2[:, None], 0, size - 1)
        self.src = np.vstack([p, ring1, ring2]).astype(np.float32)
        n_o = len(oval)
        self.n_vert = N_MESH + 2 * n_o
        r1 = N_MESH + np.arange(n_o)
        r2 = r1 + n_o
        o = np.array(oval)
        band = []
        for i in range(n_o):
            j = (i + 1) % n_o
            band += [(o[i], o[j], r1[j]), (o[i], r1[j], r1[i]),
                     (r1[i], r1[j], r2[j]), (r1[i], r2[j], r2[i])]
        self.tris = np.vstack([mesh_triangles(), np.array(band, dtype=np.int32)])
        self.ring1, self.ring2, self.oval = r1, r2, o

        # depth for the 2-D approximation of yaw/pitch (pixels, relative to the face mean)
        zf = z[:N_MESH].astype(np.float64) - float(np.mean(z[:N_MESH]))
        self.z = np.concatenate([zf, zf[o], np.zeros(n_o)]).astype(np.float32)
        self.head_w = np.concatenate([np.ones(N_MESH), np.full(n_o, RING1_FOLLOW),
                                      np.zeros(n_o)]).astype(np.float32)

        # --- expression bases in face coordinates (du, dv) ------------------------------------
        C = np.zeros((N_MESH, 2))
        B = np.zeros((len(EXPR), N_MESH, 2))
        W, Wm = self.face_w, self.mouth_w
        hw = 0.5 * Wm  # mouth half width
        iu = np.array(LIP_UP), np.array(LIP_LO)
        lip_v_up = np.interp(u, u[iu[0]], v[iu[0]])
        lip_v_lo = np.interp(u, u[iu[1]], v[iu[1]])
        lip_mid = 0.5 * (lip_v_up + lip_v_lo)
        # "lowerness": 1 on the lower lip / jaw, 0 above the lip line; the transition widens
        # beyond the mouth corners so the cheeks bend smoothly.
        beyond = np.maximum(np.abs(u) - 0.9 * hw, 0.0)
        trans = 0.02 * W + 0.6 * beyond
        lower = _smooth((v - lip_mid) / (2 * trans) + 0.5)
        lower[list(LIP_LO[1:-1]) + list(OUTER_LO[1:-1])] = 1.0
        lower[list(LIP_UP[1:-1]) + list(OUTER_UP[1:-1])] = 0.0
        lower[[78, 308, 61, 291]] = 0.5
        # jaw hinge: full drop at the chin, fading towards the ears
        hinge = _smooth(1.0 - (np.abs(u) - 0.25 * W) / (0.35 * W)) * _smooth((v + 0.1 * W) / (0.15 * W))
        lips = np.array(sorted(set(LIP_UP + LIP_LO + OUTER_UP + OUTER_LO)))
        prof = np.sqrt(np.clip(1.0 - (u / (1.05 * hw)) ** 2, 0.0, 1.0))  # gap profile
        jd = lower * hinge  # drop fraction
        jd[lips] = lower[lips] * prof[lips]
        up_lift = (1 - lower) * np.exp(-(np.maximum(lip_mid - v, 0) / (0.08 * W)) ** 2) \
            * _smooth(1.0 - (np.abs(u) - hw) / (0.25 * W))
        up_lift[lips] = (1 - lower[lips]) * prof[lips]
        a_lo = 0.8  # share of the gap opened by the lower lip / jaw
        g0 = float(v[14] - v[13])  # photo's inner-lip gap at the centre, pixels
        jaw_dir = a_lo * jd - (1 - a_lo) * up_lift  # +down per pixel of gap
        B[0, :, 1] = Wm * jaw_dir
        C[:, 1] = -g0 * jaw_dir
        # inner-lip points close exactly onto each other at jaw_open=0
        gap_u = np.interp(u, u[iu[0]], lip_v_lo[iu[0]] - v[iu[0]])
        for idx, sgn, share in ((iu[0], -1, 1 - a_lo), (iu[1], 1, a_lo)):
            C[idx, 1] = -sgn * share * np.maximum(gap_u[idx], 0) * 1.0
        self.g0 = g0

        # mouth region weight: 1 inside the mouth ellipse, gaussian fall-off outside
        r = np.sqrt((u / hw) ** 2 + (v / (0.6 * hw)) ** 2)
        wm = np.exp(-(np.maximum(r - 1.0, 0) / 0.7) ** 2)
        B[1, :, 0] = u * wm  # corners move (mouth_width - 1) * half width, pixels
        # lip_round: corners in, lips pushed out (thicker), small rounded opening
        B[2, :, 0] = -0.3 * u * wm
        B[2, :, 1] = 0.12 * v * wm * (np.abs(u) < hw)
        # lip_tuck: upper lip up a little (teeth show), lower lip up and thinner (rolled in)
        near = _smooth(1.0 - (np.abs(u) - hw) / (0.3 * W))
        B[3, :, 1] = -Wm * near * (0.07 * (1 - lower) * np.exp(-(np.maximum(lip_mid - v, 0) / (0.06 * W)) ** 2)
                                   + 0.03 * lower * np.exp(-(np.maximum(v - lip_mid, 0) / (0.1 * W)) ** 2))
        B[3, list(OUTER_LO[1:-1]), 1] = -0.11 * Wm
        # smile: corners up and out with a fall-off around each corner, cheeks rise a little
        for c in (61, 291):
            dc = np.hypot(u - u[c], v - v[c])
            g = np.exp(-(dc / (0.22 * W)) ** 2)
            B[4, :, 0] += np.sign(u[c]) * 0.05 * W * g
            B[4, :, 1] += -0.06 * W * g
        # blinks: the upper lid slides down onto the lower lid, skin above follows with fall-off
        for k, (eu, el_) in ((5, (EYE_L_UP, EYE_L_LO)), (6, (EYE_R_UP, EYE_R_LO))):
            eu, el_ = np.array(eu), np.array(el_)
            order = np.argsort(u[el_])
            lo_v = np.interp(u, u[el_][order], v[el_][order])
            ou = np.argsort(u[eu])
            up_v = np.interp(u, u[eu][ou], v[eu][ou])
            gap = np.maximum(lo_v - up_v, 0)
            umin, umax = u[eu].min(), u[eu].max()
            ew = umax - umin
            inside = _smooth(1.0 - np.maximum(np.maximum(umin - u, u - umax), 0) / (0.3 * ew))
            above = up_v - v  # pixels above the upper lid line
            f_up = _smooth(1.0 - above / (0.45 * ew)) * (above > -0.5)
            B[k, :, 1] += 0.9 * gap * f_up * inside
            below = v - lo_v
            f_lo = _smooth(1.0 - below / (0.2 * ew)) * (below > -0.5)
            B[k, :, 1] -= 0.15 * gap * f_lo * inside
            B[k, eu, 1] = 0.9 * gap[eu]  # overlaps the lower lid a little: no slit
            B[k, el_, 1] = -0.15 * gap[el_]
            B[k, [eu[0], eu[-1]], 1] = 0.0
        # brow: brows up, fading to nothing at the upper lid and high on the forehead
        brows = np.array(BROW_R + BROW_L)
        bv = np.interp(u, np.sort(u[brows]), v[brows][np.argsort(u[brows])])
        eye_v = np.interp(u, u[[33, 263]], v[[33, 263]])
        t_down = _smooth(1.0 - (v - bv) / np.maximum(eye_v - bv, 1.0))
        t_up = _smooth(1.0 - (bv - v) / (0.35 * W))
        side = _smooth(1.0 - (np.abs(u) - 0.42 * W) / (0.1 * W))
        B[7, :, 1] = -0.05 * W * np.where(v > bv, t_down, t_up) * side
        B[7, list(EYE_R_UP + EYE_L_UP + EYE_R_LO + EYE_L_LO), 1] = 0.0

        # back to image axes; anchors: inner ring follows the oval partly, outer ring fixed
        def to_img(d2):
            return d2[..., :1] * ex + d2[..., 1:] * ey

        Cf = np.zeros((self.n_vert, 2))
        Bf = np.zeros((len(EXPR), self.n_vert, 2))
        Cf[:N_MESH] = to_img(C)
        Bf[:, :N_MESH] = to_img(B)
        Cf[r1] = RING1_FOLLOW * Cf[o]
        Bf[:, r1] = RING1_FOLLOW * Bf[:, o]
        self.C = Cf.astype(np.float32)
        self.B = Bf.reshape(len(EXPR), -1).astype(np.float32)
        # Texture source: inner-lip points pulled 2.5% of the mouth width into the lips, so
        # closed lips are drawn from lip pixels only, not from the photo's teeth/shadow edge.
        tex = self.src.copy()
        dlt = (0.025 * Wm * ey).astype(np.float32)
        tex[list(LIP_UP[1:-1])] -= dlt
        tex[list(LIP_LO[1:-1])] += dlt
        self.tex = tex
        self._pidx = np.array([PARAM_INDEX[n] for n in EXPR])
        self._lip_up, self._lip_lo = np.array(LIP_UP[1:-1]), np.array(LIP_LO[1:-1])

    def targets(self, params: np.ndarray) -> np.ndarray:
        """(n_vert, 2) float32 target vertex positions in frame pixels for one parameter row."""
        coef = np.asarray(params, dtype=np.float32)[self._pidx].copy()
        coef[1] -= 1.0  # mouth_width is 1 at rest
        pts = self.src + self.C + (coef @ self.B).reshape(-1, 2)
        # never let the lower inner lip pass above the upper one (would fold the mesh)
        ey = self.ey.astype(np.float32)
        up, lo = pts[self._lip_up], pts[self._lip_lo]
        over = np.minimum((lo - up) @ ey, 0.0)
        if over.any():
            pts[self._lip_lo] -= 0.5 * over[:, None] * ey
            pts[self._lip_up] += 0.5 * over[:, None] * ey
        return self._head(pts, params)

    def _head(self, pts: np.ndarray, params: np.ndarray) -> np.ndarray:
        g = lambda n: float(params[PARAM_INDEX[n]])  # noqa: E731
        yaw, pitch, roll = g("head_yaw"), g("head_pitch"), g("head_roll")
        dx = g("head_dx") * self.face_w
        dy = (g("head_dy") - 0.012 * g("breath")) * self.face_w  # breathing lifts the head
        if not (yaw or pitch or roll or dx or dy):
            return pts
        c = self.center.astype(np.float32)
        q = pts - c
        # small rotations about the vertical / horizontal axes, 2-D with the landmarks' depth:
        # positive yaw moves the nose (z < 0) to the image's left, positive pitch moves it down
        q[:, 0] += yaw * self.z
        q[:, 1] -= pitch * self.z
        cr, sr = np.cos(roll), np.sin(roll)  # positive roll turns clockwise on screen
        q = q @ np.array([[cr, sr], [-sr, cr]], dtype=np.float32)
        moved = q + c + np.array([dx, dy], dtype=np.float32)
        return pts + self.head_w[:, None] * (moved - pts)
