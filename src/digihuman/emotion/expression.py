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

# label -> face parameter offsets (FACE_PARAMS names) at full intensity: FACS action-unit
# combinations of the six basic emotions (Ekman & Friesen's prototypes, see face/action_units.py);
# "smile" is AU12 (> 0) / AU15 (< 0), "brow" AU1+AU2, "blink" a heavier upper lid
FACE: dict[str, dict[str, float]] = {
    "neutral": {},
    # AU6+12 with parted lips (Duchenne smile)
    "joy": {"smile": 1.0, "cheek": 1.0, "lid_tight": 0.2, "mouth_width": 0.12, "jaw_open": 0.08},
    "sadness": {"brow_inner": 1.0, "brow_lower": 0.4, "smile": -0.7, "blink_l": 0.12, "blink_r": 0.12},  # AU1+4+15
    # AU4+5+7 with the mouth open (shouting); the lids stare rather than squint
    "anger": {"brow_lower": 1.0, "lid_raise": 0.6, "lid_tight": 0.3, "smile": -0.3, "jaw_open": 0.2, "mouth_width": 0.05},
    "fear": {"brow": 0.8, "brow_inner": 0.6, "brow_lower": 0.3, "lid_raise": 1.0, "lip_stretch": 1.0,
             "jaw_open": 0.1},  # AU1+2+4+5+20 (+25)
    "surprise": {"brow": 1.0, "lid_raise": 1.0, "jaw_open": 0.25, "lip_round": 0.25, "mouth_width": -0.1},  # AU1+2+5+26
    "disgust": {"nose_wrinkle": 1.0, "lip_raise": 1.0, "brow_lower": 0.4, "cheek": 0.3, "smile": -0.3},  # AU9+10 (+4)
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
