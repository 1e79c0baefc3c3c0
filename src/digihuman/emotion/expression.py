"""How an emotion is expressed: voice prosody and face parameters.

The conversation chooses a reply emotion (mirror joy, comfort sadness, calm anger); these tables
turn it into changes the voice and face stages already understand, scaled by the confidence (or
the asked intensity) so a faint emotion shows faintly. The voice table is
:mod:`digihuman.emotion.prosody`; the face table below is action units
(:mod:`digihuman.face.action_units`).
"""

from __future__ import annotations

from ..dialog.types import Emotion

# label -> face parameter offsets (FACE_PARAMS names) at full intensity: FACS action-unit
# combinations of the six basic emotions (Ekman & Friesen's prototypes, see face/action_units.py);
# "smile" is AU12 (> 0) / AU15 (< 0), "brow" AU1+AU2, "blink" a heavier upper lid
FACE: dict[str, dict[str, float]] = {
    "neutral": {},
    # AU6+7+12 with parted lips (Duchenne smile: the eyes narrow)
    "joy": {"smile": 1.0, "cheek": 1.0, "lid_tight": 0.3, "mouth_width": 0.25, "jaw_open": 0.15},
    "sadness": {"brow_inner": 1.0, "brow_lower": 0.4, "smile": -0.7, "blink_l": 0.12, "blink_r": 0.12},  # AU1+4+15
    # AU4+5+10 with the mouth open and squared (shouting, AU25+26); the lids stare
    "anger": {"brow_lower": 1.0, "lid_raise": 1.0, "lip_raise": 0.5, "smile": -0.3, "jaw_open": 0.35,
              "lip_round": 0.6, "mouth_width": -0.15},
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
    """``options`` (a :class:`~digihuman.pipeline.SayOptions`) with prosody for ``emotion``
    (the table is :mod:`digihuman.emotion.prosody`)."""
    from .prosody import apply_prosody, prosody_for

    return apply_prosody(prosody_for(emotion.label, _detail(emotion)), emotion.confidence, options)


def face_for_emotion(emotion: Emotion) -> dict[str, float]:
    """Face parameter offsets (e.g. ``{"smile": 0.5}``) for ``emotion`` at its confidence."""
    k = max(0.0, min(1.0, emotion.confidence))
    face = DETAIL_FACE.get(_detail(emotion)) or FACE.get(emotion.label, {})
    return {name: value * k for name, value in face.items()}
