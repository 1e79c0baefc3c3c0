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

CATEGORIES: dict[str, tuple[str, ...]] = {  # category -> cue words (English lemmas, Korean nouns)
    "music": ("music", "song", "band", "genre", "singer", "album", "tune", "listen", "음악", "노래", "가수"),
    "food": ("food", "dish", "meal", "eat", "cuisine", "snack", "dessert", "음식", "요리", "먹"),
    "drink": ("drink", "beverage", "음료", "마실"),
    "colour": ("colour", "color", "색", "색깔"),
    "season": ("season", "계절"),
    "book": ("book", "novel", "read", "author", "책", "소설"),
    "film": ("film", "movie", "cinema", "watch", "영화"),
    "hobby": ("hobby", "hobbies", "pastime", "fun", "free", "spare", "weekend", "취미", "여가"),
    "place": ("place", "city", "country", "travel", "visit", "destination", "spot", "장소", "도시", "여행"),
    "animal": ("animal", "pet", "동물"),
    "sport": ("sport", "exercise", "workout", "운동", "스포츠"),
}
_FAV = {"favourite", "favorite", "fav", "fave", "favourit", "favorit", "preferred"}
_VOCAB = sorted({w for cues in CATEGORIES.values() for w in cues if w.isascii()} | {"favourite", "favorite"})

_EN = {
    "why": re.compile(r"^(?:but |and |so )?(?:why|how come|what makes you say (?:that|so)|why is that|why so|"
                      r"why not|how so)\b(?: do you (?:like|love|think|say) (?:it|that|them|so))?\W*$"),
    "why_item": re.compile(r"^why (?:do|would) (?:you|u) (like|love|enjoy|prefer|hate|dislike) (.+)"),
    "robot": re.compile(r"\b(?:are|r) (?:you|u)(?: really| actually)? (?:a |an )?(?:real |actual )?(robot|bot|ai|a\.i\.|"
                        r"human|person|machine|computer|program|chatbot|alive|real|digital human)\b|^(?:you|u) (?:a |an )?"
                        r"(?:robot|bot|ai|human)\b|\b(?:talking|speaking|chatting) (?:to|with) (?:a )?(?:bot|robot|"
                        r"human|real person|machine|ai)\b|\bis this (?:a )?(?:bot|robot|ai|real person)\b"),
    "name": re.compile(r"\bwhat(?:'s| is) your name\b|\bwhat should i call (?:you|u)\b|\bwho am i (?:talking|speaking|chatting) (?:to|with)\b"),
    "identity": re.compile(r"\bwho (?:are|r) (?:you|u)\b|\bwhat are you\b|\btell me (?:a (?:bit|little) |more |something )?"
                           r"about (?:yourself|you)\b|\bintroduce yourself\b|\bdescribe yourself\b|\bwhat'?s your story\b"),
    "origin": re.compile(r"\bwhere (?:are|r|were|was) (?:you|u) (?:from|born|raised)\b|\bwhere (?:do|did|d) (?:you|u) "
                         r"(?:come from|hail from|grow up|come)\b|\bwhere'd you grow up\b|\byour (?:home ?town|home town|"
                         r"country|birthplace)\b|\bwhere is home for you\b"),
    "opinion": re.compile(r"\b(?:what do you think (?:about|of)|how do you feel about|what(?:'s| is) your (?:opinion|view|"
                          r"take|stance) (?:on|of|about)|(?:your |any )?thoughts (?:on|about)|do you have an opinion "
                          r"(?:on|about)|how do you like)\s+(.+)"),
    "like": re.compile(r"\b(?:do|would) (?:you|u) (?:really |also |even )?(like|love|enjoy|prefer|hate|dislike|mind) (.+)|"
                       r"\b(?:are|r) (?:you|u) (?:into|a fan of|fond of|keen on) (.+)"),
    "dislike_any": re.compile(r"\bwhat (?:\w+ )?(?:do you|don't you) (?:hate|dislike|not like|can't stand)\b|"
                              r"\bwhat (?:\w+ )?don't you like\b|\banything you (?:hate|dislike|don't like)\b"),
    "hobby": re.compile(r"\bwhat (?:do you|d'you) (?:like|love|enjoy) (?:to do|doing)\b|\bwhat do you do (?:for fun|in your "
                        r"(?:free|spare) time|on (?:the )?weekends?)\b|\b(?:what are |any )?(?:your )?hobbies\b|"
                        r"\bdo you have (?:a |any )?hobb"),
    "category": re.compile(r"(?:^|\b(?:your|ur|any) )(?:favourite|favorite|fav|fave|preferred)\b|\b(?:what|which) (?:kinds? |"
                           r"sorts? |types? )?(?:of )?(\w+) (?:(?:do|would) (?:you|u) (?:like|love|enjoy|prefer|listen|read|"
                           r"watch|eat|drink)|(?:are|r) (?:you|u) (?:into|fond of|a fan of))|"
                           r"\bdo you have (?:a )?(?:favourite|favorite)\b|\bwhat do you (?:like|love|enjoy)\b"),
}
_KO = {
    "why": re.compile(r"^(?:왜(?:요)?|어째서(?:요)?|왜 그래(?:요)?|이유가 뭐(?:예요|야|에요)|왜 그렇게 생각해(?:요)?)\W*$"),
    "robot": re.compile(r"(로봇|인공지능|AI|ai|봇|챗봇|기계|진짜 사람|사람)(?:이에요|이야|예요|인가요|이세요|이니|야|이지|맞아요)"),
    "name": re.compile(r"이름이 (?:뭐|무엇)"),
    "identity": re.compile(r"누구(?:세요|야|예요|니|신가요)|자기\s?소개|소개(?:해|좀|를)"),
    "origin": re.compile(r"어디(?:서|에서)? ?(?:왔|오셨)|어디 출신|고향이 어디|출신이 어디"),
    "opinion": re.compile(r"(.+?)(?:에 대해서?|을|를|은|는)? ?(?:어떻게 생각|어때(?:요)?\W*$)"),
    "like": re.compile(r"(.+?)\s*(좋아해|좋아하세요|좋아하니|좋아하나요|좋아해요|싫어해|싫어하세요|싫어해요)\W*$"),
    "hobby": re.compile(r"취미|여가|쉬는 날 뭐"),
    "category": re.compile(r"(?:무슨|어떤|좋아하는)"),
}
_ARTICLES = re.compile(r"^(?:the|a|an|some|any|your|my)\s+")
_TRAIL = re.compile(r"\s+(?:too|much|very much|at all|a lot|so much|then|now|either|really)$")


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
    q = _fix_typos(q)
    if _EN["why"].match(q):
        return _why(p, mems, history, ko=False)
    if m := _EN["why_item"].match(q):
        return _like(_item(m.group(2)), p, mems, ko=False)
    if _EN["robot"].search(q):
        return SelfAnswer(f"I'm {DIGITAL[0]}. My name is {p.name}.")
    if _EN["name"].search(q):
        return SelfAnswer(f"I'm {p.name}.")
    if _EN["identity"].search(q):
        return _identity(p, mems, False)
    if _EN["origin"].search(q):
        text, used = _origin(p, mems, False)
        return SelfAnswer(text, used=tuple(used)) if text else None
    if m := _EN["opinion"].search(q):
        return _opinion(_item(m.group(1)), p, mems, ko=False)
    if _EN["category"].search(q) and (cat := _category(q)):
        return _favourite(cat, p, mems, ko=False)
    if _EN["hobby"].search(q) and "hobby" in p.likes:
        return _favourite("hobby", p, mems, ko=False)
    if m := _EN["like"].search(q):
        verb, what = (m.group(1), m.group(2)) if m.group(2) else ("like", m.group(3))
        what = _item(what)
        if what in ("it", "that", "this", "them", "those", "these", "") or what.startswith(("to ", "me", "us ")):
            return None  # "do you like it?", "would you like to order?": not about the persona's taste
        cat = _category(what, exact=True)
        if cat and cat in p.likes:
            return _favourite(cat, p, mems, ko=False, lead="Yes! ")
        answer = _like(what, p, mems, ko=False)
        if verb in ("hate", "dislike", "mind") and answer.text.startswith("Yes"):
            answer = SelfAnswer("No, " + answer.text[len("Yes, "):], answer.facts_to_write, answer.used)
        return answer
    if _EN["dislike_any"].search(q):
        cat = _category(q) if _category(q) in p.dislikes else next(iter(p.dislikes), None)
        if cat is None:
            return None
        value, reason = p.dislikes[cat]
        return SelfAnswer(_yes_no(value, False, reason, False, opinion=True))
    if re.search(r"\bwhat do you (like|love|enjoy)\W*$", q):  # no category: two things it likes
        picks = [c for c in ("hobby", "music", "food", "passion") if c in p.likes][:2]
        return SelfAnswer(" ".join(_favourite(c, p, mems, ko=False).text for c in picks)) if picks else None
    return None


def _fix_typos(q: str) -> str:
    """"favrite musik" -> "favorite music": fuzzy-correct only the few words the patterns key on."""
    from rapidfuzz import process
    from rapidfuzz.fuzz import ratio

    out = []
    for w in q.split(" "):
        core = w.strip("?!.,")
        if (len(core) >= 5 and core.isalpha() and core not in _VOCAB and core not in _FAV
                and core.rstrip("s") not in _VOCAB and core[:-3] not in _VOCAB):  # "movies", "reading" are fine
            hit = process.extractOne(core, _VOCAB, scorer=ratio, score_cutoff=80)
            if hit:
                w = w.replace(core, hit[0])
        out.append(w)
    return " ".join(out)


def _item(text: str) -> str:
    t = re.split(r"[?!.]|,\s*(?:or|and|then)\b", text.strip())[0].strip()
    t = _TRAIL.sub("", _ARTICLES.sub("", t)).strip()
    return _TRAIL.sub("", t).strip()


def _category(text: str, exact: bool = False) -> str | None:
    """The like category a phrase names ("what kind of films ..." -> "film")."""
    words = re.findall(r"[\w']+", text.lower())
    if exact and len(words) != 1:
        return None  # "horror movies" is not films in general
    for cat, cues in CATEGORIES.items():
        for w in words:
            if any(w == c or (len(c) >= 4 and w.startswith(c)) or (not c.isascii() and c in w) for c in cues):
                return cat
    return None


def _key(text: str) -> str:
    from ..memory.extract import _norm  # the same key form the memory extractor writes

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
    if said is not None:
        value, reason, used = said.value, _reason_of(said), (said,)
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
        text = f"My favourite {_CAT_EN.get(cat, cat)} is {value}"
    return SelfAnswer(lead + text + (f": {reason}." if reason else "."), used=used)


_CAT_EN = {"place": "place to be"}
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
        text = (f"{item}{'은' if _batchim(item) else '는'} 잘 몰라서 아직 좋은지 모르겠어요." if ko
                else f"I'm not sure about {item} yet: I haven't really tried it.")
        return SelfAnswer(text, (Fact(f"opinion:{_key(item)}", f"not sure about {item}",
                                      f"(self) is not sure about {item} because it hasn't tried it", "self"),))
    yes = stance == "like"
    reason = (f"{near}{'이' if _batchim(near) else '가'} 생각나서" if ko else f"it reminds me of {near}") if yes else (
        f"{near}{'이랑' if _batchim(near) else '랑'} 비슷해서" if ko else f"it's a bit like {near}, which I don't enjoy")
    verb = "likes" if yes else "dislikes"
    fact = Fact(f"{verb}:{_key(item)}", item, f"(self) {verb} {item} because {reason}", "self")
    return SelfAnswer(_yes_no(item, yes, reason, ko, opinion), (fact,))


def _yes_no(item: str, yes: bool, reason: str, ko: bool, opinion: bool = False) -> str:
    if ko:
        if yes:
            return f"{'' if opinion else '네, '}{item} 좋아해요!" + (f" {reason} 좋아요." if reason else "")
        return (f"{'' if opinion else '아니요, '}{item}{'은' if _batchim(item) else '는'} 별로 안 좋아해요."
                + (f" {reason}요." if reason else ""))
    if yes:
        return f"{'I like' if opinion else 'Yes, I like'} {item}" + (f": {reason}." if reason else ".")
    return f"{'Honestly,' if opinion else 'Not really,'} I don't like {item}" + (f": {reason}." if reason else ".")


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
        body = re.sub(r"^is not sure", "I'm not sure", re.sub(r"^thinks ", "I think ", body))
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
    for table in (p.likes, p.dislikes, p.opinions):
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


def _ko_noun(text: str) -> str:
    """The noun phrase of a Korean fragment ("재즈를 " -> "재즈"), by Kiwi's part-of-speech tags."""
    from ..dialog.nlp import korean

    toks = [t for t in korean().tokenize(text) if t.tag in ("NNG", "NNP", "SL", "SN", "XSN")]
    # the span from the first to the last noun keeps compounds and modifiers ("비 오는 날", "크루아상")
    return text[toks[0].start:toks[-1].end].strip() if toks else text.strip()


def _korean(q: str, p: Profile, mems: list[Memory], history: list[Turn]) -> SelfAnswer | None:
    if _KO["why"].match(q):
        return _why(p, mems, history, ko=True)
    if _KO["robot"].search(q):
        return SelfAnswer(f"저는 {DIGITAL[1]}. 제 이름은 {p.name}예요.")
    if _KO["name"].search(q):
        return SelfAnswer(f"저는 {p.name}예요.")
    if _KO["identity"].search(q):
        return _identity(p, mems, True)
    if _KO["origin"].search(q):
        text, used = _origin(p, mems, True)
        return SelfAnswer(text, used=tuple(used)) if text else None
    if _KO["hobby"].search(q) and "hobby" in p.likes:
        return _favourite("hobby", p, mems, ko=True)
    if _KO["category"].search(q) and (cat := _category(q)):
        return _favourite(cat, p, mems, ko=True)
    if m := _KO["like"].search(q):
        what = _ko_noun(m.group(1))
        if cat := _category(what, exact=True):
            if cat in p.likes:
                return _favourite(cat, p, mems, ko=True, lead="")
        answer = _like(what, p, mems, ko=True)
        return answer
    if m := _KO["opinion"].search(q):
        return _opinion(_ko_noun(m.group(1)), p, mems, ko=True)
    return None
