"""A textured 3-D head from a persona's photo: FaceMesh surface, shell, eyes, mouth, morph targets.

Geometry (metres, glTF axes: x to the person's left = image right, y up, z towards the camera):

* face: the 468 FaceMesh points at rest (lips closed, as the renderer's rig draws them) with
  their depth, the tessellation's triangles minus those across the mouth (it opens) and the eye
  openings (eyeballs sit behind), subdivided once (each triangle -> 4);
* shell: rings from the face outline curving back to a pole behind the head (hair / skin from
  the photo just outside the outline), and a neck tube under the chin;
* eyes: a sphere behind each eye opening, textured from the photo (iris where the photo has it);
* mouth: a dark cavity behind the inner lips and an upper-teeth strip, following the lips.

Morph targets come from the renderer's own deformation model (:class:`~digihuman.face.rig.FaceRig`):
the mouth shapes ``viseme_A`` .. ``viseme_H``, ``viseme_X`` (the cue letters of the TSV), blinks,
the emotions (``emotion_joy`` ...) and the ARKit-52 names where a shape maps (``jawOpen``,
``eyeBlinkLeft``, ``mouthSmileLeft`` ...). Scale: the face is :data:`FACE_WIDTH_M` wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..face.landmarks import FACE_OVAL
from ..face.rig import EYE_L_LO, EYE_L_UP, EYE_R_LO, EYE_R_UP, LIP_LO, LIP_UP, N_MESH, mesh_triangles
from ..types import FACE_PARAMS, NEUTRAL_PARAMS, PARAM_INDEX

FACE_WIDTH_M = 0.15
TEXTURE = 1024
ATLAS_ROWS = 64
"""Rows under the photo in the texture: flat patches for the mouth cavity, teeth and eye white."""
PATCH = {"cavity": (0.16, (70, 25, 28)), "teeth": (0.5, (236, 228, 210)), "sclera": (0.84, (235, 232, 228))}


@dataclass
class HeadMesh:
    positions: np.ndarray  # (N, 3) float32 metres
    uvs: np.ndarray  # (N, 2) float32, glTF convention (0, 0) = top-left of the texture
    triangles: np.ndarray  # (M, 3) uint32, counter-clockwise seen from outside
    texture: np.ndarray  # (H, W, 3) uint8 RGB
    morphs: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (N, 3) float32 deltas
    parts: dict[str, np.ndarray] = field(default_factory=dict)  # name -> vertex ids (face, shell, eyes...)


def _rest_params() -> np.ndarray:
    return np.array([NEUTRAL_PARAMS[n] for n in FACE_PARAMS], dtype=np.float32)


def _params(**kw: float) -> np.ndarray:
    p = _rest_params()
    for k, v in kw.items():
        if k in PARAM_INDEX:
            p[PARAM_INDEX[k]] = v
    return p


def morph_params() -> dict[str, np.ndarray]:
    """Morph target name -> face parameters (rest plus the shape)."""
    from ..animation.mouth import MOUTH_PARAMS, TARGETS
    from ..dialog.types import EMOTIONS, Emotion
    from ..emotion.expression import face_for_emotion

    out = {}
    for shape, vals in TARGETS.items():
        out[f"viseme_{shape.name}"] = _params(**dict(zip(MOUTH_PARAMS, vals)))
    out["blink_left"] = _params(blink_l=1.0)
    out["blink_right"] = _params(blink_r=1.0)
    for emo in EMOTIONS:
        if emo != "neutral":
            out[f"emotion_{emo}"] = _params(**face_for_emotion(Emotion(emo, 1.0)))
    # ARKit-52 names where one of the rig's parameters is that shape
    out["jawOpen"] = _params(jaw_open=0.35)
    out["eyeBlinkLeft"] = out["blink_left"]
    out["eyeBlinkRight"] = out["blink_right"]
    out["mouthPucker"] = _params(lip_round=1.0, mouth_width=0.75)
    out["mouthFunnel"] = _params(lip_round=1.0, mouth_width=0.8, jaw_open=0.12)
    out["mouthRollLower"] = _params(lip_tuck=1.0)
    out["browInnerUp"] = _params(brow=1.0)
    out["mouthSmile"] = _params(smile=1.0)  # split into Left / Right below
    out["mouthStretch"] = _params(mouth_width=1.12)
    return out


SPLIT = {"mouthSmile": ("mouthSmileLeft", "mouthSmileRight"), "mouthStretch": ("mouthStretchLeft", "mouthStretchRight")}


def _face_triangles() -> np.ndarray:
    """The tessellation minus the eye-opening fill (kept by the 2-D rig) and the mouth gap."""
    tris = mesh_triangles()
    keep = []
    for up, lo in ((EYE_R_UP, EYE_R_LO), (EYE_L_UP, EYE_L_LO)):
        keep.append((set(up[1:-1]), set(lo[1:-1]), set(up) | set(lo)))
    out = []
    for t in tris.tolist():
        s = set(t)
        if any(s <= ring and s & u and s & lo for u, lo, ring in keep):
            continue
        out.append(t)
    return np.array(out, dtype=np.int64)


def _subdivide(tris: np.ndarray, fields: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each triangle -> 4 with a new vertex at every edge midpoint (fields averaged)."""
    n = len(fields[0])
    edges: dict[tuple[int, int], int] = {}
    pairs = []

    def mid(a: int, b: int) -> int:
        key = (a, b) if a < b else (b, a)
        if key not in edges:
            edges[key] = n + len(pairs)
            pairs.append(key)
        return edges[key]

    new = []
    for a, b, c in tris.tolist():
        ab, bc, ca = mid(a, b), mid(b, c), mid(c, a)
        new += [(a, ab, ca), (ab, b, bc), (ca, bc, c), (ab, bc, ca)]
    p = np.array(pairs)
    out = [np.concatenate([f, 0.5 * (f[p[:, 0]] + f[p[:, 1]])]) for f in fields]
    return np.array(new, dtype=np.int64), out


def build_head(photo: np.ndarray, analysis) -> HeadMesh:
    """The head of the persona whose ``photo`` and FaceMesh ``analysis`` are given."""
    from ..face.renderer import FaceRenderer

    ren = FaceRenderer(photo, analysis, size=TEXTURE)
    rig = ren.rig
    s = FACE_WIDTH_M / rig.face_w  # metres per texture pixel
    centre = rig.center.astype(np.float64)
    rest2 = rig.targets(_rest_params())[:N_MESH].astype(np.float64)
    z = rig.z[:N_MESH].astype(np.float64)

    def to3(xy: np.ndarray, depth: np.ndarray) -> np.ndarray:
        return np.column_stack([(xy[:, 0] - centre[0]) * s, -(xy[:, 1] - centre[1]) * s, -depth * s])

    names = list(morph_params().items())
    deltas2 = [rig.targets(p)[:N_MESH].astype(np.float64) - rest2 for _, p in names]
    # 3-D deltas: image motion, plus the jaw swinging back a little as it drops
    d3 = [np.column_stack([d[:, 0] * s, -d[:, 1] * s, -0.25 * np.maximum(d[:, 1], 0) * s]) for d in deltas2]
    pos = to3(rest2, z)
    uv = rig.tex[:N_MESH].astype(np.float64) / TEXTURE
    tris, (pos, uv, *d3) = _subdivide(_face_triangles(), [pos, uv, *d3])
    n_face = len(pos)
    verts, uvs, faces = [pos], [uv], [tris]
    dl = [list([d]) for d in d3]
    count = n_face
    parts = {"face": np.arange(n_face)}

    def add(p: np.ndarray, u: np.ndarray, t: np.ndarray, part: str, follow: list[np.ndarray] | None = None) -> None:
        nonlocal count
        verts.append(p)
        uvs.append(u)
        faces.append(t + count)
        for k in range(len(dl)):
            dl[k].append(follow[k] if follow is not None else np.zeros_like(p))
        parts[part] = np.arange(count, count + len(p))
        count += len(p)

    # --- shell: rings from the face outline to a pole behind the head -------------------------
    oval = np.array(FACE_OVAL)
    po, uo = pos[oval], uv[oval]
    c3 = po.mean(axis=0)
    back_z = po[:, 2].min() - 0.95 * FACE_WIDTH_M  # head depth ~1.3 face widths
    uv_c = uo.mean(axis=0)
    rings, ruv = [], []
    K = 7
    for k in range(1, K + 1):
        phi = 0.5 * np.pi * k / (K + 1)
        bulge = np.cos(phi) + 0.35 * np.sin(2 * phi) * 0.5 + 0.12 * np.sin(phi)
        xy = c3[:2] + (po[:, :2] - c3[:2]) * bulge
        zz = po[:, 2] + (back_z - po[:, 2]) * (1 - np.cos(phi)) ** 0.8
        rings.append(np.column_stack([xy, zz]))
        # above the eyes: further out in the photo (hair); below: the outline's own skin
        up = np.clip((po[:, 1] - c3[1]) / (0.3 * FACE_WIDTH_M), 0.0, 1.0)
        ruv.append(uv_c + (uo - uv_c) * (1.0 + np.sin(phi) * (0.35 * up - 0.12 * (1 - up)))[:, None])
    pole = np.array([[c3[0], c3[1], back_z]])
    shell = np.vstack(rings + [pole])
    shell_uv = np.clip(np.vstack(ruv + [uv_c[None] + np.array([[0.0, -0.4]])]), 0.0, 1.0)
    m = len(oval)
    st = []
    ring_ids = [oval - count] + [np.arange(k * m, (k + 1) * m) for k in range(K)]  # oval: face ids (offset below)
    for k in range(K):
        a, b = ring_ids[k], ring_ids[k + 1]
        for i in range(m):
            j = (i + 1) % m
            st += [(a[i], b[i], b[j]), (a[i], b[j], a[j])]
    p_id = K * m
    last = ring_ids[-1]
    st += [(last[i], p_id, last[(i + 1) % m]) for i in range(m)]
    add(shell, shell_uv, np.array(st), "shell")

    # --- neck: a tube under the chin -----------------------------------------------------------
    chin = pos[152]
    r_neck = 0.36 * FACE_WIDTH_M
    ang = np.linspace(0, 2 * np.pi, 17)[:-1]
    nc = np.array([c3[0], chin[1] + 0.25 * FACE_WIDTH_M, chin[2] - 0.45 * FACE_WIDTH_M])
    nrings = [nc + np.column_stack([r_neck * np.cos(ang), np.full_like(ang, -h), 0.9 * r_neck * np.sin(ang)])
              for h in (0.0, 0.45 * FACE_WIDTH_M, 0.9 * FACE_WIDTH_M)]
    neck = np.vstack(nrings)
    neck_uv = np.column_stack([neck[:, 0] / s + centre[0], -neck[:, 1] / s + centre[1]]) / TEXTURE
    nt = []
    for k in range(2):
        for i in range(16):
            j = (i + 1) % 16
            a0, a1, b0, b1 = k * 16 + i, k * 16 + j, (k + 1) * 16 + i, (k + 1) * 16 + j
            nt += [(a0, a1, b1), (a0, b1, b0)]
    add(neck, np.clip(neck_uv, 0, 1), np.array(nt), "neck")

    # --- eyes: spheres behind the openings, textured by front projection -------------------------
    for part, up, lo in (("eye_right", EYE_R_UP, EYE_R_LO), ("eye_left", EYE_L_UP, EYE_L_LO)):
        ids = list(up) + list(lo)
        ctr = rest2[ids].mean(axis=0)
        width = np.linalg.norm(rest2[up[0]] - rest2[up[-1]]) * s
        r = 0.55 * width
        ec = to3(ctr[None], np.array([z[ids].mean()]))[0] - np.array([0, 0, 1.05 * r])
        th, ph = np.meshgrid(np.linspace(0, np.pi, 9), np.linspace(0, 2 * np.pi, 17)[:-1], indexing="ij")
        sp = ec + r * np.column_stack([(np.sin(th) * np.cos(ph)).ravel(), np.cos(th).ravel(), (np.sin(th) * np.sin(ph)).ravel()])
        suv = np.column_stack([sp[:, 0] / s + centre[0], -sp[:, 1] / s + centre[1]]) / TEXTURE
        front = sp[:, 2] > ec[2]
        suv[~front] = [PATCH["sclera"][0], 1.0 + 0.5 * ATLAS_ROWS / TEXTURE]
        et = []
        for i in range(8):
            for j in range(16):
                a0, a1 = i * 16 + j, i * 16 + (j + 1) % 16
                b0, b1 = a0 + 16, a1 + 16
                et += [(a0, a1, b1), (a0, b1, b0)]
        add(sp, suv, np.array(et), part)

    # --- mouth: cavity behind the inner lips, following them; upper teeth under the upper lip ---
    loop = list(LIP_UP) + list(LIP_LO[-2:0:-1])
    lip3 = pos[loop]
    mc = lip3.mean(axis=0)
    depth = 0.22 * FACE_WIDTH_M
    ring = mc + (lip3 - mc) * 0.85 - np.array([0, 0, 0.3 * depth])
    back = (mc - np.array([0, 0.1 * FACE_WIDTH_M * 0.2, depth]))[None]
    cav = np.vstack([ring, back])
    cav_uv = np.tile([PATCH["cavity"][0], 1.0 + 0.5 * ATLAS_ROWS / TEXTURE], (len(cav), 1))
    L = len(loop)
    ct = [(i, L, (i + 1) % L) for i in range(L)]
    follow = []
    for k in range(len(dl)):
        dk = dl[k][0][loop]
        follow.append(np.vstack([dk, dk[len(LIP_UP):].mean(axis=0, keepdims=True) * 0.6]))
    add(cav, cav_uv, np.array(ct), "mouth_cavity", follow)
    up3 = pos[list(LIP_UP)]
    teeth_h = 0.07 * FACE_WIDTH_M
    tt_top = up3 - np.array([0, 0, 0.012])
    tt_bot = tt_top - np.array([0, teeth_h, 0.004])
    teeth = np.vstack([tt_top, tt_bot])
    teeth_uv = np.tile([PATCH["teeth"][0], 1.0 + 0.5 * ATLAS_ROWS / TEXTURE], (len(teeth), 1))
    nu = len(LIP_UP)
    tt = []
    for i in range(nu - 1):
        tt += [(i, i + nu, i + 1 + nu), (i, i + 1 + nu, i + 1)]
    follow = [np.vstack([dl[k][0][list(LIP_UP)]] * 2) for k in range(len(dl))]
    add(teeth, teeth_uv, np.array(tt), "teeth", follow)

    P = np.vstack(verts).astype(np.float32)
    T = np.vstack(faces).astype(np.int64)
    T = _orient(P, T, parts)
    tex = np.zeros((TEXTURE + ATLAS_ROWS, TEXTURE, 3), np.uint8)
    tex[:TEXTURE] = ren.base_frame
    for x, colour in PATCH.values():
        x0 = int((x - 0.15) * TEXTURE)
        tex[TEXTURE:, x0:x0 + int(0.3 * TEXTURE)] = colour
    U = np.vstack(uvs).astype(np.float64)
    U[:, 1] *= TEXTURE / (TEXTURE + ATLAS_ROWS)  # the photo is the top of the taller atlas
    morphs = {}
    for (name, _), parts_d in zip(names, dl):
        morphs[name] = np.vstack(parts_d).astype(np.float32)
    for whole, (left, right) in SPLIT.items():
        d = morphs.pop(whole)
        side = np.clip(P[:, 0] / (0.08 * FACE_WIDTH_M) * 0.5 + 0.5, 0, 1)[:, None]  # +x: person's left
        morphs[left], morphs[right] = d * side, d * (1 - side)
    return HeadMesh(P, U.astype(np.float32), T.astype(np.uint32), tex, morphs, parts)


def _orient(P: np.ndarray, T: np.ndarray, parts: dict[str, np.ndarray]) -> np.ndarray:
    """Counter-clockwise seen from outside: normals away from the head's centre (face, shell),
    from the neck's axis, from each eye's centre; the mouth cavity and the teeth face the camera
    (+z: they are seen through the lips)."""
    a, b, c = P[T[:, 0]], P[T[:, 1]], P[T[:, 2]]
    nrm = np.cross(b - a, c - a)
    mid = (a + b + c) / 3
    away = mid - P[parts["shell"]].mean(axis=0)
    owner = np.full(len(T), "", dtype=object)
    for name, ids in parts.items():
        owner[np.isin(T[:, 0], ids)] = name
    neck = owner == "neck"
    axis = P[parts["neck"]].mean(axis=0)
    away[neck] = mid[neck] - axis
    away[neck, 1] = 0.0
    for eye in ("eye_left", "eye_right"):
        sel = owner == eye
        away[sel] = mid[sel] - P[parts[eye]].mean(axis=0)
    front = (owner == "mouth_cavity") | (owner == "teeth")
    away[front] = [0.0, 0.0, 1.0]
    flip = np.einsum("ij,ij->i", nrm, away) < 0
    T = T.copy()
    T[flip] = T[flip][:, [0, 2, 1]]
    return T
