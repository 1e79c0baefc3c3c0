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


def voice_for_emotion(emotion: Emotion, options):
    """``options`` (a :class:`~digihuman.pipeline.SayOptions`) with prosody for ``emotion``."""
    rate, pitch, volume = PROSODY.get(emotion.label, PROSODY["neutral"])
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
    return {name: value * k for name, value in FACE.get(emotion.label, {}).items()}
