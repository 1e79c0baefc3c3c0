"""How an emotion is expressed: voice prosody and face parameters.

The conversation chooses a reply emotion (mirror joy, comfort sadness, calm anger); these tables
turn it into changes the voice and face stages already understand, scaled by the confidence so a
faint emotion shows faintly. Values follow the direction of classic findings on vocal emotion
(joy: higher, faster, louder; sadness: lower, slower, softer) kept small to stay natural.
"""

from __future__ import annotations

from dataclasses import replace

from ..dialog.types import Emotion

# label -> (rate multiplier - 1, pitch semitones, volume multiplier - 1) at full confidence
PROSODY: dict[str, tuple[float, float, float]] = {
    "neutral": (0.0, 0.0, 0.0),
    "joy": (0.08, 1.5, 0.08),
    "sadness": (-0.12, -1.5, -0.15),
    "anger": (0.04, 0.5, 0.12),
    "fear": (0.08, 1.0, -0.05),
    "surprise": (0.05, 2.0, 0.08),
    "disgust": (-0.05, -0.5, 0.0),
}

# Finer feelings whose voice differs from their label's (``Emotion.detail``): tiredness and grief are
# sadness at even lower arousal (slower, softer, no lift); excitement is joy with more energy.
DETAIL_PROSODY: dict[str, tuple[float, float, float]] = {
    "tiredness": (-0.15, -1.0, -0.2),
    "grief": (-0.15, -2.0, -0.2),
    "excitement": (0.12, 2.0, 0.12),
    "relief": (-0.04, 0.5, 0.0),
    "worry": (0.04, 0.5, -0.08),
}

# label -> face parameter offsets (FACE_PARAMS names) at full confidence
FACE: dict[str, dict[str, float]] = {
    "neutral": {},
    "joy": {"smile": 0.6, "brow": 0.15},
    "sadness": {"smile": -0.45, "brow": -0.2},
    "anger": {"smile": -0.25, "brow": -0.6},
    "fear": {"smile": -0.2, "brow": 0.5},
    "surprise": {"brow": 0.8, "smile": 0.1},
    "disgust": {"smile": -0.35, "brow": -0.4},
}
DETAIL_FACE: dict[str, dict[str, float]] = {
    "tiredness": {"smile": -0.15, "brow": -0.15},  # flat and heavy rather than sad
    "gratitude": {"smile": 0.45, "brow": 0.1},
    "relief": {"smile": 0.35, "brow": 0.05},
}


def _detail(emotion: Emotion) -> str:
    """The finer feeling when it belongs under the label (a calm "neutral" reply ignores "worry")."""
    from .lexicon import FEELING_LABEL

    return emotion.detail if FEELING_LABEL.get(emotion.detail) == emotion.label else ""


def voice_for_emotion(emotion: Emotion, options):
    """``options`` (a :class:`~digihuman.pipeline.SayOptions`) with prosody for ``emotion``."""
    rate, pitch, volume = (DETAIL_PROSODY.get(_detail(emotion)) or PROSODY.get(emotion.label, PROSODY["neutral"]))
    k = max(0.0, min(1.0, emotion.confidence))
    return replace(
        options,
        rate=min(2.0, max(0.5, options.rate * (1.0 + rate * k))),
        pitch=max(-12.0, min(12.0, options.pitch + pitch * k)),
        volume=min(2.0, max(0.1, options.volume * (1.0 + volume * k))),
    )


def face_for_emotion(emotion: Emotion) -> dict[str, float]:
    """Face parameter offsets (e.g. ``{"smile": 0.5}``) for ``emotion`` at its confidence."""
    k = max(0.0, min(1.0, emotion.confidence))
    face = DETAIL_FACE.get(_detail(emotion)) or FACE.get(emotion.label, {})
    return {name: value * k for name, value in face.items()}
