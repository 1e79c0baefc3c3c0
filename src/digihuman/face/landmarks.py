"""Find the face in a photo: MediaPipe FaceMesh landmarks, framing crop and measurements.

All coordinates are photo pixels (x right, y down); z is MediaPipe's depth scaled by the photo
width, so it is in pixels too (negative towards the camera).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading

import numpy as np

# MediaPipe / TFLite log through glog and absl; silence the INFO/WARNING spam before import.
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from ..errors import FaceError  # noqa: E402
from ..types import FaceAnalysis  # noqa: E402

MIN_FACE_WIDTH_PX = 80
"""Faces narrower than this (cheek to cheek, photo pixels) have too little detail to animate."""

CROP_FACE_WIDTHS = 2.8
"""Side of the square talking-head crop, in face widths (head plus some shoulders)."""

CROP_FACE_RAISE = 0.08
"""The face centre sits this fraction of the crop side above the crop centre."""

# Landmark ids (MediaPipe FaceMesh topology).
FACE_LEFT, FACE_RIGHT = 234, 454  # cheek edges at eye height (image left / right)
FACE_TOP, CHIN = 10, 152
MOUTH_CORNERS = (61, 291)
INNER_LIP_MID = (13, 14)  # upper / lower inner lip at the centre
EYE_R = (33, 133, 159, 145)  # person's right eye (image left): corners, upper, lower lid
EYE_L = (263, 362, 386, 374)  # person's left eye (image right)
FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400,
             377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67,
             109)

DETECT_MIN_SCORE = 0.6
"""Confidence above which the full-range detector's face counts towards ``n_faces``."""

_lock = threading.RLock()
_face_mesh = None
_detector = None


@contextlib.contextmanager
def _quiet_native_stderr():
    """Silence MediaPipe's C++ log lines (absl/TFLite write to fd 2 before any log level applies).

    Only the file descriptor is redirected, briefly, around graph creation and inference; Python
    exceptions are unaffected. Set DIGIHUMAN_DEBUG=1 to see the native logs.
    """
    if os.environ.get("DIGIHUMAN_DEBUG"):
        yield
        return
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, ValueError, OSError):  # no real stderr (e.g. captured): nothing to hide
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def _mesh():
    """The FaceMesh graph, created once per process (creating it costs ~0.1 s)."""
    global _face_mesh
    with _lock:
        if _face_mesh is None:
            from mediapipe.python.solutions import face_mesh as mp_face_mesh

            _face_mesh = mp_face_mesh.FaceMesh(
                static_image_mode=True, refine_landmarks=True, max_num_faces=5,
                min_detection_confidence=0.5)
        return _face_mesh


def _count_faces(img: np.ndarray) -> int:
    """Faces seen by MediaPipe's full-range detector. FaceMesh's own short-range detector misses
    smaller faces beside a big one, so this second look is what tells "several faces" apart."""
    global _detector
    with _lock, _quiet_native_stderr():
        if _detector is None:
            from mediapipe.python.solutions import face_detection

            _detector = face_detection.FaceDetection(model_selection=1, min_detection_confidence=DETECT_MIN_SCORE)
        result = _detector.process(img)
    return len(result.detections or [])


def _as_rgb_uint8(image_rgb: np.ndarray) -> np.ndarray:
    img = np.asarray(image_rgb)
    if img.ndim == 2:
        img = np.repeat(img[:, :, None], 3, axis=2)
    if img.ndim != 3 or img.shape[2] not in (3, 4):
        raise FaceError(f"expected an RGB image, got an array of shape {img.shape}",
                        "pass an RGB photo (height x width x 3)")
    img = img[:, :, :3]
    if img.dtype != np.uint8:
        scale = 255.0 if img.dtype.kind == "f" and img.max() <= 1.0 else 1.0
        img = np.clip(img * scale, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(img)


def _all_faces(img: np.ndarray) -> list[np.ndarray]:
    """(478, 3) pixel landmarks for every face found, any order."""
    h, w = img.shape[:2]
    with _lock, _quiet_native_stderr():
        result = _mesh().process(img)
    faces = []
    for face in result.multi_face_landmarks or []:
        pts = np.array([(p.x, p.y, p.z) for p in face.landmark], dtype=np.float32)
        pts *= np.array([w, h, w], dtype=np.float32)
        faces.append(pts)
    return faces


def _faces_in_tiles(img: np.ndarray) -> list[np.ndarray]:
    """Faces traced in overlapping square tiles, in image coordinates, one per face.

    FaceMesh's detector is a short-range one: faces that are small in a wide photo (two people
    side by side) go unseen, and the photo was refused as "could not be traced". Tiles of 1/1,
    2/3 and 1/2 of the short side (half overlapping) make those faces large enough to trace."""
    h, w = img.shape[:2]
    found: list[np.ndarray] = []
    for frac in (1.0, 2 / 3, 1 / 2):
        side = int(min(h, w) * frac)
        if side < 2 * MIN_FACE_WIDTH_PX:
            break
        step = max(1, side // 2)
        for y in sorted({*range(0, h - side + 1, step), h - side}):
            for x in sorted({*range(0, w - side + 1, step), w - side}):
                for pts in _all_faces(np.ascontiguousarray(img[y:y + side, x:x + side])):
                    pts = pts + np.array([x, y, 0], dtype=np.float32)
                    centre, fw = pts[:, :2].mean(axis=0), _face_width(pts)
                    same = [i for i, q in enumerate(found)
                            if np.linalg.norm(q[:, :2].mean(axis=0) - centre) < 0.5 * max(fw, _face_width(q))]
                    if not same:
                        found.append(pts)
                    elif fw > _face_width(found[same[0]]):  # keep the fuller view of a face
                        found[same[0]] = pts
    return found


def _face_width(pts: np.ndarray) -> float:
    return float(np.linalg.norm(pts[FACE_RIGHT, :2] - pts[FACE_LEFT, :2]))


def detect_landmarks(image_rgb: np.ndarray) -> np.ndarray | None:
    """(478, 2) float32 pixel coordinates of the largest face, or None when there is no face."""
    faces = _all_faces(_as_rgb_uint8(image_rgb))
    if not faces:
        return None
    return max(faces, key=_face_width)[:, :2].copy()


def analyze_face(image_rgb: np.ndarray) -> FaceAnalysis:
    """Landmarks, framing crop and measurements of the largest face in ``image_rgb``.

    Raises :class:`FaceError` when there is no face, when it is too small, or cut off.
    """
    img = _as_rgb_uint8(image_rgb)
    h, w = img.shape[:2]
    faces = _all_faces(img) or _faces_in_tiles(img)
    if not faces:
        seen = _count_faces(img)
        if seen > 1:
            raise FaceError(f"{seen} faces were found but none could be traced clearly enough to animate",
                            "use a photo of one person looking at the camera, or crop it to one face")
        if seen:
            raise FaceError("a face was found but its features could not be traced (too small, "
                            "turned away or covered)",
                            "use a photo where the face looks at the camera and fills more of the frame")
        raise FaceError("no face found in the photo",
                        "use a photo where one face looks at the camera")
    pts = max(faces, key=_face_width)
    fw = _face_width(pts)
    if fw < MIN_FACE_WIDTH_PX:
        raise FaceError(
            f"the face is too small to animate: {fw:.0f} px wide, at least "
            f"{MIN_FACE_WIDTH_PX} px needed",
            "use a larger photo or one where the face fills more of the frame")

    oval = pts[list(FACE_OVAL), :2]
    # MediaPipe extrapolates landmarks past the border when the face is cut off.
    tol = 0.02 * fw
    outside = ((oval[:, 0] < -tol) | (oval[:, 0] > w - 1 + tol)
               | (oval[:, 1] < -tol) | (oval[:, 1] > h - 1 + tol))
    if outside.any():
        raise FaceError(
            f"the face is cut off by the edge of the photo ({int(outside.sum())} of "
            f"{len(FACE_OVAL)} outline points are outside)",
            "use a photo that shows the whole face with some space around it")

    # Square talking-head crop: head and some shoulders, face a little above centre.
    cx, cy = oval.mean(axis=0)
    side = int(round(CROP_FACE_WIDTHS * fw))
    x0 = int(round(cx - side / 2))
    y0 = int(round(cy + CROP_FACE_RAISE * side - side / 2))

    return FaceAnalysis(landmarks=pts.astype(np.float32), image_size=(w, h),
                        crop=(x0, y0, side, side), n_faces=max(len(faces), _count_faces(img)),
                        extra=measure(pts))


def measure(pts: np.ndarray) -> dict:
    """Plain-float measurements of a (478, 2+) landmark array, pixels and radians."""
    p = np.asarray(pts, dtype=np.float64)[:, :2]

    def dist(a: int, b: int) -> float:
        return float(np.linalg.norm(p[a] - p[b]))

    eye_r_w, eye_l_w = dist(EYE_R[0], EYE_R[1]), dist(EYE_L[0], EYE_L[1])
    eye_r_open, eye_l_open = dist(EYE_R[2], EYE_R[3]), dist(EYE_L[2], EYE_L[3])
    er, el = p[list(EYE_R[:2])].mean(axis=0), p[list(EYE_L[:2])].mean(axis=0)
    mouth_w = dist(*MOUTH_CORNERS)
    return {
        "face_width_px": dist(FACE_LEFT, FACE_RIGHT),
        "face_height_px": dist(FACE_TOP, CHIN),
        "mouth_width_px": mouth_w,
        "lip_gap_px": dist(*INNER_LIP_MID),
        "lip_gap_ratio": dist(*INNER_LIP_MID) / max(mouth_w, 1e-6),
        "eye_open_r_px": eye_r_open,
        "eye_open_l_px": eye_l_open,
        "eye_open_r_ratio": eye_r_open / max(eye_r_w, 1e-6),
        "eye_open_l_ratio": eye_l_open / max(eye_l_w, 1e-6),
        "roll_rad": math.atan2(el[1] - er[1], el[0] - er[0]),
    }
