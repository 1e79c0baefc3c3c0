"""Memories read back to the user: a typed view of each memory (slot, owner, item, date) parsed from
its key, and its statement said in the second person ("(partner) has a beagle called Toto" ->
"you have a beagle called Toto"; "... on 2026-11-28" -> "on Saturday, November 28").

The stored texts are written by :mod:`.extract_en` / :mod:`.extract_ko` from a few templates
(subject, then a third-person verb), so turning them around is a small, exact mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ..dialog.types import Memory
from .dates import say_date
from .facts import PERSON_SLOTS, RELATIONS

_ISO = re.compile(r"\b(on|in) (\d{4}-\d{2}(?:-\d{2})?)\b")
_VERB = {"is": "are", "has": "have", "was": "were", "doesn't": "don't", "does": "do", "isn't": "aren't",
         "hasn't": "haven't", "wasn't": "weren't", "goes": "go"}
_CONTRACT = {"you are": "you're", "you have been": "you've been"}


@dataclass(frozen=True)
class View:
    """What a memory is about, from its key."""

    mem: Memory
    slot: str
    """"name", "lives_in", "likes", "allergy", "pet", "family", "plan", "event", "job", ..."""
    owner: str = ""
    """"" for the user themself, else the relation or pet species ("wife", "dog")."""
    item: str = ""
    """The item of a multi-valued slot ("peanut"), the named one's name, or "count"."""
    date: str = ""
    """ISO date (or month) of a plan or event, read from the text."""
    neg: bool = False
    """A negative statement ("is not allergic to gluten", "no longer works at X")."""


_NEG = re.compile(r"^\(\w+\)(?:'s [\w ]+?)? (?:is not|isn't|is no longer|no longer|doesn't eat)\b")


@lru_cache(maxsize=20_000)  # memories are frozen: each is parsed once, not on every question
def view(m: Memory) -> View:
    """Parse ``m.key`` into a :class:`View` (see :mod:`.facts` for the keys)."""
    v = _view(m)
    if _NEG.search(m.text) and not m.key.startswith("avoids:"):
        from dataclasses import replace

        v = replace(v, neg=True)
    return v


def _view(m: Memory) -> View:
    parts = m.key.split(":")
    date = (_ISO.search(m.text) or [None, None, ""])[2] if m.key.startswith(("plan:", "event:")) else ""
    head = parts[0]
    if head == "pet":
        if len(parts) == 2:
            return View(m, "pet", parts[1], "count")
        if parts[2] in PERSON_SLOTS:
            return View(m, parts[2], parts[1], ":".join(parts[3:]))
        return View(m, "pet", parts[1], "name")
    if head == "family":
        if len(parts) == 2:
            return View(m, "family", parts[1], "count")
        if parts[2] in PERSON_SLOTS:
            return View(m, parts[2], parts[1], ":".join(parts[3:]))
        return View(m, "name", parts[1], parts[2])
    if head == "person" and len(parts) >= 3:  # "person:femi:age": someone named, relation unknown or shared
        return View(m, parts[2] if parts[2] in PERSON_SLOTS else "note", parts[1], ":".join(parts[3:]))
    if head == "said":  # a statement kept as said: "said:sister get promotion"
        what = ":".join(parts[1:])
        who = what.split(" ", 1)[0] if what.split(" ", 1)[0] in RELATIONS else ""
        return View(m, "said", who, what, (_ISO.search(m.text) or [None, None, ""])[2])
    if head in ("event", "plan"):  # "plan:sister move vancouver" is about the sister
        what = ":".join(parts[2:] if head == "event" else parts[1:])
        who = what.split(" ", 1)[0] if what.split(" ", 1)[0] in RELATIONS else ""
        return View(m, head, who, what, date)
    return View(m, head, "", ":".join(parts[1:]))


def second_person(m: Memory, now: datetime | None = None) -> str:
    """The memory said to the user: "you have a beagle called Toto", "your sister's wedding is on ..."."""
    t = re.sub(r"\s+", " ", m.text).strip().rstrip(".")
    if m.key.startswith(("fact:", "note:")):
        return m.value
    t = _ISO.sub(lambda x: say_date(x.group(2), now), t)
    if t.startswith("(partner)'s "):
        t = "your " + t[len("(partner)'s "):]
    elif t.startswith("(partner) "):
        verb, _, rest = t[len("(partner) "):].partition(" ")
        t = f"you {to_base(verb)} {rest}".strip()
    t = re.sub(r"\btheir\b", "your", t)
    t = re.sub(r"\bthemselves\b", "yourself", t)
    for a, b in _CONTRACT.items():
        t = t.replace(a, b)
    return re.sub(r"\s+", " ", t)


def to_base(verb: str) -> str:
    """Third-person verb -> form after "you": "has" -> "have", "loves" -> "love"; past stays."""
    v = verb.lower()
    if v in _VERB:
        return _VERB[v]
    if v.endswith("ies") and len(v) > 4:
        return v[:-3] + "y"
    if re.search(r"(ss|sh|ch|x|z|o)es$", v):
        return v[:-2]
    if v.endswith("s") and not v.endswith("ss") and len(v) > 2:
        return v[:-1]
    return v


def sentence(text: str) -> str:
    """Capitalise and end with a full stop."""
    text = text.strip()
    if not text:
        return ""
    return text[:1].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


# ------------------------------------------------------------------ Korean
def _batchim(word: str) -> bool:
    """Whether the last syllable of ``word`` has a final consonant (decides 이/가, 은/는, 을/를)."""
    ch = word.strip()[-1:] if word.strip() else ""
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28 != 0
    return ch.lower() in "lmnr136780" if ch else False


def josa(word: str, with_final: str, without: str) -> str:
    """``word`` + the particle that fits it: josa("지수", "이에요", "예요") -> "지수예요"."""
    return word + (with_final if _batchim(word) else without)


_KO_PET = {"dog": "강아지", "cat": "고양이", "bird": "새", "rabbit": "토끼", "hamster": "햄스터", "fish": "물고기"}
_KO_REL = {"wife": "아내분", "husband": "남편분", "sister": "자매", "brother": "형제", "mom": "어머니",
           "mother": "어머니", "dad": "아버지", "father": "아버지", "boss": "상사", "daughter": "따님", "son": "아드님",
           "friend": "친구분", "boyfriend": "남자친구", "girlfriend": "여자친구"}


def korean(v: View, now: datetime | None = None) -> str:
    """One memory said in Korean, from its typed key and value (never a translation of free text)."""
    val = v.mem.value
    if v.slot == "name" and not v.owner:
        return f"{josa(val, '이라고', '라고')} 하셨어요."
    if v.slot == "name" or (v.slot == "pet" and v.item == "name"):
        who = _KO_PET.get(v.owner) or _KO_REL.get(v.owner, v.owner)
        return f"{who} 이름은 {josa(val, '이에요', '예요')}."
    if v.slot == "pet":
        m = re.search(r"\(([^()]+?) 마리\)", v.mem.text)
        n = m.group(1) if m else {"one": "한", "two": "두", "three": "세", "four": "네", "five": "다섯"}.get(
            val.split()[0], val.split()[0])
        noun = val.split()[-1] if re.search(r"[가-힣]", val) else _KO_PET.get(v.owner, v.owner)
        return f"{noun} {n} 마리를 키우신다고 하셨어요."
    if v.slot == "likes":
        return f"{josa(val, '을', '를')} 좋아하신다고 하셨어요."
    if v.slot == "dislikes":
        return f"{josa(val, '을', '를')} 좋아하지 않으신다고 하셨어요."
    if v.slot == "allergy":
        return f"{val} 알레르기가 있다고 하셨어요."
    if v.slot == "lives_in":
        return f"{val}에 사신다고 하셨어요."
    if v.slot in ("job",) and not v.owner:
        return f"{josa(val, '이라고', '라고')} 하셨어요."
    if v.slot == "works_at":
        return f"{val}에서 일하신다고 하셨어요."
    if v.slot == "diet":
        return {"vegetarian": "채식을 하신다고 하셨어요.", "vegan": "비건이라고 하셨어요."}.get(val, f"{val} 식단이라고 하셨어요.")
    if v.slot == "hobby" and re.search(r"[가-힣]", val):
        return f"{josa(val, '을', '를')} 하신다고 하셨어요."
    if v.slot == "job" and v.owner and re.search(r"[가-힣]", val):
        return f"{_KO_REL.get(v.owner, v.owner)}{'은' if _batchim(_KO_REL.get(v.owner, v.owner)) else '는'} {josa(val, '이라고', '라고')} 하셨어요."
    if v.slot == "learning":
        return f"{josa(val, '을', '를')} 배우고 계신다고 하셨어요."
    if v.slot == "avoids":
        return f"{josa(val, '을', '를')} 안 드신다고 하셨어요."
    if v.slot in ("plan", "event") and v.date and (go := re.search(r"\b(?:went|is going) to ([가-힣A-Za-z ]+?) (?:on|in) ",
                                                                 v.mem.text)):
        done = "다녀오셨다고" if v.slot == "event" else "가신다고"  # "제주도에 다녀오셨다고 하셨어요"
        return f"{say_date(v.date, now, 'ko')}에 {go.group(1)}에 {done} 하셨어요."
    if v.slot in ("plan", "event") and v.date:
        said = re.search(r'"(.+)"', v.mem.text)
        if said:  # a Korean plan kept as said: "2027년 1월에 결혼해요."
            return f"{say_date(v.date, now, 'ko')}에 {said.group(1).rstrip('.')}."
        what = re.sub(r"^\(partner\)('s)?\s*", "", _ISO.sub("", v.mem.text)).strip()
        what = re.sub(r"\s+(?:is|was)$", "", what)
        if re.search(r"[가-힣]", what) and not re.search(r"\b(?:going|went) to\b", what):
            return f"{josa(what, '은', '는')} {say_date(v.date, now, 'ko')}이에요."
        return f"{say_date(v.date, now, 'ko')}이에요."
    return sentence(second_person(v.mem, now))
