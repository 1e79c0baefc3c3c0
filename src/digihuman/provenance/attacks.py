"""The transformations a mark is specified to survive (issue 15), for tests and the benchmark.

Each takes an input media file and writes the attacked copy with PyAV's bundled FFmpeg codecs:
H.264 re-encoding at a given crf, scaling, cropping, and AAC/MP3 audio re-encoding.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def reencode_video(src: str | Path, dst: str | Path, *, crf: int = 28, scale: float = 1.0, crop: float = 0.0) -> Path:
    """Re-encode ``src``'s video as H.264 at ``crf``, after cropping ``crop`` of each edge and
    then scaling by ``scale`` (area interpolation, as ffmpeg's scale filter does for downscaling).
    The audio track is dropped (it has its own attacks)."""
    import av
    import cv2

    from ..video.encoder import read_frames

    frames = []
    for rgb in read_frames(src):
        h, w = rgb.shape[:2]
        dy, dx = int(round(h * crop)), int(round(w * crop))
        rgb = rgb[dy:h - dy, dx:w - dx]
        if scale != 1.0:
            size = (int(round(rgb.shape[1] * scale)) // 2 * 2, int(round(rgb.shape[0] * scale)) // 2 * 2)
            rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
        frames.append(np.ascontiguousarray(rgb[: rgb.shape[0] // 2 * 2, : rgb.shape[1] // 2 * 2]))
    dst = Path(dst)
    with av.open(str(dst), mode="w", format="mp4") as c:
        s = c.add_stream("libx264", rate=25)
        s.width, s.height, s.pix_fmt = frames[0].shape[1], frames[0].shape[0], "yuv420p"
        s.options = {"crf": str(crf), "preset": "veryfast"}
        for f in frames:
            for p in s.encode(av.VideoFrame.from_ndarray(f, format="rgb24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return dst


def reencode_audio(src: str | Path, dst: str | Path, *, codec: str = "aac", bitrate: int = 96_000,
                   sample_rate: int | None = None) -> Path:
    """Re-encode ``src``'s audio with ``codec`` ("aac" -> .m4a, "mp3" -> .mp3) at ``bitrate``."""
    from ..audio import load_audio
    import av

    sound = load_audio(src, sample_rate=sample_rate or 44100)
    dst = Path(dst)
    with av.open(str(dst), mode="w") as c:
        s = c.add_stream("libmp3lame" if codec == "mp3" else "aac", rate=sound.sample_rate)
        s.layout, s.bit_rate = "mono", bitrate
        pcm = (np.clip(sound.samples, -1, 1) * 32767).astype(np.int16)
        for start in range(0, len(pcm), 4096):
            fr = av.AudioFrame.from_ndarray(pcm[None, start:start + 4096], format="s16", layout="mono")
            fr.sample_rate, fr.pts = sound.sample_rate, start
            for p in s.encode(fr):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return dst
