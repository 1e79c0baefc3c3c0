"""Reading any common audio (or a video's audio track) as mono float32 at a chosen rate.

PyAV (bundled FFmpeg) decodes wav, mp3, flac, ogg/opus, m4a/aac and the audio of mp4/mkv/webm;
the container type is sniffed from the content, not the file name. Long files can be read as a
stream of blocks so memory stays bounded (``stream_audio``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..types import Audio

MAX_AUDIO_BYTES = 2 * 1024**3  # 2 GB: refuse anything larger before opening it
FORMATS = "WAV, MP3, FLAC, OGG, M4A (or a video with an audio track)"


def _open(path: str | os.PathLike):
    import av

    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError(f"audio file {str(p)!r} does not exist", "check the path")
    if p.stat().st_size == 0:
        raise InputError(f"audio file {str(p)!r} is empty (0 bytes)", f"use a {FORMATS} file")
    if p.stat().st_size > MAX_AUDIO_BYTES:
        raise InputError(f"audio file {str(p)!r} is larger than 2 GB", "cut it into parts first")
    try:
        container = av.open(str(p))
    except (av.error.InvalidDataError, av.error.EOFError) as exc:
        raise InputError(f"{str(p)!r} is not an audio file digihuman can read", f"use a {FORMATS} file") from exc
    except av.error.FFmpegError as exc:
        raise InputError(f"cannot read {str(p)!r} ({exc})", f"use a {FORMATS} file") from exc
    if not container.streams.audio:
        container.close()
        raise InputError(f"{str(p)!r} has no audio stream", "give a file that contains sound")
    return p, container


def stream_audio(path: str | os.PathLike, sample_rate: int = 16000, block_seconds: float = 10.0) -> Iterator[np.ndarray]:
    """Yield mono float32 blocks (about ``block_seconds`` long) resampled to ``sample_rate`` Hz."""
    import av

    p, container = _open(path)
    block = int(block_seconds * sample_rate)
    resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
    pending: list[np.ndarray] = []
    have = 0
    try:
        stream = container.streams.audio[0]
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    pending.append(out.to_ndarray().reshape(-1))
                    have += pending[-1].size
                if have >= block:
                    data = np.concatenate(pending)
                    yield data[:block]
                    pending, have = [data[block:]], data.size - block
            for out in resampler.resample(None):
                pending.append(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError as exc:
            raise InputError(f"audio file {str(p)!r} is damaged ({exc})", "export it again") from exc
        if pending:
            tail = np.concatenate(pending)
            if tail.size:
                yield tail
    finally:
        container.close()


def load_audio(path: str | os.PathLike, sample_rate: int = 16000, max_seconds: float | None = None) -> Audio:
    """Decode a whole file to mono float32 :class:`Audio` at ``sample_rate`` Hz."""
    blocks = []
    total = 0
    for b in stream_audio(path, sample_rate):
        blocks.append(b)
        total += b.size
        if max_seconds is not None and total > max_seconds * sample_rate:
            raise InputError(
                f"audio {str(path)!r} is longer than {max_seconds:g} s",
                "trim it, or use a command that streams long audio",
            )
    samples = np.concatenate(blocks).astype(np.float32, copy=False) if blocks else np.zeros(0, np.float32)
    del blocks
    if samples.size == 0:
        raise InputError(f"audio file {str(path)!r} decodes to no samples", "check that it contains sound")
    return Audio(np.clip(samples, -1.0, 1.0, out=samples), sample_rate)


def resample(audio: Audio, sample_rate: int) -> Audio:
    """High-quality polyphase resampling (scipy) to ``sample_rate`` Hz."""
    if audio.sample_rate == sample_rate:
        return audio
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(int(audio.sample_rate), int(sample_rate))
    # float32 in, float32 out: float64 would double the memory of long recordings for no audible gain
    y = resample_poly(np.asarray(audio.samples, dtype=np.float32), sample_rate // g, audio.sample_rate // g)
    return Audio(y.astype(np.float32, copy=False), sample_rate)


def write_wav(path: str | os.PathLike, audio: Audio) -> None:
    """16-bit PCM WAV, written atomically."""
    import io
    import wave

    from .._fs import write_bytes_atomic

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(audio.sample_rate))
        w.writeframes(audio.to_int16().tobytes())
    write_bytes_atomic(path, buf.getvalue())
