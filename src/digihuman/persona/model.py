"""The Persona: who the digital human is (face, voice, language) and how it is stored.

A stored persona is a folder ``<home>/<name>/`` holding
  persona.json   readable description (name, voice, language, face measurements)
  photo.png      the photo, upright RGB, at most 2048 px on its longest side
  face.npz       the 478 FaceMesh landmarks in photo pixels (float32)
  voice.json     (optional) the cloned voice profile, readable numbers; voice.npz its arrays
  knowledge/     (optional) copies of the documents the persona knows (markdown, FAQ, CSV)
  knowledge.sqlite, memory.sqlite   the knowledge index and the long-term memory of each user
The built-in default persona is not stored: it is the public-domain NASA astronaut portrait
that scikit-image ships, analysed on first use.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..dialog.types import Personality
from ..types import FaceAnalysis
from .profile import Profile, builtin_profile

if TYPE_CHECKING:
    from ..dialog.conversation import Conversation
    from ..dialog.types import Reply
    from ..voice.profile import VoiceProfile

SCHEMA_VERSION = 1
DEFAULT_NAME = "default"
DEFAULT_VOICE = "piper:en_US-joe-medium"
"""The voice of personas stored before Kokoro (persona.json without "voice")."""
BUILTIN_VOICE = "kokoro:af_heart"
"""The bundled default persona's voice: female, US English (Kokoro)."""


@dataclass(frozen=True)
class Consent:
    """Where a persona's photo and voice came from, and the consent statement given at creation.

    Part of the persona hash that every watermark carries (``digihuman.provenance``)."""

    statement: str = ""
    """The consent statement, in the creator's words (e.g. "I am Alice and I agree ...")."""
    photo_source: str = ""
    """File name the photo was read from."""
    photo_sha256: str = ""
    voice_source: str = ""
    """File name the voice sample was read from ("" = no cloned voice)."""
    voice_sha256: str = ""
    photo_synthetic: str = ""
    """How the photo was made when it shows no real person (a ``digihuman face create`` marker:
    "digihuman face create (landmark morph)"); "" = a photo of a real person."""

    def describe(self) -> dict:
        d = {"statement": self.statement, "photo_source": self.photo_source, "photo_sha256": self.photo_sha256,
             "voice_source": self.voice_source, "voice_sha256": self.voice_sha256}
        if self.photo_synthetic:  # only then: the hashes of existing personas stay as they were
            d["photo_synthetic"] = self.photo_synthetic
        return d

    @staticmethod
    def from_dict(d: dict | None) -> "Consent":
        d = d or {}
        return Consent(**{k: str(d.get(k, "")) for k in ("statement", "photo_source", "photo_sha256",
                                                          "voice_source", "voice_sha256", "photo_synthetic")})


DEFAULT_CONSENT = Consent(
    statement="Public-domain NASA portrait of an astronaut (shipped by scikit-image) with a stock "
              "Kokoro voice (Apache-2.0): no real person's likeness or voice is cloned.",
    photo_source="skimage.data.astronaut()",
)


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
    personality: Personality = Personality()
    """How the persona talks (extraversion, description)."""
    knowledge: tuple[str, ...] = ()
    """File names (in ``knowledge/``) of the documents the persona knows."""
    created: str = ""
    """ISO-8601 UTC time of creation."""
    path: Path | None = None
    """Folder on disk; None for the built-in default persona."""
    home: Path | None = field(default=None, repr=False)
    """The built-in persona's home folder, where its memories live (None: the default home)."""
    profile: Profile | None = field(default=None, repr=False)
    """Who the persona is (identity, origin, likes, opinions); see :mod:`.profile`."""
    consent: Consent = Consent()
    """Where the photo and voice came from, and the consent statement."""

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
            "personality": {"extraversion": self.personality.extraversion,
                            "description": self.personality.description},
            "knowledge": list(self.knowledge),
            **({"profile": self.profile.to_dict()} if self.profile is not None else {}),
            "photo": "photo.png",
            "face": face_to_dict(self.face),
            "landmarks": "face.npz",
            "consent": self.consent.describe(),
        }

    @property
    def state_dir(self) -> Path:
        """Where this persona's memory and knowledge index live."""
        if self.path is not None:
            return self.path
        from .store import default_home

        return (self.home or default_home()) / "default-persona"

    def conversation(self, engine: str = "builtin", **engine_options) -> Conversation:
        """The persona's conversation (memory + knowledge + dialog engine), opened once per process."""
        from ..dialog.conversation import Conversation

        key = (str(self.state_dir), engine, tuple(sorted(engine_options.items())))
        conv = _CONVERSATIONS.get(key)
        if conv is None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            conv = Conversation(self.name, self.state_dir, self.personality, engine=engine,
                                engine_options=engine_options or None, profile=self.profile)
            if self.builtin:
                _seed_default_knowledge(conv)
            _CONVERSATIONS[key] = conv
        return conv

    def chat(self, user: str, message: str, *, role: str = "user") -> Reply:
        """One conversation turn with ``user``: the reply, its emotion, memories used and written.

        ``role="owner"``: the persona's owner, whose teaching changes the shared knowledge."""
        return self.conversation().chat(user, message, role=role)

    @staticmethod
    def default() -> "Persona":
        """The bundled default persona (astronaut portrait + the bundled English voice)."""
        return _default_persona()


def personality_from_dict(d: dict | None) -> Personality:
    d = d or {}
    return Personality(extraversion=float(d.get("extraversion", 0.5)), description=str(d.get("description", "")))


EXTRAVERSION_LEVELS = {"low": 0.15, "medium": 0.5, "high": 0.85}


def parse_extraversion(value: str | float) -> float:
    """"high" / "medium" / "low" or a number in 0..1."""
    from ..errors import PersonaError

    if isinstance(value, str) and value.strip().lower() in EXTRAVERSION_LEVELS:
        return EXTRAVERSION_LEVELS[value.strip().lower()]
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = -1.0
    if not 0.0 <= x <= 1.0:
        raise PersonaError(f"extraversion {value!r} is not valid", "use high, medium, low, or a number from 0 to 1")
    return x


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
    """The base TTS voice id for a language: Kokoro's default where it has one, else espeak-ng
    (see :func:`digihuman.speech.voices.default_voice`; never guessed from the photo)."""
    from ..speech.voices import default_voice

    return default_voice(lang).id


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


_DEFAULT: Persona | None = None
_CONVERSATIONS: dict[tuple, object] = {}
DEFAULT_KNOWLEDGE = "default_knowledge.md"  # package data: what the built-in persona knows
DEFAULT_PERSONALITY = Personality(
    extraversion=0.7,
    description="a friendly digital human made by digihuman from a single public-domain photo",
)


def _seed_default_knowledge(conv) -> None:
    """The built-in persona knows what digihuman is (its bundled about-file), indexed once."""
    from importlib.resources import files

    kb = conv.knowledge
    if not kb.sources():
        kb.add_file(Path(str(files("digihuman.persona").joinpath(DEFAULT_KNOWLEDGE))))


def _default_persona() -> Persona:
    global _DEFAULT
    if _DEFAULT is None:
        from skimage import data

        from ..face.landmarks import analyze_face

        photo = np.ascontiguousarray(data.astronaut())
        _DEFAULT = Persona(name=DEFAULT_NAME, photo=photo, face=analyze_face(photo), voice=BUILTIN_VOICE,
                           personality=DEFAULT_PERSONALITY, created="", profile=builtin_profile(),
                           consent=DEFAULT_CONSENT)
    return _DEFAULT
