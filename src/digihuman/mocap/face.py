"""The performer's face on every frame -> the persona's face parameters (``types.FACE_PARAMS``).

FaceMesh runs on a crop around the chosen person's head (from the body landmarks), so with
several people the face follows the same person as the body. Each parameter is measured as a
ratio of the performer's own face (mouth width, eye opening, brow height over the clip's
median), so it transfers to another face: a performer who opens their mouth to 30 % of its
width makes the persona do the same. Head rotation comes from a rigid fit (Kabsch) of the 3D
mesh to the clip's median face, in the renderer's small-angle convention.
"""

from __future__ import annotations

import numpy as np

from ..face.landmarks import EYE_L, EYE_R, INNER_LIP_MID, MOUTH_CORNERS, _quiet_native_stderr
from ..types import FACE_PARAMS, PARAM_INDEX, FaceTrack
from .smooth import fill_gaps, smooth_track

BROWS = (105, 334)  # brow middles (person's right, left)
NOSE_TIP = 1
HEAD_LIMIT = 0.1
"""Radians: the 2D renderer's head turns stay this small (larger motion needs the 3D head)."""


def _eye_open(p: np.ndarray, eye: tuple[int, int, int, int]) -> float:
    a, b, up, low = eye
    return float(np.linalg.norm(p[up] - p[low]) / max(np.linalg.norm(p[a] - p[b]), 1e-6))


def _residual(y: np.ndarray, x: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """``y`` minus its least-squares line on ``x`` (fitted on the seen frames): what x cannot explain."""
    a = np.vstack([x[seen], np.ones(int(seen.sum()))]).T
    coef, *_ = np.linalg.lstsq(a, y[seen], rcond=None)
    return y - (coef[0] * x + coef[1])


class FaceCapture:
    """Collects raw measurements per frame; ``track()`` turns them into a FaceTrack."""

    def __init__(self) -> None:
        from mediapipe.python.solutions import face_mesh

        with _quiet_native_stderr():
            self._mesh = face_mesh.FaceMesh(static_image_mode=False, max_num_faces=1, refine_landmarks=True,
                                            min_detection_confidence=0.5, min_tracking_confidence=0.5)
        self.rows: list[np.ndarray | None] = []
        self.points: list[np.ndarray | None] = []

    def close(self) -> None:
        self._mesh.close()

    def process(self, img: np.ndarray, head_box: tuple[int, int, int, int] | None) -> bool:
        """Measure one frame; ``head_box`` (x, y, w, h) limits the search to that person's head."""
        import cv2

        H, W = img.shape[:2]
        x0, y0, w, h = head_box or (0, 0, W, H)
        x0, y0 = max(0, x0), max(0, y0)
        crop = img[y0:min(H, y0 + h), x0:min(W, x0 + w)]
        res = None
        if crop.size:
            with _quiet_native_stderr():
                res = self._mesh.process(cv2.cvtColor(crop, cv2.COLOR_BGR2RGB)).multi_face_landmarks
        if not res:
            self.rows.append(None)
            self.points.append(None)
            return False
        ch, cw = crop.shape[:2]
        p = np.array([[x0 + q.x * cw, y0 + q.y * ch, q.z * cw] for q in res[0].landmark], dtype=np.float64)
        width = np.linalg.norm(p[MOUTH_CORNERS[0], :2] - p[MOUTH_CORNERS[1], :2])
        corners_up = p[INNER_LIP_MID[0], 1] - 0.5 * (p[MOUTH_CORNERS[0], 1] + p[MOUTH_CORNERS[1], 1])
        eye_dist = np.linalg.norm(p[EYE_R[0], :2] - p[EYE_L[0], :2])
        # brows against the eye corners (not the lids, which move with every blink)
        brow = np.mean([np.linalg.norm(p[BROWS[0], :2] - 0.5 * (p[EYE_R[0], :2] + p[EYE_R[1], :2])),
                        np.linalg.norm(p[BROWS[1], :2] - 0.5 * (p[EYE_L[0], :2] + p[EYE_L[1], :2]))])
        gap = max(0.0, p[INNER_LIP_MID[1], 1] - p[INNER_LIP_MID[0], 1])
        self.rows.append(np.array([gap, width, corners_up, _eye_open(p, EYE_L), _eye_open(p, EYE_R),
                                   brow / eye_dist, width / eye_dist], dtype=np.float64))
        self.points.append((p - p.mean(axis=0)) / eye_dist)
        return True

    def track(self, times: np.ndarray, out_times: np.ndarray, fps: float) -> FaceTrack:
        return face_track(self.rows, self.points, times, out_times, fps)


def face_track(rows: list, points: list, times: np.ndarray, out_times: np.ndarray, fps: float) -> FaceTrack:
    """The FaceTrack at ``out_times`` (s) from :class:`FaceCapture`'s per-frame ``rows`` and
    ``points`` (frames without a face hold the nearest one)."""
    seen = np.array([r is not None for r in rows])
    n = len(rows)
    if not seen.any():
        return FaceTrack.neutral(len(out_times), fps)
    raw = np.array([r if r is not None else np.full(7, np.nan) for r in rows])
    raw = smooth_track(fill_gaps(np.nan_to_num(raw), seen, times), times, min_cutoff=2.0, beta=0.3)
    gap, width, corners, eye_l, eye_r, brow, rel_width = raw.T
    med_w = float(np.median(width[seen]))
    open_l = float(np.percentile(eye_l[seen], 90))
    open_r = float(np.percentile(eye_r[seen], 90))
    vals = np.zeros((n, len(FACE_PARAMS)))
    vals[:, PARAM_INDEX["jaw_open"]] = np.clip(gap / med_w, 0, 0.6)
    vals[:, PARAM_INDEX["mouth_width"]] = np.clip(width / med_w, 0.6, 1.4)
    vals[:, PARAM_INDEX["lip_round"]] = np.clip((np.median(rel_width[seen]) - rel_width) / (0.25 * np.median(rel_width[seen])), 0, 1)
    # what speaking does to the corners and brows is not an expression: regress it out
    corners = _residual(corners, gap / med_w, seen)
    brow = _residual(brow, 0.5 * (eye_l + eye_r), seen)
    vals[:, PARAM_INDEX["smile"]] = np.clip(corners / (0.15 * med_w), -1, 1)
    vals[:, PARAM_INDEX["blink_l"]] = np.clip(1 - eye_l / max(open_l, 1e-6), 0, 1) ** 0.7
    vals[:, PARAM_INDEX["blink_r"]] = np.clip(1 - eye_r / max(open_r, 1e-6), 0, 1) ** 0.7
    vals[:, PARAM_INDEX["brow"]] = np.clip(brow / (0.15 * np.median(raw[seen, 5])), -1, 1)
    yaw, pitch, roll, dx, dy = _head(points, seen, times)
    for name, v in (("head_yaw", yaw), ("head_pitch", pitch), ("head_roll", roll)):
        vals[:, PARAM_INDEX[name]] = np.clip(v, -HEAD_LIMIT, HEAD_LIMIT)
    vals[:, PARAM_INDEX["head_dx"]] = np.clip(dx, -0.3, 0.3)
    vals[:, PARAM_INDEX["head_dy"]] = np.clip(dy, -0.3, 0.3)
    out = np.stack([np.interp(out_times, times, vals[:, k]) for k in range(vals.shape[1])], axis=1)
    return FaceTrack(out.astype(np.float32), fps)


def _head(points: list, seen: np.ndarray, times: np.ndarray):
    """Yaw, pitch, roll (rad) and translation (face widths) against the clip's median face."""
    pts = [p for p in points if p is not None]
    ref = np.median(np.stack(pts), axis=0)
    n = len(points)
    angles = np.zeros((n, 3))
    for i, p in enumerate(points):
        if p is None:
            continue
        u, _, vt = np.linalg.svd(p.T @ ref)  # Kabsch: rotation taking the median face to this one
        d = np.sign(np.linalg.det(u @ vt))
        r = u @ np.diag([1, 1, d]) @ vt
        # image axes (x right, y down, z away): yaw about y, pitch about x, roll about z
        angles[i] = (np.arcsin(np.clip(-r[2, 0], -1, 1)), np.arctan2(r[2, 1], r[2, 2]), np.arctan2(r[1, 0], r[0, 0]))
    angles = smooth_track(fill_gaps(angles, seen, times), times, min_cutoff=1.5, beta=0.5)
    # positive yaw turns to the image's left in the renderer's convention
    return angles[:, 0], angles[:, 1], angles[:, 2], np.zeros(n), np.zeros(n)
