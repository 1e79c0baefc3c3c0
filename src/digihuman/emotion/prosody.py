"""Voice prosody per emotion: one table that every voice backend gets through the same options.

Each emotion changes four things, at full intensity (scaled linearly by the intensity):

=========  ======  =============  ===========  ======
emotion    rate    pitch (st)     pitch range  volume
=========  ======  =============  ===========  ======
joy        +8 %    +1.5           x1.30        +8 %
sadness    -12 %   -1.5           x0.70        -15 %
anger      +6 %    +0.5           x1.25        +15 %
fear       +10 %   +2.0           x0.85        -5 %
surprise   +3 %    +2.0           x1.45        +8 %
disgust    -8 %    -1.0           x0.85        0
=========  ======  =============  ===========  ======

Directions follow the review of Juslin & Laukka (2003, Psychological Bulletin 129:770): joy and
anger are faster, louder, with a wider pitch range; sadness slower, softer, lower and flatter;
fear fast and high with a narrower range; surprise high with a wide range; disgust slow and low.
Sizes are kept small so the voice stays natural. They are applied through the options every
backend already understands: the speaking rate and volume by the TTS itself, the pitch level by the
backend (eSpeak) or the WORLD shift (piper, Kokoro), and the pitch range by the same WORLD pass
(``digihuman.voice.shift_pitch(range_factor=)``) after any backend. A persona with a cloned voice
gets rate, level and volume but not the range (its converter sets its own intonation).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Prosody:
    """Changes at full intensity: rate and volume as fractions, pitch in semitones, range a factor."""

    rate: float = 0.0
    pitch: float = 0.0
    pitch_range: float = 1.0
    volume: float = 0.0


PROSODY: dict[str, Prosody] = {
    "neutral": Prosody(),
    "joy": Prosody(0.08, 1.5, 1.30, 0.08),
    "sadness": Prosody(-0.12, -1.5, 0.70, -0.15),
    "anger": Prosody(0.06, 0.5, 1.25, 0.15),
    "fear": Prosody(0.10, 2.0, 0.85, -0.05),
    "surprise": Prosody(0.03, 2.0, 1.45, 0.08),
    "disgust": Prosody(-0.08, -1.0, 0.85, 0.0),
}

# Finer feelings whose voice differs from their label's (``Emotion.detail``): tiredness and grief are
# sadness at even lower arousal (slower, softer, no lift); excitement is joy with more energy.
DETAIL_PROSODY: dict[str, Prosody] = {
    "tiredness": Prosody(-0.15, -1.0, 0.65, -0.2),
    "grief": Prosody(-0.15, -2.0, 0.65, -0.2),
    "excitement": Prosody(0.12, 2.0, 1.4, 0.12),
    "relief": Prosody(-0.04, 0.5, 1.0, 0.0),
    "worry": Prosody(0.04, 0.5, 0.9, -0.08),
}


def prosody_for(label: str, detail: str = "") -> Prosody:
    return DETAIL_PROSODY.get(detail) or PROSODY.get(label, PROSODY["neutral"])


def apply_prosody(p: Prosody, intensity: float, options):
    """``options`` (anything with rate, pitch, volume and pitch_range fields, e.g. SayOptions) with
    ``p`` added at ``intensity`` (0..1), kept within the ranges the options accept."""
    k = max(0.0, min(1.0, intensity))
    out = replace(
        options,
        rate=min(2.0, max(0.5, options.rate * (1.0 + p.rate * k))),
        pitch=max(-12.0, min(12.0, options.pitch + p.pitch * k)),
        volume=min(2.0, max(0.1, options.volume * (1.0 + p.volume * k))),
    )
    if hasattr(options, "pitch_range"):
        out = replace(out, pitch_range=options.pitch_range * (1.0 + (p.pitch_range - 1.0) * k))
    return out
