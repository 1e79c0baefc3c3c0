"""Answering a message from the persona's knowledge: split, complete, select or reason, then say it.

Facts are quoted verbatim (or, for reasoning, filled from typed values of quoted sentences); what
is not known is said as such, about the topic of the question, never as a bare keyword.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..dialog.embed import embed_query
from ..dialog.knowledge import KnowledgeBase
from ..dialog.nlp import detect_lang
from ..dialog.types import Passage, Turn
from ..errors import InputError
from . import reason
from .followup import previous_question, resolve, split_parts
from .index import PRODUCT_ROW, Unit, index_for
from .question import Question, _parse, analyse
from .select import Found, select

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class KnowledgeAnswer:
    """What the persona can say from its knowledge about a message."""

    status: str
    """"answered", "partial" (some of it is known), "declined" (none of it) or "vague" (nothing specific asked)."""
    text: str
    """What to say, in the question's language."""
    passages: tuple[Passage, ...]
    """The passages the facts came from (empty when declined or vague)."""
    topic: str
    """What the question is about ("gift wrapping", "open on Sunday"), for follow-ups and declines."""
    resolved: str
    """The question after completing a follow-up from history (the question itself when standalone)."""


def answer_question(question: str, kb: KnowledgeBase, *, history: Sequence[Turn] = (), lang: str = "en",
                    now: datetime | None = None) -> KnowledgeAnswer:
    """Answer ``question`` from ``kb`` only; ``history`` (oldest first) completes follow-ups.

    Returns status "declined" with a sentence about the topic when the knowledge does not say,
    "vague" with the topics it covers when nothing specific is asked. Never invents a fact.
    """
    if not isinstance(question, str):
        raise InputError("the question must be text", "pass the user's message as a string")
    text = " ".join(question.split())[:MAX_QUESTION_CHARS]
    lang = lang if lang in ("en", "ko") else detect_lang(text)
    if lang == "en" and detect_lang(text) == "ko":
        lang = "ko"  # a Korean question gets a Korean answer whatever the caller assumed
    index = index_for(kb)
    if not text or not index.units:
        return KnowledgeAnswer("vague" if not text else "declined",
                               _vague(index.topics, lang) if not text else _decline([], lang), (), "", text)
    now = now or datetime.now()
    last = previous_question(history, text, lang)
    results: list[tuple[Question, Found | None]] = []
    parts = split_parts(text, lang) or [text]  # "🙂" has no words: one (vague) part
    for part in parts:
        resolved = resolve(part, last, lang)
        q = analyse(resolved, lang)
        results.append((q, _answer_part(q, index, now)))
        last = resolved
    resolved_text = " ".join(q.text if q.text.endswith("?") else f"{q.text}?" for q, _ in results) if any(
        q.text != p for (q, _), p in zip(results, parts)) else text
    return _realise(results, index.topics, lang, resolved_text)


def _answer_part(q: Question, index, now: datetime) -> Found | None:
    """None for a vague part (nothing specific asked)."""
    if not q.keys and q.expects == "THING":
        return None
    found = reason.opening(q, index, now)
    if found is not None:
        return found
    total = reason.total(q, index) if q.expects == "PRICE" and q.items else None
    return total or select(q, index, embed_query(q.text))


# ---- saying it -----------------------------------------------------------------------------------
def _sentence(s: str) -> str:
    s = s.strip()
    return s if s[-1:] in ".!?。" else s.rstrip(":;,") + "."


def quote(u: Unit) -> str:
    """A unit as it is said: an FAQ answer whole, a product row as one readable line, else the sentence."""
    if u.faq:
        return _sentence(" ".join(u.passage.text.split()))
    if PRODUCT_ROW.match(u.text):
        fields = dict(f.split(": ", 1) for f in u.text.split("; ") if ": " in f)
        name = fields.pop("name", u.passage.title)
        return _sentence(f"{name}: " + ", ".join(f"{k} {v}" for k, v in fields.items()))
    return _sentence(u.text)


def _facts(found: Found) -> str:
    if found.text:
        return found.text
    if not found.polarity and len(found.units) == 1 and found.units[0].faq:
        # an FAQ's "Yes, ..." answered its own question, not necessarily this one: keep only the fact
        body = re.sub(r"^(yes|no)\b[,.!]?\s*", "", quote(found.units[0]), flags=re.I)
        return body[:1].upper() + body[1:]
    units = sorted(found.units, key=lambda u: (u.passage.id, u.position)) if len(found.units) > 1 else found.units
    seen = list(dict.fromkeys(quote(u) for u in units))
    return " ".join(seen)


def _with_polarity(found: Found, facts: str, lang: str, names: frozenset[str] = frozenset()) -> str:
    if not found.polarity or found.text:
        return facts
    if lang == "ko":
        return ("네, " if found.polarity == "yes" else "아니요, ") + facts
    body = re.sub(r"^(yes|no)\b[,.!]?\s*", "", facts, flags=re.I) if found.units[0].faq else facts
    return ("Yes, " if found.polarity == "yes" else "No, ") + _lower_first(body, names)


def _lower_first(text: str, names: frozenset[str] = frozenset()) -> str:
    """"Filming is ..." -> "filming is ..." after "No, "; names ("Visa", "Happy Paws", "I") keep their capital.

    ``names``: lower-cased words of the knowledge's titles (the business's own name is one)."""
    first_word = text.split(" ", 1)[0]
    if not text or text[:2] == "I " or first_word.isupper() and len(first_word) > 1 or first_word.lower() in names:
        return text
    first = _parse(text)[0]
    named = first.ent_type_ in ("PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "NORP", "EVENT")
    return text if named else text[0].lower() + text[1:]


def _decline(questions: list[Question], lang: str) -> str:
    if lang == "ko":
        topics = [q.topic for q in questions if q.topic]
        return f"죄송하지만 {', '.join(topics)}에 대해서는 잘 모르겠어요." if topics else "죄송하지만 그건 잘 모르겠어요."
    clauses = [q.indirect for q in questions if q.indirect]
    if not clauses:
        return "I'm afraid I don't know that."
    return f"I'm afraid I don't know {' or '.join(clauses)}."


def _vague(topics: list[str], lang: str) -> str:
    names = [t for t in topics if t][:8]
    if not names:
        return "죄송하지만 아직 알려 드릴 정보가 없어요." if lang == "ko" else "I'm afraid I have nothing to tell about yet."
    if lang == "ko":
        return f"{', '.join(names)}에 대해 알려 드릴 수 있어요. 무엇이 궁금하세요?"
    low = [n if n.isupper() or n.split()[0].istitle() and len(n.split()) > 1 and n.split()[1][:1].isupper()
           else n[0].lower() + n[1:] for n in names]
    listed = ", ".join(low[:-1]) + (" and " if len(low) > 1 else "") + low[-1]
    return f"I can tell you about {listed}. What would you like to know?"


def _realise(results: list[tuple[Question, Found | None]], topics: list[str], lang: str,
             resolved: str) -> KnowledgeAnswer:
    said, unknown, passages = [], [], []
    # the business's name (the first title) and capitalised words inside titles ("Lighthouse Gallery")
    names = frozenset(w.lower() for w in (topics[0].split() if topics else [])) | frozenset(
        w.lower() for t in topics for w in t.split()[1:] if w[:1].isupper())
    for q, found in results:
        if found is None:
            continue
        if found.status == "unknown":
            unknown.append(q)
            continue
        said.append(_with_polarity(found, _facts(found), lang, names))
        passages += [u.passage for u in found.units]
        if found.status == "partial":
            unknown.append(q)
    passages_t = tuple(dict.fromkeys(passages))
    first_unknown = unknown[0] if unknown else None
    topic = (first_unknown or results[0][0]).topic
    if not said and not unknown:
        return KnowledgeAnswer("vague", _vague(topics, lang), (), topic, resolved)
    if not said:
        return KnowledgeAnswer("declined", _decline(unknown, lang), (), topic, resolved)
    text = " ".join(dict.fromkeys(said))
    if not unknown:
        return KnowledgeAnswer("answered", text, passages_t, topic, resolved)
    if lang == "ko":
        rest = _decline(unknown, lang).replace("죄송하지만 ", "")
        return KnowledgeAnswer("partial", f"{text} 하지만 {rest}", passages_t, topic, resolved)
    clause = " or ".join(q.indirect for q in unknown)
    if text.count(". ") == 0 and text.endswith(".") and ", but " not in text:
        return KnowledgeAnswer("partial", f"{text[:-1]}, but I don't know {clause}.", passages_t, topic, resolved)
    return KnowledgeAnswer("partial", f"{text} But I don't know {clause}.", passages_t, topic, resolved)
