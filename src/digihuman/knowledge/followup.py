"""Multi-part questions split into parts; follow-ups completed from the previous question.

"How much is a family ticket and is it valid all day?" is two questions, the second leaning on
the first. "And on Sundays?", "what about holidays?", "how much is that one?", "is it vegan?" have
no meaning alone: an elliptical fragment takes the place of the matching phrase of the previous
question (a day replaces a day, a thing replaces the thing), and a pronoun is replaced by the
thing the previous question was about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..dialog.types import Turn
from . import values
from .question import _parse, analyse, has_day
from .terms import korean_terms, normalise

_AUX = r"(?:what|when|where|who|how|which|why|do|does|did|is|are|was|can|could|will|would|should|may|must|have|has)"
_SPLIT_EN = re.compile(rf"(?:,\s*|\s+)(?:and|but|also|or|plus)\s+(?={_AUX}\b)|;\s*", re.I)
_LEAD_EN = re.compile(r"^\s*(?:(?:and|but|so|ok(?:ay)?|then|also|right),?\s+)*(?:what|how)\s+about\s+"
                      r"|^\s*(?:(?:ok(?:ay)?|so|right),?\s+)*(?:and|also|plus)\s+", re.I)
_ANAPHOR_EN = re.compile(r"\b(?:(?:that|this) one|those ones|it|its|that|this|those|these|them|they)\b", re.I)
_EXPLETIVE = re.compile(r"\bis it (?:possible|ok|okay|fine|true|allowed|necessary|worth|easy|hard|free to)\b"
                        r"|\bwhat is it like\b|\bthat'?s\b", re.I)
_PREP = re.compile(r"^(?:on|at|in|during|for|over|before|after|by|from|until)\b", re.I)
_DAY_PHRASE = re.compile(r"\s*\b(?:on|at|in|during|for|over)?\s*(?:the\s+)?(?:public\s+|bank\s+)?(?:(?:mon|tues|wednes|thurs|"
                         r"fri|satur|sun)days?|weekends?|weekdays?|holidays?|today|tomorrow|tonight)\b", re.I)
_SENT_EN = re.compile(r"(?<=[?!.])\s+")
_KO_PRON = re.compile(r"그거|그건|그것|이거|이건|저거|저건")
_KO_FRAGMENT = re.compile(r"(?:은|는|에는|도)요\s*[?？]?\s*$|^(?:그럼|그러면|그리고)\s")
_KO_DAY = re.compile(r"[월화수목금토일]요일|주말|평일|공휴일|휴일|오늘|내일")


def split_parts(message: str, lang: str) -> list[str]:
    """The questions in a message: sentences that ask, each split at "and" + a new question."""
    sents = [s.strip() for s in (re.split(r"(?<=[?？!.。])\s+|\s+그리고\s+", message) if lang == "ko"
                                 else _SENT_EN.split(message)) if s.strip()]
    asks = [s for s in sents if _asks(s, lang)] or [message.strip()]
    parts: list[str] = []
    for s in asks:
        pieces = _SPLIT_EN.split(s) if lang != "ko" else [s]
        if len(pieces) > 1 and len(pieces[0].split()) < 2:  # "ok and what about ...": nothing before "and"
            pieces = [s]
        parts += [p.strip(" ,") for p in pieces if re.search(r"\w", p)]
    return parts


def _asks(sentence: str, lang: str) -> bool:
    if sentence.rstrip().endswith(("?", "？")):
        return True
    if lang == "ko":
        return bool(re.search(r"알려|궁금|얼마|언제|어디|있나요|까요|나요|세요|돼요|되나요|해요", sentence))
    return bool(re.match(rf"^\s*(?:{_AUX}|tell me|i(?:'d| would) like to know|i wonder)\b", sentence, re.I))


def previous_question(history: Sequence[Turn], current: str, lang: str, depth: int = 2) -> str:
    """The last question the user asked before ``current`` (itself completed when it was a follow-up)."""
    users = [t.text for t in history if t.role == "user" and " ".join(t.text.split()) != current]
    for i in range(len(users) - 1, max(-1, len(users) - 4), -1):
        asks = [s for s in split_parts(users[i], lang) if _asks(s, lang)]
        if asks:
            last = asks[-1]
            if depth > 0 and followup_kind(last, lang):
                earlier = previous_question([Turn(0, "", "user", u, "") for u in users[:i]], last, lang, depth - 1)
                return resolve(last, earlier, lang)
            return last
    return ""


def followup_kind(part: str, lang: str) -> str:
    """"ellipsis" ("and on Sundays?"), "anaphora" ("is it vegan?") or "" for a standalone question."""
    if lang == "ko":
        if _KO_PRON.search(part):
            return "anaphora"
        return "ellipsis" if _KO_FRAGMENT.search(part) and len(korean_terms(part)) <= 2 else ""
    lead = _LEAD_EN.match(part)
    if lead and not re.match(rf"{_AUX}\b", part[lead.end():], re.I):
        return "ellipsis"
    doc = _parse(part)
    if not any(t.pos_ in ("VERB", "AUX") for t in doc) and len([t for t in doc if not t.is_punct]) <= 5:
        return "ellipsis"
    if _ANAPHOR_EN.search(part) and not _EXPLETIVE.search(part):
        own = [t for t in doc if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("npadvmod", "acomp", "attr", "oprd")
               and not has_day(t.text) and normalise(t.text) not in ("price", "cost", "time", "hour", "one")]
        # "do they deliver?": "they" doing something is the business; "are they vegan?" is the thing
        pron = [t for t in doc if t.lower_ in ("it", "that", "this", "those", "these", "them", "they", "its")
                and t.dep_ != "det" and not (t.lower_ == "they" and t.head.pos_ == "VERB")
                or t.lower_ in ("that", "this") and t.head.lower_ == "one"]
        if pron and not own:
            return "anaphora"
    return ""


def _thing(prev: str) -> str:
    """The phrase the previous question was about ("the rye bread", "gift cards")."""
    q = analyse(prev, "en")
    chunks = [c for c in _parse(prev).noun_chunks if c.root.pos_ != "PRON" and not has_day(c.text)]
    for c in chunks:
        if normalise(c.root.text) == q.head:
            return c.text
    return chunks[-1].text if chunks else ""


def resolve(part: str, prev: str, lang: str) -> str:
    """``part`` completed from ``prev`` when it is a follow-up; else ``part`` unchanged."""
    kind = followup_kind(part, lang) if prev else ""
    if not kind:
        return part
    if lang == "ko":
        return _resolve_ko(part, prev, kind)
    base = prev.rstrip(" ?.!")
    if kind == "anaphora":
        thing = _thing(prev) or analyse(prev, "en").topic  # "do you deliver?" -> "is it free?": about "deliver"
        if not thing:
            return part
        bare = re.sub(r"^(?:the|a|an|some|any|your|our)\s+", "", thing, flags=re.I)
        out = re.sub(r"\b(?:of\s+)(?:those|these|them)\b", bare, part, count=1, flags=re.I)
        if out == part:
            out = _ANAPHOR_EN.sub(thing, part, count=1)
        return out
    frag = _LEAD_EN.sub("", part).strip(" ?.!")
    if not frag:
        return part
    if re.fullmatch(r"(?:how|when|where|what|who)(?:\s+(?:much|many|long|often|old|far|early|late|time))?", frag, re.I):
        # a bare wh-phrase ("how much?") asks the previous question's thing anew
        thing = _thing(prev) or analyse(prev, "en").topic
        return f"{frag} {'for' if frag.lower().startswith('how much') else 'is'} {thing}?" if thing else part
    if has_day(frag) or values.clocks(frag):
        frag_p = frag if _PREP.match(frag) else (f"at {frag}" if values.clocks(frag) and not has_day(frag)
                                                 else f"on {frag}")
        if values.clocks(frag) and not has_day(frag) and values.clocks(base):
            c = values.clocks(base)[0]
            return f"{base[:c.start].rstrip()} {frag_p}{base[c.end:]}?".replace(" at at ", " at ")
        if has_day(frag) and _DAY_PHRASE.search(base):
            return _DAY_PHRASE.sub(" " + frag_p, base, count=1) + "?"
        return f"{base} {frag_p}?"
    thing = _thing(prev)
    if thing and thing in base:
        frag = re.sub(r"^(?:the|a|an)\s+", "", frag, flags=re.I)
        det = re.match(r"^(?:the|a|an|your|our)\s+", thing, flags=re.I)
        return base.replace(thing, (det.group(0) if det else "") + frag, 1) + "?"
    return part


def _resolve_ko(part: str, prev: str, kind: str) -> str:
    prev_terms = analyse(prev, "ko")
    if kind == "anaphora":
        return _KO_PRON.sub(prev_terms.head or prev_terms.topic, part, count=1) if prev_terms.head else part
    frag = re.sub(r"^(?:그럼|그러면|그리고)\s+", "", part)
    frag = re.sub(r"(?:은|는|에는|도)요\s*[?？]?\s*$", "", frag).strip()
    if _KO_DAY.search(frag) and _KO_DAY.search(prev):
        return _KO_DAY.sub(_KO_DAY.search(frag).group(0), prev, count=1)
    # the fragment names a new thing: it takes the place of the things the previous question named
    rest = prev
    for k in prev_terms.keys:
        rest = re.sub(rf"(?:^|\s){re.escape(k)}(?=\s|$|[은는이가을를도의])\S*", " ", rest, count=1)
    return f"{frag} {' '.join(rest.split())}"
