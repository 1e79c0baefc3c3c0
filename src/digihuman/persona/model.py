"""The Persona: who the digital human is (face, voice, language) and how it is stored.

A stored persona is a folder ``<home>/<name>/`` holding
  persona.json   readable description (name, voice, language, face measurements)
  photo.png      the photo, upright RGB, at most 2048 px on its longest side
  face.npz       the 478 FaceMesh landmarks in photo pixels (float32)
  voice.json     (optional) the cloned voice profile, readable numbers; voice.npz its arrays
The built-in default persona is not stored: it is the public-domain NASA astronaut portrait
that scikit-image ships, analysed on first use.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..types import FaceAnalysis

if TYPE_CHECKING:
    from ..voice.profile import VoiceProfile

SCHEMA_VERSION = 1
DEFAULT_NAME = "default"
DEFAULT_VOICE = "piper:en_US-joe-medium"


@dataclass(frozen=True)
class Persona:
    """A digital human: one face photo, its analysis, and a voice."""

    name: str
    photo: np.ndarray = field(repr=False)
    """RGB uint8 (h, w, 3)."""
    face: FaceAnalysis = field(repr=False)
    voice: str = DEFAULT_VOICE
    """Base voice id, ``backend:model`` (the TTS voice before any cloning)."""
    lang: str = "en"
    """Language code the persona speaks (see ``digihuman.speech.languages``)."""
    voice_profile: VoiceProfile | None = field(default=None, repr=False)
    """The persona's own voice learned from a sample; None speaks with the base voice."""
    created: str = ""
    """ISO-8601 UTC time of creation."""
    path: Path | None = None
    """Folder on disk; None for the built-in default persona."""

    @property
    def builtin(self) -> bool:
        return self.path is None

    def describe(self) -> dict:
        """The content of persona.json (JSON-ready)."""
        return {
            "schema": SCHEMA_VERSION,
            "name": self.name,
            "created": self.created,
            "voice": self.voice,
            "voice_profile": "voice.json" if self.voice_profile is not None else None,
            "lang": self.lang,
            "photo": "photo.png",
            "face": face_to_dict(self.face),
            "landmarks": "face.npz",
        }

    @staticmethod
    def default() -> "Persona":
        """The bundled default persona (astronaut portrait + the bundled English voice)."""
        return _default_persona()


def face_to_dict(face: FaceAnalysis) -> dict:
    return {
        "image_size": list(face.image_size),
        "crop": list(face.crop),
        "faces_found": face.n_faces,
        "measurements": face.extra,
    }


def face_from_dict(d: dict, landmarks: np.ndarray) -> FaceAnalysis:
    return FaceAnalysis(
        landmarks=np.asarray(landmarks, dtype=np.float32),
        image_size=tuple(int(v) for v in d["image_size"]),
        crop=tuple(int(v) for v in d["crop"]),
        n_faces=int(d.get("faces_found", 1)),
        extra=dict(d.get("measurements", {})),
    )


def base_voice_for(lang: str) -> str:
    """The base TTS voice id for a language: the neural piper voice for English, else espeak-ng."""
    from ..speech.languages import resolve_language

    language = resolve_language(lang)
    return DEFAULT_VOICE if language.backend == "piper" else f"espeak:{language.espeak_voice}"


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


_DEFAULT: Persona | None = None


def _default_persona() -> Persona:
    global _DEFAULT
    if _DEFAULT is None:
        from skimage import data

        from ..face.landmarks import analyze_face

        photo = np.ascontiguousarray(data.astronaut())
        _DEFAULT = Persona(name=DEFAULT_NAME, photo=photo, face=analyze_face(photo), created="")
    return _DEFAULT
