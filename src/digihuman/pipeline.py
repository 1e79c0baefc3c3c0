"""``say``: text -> speech -> mouth cues -> face track -> frames -> MP4, as one library call.

Each stage is a separate module (``speech``, ``lipsync``, ``animation``, ``face``, ``video``);
this module only wires them together, checks inputs before any expensive work, and streams
frames from the renderer into the encoder so memory stays flat however long the script is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._fs import check_writable
from .errors import InputError
from .persona import Persona, PersonaStore
from .types import FaceTrack, MouthCue, Speech

SIZES = (512, 1024)  # px: the square output sizes the renderer is tuned for
FPS_RANGE = (10.0, 60.0)  # frames per second accepted


@dataclass(frozen=True)
class SayOptions:
    """Options for :func:`say`."""

    size: int = 512
    """Output width and height in pixels (512 or 1024)."""
    fps: float = 25.0
    """Video frames per second."""
    rate: float = 1.0
    """Speaking-rate multiplier (1.0 = the voice's natural pace)."""
    seed: int = 0
    """Seed for blinks and head motion, so the same call renders the same video."""
    crf: int = 20
    """x264 quality (lower = better, bigger)."""


@dataclass(frozen=True)
class SayResult:
    """What :func:`say` produced."""

    video: Path
    speech: Speech = field(repr=False)
    cues: tuple[MouthCue, ...] = field(repr=False)
    track: FaceTrack = field(repr=False)
    n_frames: int = 0
    timeline_path: Path | None = None
    cues_path: Path | None = None

    @property
    def duration(self) -> float:
        return self.speech.audio.duration


def resolve_persona(persona: Persona | str | None, home: str | os.PathLike | None = None) -> Persona:
    if isinstance(persona, Persona):
        return persona
    if persona is None:
        return Persona.default()
    return PersonaStore(home).load(persona)


def check_options(opt: SayOptions) -> None:
    if opt.size not in SIZES:
        raise InputError(f"size {opt.size} is not supported", f"use one of {', '.join(map(str, SIZES))}")
    if not FPS_RANGE[0] <= opt.fps <= FPS_RANGE[1]:
        raise InputError(f"fps {opt.fps:g} is out of range", f"use {FPS_RANGE[0]:g}-{FPS_RANGE[1]:g} (25 is standard)")
    if not 0.5 <= opt.rate <= 2.0:
        raise InputError(f"rate {opt.rate:g} is out of range", "use 0.5 (slow) to 2.0 (fast)")


def say(
    text: str,
    output: str | os.PathLike,
    persona: Persona | str | None = None,
    *,
    options: SayOptions = SayOptions(),
    timeline: str | os.PathLike | None = None,
    cues: str | os.PathLike | None = None,
    home: str | os.PathLike | None = None,
    progress: bool = False,
) -> SayResult:
    """Render ``text`` spoken by ``persona`` (default: the bundled persona) to an MP4 at ``output``.

    ``timeline`` (JSON: words, phonemes, visemes with times) and ``cues`` (Rhubarb TSV) are
    written too when given. Every output appears complete or not at all.
    """
    from .animation import animate
    from .lipsync import mouth_cues, write_cues_tsv, write_timeline_json
    from .speech import SpeechOptions, get_tts
    from .text import prepare_text

    check_options(options)
    out = check_writable(output, suffixes=(".mp4",))
    tl_path = check_writable(timeline, suffixes=(".json",)) if timeline is not None else None
    cue_path = check_writable(cues, suffixes=(".tsv", ".txt")) if cues is not None else None
    prepare_text(text)  # fail fast on bad text, before loading any model
    who = resolve_persona(persona, home)

    tts = get_tts("piper")
    speech = tts.synthesize(text, SpeechOptions(rate=options.rate))
    cue_list = mouth_cues(speech.timeline)
    track = animate(speech, fps=options.fps, seed=options.seed, cues=cue_list)
    n = render_video(out, who, speech, track, options, progress=progress)
    if tl_path is not None:
        write_timeline_json(speech, cue_list, tl_path)
    if cue_path is not None:
        write_cues_tsv(cue_list, cue_path)
    return SayResult(out, speech, tuple(cue_list), track, n, tl_path, cue_path)


def render_video(out: Path, who: Persona, speech: Speech, track: FaceTrack, options: SayOptions, *, progress: bool = False) -> int:
    """Render ``track`` on ``who``'s face and encode it with ``speech``'s audio into ``out``."""
    from .face.renderer import FaceRenderer
    from .video.encoder import VideoOptions, encode_mp4

    renderer = FaceRenderer(who.photo, who.face, size=options.size)
    frames: Iterator[np.ndarray] = renderer.render_track(track)
    if progress:
        from tqdm import tqdm

        frames = tqdm(frames, total=track.n_frames, unit="frame", desc="rendering", leave=False)
    meta = {"title": speech.text[:200], "artist": f"digihuman persona {who.name}"}
    return encode_mp4(out, frames, speech.audio, VideoOptions(fps=options.fps, crf=options.crf), meta)
