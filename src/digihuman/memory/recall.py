"""Answering questions about the user's own life from their memories ("what's my dog called?",
"when is my sister's wedding?", "what could I cook tonight, given my diet?").

The question is parsed (spaCy; Kiwi-free keyword reading for Korean in :mod:`.recall_ko`) into
what it asks: whose (the user, "my wife", "my dog", "my sister's wedding") and which attribute
(name, job, place, date, count, likes, allergies, ...). Memories are read through their typed
keys (:func:`.speech.view`), so the dog's name is answered, not the user's; several memories are
combined when the question needs it; every sentence of the answer is said from memories, so
nothing is invented. When nothing fits, the answer says so naturally ("You haven't told me your
dog's name yet."). A message that is not a question about the user's life returns None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..dialog.knowledge import stem
from ..dialog.types import Memory, Turn
from .dates import resolve
from .facts import RELATIONS, join_items, norm, species
from .speech import View, second_person, sentence, view

_ABOUT_ME = frozenset({"i", "my", "me", "mine", "myself", "we", "our", "us"})
_SERVICE = re.compile(r"^(?:can|could|may|must) (?:i|we)\b|^how (?:do|can|should|would) (?:i|we)\b|"
                      r"^do (?:i|we) (?:need|have to|get)\b|^(?:where|when) (?:can|should|do) (?:i|we) (?:park|pay|"
                      r"buy|book|order|find|go to get)\b|^is it ok if i\b", re.I)
_QSTART = re.compile(r"^(?:what|who|whom|whose|where|when|why|how|which|do|does|did|am|is|are|was|were|have|has|"
                     r"can|could|tell me|remind me|any|should|would|will)\b", re.I)
_FOOD = re.compile(r"\b(?:cook(?:ing)?|eat(?:ing)?|dinner|lunch|breakfast|meal|recipe|restaurant|food|snack|order|bake|menu|"
                   r"drink(?:ing)?|milk|"
                   r"tea|coffee|alcohol|beer|wine)\b", re.I)
_SUMMARY = re.compile(r"\babout me\b|^what (?:have|did) i (?:told|tell|said|say)(?: you)?(?: so far)?\W*$|"
                      r"^what do you (?:know|remember)\W*$", re.I)
_SLOT_WORDS = [  # (pattern on the lower-cased question, slot); the first match decides
    (re.compile(r"\ballerg"), "allergy"),
    (re.compile(r"\b(?:diet|vegetarian|vegan|pescatarian|halal|kosher|lactose|gluten|coeliac|celiac)\b"), "diet"),
    (re.compile(r"\bhow many\b"), "count"),
    (re.compile(r"\bhow old\b|\bmy age\b"), "age"),
    (re.compile(r"\bbirthday\b|\bwhen was i born\b"), "birthday"),
    (re.compile(r"\b(?:names?|called|call)\b|^who(?: is|'s|are) (?:my|our)\b|^who am i\b"), "name"),
    (re.compile(r"^when\b(?!.*\bborn\b)"), "when"),
    (re.compile(r"\bwhere (?:am i|are we|will i|is .*) (?:going to |gonna )?work(?:ing)?\b"), "works_at"),
    (re.compile(r"\bwhere (?:do|does) .*\b(?:live|stay)\b|\bwhere did .*\blive\b|\bwhere (?:am i|is .*) based\b|\bmy (?:city|hometown|address)\b|"
                r"\bwhere .*\blives?\b"), "lives_in"),
    (re.compile(r"\bwhere (?:am i|are we|is .*|are .*) from\b|\bwhere .*\b(?:grow|grew) up\b"), "from"),
    (re.compile(r"\bwhere (?:do|does) .*\bwork\b|\bwho (?:do|does) .*\bwork for\b"), "works_at"),
    (re.compile(r"\b(?:job|occupation|profession|for a living|work as)\b|^what (?:do|does) .* do(?: now| these days|"
                r" nowadays| for work)?\??$"), "job"),
    (re.compile(r"\b(?:learn|learning)\b"), "learning"),
    (re.compile(r"\b(?:study|studies|studying|major)\b"), "studies"),
    (re.compile(r"\b(?:speak|languages?)\b"), "speaks"),
    (re.compile(r"\bfavou?rite\b"), "favorite"),
    (re.compile(r"\b(?:hate|dislike|stand|don't like|do not like|detest)\b"), "dislikes"),
    (re.compile(r"\b(?:like|love|enjoy|into|fan of)\b"), "likes"),
    (re.compile(r"^(?:do|does|can|am|is) (?:i|we|my \w+) (?:still |ever |actually )?(?:eat|drink|have)\b"), "avoids"),
    (re.compile(r"\b(?:hobby|hobbies|free time|for fun|play|exercise|sports?|workout|gym|keep fit)\b"), "hobby"),
    (re.compile(r"\b(?:pets?|animals?)\b"), "pet"),
    (re.compile(r"\bwhen (?:is|was|are|were|will|do|does|did|am|'s)\b|\bwhat (?:day|date|time)\b"), "when"),
    (re.compile(r"\bmarried|\bsingle\b"), "marital"),
    (re.compile(r"\b(?:plans?|planning|going to|will i|am i (?:doing|going|flying|visiting)|"
                r"what am i doing)\b"), "plan"),
    (re.compile(r"\b(?:did|was|were|went)\b"), "event"),
]
_UNKNOWN = {"name": "your name", "lives_in": "where you live", "from": "where you're from", "job": "what you do",
            "works_at": "where you work", "allergy": "about any allergies", "avoids": "what you eat", "diet": "about your diet",
            "age": "how old you are", "birthday": "your birthday", "studies": "what you study",
            "speaks": "which languages you speak", "likes": "what you like", "dislikes": "what you dislike",
            "favorite": "your favourite", "hobby": "about your hobbies", "pet": "about any pets",
            "marital": "whether you're married", "learning": "what you're learning", "plan": "about your plans", "event": "about that",
            "when": "when that is", "count": "how many you have", "summary": "much about yourself"}


@dataclass(frozen=True)
class RecallAnswer:
    """An answer about the user's life, built only from their memories."""

    text: str
    used: tuple[Memory, ...]
    """The memories the answer says (empty when unknown)."""
    status: str
    """"answered" or "unknown" (the user has not told us)."""


@dataclass(frozen=True)
class Ask:
    """What a question about the user asks for."""

    slot: str
    owner: str = ""
    """"" = the user; else the relation or pet species asked about ("wife", "dog")."""
    owner_word: str = ""
    """The word the user used for it ("beagle", "sister")."""
    thing: str = ""
    """An event noun asked about ("wedding" in "when is my sister's wedding?")."""
    item: str = ""
    """The object of a yes/no or category question ("jazz", "music", "parrots")."""
    words: frozenset[str] = frozenset()
    """Content lemmas of the question, for ranking."""
    date: str = ""
    """ISO date a question names ("last weekend" -> its Saturday)."""
    date_phrase: str = ""
    yesno: bool = False


def _parse(question: str, now: datetime) -> Ask | None:
    from ..dialog.nlp import parse

    low = " ".join(question.lower().replace("\u2019", "'").split()).rstrip(" ?!.")
    doc = parse(question.replace("\u2019", "'"))
    toks = [t for t in doc]
    if not ({t.lower_ for t in toks} & _ABOUT_ME) or (_SERVICE.match(low) and not _FOOD.search(low)):
        return None
    if not _QSTART.match(low) and re.match(r"^(?:i|i'm|we|we're|my|our)\b", low) and not re.search(
            r"\b(?:remember|know|told you|tell you)\b", low) and not any(
            _QSTART.match(c.strip()) for c in re.split(r"[,;]|\b(?:so|but|and)\b", low)[1:]):
        return None  # "I like teaching though, so maybe it's a good thing?": a thought, not a question
    if not (question.strip().endswith("?") or _QSTART.match(low) or re.match(r"^(?:do you|you) (?:remember|know)", low)):
        return None
    # not spaCy's stop list: it holds content verbs like "move" and "call"
    words = frozenset(t.lemma_.lower() for t in toks if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and t.lemma_.lower()
                      not in ("be", "have", "do", "remember", "know", "tell", "think", "call", "name", "say", "many"))
    owner = owner_word = thing = item = ""
    for t in toks:
        if t.pos_ not in ("NOUN", "PROPN", "ADJ") or not any(c.dep_ == "poss" for c in t.children):
            continue
        poss = next(c for c in t.children if c.dep_ == "poss")
        lemma = t.lemma_.lower()
        if poss.lower_ in ("my", "our"):
            if lemma in RELATIONS or t.lower_ in RELATIONS or species(lemma):
                owner, owner_word = (species(lemma) or (t.lower_ if t.lower_ in RELATIONS else lemma)), t.lower_
            elif lemma not in ("name", "job", "age", "diet", "birthday", "favorite", "favourite", "plan", "allergy"):
                thing = lemma
        elif poss.lemma_.lower() in RELATIONS or species(poss.lemma_.lower()) and any(
                c.lower_ in ("my", "our") for c in poss.children):  # "my sister's wedding"
            owner = species(poss.lemma_.lower()) or poss.lower_
            owner_word = poss.lower_
            if lemma != "name":
                thing = lemma
    # a recurring time ("on Thursday nights", "every Monday", "weekends") names a habit, not a date
    when_ent = next((e for e in doc.ents if e.label_ in ("DATE", "TIME") and not re.search(
        r"\b(?:every|each)\b|(?:day|night|morning|evening|afternoon|weekend)s\b", e.text, re.I)), None)
    said_past = bool(re.search(r"\b(?:did|was|were|went)\b", low)) or any(t.tag_ == "VBD" for t in toks)
    iso = resolve(when_ent.text, now, past=said_past) if when_ent else ""
    obj = next((t for t in toks if t.dep_ in ("dobj", "pobj", "attr") and t.pos_ in ("NOUN", "PROPN") and
                t.lower_ not in _ABOUT_ME and t.lemma_.lower() not in ("name", "thing", "plan")), None)
    item = " ".join(t.text for t in obj.subtree if t.dep_ in ("compound", "amod") and t.lower_ not in (
        "many", "much", "any", "other") or t.i == obj.i) if obj is not None else ""
    if not item and (m := re.search(r"\b(?:to|like|love|enjoy|eat|into)\s+([\w' -]+?)$", low)):
        item = m.group(1)  # the parser missed the object ("allergic to shellfish" tagged as a verb)
    if not item and (m := re.search(r"\bhow many ([\w' -]+?) (?:do|does|did|have|has|am|are|is|was)\b", low)):
        item = m.group(1)
    if item.lower() in ("anything", "something", "stuff", "things", "any"):
        item = ""
    slot = "summary" if _SUMMARY.search(low) else ""
    if not slot and _FOOD.search(low) and re.search(r"\b(?:could|should|can|recommend|suggest|given|ideas?)\b", low) \
            and not re.search(r"\b(?:hate|dislike|like|love|enjoy|stand|favou?rite|did|was|were)\b", low):
        # "what could I cook?" asks for a suggestion; "what food do I hate?", "what did Ollie cook?" do not
        slot = "food"
    if not slot:
        slot = next((s for rx, s in _SLOT_WORDS if rx.search(low)), "any")
    if slot == "name" and not owner and thing:
        owner = thing
    if slot in ("likes", "dislikes") and re.search(r"\b(?:does|is) my\b", low) and not owner:
        slot = "any"
    yesno = bool(re.match(r"^(?:do|does|did|am|is|are|have|has|was|were)\b", low))
    if when_ent is not None and iso and slot == "any":  # "where are we going in April?", "what happened on Tuesday?"
        slot = "event" if said_past else "plan"
    if (when_ent is not None or re.search(r"\bwhere did|what did i do\b", low)) and slot in ("any", "when") and \
            re.search(r"\b(?:did|was|were|went)\b", low):
        slot = "event"
    return Ask(slot, owner, owner_word, thing, item, words, iso, when_ent.text if when_ent else "", yesno)


def _mine(views: list[View], ask: Ask) -> list[View]:
    """Memories about whoever the question is about (the user, or "my wife", "my dog")."""
    return [v for v in views if v.owner == ask.owner or (ask.owner in ("kids", "children", "child", "kid") and
                                                       v.owner in ("children", "son", "daughter", "kid", "child"))]


# the same event in other words ("wedding" <-> "getting married"); keys hold verb lemmas
_SYN = {"wedding": ("marry", "married"), "birthday": ("born", "turn", "turns"),
        "trip": ("go", "fly", "travel", "visit"), "holiday": ("trip", "vacation"), "vacation": ("trip", "holiday"),
        "job": ("work",), "flight": ("fly",), "move": ("moving", "moved", "live", "lives"), "live": ("move", "moved"),
        "party": ("celebrate",), "exam": ("test",), "test": ("exam",)}


def _overlap(v: View, words: frozenset[str]) -> int:
    text = set(re.findall(r"[\w']+", (v.mem.key.replace(":", " ") + " " + v.mem.text + " " + v.mem.value).lower()))
    text |= {stem(w) for w in text}
    return sum(1 for w in words if w in text or stem(w) in text or any(s in text for s in _SYN.get(w, ())))


def rank_memories(question: str, memories: Sequence[Memory]) -> list[Memory]:
    """Current memories about the user, most related to ``question`` first (shared words, then score)."""
    words = frozenset(w for w in re.findall(r"[\w']+", question.lower()) if len(w) > 2)
    mems = [m for m in memories if m.about == "partner" and m.superseded_by is None]
    return sorted(mems, key=lambda m: (-_overlap(view(m), words), -m.score, -m.id))


def _say(vs: list[View], now: datetime) -> str:
    """Sentences for the memories, merging those that share a verb: "You love jazz and hiking."."""
    groups: dict[str, list[str]] = {}
    for v in vs:
        said = second_person(v.mem, now)
        words = said.split(" ")
        n = 3 if len(words) > 3 and words[1] in ("don't", "doesn't", "are") else 2
        head = " ".join(words[:n]) if v.slot in ("likes", "dislikes", "hobby", "allergy", "speaks") else said
        groups.setdefault(head, []).append(" ".join(words[n:]) if head != said else "")
    return " ".join(sentence(head + (" " + join_items(rest) if any(rest) else "")) for head, rest in groups.items())


def _answer(vs: list[View], now: datetime, lead: str = "") -> RecallAnswer:
    vs = list({v.mem.id: v for v in vs}.values())
    return RecallAnswer((lead + _say(vs, now)).strip(), tuple(v.mem for v in vs), "answered")


def _unknown(text: str) -> RecallAnswer:
    return RecallAnswer(text, (), "unknown")


def _list(vs: list[View], verb: str, now: datetime) -> RecallAnswer:
    """Several values of one slot in one sentence: "You're allergic to peanuts and shellfish."."""
    return RecallAnswer(sentence(f"{verb} {join_items([v.mem.value for v in vs])}"), tuple(v.mem for v in vs),
                        "answered")


def answer_about_user(question: str, memories: Sequence[Memory], *, history: Sequence[Turn] = (),
                      lang: str = "en", now: datetime | None = None) -> RecallAnswer | None:
    """Answer a question about the user's own life from ``memories`` (their current memories).

    Returns None when ``question`` is not a question about the user (the engine then tries
    knowledge, the persona or small talk); else an answered or an "unknown" :class:`RecallAnswer`.
    ``history`` (this session's turns) is used for follow-ups; ``now`` dates "last weekend".
    """
    if not isinstance(question, str) or not question.strip():
        return None
    now = now or datetime.now()
    if lang == "ko":
        from .recall_ko import answer_ko

        return answer_ko(question, memories, now)
    views = [view(m) for m in memories if m.about == "partner" and m.superseded_by is None]
    ask = _parse(question[:500], now)
    if ask is not None and ask.slot == "any" and _FOLLOW.match(question.strip()):
        ask = _follow_up(ask, history, now) or ask
    if ask is None:
        ask = _follow_up(None, history, now, question) if _FOLLOW.match(question.strip()) else None
    if ask is None:
        return _named(question, views, now) or _their_event(question, views, now)
    from .recall_slots import answer_slot

    return _why(question, answer_slot(ask, views, now, history), views, now)


def _why(question: str, ans: RecallAnswer, views: list[View], now: datetime) -> RecallAnswer:
    """"Why did I cancel plans with Ollie?": what was said in the same message ("I've got a cold")."""
    if not re.match(r"^\s*(?:and\s+)?why\b", question, re.I) or ans.status != "answered" or not ans.used:
        return ans
    turns = {m.source_turn for m in ans.used}
    ids = {m.id for m in ans.used}
    more = [v for v in views if v.mem.source_turn in turns and v.mem.id not in ids and v.mem.source_turn > 0]
    if not more:
        return ans
    extra = _answer(more[:2], now)
    return RecallAnswer(f"{ans.text} You also said then that {extra.text[:1].lower()}{extra.text[1:]}",
                        ans.used + extra.used, "answered")


_FOLLOW = re.compile(r"^(?:and|what about|how about|also)\b", re.I)


def _follow_up(ask: Ask | None, history: Sequence[Turn], now: datetime, question: str = "") -> Ask | None:
    """"What's my dog called?" ... "And my cat?": the attribute of the previous question, new owner."""
    prev = next((t.text for t in reversed(history) if t.role == "user" and t.text.strip() != question.strip()
                 and (ask is None or t.text.strip() != question.strip())), "")
    before = _parse(prev[:500], now) if prev else None
    if before is None or before.slot == "any":
        return None
    if ask is None:  # "and the cat?" has no "my": read the new owner from its words
        words = re.findall(r"[a-z]+", question.lower())
        owner = next((species(w) or w for w in words if species(w) or w in RELATIONS), "")
        word = next((w for w in words if species(w) or w in RELATIONS), "")
        return Ask(before.slot, owner, word, "", "", frozenset(words), "", "", before.yesno) if owner else None
    return Ask(before.slot, ask.owner, ask.owner_word, ask.thing, ask.item or before.item, ask.words | before.words,
               ask.date, ask.date_phrase, before.yesno)


def _their_event(question: str, views: list[View], now: datetime) -> RecallAnswer | None:
    """"When is the wedding?": no "my", but an event the user told us about is named."""
    if not re.match(r"^(?:when|what|where|who|how long)\b", question.strip(), re.I):
        return None
    from ..dialog.nlp import parse

    timed = [v for v in views if v.slot in ("plan", "event")]
    ent = next((e for e in parse(question).ents if e.label_ in ("DATE", "TIME")), None)
    if ent is not None and timed:  # "what's happening next Saturday?"
        iso = resolve(ent.text, now, past=bool(re.search(r"\b(?:did|was|were|happened)\b", question, re.I)))
        lo, hi = week_window(iso, ent.text) if iso else ("", "")
        hit = [v for v in timed if iso and v.date and lo[:len(v.date)] <= v.date <= hi]
        return _answer(hit[-3:], now) if hit else None
    words = frozenset(norm(w) for w in re.findall(r"[a-z]+", question.lower()) if len(w) > 3) - {
        "when", "what", "where", "happening", "there", "that", "this", "time", "going"}
    hit = [v for v in timed if _overlap(v, words)]
    return _answer(hit[-2:], now) if hit else None


def _named(question: str, views: list[View], now: datetime) -> RecallAnswer | None:
    """"Who is Mia?", "What's Biscuit?": a question naming someone from the user's life."""
    if not question.strip().endswith("?") and not _QSTART.match(question.strip()):
        return None
    names = {w for w in re.findall(r"\b[A-Z][\w'-]+", question)} - {"What", "Who", "Where", "When", "How", "Is",
                                                                     "Do", "Does", "Tell", "Remind", "Which", "I"}
    hit = [v for v in views if v.slot in ("name", "pet") and v.mem.value in names]
    lows = {n.lower() for n in names}
    own = [v for v in views if v.mem.key.startswith("person:") and v.owner in lows]  # "Femi is 8", "Ollie is a chef"
    if own:
        low = question.lower()
        slot = next((s for rx, s in _SLOT_WORDS if rx.search(low)), "any")
        said = [v for v in own if v.slot == slot or slot == "job" and v.slot == "works_at"]
        if said:
            return _answer(said[-2:], now)
    if not hit and not own:
        return None
    hit = hit or own
    unknown = None  # "where does Sam work?" told only Sam's name: say that, not the name again
    if hit[-1].owner and hit[-1].owner in RELATIONS:  # "what does Sam do?" = "what does my partner do?"
        name = hit[-1].mem.value
        again = _parse(re.sub(rf"\b{re.escape(name)}\b", f"my {hit[-1].owner}", question), now)
        if again is not None and again.slot not in ("any", "name"):
            from .recall_slots import answer_slot

            got = answer_slot(again, views, now, ())
            if got.status == "answered":
                return got
            unknown = got
    words = frozenset(norm(w) for w in re.findall(r"[a-z]+", question.lower()) if len(w) > 3) - {
        "what", "when", "where", "tell", "about", "does", "that", "there"} - {n.lower() for n in names}
    owners = {v.owner for v in hit if v.owner}  # "where does Jake live?": Jake is the friend
    told = [(_overlap(v, words), v.mem.id, v) for v in views if any(n in v.mem.text for n in names) or
            v.owner in owners and len(owners) == 1]
    best = max(told, key=lambda x: (x[0], x[1]))
    if best[0] == 0 and unknown is not None:
        return unknown
    return _answer([best[2]] if best[0] > 0 else hit[-2:], now)  # "when did Minho propose?" -> the event


_KEYS = {"name": ("name", "family:", "pet:"), "lives_in": ("lives_in", "from"), "from": ("from", "lives_in"),
         "job": ("job", "works_at"), "works_at": ("works_at", "job"), "allergy": ("allergy:",),
         "diet": ("diet", "allergy:", "avoids:", "health:"), "food": ("diet", "allergy:", "avoids:", "dislikes:", "health:"),
         "count": ("pet:", "family:"), "pet": ("pet:",), "likes": ("likes:", "dislikes:", "favorite:", "hobby:"),
         "dislikes": ("dislikes:", "likes:"), "favorite": ("favorite:", "likes:", "hobby:"), "hobby": ("hobby:", "habit:", "likes:"),
         "learning": ("learning:",), "speaks": ("speaks:",), "when": ("plan:", "event:", "birthday"),
         "plan": ("plan:",), "event": ("event:", "plan:"), "avoids": ("avoids:", "diet", "allergy:", "health:", "likes:"), "birthday": ("birthday", "plan:", "event:"),
         "age": ("age",), "studies": ("studies",), "marital": ("marital", "family:")}


def question_keys(question: str, *, lang: str = "en", now: datetime | None = None) -> tuple[str, ...]:
    """Memory key prefixes a question about the user needs ("how many cats do I have?" -> ("pet:", "family:")),
    so the caller can fetch them from all of a user's memories by key before calling
    :func:`answer_about_user`; () when it is not such a question (or any memory may answer it)."""
    if lang == "ko" or not isinstance(question, str):
        return ("name", "pet:", "family:", "likes:", "dislikes:", "allergy:", "plan:", "event:", "lives_in", "job",
                "works_at", "diet") if lang == "ko" else ()
    ask = _parse(question[:500], now or datetime.now())
    if ask is None:
        return ()
    keys = _KEYS.get(ask.slot, ())
    if re.match(r"^\s*why\b", question, re.I):  # the reason is often a health note or something said
        keys += ("health:", "said:")
    if ask.owner:
        keys += ("family:", "pet:", "plan:", "event:")
    return tuple(dict.fromkeys(keys))


def week_window(iso: str, phrase: str) -> tuple[str, str]:
    """Dates a question's time phrase covers: a weekend is Sat-Sun, a week Mon-Sun, else the day."""
    if len(iso) == 7:
        return iso + "-01", iso + "-31"
    d = date.fromisoformat(iso)
    if "weekend" in phrase.lower():
        return d.isoformat(), (d + timedelta(days=1)).isoformat()
    if "week" in phrase.lower():
        mon = d - timedelta(days=d.weekday())
        return mon.isoformat(), (mon + timedelta(days=6)).isoformat()
    return d.isoformat(), d.isoformat()
