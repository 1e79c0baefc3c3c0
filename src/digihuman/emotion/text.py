"""Text emotion recognition: VADER for valence/intensity, lexicons for the category.

Why two sources: VADER is good at *how* positive/negative a message is (it knows negation,
intensifiers, caps, "!!", emoji) but has no categories; the NRC lexicon has categories but is
noisy (``hate`` is anger, disgust, fear, sadness at once) and knows no negation. So a small
hand-made lexicon of unambiguous words carries most of the weight, NRC only breaks ties, and
VADER's compound score vetoes categories that contradict the overall polarity
("not happy" -> never joy). Korean gets a small stem lexicon (substring match, no tokenizer).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from ..dialog.types import EMOTIONS, Emotion, Personality

_CATS = ("joy", "sadness", "anger", "fear", "surprise", "disgust")

# Unambiguous English cues (lower case, matched after light lemmatisation).
_CORE: dict[str, str] = {}
for _label, _words in {
    "joy": "happy glad joy joyful delighted thrilled excited love loved lovely great awesome amazing wonderful "
    "fantastic excellent yay hooray cheerful pleased proud fun enjoy enjoyed celebrate grateful blessed "
    "stoked ecstatic best beautiful promoted promotion graduated engaged congrats congratulations won win "
    "hooray finally",
    "sadness": "sad unhappy depressed down miserable lonely alone heartbroken cry crying cried tears grief "
    "grieving miss missed sorrow hopeless gloomy upset disappointed devastated hurt lost died passed",
    "anger": "angry mad furious annoyed annoying irritated outraged rage hate hated pissed frustrated "
    "frustrating livid infuriating unfair ridiculous",
    "fear": "afraid scared fear frightened terrified anxious anxiety worried worry worrying nervous panic "
    "panicking dread scary terrifying uneasy",
    "surprise": "surprised surprise surprising wow whoa omg unexpected unbelievable astonished shocked "
    "amazed suddenly stunned",
    "disgust": "disgusting disgusted gross yuck eww ew nasty revolting vile repulsive sickening",
}.items():
    for _w in _words.split():
        _CORE[_w] = _label

_EMOJI = {
    "joy": "😀😃😄😁😆😊🙂😍🥰😘☺😂🤣🥳🎉❤💕👍✨😎",
    "sadness": "😢😭😞😔😟☹🙁💔😿😥",
    "anger": "😡😠🤬👿💢😤",
    "fear": "😨😰😱😧😬",
    "surprise": "😮😯😲🤯😳",
    "disgust": "🤢🤮😒",
}
_EMOJI_MAP = {ch: lab for lab, chars in _EMOJI.items() for ch in chars}
_KO = {  # Korean stems; substring match because Korean inflects by suffix.
    "joy": ("행복", "기뻐", "기쁘", "기쁜", "좋아", "신나", "최고", "사랑해"),
    "sadness": ("슬퍼", "슬프", "슬픈", "우울", "외로", "눈물", "속상"),
    "anger": ("화나", "화가", "짜증", "열받", "분노"),
    "fear": ("무서", "무섭", "두려", "걱정", "불안"),
    "surprise": ("놀라", "놀랐", "깜짝", "대박"),
    "disgust": ("역겨", "징그", "더러"),
}
_NEGATORS = {"not", "no", "never", "nothing", "hardly", "barely", "isn't", "wasn't", "don't", "doesn't",
             "didn't", "aren't", "can't", "cannot", "won't", "nor", "without", "isnt", "dont", "didnt", "cant"}
_INTENSIFIERS = {"very": 1.5, "so": 1.5, "really": 1.5, "extremely": 2.0, "super": 1.6, "totally": 1.4,
                 "incredibly": 1.8, "absolutely": 1.7, "too": 1.3, "quite": 1.2, "a bit": 0.7, "slightly": 0.6,
                 "kinda": 0.7, "little": 0.7}
_AROUSAL = {"neutral": 0.2, "joy": 0.6, "sadness": 0.25, "anger": 0.8, "fear": 0.7, "surprise": 0.8, "disgust": 0.5}
_WORD = re.compile(r"[a-zA-Z']+")


@lru_cache(maxsize=1)
def _nrc() -> dict[str, list[str]]:
    try:
        from importlib import resources

        with resources.files("nrclex.data").joinpath("nrc_en.json").open("r", encoding="utf-8") as f:
            return json.load(f)
    except (ImportError, FileNotFoundError, ModuleNotFoundError):  # optional: the core lexicon still works
        return {}


@lru_cache(maxsize=1)
def _vader():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    return SentimentIntensityAnalyzer()


def _lemmas(word: str) -> list[str]:
    """The word plus crude de-inflections (the lexicons list base forms: 'scared' -> 'scare')."""
    out = [word]
    for suf, rep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
                     ("s", ""), ("ly", ""), ("d", "")):
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            out.append(word[: -len(suf)] + rep)
    return out


def _scores(text: str) -> dict[str, float]:
    words = [w.lower().strip("'") for w in _WORD.findall(text)]
    scores = dict.fromkeys(_CATS, 0.0)
    nrc = _nrc()
    for i, w in enumerate(words):
        window = words[max(0, i - 3): i]
        negated = any(n in _NEGATORS or n.endswith("n't") for n in window)
        boost = 1.0
        if i and words[i - 1] in _INTENSIFIERS:
            boost = _INTENSIFIERS[words[i - 1]]
        label, weight = None, 0.0
        for lem in _lemmas(w):
            if lem in _CORE:
                label, weight = _CORE[lem], 2.0
                break
        if label is not None:
            if negated:  # "not happy" is mild sadness; "not sad/angry/afraid" is no evidence at all
                if label == "joy":
                    scores["sadness"] += 1.0
                continue
            scores[label] += weight * boost
            continue
        for lem in _lemmas(w):
            cats = nrc.get(lem)
            if cats:
                hits = [c for c in cats if c in scores]
                if hits and not negated:
                    for c in hits:  # ambiguous words spread their small weight
                        scores[c] += 0.5 * boost / len(hits)
                break
    for ch in text:
        lab = _EMOJI_MAP.get(ch)
        if lab:
            scores[lab] += 2.0
    for lab, stems in _KO.items():
        for s in stems:
            idx = text.find(s)
            if idx >= 0:
                tail = text[idx: idx + len(s) + 6]
                # Korean negation: "안 행복해", "행복하지 않아"
                if "않" in tail or "안 " + s in text or "못" in tail:
                    if lab == "joy":
                        scores["sadness"] += 1.0
                    continue
                scores[lab] += 2.0
    return scores


def recognize_text_emotion(text: str) -> Emotion:
    """The emotion a message expresses: label, confidence 0..1, valence -1..1, arousal 0..1."""
    text = (text or "")[:2000]  # long texts: the start is enough and keeps this O(1)
    if not text.strip():
        return Emotion()
    scores = _scores(text)
    vader = _vader()
    compound = vader.polarity_scores(text)["compound"] if vader is not None else 0.0
    # VADER's polarity vetoes categories that contradict it ("I'm not happy at all" is not joy).
    if compound <= -0.3:
        scores["joy"] *= 0.2
    if compound >= 0.3:
        for lab in ("sadness", "anger", "fear", "disgust"):
            scores[lab] *= 0.5
    label = max(scores, key=scores.get)
    best = scores[label]
    total = sum(scores.values())
    if best < 1.0:
        # No clear category word (one ambiguous NRC hit is not enough: "blue", "cross"): fall back on
        # strong polarity alone, with low confidence.
        if compound >= 0.5:
            label, conf = "joy", 0.3 + 0.2 * compound
        elif compound <= -0.5:
            label, conf = "sadness", 0.3 + 0.2 * -compound
        else:
            label, conf = "neutral", 0.5 if abs(compound) < 0.2 else 0.3
    else:
        share = best / total if total else 0.0
        conf = min(1.0, share * min(1.0, 0.45 + best / 4))
    valence = compound
    if vader is None or (compound == 0.0 and label != "neutral"):
        valence = {"joy": 0.6, "surprise": 0.2}.get(label, 0.0 if label == "neutral" else -0.6)
    letters = [c for c in text if c.isalpha() and c.isascii()]
    caps = sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 4 else 0.0
    arousal = _AROUSAL[label] + 0.1 * min(text.count("!"), 3) + (0.2 if caps > 0.6 else 0.0) + 0.15 * abs(compound)
    assert label in EMOTIONS
    return Emotion(label, round(float(conf), 3), round(float(max(-1.0, min(1.0, valence))), 3),
                   round(float(max(0.0, min(1.0, arousal))), 3))


def reply_emotion(user: Emotion, personality: Personality | None = None) -> Emotion:
    """The emotion the persona's reply should show, given the user's.

    Policy (empathy, not mimicry of negative states): joy -> joy (mirrored, livelier for extraverts);
    sadness -> gentle "sadness" at low arousal (a caring, sympathetic face and voice); anger -> calm
    "neutral" (never escalate); fear -> "neutral", calm and slightly positive (reassurance);
    surprise -> "surprise" if pleasant else calm "neutral"; disgust -> "neutral"; neutral -> "neutral",
    a little warmer for extraverts.
    """
    ext = personality.extraversion if personality is not None else 0.5
    lab, conf = user.label, user.confidence
    if lab == "joy":
        return Emotion("joy", conf, max(0.3, user.valence), min(1.0, 0.3 + 0.5 * ext + 0.2 * user.arousal))
    if lab == "sadness":
        return Emotion("sadness", min(conf, 0.6), -0.2, 0.15)
    if lab == "surprise":
        if user.valence >= 0:
            return Emotion("surprise", conf, max(0.1, user.valence), 0.4 + 0.3 * ext)
        return Emotion("neutral", conf, 0.0, 0.15)
    if lab in ("anger", "disgust"):
        return Emotion("neutral", conf, 0.0, 0.1)
    if lab == "fear":
        return Emotion("neutral", conf, 0.2, 0.1)
    return Emotion("neutral", 0.5, round(0.1 + 0.2 * ext, 3), round(0.15 + 0.3 * ext, 3))
