"""``digihuman verify FILE``: is this file marked by digihuman, with what, and is it signed?

Video: the luma of up to ``MAX_FRAMES`` frames is averaged (the mark is static, codec noise and
motion are not) and searched for the mark at any scale and crop. Audio: the whole track (up
to ``MAX_AUDIO_S``) is searched. Images: the picture's luma. Plus the C2PA manifest, if any.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from .video import Detection, detect_luma

MAX_FRAMES = 250  # 10 s at 25 fps: enough votes; longer videos are sampled evenly
MAX_AUDIO_S = 120.0
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff")


@dataclass(frozen=True)
class Report:
    """What :func:`verify` found."""

    path: Path
    kind: str
    """"video", "audio" or "image"."""
    video: Detection | None
    """The luma watermark (None: the file has no picture)."""
    audio: Detection | None
    """The speech-band watermark (None: the file has no sound)."""
    manifest: dict | None
    """The C2PA manifest summary; None: the file has none; {"error": ...} unreadable;
    {"unchecked": ...} c2pa-python is not installed."""

    @property
    def marked(self) -> bool:
        return any(d is not None and d.marked for d in (self.video, self.audio))

    @property
    def payload(self):
        for d in (self.video, self.audio):
            if d is not None and d.marked:
                return d.payload
        return None

    def describe(self) -> dict:
        """JSON-ready summary."""
        def det(d: Detection | None):
            if d is None:
                return None
            return {"marked": d.marked, "payload": d.payload.describe() if d.payload else None,
                    "confidence": d.confidence, "sync_z": d.sync_z, "note": d.note}

        return {"file": str(self.path), "kind": self.kind, "marked": self.marked,
                "payload": self.payload.describe() if self.payload else None,
                "video_watermark": det(self.video), "audio_watermark": det(self.audio), "c2pa": self.manifest}


def _image_luma(path: Path) -> np.ndarray:
    import cv2

    img = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if img is None:
        raise InputError(f"cannot read {str(path)!r} as an image", "give a PNG, JPEG, WebP, BMP or TIFF file")
    if img.dtype != np.uint8:  # 16-bit and float images: scale to 8-bit levels
        img = img.astype(np.float32) * (255.0 / max(1.0, float(np.iinfo(img.dtype).max) if img.dtype.kind in "ui" else 1.0))
    if img.ndim == 3:
        img = cv2.cvtColor(img[..., :3].astype(np.float32), cv2.COLOR_BGR2GRAY)
    return img.astype(np.float32)


def _media(path: Path) -> tuple[np.ndarray | None, tuple[np.ndarray, int] | None]:
    """(mean luma of the video frames or None, (mono samples, rate) or None)."""
    import av

    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {str(path)!r} ({exc})", "give a video (MP4 ...), an audio file or an image") from exc
    luma, sound = None, None
    with container:
        has_audio = bool(container.streams.audio)
        try:
            if container.streams.video:
                stream = container.streams.video[0]
                total = stream.frames or 0
                step = max(1, total // MAX_FRAMES) if total else 1
                acc, n = None, 0
                for i, frame in enumerate(container.decode(video=0)):
                    if i % step:
                        continue
                    y = frame.to_ndarray(format="gray").astype(np.float32)
                    acc = y if acc is None else acc + y
                    n += 1
                    if n >= MAX_FRAMES:
                        break
                luma = acc / n if n else None
        except av.error.FFmpegError as exc:
            raise InputError(f"cannot decode the video of {str(path)!r} ({exc})", "the file may be damaged") from exc
    if has_audio:
        from ..audio.io import stream_audio

        rate, blocks, n = 16000, [], 0
        for block in stream_audio(path, rate):  # stop reading at MAX_AUDIO_S: memory stays bounded
            blocks.append(block)
            n += len(block)
            if n >= MAX_AUDIO_S * rate:
                break
        sound = (np.concatenate(blocks)[: int(MAX_AUDIO_S * rate)], rate) if blocks else None
    return luma, sound


def verify(path: str | os.PathLike) -> Report:
    """Look for digihuman's watermarks and C2PA manifest in a video, audio file or image."""
    from .audio import detect_audio

    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError(f"{str(p)!r} does not exist or is not a file", "check the path")
    if not os.access(p, os.R_OK):
        raise InputError(f"{str(p)!r} is not readable", "check its permissions")
    if p.stat().st_size == 0:
        raise InputError(f"{str(p)!r} is empty", "give a video, audio file or image")
    if p.suffix.lower() in IMAGE_SUFFIXES:
        luma, sound, kind = _image_luma(p), None, "image"
    else:
        luma, sound = _media(p)
        if luma is None and sound is None:
            raise InputError(f"{str(p)!r} has no picture and no sound", "give a video, audio file or image")
        kind = "video" if luma is not None else "audio"
    video = detect_luma(luma) if luma is not None else None
    audio = detect_audio(*sound) if sound is not None else None
    return Report(p, kind, video, audio, _manifest(p))


def _manifest(p: Path) -> dict | None:
    from .c2pa_manifest import available, read_manifest

    if not available():
        return {"unchecked": "c2pa-python is not installed"}
    try:
        return read_manifest(p)
    except Exception as exc:  # a damaged or unsupported container is not a verification failure
        return {"error": f"{type(exc).__name__}: {exc}"}
