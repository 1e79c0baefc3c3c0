"""New lips on the original frames: the mouth and jaw re-rendered on the tracked face.

Each frame with a face gets its own :class:`~digihuman.face.renderer.FaceRenderer`, built from
that frame's (smoothed) landmarks on a square crop at the frame's own resolution (scale 1, so
nothing outside the mouth is resampled). The rig's constant part closes the lips exactly from
whatever the frame shows (an open mouth closes over its interior: the lips' texture is pulled in
from the lips themselves), and ``jaw_open`` then opens it to the new phoneme's gap with the
synthesised interior (cavity, tongue, teeth). Head motion, blinks and brows stay at zero: the
frame already has the actor's own. The rig's outer anchor ring never moves, so the warp is the
identity at the crop's edge and pasting the crop back leaves no seam.
"""

from __future__ import annotations

import numpy as np

from ..types import FACE_PARAMS, NEUTRAL_PARAMS, PARAM_INDEX, FaceAnalysis

CROP_FACE_WIDTHS = 2.6
"""Side of the square crop, in face widths: holds the rig's outer anchor ring (1.6-1.8 x the
face outline's radius) for a frontal face."""
MOUTH_PARAMS = ("jaw_open", "mouth_width", "lip_round", "lip_tuck", "tongue")
"""The track's columns that are applied; everything else stays neutral (the video has its own)."""


def mouth_rows(track_values: np.ndarray) -> np.ndarray:
    """Neutral parameter rows carrying only the mouth columns of ``track_values``."""
    rows = np.tile(np.array([NEUTRAL_PARAMS[n] for n in FACE_PARAMS], np.float32), (len(track_values), 1))
    for name in MOUTH_PARAMS:
        rows[:, PARAM_INDEX[name]] = track_values[:, PARAM_INDEX[name]]
    return rows


def crop_box(landmarks: np.ndarray) -> tuple[int, int, int]:
    """(x0, y0, side) of the square crop around the face, frame pixels (may pass the edges)."""
    p = landmarks[:, :2]
    fw = float(np.linalg.norm(p[454] - p[234]))
    fh = float(np.linalg.norm(p[10] - p[152]))
    side = int(round(CROP_FACE_WIDTHS * max(fw, 0.8 * fh)))
    side += side % 2
    cx, cy = p[[234, 454, 10, 152]].mean(axis=0)
    return int(round(cx - side / 2)), int(round(cy - side / 2)), side


_EDGE_TRIS: dict[tuple, list[int]] = {}


def _renderer(frame: np.ndarray, analysis: FaceAnalysis, side: int):
    """A FaceRenderer for one frame; the lip-edge triangle lookup (topology only, the same on
    every frame) is computed once instead of per frame."""
    from ..face.renderer import FaceRenderer

    class _Renderer(FaceRenderer):
        def _edge_tris(self, chain):
            key = (chain, self._n_tri)
            if key not in _EDGE_TRIS:
                _EDGE_TRIS[key] = FaceRenderer._edge_tris(self, chain)
            return _EDGE_TRIS[key]

    return _Renderer(frame, analysis, size=side)


def _frame_renderer(frame: np.ndarray, landmarks: np.ndarray):
    h, w = frame.shape[:2]
    x0, y0, side = crop_box(landmarks)
    analysis = FaceAnalysis(landmarks=np.asarray(landmarks, np.float32), image_size=(w, h), crop=(x0, y0, side, side))
    return _renderer(frame, analysis, side), x0, y0


def shot_teeth(frame: np.ndarray, landmarks: np.ndarray) -> tuple:
    """The upper-teeth strip of this frame's face (photo teeth when the frame shows them, else
    synthetic), to be drawn on every frame of its shot: each frame deciding on its own would
    flicker between the actor's teeth and synthetic ones as the original mouth opens and closes."""
    m = _frame_renderer(frame, landmarks)[0].mouth
    return m.strip, m.strip_half, m.teeth_rows


def redraw_mouth(frame: np.ndarray, landmarks: np.ndarray, params: np.ndarray,
                 teeth: tuple | None = None) -> tuple[np.ndarray, tuple]:
    """``frame`` (RGB uint8, not modified) with the mouth re-rendered to ``params`` (with
    ``teeth`` from :func:`shot_teeth` when given); also the changed region (x0, y0, x1, y1)."""
    h, w = frame.shape[:2]
    renderer, x0, y0 = _frame_renderer(frame, landmarks)
    if teeth is not None:
        renderer.mouth.strip, renderer.mouth.strip_half, renderer.mouth.teeth_rows = teeth
    crop = renderer.render(params)
    # paste back only the renderer's region of interest (outside it the crop is the frame itself)
    rx, ry, rw, rh = renderer.roi
    fx0, fy0 = max(x0 + rx, 0), max(y0 + ry, 0)
    fx1, fy1 = min(x0 + rx + rw, w), min(y0 + ry + rh, h)
    out = frame.copy()
    if fx1 > fx0 and fy1 > fy0:
        out[fy0:fy1, fx0:fx1] = crop[fy0 - y0:fy1 - y0, fx0 - x0:fx1 - x0]
    return out, (fx0, fy0, fx1, fy1)


RENDER_THREADS = 2
"""Frames re-rendered at once: OpenCV and the larger numpy operations release the GIL, so two
threads keep both cores busy while the encoder thread waits for frames."""
LOOKAHEAD = 4  # frames submitted ahead of the one being encoded (memory stays flat)


def dubbed_frames(frames, landmarks: np.ndarray, valid: np.ndarray, rows: np.ndarray, cuts=()):
    """Frames with the mouth redrawn where a face was tracked; the others passed through. In
    order, rendered :data:`RENDER_THREADS` at a time; one teeth strip per shot (``cuts``: the
    frames that start a shot)."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    last = len(rows) - 1
    starts = set(cuts)

    def one(i: int, frame: np.ndarray, teeth) -> np.ndarray:
        if i < len(valid) and valid[i]:
            return redraw_mouth(frame, landmarks[i], rows[min(i, last)], teeth)[0]
        return frame

    teeth = None
    with ThreadPoolExecutor(RENDER_THREADS, thread_name_prefix="digihuman-dub-render") as pool:
        pending: deque = deque()
        for i, frame in enumerate(frames):
            if i in starts:
                teeth = None
            if teeth is None and i < len(valid) and valid[i]:
                teeth = shot_teeth(frame, landmarks[i])
            pending.append(pool.submit(one, i, frame, teeth))
            if len(pending) > LOOKAHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


JAW_REGION_SCALE = 1.45
"""The mouth/jaw region the dub may change: the face outline below the nose tip, scaled this much
about the outline's centre (the rig's moving anchor ring under the chin reaches ~1.42)."""


def jaw_region(landmarks: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """bool (h, w) mask of the mouth/jaw region of the face with these (478, 2+) landmarks:
    everything outside it is left as the frame shows it (measured by tests and benchmarks)."""
    import cv2

    from ..face.landmarks import FACE_OVAL

    p = np.asarray(landmarks, np.float64)[:, :2]
    oval = p[list(FACE_OVAL)]
    c = oval.mean(axis=0)
    ex = p[454] - p[234]
    ex /= max(np.linalg.norm(ex), 1e-6)
    ey = np.array([-ex[1], ex[0]])
    tip = p[1]  # the nose tip: the region is the face below it
    low = oval[(oval - tip) @ ey > 0]
    half = 0.6 * np.linalg.norm(p[454] - p[234])
    pts = np.vstack([c + (low - c) * JAW_REGION_SCALE, tip + ex * half, tip - ex * half])
    mask = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(mask, cv2.convexHull(np.round(pts).astype(np.int32)), 1)
    return mask.astype(bool)
