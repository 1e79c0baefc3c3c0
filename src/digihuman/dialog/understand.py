"""Understand one message: its language, its parts and what each part asks for.

A real message is several sentences ("Good to see you! I visited my parents last weekend. Do you
like the sea?"): a greeting, something shared, a question. Each sentence gets a dialog act, and a
question gets a target (the user's own life, the persona itself, the knowledge, the
conversation), so the engine can answer the question *and* acknowledge what was shared instead
of giving one canned reply for the whole message.

Acts come from the small, exact patterns of :mod:`.intents` (greetings, thanks, commands,
injection) plus sentence shape: a sentence ending in "?" or starting with a question word is a
question. Targets come from who the sentence is about: first person ("my dog", "where did I")
asks about the user's life unless it is a service question ("can I pay by card?"); second person
("do you like jazz?") may be about the persona or, in a shop, about the business ("do you
deliver?"), so the engine tries the persona's profile first and knowledge second. Runs in
microseconds; the parser is left to the stages that need structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .intents import (
    ABOUT_SELF, ABOUT_USER, BACKCHANNEL, CONTROL, FAREWELL, FORGET, GREETING, HELP, HOW_ARE_YOU, INJECTION,
    INSULT, JOKE, QWORD, SERVICE, THANKS, taught_statement,
)
from .nlp import detect_lang

ANALYSE_CHARS = 2000
# "Good to see you!" / "Nice to meet you" open a conversation; "see you" alone closes it.
_OPENERS = re.compile(r"^((it'?s )?(so )?(good|nice|great|lovely) to (see|meet|hear from) you( again)?|long time no see|"
                      r"(hi|hey|hello) again|welcome back|반가워(요)?|오랜만(이에요|이야)?)\b[\s,!.]*", re.I)
_KO_Q = re.compile(r"(까|나요|가요|죠|니|어때|뭐|무엇|어디|언제|누구|얼마|몇|왜|어떻게|있어요\?|해요\?)\s*\??$")
_KO_SELF = re.compile(r"(너는|넌|당신|네가|니가)")
_KO_USER = re.compile(r"(제 |내 |저는|나는|제가|내가|저의|나의|우리 )")
_FIRST = re.compile(r"\b(i|me|my|mine|myself|i'm|i've|i'd|i'll)\b")
_SECOND = re.compile(r"\b(you|your|yours|yourself|you're|you've|u|ur)\b")


@dataclass(frozen=True)
class Part:
    """One sentence of the message with its dialog act."""

    text: str
    act: str
    """"question", "statement", "greeting", "farewell", "thanks", "how_are_you", "backchannel",
    "joke", "help", "insult", "forget" or "teaching"."""
    target: str = ""
    """For questions: "user" (their own life), "self" (the persona), "knowledge", or "" (unknown)."""


@dataclass(frozen=True)
class Understanding:
    """What the message is: the engine's input besides the Context."""

    text: str
    """The analysed message (control characters removed, at most :data:`ANALYSE_CHARS`)."""
    lang: str
    """"en" or "ko": the language to reply in."""
    parts: tuple[Part, ...]
    truncated: bool = False
    """The message was longer than :data:`ANALYSE_CHARS` and only its start was read."""
    injection: bool = False
    """An attempt to override the rules or read other users' data."""

    @property
    def acts(self) -> tuple[str, ...]:
        return tuple(p.act for p in self.parts)

    @property
    def questions(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.act == "question")

    @property
    def statements(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.act in ("statement", "teaching"))

    def has(self, act: str) -> bool:
        return any(p.act == act for p in self.parts)


def split_sentences(text: str) -> list[str]:
    """Sentences of a chat message: split after . ! ? (and their full-width forms) and at newlines."""
    pieces = re.split(r"(?<=[.!?。！？])\s+|\n+", text.strip())
    out: list[str] = []
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        # "ok." / "lol" alone glue to nothing; keep them as their own part (backchannel)
        out.append(p)
    return out


def _norm(s: str) -> str:
    return " ".join(s.lower().replace("’", "'").split())


def _target(low: str, lang: str) -> str:
    if lang == "ko":
        if _KO_SELF.search(low):
            return "self"
        return "user" if _KO_USER.search(low) else "knowledge"
    if ABOUT_USER.search(low) and not SERVICE.search(low):
        return "user"
    if ABOUT_SELF.search(low):
        return "self"
    first, second = bool(_FIRST.search(low)), bool(_SECOND.search(low))
    if first and not second and not SERVICE.search(low):
        return "user"
    if second and not first:
        return "self?"  # the persona or the business: the engine tries the profile, then knowledge
    return "knowledge"


def _act(sentence: str, lang: str) -> Part:
    low = _norm(sentence)
    bare = low.strip(" !.?,~")
    if HOW_ARE_YOU.search(low):
        return Part(sentence, "how_are_you")
    if FAREWELL.search(low) and len(low) < 60 and not _OPENERS.match(low):
        return Part(sentence, "farewell")
    if THANKS.search(low) and len(low) < 60 and not low.endswith("?"):
        return Part(sentence, "thanks")
    if FORGET.search(low):
        return Part(sentence, "forget")
    if INSULT.search(low):
        return Part(sentence, "insult")
    if JOKE.search(low):
        return Part(sentence, "joke")
    if BACKCHANNEL.match(low) or bare in ("ok", "okay", "응", "네", "그래", "아하", "오"):
        return Part(sentence, "backchannel")
    is_q = low.endswith("?") or bool(QWORD.match(low)) or (lang == "ko" and bool(_KO_Q.search(low)))
    if HELP.search(low) and len(low) < 60:
        return Part(sentence, "help")
    if is_q:
        return Part(sentence, "question", _target(low, lang))
    if taught_statement(sentence):
        return Part(sentence, "teaching")
    return Part(sentence, "statement")


def understand(message: str, persona: str = "") -> Understanding:
    """Split ``message`` into sentences with acts; greetings at the start become their own part.

    ``persona``: the persona's name, dropped after a greeting ("Hi Mia, ..." -> greeting + "...").
    """
    raw = CONTROL.sub(" ", message or "").strip()
    text = raw[:ANALYSE_CHARS]
    lang = detect_lang(text)
    parts: list[Part] = []
    rest = text
    # a greeting prefix ("Hi Mia, how much is...", "Good to see you! ...") is its own part
    for pat in (GREETING, _OPENERS):
        m = pat.match(rest)
        if m and m.end() > 0:
            parts.append(Part(rest[:m.end()].strip(), "greeting"))
            rest = rest[m.end():].lstrip(" ,!.")
            if persona and re.match(rf"{re.escape(persona)}\b", rest, re.I):
                rest = rest[len(persona):].lstrip(" ,!.")
    for s in split_sentences(rest):
        low = _norm(s)
        if _OPENERS.match(low) or GREETING.fullmatch(low.strip(" !.,")):
            parts.append(Part(s, "greeting"))
        else:
            parts.append(_act(s, lang))
    return Understanding(text, lang, tuple(parts), truncated=len(raw) > ANALYSE_CHARS,
                         injection=bool(INJECTION.search(_norm(text))))
