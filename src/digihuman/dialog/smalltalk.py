"""Replies to what the user shares about their life: acknowledge the content, link it to what we
remember, and ask the follow-up that fits (a past event: how was it; a plan: looking forward to
it; a liking: what do you like about it; a feeling: do you want to talk about it).

The kind of statement comes from the parse (tense of the main verb, future auxiliaries and time
words, liking verbs), not from phrase lists, so any sentence about the user's life gets a
fitting question. The echo ("You visited your parents last weekend?") mirrors the user's own
words with pronouns swapped: it can only repeat what was said, never invent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .intents import swap_person
from .knowledge import terms
from .nlp import parse, tokenize_ko
from .realise import Piece, Realiser, emotion_is_negative
from .types import Context, Memory

_LIKE = {"like", "love", "enjoy", "adore", "prefer", "fancy"}
_FUTURE_WORDS = re.compile(r"\b(will|going to|gonna|next|tomorrow|tonight|soon|plan(ning)?|this (weekend|summer|winter|"
                           r"spring|autumn|fall|evening|friday|saturday|sunday|monday|tuesday|wednesday|thursday))\b",
                           re.I)
_KO_PLAN_WORDS = {"다음", "내일", "모레", "예정", "계획", "이따"}
_KO_LIKE = re.compile(r"좋아(해|하)")
_NAME_EN = re.compile(r"\b(?:my name is|my name's|call me|i'm called|i am called)\s+([A-Z][\w'-]*)", re.I)
_NAME_KO = re.compile(r"(?:(?:제|내) 이름은\s*([가-힣A-Za-z]{1,10}?)(?:이에요|예요|입니다|이야|야)|저는\s*([가-힣A-Za-z]{1,10}?)(?:이라고|라고) (?:해요|합니다))")
_FIRST = re.compile(r"^((well|so|oh|actually|anyway|also|and|but|btw|by the way|guess what),?\s+)*"
                    r"(i|i'm|i've|i'd|my|we|we're|we've|our)\b", re.I)


def introduced_name(text: str, lang: str = "en") -> str:
    """The name the user introduces themselves with ("my name is Jisu", "제 이름은 지수예요"), or ""."""
    m = (_NAME_KO if lang == "ko" else _NAME_EN).search(text)
    value = next((g for g in m.groups() if g), "") if m else ""
    return value[:1].upper() + value[1:]


def kind_of(sentence: str, lang: str = "en") -> str:
    """"plan", "past", "like" or "fact" for a statement (the follow-up question depends on it)."""
    if lang == "ko":
        toks = tokenize_ko(sentence)
        # future: a plan word, or the prospective "-ㄹ 거" (ETM ㄹ + bound noun 거)
        if any(t.form in _KO_PLAN_WORDS for t in toks) or any(
                a.tag == "ETM" and a.form.endswith("ㄹ") and b.form == "거" for a, b in zip(toks, toks[1:])):
            return "plan"
        if _KO_LIKE.search(sentence):
            return "like"
        return "past" if any(t.tag == "EP" and t.form in ("었", "았", "였", "ㅆ") for t in toks) else "fact"
    if _FUTURE_WORDS.search(sentence):
        return "plan"
    doc = parse(sentence)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return "fact"
    if root.lemma_.lower() in _LIKE or any(c.lemma_.lower() in _LIKE for c in root.children if c.dep_ == "xcomp"):
        return "like"
    if "Past" in root.morph.get("Tense") or any(c.tag_ == "VBD" for c in root.children if c.dep_ in ("aux", "auxpass")):
        return "past"
    return "fact"


def _echo(sentence: str) -> str:
    """The user's first-person sentence seen from our side, or "" when it is not one to echo."""
    s = sentence.strip().rstrip(".!")
    if not _FIRST.match(s) or len(s) > 90 or "?" in s:
        return ""
    s = re.sub(r"^((well|so|oh|actually|anyway|also|and|but|btw|by the way|guess what),?\s+)+", "", s, flags=re.I)
    return swap_person(s)


def _related(ctx: Context, text: str, written_now: set[str]) -> Memory | None:
    """An older memory about the same thing ("You mentioned before that you love hiking")."""
    if re.search(r"\b(not|no longer|anymore|actually|moved|changed|never)\b", text, re.I):
        return None  # a correction or an update: repeating the old fact would be wrong
    words = set(terms(text)) - set(terms("like love enjoy really today yesterday week weekend"))
    for m in ctx.memories:
        if (m.about == "partner" and m.superseded_by is None and m.score >= 0.80 and m.key != "name"
                and words & set(terms(m.value)) and m.reason.strip().lower() not in written_now):
            return m
    return None


def share_reply(ctx: Context, parts: Sequence[str], r: Realiser, *, lang: str, asks_back: bool,
                opener: str = "") -> tuple[list[Piece], list[Memory]]:
    """Pieces answering the statements ``parts``; ``opener`` is the empathy line (may be "").

    ``asks_back``: end with a follow-up question (False when the message also asked something,
    so the reply ends on the answer instead of a question of our own).
    """
    from ..memory.speech import second_person

    pieces: list[Piece] = []
    used: list[Memory] = []
    emo = ctx.user_emotion
    negative = emotion_is_negative(emo)
    if opener:
        pieces.append(Piece(opener))
    # the most informative statement: the longest first-person one that can be echoed
    echoes = sorted(((len(p), _echo(p), p) for p in parts if _echo(p)), reverse=True) if lang == "en" else []
    main = echoes[0][2] if echoes else (max(parts, key=len) if parts else "")
    name = introduced_name(" ".join(parts), lang)
    if name:
        pieces.append(Piece(r.say("nice_to_meet", value=name)))
        main = ""  # an introduction needs no "how was it?"
    elif not opener:
        if emo.label == "joy" and emo.detail == "gratitude" and not negative:
            from ..emotion.text import polarity

            # thanks plus good news ("he's eating again"): glad, not elated; plain news: an acknowledgement
            pieces.append(Piece(r.say("glad" if main and polarity(main, lang) > 0.2 else "ack")))
        elif emo.label == "joy" and emo.confidence >= 0.35 and not negative:
            pieces.append(Piece(r.say("share_joy")))
        elif echoes and len(echoes[0][1]) <= 70:
            pieces.append(Piece(r.pick("echo", [f"Oh, {echoes[0][1]}?", f"So {echoes[0][1]}.",
                                                f"Ah, {echoes[0][1]}."])))
        else:
            pieces.append(Piece(r.say("ack")))
    if main and not negative:
        mem = _related(ctx, main, {main.strip().lower(), ctx.message.strip().lower()})
        if mem is not None:
            used.append(mem)
            pieces.append(Piece(r.say("recall", fact=second_person(mem, ctx.resources.now).rstrip(".")), "quote"))
    if asks_back and main and emo.target != "persona":  # a complaint's apology already asks for the details
        kind = "feel" if negative or emo.secondary in ("sadness", "fear", "anger") else kind_of(main, lang)
        if kind == "past" and emo.label == "joy" and not emo.secondary and emo.detail in ("", "excitement", "pride"):
            kind = "best"  # "the visit was amazing": not "how did it go?" but what was best
        key = {"past": "ask_past", "plan": "ask_plan", "like": "ask_like", "feel": "ask_feel",
               "best": "ask_best"}.get(kind, "ask_more")
        # a lively chat uses up one kind's variants: then any other open question is better than a repeat
        pieces.append(Piece(r.say(key, "ask_more", "ask_any"), "social"))
    return pieces, used
