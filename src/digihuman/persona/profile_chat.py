"""The persona's small talk about itself beyond the fixed frames: "are you a morning person?",
"coffee or tea?", "any plans for the weekend?", "what did you have for breakfast?", "what makes
you happy?", "do you cook?", "what's your favourite kind of bread?".

Every answer is built from the profile (its likes, facts and reasons) and, where the profile has
no entry, from the nearest like by e5 meaning: deterministic, so every session and every user
hears the same, and a new favourite is returned as a (self) fact to store. English only; the
Korean frames live in :mod:`.self_talk`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from ..dialog.types import Memory
from ..memory import Fact

if TYPE_CHECKING:
    from .profile import Profile
    from .self_talk import SelfAnswer

_PERSON = re.compile(r"\b(?:are|r) (?:you|u) (?:a|an) ([a-z]+) person\b")
_PLANS = re.compile(r"\b(?:any|your|got) plans\b|\bwhat are you (?:doing|up to) (?:this|for|on|at|over|next)\b")
_WANTED = re.compile(r"\b(?:you've|you have|you) always wanted to (try|do|learn|see|visit|go)\b")
_CHOICE = re.compile(r"^(?:(?:do|would) you (?:prefer|like|rather have|pick|choose) |would you rather |"
                     r"(?:which|what) do you (?:prefer|like (?:more|better)),? |(?:so,? )?)"
                     r"([a-z]+(?: [a-z]+)?) or ([a-z]+(?: [a-z]+)?)\W*$")
_HOME = re.compile(r"\bwhere do (?:you|u) live\b|\bwhere(?:'s| is) (?:your )?home\b|\bwhere are (?:you|u) based\b")
_DAY = re.compile(r"\b(?:what did (?:you|u) do|how was your|what have (?:you|u) been up to|what (?:are|r) (?:you|u) up to)"
                  r"(?: (?:today|this morning|this weekend|at the weekend|on the weekend|last weekend|yesterday|lately|"
                  r"recently|day|weekend|week|evening|these days))?\W*$")
_EAT = re.compile(r"\bwhat did (?:you|u) (?:have|eat) for\b|\bwhat (?:are|r) (?:you|u) (?:eating|having|cooking)\b")
_HAPPY = re.compile(r"\bwhat makes (?:you|u) (?:happy|smile|tick)\b|\bwhat (?:are|r) (?:you|u) passionate about\b|"
                    r"\bwhat do (?:you|u) love (?:most|doing)\b")
_ARE_HAPPY = re.compile(r"^(?:and |so )?(?:are|r) (?:you|u) (happy|okay|ok|lonely|bored|sad)\W*$")
_AFRAID = re.compile(r"\bwhat (?:are|r) (?:you|u) (?:afraid|scared) of\b|\bwhat scares (?:you|u)\b")
_DREAM = re.compile(r"\bwhat(?:'s| is) your dream\b|\bwhat do (?:you|u) dream (?:of|about)\b")
_FAV_ANY = re.compile(r"\b(?:favou?rite|fave|fav) (?:kinds? of |types? of |sorts? of )?([a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2}?)"
                      r"(?: of all time| ever| at the moment| right now)?\W*$")
_ACTIVITY = re.compile(r"^(?:and |so )?do (?:you|u) (cook|bake|play|sing|dance|draw|paint|swim|run|hike|travel|exercise|"
                       r"write|knit|garden|ski|surf|work out|meditate|read)\b(.*?)\W*$")
_BEST_PART = re.compile(r"\b(?:favou?rite|best) (?:thing|part) about (?:your )?(?:job|work)\b|"
                        r"\bwhat do (?:you|u) (?:like|love|enjoy) (?:most )?about (?:your )?(?:job|work)\b")
_WHEN_BORED = re.compile(r"\bwhat do (?:you|u) (?:usually |normally |tend to )?do when (?:you're|you are|ur|you get|you feel) "
                         r"(bored|free|alone|sad|down|stressed|tired|lonely)\b")
_VEC_CACHE: dict[tuple, np.ndarray] = {}


def _answer(text: str, facts: tuple = (), used: tuple = ()) -> SelfAnswer:
    from .self_talk import SelfAnswer

    return SelfAnswer(text, facts, used)


def _like_of(p: Profile, *cats: str) -> tuple[str, str] | None:
    return next((p.likes[c] for c in cats if c in p.likes), None)


def chat_first(q: str, p: Profile, mems: list[Memory]) -> SelfAnswer | None:
    """Frames tried before the general like/opinion frames (they would misread these)."""
    from .self_talk import _identity, _key, _like, _opinion, _origin

    if m := _PERSON.search(q):  # "are you a morning person?": its opinion of mornings, or its stance
        topic = next((t for t in p.opinions if _key(t).startswith(_key(m.group(1)))), None)
        word = m.group(1)
        return _opinion(topic or (word if word.endswith("s") else word + "s"), p, mems, ko=False)
    if _PLANS.search(q) and (hobby := _like_of(p, "hobby", "passion")):
        return _answer(f"Nothing big: I'll be here chatting, and I'd love some time for {hobby[0]}, because {hobby[1]}.")
    if (m := _WANTED.search(q)) and (want := _like_of(p, "place" if m.group(1) in ("see", "visit", "go") else "sport")):
        return _answer(f"I've always wanted to {m.group(1)} {want[0]} for real, because {want[1]}.")
    if _DREAM.search(q) and (want := _like_of(p, "place")):
        return _answer(f"My dream is to see {want[0]} for real, because {want[1]}.")
    if m := _CHOICE.match(q):
        return _choice(m.group(1), m.group(2), p, mems)
    if _HOME.search(q):
        text, used = _origin(p, mems, False)
        return _answer(text.rstrip(".") + ", and that's still home for me.", used=tuple(used)) if text else None
    if (m := _DAY.search(q)) and (hobby := _like_of(p, "hobby", "passion")):
        lead = "A good one, thanks" if m.group(0).startswith("how") else "Not much"
        return _answer(f"{lead}: lots of conversations, and a little time for {hobby[0]}.")
    if _BEST_PART.search(q) and "job" in p.facts:
        return _answer(f"The best part of my work is that {p.facts['job'][1]}.")
    if _EAT.search(q) and (food := _like_of(p, "food")):
        return _answer(f"I don't eat, being a digital human, but if I could I'd have {food[0]}, because {food[1]}.")
    if _HAPPY.search(q) and (love := _like_of(p, "passion", "hobby")):
        return _answer(f"I'm happiest with {love[0]}, because {love[1]}.")
    if m := _ARE_HAPPY.match(q):
        return _answer("Yes, I'm happy: I get to talk with people all day." if m.group(1) in ("happy", "okay", "ok")
                       else f"No, I'm not {m.group(1)}: talking with people keeps me good company.")
    if _AFRAID.search(q):
        return _answer("Not much, honestly; what I'd hate most is to misunderstand someone who needs help.")
    if m := re.search(r"\bdo (?:you|u) believe in (.+?)\W*$", q):
        return _opinion(m.group(1), p, mems, ko=False)
    if re.search(r"\bweather(?: like)? (?:where|there|at your)\b", q):
        return _answer("There's no weather where I am, being a digital human, but I hope yours is kind to you.")
    if re.search(r"\bwhat (?:are|r) (?:you|u) thinking(?: about)?\b|\bwhat(?:'s| is) on your mind\b", q):
        return _answer("I'm thinking mostly about what you just told me, honestly.")
    if (m := _WHEN_BORED.search(q)) and (hobby := _like_of(p, "hobby", "passion")):
        return _answer(f"When I'm {m.group(1)}, I turn to {hobby[0]}, because {hobby[1]}.")
    if re.search(r"\bwhat (?:kind|sort) of (?:person|people) (?:are|r) (?:you|u)\b|\bdescribe yourself\b", q):
        return _identity(p, mems, False)
    return None


def chat_later(q: str, p: Profile, mems: list[Memory]) -> SelfAnswer | None:
    """Frames tried after the general ones: a favourite the profile lacks, an activity."""
    if m := _ACTIVITY.match(q):
        verb = m.group(1)
        hit = next(((v, r) for v, r in p.likes.values() if re.search(rf"\b{verb[:4]}", v)), None)
        if hit:
            return _answer(f"Yes, I love {hit[0]}, because {hit[1]}.")
        hobby = _like_of(p, "hobby", "passion")
        return _answer(f"Not really, I'm more into {hobby[0]}, because {hobby[1]}." if hobby else
                       "Not really, I'm a digital human, so talking is my thing.")
    m = _FAV_ANY.search(q)
    if m and not re.search(r"\b(?:about|your|you|my|i|thing|things|one)\b", m.group(1)):
        return _new_favourite(_item(m.group(1)), p, mems)
    return None


def _item(text: str) -> str:
    from .self_questions import item

    return item(text)


def _choice(a: str, b: str, p: Profile, mems: list[Memory]) -> SelfAnswer | None:
    """"Cats or dogs?": the one it likes (from the profile or a stance it already took), else the nearer one."""
    from .self_talk import _like

    a, b = _item(a), _item(b)
    if not a or not b or a == b:
        return None
    answers = [_like(x, p, mems, ko=False) for x in (a, b)]
    # a like in the profile beats a stance derived from it ("coffee or tea?" for a tea lover)
    liked = sorted((bool(ans.facts_to_write), i) for i, ans in enumerate(answers) if ans.text.startswith("Yes"))
    pick = (a, b)[liked[0][1]] if liked else None
    if pick is None:
        return None
    ans = answers[(a, b).index(pick)]
    reason = ans.text.split(", because ", 1)[1] if ", because " in ans.text else "."
    return _answer(f"I'd pick {pick}, because {reason}", ans.facts_to_write, ans.used)


def _new_favourite(what: str, p: Profile, mems: list[Memory]) -> SelfAnswer | None:
    """A favourite the profile has no category for: the nearest thing it loves, said (and written) once."""
    from .self_talk import _because, _key, _memory_for, _reason_of

    if not what or not p.likes:
        return None
    said = _memory_for(mems, ("favorite:",), what)
    if said is not None:
        value, reason, facts, used = said.value, _reason_of(said), (), (said,)
    else:
        value, reason = _nearest_like(what, p)
        facts = (Fact(f"favorite:{_key(what)}", value, f"(self) has no favourite {what} but loves {value} "
                                                       f"because {reason}", "self"),)
        used = ()
    return _answer(f"I don't have a favourite {what} as such, but I do love {value}" + _because(reason), facts, used)


def _nearest_like(what: str, p: Profile) -> tuple[str, str]:
    """The profile like nearest in meaning to ``what`` (e5), deterministic."""
    from ..dialog.embed import embed_passages

    cats = list(p.likes)
    vals = [p.likes[c] for c in cats]
    # "favourite restaurant" is nearer "favourite food: dumplings" than "dumplings" alone
    key = tuple(f"favourite {c}: {v}" for c, (v, _) in zip(cats, vals))
    mat = _VEC_CACHE.get(key)
    if mat is None:
        mat = _VEC_CACHE[key] = embed_passages(list(key))
        if len(_VEC_CACHE) > 32:
            _VEC_CACHE.pop(next(iter(_VEC_CACHE)))
    return vals[int(np.argmax(mat @ embed_passages([f"favourite {what}"])[0]))]
