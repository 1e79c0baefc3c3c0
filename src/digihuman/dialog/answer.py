"""Answering from knowledge: pick the sentences of retrieved passages that answer a question.

Never invents: an answer is only given when the question's informative words are covered by a
retrieved passage; otherwise the caller declines honestly and offers the topics it does know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .knowledge import terms
from .types import Passage

# Question filler that says nothing about *what* is asked ("What time do you open?" -> "open").
GENERIC = frozenset(terms(
    "time hours day days week price prices cost costs much many expensive cheap sell buy offer have serve get "
    "need want would like place shop store bakery available option options kind type item items product products "
    "exactly usually currently today still right now please also able allowed possible way pay make take accept "
    "use contain contains include come find until long far year years often soon late early big large small "
    "ahead advance normally", keep_stop=True))
_BARE = frozenset(terms("sell have offer serve make buy get do", keep_stop=True))
_SYNONYMS = {"address": "street", "locat": "street", "location": "street", "own": "found", "owner": "found",
             "card": "visa", "credit": "visa", "weekday": "monday", "weekend": "saturday"}
_PRICE_Q = re.compile(r"\b(much|cost|price|pric|expensiv|cheap)")
# wh-words -> what an answering sentence looks like (a price, a place, a time)
_SHAPE = [(re.compile(r"\bhow much\b|\bcost|\bprice|\bfee\b"), re.compile(r"[$€£]\s?\d|\bfree\b")),
          (re.compile(r"\bwhere\b"), re.compile(r"\b(street|road|avenue|located|address|behind|near|next to)\b", re.I)),
          (re.compile(r"\bwhen\b|what time|\bhours\b|until when"),
           re.compile(r"\d:\d\d|\b(mon|tues|wednes|thurs|fri|satur|sun)day|\b\d{4}\b", re.I)),
          (re.compile(r"\bhow long\b|in advance"), re.compile(r"\d+\s*(hours?|days?|minutes?|weeks?)\b"))]


@dataclass(frozen=True)
class Answer:
    """What the passages say about a question; ``text`` is verbatim and empty when they don't know."""

    text: str
    passages: tuple[Passage, ...] = ()
    missing: tuple[str, ...] = ()
    """Asked words (as typed) found in no passage: what the decline is about."""
    topics: tuple[str, ...] = ()
    """Titles of the retrieved passages (to offer what is known instead)."""
    vague: bool = False
    """Nothing specific was asked ("What do you sell?")."""


def sentences(text: str) -> list[str]:
    # hard-wrapped markdown: a single newline inside a paragraph is a space, not a sentence end
    text = re.sub(r"(?<!\n)\n(?!\n|\s*([-*•|#]|\d+[.)])\s)", " ", text.strip())
    parts = re.split(r"(?<=[.!?])\s+|\n+|;\s+(?=[a-z]+: )", text)
    return [p.strip(" -*•") for p in parts if p.strip(" -*•")]


def match_term(t: str, vocab: set[str]) -> bool:
    """``t`` is in ``vocab``, or shares a 5-letter prefix with a word of similar length (deliver/delivery)."""
    if t in vocab:
        return True
    return len(t) >= 5 and any(len(v) >= 5 and (v.startswith(t[:5]) or t.startswith(v[:5])) and abs(len(v) - len(t)) <= 3
                               for v in vocab)


def _covers(t: str, vocab: set[str]) -> bool:
    return match_term(t, vocab) or (t in _SYNONYMS and match_term(_SYNONYMS[t], vocab))


def answer(question: str, passages: tuple[Passage, ...] | list[Passage]) -> Answer:
    """Answer from ``passages`` (best first) only if every informative word of the question is in them.

    E5 cosines cannot separate "Do you sell cars?" from "Do you sell bread?" (both ~0.75), but the
    word "car" is in no passage: requiring coverage makes declines honest. Sentences are quoted.
    """
    words = {t[0]: w for w in re.findall(r"[^\W_]+", question.lower()) if (t := terms(w))}
    q_all = set(terms(question))
    q = q_all - GENERIC or q_all - _BARE  # "Where is the bakery?" still needs "bakery" matched
    topics = tuple(dict.fromkeys(p.title for p in passages if not p.title.endswith("?")
                                 and p.source != "conversation"))[:3]
    if not q:
        return Answer("", topics=topics, vague=True)
    cover = {p.id: {t for t in q if _covers(t, set(terms(f"{p.title} {p.text}")))} for p in passages}
    ranked = sorted(passages, key=lambda p: -(len(cover[p.id]) / len(q) + p.score
                                              + (0.05 if p.source == "conversation" else 0.0)))  # taught = newer
    chosen: list[Passage] = []
    if ranked and (cover[ranked[0].id] == q or len(q) >= 3 and len(cover[ranked[0].id]) >= 0.66 * len(q)
                   and ranked[0].score >= 0.88):
        chosen = [ranked[0]]
    elif ranked and len(q) <= 4 and cover[ranked[0].id]:
        # "a croissant and a baguette?": two passages that together cover every asked word
        rest = q - cover[ranked[0].id]
        second = next((p for p in ranked[1:] if rest <= cover[p.id]), None)
        chosen = [ranked[0], second] if second else []
    if not chosen:
        known = set().union(*cover.values()) if cover else set()
        return Answer("", missing=tuple(w for t, w in words.items() if t in q and t not in known), topics=topics)
    text = " ".join(_answer_from(p, cover[p.id], q_all, question) for p in chosen)
    return Answer(text, tuple(chosen), topics=topics)


def _answer_from(best: Passage, q: set[str], q_all: set[str], question: str) -> str:
    """The sentence(s) of ``best`` that answer: quoted verbatim, never rewritten."""
    sents = sentences(best.text)
    if re.match(r"^[a-z ]+: ", best.text) and "; " in best.text:  # product row -> one readable line
        return _product(best, q_all, question)
    if best.title.endswith("?") or len(best.text) <= 200 and len(sents) <= 2:
        return " ".join(best.text.split())
    vocabs = [set(terms(s)) for s in sents]
    # a term found in fewer sentences says more about which one answers ("open" vs "Sunday")
    w = {t: 1.0 / max(1, sum(_covers(t, v) for v in vocabs)) for t in q_all}
    shapes = [shape for ask, shape in _SHAPE if ask.search(question.lower())]
    scored = []
    for i, (s, st) in enumerate(zip(sents, vocabs)):
        scored.append((sum(w[t] for t in q if _covers(t, st)) + 0.3 * sum(w[t] for t in q_all - q if _covers(t, st))
                       + 0.6 * any(sh.search(s) for sh in shapes) - 0.01 * i, i, s))
    scored.sort(reverse=True)
    keep = [scored[0]] + [x for x in scored[1:2] if x[0] >= max(0.9, scored[0][0] - 0.35)]
    return " ".join(s if s[-1] in ".!?" else s.rstrip(":;,") + "." for _, _, s in sorted(keep, key=lambda x: x[1]))


def _product(p: Passage, q_all: set[str], question: str) -> str:
    fields = dict(f.split(": ", 1) for f in p.text.split("; ") if ": " in f)
    name = fields.pop("name", p.title)
    qn = q_all - set(terms(name))
    # fields named in the question ("category"), or whose value answers it ("vegan", "fermented")
    wanted = [k for k in fields if set(terms(k)) & q_all or qn & set(terms(fields[k]))]
    if fields.get("price") and _PRICE_Q.search(question.lower()):
        wanted = ["price"] + [k for k in wanted if k != "price" and k != "description"]
    bits = [f"{k} {fields[k]}" for k in wanted] or [f"{k} {v}" for k, v in fields.items()]
    return f"{name}: {', '.join(bits)}."
