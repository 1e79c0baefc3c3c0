"""Who the persona is (BlenderBot-style persona facts): identity, origin, background, likes,
dislikes and opinions, each like/opinion with its reason so "why?" has an answer.

Kept in ``persona.json`` under "profile", editable (``digihuman persona profile NAME --set ...``).
A persona without one gets :func:`default_profile`: deterministic (seeded by the name, never by
chance at run time) and fitted to the description ("a baker who loves sourdough" likes baking).
What the persona says about itself is answered by :func:`self_answer` (``self_talk.py``).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace

from ..errors import InputError
from .profile_data import DEFAULT_ORIGIN, DISLIKES, FACTS, LIKES, OPINIONS, ORIGINS, THEMES, Choice

TEXT_FIELDS = ("name", "identity", "origin", "background")
ITEM_FIELDS = ("likes", "dislikes", "opinions", "facts")


@dataclass(frozen=True)
class Profile:
    """The persona's stable facts about itself (strings in the persona's language)."""

    name: str
    """How the persona calls itself ("Mina")."""
    identity: str
    """Who it is, one sentence ("I'm Mina, the owner of a small bakery.")."""
    origin: str = ""
    """Where it is from ("Busan", "a small town by the sea")."""
    background: str = ""
    """A sentence or two about its life."""
    likes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """category ("music", "food", ...) -> (value, reason)."""
    dislikes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """category -> (value, reason)."""
    opinions: dict[str, tuple[str, str]] = field(default_factory=dict)
    """topic ("mornings") -> (opinion sentence, reason)."""
    lang: str = "en"
    """"en" or "ko": the language of the strings above."""
    facts: dict[str, tuple[str, str]] = field(default_factory=dict)
    """topic ("job", "age", "pets", "family", "languages") -> (statement, reason): the everyday
    questions a new acquaintance asks ("what do you do?", "any pets?")."""

    def to_dict(self) -> dict:
        """JSON-ready form (as stored in persona.json)."""
        items = {f: {k: {"value": v, "reason": r} for k, (v, r) in getattr(self, f).items()} for f in ITEM_FIELDS}
        return {"name": self.name, "identity": self.identity, "origin": self.origin,
                "background": self.background, **items, "lang": self.lang}


def profile_from_dict(d: dict) -> Profile:
    """A Profile from persona.json's "profile" (lenient: missing parts are empty)."""
    def items(x) -> dict[str, tuple[str, str]]:
        out = {}
        for k, v in (x or {}).items():
            if isinstance(v, dict):
                out[str(k)] = (str(v.get("value", "")), str(v.get("reason", "")))
            elif isinstance(v, (list, tuple)) and v:
                out[str(k)] = (str(v[0]), str(v[1]) if len(v) > 1 else "")
            elif isinstance(v, str):
                out[str(k)] = (v, "")
        return {k: v for k, v in out.items() if v[0]}

    return Profile(name=str(d.get("name", "")), identity=str(d.get("identity", "")), origin=str(d.get("origin", "")),
                   background=str(d.get("background", "")), likes=items(d.get("likes")),
                   dislikes=items(d.get("dislikes")), opinions=items(d.get("opinions")), lang=str(d.get("lang", "en")),
                   facts=items(d.get("facts")))


def _stable_seed(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8"))  # Python's hash() changes per process


def default_profile(name: str, description: str, lang: str = "en") -> Profile:
    """A sensible profile for persona ``name`` derived from ``description`` (same inputs, same profile)."""
    ko = str(lang).lower().startswith("ko")
    pick = (lambda c: (c[2], c[3])) if ko else (lambda c: (c[0], c[1]))
    rng = random.Random(_stable_seed(f"{name}|{description}"))
    desc = " ".join(str(description or "").split())
    words = [w.strip(".,;:!?()'\"").lower() for w in desc.split()]
    themes = [t for t, (cues, _, _) in THEMES.items() if any(w.startswith(c) for w in words for c in cues)]

    def choose(table: dict[str, tuple[Choice, ...]]) -> dict[str, tuple[str, str]]:
        return {k: pick(v[rng.randrange(len(v))]) for k, v in table.items()}

    likes, dislikes, opinions = choose(LIKES), choose(DISLIKES), choose(OPINIONS)
    for t in themes:
        for cat, choice in THEMES[t][2].items():
            likes[cat] = pick(choice)
    # the parser loads only when the description has something to parse (not for `say`'s default persona)
    passion = _passion(desc) if not ko and re.search(r"\b(lov|lik|enjoy|ador)", desc, re.I) else ""
    if passion:
        likes["passion"] = (passion, "it's a big part of who I am")
    display = name.replace("-", " ").replace("_", " ").strip().title() or "a digital human"
    origin = _place(desc) or ORIGINS["ko" if ko else "en"][rng.randrange(3)]
    facts = _facts(desc, likes, themes, ko)
    if ko:
        identity = f"저는 {display}이에요." + (f" {desc}" if desc else " 디지털 휴먼이에요.")
        background = THEMES[themes[0]][1][1] if themes else "대화할 때마다 새로운 걸 배우고 있어요."
    else:
        identity = f"I'm {display}, {desc.rstrip('.')}." if desc else f"I'm {display}, a digital human."
        background = THEMES[themes[0]][1][0] if themes else "I learn something new in every conversation."
    return Profile(display, identity, origin, background, likes, dislikes, opinions, "ko" if ko else "en", facts)


def _facts(desc: str, likes: dict[str, tuple[str, str]], themes: list[str], ko: bool) -> dict[str, tuple[str, str]]:
    """Everyday facts from the description (the job) and from being a digital human (age, family)."""
    out = {k: (v[1], v[3]) if ko else (v[0], v[2]) for k, v in FACTS.items()}
    animal = likes.get("animal")
    if animal:  # "any pets?": none, but the animal it likes, with its reason
        out["pets"] = ((f"저는 반려동물은 없지만, 키울 수 있다면 {animal[0]}를 키우고 싶어요", animal[1]) if ko else
                       (f"I don't have a pet, being a digital human, but if I could I'd have {animal[0]}", animal[1]))
    # "a cheerful guide at a small science museum who loves astronomy" -> the job before the clause
    role = re.split(r"\s+(?:who|that|which|and|with|whose)\b|[,;.]|\s+-\s+", desc, maxsplit=1)[0].strip()
    if role and not ko:
        why = THEMES[themes[0]][1][0].rstrip(".") if themes else "I like meeting people"
        article = "" if re.match(r"^(a|an|the|my|one)\b", role, re.I) else ("an " if role[:1].lower() in "aeiou" else "a ")
        out["job"] = (f"I work as {article}{role}", why[:1].lower() + why[1:] if not why.startswith("I ") else why)
    elif role:
        out["job"] = (f"저는 {role} 일을 해요", "그 일이 좋아서")
    return out


def builtin_profile() -> Profile:
    """The built-in default persona's profile (it was made from a public-domain photo)."""
    base = default_profile("default", "a friendly digital human")
    return replace(base, name="Digi", origin=DEFAULT_ORIGIN[0],
                   identity="I'm a friendly digital human, made by digihuman from a single public-domain photo.",
                   background="I can talk, remember what you tell me, and answer from what I know.")


def _passion(desc: str) -> str:
    """What the description says the persona loves: "a baker who loves sourdough" -> "sourdough"."""
    from ..dialog.nlp import parse

    for tok in parse(desc[:300]):
        if tok.lemma_ in ("love", "like", "enjoy", "adore") and tok.pos_ == "VERB":
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "xcomp")), None)
            if obj is not None:
                what = " ".join(t.text for t in obj.subtree).strip()
                return _gerund(what[3:]) if what.startswith("to ") else what  # "likes to chat" -> "chatting"
    return ""


def _gerund(phrase: str) -> str:
    """"chat with people" -> "chatting with people" (the verb of a "to ..." phrase as a liking)."""
    verb, _, rest = phrase.partition(" ")
    if verb.endswith("e") and not verb.endswith("ee"):
        verb = verb[:-1]
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):
        verb += verb[-1]  # chat -> chatting, run -> running
    return f"{verb}ing {rest}".strip()


def _place(desc: str) -> str:
    """A place the description names ("a tour guide from Busan" -> "Busan"), else ""."""
    if not re.search(r"\b(from|in|at)\s+[A-Z]", desc or ""):
        return ""  # no capitalised place after a preposition: nothing to parse
    from ..dialog.nlp import parse

    doc = parse(desc[:300])
    # "from Busan" / "grew up in Daegu" (the small model often calls Korean cities a PERSON or ORG)
    for tok in doc:
        if tok.dep_ == "pobj" and tok.pos_ == "PROPN" and (tok.head.lower_ == "from" or (
                tok.head.lower_ == "in" and tok.head.head.lemma_ in ("grow", "bear", "raise"))):
            return " ".join(t.text for t in tok.subtree if t.pos_ == "PROPN")
    return next((e.text for e in doc.ents if e.label_ == "GPE"), "")


def edit_profile(profile: Profile, assignment: str) -> Profile:
    """Apply one ``--set`` assignment: ``origin=Busan``, ``likes.music=jazz because it's relaxed``,
    ``opinions.mornings=...``; an empty value removes a like/dislike/opinion."""
    path, sep, value = assignment.partition("=")
    path, value = path.strip().lower(), " ".join(value.split())
    field_name, _, key = path.partition(".")
    hint = "e.g. --set origin=Busan or --set likes.music=\"jazz because it's relaxed\""
    if not sep or not field_name:
        raise InputError(f"cannot read {assignment!r}", hint)
    if field_name in TEXT_FIELDS and not key:
        if not value and field_name in ("name", "identity"):
            raise InputError(f"the {field_name} cannot be empty", hint)
        return replace(profile, **{field_name: value})
    if field_name not in ITEM_FIELDS or not key:
        raise InputError(f"unknown profile field {path!r}",
                         f"use one of {', '.join(TEXT_FIELDS)} or likes.CATEGORY, dislikes.CATEGORY, opinions.TOPIC, "
                         "facts.TOPIC (job, age, pets, family, partner, languages)")
    items = dict(getattr(profile, field_name))
    if not value:
        items.pop(key, None)
    else:
        what, _, why = value.partition(" because ")
        items[key] = (what.strip().rstrip(","), why.strip().rstrip("."))
    return replace(profile, **{field_name: items})


from .self_talk import SelfAnswer, self_answer  # noqa: E402  (the answering half, re-exported here)

__all__ = ["Profile", "SelfAnswer", "builtin_profile", "default_profile", "edit_profile", "profile_from_dict",
           "self_answer"]
