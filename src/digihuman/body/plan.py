"""What the body does when: speech timeline + text + emotion -> a :class:`GesturePlan`.

Gesture kinds (McNeill's): *beats* whose strokes land on stressed syllables, *deictic*
(pointing: I/me/you/this/there), *iconic/metaphoric* from a small lexicon (big, small, many,
up, down, open, together, numbers), and head *nods/shakes* on yes/no. Strokes are grouped
into gesture units (the hands rise into gesture space before the first stroke and go back to
rest after the last); the synthesis (``gesture.py``) adds the phases' timing and the motion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..types import Timeline, Word

# ---- lexicons (lower-case words) -------------------------------------------------------------
DEICTIC = {
    "self": {"i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd", "we", "us", "our"},
    "you": {"you", "your", "yours", "yourself", "you're", "you've", "you'll"},
    "here": {"this", "these", "here"},
    "there": {"there", "that", "those", "over", "away"},
}
ICONIC = {
    "big": {"big", "huge", "large", "enormous", "giant", "whole", "all", "everything", "everyone",
            "many", "lots", "world", "wide", "great", "massive"},
    "small": {"small", "little", "tiny", "bit", "few", "detail", "details", "exact", "exactly", "precise"},
    "up": {"up", "high", "higher", "rise", "rising", "grow", "more", "increase", "top", "best", "sky"},
    "down": {"down", "low", "lower", "fall", "less", "decrease", "bottom", "drop", "ground"},
    "open": {"open", "offer", "welcome", "free", "give", "share", "maybe", "perhaps", "possible"},
    "together": {"together", "join", "connect", "with", "both", "team", "meet", "combine", "between"},
}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "first": 1, "second": 2, "third": 3}
NOD = {"yes", "yeah", "yep", "sure", "right", "okay", "ok", "indeed", "exactly", "absolutely",
       "agree", "correct", "of course", "certainly", "definitely"}
SHAKE = {"no", "not", "never", "nope", "nothing", "nobody", "don't", "doesn't", "can't", "won't",
         "isn't", "aren't", "wasn't", "none", "neither", "nor", "cannot", "didn't"}
FUNCTION = {"a", "an", "the", "of", "to", "in", "on", "at", "and", "or", "but", "is", "are", "was",
            "be", "it", "its", "it's", "as", "for", "by", "so", "if", "do", "does", "did"}


@dataclass(frozen=True)
class Posture:
    """Emotion-driven body set (degrees and factors); neutral is all zero / one."""

    lean: float = 0.0
    """Spine flexion in degrees (+ forward: slumped or tense)."""
    head_pitch: float = 0.0
    """Neck/head flexion in degrees (+ looks down)."""
    shoulders: float = 0.0
    """Shoulder raise in degrees (+ raised/tense, - dropped)."""
    openness: float = 1.0
    """Hand distance from the midline in gesture space (x factor)."""
    height: float = 0.0
    """Gesture space height offset in metres (+ higher)."""
    amplitude: float = 1.0
    """Stroke size factor."""
    speed: float = 1.0
    """Stroke speed factor (>1 sharper, <1 slower)."""
    rate: float = 1.0
    """How many beats (factor on the beat probability)."""


POSTURES = {
    "neutral": Posture(),
    "joy": Posture(lean=-3.0, head_pitch=-4.0, shoulders=2.0, openness=1.35, height=0.05, amplitude=1.3,
                   speed=1.15, rate=1.3),
    "sadness": Posture(lean=9.0, head_pitch=12.0, shoulders=-6.0, openness=0.8, height=-0.07, amplitude=0.55,
                       speed=0.7, rate=0.45),
    "anger": Posture(lean=6.0, head_pitch=3.0, shoulders=9.0, openness=1.0, height=0.02, amplitude=1.35,
                     speed=1.4, rate=1.3),
    "fear": Posture(lean=3.0, head_pitch=5.0, shoulders=10.0, openness=0.7, height=0.04, amplitude=0.7,
                    speed=1.2, rate=0.8),
    "surprise": Posture(lean=-4.0, head_pitch=-5.0, shoulders=5.0, openness=1.25, height=0.08, amplitude=1.2,
                        speed=1.2, rate=1.0),
    "disgust": Posture(lean=-2.0, head_pitch=-3.0, shoulders=3.0, openness=0.9, height=0.0, amplitude=0.9,
                       speed=1.0, rate=0.8),
}


def posture_for(label: str, strength: float = 1.0) -> Posture:
    """The emotion's posture blended towards neutral by ``strength`` (0..1)."""
    p, n = POSTURES.get(label, POSTURES["neutral"]), POSTURES["neutral"]
    s = max(0.0, min(1.0, strength))
    return Posture(**{k: getattr(n, k) + s * (getattr(p, k) - getattr(n, k)) for k in n.__dataclass_fields__})


@dataclass(frozen=True)
class Stroke:
    """One gesture stroke: the hand(s) arrive at ``kind``'s pose around ``time``."""

    time: float
    """Seconds: the stressed syllable's onset; the stroke's peak speed lands here."""
    kind: str
    """"beat", "self", "you", "here", "there", "big", "small", "up", "down", "open", "together",
    or "count" (numbers)."""
    hands: str
    """"left", "right" or "both"."""
    word: str = ""
    count: int = 0
    """Fingers shown for "count"."""


@dataclass(frozen=True)
class HeadMove:
    """A head gesture on a word: nod (yes, emphasis) or shake (no)."""

    start: float
    end: float
    kind: str
    """"nod", "shake", "beat" (a small nod on a stressed syllable) or "tilt" (questions)."""


@dataclass(frozen=True)
class GesturePlan:
    strokes: tuple[Stroke, ...]
    head: tuple[HeadMove, ...]
    posture: Posture
    duration: float
    """Seconds (the speech's)."""


def stress_time(word: Word) -> float:
    """Onset (s) of the word's primary-stressed phoneme; else secondary; else its first vowel."""
    for mark in ("ˈ", "ˌ"):
        for p in word.phonemes:
            if p.symbol.startswith(mark):
                return p.start
    for p in word.phonemes:
        if re.match(r"[aeiouæɑɒɔəɛɜɪʊʌɐɚ]", p.symbol):
            return p.start
    return word.start


def stroke_time(word: Word, stressed: np.ndarray) -> float:
    """Where a gesture on ``word`` strokes: its own stressed syllable or, for an unstressed word
    ("I", "you"), the nearest stressed syllable within 0.3 s (the phrase's accent), else its vowel."""
    if has_stress(word) or not len(stressed):
        return stress_time(word)
    t = stress_time(word)
    near = stressed[np.argmin(np.abs(stressed - t))]
    return float(near) if abs(near - t) <= 0.3 else t


def has_stress(word: Word) -> bool:
    return any(p.symbol.startswith("ˈ") for p in word.phonemes)


def _norm(w: str) -> str:
    return re.sub(r"[^\w']", "", w.lower().replace("’", "'"))


def sentence_ends(text: str, words: tuple[Word, ...]) -> dict[int, str]:
    """Index of each sentence's last word -> "?" / "!" / ".", aligning the text's tokens in order."""
    toks = re.findall(r"[\w'’]+|[.!?]+", text)
    ends: dict[int, str] = {}
    k = -1
    for t in toks:
        if t[0] in ".!?":
            if k >= 0:
                ends[k] = "?" if "?" in t else ("!" if "!" in t else ".")
        elif k + 1 < len(words) and _norm(words[k + 1].text) == _norm(t):
            k += 1
    if words:
        ends.setdefault(len(words) - 1, "?" if text.rstrip().endswith("?") else ".")
    return ends


def plan_gestures(timeline: Timeline, text: str = "", emotion: str = "neutral", strength: float = 1.0,
                  seed: int = 0) -> GesturePlan:
    """Choose the strokes and head moves for one utterance (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    posture = posture_for(emotion, strength)
    words = timeline.words
    ends = sentence_ends(text, words) if text else {len(words) - 1: "."} if words else {}
    strokes: list[Stroke] = []
    head: list[HeadMove] = []
    min_gap = 0.5 / max(0.5, posture.speed) if posture.rate >= 0.6 else 0.9  # s between strokes
    last = -1e9
    stressed = np.array([p.start for p in timeline.phonemes if p.symbol[:1] in ("ˈ", "ˌ")])
    side = "right" if rng.random() < 0.7 else "left"  # the dominant hand for this utterance
    for i, w in enumerate(words):
        key = _norm(w.text)
        t = stroke_time(w, stressed)
        if key in NOD:
            head.append(HeadMove(w.start, max(w.end, w.start + 0.5), "nod"))
        elif key in SHAKE:
            head.append(HeadMove(w.start, max(w.end, w.start + 0.7), "shake"))
        kind, hands, count = "", side, 0
        for k, lex in DEICTIC.items():
            if key in lex:
                kind = k
        for k, lex in ICONIC.items():
            if key in lex:
                kind, hands = k, "both"
        if key in NUMBERS:
            kind, count = "count", NUMBERS[key]
        if key == "over" and i + 1 < len(words) and _norm(words[i + 1].text) == "there":
            kind = ""  # "over there": one pointing, on "there"
        if not kind and has_stress(w) and key not in FUNCTION and key not in NOD | SHAKE:
            # beats: not on every stressed syllable; fewer when sad, more when excited
            if rng.random() < min(0.95, 0.75 * posture.rate):
                kind = "beat"
                hands = "both" if posture.amplitude > 1.2 and rng.random() < 0.5 else side
        if kind and t - last >= min_gap:
            strokes.append(Stroke(round(t, 4), kind, hands, w.text, count))
            last = t
            if kind == "beat" and rng.random() < 0.4:
                head.append(HeadMove(t - 0.12, t + 0.3, "beat"))
        if i in ends and ends[i] == "?":
            head.append(HeadMove(max(0.0, w.end - 0.8), w.end + 0.6, "tilt"))
    head.sort(key=lambda h: h.start)
    return GesturePlan(tuple(strokes), tuple(head), posture, timeline.duration)
