"""Who may change what the persona knows: the trust policy for things users teach in chat.

Shared knowledge is heard by every user, so only the persona's owner (role ``"owner"``: the
teacher in the CLI, the admin token on the server) changes it. Anything else a user teaches stays
in that user's own memory: a world claim as "(partner) says the shop closes at 8" (what they said,
not what is true), a personal note as the note itself. Their ``forget --all`` removes it all, and
no other user ever hears it. Even the owner cannot publish a third person's contact details
("Tom's address is 12 Elm Street"): those stay in the owner's own memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ..memory import Fact
from .intents import swap_person

ROLES = ("user", "owner")
_PERSONAL = re.compile(r"\b(i|i'm|me|my|mine|myself|we|our)\b", re.I)
_SINGULAR = re.compile(r"\b(i|i'm|me|my|mine|myself)\b", re.I)  # the owner's "we/our" is the business
_CONTACT = re.compile(r"\b(address|phone|mobile|cell|number|e-?mail|lives|birthday|born|password|pin|"
                      r"social security|passport|bank|account)\b|[\w.+-]+@[\w-]+\.\w+|\+?\d[\d ()-]{6,}\d", re.I)
_DETERMINERS = frozenset({"the", "a", "an", "our", "your", "this", "that", "these", "those"})


@dataclass(frozen=True)
class Lesson:
    """What one message changes."""

    facts: tuple[Fact, ...] = ()
    """Memories for the speaking user only (their facts, claims, notes, private data)."""
    shared: tuple[tuple[str, str], ...] = ()
    """(topic title, statement) pairs for the shared knowledge (only ever from the owner)."""


def check_role(role: object) -> str:
    """``role`` if it is one of :data:`ROLES`, else InputError."""
    if role not in ROLES:
        raise InputError(f"invalid role {role!r}", "use 'user' or 'owner' (the persona's teacher)")
    return role  # type: ignore[return-value]


def topic(statement: str) -> str:
    """What a statement is about, as a short stable title: "The shop opens at 9" -> "shop open at".

    Two statements on the same topic replace each other ("the shop opens at 10 now" replaces the
    old hours), so the title is built from the parse: subject, verb lemma, object and first
    preposition, but not the value (a copula's complement, a preposition's object).
    """
    from .nlp import parse

    doc = parse(statement[:300])
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subj = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass", "expl")), None) if root else None
    if root is None or subj is None:
        return " ".join(statement.lower().split())[:60]
    words = [w.lower_ for w in subj.subtree if w.lower_ not in _DETERMINERS and not w.is_punct]
    if root.lemma_ != "be":
        words.append(root.lemma_.lower())
        obj = next((t for t in root.children if t.dep_ in ("dobj", "attr", "oprd")), None)
        if obj is not None:
            words.append(obj.lemma_.lower())
        prep = next((t for t in root.children if t.dep_ in ("prep", "agent")), None)
        if prep is not None:
            words.append(prep.lower_)
    else:
        words.append("is")
    return " ".join(words)[:60] or " ".join(statement.lower().split())[:60]


def private_data(statement: str) -> bool:
    """True for a named person's contact or identity details ("Tom's phone is 010-1234-5678")."""
    if not _CONTACT.search(statement):
        return False
    from .nlp import parse

    doc = parse(statement[:300])
    return any(e.label_ == "PERSON" for e in doc.ents)  # the shop's own phone number is fine to share


def lesson(facts: list[Fact] | tuple[Fact, ...], taught: str | None, role: str) -> Lesson:
    """Apply the trust policy to one message from someone in ``role``.

    ``facts``: what memory extraction found in the message (``fact:<topic>`` keys are world facts);
    ``taught``: the statement of a teaching message ("remember that X" -> X) or None.
    """
    check_role(role)
    if not facts and taught:
        facts = [_fact(" ".join(taught.split()), role)]
    mine: list[Fact] = []
    shared: list[tuple[str, str]] = []
    for f in facts:
        if not f.key.startswith("fact:"):
            mine.append(f)  # about the user: always their own memory
        elif role == "owner" and not private_data(f.value):
            shared.append((f.key[5:] or topic(f.value), _sentence(f.value)))
        else:  # a claim: what this user said, kept as said; a newer claim on the topic replaces it
            said = f.value[:1].lower() + f.value[1:] if f.value.split(" ", 1)[0].lower() in _DETERMINERS else f.value
            mine.append(Fact(f"claim:{f.key[5:]}", said, f"(partner) says {said}", "partner", correction=True))
    return Lesson(tuple(mine), tuple(shared))


def _fact(taught: str, role: str) -> Fact:
    """A taught statement the extractor did not understand: a personal note or a world fact."""
    if (_SINGULAR if role == "owner" else _PERSONAL).search(taught):  # "remember that my sister is Jane"
        mine = swap_person(taught)
        return Fact(f"note:{mine.lower()[:60]}", mine, f"(partner) says {mine}", "partner")
    return Fact(f"fact:{topic(taught)}", taught, f"(partner) says {taught}", "partner", correction=True)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(". ") + "."
