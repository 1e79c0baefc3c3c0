"""The persona talking about itself: "what music do you like?", "where are you from?", "why?".

Consistency first (BlenderBot 2.0's self memories): what the persona said before, stored as
(self) memories, wins over the profile; a new stance (liking something the profile never
mentions) is derived deterministically from the profile's values (the nearest like or dislike
by e5 meaning) and returned in ``facts_to_write``, so every later session says the same.
Nothing here is invented: every value and reason comes from the profile or a self memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..dialog.types import Memory, Turn
from ..memory import Fact
from .profile import Profile
from .profile_data import DIGITAL, EN_OF, KO_OF, OPINION_TOPICS_KO
from .profile_chat import chat_first, chat_later
from .self_questions import EN, FACT_FRAMES, KO, category, ellipsis, fix_typos, item, korean_noun, preference


@dataclass(frozen=True)
class SelfAnswer:
    """What the persona says about itself."""

    text: str
    facts_to_write: tuple[Fact, ...] = ()
    """New (self) facts to store so later sessions say the same (empty when nothing new was said)."""
    used: tuple[Memory, ...] = ()
    """The self memories the answer repeats."""


def self_answer(question: str, profile: Profile, self_memories: Sequence[Memory], *,
                history: Sequence[Turn] = (), lang: str = "en") -> SelfAnswer | None:
    """The persona's answer to a question about itself, or None when ``question`` is not about it."""
    from ..dialog.nlp import detect_lang

    ko = detect_lang(question, lang) == "ko"
    q = " ".join(question.lower().replace("’", "'").split()).strip()
    if not q:
        return None
    mems = [m for m in self_memories if m.about == "self"]
    return (_korean if ko else _english)(q, profile, mems, list(history))


# ---- English ------------------------------------------------------------------------------------
def _english(q: str, p: Profile, mems: list[Memory], history: list[Turn]) -> SelfAnswer | None:
    q = fix_typos(q)
    if EN["why"].match(q):
        return _why(p, mems, history, ko=False)
    if m := EN["why_item"].match(q):  # "why do you like tea?": the reason alone
        answer = _like(item(m.group(2)), p, mems, ko=False)
        reason = answer.text.split(", because ", 1)[1] if ", because " in answer.text else ""
        return SelfAnswer(f"Because {reason}", answer.facts_to_write, answer.used) if reason else answer
    if EN["robot"].search(q):
        return SelfAnswer(f"I'm {DIGITAL[0]}. My name is {p.name}.")
    if EN["name"].search(q):
        return SelfAnswer(f"I'm {p.name}.")
    if EN["identity"].search(q):
        return _identity(p, mems, False)
    if EN["origin"].search(q):
        text, used = _origin(p, mems, False)
        return SelfAnswer(text, used=tuple(used)) if text else None
    if topic := next((t for t, pat in FACT_FRAMES.items() if t in p.facts and pat.search(q)), None):
        return SelfAnswer(_sentence(_say(p.facts[topic][0], False)))
    if early := chat_first(q, p, mems):  # "are you a morning person?", "coffee or tea?", "any plans?"
        return early
    if m := EN["opinion"].search(q):
        return _opinion(item(m.group(1)), p, mems, ko=False)
    if EN["category"].search(q) and (cat := category(q)):
        return _favourite(cat, p, mems, ko=False)
    if EN["hobby"].search(q) and "hobby" in p.likes:
        return _favourite("hobby", p, mems, ko=False)
    if m := EN["like"].search(q):
        verb, what = (m.group(1), m.group(2)) if m.group(2) else ("like", m.group(3))
        what = item(what)
        if what in ("it", "that", "this", "them", "those", "these", "") or what.startswith(("to ", "me", "us ")):
            return None  # "do you like it?", "would you like to order?": not about the persona's taste
        cat = category(what, exact=True)
        if cat and cat in p.likes:
            return _favourite(cat, p, mems, ko=False, lead="Yes! ")
        if what in ("job", "work", "your job", "your work") and "job" in p.facts:
            return SelfAnswer(f"Yes, I love it: {_lower1(p.facts['job'][0])}" + _because(p.facts["job"][1]))
        answer = _like(what, p, mems, ko=False)
        if verb in ("hate", "dislike", "mind") and answer.text.startswith("Yes"):
            answer = SelfAnswer("No, " + answer.text[len("Yes, "):], answer.facts_to_write, answer.used)
        return answer
    if EN["dislike_any"].search(q):
        cat = category(q) if category(q) in p.dislikes else next(iter(p.dislikes), None)
        if cat is None:
            return None
        value, reason = p.dislikes[cat]
        return SelfAnswer(_yes_no(value, False, reason, False, opinion=True))
    if cat := preference(q):
        return _favourite(cat, p, mems, ko=False)
    if later := chat_later(q, p, mems):  # a favourite the profile lacks, its day, what it does
        return later
    if asked := ellipsis(q, history):
        return _english(asked, p, mems, [])
    if re.search(r"\bwhat do you (like|love|enjoy)\W*$", q):  # no category: two things it likes
        picks = [c for c in ("hobby", "music", "food", "passion") if c in p.likes][:2]
        return SelfAnswer(" ".join(_favourite(c, p, mems, ko=False).text for c in picks)) if picks else None
    return None


def _key(text: str) -> str:
    from ..memory.facts import norm as _norm  # the same key form the memory extractor writes

    return _norm(text)


def _memory_for(mems: list[Memory], prefixes: tuple[str, ...], item: str) -> Memory | None:
    """The newest current self memory about ``item`` under one of the key ``prefixes``."""
    key = _key(item)
    for m in reversed(mems):
        if m.superseded_by is None and m.key.startswith(prefixes) and (
                m.key.split(":", 1)[-1] == key or _key(m.value) == key):
            return m
    return None


def _reason_of(mem: Memory) -> str:
    return mem.text.split(" because ", 1)[1].rstrip(".") if " because " in mem.text else ""


def _say(text: str, ko: bool) -> str:
    """A curated profile string in the answer's language (its twin from the lists), else as is."""
    return KO_OF.get(text, text) if ko else EN_OF.get(text, text)


def _origin(p: Profile, mems: list[Memory], ko: bool) -> tuple[str, list[Memory]]:
    said = next((m for m in reversed(mems) if m.key == "from" and m.superseded_by is None), None)
    where = said.value if said else _say(p.origin, ko)
    if not where:
        return "", []
    return (f"저는 {where}에서 왔어요." if ko else f"I'm from {where}."), [said] if said else []


def _identity(p: Profile, mems: list[Memory], ko: bool) -> SelfAnswer:
    origin, used = _origin(p, mems, ko)
    who = p.identity if (p.lang == "ko") == ko else (f"저는 {p.name}예요." if ko else f"I'm {p.name}.")
    return SelfAnswer(" ".join(x for x in (who, _say(p.background, ko), origin) if x), used=tuple(used))


def _favourite(cat: str, p: Profile, mems: list[Memory], *, ko: bool, lead: str = "") -> SelfAnswer:
    said = next((m for m in reversed(mems) if m.key == f"favorite:{cat}" and m.superseded_by is None), None)
    if said is not None:  # what it said before; an extractor's value may carry the reason after a colon
        value, reason, used = said.value.split(":")[0].strip(), _reason_of(said), (said,)
    elif cat in p.likes:
        value, reason = (_say(x, ko) for x in p.likes[cat])
        used = ()
    else:
        return SelfAnswer(f"좋아하는 {cat}{'은' if _batchim(cat) else '는'} 아직 없어요." if ko
                          else f"I don't have a favourite {cat} yet.")
    if ko:
        return SelfAnswer(f"저는 {value}{_obj(value)} 제일 좋아해요." + (f" {reason} 좋아요." if reason else ""), used=used)
    if cat == "hobby":
        text = f"In my free time I love {value}"
    elif cat == "passion":
        text = f"I love {value}"
    else:
        text = f"My favourite {cat} is {value}"
    return SelfAnswer(lead + text + _because(reason), used=used)


_VEC_CACHE: dict[tuple, np.ndarray] = {}
# e5 passage-passage cosines are compressed (unrelated pairs ~0.84): a new item takes the stance
# of its nearest profile value only when that value stands out from the rest by _MARGIN and no
# value of the opposite polarity is within _BAND of it (pineapple pizza: hot chocolate vs raw onion).
_MARGIN, _BAND = 0.03, 0.012


def _stance(item: str, p: Profile, ko: bool) -> tuple[str, str]:
    """("like" | "dislike" | "unsure", the nearest profile value) for an item the profile never
    mentions: it likes what resembles its likes and dislikes what resembles its dislikes."""
    from ..dialog.embed import embed_passages

    vals = tuple(_say(v, ko) for v, _ in p.likes.values()) + tuple(_say(v, ko) for v, _ in p.dislikes.values())
    if len(vals) < 3:
        return "unsure", ""
    mat = _VEC_CACHE.get(vals)
    if mat is None:
        mat = _VEC_CACHE[vals] = embed_passages(list(vals))
        if len(_VEC_CACHE) > 32:
            _VEC_CACHE.pop(next(iter(_VEC_CACHE)))
    sims = mat @ embed_passages([item])[0]
    top = int(np.argmax(sims))
    polarity = ["like"] * len(p.likes) + ["dislike"] * len(p.dislikes)
    close = [polarity[i] for i in np.flatnonzero(sims >= sims[top] - _BAND)]
    if sims[top] - float(np.median(sims)) < _MARGIN or len(set(close)) > 1:
        return "unsure", ""
    return polarity[top], vals[top]


def _like(item: str, p: Profile, mems: list[Memory], *, ko: bool, opinion: bool = False) -> SelfAnswer:
    """"Do you like X?": what it said before, else the profile, else a new stance (written)."""
    said = _memory_for(mems, ("likes:", "dislikes:", "favorite:"), item)
    if said is not None:
        yes = not said.key.startswith("dislikes:")
        return SelfAnswer(_yes_no(item, yes, _reason_of(said), ko, opinion), used=(said,))
    for table, yes in ((p.likes, True), (p.dislikes, False)):
        for cat, (value, reason) in table.items():
            names = {_key(value), _key(_say(value, not ko)), cat}
            if _key(item) in names or (len(item) > 3 and _key(item) in _key(value).split()):
                return SelfAnswer(_yes_no(_say(value, ko), yes, _say(reason, ko), ko, opinion))
    stance, near = _stance(item, p, ko)
    if stance == "unsure":
        text = f"{item}{'은' if _batchim(item) else '는'} 잘 몰라서 아직 좋은지 모르겠어요." if ko else _unsure(item)
        return SelfAnswer(text, (Fact(f"opinion:{_key(item)}", f"not sure about {item}",
                                      f"(self) is not sure about {item} because it hasn't tried it", "self"),))
    yes = stance == "like"
    many = item.endswith("s") and not item.endswith("ss")  # "cats remind me of ...", "tea reminds me of ..."
    reason = (f"{near}{'이' if _batchim(near) else '가'} 생각나서" if ko else
              f"{'they remind' if many else 'it reminds'} me of {near}") if yes else (
        f"{near}{'이랑' if _batchim(near) else '랑'} 비슷해서" if ko else
        f"{'they are' if many else 'it is'} a bit like {near}, which I don't enjoy")
    verb = "likes" if yes else "dislikes"
    fact = Fact(f"{verb}:{_key(item)}", item, f"(self) {verb} {item} because {reason}", "self")
    return SelfAnswer(_yes_no(item, yes, reason, ko, opinion), (fact,))


def _lower1(text: str) -> str:
    return text if text.startswith("I ") or text.startswith("I'") else text[:1].lower() + text[1:]


def _unsure(item: str) -> str:
    return f"I'm not sure about {item} yet: I haven't really tried it."


def _yes_no(item: str, yes: bool, reason: str, ko: bool, opinion: bool = False) -> str:
    if ko:
        if yes:
            return f"{'' if opinion else '네, '}{item} 좋아해요!" + (f" {reason} 좋아요." if reason else "")
        return (f"{'' if opinion else '아니요, '}{item}{'은' if _batchim(item) else '는'} 별로 안 좋아해요."
                + (f" {reason}요." if reason else ""))
    if yes:
        return f"{'I like' if opinion else 'Yes, I like'} {item}" + _because(reason)
    return f"{'Honestly,' if opinion else 'Not really,'} I don't like {item}" + _because(reason)


def _because(reason: str) -> str:
    # ", because" (not a colon): the memory extractor then reads "my favourite music is soul"
    # cleanly from the reply and writes (self) favorite:music = soul, not "soul: the voices are"
    return f", because {reason}." if reason else "."


def _opinion(topic: str, p: Profile, mems: list[Memory], *, ko: bool) -> SelfAnswer | None:
    """"What do you think about X?": a stance said before, the profile's opinion, else derived."""
    if not topic or topic in ("it", "that", "this", "them", "그거", "이거", "저거"):
        return None
    said = _memory_for(mems, ("opinion:",), topic)
    if said is not None:
        reason = _reason_of(said)
        body = re.sub(r"^\(self\)\s*", "", said.text.split(" because ")[0])
        if ko:
            return SelfAnswer(f"{topic}{'은' if _batchim(topic) else '는'} 잘 몰라서 아직 좋은지 모르겠어요."
                              if body.startswith("is not sure") else _sentence(said.value), used=(said,))
        if body.startswith("is not sure"):  # the very words it said the first time
            return SelfAnswer(_unsure(topic), used=(said,))
        body = re.sub(r"^thinks ", "I think ", body)
        return SelfAnswer(_sentence(body) + (f" Because {reason}." if reason else ""), used=(said,))
    for name, (opinion, reason) in p.opinions.items():
        if _key(topic) in (_key(name), _key(OPINION_TOPICS_KO.get(name, name))) or _key(name) in _key(topic).split():
            opinion, reason = _say(opinion, ko), _say(reason, ko)
            if ko:
                return SelfAnswer(f"{opinion}." + (f" {reason}요." if reason else ""))
            return SelfAnswer(_sentence(opinion)[:-1] + (f", because {reason}." if reason else "."))
    return _like(topic, p, mems, ko=ko, opinion=True)


def _why(p: Profile, mems: list[Memory], history: list[Turn], *, ko: bool) -> SelfAnswer | None:
    """"Why?": the reason behind what the persona said last (found in its last turn)."""
    last = next((t.text for t in reversed(history) if t.role == "persona"), "")
    if not last:
        return None
    low = last.lower()
    found: list[tuple[int, str, tuple]] = []
    for m in mems:
        if m.superseded_by is None and _reason_of(m) and m.value.lower() in low:
            found.append((len(m.value), _reason_of(m), (m,)))
    for table in (p.likes, p.dislikes, p.opinions, p.facts):
        for value, reason in table.values():
            if reason and any(v.lower()[:60] in low for v in {value, _say(value, True), _say(value, False)}):
                found.append((len(value), _say(reason, ko), ()))
    if not found:
        return None
    _, reason, used = max(found, key=lambda f: f[0])
    return SelfAnswer(f"{reason}요." if ko else f"Because {reason}.", used=used)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


# ---- Korean -------------------------------------------------------------------------------------
def _batchim(word: str) -> bool:
    """Whether the last syllable has a final consonant (은/는, 이/가, 을/를 choice)."""
    ch = word.strip()[-1:] if word.strip() else ""
    return bool(ch) and "\uac00" <= ch <= "\ud7a3" and (ord(ch) - 0xAC00) % 28 != 0


def _obj(word: str) -> str:
    return "을" if _batchim(word) else "를"


def _korean(q: str, p: Profile, mems: list[Memory], history: list[Turn]) -> SelfAnswer | None:
    if KO["why"].match(q):
        return _why(p, mems, history, ko=True)
    if KO["robot"].search(q):
        return SelfAnswer(f"저는 {DIGITAL[1]}. 제 이름은 {p.name}예요.")
    if KO["name"].search(q):
        return SelfAnswer(f"저는 {p.name}예요.")
    if KO["identity"].search(q):
        return _identity(p, mems, True)
    if KO["origin"].search(q):
        text, used = _origin(p, mems, True)
        return SelfAnswer(text, used=tuple(used)) if text else None
    if KO["hobby"].search(q) and "hobby" in p.likes:
        return _favourite("hobby", p, mems, ko=True)
    if KO["category"].search(q) and (cat := category(q)):
        return _favourite(cat, p, mems, ko=True)
    if m := KO["like"].search(q):
        what = korean_noun(m.group(1))
        if cat := category(what, exact=True):
            if cat in p.likes:
                return _favourite(cat, p, mems, ko=True, lead="")
        answer = _like(what, p, mems, ko=True)
        return answer
    if m := KO["opinion"].search(q):
        return _opinion(korean_noun(m.group(1)), p, mems, ko=True)
    return None
