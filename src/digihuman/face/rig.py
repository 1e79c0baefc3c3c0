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
from .action_units import ACTION_UNITS, action_unit_bases
from .landmarks import FACE_OVAL

N_MESH = 468
# Inner lips, corner to corner (image left to right); index i of upper pairs with i of lower.
LIP_UP = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308)
LIP_LO = (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308)
OUTER_UP = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291)
OUTER_LO = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291)
# The two rings of lip points between the inner and the outer contour (same columns).
MID_UP = ((62, 183, 42, 41, 38, 12, 268, 271, 272, 407, 292),
          (76, 184, 74, 73, 72, 11, 302, 303, 304, 408, 306))
MID_LO = ((62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292),
          (76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306))
# Eye contours, outer corner to inner corner.
EYE_R_UP = (33, 246, 161, 160, 159, 158, 157, 173, 133)
EYE_R_LO = (33, 7, 163, 144, 145, 153, 154, 155, 133)
EYE_L_UP = (263, 466, 388, 387, 386, 385, 384, 398, 362)
EYE_L_LO = (263, 249, 390, 373, 374, 380, 381, 382, 362)
BROW_R = (46, 53, 52, 65, 55, 70, 63, 105, 66, 107)
BROW_L = (276, 283, 282, 295, 285, 300, 293, 334, 296, 336)

# Expression parameters that move vertices, in the order of the bases B.
EXPR = ("jaw_open", "mouth_width", "lip_round", "lip_tuck", "smile", "blink_l", "blink_r", "brow") + ACTION_UNITS
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


def _lip_columns(p: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per lip column: (ids inner -> outer, fraction of the way from inner to outer)."""
    cols = []
    for rings in ((LIP_UP,) + MID_UP + (OUTER_UP,), (LIP_LO,) + MID_LO + (OUTER_LO,)):
        ids = np.array(rings).T  # (11 columns, 4 rings)
        for col in ids:
            seg = np.linalg.norm(np.diff(p[col], axis=0), axis=1)
            acc = np.concatenate([[0.0], np.cumsum(seg)])
            cols.append((col, acc / max(acc[-1], 1e-6)))
    return cols


def _harmonic(p: np.ndarray, tris: np.ndarray, fields: np.ndarray, fixed: np.ndarray) -> None:
    """Replace ``fields`` (N, k) at the free vertices by the harmonic interpolation of the fixed
    ones over the mesh (edge weights 1/length: a smooth field in image space, in place).
    Sparse (the mesh Laplacian has ~6 entries a row): ~1 ms, where a dense solve took ~40 ms,
    which matters when a rig is built for every frame of a video (``digihuman dub``)."""
    from scipy.sparse import csr_matrix, identity
    from scipy.sparse.linalg import spsolve

    n = len(p)
    e = _edges(tris, n)
    w = 1.0 / np.maximum(np.linalg.norm(p[e[:, 0]] - p[e[:, 1]], axis=1), 1e-3)
    rows = np.concatenate([e[:, 0], e[:, 1], np.arange(n)])
    cols = np.concatenate([e[:, 1], e[:, 0], np.arange(n)])
    deg = np.bincount(e[:, 0], w, n) + np.bincount(e[:, 1], w, n)
    L = csr_matrix((np.concatenate([-w, -w, deg]), (rows, cols)), shape=(n, n))
    fr = np.nonzero(~fixed)[0]
    fx = np.nonzero(fixed)[0]
    Lf = L[fr]
    Lff = (Lf[:, fr] + 1e-9 * identity(len(fr))).tocsc()
    rhs = -(Lf[:, fx] @ fields[fx])
    fields[fr] = spsolve(Lff, rhs).reshape(len(fr), -1)


_EDGES: dict[tuple[int, int], np.ndarray] = {}


def _edges(tris: np.ndarray, n: int) -> np.ndarray:
    """Unique (a, b), a < b, mesh edges between vertices below ``n`` (cached: the topology is fixed)."""
    key = (hash(tris.tobytes()), n)
    if key not in _EDGES:
        e = np.vstack([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]])
        e = e[(e < n).all(axis=1)]
        _EDGES[key] = np.unique(np.sort(e, axis=1), axis=0)
    return _EDGES[key]


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
        # ... and nothing at the face outline (a turned head has its mouth near one side: the
        # outline must not be pulled in over the background)
        ang = np.arctan2(v, u)
        oa = np.argsort(ang[o])
        rad = np.interp(ang, ang[o][oa], np.hypot(u, v)[o][oa], period=2 * np.pi)
        edge = _smooth((0.9 - np.hypot(u, v) / np.maximum(rad, 1.0)) / 0.4)
        wm = np.exp(-(np.maximum(r - 1.0, 0) / 0.7) ** 2) * edge
        B[1, :, 0] = u * wm  # corners move (mouth_width - 1) * half width, pixels
        # lip_round: corners in, lips pushed out (thicker), small rounded opening
        B[2, :, 0] = -0.3 * u * wm
        B[2, :, 1] = 0.12 * v * wm * _smooth((hw - np.abs(u)) / (0.4 * hw) + 0.5)  # no step: folds
        # lip_tuck: upper lip up a little (teeth show), lower lip up and thinner (rolled in)
        near = _smooth(1.0 - (np.abs(u) - hw) / (0.3 * W))
        B[3, :, 1] = -Wm * near * (0.07 * (1 - lower) * np.exp(-(np.maximum(lip_mid - v, 0) / (0.06 * W)) ** 2)
                                   + 0.03 * lower * np.exp(-(np.maximum(v - lip_mid, 0) / (0.1 * W)) ** 2))
        olo = list(OUTER_LO[1:-1])
        B[3, olo, 1] = -0.11 * Wm * np.minimum(1.0, prof[olo] / 0.8) ** 2  # less at the corners
        # smile: corners up and out with a fall-off around each corner, cheeks rise a little
        for c in (61, 291):
            dc = np.hypot(u - u[c], v - v[c])
            g = np.exp(-(dc / (0.22 * W)) ** 2) * edge
            B[4, :, 0] += np.sign(u[c]) * 0.075 * W * g  # smile=1: a broad smile (an expression
            B[4, :, 1] += -0.09 * W * g  # classifier reads it as happy); faint ones scale down
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
        self._action_units(B, u, v, edge)

        # Lip rings between the inner and outer contours move as a blend of the two (no fold
        # inside the lips), then the closing / jaw / tuck fields of the skin around the mouth are
        # the harmonic blend of the lips' motion and of the formula's far motion: the compression
        # needed to close an open mouth spreads over the cheeks and the chin (no wedge, no fold).
        # Closing a wide-open photo mouth must not lift the outer lower lip above the corners
        # (nor push the outer upper lip below them): keep 40% of each outer point's height
        # above / below the corner line (the lip gets thinner instead of folding at a corner).
        # the inner corners go where the lips next to them meet (else a closing mouth leaves
        # them behind: a V-shaped notch / fold at each corner)
        for c, a_, b_ in ((78, 191, 95), (308, 415, 324)):
            C[c] = 0.5 * (C[a_] + C[b_])
            B[[0, 3], c] = 0.5 * (B[[0, 3], a_] + B[[0, 3], b_])
        cu = np.array([u[61], u[291]])
        vl = np.interp(u, cu, [v[61], v[291]])
        cl = np.interp(u, cu, [C[61, 1], C[291, 1]])
        olo, oup = list(OUTER_LO[1:-1]), list(OUTER_UP[1:-1])
        C[olo, 1] = np.maximum(C[olo, 1], cl[olo] - 0.6 * np.maximum(v[olo] - vl[olo], 0))
        C[oup, 1] = np.minimum(C[oup, 1], cl[oup] + 0.6 * np.maximum(vl[oup] - v[oup], 0))
        cols = _lip_columns(p)
        allf = np.concatenate([C[:, None, :], B.transpose(1, 0, 2)], axis=1)  # (N, 1+K, 2)
        for col, a in cols:
            allf[col[1:-1]] = (1 - a[1:-1, None, None]) * allf[col[0]] + a[1:-1, None, None] * allf[col[-1]]
        fixed = np.zeros(N_MESH, bool)
        for col, _ in cols:
            fixed[col] = True
        fixed[o] = np.abs(u[o]) < 0.2 * W  # the chin moves with the jaw; the sides follow
        fixed |= v < lip_v_up - 0.15 * W  # nose and above keep their formula (zero) motion
        fixed |= np.abs(u) > 0.42 * W
        sel = [0, 1, 1 + EXPR.index("lip_tuck")]  # C, jaw_open, lip_tuck
        sub = allf[:, sel].reshape(N_MESH, -1)
        _harmonic(p, mesh_triangles(), sub, fixed)
        allf[:, sel] = sub.reshape(N_MESH, len(sel), 2)
        C, B = allf[:, 0], allf[:, 1:].transpose(1, 0, 2)
        self._lip_cols = cols

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
        # The lip's own rings shift with it (less and less towards the outer contour), so no
        # texture triangle flips on thin lips.
        tex = self.src.copy()
        for col, a in cols:
            if col[0] in (78, 308):
                continue
            d = p[col[-1]] - p[col[0]]
            ln = float(np.linalg.norm(d))
            pull = min(0.025 * Wm, 0.4 * ln) / max(ln, 1e-6)
            tex[col[:-1]] += ((1 - a[:-1, None]) * pull * d).astype(np.float32)
        self.tex = tex
        self._pidx = np.array([PARAM_INDEX[n] for n in EXPR])
        self._lip_up, self._lip_lo = np.array(LIP_UP[1:-1]), np.array(LIP_LO[1:-1])

    def _action_units(self, B: np.ndarray, u: np.ndarray, v: np.ndarray, edge: np.ndarray) -> None:
        """Emotion action units (:mod:`digihuman.face.action_units`) into their rows of ``B``."""
        for name, field in action_unit_bases(u, v, self.face_w, edge).items():
            B[EXPR.index(name)] = field

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
