"""How a made face compares with its sources: identity distance (dlib's 128-d face descriptor,
``face-recognition-models``) and sharpness (variance of the Laplacian over the face)."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from ..errors import BackendUnavailable
from ..face.landmarks import FACE_OVAL

NEW_PERSON = 0.4
"""Descriptor distance from every source at or above which the face counts as a new person
(dlib's convention: < 0.6 is usually the same person)."""


@lru_cache(maxsize=1)
def _models():
    try:
        import dlib
        import face_recognition_models as frm
    except ImportError as exc:  # pragma: no cover - both are pinned dependencies
        raise BackendUnavailable("the face identity check needs dlib-bin and face-recognition-models",
                                 "pip install dlib-bin face-recognition-models") from exc
    return (dlib.get_frontal_face_detector(), dlib.shape_predictor(frm.pose_predictor_model_location()),
            dlib.face_recognition_model_v1(frm.face_recognition_model_location()))


def descriptor(rgb: np.ndarray) -> np.ndarray | None:
    """128-d descriptor of the largest face (None if dlib finds no face)."""
    det, sp, rec = _models()
    img = np.ascontiguousarray(rgb[:, :, :3], dtype=np.uint8)
    rects = det(img, 1)
    if not rects:
        return None
    r = max(rects, key=lambda r: r.area())
    return np.array(rec.compute_face_descriptor(img, sp(img, r), 1))


def identity_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance of two descriptors (nan when either is missing)."""
    if a is None or b is None:
        return float("nan")
    return float(np.linalg.norm(a - b))


def face_width(landmarks: np.ndarray) -> float:
    pts = np.asarray(landmarks)
    return float(np.linalg.norm(pts[454, :2] - pts[234, :2]))


def face_sharpness(rgb: np.ndarray, landmarks: np.ndarray, width: float | None = None) -> float:
    """Variance of the Laplacian inside the face outline, the face scaled to ``width`` px across
    (so faces of different sizes compare: give the smallest face's width; None = as it is)."""
    pts = np.asarray(landmarks)[:, :2]
    fw = face_width(pts)
    k = 1.0 if width is None else width / max(fw, 1.0)
    gray = cv2.cvtColor(np.ascontiguousarray(rgb[:, :, :3]), cv2.COLOR_RGB2GRAY)
    gray = cv2.resize(gray, None, fx=k, fy=k, interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC)
    mask = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(mask, cv2.convexHull(np.round(pts[list(FACE_OVAL)] * k).astype(np.int32)), 1)
    mask = cv2.erode(mask, np.ones((5, 5), np.uint8), iterations=2)
    lap = cv2.Laplacian(gray.astype(np.float64), cv2.CV_64F)
    return float(lap[mask > 0].var())
