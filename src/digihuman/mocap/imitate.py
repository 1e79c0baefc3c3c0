"""``imitate``: a persona that moves, looks and speaks like the performer in a video.

The performer's face is captured (blinks, brows, smile, head turns) and played on the
persona's face; their recorded speech drives the lip sync (the recorded-speech path of
``lipsync``: exact closures on p/b/m), and where nobody speaks the performer's captured mouth
is copied instead. When the persona's photo shows shoulders, the captured body motion moves
them too. The video's own sound goes into the output.
"""

from __future__ import annotations

import os
import numpy as np

from ..errors import InputError
from ..types import PARAM_INDEX, Audio, FaceTrack, Speech, Timeline
from .motion import Capture, capture

MOUTH = ("jaw_open", "mouth_width", "lip_round", "lip_tuck", "tongue")
COPIED = ("smile", "blink_l", "blink_r", "brow", "head_yaw", "head_pitch", "head_roll")
SILENCE = ("", "sil", "SIL", "_", "X")  # phoneme symbols that mean nobody speaks


def _at(track: FaceTrack, times: np.ndarray, src_times: np.ndarray) -> np.ndarray:
    """``track`` (sampled at ``src_times``) resampled to ``times`` (s), every column."""
    return np.stack([np.interp(times, src_times, track.values[:, k]) for k in range(track.values.shape[1])], axis=1)


def _speaking(tl: Timeline, times: np.ndarray) -> np.ndarray:
    """(n,) True where the timeline has a spoken (non-silence) phoneme."""
    out = np.zeros(len(times), bool)
    for p in tl.phonemes:
        if p.symbol not in SILENCE:
            out |= (times >= p.start) & (times < p.end)
    return out


def imitation_track(cap: Capture, speech: Speech | None, fps: float, duration: float, *, seed: int = 0) -> FaceTrack:
    """The persona's face parameters: copied from the performer, mouth from their speech."""
    from ..animation import animate

    n = max(1, int(round(duration * fps)))
    times = (np.arange(n) + 0.5) / fps
    face = _at(cap.face, times, cap.times)
    if speech is not None:
        spoken = animate(speech, fps=fps, seed=seed).values
        spoken = spoken[:n] if len(spoken) >= n else np.vstack([spoken, np.repeat(spoken[-1:], n - len(spoken), 0)])
        talking = _speaking(speech.timeline, times)
        for name in MOUTH:
            k = PARAM_INDEX[name]
            face[talking, k] = spoken[talking, k]
        face[:, PARAM_INDEX["breath"]] = spoken[:, PARAM_INDEX["breath"]]
    return FaceTrack(face.astype(np.float32), float(fps))


def imitate(persona, video: str | os.PathLike, output: str | os.PathLike, *, transcript: str | None = None,
            options=None, home=None, person: int = 1, progress: bool = False):
    """Render ``persona`` imitating the performer in ``video`` to ``output`` (.mp4)."""
    from ..audio import load_audio
    from ..pipeline import LIPSYNC_RATE, SayOptions, _check_outputs, check_options, render_video, resolve_persona
    from ..recognition import recognize
    from ..video.reader import probe
    from .._fs import atomic_paths

    options = options or SayOptions()
    check_options(options)
    out = _check_outputs(output, None, None)[0]
    who = resolve_persona(persona, home)
    info = probe(video)
    cap = capture(video, person=person, face=True)
    if cap.face is None:
        raise InputError("no face of the performer was found", "use a video where the face is in view")
    speech, warnings = None, list(cap.notes)
    if info.has_audio:
        sound = load_audio(video, sample_rate=LIPSYNC_RATE)
        tl, notes = recognize(sound, transcript, lang=options.lang or who.lang)
        speech = Speech(sound, tl, transcript or "")
        warnings += list(notes)
    else:
        n = int(round(info.duration * LIPSYNC_RATE))
        sound = Audio(np.zeros(max(n, 1), np.float32), LIPSYNC_RATE)
        warnings.append("the video has no sound: the mouth copies the performer's")
    duration = max(sound.duration, float(cap.times[-1]) + cap.clip.frame_time)
    track = imitation_track(cap, speech, options.fps, duration, seed=options.seed)
    carrier = speech or Speech(sound, Timeline((), (), sound.duration), "")
    motion = _body_motion(who, cap, options)
    with atomic_paths(out) as (tmp,):
        n_frames = render_video(tmp, who, carrier, track, options, progress=progress, motion=motion)
    return out, n_frames, track, tuple(warnings)


def _body_motion(who, cap: Capture, options):
    """The captured motion at the video's frame rate, when the photo shows shoulders; else None."""
    from ..errors import DigihumanError
    from ..pipeline import _check_shoulders

    try:
        _check_shoulders(who, options)
    except DigihumanError:  # no shoulders in the photo: the face alone imitates
        return None
    from ..body.retime import retime

    n = int(round(cap.clip.duration * options.fps))
    return retime(cap.clip, options.fps, n, loop=False) if n else None
