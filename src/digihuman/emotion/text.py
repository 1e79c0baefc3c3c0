"""Text emotion: what the user feels, and the emotion the persona's reply should carry.

Three sources, each good at something the others miss:
- words, read from the parse (:mod:`.cues`): feeling words with negation and intensifiers, and
  situations that are good or bad ("cancelled", "passed away", "promoted");
- meaning (:mod:`.prototypes`): the e5 vector against labelled prototype sentences, which finds a
  feeling said only through a situation ("My son isn't answering his phone and it's 2am");
- VADER (English): overall polarity, used for valence and to veto joy in a clearly negative message.
Sarcasm is structural: glowing words ("great", "perfect", "love that") about a bad situation with
no good one, or an irony marker with a bad situation. Its label is the real feeling (anger or
sadness), never joy. Mixed feelings keep the top two labels that both have words behind them.
Tiredness is filed under sadness (see :data:`.lexicon.FEELING_LABEL`).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..dialog.types import EMOTIONS, Emotion, Personality
from .cues import Cues, english_cues, korean_cues
from .lexicon import FEELING_LABEL
from .prototypes import meaning

MAX_CHARS = 1000
"""A long message's start carries its feeling; the parse costs ~1 ms per 60 characters."""
W_FEELING, W_SITUATION = 0.6, 0.5
"""Weight of one plain feeling word / situation word against the prototypes' probabilities (sum 1)."""
NEGATIVE = ("sadness", "anger", "fear", "disgust")
_AROUSAL = {"neutral": 0.2, "joy": 0.55, "sadness": 0.25, "anger": 0.75, "fear": 0.65, "surprise": 0.8,
            "disgust": 0.5, "tiredness": 0.05, "grief": 0.15, "excitement": 0.85, "relief": 0.3,
            "gratitude": 0.4, "worry": 0.55, "frustration": 0.65, "boredom": 0.1, "loneliness": 0.2}
_VALENCE = {"joy": 0.6, "surprise": 0.2, "neutral": 0.0}


@lru_cache(maxsize=1)
def _vader():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    return SentimentIntensityAnalyzer()


def polarity(text: str, lang: str = "en") -> float:
    """Overall polarity of ``text``, -1..1 (VADER's compound; 0 for Korean or without VADER)."""
    return _polarity(text, lang)


def _polarity(text: str, lang: str) -> float:
    vader = _vader() if lang == "en" else None
    return vader.polarity_scores(text)["compound"] if vader is not None else 0.0


def recognize_text_emotion(text: str, lang: str | None = None, *, vector: np.ndarray | None = None) -> Emotion:
    """The emotion a message expresses (label, finer feeling, mixed second label, sarcasm, target).

    ``lang`` is "en" or "ko" (detected when None); ``vector`` is the message's e5 query vector when
    the caller already has it (saves ~10 ms). An empty message is ``Emotion()`` (neutral, no evidence).
    """
    text = (text or "")[:MAX_CHARS]
    if not text.strip():
        return Emotion()
    from ..dialog.nlp import detect_lang

    lang = lang or detect_lang(text)
    cues = korean_cues(text) if lang == "ko" else english_cues(text)
    if vector is None:
        from ..dialog.embed import embed_query

        vector = embed_query(text)
    probs = meaning(vector)
    compound = _polarity(text, lang)
    sarcasm = _sarcastic(cues, lang)
    score = _scores(cues, probs.probs, compound, sarcasm)
    label = max(score, key=score.get)
    if label == "surprise" and cues.good > 0 and cues.bad == 0:
        label = "joy"  # "I got in!! I still can't believe it": good news that astonishes is joy
    if cues.contrast and cues.good and label in NEGATIVE and not sarcasm:
        label = "joy"  # good news with a reservation ("I got the job but I'll miss my friends"): share the news
    elif label == "joy" and cues.contrast and not cues.good and not cues.feeling.get("joy") and cues.turn:
        # Nothing good said outright, then "but ...": the turn is the point ("I thought I'd get the
        # promotion but they gave it to someone else").
        turn = _meaning_of(cues.turn)
        if sum(turn[lab] for lab in NEGATIVE) >= 0.6:
            label = max(NEGATIVE, key=turn.get)
            score[label] = max(score[label], score["joy"])
    total = sum(score.values()) or 1.0
    conf = min(1.0, score[label] / total * (1.2 if cues.evidence else 0.9))
    second, second_conf = _secondary(cues, score, label, conf, sarcasm)
    if second and score.get(second, 0.0) > 0:  # mixed feelings: the two share the evidence
        pair = score[label] + score[second]
        conf, second_conf = max(conf, score[label] / pair), min(second_conf, score[second] / pair)
        second_conf = min(second_conf, conf)
    detail = _detail(cues, probs.detail, label, sarcasm)
    # A complaint: anger or disgust about us, or disappointment at something that went wrong with us.
    complaint = label in ("anger", "disgust") or sarcasm or (detail == "disappointment" and cues.bad > 0)
    target = "persona" if cues.business and complaint else ""
    valence = _valence(label, compound, cues, sarcasm, conf)
    caps = _caps(text)
    arousal = _AROUSAL.get(detail, _AROUSAL[label]) + 0.08 * min(text.count("!"), 3) + (0.2 if caps else 0.0)
    arousal += 0.1 * (cues.intensity - 1.0) if label != "neutral" else 0.0
    return Emotion(label, round(conf, 3), round(valence, 3), round(float(np.clip(arousal, 0.0, 1.0)), 3),
                   detail, second, round(second_conf, 3), sarcasm, target)


@lru_cache(maxsize=16)
def _meaning_of(text: str) -> dict[str, float]:
    """Label probabilities of a part of a message (one e5 query, cached within a turn)."""
    from ..dialog.embed import embed_query

    return meaning(embed_query(text)).probs


def _sarcastic(cues: Cues, lang: str) -> bool:
    """Glowing words about a bad situation and nothing good; an irony marker with glowing words or a bad situation.

    When no listed situation is bad, the rest of the message (without its glowing words) is judged
    by meaning: "Brilliant, the boiler's packed in again" leaves "the boiler's packed in again",
    which sits near frustration. This costs one more e5 query, only for glowing messages.
    """
    if cues.good > 0 or cues.question:
        return False
    if cues.irony:  # 🙄, scare quotes: even "So glad I paid extra ..." is turned around
        return cues.bad > 0 or cues.evaluative > 0 or cues.joy_statement
    if cues.evaluative == 0 or cues.joy_statement:
        return False
    if cues.evaluative == cues.glow_thanks and not cues.glow_with_bad:
        return False  # "Thanks. I'll try to get some sleep.": a polite thanks, then news
    if cues.contrast and lang == "en":  # "I love my job, though the commute ..." is mixed, not ironic
        return False  # (Korean 는데 mostly just links clauses: "최고다, 우산 두고 왔는데 비 온다")
    if cues.bad > 0:  # English: the glowing word must sit where irony does (Korean has no parse of this)
        return lang != "en" or cues.glow_open > 0 or cues.glow_with_bad
    if lang != "en" or cues.contrast or len(cues.rest.split()) < 4:
        return False
    rest = _meaning_of(cues.rest)
    return sum(rest.get(lab, 0.0) for lab in NEGATIVE) >= 0.6 and _polarity(cues.rest, lang) <= 0.1


def _scores(cues: Cues, probs: dict[str, float], compound: float, sarcasm: bool) -> dict[str, float]:
    score = {lab: probs.get(lab, 0.0) + W_FEELING * cues.feeling.get(lab, 0.0)
             + W_SITUATION * cues.situation.get(lab, 0.0) for lab in EMOTIONS}
    for lab in cues.negated:  # "I'm not worried anymore": the meaning still sits near worry
        score[lab] *= 0.2
    if not cues.feeling:  # questions and plain statements stay neutral unless the meaning is clearly elsewhere
        if cues.about_us:  # "Are you happy?" asks about us
            score["neutral"] += 1.5
        elif cues.question and not cues.situation:
            score["neutral"] += 0.6
        elif not cues.situation and abs(compound) < 0.5:
            score["neutral"] += 0.3
    if cues.negated and not any(cues.feeling.get(lab, 0) for lab in EMOTIONS if lab not in cues.negated):
        score["neutral"] += 0.6  # only negated feelings ("not sad at all"): no evidence of any
    if sarcasm:
        score["joy"] = score["surprise"] = score["neutral"] = 0.0
        for lab in ("fear", "disgust"):  # the real feeling behind irony is exasperation or dismay,
            score[lab] = min(score[lab], W_FEELING * cues.feeling.get(lab, 0.0))  # unless said outright
        score["anger"] += 0.3  # sarcasm about a mishap is mostly exasperation
    elif compound <= -0.4 and not cues.good:
        score["joy"] *= 0.3
    elif compound >= 0.5 and not cues.bad:
        for lab in NEGATIVE:
            score[lab] *= 0.6
    return score


def _secondary(cues: Cues, score: dict[str, float], label: str, conf: float, sarcasm: bool) -> tuple[str, float]:
    """The second feeling of a mixed message: it needs its own words and a contrast or the other valence.

    When the clause after "but/although" has no feeling words of its own, its meaning decides
    ("I won the scholarship, although it means moving far from my family"): one more e5 query.
    """
    if sarcasm or label == "neutral":
        return "", 0.0
    if cues.turn and len(cues.turn.split()) >= 3 and not any(
            cues.feeling.get(lab) or cues.situation.get(lab) for lab in EMOTIONS if lab != label):
        probs = _meaning_of(cues.turn)
        side = [lab for lab in EMOTIONS if lab not in (label, "neutral") and (lab == "joy") != (label == "joy")]
        if side and sum(probs[lab] for lab in side) >= 0.6:  # the turn clearly leans the other way
            other = max(side, key=probs.get)
            return other, round(conf * sum(probs[lab] for lab in side), 3)
    words = {lab: cues.feeling.get(lab, 0.0) + cues.situation.get(lab, 0.0) for lab in EMOTIONS}
    opposite = (lambda lab: (lab == "joy") != (label == "joy"))
    cands = [lab for lab in EMOTIONS if lab not in (label, "neutral") and score[lab] >= 0.3 * score[label]
             and ((words[lab] >= 0.4 and (cues.contrast or opposite(lab))) or (cues.contrast and opposite(lab)))]
    if not cands:
        return "", 0.0
    best = max([lab for lab in cands if words[lab] >= 0.4] or cands, key=score.get)  # words first
    return best, min(conf, conf * score[best] / score[label])


def _detail(cues: Cues, nearest: dict[str, str], label: str, sarcasm: bool) -> str:
    if sarcasm:
        return "frustration" if label == "anger" else "disappointment" if label == "sadness" else ""
    found = cues.details.get(label, (0.0, ""))[1]
    if not found and not cues.feeling.get(label):  # a plain feeling word ("sad") stays plain
        found = nearest.get(label, "")
    return found if FEELING_LABEL.get(found) == label else ""


def _valence(label: str, compound: float, cues: Cues, sarcasm: bool, conf: float) -> float:
    base = _VALENCE.get(label, -0.6) * (0.5 + 0.5 * conf)
    if compound == 0.0:
        v = base
    elif label in NEGATIVE or sarcasm:
        v = min(compound, -0.2) if not sarcasm else -max(0.4, abs(compound))
    elif label == "joy":
        v = max(compound, 0.2)
    else:
        v = compound
    return float(np.clip(v, -1.0, 1.0))


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha() and c.isascii()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.6


def reply_emotion(user: Emotion, personality: Personality | None = None) -> Emotion:
    """The emotion the persona's reply should show, given the user's.

    Empathy, not mimicry: joy -> joy (livelier for extraverts; calm when mixed with a negative
    feeling), but never for a negative or sarcastic message; sadness (grief, tiredness, loneliness)
    -> gentle "sadness" at low
    arousal (a caring face and voice); anger -> calm "neutral" (never escalate); fear -> "neutral",
    calm and slightly positive (reassurance); surprise -> "surprise" if pleasant else calm "neutral";
    disgust -> "neutral"; neutral -> "neutral", a little warmer for extraverts.
    """
    ext = personality.extraversion if personality is not None else 0.5
    lab, conf = user.label, user.confidence
    # The persona shares a good feeling's kind and grieves with the user; it does not take on
    # their tiredness, worry or frustration.
    shared = user.detail if user.detail in ("grief", "gratitude", "excitement", "relief", "pride", "love") else ""
    negative = user.sarcasm or lab in NEGATIVE or user.valence <= -0.3
    if lab == "joy" and not negative:
        if user.secondary in NEGATIVE:  # good news with a heavy heart: warm, not bubbly
            return Emotion("joy", round(conf * 0.6, 3), 0.3, 0.25, shared)
        return Emotion("joy", conf, max(0.3, user.valence), min(1.0, 0.3 + 0.5 * ext + 0.2 * user.arousal), shared)
    if lab == "sadness" or (negative and lab in ("joy", "neutral", "surprise") and not user.sarcasm):
        return Emotion("sadness", min(conf, 0.6), -0.2, 0.15, shared if shared == "grief" else "")
    if lab == "surprise" and user.valence >= 0:
        return Emotion("surprise", conf, max(0.1, user.valence), 0.4 + 0.3 * ext)
    if lab == "fear":
        return Emotion("neutral", conf, 0.2, 0.1)
    if lab in ("anger", "disgust", "surprise") or user.sarcasm:
        return Emotion("neutral", conf, 0.0, 0.1)
    return Emotion("neutral", 0.5, round(0.1 + 0.2 * ext, 3), round(0.15 + 0.3 * ext, 3))
