"""Extraction of memorable facts from one chat message (BlenderBot 2.0's "memory write").

``extract_facts(text, about="partner")`` reads the user's message, every sentence of it, for
statements about themselves and their world: "I visited my parents last weekend", "we adopted a
beagle called Toto", "my sister's wedding is next Saturday", "I'm allergic to peanuts".
``about="self"`` reads the persona's own reply, so it stays consistent with what it said.
English goes through the spaCy parser (:mod:`.extract_en`), Korean through Kiwi (:mod:`.extract_ko`).

Each :class:`Fact` is a clean third-person statement with a typed key (see :mod:`.facts`), plans
and events carry an absolute ISO date resolved against ``now``.
"""

from __future__ import annotations

import re
from datetime import datetime

from .facts import Fact, is_single_valued, norm, opposite_key

__all__ = ["Fact", "extract_facts", "is_single_valued", "opposite_key"]

_MAX_TEXT = 20_000
# chat typing drops apostrophes; the parser needs them to see the negation ("I dont like coriander")
_CONTRACTION = re.compile(r"\b(do|does|did|is|was|were|are|have|has|had|could|should|would|ca|wo)nt\b", re.I)
# World/business facts a user teaches ("the shop opens at 9 now") -> key fact:<subject attribute>
_TEACH_CUE = re.compile(r"\b(now|from now on|starting|remember|fyi|just so you know|note that|"
                        r"for your information|these days|no longer|anymore)\b", re.I)
_TEACH = re.compile(r"^(?:(?:actually|btw|by the way|oh|so|fyi)[,\s]+)*(?:remember that |note that )?(the|our|your) "
                    r"([a-z][\w' -]{1,40}?) (opens|open|closes|close|costs|cost|is|are|starts|start|ends|end|has|"
                    r"have|is located|moved)\b(.+)", re.I)
_ATTR = {"opens": "opening hours", "open": "opening hours", "closes": "closing hours", "close": "closing hours",
         "costs": "price", "cost": "price", "starts": "start time", "start": "start time", "ends": "end time",
         "end": "end time", "is located": "location", "moved": "location"}


def _teach(sentence: str) -> Fact | None:
    m = _TEACH.match(sentence.strip())
    if not m or m.group(2).lower().split()[-1] in ("wedding", "birthday", "flight"):
        return None
    verb = m.group(3).lower()
    if not (_TEACH_CUE.search(sentence) or verb in ("opens", "closes", "costs", "open",
                                                                                    "close")):
        return None
    key = f"fact:{norm(m.group(2))} {_ATTR.get(verb, '')}".strip()
    stmt = sentence[m.start(1):].strip().rstrip(".!")
    stmt = re.sub(r"^(?:remember|note) that\s+", "", stmt, flags=re.I)
    stmt = re.sub(r",?\s*(?:from now on|now|anymore)$", "", stmt, flags=re.I).strip()
    stmt = stmt[:1].lower() + stmt[1:]
    return Fact(key, stmt, f"(partner) says {stmt}", "partner", True)


def _prepare(text: str) -> str:
    """Chat spelling the parser reads wrongly, normalised."""
    text = " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split(" "))
    text = _CONTRACTION.sub(lambda m: m.group(1) + "n't", text)  # "dont" -> "don't", "cant" -> "can't"
    text = re.sub(r"\b(?:im|Im)\b", "I'm", text)
    # "Tom's a chef", "Mochi's not a cat": the parser reads a possessive; before an article, "now",
    # "not" or "my" the 's can only be "is"
    text = re.sub(r"\b([A-Z][a-z]+)'s (?=(?:a|an|the|now|not|my|our|from|still|also|actually|just) )", r"\1 is ", text)
    text = re.sub(r"\b([Nn]ame)'s\b", r"\1 is", text)  # "his name's Ollie"
    # "I quite like sushi": the small parser reads "like" after a hedge as a preposition
    return re.sub(r"\b(I|we)\s+(?:quite|kinda|kind of|sort of|pretty much)\s+(like|love|enjoy)\b", r"\1 \2", text, flags=re.I)


def extract_facts(text: str, *, about: str = "partner", lang: str | None = None,
                  now: datetime | None = None, before: str = "") -> list[Fact]:
    """Memorable facts stated in ``text`` by its speaker, one per key (the later statement wins).

    ``about``: "partner" (the user's message) or "self" (the persona's reply); ``lang``: "en" or
    "ko" (detected when None); ``now``: the message time that relative dates resolve against;
    ``before``: the speaker's previous message, read only for whom "he"/"she"/"it" mean ("My grandad
    had a fall." ... "He's 87.").
    Returns [] when nothing is stated (questions, hypotheticals, reported speech, chit-chat).
    """
    if about not in ("partner", "self"):
        raise ValueError(f"about must be 'partner' or 'self', not {about!r}")
    if not isinstance(text, str) or not text.strip():
        return []
    from ..dialog.nlp import detect_lang

    now = now or datetime.now()
    text = _prepare(text[:_MAX_TEXT])
    lang = lang or detect_lang(text)
    facts: list[Fact] = []
    if lang == "ko":
        from .extract_ko import extract_ko

        facts = extract_ko(text, about, now)
    else:
        from .extract_en import extract_en

        if about == "partner":
            for sent in re.split(r"(?<=[.!;\n])\s+", text):
                if (f := _teach(sent)) is not None:
                    facts.append(f)
        taught = {f.value for f in facts}
        facts += [f for f in extract_en(text, about, now, _prepare(before[:_MAX_TEXT]) if before else "")
                  if not taught or not f.key.startswith(("plan:", "event:"))]
    out: dict[str, Fact] = {}
    for f in facts:
        out.pop(f.key, None)
        out[f.key] = f
    return list(out.values())
