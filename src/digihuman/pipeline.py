"""``say``: text -> speech -> mouth cues -> face track -> frames -> MP4, as one library call.

Each stage is a separate module (``speech``, ``lipsync``, ``animation``, ``face``, ``video``);
this module only wires them together, checks inputs before any expensive work, and streams
frames from the renderer into the encoder so memory stays flat however long the script is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ._fs import atomic_paths, check_writable
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
    lang: str | None = None
    """Language code of the text; None = the persona's language."""
    pitch: float = 0.0
    """Pitch shift in semitones (-12..12) on top of the persona's voice."""
    volume: float = 1.0
    """Loudness multiplier (0.1..2.0; 1.0 = the voice's level)."""
    pitch_range: float = 1.0
    """Intonation range factor around the median pitch (1.0 = the voice's own; emotions set it)."""
    emotion: str = "neutral"
    """Emotion to express in voice and face (one of digihuman.dialog.types.EMOTIONS)."""
    emotion_strength: float = 1.0
    """0..1: how strongly to show ``emotion``."""
    label: bool = False
    """Draw a visible "AI-generated" caption on every frame."""
    body: bool = False
    """Move the neck, shoulders and chest with speech-driven gestures (``digihuman.body``); the
    photo must show the shoulders."""
    motion: str | None = None
    """A BVH file (from ``digihuman mocap`` or ``gesture``) that the body plays instead of
    speech-driven gestures, looped to the speech's length; implies ``body``."""
    watermark: bool = True
    """Invisible watermark + signed C2PA manifest (see ``digihuman.provenance``). Off only to
    make unmarked reference material for tests and benchmarks."""


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
    warnings: tuple[str, ...] = ()
    """Things the user should know (e.g. which recognition method was used)."""
    motion: object = field(default=None, repr=False)
    """The body's :class:`~digihuman.body.MotionClip` (one frame per video frame) with ``body``."""
    bvh_path: Path | None = None

    @property
    def duration(self) -> float:
        return self.speech.audio.duration


def resolve_persona(persona: Persona | str | None, home: str | os.PathLike | None = None) -> Persona:
    if isinstance(persona, Persona):
        return persona
    return PersonaStore(home).load(persona or "default")


def check_options(opt: SayOptions) -> None:
    if opt.size not in SIZES:
        raise InputError(f"size {opt.size} is not supported", f"use one of {', '.join(map(str, SIZES))}")
    if not FPS_RANGE[0] <= opt.fps <= FPS_RANGE[1]:
        raise InputError(f"fps {opt.fps:g} is out of range", f"use {FPS_RANGE[0]:g}-{FPS_RANGE[1]:g} (25 is standard)")
    if not 0.5 <= opt.rate <= 2.0:
        raise InputError(f"rate {opt.rate:g} is out of range", "use 0.5 (slow) to 2.0 (fast)")
    if not -12.0 <= opt.pitch <= 12.0:
        raise InputError(f"pitch {opt.pitch:g} is out of range", "use -12 to 12 semitones")
    if not 0.1 <= opt.volume <= 2.0:
        raise InputError(f"volume {opt.volume:g} is out of range", "use 0.1 (quiet) to 2.0 (loud)")
    from .dialog.types import EMOTIONS

    if opt.emotion not in EMOTIONS:
        raise InputError(f"unknown emotion {opt.emotion!r}", f"use one of: {', '.join(EMOTIONS)}")


def _emotion(options: SayOptions):
    from .dialog.types import Emotion

    return Emotion(options.emotion, max(0.0, min(1.0, options.emotion_strength)))


def speak(text: str, who: Persona, options: SayOptions = SayOptions()) -> Speech:
    """Text -> speech in ``who``'s voice and language, with the timeline aligned to the audio."""
    from .emotion.expression import voice_for_emotion
    from .speech import SpeechOptions
    from .speech.languages import resolve_language

    options = voice_for_emotion(_emotion(options), options)
    language = resolve_language(options.lang or who.lang)
    profile = who.voice_profile
    rate = options.rate
    if profile is not None:  # speak at about the speaker's own pace (timeline stays exact)
        rate = min(2.0, max(0.5, rate * profile.suggested_rate))
    tts = voice_tts(who, language.code)
    native_pitch = options.pitch if tts.pitch_control and profile is None else 0.0
    speech = tts.synthesize(text, SpeechOptions(rate=rate, volume=options.volume, pitch=native_pitch))
    audio = speech.audio
    if profile is not None:
        from .voice import get_converter

        if options.pitch:  # one WORLD pass: the converter lands directly on the shifted pitch
            profile = replace(profile, pitch_median_hz=profile.pitch_median_hz * 2.0 ** (options.pitch / 12.0))
        audio = get_converter("world", profile).convert(audio)
    elif (options.pitch and not native_pitch) or abs(options.pitch_range - 1.0) > 1e-3:
        from .voice import shift_pitch

        key = f"kokoro:{tts.voice.name}" if tts.name == "kokoro" else f"{tts.name}:{language.code}"  # one F0 per voice
        audio = shift_pitch(audio, 0.0 if native_pitch else options.pitch, voice=key, range_factor=options.pitch_range)
    return replace(speech, audio=audio) if audio is not speech.audio else speech


def voice_tts(who: Persona, lang: str):
    """The TTS of ``who``'s voice speaking ``lang`` (see :func:`digihuman.speech.voices.tts_for_voice`).
    A cloned voice keeps the base it was learned against (piper for English, else eSpeak)."""
    from .speech import get_tts
    from .speech.voices import tts_for_voice

    if who.voice_profile is not None:
        return get_tts("piper") if lang == "en" else get_tts("espeak", lang=lang)
    tts, note = tts_for_voice(who.voice, lang)
    if note:
        import warnings

        warnings.warn(note, stacklevel=3)
    return tts


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
    bvh: str | os.PathLike | None = None,
) -> SayResult:
    """Render ``text`` spoken by ``persona`` (default: the bundled persona) to an MP4 at ``output``.

    With ``options.body`` the body moves too and ``bvh`` (if given) receives its motion.

    ``timeline`` (JSON: words, phonemes, visemes with times) and ``cues`` (Rhubarb TSV) are
    written too when given. Every output appears complete or not at all.
    """
    from .speech.languages import resolve_language
    from .text import markup_tags, prepare_text

    check_options(options)
    options = _with_motion(options)
    outputs = _check_outputs(output, timeline, cues, _check_body(options, bvh))
    if persona in (None, "default") or (isinstance(persona, Persona) and persona.voice.startswith("kokoro:")):
        from .speech.kokoro import preload

        preload(persona.voice.split(":", 1)[1] if isinstance(persona, Persona) else "af_heart")
    who = resolve_persona(persona, home)
    if options.body:  # no shoulders in the photo: say so before any speech is made
        _check_shoulders(who, options)
    prepare_text(text, lang=resolve_language(options.lang or who.lang).code)  # fail fast, before any model loads
    speech = speak(text, who, options)
    result = _animate_and_render(speech, who, options, outputs, progress=progress)
    tags = markup_tags(text)
    if tags:
        shown = ", ".join(f"<{t}>" for t in tags[:5]) + (" ..." if len(tags) > 5 else "")
        result = replace(result, warnings=(f"markup tags were removed, not read aloud ({shown}): "
                                           "digihuman speaks plain text, not SSML or HTML",))
    return result


def lipsync_audio(
    audio: str | os.PathLike,
    output: str | os.PathLike,
    persona: Persona | str | None = None,
    *,
    transcript: str | None = None,
    options: SayOptions = SayOptions(),
    timeline: str | os.PathLike | None = None,
    cues: str | os.PathLike | None = None,
    home: str | os.PathLike | None = None,
    progress: bool = False,
    bvh: str | os.PathLike | None = None,
) -> SayResult:
    """Lip-sync ``persona`` to recorded speech in ``audio`` (any common format) -> MP4.

    With a ``transcript`` (English) the phonemes come from forced alignment; without, Whisper's
    words are aligned (English) or phonemised (other languages, ``options.lang``); see
    :func:`digihuman.recognition.recognize`. The recording's
    own audio goes into the video (mono, resampled to 24 kHz).
    """
    from .audio import load_audio
    from .recognition import recognize

    check_options(options)
    options = _with_motion(options)
    outputs = _check_outputs(output, timeline, cues, _check_body(options, bvh))
    who = resolve_persona(persona, home)
    if options.body:
        _check_shoulders(who, options)
    sound = load_audio(audio, sample_rate=LIPSYNC_RATE)
    bar = _bar(progress, 1.0, "recognising", unit="")
    try:
        tl, warnings = recognize(sound, transcript, lang=options.lang or who.lang,
                                 progress=(lambda f: bar.update(f - bar.n)) if bar else None)
    finally:
        if bar:
            bar.close()
    speech = Speech(sound, tl, transcript or "")
    result = _animate_and_render(speech, who, options, outputs, progress=progress)
    return replace(result, warnings=tuple(warnings))


def _with_motion(options: SayOptions) -> SayOptions:
    """``options`` with the body on when a motion file is given; a missing file or one for
    another skeleton fails here, before any speech is made."""
    if options.motion is None:
        return options
    from .body.bvh import read_bvh
    from .body.retime import check_humanoid

    check_humanoid(read_bvh(options.motion), options.motion)
    return replace(options, body=True)


def _check_body(options: SayOptions, bvh):
    if bvh is not None and not options.body:
        raise InputError("--bvh needs --body", "add --body to move the body and export its motion")
    return bvh


def _check_shoulders(who: Persona, options: SayOptions) -> None:
    """Raise :class:`~digihuman.body.render.NoShouldersError` if the frame shows no shoulders."""
    from .body.render import detect_pose, photo_box
    from .face.renderer import crop_photo

    detect_pose(crop_photo(who.photo, who.face.crop, options.size),
                photo_box(who.face.crop, who.face.image_size, options.size))


LIPSYNC_RATE = 24000  # Hz: full speech bandwidth (12 kHz) at half the memory of CD rate for long audio


def _check_outputs(output, timeline, cues, bvh=None) -> tuple[Path, Path | None, Path | None, Path | None]:
    """Validate every output path before any expensive work."""
    return (
        check_writable(output, suffixes=(".mp4",)),
        check_writable(timeline, suffixes=(".json",)) if timeline is not None else None,
        check_writable(cues, suffixes=(".tsv", ".txt")) if cues is not None else None,
        check_writable(bvh, suffixes=(".bvh",)) if bvh is not None else None,
    )


def _animate_and_render(speech: Speech, who: Persona, options: SayOptions, outputs, *, progress: bool) -> SayResult:
    from .animation import animate, express
    from .emotion.expression import face_for_emotion
    from .lipsync import mouth_cues, write_cues_tsv, write_timeline_json

    out, tl_path, cue_path, bvh_path = outputs
    cue_list = mouth_cues(speech.timeline)
    track = express(animate(speech, fps=options.fps, seed=options.seed, cues=cue_list),
                    face_for_emotion(_emotion(options)), cue_list)
    motion = None
    if options.body:
        from .body.gesture import gesture_motion
        from .body.render import with_body_head

        if options.motion is not None:
            from .body.bvh import read_bvh
            from .body.retime import check_humanoid, retime

            motion = retime(check_humanoid(read_bvh(options.motion), options.motion), options.fps, track.n_frames)
        else:
            motion = gesture_motion(speech.timeline, speech.text, options.emotion, strength=options.emotion_strength,
                                    fps=options.fps, seed=options.seed)
        track = with_body_head(track, motion)
    # all outputs or none: a full disk at the timeline must not leave the MP4 behind either
    with atomic_paths(out, tl_path, cue_path, bvh_path) as (tmp_out, tmp_tl, tmp_cues, tmp_bvh):
        n = render_video(tmp_out, who, speech, track, options, progress=progress, motion=motion)
        if tmp_tl is not None:
            write_timeline_json(speech, cue_list, tmp_tl)
        if tmp_cues is not None:
            write_cues_tsv(cue_list, tmp_cues)
        if tmp_bvh is not None:
            from .body.bvh import write_bvh

            write_bvh(motion, tmp_bvh)
    return SayResult(out, speech, tuple(cue_list), track, n, tl_path, cue_path, motion=motion, bvh_path=bvh_path)


def _bar(enabled: bool, total: float, desc: str, unit: str = "frame"):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, leave=False,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}" if not unit else None)


def render_video(out: Path, who: Persona, speech: Speech, track: FaceTrack, options: SayOptions, *,
                 progress: bool = False, motion=None) -> int:
    """Render ``track`` on ``who``'s face (and ``motion`` on its body) and encode it with
    ``speech``'s audio into ``out``."""
    from .face.renderer import FaceRenderer
    from .video.encoder import VideoOptions, encode_mp4

    renderer = FaceRenderer(who.photo, who.face, size=options.size)
    frames: Iterator[np.ndarray] = renderer.render_track(track)
    if motion is not None:
        from .body.gesture import reference_pose
        from .body.render import BodyWarp, photo_box

        warp = BodyWarp(renderer.base_frame, motion, reference_pose(motion.skeleton),
                        photo_box(who.face.crop, who.face.image_size, options.size))
        frames = (warp.apply(f, i) for i, f in enumerate(frames))
    if options.label:
        from .provenance.label import Caption

        frames = map(Caption().apply, frames)
    bar = _bar(progress, track.n_frames, "rendering")
    if bar is not None:
        frames = _counted(frames, bar)
    meta = {"title": speech.text[:200], "artist": f"digihuman persona {who.name}"}
    mark = None
    if options.watermark:
        from .provenance import for_persona

        mark = for_persona(who, speech.text[:200])
    try:
        return encode_mp4(out, frames, speech.audio, VideoOptions(fps=options.fps, crf=options.crf), meta, mark)
    finally:
        if bar is not None:
            bar.close()


def _counted(frames: Iterator[np.ndarray], bar) -> Iterator[np.ndarray]:
    for frame in frames:
        yield frame
        bar.update(1)
