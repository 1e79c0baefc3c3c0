"""``dub``: input video -> analysis -> new speech -> new mouth on the original frames -> MP4.

Order: everything that can refuse the input cheaply runs first (paths, streams, speech, the
script's length, checked after one fast TTS pass), then the face is tracked over the whole video
(one streaming decode), then the video is decoded a second time and each frame goes straight
from the renderer into the encoder. Nothing is written until the end, atomically.
"""

from __future__ import annotations

import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..types import Audio, MouthCue, Speech, Timeline
from .analyze import VideoInfo, iter_frames, probe_video, track_face
from .speech import Slot, mix, place_recording, synthesize_script

MIX_RATE = 24000  # Hz: output audio (speech bandwidth, as `lipsync`)


@dataclass(frozen=True)
class DubOptions:
    """Options for :func:`dub`."""

    lang: str = "en"
    """Language of the new script (or of the voice actor's recording)."""
    source_lang: str = "en"
    """Language spoken in the input video (recognition and voice learning)."""
    face: int | None = None
    """Which face to re-lip when several are seen: 1-based from the picture's left; None = the largest."""
    clone: bool = True
    """Speak in the actor's voice learned from the video (False: the base voice)."""
    duck_db: float = -14.0
    """Level of the original background under the new voice, dB."""
    crf: int = 17
    """x264 quality: lower than `say` (20) since these are someone's real frames, re-encoded once more."""
    watermark: bool = True
    """Invisible watermark + C2PA manifest, as on every output. Off only for reference material in tests."""


@dataclass(frozen=True)
class DubResult:
    """What :func:`dub` produced."""

    video: Path
    info: VideoInfo
    speech: Speech = field(repr=False)
    """The new speech over the whole video (timeline in video seconds)."""
    original: Timeline | None = field(repr=False)
    """What the actor said, as recognised or aligned (None without original speech)."""
    cues: tuple[MouthCue, ...] = field(repr=False)
    voice: str = "base"
    """"cloned" (the actor's voice learned from the video), "base", or "recording"."""
    slots: tuple[Slot, ...] = field(default=(), repr=False)
    n_frames: int = 0
    faces_tracked: int = 0
    """Frames on which the mouth was re-rendered (the others are passed through)."""
    timeline_path: Path | None = None
    cues_path: Path | None = None
    warnings: tuple[str, ...] = ()

    @property
    def duration(self) -> float:
        return self.n_frames / self.info.fps


def _read_sound(info: VideoInfo) -> Audio:
    """The video's sound at MIX_RATE, exactly as long as its frames."""
    from ..audio.io import load_audio

    a = load_audio(info.path, MIX_RATE)
    n = int(round(info.duration * MIX_RATE))
    x = a.samples[:n]
    return Audio(np.pad(x, (0, n - len(x))), MIX_RATE)


def _segments(sound: Audio) -> list[tuple[float, float]]:
    from ..audio.io import resample
    from ..recognition import vad

    return vad.speech_segments(resample(sound, vad.SAMPLE_RATE).samples)


def _learn_voice(sound: Audio, segs, lang: str, warnings: list[str]):
    """The actor's voice profile from the video's own speech (its speech segments only)."""
    from ..voice import analyze_voice

    sr = sound.sample_rate
    spoken = np.concatenate([sound.samples[int(s * sr):int(e * sr)] for s, e in segs])[: 300 * sr]
    try:
        return analyze_voice(Audio(spoken, sr), lang=lang)
    except InputError as exc:
        warnings.append(f"voice cloning impossible ({exc.message}): the base voice speaks the new script")
        return None


def _provenance(info: VideoInfo, profile, title: str, home):
    from ..provenance import Provenance, make_payload, persona_hash

    with open(info.path, "rb") as f:  # the actor is identified by the input video itself
        head = np.frombuffer(f.read(1 << 20), np.uint8)
    voice = b"" if profile is None else repr(sorted(profile.numbers().items())).encode()
    return Provenance(make_payload(persona_hash(head, voice)), f"dub of {info.path.name}", "", title,
                      True, Path(home) if home is not None else None)


def _new_speech(info, sound, segs, script, audio, transcript, options, lang, home):
    """(original timeline, voice profile, voice kind, new speech, slots, warnings)."""
    from ..audio.io import load_audio
    from ..pipeline import resolve_persona

    warnings: list[str] = []
    original = profile = None
    if segs:
        from ..recognition import recognize

        original, w = recognize(sound, transcript, lang=options.source_lang)
        warnings += [f"original speech: {m}" for m in w]
    if script is not None:
        if options.clone:
            profile = _learn_voice(sound, segs, options.source_lang, warnings)
        voice = "cloned" if profile is not None else "base"
        who = replace(resolve_persona(None, home), voice_profile=profile, lang=lang)
        speech, w, slots = synthesize_script(script, who, lang, segs, info.duration, MIX_RATE)
    else:
        voice = "recording"
        speech, w, offset = place_recording(load_audio(audio, MIX_RATE), transcript=None, lang=lang, spans=segs,
                                            duration=info.duration, sample_rate=MIX_RATE)
        w = [f"recording: {m}" for m in w]
        slots = ()
        if abs(offset) > 0.02:
            w.append(f"the recording was moved by {offset:+.2f} s so its first word starts with the actor's")
    return original, profile, voice, speech, tuple(slots), warnings + w


def dub(
    video: str | os.PathLike,
    output: str | os.PathLike,
    *,
    script: str | None = None,
    audio: str | os.PathLike | None = None,
    transcript: str | None = None,
    options: DubOptions = DubOptions(),
    timeline: str | os.PathLike | None = None,
    cues: str | os.PathLike | None = None,
    home: str | os.PathLike | None = None,
    progress: bool = False,
) -> DubResult:
    """Dub ``video``: ``script`` spoken in the actor's cloned voice, or the voice actor's
    ``audio`` recording, with the lips re-rendered to it on every frame, into ``output`` (MP4).

    ``transcript``: what the actor says in the video (else it is recognised). ``timeline`` /
    ``cues``: also write the new speech's timeline JSON / Rhubarb TSV, as ``say`` does.
    """
    from .._fs import atomic_paths
    from ..animation import animate
    from ..lipsync import mouth_cues, write_cues_tsv, write_timeline_json
    from ..pipeline import _bar, _check_outputs, _counted
    from ..speech.languages import resolve_language
    from ..video.encoder import VideoOptions, encode_mp4
    from .render import dubbed_frames, mouth_rows

    if (script is None) == (audio is None):
        raise InputError("give the new script or a voice actor's recording (--script or --audio), one of them", "")
    if script is not None and not script.strip():
        raise InputError("the new script is empty", "write the new lines into the script file")
    out, tl_path, cue_path, _ = _check_outputs(output, timeline, cues)
    info = probe_video(video)
    if out.resolve() == info.path.resolve():
        raise InputError("the output would overwrite the input video", "choose another output name")
    lang = resolve_language(options.lang).code
    warnings: list[str] = []
    if info.rotation:
        warnings.append(f"the video asks to be shown rotated by {info.rotation} degrees; it is dubbed and written as stored")
    if info.has_audio:
        sound = _read_sound(info)
        segs = _segments(sound)
    elif audio is not None:
        sound, segs = Audio(np.zeros(int(round(info.duration * MIX_RATE)), np.float32), MIX_RATE), []
        warnings.append("the video has no sound: the recording is placed from its own first word")
    else:
        raise InputError(f"video {str(info.path)!r} has no audio stream: nothing says where the actor speaks",
                         "use the video with its sound, or dub it with a recording (--audio voice.wav)")
    if script is not None and not segs:
        raise InputError(f"no speech was found in the sound of {str(info.path)!r} (music or silence only?)",
                         "dubbing replaces speech: use a video where someone speaks, or give --audio")

    with tempfile.TemporaryDirectory(prefix="digihuman-dub-") as work, ThreadPoolExecutor(1) as pool:
        # the face is tracked (one decode, MediaPipe) while the voice is learned and the script
        # synthesised: the two use different cores for most of their time
        stop = threading.Event()
        bar = _bar(progress, info.n_frames, "analysing")
        tracking = pool.submit(track_face, info, Path(work), face=options.face, cancel=stop,
                               progress=(lambda i: bar.update(i + 1 - bar.n)) if bar else None)
        try:
            original, profile, voice, speech, slots, w = _new_speech(info, sound, segs, script, audio, transcript,
                                                                     options, lang, home)
            warnings += w
            faces = tracking.result()
        except BaseException:
            stop.set()
            raise
        finally:
            if bar:
                bar.close()
        sound_out = mix(sound, speech.audio, segs, duck_db=options.duck_db)
        cue_list = mouth_cues(speech.timeline)
        rows = mouth_rows(animate(speech, fps=info.fps, cues=cue_list).values)
        if faces.n_faces > 1 and options.face is None:
            warnings.append(f"{faces.n_faces} faces are seen: the largest is dubbed (choose another with --face N)")
        missing = int((~faces.valid).sum())
        if missing:
            warnings.append(f"no face on {missing} of {len(faces.valid)} frames: those are passed through untouched")
        n = len(faces.valid)
        info = replace(info, n_frames=n)
        total = int(round(info.duration * MIX_RATE))
        sound_out = Audio(np.pad(sound_out.samples, (0, max(0, total - len(sound_out.samples))))[:total], MIX_RATE)
        frames = dubbed_frames(iter_frames(info.path), faces.landmarks, faces.valid, rows, faces.cuts)
        bar = _bar(progress, n, "rendering")
        if bar is not None:
            frames = _counted(frames, bar)
        title = (script or f"voice actor recording {Path(audio).name}")[:200]
        mark = _provenance(info, profile, title, home) if options.watermark else None
        meta = {"title": title, "artist": f"digihuman dub of {info.path.name}"}
        try:
            with atomic_paths(out, tl_path, cue_path) as (tmp_out, tmp_tl, tmp_cues):
                n_out = encode_mp4(tmp_out, frames, sound_out, VideoOptions(fps=info.fps, crf=options.crf), meta, mark)
                if tmp_tl is not None:
                    write_timeline_json(speech, cue_list, tmp_tl)
                if tmp_cues is not None:
                    write_cues_tsv(cue_list, tmp_cues)
        finally:
            if bar is not None:
                bar.close()
    return DubResult(out, info, speech, original, tuple(cue_list), voice, tuple(slots), n_out,
                     int(faces.valid.sum()), tl_path, cue_path, tuple(warnings))
