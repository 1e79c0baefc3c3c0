"""Reading any common video as a stream of upright BGR frames with their presentation times.

Phone videos bring two traps: a rotation flag (the pixels are stored sideways and a display
matrix says how to turn them) and a variable frame rate (timestamps are irregular). Frames are
turned upright here, and each carries its own time in seconds, so every later stage works in
real time, not frame counts. Frames are decoded one at a time: memory stays flat however long
the video is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError

MAX_VIDEO_BYTES = 8 * 1024**3  # 8 GB: refuse anything larger before opening it
FORMATS = "MP4, MOV, MKV, WEBM or AVI"


@dataclass(frozen=True)
class VideoInfo:
    """What a video holds, from its header (``n_frames`` may be an estimate)."""

    path: Path
    width: int
    """Upright width in pixels (after the rotation flag is applied)."""
    height: int
    fps: float
    """Average frames per second."""
    duration: float
    """Seconds."""
    n_frames: int
    rotation: int
    """Degrees the stored pixels are turned to be upright (0, 90, 180, 270)."""
    has_audio: bool


@dataclass(frozen=True)
class VideoFrame:
    index: int
    time: float
    """Presentation time in seconds from the start of the video stream."""
    image: np.ndarray
    """uint8 (height, width, 3) BGR (or RGB when asked), upright unless asked otherwise."""


def _open(path: str | os.PathLike):
    import av

    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError(f"video file {str(p)!r} does not exist", "check the path")
    size = p.stat().st_size
    if size == 0:
        raise InputError(f"video file {str(p)!r} is empty (0 bytes)", f"use a {FORMATS} file")
    if size > MAX_VIDEO_BYTES:
        raise InputError(f"video file {str(p)!r} is larger than 8 GB", "cut it into parts first")
    try:
        container = av.open(str(p))
    except av.error.FFmpegError as exc:
        raise InputError(f"{str(p)!r} is not a video digihuman can read ({exc.strerror or exc})",
                         f"use a {FORMATS} file") from exc
    if not container.streams.video:
        kind = "an audio-only file" if container.streams.audio else "not a video"
        container.close()
        raise InputError(f"{str(p)!r} is {kind}: it has no picture", "give a video of the person")
    return p, container


def display_rotation(container) -> int:
    """Degrees to turn the stored frames to be upright, from the first frame's display matrix."""
    stream = container.streams.video[0]
    try:
        for frame in container.decode(stream):
            return int(round(-(frame.rotation or 0))) % 360
    except Exception:  # noqa: BLE001 - a broken first frame is reported by read_frames
        return 0
    return 0


def probe(path: str | os.PathLike) -> VideoInfo:
    """The video's upright size, rate, duration and rotation; InputError when it is unreadable."""
    p, container = _open(path)
    try:
        s = container.streams.video[0]
        fps = float(s.average_rate or s.guessed_rate or 25)
        if s.duration is not None and s.time_base is not None:
            duration = float(s.duration * s.time_base)
        elif container.duration:
            duration = container.duration / 1_000_000
        else:
            duration = 0.0
        n = int(s.frames) if s.frames else int(round(duration * fps))
        rot = display_rotation(container)
        w, h = s.codec_context.width, s.codec_context.height
        if rot in (90, 270):
            w, h = h, w
        return VideoInfo(p, int(w), int(h), fps, duration, n, rot, bool(container.streams.audio))
    finally:
        container.close()


def _upright(img: np.ndarray, rotation: int) -> np.ndarray:
    if rotation == 90:  # turn clockwise
        return np.ascontiguousarray(np.rot90(img, k=-1))
    if rotation == 180:
        return np.ascontiguousarray(img[::-1, ::-1])
    if rotation == 270:
        return np.ascontiguousarray(np.rot90(img, k=1))
    return img


def read_frames(path: str | os.PathLike, *, max_side: int | None = None, start: float = 0.0,
                end: float | None = None, upright: bool = True, rgb: bool = False) -> Iterator[VideoFrame]:
    """Yield the video's frames upright, in order, each with its time (s).

    ``max_side``: frames larger than this (pixels, longer side) are scaled down for analysis.
    ``start``/``end``: only frames with ``start <= time < end`` (seconds; seeks to the key frame
    before ``start``); ``index`` then counts from the first frame yielded. ``upright=False``
    keeps the pixels as stored (a tool that writes the video back as it was); ``rgb`` gives RGB.
    A damaged stream ends with an InputError naming the time where decoding failed.
    """
    import av
    import cv2

    p, container = _open(path)
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        rot = None
        i, t = 0, 0.0
        # times count from the stream's own start (containers often begin at a small offset)
        t0 = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
        if start > 0:
            container.seek(int((start + t0) / stream.time_base), stream=stream, backward=True)
        try:
            for frame in container.decode(stream):
                if rot is None:
                    rot = int(round(-(frame.rotation or 0))) % 360 if upright else 0
                t = (float(frame.pts * stream.time_base) - t0 if frame.pts is not None
                     else start + i / float(stream.average_rate or 25))
                if t < start - 1e-6:
                    continue  # decoded from the key frame before ``start``
                if end is not None and t >= end - 1e-6:
                    break
                img = _upright(frame.to_ndarray(format="rgb24" if rgb else "bgr24"), rot)
                if max_side and max(img.shape[:2]) > max_side:
                    k = max_side / max(img.shape[:2])
                    img = cv2.resize(img, (max(2, round(img.shape[1] * k)), max(2, round(img.shape[0] * k))),
                                     interpolation=cv2.INTER_AREA)
                yield VideoFrame(i, t, img)
                i += 1
        except av.error.FFmpegError as exc:
            raise InputError(f"{str(p)!r} is damaged: decoding stopped at {t:.2f} s ({exc})",
                             "re-encode or re-download the video") from exc
        if i == 0 and start == 0:
            raise InputError(f"{str(p)!r} holds no decodable frame", "re-encode or re-download the video")
    finally:
        container.close()
