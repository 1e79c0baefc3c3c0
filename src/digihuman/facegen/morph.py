"""A new face from two or more photos: landmark-aligned morphing with texture blending.

Steps (pixels of the base photo, the first source unless told otherwise):

1. FaceMesh (478 points) on every source; sources turned too differently are refused.
2. Each source is brought into the base frame by a similarity transform fitted on stable points.
3. The target shape mixes the aligned landmarks: each feature region (eyes with brows, nose,
   mouth) takes its internal shape from its own weights and its place (centroid) from the face
   shape weights, so ``--features eyes=b`` gives b's eyes where the mixed face puts them.
4. Every source is warped onto the target shape (Delaunay piecewise affine); the base is warped
   as a whole, with fixed anchors outside the face so hair, background and neck stay its own.
5. Textures mix per pixel with the region weights (smoothly interpolated over the mesh). Coarse
   colour comes from the weighted mean; fine detail from a soft arg-max of the weights, so detail
   never averages into a blur or a double image (ghosting).
6. Skin tone and lighting: the very low frequencies of the face are the base's (its lighting
   and the colour of its neck and ears), so the new face sits in the base photo seamlessly.
7. The face goes onto the warped base inside the face outline, feathered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ..errors import InputError
from ..face.landmarks import FACE_OVAL
from .warp import barycentric_field, delaunay, triangle_ids, warp

REGIONS = ("eyes", "nose", "mouth", "shape")
STABLE = (33, 133, 362, 263, 1, 168, 6, 152, 61, 291, 234, 454, 10)
"""Landmarks used to align the sources (eye corners, nose, chin, mouth corners, cheeks, brow)."""
MAX_YAW_DIFF = 30.0
"""Degrees: sources turned further apart than this cannot be morphed without distortion..."""
NOTE_YAW_DIFF = 15.0
"""... and beyond this the user is told the result may look a little lopsided."""
MAX_YAW = 30.0
MAX_SIDE = 1024
"""Pixels: the base photo is worked on at most this size."""
DETAIL_POWER = 6.0
"""Fine detail weights are the region weights to this power, normalised (a soft arg-max)."""


@dataclass(frozen=True)
class Source:
    name: str
    image: np.ndarray  # RGB uint8
    landmarks: np.ndarray  # (478, 3) pixels (x, y, depth)


@dataclass(frozen=True)
class FaceBlend:
    image: np.ndarray
    """RGB uint8, the base photo's framing."""
    landmarks: np.ndarray
    """(478, 2) target shape in ``image`` pixels."""
    weights: dict[str, tuple[float, ...]]
    """Per region, the weight of each source (sums to 1)."""
    notes: tuple[str, ...] = field(default=())


def _ids(conns) -> np.ndarray:
    return np.array(sorted({i for e in conns for i in e}))


def region_masks(pts: np.ndarray) -> dict[str, np.ndarray]:
    """Boolean (478,) membership of each feature region (points inside the grown hull of the
    feature's contours); 'shape' is everything else."""
    import mediapipe.python.solutions.face_mesh_connections as c

    fw = float(np.linalg.norm(pts[454, :2] - pts[234, :2]))
    feats = {
        "eyes": [c.FACEMESH_LEFT_EYE | c.FACEMESH_LEFT_EYEBROW | c.FACEMESH_LEFT_IRIS,
                 c.FACEMESH_RIGHT_EYE | c.FACEMESH_RIGHT_EYEBROW | c.FACEMESH_RIGHT_IRIS],
        "nose": [c.FACEMESH_NOSE],
        "mouth": [c.FACEMESH_LIPS],
    }
    grow = {"eyes": 0.04, "nose": 0.03, "mouth": 0.06}
    out = {}
    taken = np.zeros(len(pts), bool)
    for name, parts in feats.items():
        m = np.zeros(len(pts), bool)
        for conns in parts:
            ids = _ids(conns)
            hull = cv2.convexHull(pts[ids, :2].astype(np.float32))
            d = np.array([cv2.pointPolygonTest(hull, (float(x), float(y)), True) for x, y in pts[:, :2]])
            m |= d >= -grow[name] * fw
        m &= ~taken
        taken |= m
        out[name] = m
    out["shape"] = ~taken
    return out


def yaw_degrees(pts: np.ndarray) -> float:
    """Head yaw from the cheek points' depth (positive: the face turns to the image's left)."""
    d = pts[454] - pts[234]
    return float(np.degrees(np.arctan2(d[2], d[0])))


def _similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    m, _ = cv2.estimateAffinePartial2D(src.astype(np.float32), dst.astype(np.float32), method=cv2.LMEDS)
    if m is None:
        raise InputError("the faces could not be aligned", "use photos of faces looking at the camera")
    return m


def _anchors(pts: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Fixed points: a ring at 1.7x the face outline from its centre, plus the frame's border."""
    w, h = size
    oval = pts[list(FACE_OVAL), :2]
    c = oval.mean(axis=0)
    ring = c + 1.7 * (oval - c)
    xs, ys = np.linspace(0, w - 1, 6), np.linspace(0, h - 1, 6)
    border = np.array([(x, y) for x in xs for y in (0, h - 1)] + [(x, y) for y in ys[1:-1] for x in (0, w - 1)])
    ring = ring[(ring[:, 0] > 2) & (ring[:, 0] < w - 3) & (ring[:, 1] > 2) & (ring[:, 1] < h - 3)]
    return np.vstack([ring, border])


def target_shape(aligned: list[np.ndarray], weights: dict[str, np.ndarray], masks: dict[str, np.ndarray]) -> np.ndarray:
    """(478, 2): the shape weights place everything; each feature region takes its own shape
    from its own weights around that place."""
    P = np.stack([a[:, :2] for a in aligned])  # (S, 478, 2)
    out = np.tensordot(weights["shape"], P, axes=1)
    for name in ("eyes", "nose", "mouth"):
        m = masks[name]
        if not m.any():
            continue
        cent = P[:, m].mean(axis=1)  # (S, 2) each source's region centre
        place = weights["shape"] @ cent
        local = np.tensordot(weights[name], P[:, m] - cent[:, None], axes=1)
        out[m] = place + local
    return out


def blend_faces(sources: list[Source], weights: dict[str, np.ndarray], base: int = 0) -> FaceBlend:
    """Morph ``sources`` (at least two) with per-region ``weights`` (each (S,) summing to 1)."""
    notes: list[str] = []
    yaws = [yaw_degrees(s.landmarks) for s in sources]
    for s, y in zip(sources, yaws):
        if abs(y) > MAX_YAW:
            raise InputError(f"the face in {s.name} is turned {abs(y):.0f} degrees away from the camera",
                             f"use photos where the face looks at the camera (within {MAX_YAW:.0f} degrees)")
    if max(yaws) - min(yaws) > MAX_YAW_DIFF:
        a, b = int(np.argmin(yaws)), int(np.argmax(yaws))
        raise InputError(f"{sources[a].name} and {sources[b].name} face different directions "
                         f"({max(yaws) - min(yaws):.0f} degrees apart)",
                         f"use photos whose heads are turned alike (within {MAX_YAW_DIFF:.0f} degrees)")
    if max(yaws) - min(yaws) > NOTE_YAW_DIFF:
        notes.append(f"the sources face directions {max(yaws) - min(yaws):.0f} degrees apart: the new face may look "
                     "a little lopsided; photos facing the camera alike blend best")
    b = sources[base]
    img = b.image
    scale = min(1.0, MAX_SIDE / max(img.shape[:2]))
    if scale < 1.0:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = img.shape[:2]
    bpts = b.landmarks[:, :2] * scale
    fw_base = float(np.linalg.norm(bpts[454] - bpts[234]))
    aligned_pts, inverse = [], []
    for s in sources:
        m = _similarity(s.landmarks[list(STABLE), :2], bpts[list(STABLE)])
        k = float(np.sqrt(abs(np.linalg.det(m[:, :2]))))
        if k > 2.5:
            notes.append(f"the face in {s.name} is {k:.1f}x smaller than the base's: its detail is upscaled")
        aligned_pts.append(s.landmarks[:, :2] @ m[:, :2].T + m[:, 2])
        inverse.append((cv2.invertAffineTransform(m), k))
    masks = region_masks(b.landmarks * np.array([scale, scale, scale]))
    tgt = target_shape(aligned_pts, weights, masks)
    anchors = _anchors(bpts, (w, h))

    # the base as a whole (face moved to the target, anchors fixed) and each source's face, each
    # sampled once from its own photo (the similarity folded into the mesh: no double resampling)
    full_dst = np.vstack([tgt, anchors])
    tris = delaunay(full_dst)
    ids = triangle_ids(full_dst, tris, (w, h))
    warped = []
    for k, s in enumerate(sources):
        if k == base:
            src_img, src_pts = img, np.vstack([bpts, anchors])
        else:
            inv, zoom = inverse[k]
            src_img, src_pts = s.image, np.vstack([s.landmarks[:, :2], anchors @ inv[:, :2].T + inv[:, 2]])
            if zoom < 0.9:  # a larger face: shrink it properly first (a remap would alias)
                src_img = cv2.resize(src_img, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_AREA)
                src_pts = src_pts * zoom
        warped.append(np.clip(warp(src_img, src_pts, full_dst, (w, h), tris, ids, cv2.INTER_LANCZOS4)
                              .astype(np.float32), 0, 255))
    base_w = warped[base]

    # per-pixel weights: per-vertex region weights, interpolated over the mesh and smoothed
    S = len(sources)
    vw = np.zeros((len(full_dst), S))
    for name in REGIONS:
        vw[: len(tgt)][masks[name]] = weights[name]
    vw[len(tgt):] = weights["shape"]
    pix = barycentric_field(vw, full_dst, tris, ids)
    sig = 0.03 * fw_base
    pix = np.stack([cv2.GaussianBlur(pix[..., k].astype(np.float32), (0, 0), sig) for k in range(S)], axis=-1)
    pix = np.clip(pix, 0, None)
    pix /= np.maximum(pix.sum(axis=-1, keepdims=True), 1e-6)
    # coarse colour: weighted mean; fine detail: soft arg-max of the weights, ties going to the
    # source with the most detail in the base's frame (detail averaged from two photos cancels
    # out into a blur, and never lines up exactly: a double image)
    fine_sigma = max(1.0, 0.012 * fw_base)
    lows = [cv2.GaussianBlur(im, (0, 0), fine_sigma) for im in warped]
    highs = [im - lo for im, lo in zip(warped, lows)]
    face_m = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(face_m, cv2.convexHull(np.round(tgt[list(FACE_OVAL)]).astype(np.int32)), 1)
    energy = np.array([float(np.mean(hi[face_m > 0] ** 2)) for hi in highs])
    gain = np.sqrt(energy / max(energy.max(), 1e-9))
    detail_w = (pix * gain) ** DETAIL_POWER
    detail_w /= np.maximum(detail_w.sum(axis=-1, keepdims=True), 1e-12)
    coarse = sum(pix[..., k:k + 1] * lows[k] for k in range(S))
    detail = sum(detail_w[..., k:k + 1] * highs[k] for k in range(S))
    face = coarse + detail
    # lighting and skin tone of the base: its lowest frequencies, in Lab
    light_sigma = 0.15 * fw_base
    lab_f = cv2.cvtColor(np.clip(face, 0, 255).astype(np.uint8), cv2.COLOR_RGB2LAB).astype(np.float32)
    lab_b = cv2.cvtColor(base_w.astype(np.uint8), cv2.COLOR_RGB2LAB).astype(np.float32)
    oval = np.round(tgt[list(FACE_OVAL)]).astype(np.int32)
    mask = np.zeros((h, w), np.float32)
    cv2.fillConvexPoly(mask, cv2.convexHull(oval), 1.0)
    inner = cv2.erode(mask, np.ones((3, 3), np.uint8), iterations=max(1, int(0.05 * fw_base)))
    # low-pass restricted to the face (normalised convolution): hair and background do not leak in
    norm = cv2.GaussianBlur(inner, (0, 0), light_sigma) + 1e-6
    low_f = cv2.GaussianBlur(lab_f * inner[..., None], (0, 0), light_sigma) / norm[..., None]
    low_b = cv2.GaussianBlur(lab_b * inner[..., None], (0, 0), light_sigma) / norm[..., None]
    lab_f += low_b - low_f
    face = cv2.cvtColor(np.clip(lab_f, 0, 255).astype(np.uint8), cv2.COLOR_LAB2RGB).astype(np.float32)
    alpha = cv2.GaussianBlur(inner, (0, 0), 0.025 * fw_base)[..., None]
    out = np.clip(base_w * (1 - alpha) + face * alpha + 0.5, 0, 255).astype(np.uint8)
    return FaceBlend(out, tgt.astype(np.float32), {k: tuple(float(x) for x in v) for k, v in weights.items()},
                     tuple(notes))
