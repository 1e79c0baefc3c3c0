"""The data that flows between pipeline stages.

text -> :class:`Speech` (audio + :class:`Timeline`) -> mouth cues (:class:`MouthCue`) ->
:class:`FaceTrack` (per-frame :data:`FACE_PARAMS`) -> frames -> video.

These names are the public contract between stages; keep them stable. All times are seconds
from the start of the utterance, all audio is mono float32 in [-1, 1].
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Audio:
    """Mono audio."""

    samples: np.ndarray
    """float32 samples in [-1, 1], shape (n,)."""
    sample_rate: int
    """Samples per second (Hz)."""

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / float(self.sample_rate)

    def to_int16(self) -> np.ndarray:
        return (np.clip(self.samples, -1.0, 1.0) * 32767.0).astype(np.int16)


@dataclass(frozen=True)
class Phoneme:
    """One phoneme with its time span."""

    symbol: str
    """IPA symbol as the voice produced it (e.g. ``"m"``, ``"aɪ"``); ``""`` is silence."""
    start: float
    """Start time in seconds."""
    end: float
    """End time in seconds (exclusive)."""

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def is_silence(self) -> bool:
        return self.symbol == ""


@dataclass(frozen=True)
class Word:
    """One spoken word and the phonemes that make it up."""

    text: str
    start: float
    end: float
    phonemes: tuple[Phoneme, ...] = ()


@dataclass(frozen=True)
class Timeline:
    """What was said, when: words and the flat phoneme sequence (silences included)."""

    words: tuple[Word, ...]
    phonemes: tuple[Phoneme, ...]
    """Contiguous and ordered: each phoneme starts where the previous one ends."""
    duration: float
    """Seconds; equals the audio duration."""


@dataclass(frozen=True)
class Speech:
    """The result of text-to-speech: audio plus the timeline that is aligned with it."""

    audio: Audio
    timeline: Timeline
    text: str = ""


class Viseme(str, enum.Enum):
    """Mouth shapes, Rhubarb Lip Sync's vocabulary (the public one of this project)."""

    A = "A"  # Closed mouth, lips pressed (M, B, P)
    B = "B"  # Slightly open, teeth nearly together (most consonants: K, S, T, EE)
    C = "C"  # Open mouth (EH, AE, unstressed vowels)
    D = "D"  # Wide open mouth (AA)
    E = "E"  # Slightly rounded, half open (AO, ER)
    F = "F"  # Puckered lips (UW, OW, W)
    G = "G"  # Upper teeth on the lower lip (F, V)
    H = "H"  # Tongue raised behind the upper teeth, mouth open (long L)
    X = "X"  # Idle: mouth at rest, closed (silence)


@dataclass(frozen=True)
class MouthCue:
    """One mouth shape held from ``start`` to ``end`` seconds (Rhubarb's mouth cue)."""

    start: float
    end: float
    shape: Viseme


# Per-frame face parameters, the columns of FaceTrack.values. Units:
#   jaw_open     inner-lip gap / rest mouth width (0 = lips touching, ~0.4 = wide open)
#   mouth_width  mouth-corner distance / the photo's mouth width (1 = as in the photo)
#   lip_round    0..1 rounding/protrusion of the lips (pucker)
#   lip_tuck     0..1 lower lip raised and tucked under the upper teeth (F, V)
#   tongue       0..1 tongue tip visible, raised behind the upper teeth (L, TH)
#   smile        -1..1 mouth corners down..up (emotion; 0 = as in the photo)
#   blink_l/r    0 = eye open as in the photo, 1 = fully closed (the person's left/right)
#   brow         -1..1 brows lowered..raised
#   head_yaw/pitch/roll  radians, small (|x| < 0.1); positive yaw turns to the image's left
#   head_dx/dy   head translation as a fraction of the face width (image x right, y down)
#   breath       0..1 breathing phase: chest/shoulders rise, head rises slightly
#   brow_inner .. lip_stretch  0..1 facial action units for emotions (see digihuman.face.action_units)
FACE_PARAMS: tuple[str, ...] = (
    "jaw_open",
    "mouth_width",
    "lip_round",
    "lip_tuck",
    "tongue",
    "smile",
    "blink_l",
    "blink_r",
    "brow",
    "head_yaw",
    "head_pitch",
    "head_roll",
    "head_dx",
    "head_dy",
    "breath",
    # action units (emotion): AU1, AU4, AU5, AU7, AU6, AU9, AU10, AU20
    "brow_inner",
    "brow_lower",
    "lid_raise",
    "lid_tight",
    "cheek",
    "nose_wrinkle",
    "lip_raise",
    "lip_stretch",
)
PARAM_INDEX: dict[str, int] = {name: i for i, name in enumerate(FACE_PARAMS)}
NEUTRAL_PARAMS: dict[str, float] = {name: 0.0 for name in FACE_PARAMS} | {"mouth_width": 1.0}


@dataclass(frozen=True)
class FaceTrack:
    """Per-frame face parameters for a whole clip: ``values[i, PARAM_INDEX[name]]``."""

    values: np.ndarray
    """float32, shape (n_frames, len(FACE_PARAMS))."""
    fps: float
    """Frames per second."""

    @property
    def n_frames(self) -> int:
        return int(self.values.shape[0])

    @property
    def duration(self) -> float:
        return self.n_frames / self.fps

    def column(self, name: str) -> np.ndarray:
        return self.values[:, PARAM_INDEX[name]]

    def frame(self, i: int) -> dict[str, float]:
        return {name: float(v) for name, v in zip(FACE_PARAMS, self.values[i])}

    @staticmethod
    def neutral(n_frames: int, fps: float) -> "FaceTrack":
        row = np.array([NEUTRAL_PARAMS[n] for n in FACE_PARAMS], dtype=np.float32)
        return FaceTrack(np.tile(row, (n_frames, 1)), fps)


@dataclass(frozen=True)
class FaceAnalysis:
    """What the renderer needs to know about the face in a photo, computed once per persona."""

    landmarks: np.ndarray
    """float32 (478, 3): MediaPipe FaceMesh points in photo pixels (x right, y down; z in pixels,
    negative towards the camera)."""
    image_size: tuple[int, int]
    """(width, height) of the photo in pixels."""
    crop: tuple[int, int, int, int]
    """Square (x, y, side, side) region of the photo that frames the talking head, in pixels.
    May extend past the photo's edges; the renderer pads with the edge colour."""
    n_faces: int = 1
    """How many faces were found; the largest is the one described here."""
    extra: dict = field(default_factory=dict)
    """Measurements derived from the landmarks (mouth width, lip gap, eye openness ...)."""
