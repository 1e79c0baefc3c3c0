"""Analyse the input video once, streaming: its facts, the face on every frame, the shot cuts.

Frames are decoded one at a time and never kept: the per-frame landmarks go to a memory-mapped
file in a private temporary folder (478 x 3 float32 = 5.7 kB per frame, 86 MB for 10 minutes on
disk, not in memory), so memory stays flat however long the video is. Landmarks are smoothed
over time within each shot (a zero-phase Gaussian, never across a cut or a frame without a face)
so the re-rendered mouth does not shimmer with FaceMesh's frame-to-frame jitter.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError

ANALYSIS_MAX_PX = 1280
"""Frames larger than this (longest side, pixels) are analysed downscaled (4K: by 3), rendered full size."""
MIN_FACE_PX = 60
"""Faces narrower than this (cheek to cheek, analysed pixels) count as no face on that frame."""
CUT_DIFF = 28.0
"""Mean absolute difference (luma levels) between 64x36 thumbnails of consecutive frames above
which a shot cut is assumed (talking-head motion stays under ~8; a cut to another shot is > 40)."""
SMOOTH_SIGMA = 1.0
"""Frames: standard deviation of the temporal Gaussian applied to the landmarks within a shot."""
N_POINTS = 478


@dataclass(frozen=True)
class VideoInfo:
    """What the input video is (constant frame rate assumed: its average rate)."""

    path: Path
    width: int
    height: int
    fps: float
    n_frames: int
    """Frames decoded (the output has exactly as many)."""
    has_audio: bool
    rotation: int = 0
    """Degrees of the display rotation the container asks for (phone videos); frames are kept as stored."""

    @property
    def duration(self) -> float:
        return self.n_frames / self.fps


@dataclass(frozen=True)
class FaceFrames:
    """The tracked face: ``landmarks[i]`` (478, 3) frame pixels where ``valid[i]``."""

    landmarks: np.ndarray
    """float32 (n_frames, 478, 3), a read-only memory map (z in pixels, negative towards the camera)."""
    valid: np.ndarray
    """bool (n_frames,): a face was tracked on that frame (else it is passed through untouched)."""
    cuts: tuple[int, ...]
    """Frame indices that start a new shot (0 excluded)."""
    n_faces: int
    """Most faces seen on one frame."""


def probe_video(path: str | os.PathLike) -> VideoInfo:
    """Open ``path`` and read its facts; InputError when it is not a video digihuman can read."""
    import av

    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError(f"video {str(p)!r} does not exist", "check the path")
    try:
        c = av.open(str(p))
    except av.error.FFmpegError as exc:
        raise InputError(f"{str(p)!r} is not a video digihuman can read ({exc})",
                         "use an MP4, MOV, MKV or WebM file") from exc
    with c:
        if not c.streams.video:
            raise InputError(f"{str(p)!r} has no video stream", "give a video file, not an audio file")
        v = c.streams.video[0]
        fps = float(v.average_rate) if v.average_rate else 0.0
        if not 5.0 <= fps <= 120.0:
            raise InputError(f"video {str(p)!r} has an unusable frame rate ({fps:g} fps)",
                             "re-encode it at a constant rate, e.g. ffmpeg -i in.mp4 -r 25 out.mp4")
        n = int(v.frames)
        if not n:  # WebM/MKV headers often carry no frame count: estimate it from the duration
            dur = float(v.duration * v.time_base) if v.duration else (c.duration or 0) / 1e6
            n = int(round(dur * fps))
        from ..video.reader import display_rotation

        rot = display_rotation(c)  # the display matrix (phone videos), not the old "rotate" tag
        w, h = v.codec_context.width, v.codec_context.height
        if w % 2 or h % 2:
            raise InputError(f"video {str(p)!r} is {w}x{h}: H.264 output needs even sides",
                             "crop or scale it to even sides first (ffmpeg -vf crop=trunc(iw/2)*2:trunc(ih/2)*2)")
        return VideoInfo(p, w, h, fps, n, bool(c.streams.audio), rot)


def iter_frames(path: Path) -> Iterator[np.ndarray]:
    """RGB uint8 frames of the first video stream, in order, as stored (one decoded at a time)."""
    from ..video.reader import read_frames

    return (f.image for f in read_frames(path, upright=False, rgb=True))


def _tracker(n_faces: int):
    """FaceMesh in video (tracking) mode: it follows the face from frame to frame instead of
    detecting it anew each time (steadier, and detection runs only when the track is lost)."""
    from mediapipe.python.solutions import face_mesh as mp_face_mesh

    from ..face.landmarks import _quiet_native_stderr

    with _quiet_native_stderr():
        return mp_face_mesh.FaceMesh(static_image_mode=False, refine_landmarks=True,
                                     max_num_faces=max(2, n_faces), min_detection_confidence=0.5,
                                     min_tracking_confidence=0.5)


def _faces(mesh, img: np.ndarray, scale: float) -> list[np.ndarray]:
    from ..face.landmarks import _quiet_native_stderr

    h, w = img.shape[:2]
    with _quiet_native_stderr():
        res = mesh.process(img)
    out = []
    for face in res.multi_face_landmarks or []:
        pts = np.array([(q.x, q.y, q.z) for q in face.landmark], dtype=np.float32)
        out.append(pts * np.array([w, h, w], dtype=np.float32) / scale)
    return out


def _width(p: np.ndarray) -> float:
    return float(np.linalg.norm(p[454, :2] - p[234, :2]))


def track_face(info: VideoInfo, workdir: Path, *, face: int | None = None,
               progress: Callable[[int], None] | None = None, cancel=None) -> FaceFrames:
    """Landmarks of the chosen face on every frame (``face``: 1-based, counted from the image's
    left; None = the largest), smoothed within shots, plus the shot cuts. ``cancel``: a
    ``threading.Event`` that stops the pass early (it then raises InputError)."""
    import cv2

    n_alloc = max(info.n_frames, 1) + max(64, info.n_frames // 20)  # the header's count can be a little off
    lm = np.lib.format.open_memmap(workdir / "landmarks.npy", mode="w+", dtype=np.float32,
                                   shape=(n_alloc, N_POINTS, 3))
    valid = np.zeros(n_alloc, bool)
    scale = min(1.0, ANALYSIS_MAX_PX / max(info.width, info.height))
    mesh = _tracker(face or 1)
    cuts: list[int] = []
    prev_thumb = None
    prev_centre = None
    most = 0
    n = 0
    try:
        for n, rgb in enumerate(iter_frames(info.path)):
            if n >= n_alloc:
                raise InputError(f"video {str(info.path)!r} has more frames than its header says ({info.n_frames})",
                                 "re-encode it (ffmpeg -i in.mp4 -c:v libx264 out.mp4)")
            small = rgb if scale == 1.0 else cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            thumb = cv2.resize(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (64, 36), interpolation=cv2.INTER_AREA)
            if prev_thumb is not None and float(np.mean(cv2.absdiff(thumb, prev_thumb))) > CUT_DIFF:
                cuts.append(n)
                prev_centre = None
            prev_thumb = thumb
            faces = [f for f in _faces(mesh, np.ascontiguousarray(small), scale) if _width(f) * scale >= MIN_FACE_PX]
            most = max(most, len(faces))
            pick = _choose(faces, face, prev_centre)
            if pick is not None:
                lm[n] = pick
                valid[n] = True
                prev_centre = pick[:, :2].mean(axis=0)
            if progress is not None:
                progress(n)
            if cancel is not None and cancel.is_set():
                raise InputError("face tracking was cancelled", "")
        n += 1
    finally:
        mesh.close()
    if not valid[:n].any():
        raise InputError(f"no face was found in any of the {n} frames of {str(info.path)!r}",
                         "dub a video where one face looks at the camera")
    if face is not None and most < face:
        raise InputError(f"--face {face} asked for, but at most {most} face(s) are seen on one frame",
                         f"use --face 1 to {most} (counted from the left of the picture)")
    _smooth(lm, valid, n, cuts)
    lm.flush()
    ro = np.load(workdir / "landmarks.npy", mmap_mode="r")[:n]
    return FaceFrames(ro, valid[:n].copy(), tuple(cuts), most)


def _choose(faces: list[np.ndarray], face: int | None, prev_centre) -> np.ndarray | None:
    if not faces:
        return None
    if prev_centre is not None:  # follow the same face through the shot
        best = min(faces, key=lambda f: float(np.linalg.norm(f[:, :2].mean(axis=0) - prev_centre)))
        if np.linalg.norm(best[:, :2].mean(axis=0) - prev_centre) < 0.5 * _width(best):
            return best
    if face is None:
        return max(faces, key=_width)
    ordered = sorted(faces, key=lambda f: float(f[:, 0].mean()))
    return ordered[face - 1] if face <= len(ordered) else None


def _smooth(lm: np.ndarray, valid: np.ndarray, n: int, cuts: list[int], block: int = 512) -> None:
    """Temporal Gaussian over each run of tracked frames inside a shot, block by block (in place).

    Each block is read (with its margin) before the previous block's result is written back, so
    every frame is smoothed from raw values only."""
    from scipy.ndimage import gaussian_filter1d

    v = valid[:n]
    cut = np.zeros(n, bool)
    cut[[c for c in cuts if c < n]] = True
    starts = np.flatnonzero(v & (cut | ~np.concatenate([[False], v[:-1]])))
    ends = np.flatnonzero(v & (np.concatenate([cut[1:], [True]]) | ~np.concatenate([v[1:], [False]]))) + 1
    pad = int(4 * SMOOTH_SIGMA) + 1
    pending = None
    for a, b in zip(starts.tolist(), ends.tolist()):
        for s in range(a, b, block):
            e = min(b, s + block)
            lo, hi = max(a, s - pad), min(b, e + pad)
            raw = np.array(lm[lo:hi], dtype=np.float32)
            if pending is not None:
                lm[pending[0]:pending[1]] = pending[2]
            pending = (s, e, gaussian_filter1d(raw, SMOOTH_SIGMA, axis=0, mode="nearest")[s - lo:e - lo])
    if pending is not None:
        lm[pending[0]:pending[1]] = pending[2]
