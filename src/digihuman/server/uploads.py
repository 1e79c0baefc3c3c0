"""Upload limits and content checks, before any upload reaches the library.

Files are streamed to a private temporary folder in 1 MiB blocks and refused (413) as soon as
they pass their limit, so a huge upload never fills memory. The type is decided by the content
(Pillow / FFmpeg sniff the header), never by the file name or the declared content type.
Errors carry JSON ``{"error": message, "hint": hint}`` and an HTTP status:
400 malformed or unusable, 413 too large (bytes or pixels), 415 not an image / not audio.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .._fs import owned_temp
from ..errors import DigihumanError

PHOTO_MAX_BYTES = 15 * 1024 * 1024  # 15 MB
VOICE_MAX_BYTES = 50 * 1024 * 1024  # 50 MB
AUDIO_MAX_BYTES = 50 * 1024 * 1024  # 50 MB: lipsync uploads
KNOWLEDGE_MAX_BYTES = 10 * 1024 * 1024  # 10 MB per knowledge document
MIC_MAX_BYTES = 8 * 1024 * 1024  # 8 MB: one microphone recording (minutes of WebM/Opus)
MIC_MAX_SECONDS = 60.0  # s
BLOCK = 1024 * 1024  # bytes read at a time


class UploadError(DigihumanError):
    """An upload the server refuses; ``status`` is the HTTP status to answer with."""

    exit_code = 2

    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.status = status


class Workdir:
    """A private temporary folder (0700) for one request's uploads; removed on close.

    Named after the server process (see :func:`digihuman._fs.owned_temp`): if the server is
    killed, the next one removes the folders (users' photos and voices) it left behind.
    """

    def __init__(self) -> None:
        self.path = owned_temp(tempfile.gettempdir(), "digihuman-upload", directory=True)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> Workdir:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def save_upload(upload, dest: Path, limit: int, what: str) -> Path:
    """Copy an UploadFile (or any object with ``.file``) to ``dest``, refusing more than ``limit`` bytes."""
    src = upload.file
    total = 0
    with open(dest, "wb") as out:
        while True:
            block = src.read(BLOCK)
            if not block:
                break
            total += len(block)
            if total > limit:
                raise UploadError(413, f"the {what} is larger than {limit // (1024 * 1024)} MB",
                                  f"upload a smaller {what}")
            out.write(block)
    if total == 0:
        raise UploadError(400, f"the {what} upload is empty (0 bytes)", f"choose a {what} file")
    return dest


def safe_filename(name: str | None, default: str) -> str:
    """A plain file name (no folders, no dot files) for a stored upload."""
    base = Path(name or "").name.strip().lstrip(".")
    keep = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in base)[:100]
    return keep or default


def check_photo(path: Path) -> None:
    """415 if not an image, 413 if too many pixels (a decompression bomb), 400 if damaged."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    from ..errors import InputError
    from ..persona.photo import MAX_PIXELS, SUPPORTED, load_photo

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:  # reads the header only
                w, h = im.size
    except UnidentifiedImageError:
        raise UploadError(415, "the photo is not an image digihuman can read", f"upload a {SUPPORTED} photo") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError(413, "the photo claims too many pixels (a decompression bomb?)", "upload a normal-sized photo") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise UploadError(400, f"the photo is damaged ({exc})", "export it again") from None
    if w * h > MAX_PIXELS:
        raise UploadError(413, f"the photo is {w}x{h} pixels; the limit is {MAX_PIXELS / 1e6:.0f} megapixels",
                          "resize it first")
    try:
        load_photo(path)  # full decode: truncated data, bad EXIF, odd modes
    except InputError as exc:
        raise UploadError(400, exc.message.replace(str(path), "the photo"), exc.hint) from None


def check_audio(path: Path, what: str = "audio") -> None:
    """415 if FFmpeg cannot open it as audio, 400 if it has no audio stream or is damaged."""
    import av

    from ..audio.io import FORMATS

    try:
        container = av.open(str(path))
    except av.error.FFmpegError:
        raise UploadError(415, f"the {what} is not an audio file digihuman can read", f"upload a {FORMATS} file") from None
    try:
        if not container.streams.audio:
            raise UploadError(415, f"the {what} has no audio stream", "upload a file that contains sound")
    finally:
        container.close()


def load_checked_audio(path: Path, sample_rate: int, max_seconds: float | None, what: str = "audio"):
    """:func:`check_audio` then decode; library errors become 400 with the path hidden."""
    from ..audio import load_audio
    from ..errors import InputError

    check_audio(path, what)
    try:
        return load_audio(path, sample_rate=sample_rate, max_seconds=max_seconds)
    except InputError as exc:
        raise UploadError(400, exc.message.replace(repr(str(path)), f"the {what}"), exc.hint) from None


def decode_recording(data: object):
    """A microphone recording (base64 of WAV/WebM/OGG..., at most 60 s) -> 16 kHz mono Audio."""
    import base64
    import binascii

    try:
        raw = base64.b64decode(str(data or ""), validate=False)
    except (binascii.Error, ValueError):
        raise UploadError(400, "the recording is not valid base64", "send base64 audio") from None
    if not raw:
        raise UploadError(400, "the recording is empty", "hold the microphone button while speaking")
    if len(raw) > MIC_MAX_BYTES:
        raise UploadError(413, "the recording is too large", f"speak for at most {MIC_MAX_SECONDS:g} s")
    with Workdir() as wd:
        path = wd.path / "recording"
        path.write_bytes(raw)
        return load_checked_audio(path, 16000, MIC_MAX_SECONDS, "recording")


def transcribe_recording(data: object) -> str:
    """A microphone recording (base64 as for :func:`decode_recording`, or its Audio) -> the English words heard."""
    from ..recognition import recognize
    from ..types import Audio

    audio = data if isinstance(data, Audio) else decode_recording(data)
    timeline, _ = recognize(audio)
    text = " ".join(w.text for w in timeline.words)
    if not text.strip():
        raise UploadError(400, "no words were recognised in the recording", "speak clearly, in English, or type")
    return text
