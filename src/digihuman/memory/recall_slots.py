"""One answer per kind of question about the user (the slot asked), from typed memory views.

Each handler picks the memories that answer the attribute asked and says them; when none does,
it says what the user has not told yet. Combined answers (a meal given the diet and allergies)
are built from the memories' values only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from datetime import datetime

from ..dialog.types import Turn
from .facts import DIETS, join_items, norm, species
from .recall import _UNKNOWN, Ask, RecallAnswer, _answer, _list, _mine, _overlap, _unknown, week_window
from .speech import View, second_person, sentence

_SINGLE = ("name", "lives_in", "from", "job", "works_at", "age", "birthday", "diet", "studies", "marital")
_VERB = {"allergy": "you're allergic to", "speaks": "you speak", "hobby": "your hobbies are", "learning": "you're learning",
         "avoids": "you don't eat"}


def answer_slot(ask: Ask, views: list[View], now: datetime, history: Sequence[Turn]) -> RecallAnswer:
    """The answer to ``ask`` from ``views`` (see :func:`.recall.answer_about_user`)."""
    slot = ask.slot
    if slot == "food":
        return _food(views)
    if slot == "summary":
        order = ("name", "job", "works_at", "lives_in", "pet", "family", "allergy", "diet", "likes", "hobby", "plan")
        picked = [v for v in views if v.slot in _SINGLE + order and (not v.owner or v.slot in ("pet", "name", "family"))
                  and not v.neg]
        picked = sorted(picked, key=lambda v: (order.index(v.slot) if v.slot in order else 99, -v.mem.id))[:6]
        return _answer(picked, now, "Here's what I remember. ") if picked else _unknown(
            "You haven't told me much about yourself yet. I'd love to hear more!")
    if slot in ("when", "plan", "event") or ask.thing and slot in ("any", "birthday"):
        got = _dated(ask, views, now)
        if got is not None:
            return got
    mine = _mine(views, ask)
    if slot == "count":
        return _count(ask, mine, views, now)
    if slot == "name" and ask.owner in ("pet", "animal"):  # "what are my pets called?": every named pet
        mine = [v for v in views if v.slot == "pet"]
    if slot == "name" and ask.owner:
        named = [v for v in mine if v.slot == "name" or v.slot == "pet" and v.item == "name"]
        if len(named) > 1:  # "what are my cats called?" -> one sentence
            word = ask.owner_word if ask.owner_word.endswith("s") else ask.owner_word + "s"
            return RecallAnswer(sentence(f"your {word} are called " + join_items([v.mem.value for v in named])),
                                tuple(v.mem for v in named), "answered")
        if named:
            return _answer(named, now)
        counted = [v for v in mine if v.item == "count"]
        if counted:  # "you have two parrots" but no names
            return RecallAnswer(sentence(second_person(counted[-1].mem, now).rstrip(".")) [:-1] +
                                ", but you haven't told me their names yet.", (counted[-1].mem,), "answered")
        return _unknown(f"You haven't told me {_poss(ask.owner_word or ask.owner)} name yet.")
    if slot == "avoids":
        return _eats(ask, mine, now)
    if slot in _SINGLE:
        hit = [v for v in mine if v.slot == slot]
        if slot == "job":
            hit += [v for v in mine if v.slot == "works_at"]
        if slot == "works_at":  # "where do I work?": the role says it too ("a physio at a clinic in Leeds")
            hit = [v for v in mine if v.slot == "job"][-1:] + hit
        if len(hit) > 1 and any(not v.neg for v in hit):
            hit = [v for v in hit if not v.neg]  # "no longer works at the studio" once a new job is known
        if slot in ("job", "works_at"):  # "you teach maths at a school in Leeds" already says where
            hit = [v for v in hit if not (v.slot == "works_at" and any(
                o is not v and o.slot == "job" and v.mem.value.lower() in o.mem.text.lower() for o in hit))]
        if slot == "lives_in" and not hit:
            hit = [v for v in mine if v.slot == "from"]
        if slot == "diet":  # "lactose intolerant", "coeliac": conditions that shape the diet too
            hit += [v for v in mine if v.slot == "health" and v.mem.value.lower() in DIETS]
        if hit:
            return _yesno(ask, hit, now) if ask.yesno and slot == "diet" else _answer(hit[-2:], now)
        whose = f"your {ask.owner_word}'s" if ask.owner else ""
        what = _UNKNOWN[slot] if not whose else {"job": f"what {whose[:-2]} does", "lives_in": f"where {whose[:-2]} lives",
                                                 "works_at": f"where {whose[:-2]} works"}.get(slot, f"{whose} {slot}")
        return _unknown(sentence(f"You haven't told me {what} yet"))
    if slot in ("hobby", "learning"):
        hit = [v for v in mine if v.slot in ((slot, "learning", "habit") if slot == "hobby" else (slot,))]
        if ask.item and slot == "hobby" and any(v.slot in ("hobby", "habit") for v in hit):
            # "what sport do I play?": hobbies and habits (not what is being learnt), nearest the category first
            hit = [v for v in hit if v.slot in ("hobby", "habit")]
            hit = (_category(norm(ask.item), hit) if len(hit) > 1 else []) or hit
        return _answer(hit[-4:], now) if hit else _unknown(sentence(f"You haven't told me {_UNKNOWN[slot]} yet"))
    if slot in ("allergy", "speaks"):
        hit = [v for v in mine if v.slot == slot and not v.neg]  # "not allergic to gluten any more": left out
        if ask.yesno and ask.item and slot == "allergy":
            return _yesno(ask, hit, now)
        if hit:
            return _list(hit, ("your " + ask.owner_word + " is allergic to") if ask.owner and slot == "allergy"
                         else _VERB[slot], now)
        return _unknown(sentence(f"You haven't told me {_UNKNOWN[slot]}"))
    if slot in ("likes", "dislikes", "favorite"):
        return _likes(ask, mine, now)
    if slot == "pet":
        pets = [v for v in views if v.slot == "pet"]
        return _answer(pets, now) if pets else _unknown("You haven't told me about any pets yet.")
    if ask.owner:  # "tell me about my wife", "where is my sister moving?"
        scored = sorted(((_overlap(v, ask.words - {ask.owner, ask.owner_word}), v.mem.id, v) for v in mine),
                        key=lambda x: (-x[0], -x[1]))
        hit = [v for sc, _, v in scored if sc == scored[0][0]][:3] if scored else []
        return _answer(hit, now) if hit else _unknown(
            f"You haven't told me about your {ask.owner_word or ask.owner} yet.")
    return _any(ask, views, now)


def _eats(ask: Ask, mine: list[View], now: datetime) -> RecallAnswer:
    """"Do I still eat meat?", "Can I have milk?": what the user avoids, their diet, allergies, likes."""
    item = norm(ask.item) if ask.item else ""
    if not item:
        return _food(mine)

    def about(v: View) -> bool:
        val = v.mem.value.lower()
        return bool(item) and (item in val or norm(val) in item or item in DIETS.get(val, ""))
    no = [v for v in mine if v.slot in ("avoids", "allergy") and about(v)] + [
        v for v in mine if v.slot in ("diet", "health") and v.mem.value.lower() in DIETS and about(v) and not v.neg]
    if no:
        return _answer(no[-2:], now, "No. ")
    yes = [v for v in mine if v.slot in ("likes", "favorite", "hobby") and about(v)]
    if yes:
        return _answer(yes[-1:], now, "Yes. ")
    return _unknown(sentence(f"You haven't told me whether you eat {ask.item}"))


def _poss(word: str) -> str:
    """"your dog's", "your parrots'"."""
    return f"your {word}'" if word.endswith("s") else f"your {word}'s"


def _dated(ask: Ask, views: list[View], now: datetime) -> RecallAnswer | None:
    """Plans and events: "when is my sister's wedding?", "where did I go last weekend?"."""
    timed = [v for v in views if v.slot in ("plan", "event")]
    if ask.date:
        lo, hi = week_window(ask.date, ask.date_phrase)
        hit = [v for v in timed if v.date and lo[:len(v.date)] <= v.date <= hi]
        if hit:
            return _answer(hit[-3:], now)
        return _unknown(sentence(f"You haven't told me what you {'did' if ask.slot == 'event' else 'have planned'} "
                                 f"{ask.date_phrase}"))
    words = set(ask.words) | ({ask.thing} if ask.thing else set()) | ({ask.owner_word} if ask.owner_word else set())
    words -= {"go", "do", "be", "plan", "happen", "when", "time", "date", "day"}
    scored = sorted(((_overlap(v, frozenset(words)), v.mem.id, v) for v in timed), key=lambda x: (-x[0], -x[1]))
    need = 2 if ask.thing and ask.owner else 1
    hit = [v for s, _, v in scored if s >= min(need, len(words)) and s > 0] if words else []
    if not hit and ask.slot in ("plan", "event") and not words:
        hit = [v for v in timed if (v.slot == "plan") == (ask.slot == "plan")][-3:]
    if hit:
        best = [v for s, _, v in scored if s == scored[0][0] and v in hit] if words else hit
        return _answer(best[:3], now)
    if ask.thing:
        whose = f"{_poss(ask.owner_word)} {ask.thing}" if ask.owner_word else f"your {ask.thing}"
        return _unknown(sentence(f"You haven't told me when {whose} is"))
    return None


def _count(ask: Ask, mine: list[View], views: list[View], now: datetime) -> RecallAnswer:
    """"How many parrots do I have?": a stated count, or the named ones counted."""
    noun = (ask.item or ask.owner_word).lower()
    sp = species(norm(noun)) if noun else ""
    rel = norm(noun)
    hit = [v for v in views if (sp and v.owner == sp and v.slot == "pet") or
           (not sp and v.slot in ("family", "name") and (v.owner == rel or v.owner in (noun, rel + "s") or
                                                         noun in ("kids", "children") and v.owner == "children"))]
    counts = [v for v in hit if v.item == "count"]
    named = [v for v in hit if v.item != "count"]
    if counts and named and len(named) > _said_count(counts[-1].mem.value):
        counts = []  # "two parrots" ... later "a grey one called Pip": the names count now
    if counts and not named:
        return _answer(counts[-1:], now)
    if named and not counts:
        n = len(named)
        words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))
        return RecallAnswer(sentence(f"you've told me about {words}: " + join_items([v.mem.value for v in named])),
                            tuple(v.mem for v in named), "answered")
    if counts and named:  # "You have 3 cats: Miso, Tofu and Udon."
        said = sentence(second_person(counts[-1].mem, now))[:-1] + ": " + join_items([v.mem.value for v in named])
        return RecallAnswer(said + ".", tuple(v.mem for v in counts[-1:] + named), "answered")
    return _unknown(sentence(f"You haven't told me how many {noun or 'you have'} you have")
                    if noun else "You haven't told me that yet.")


def _said_count(value: str) -> int:
    """3 for "three parrots" / "3 cats", 0 when no number is said."""
    from .facts import NUMBERS

    first = value.split(" ", 1)[0].lower()
    return int(first) if first.isdigit() else NUMBERS.get(first, 0)


def _yesno(ask: Ask, hit: list[View], now: datetime) -> RecallAnswer:
    item = norm(ask.item)
    if ask.slot == "diet":
        match = [v for v in hit if v.mem.value.lower() in ask.words or item and item in v.mem.value.lower()]
        if match:
            return _answer(match, now, "No. " if match[-1].neg else "Yes. ")
        return _answer(hit, now, "Not as far as I know. ")
    match = [v for v in hit if item and (item in v.item or v.item in item)]
    if match:
        return _answer(match, now, "Yes. ")
    if hit:
        return _answer(hit, now, f"Not to {ask.item}, as far as I know. ")
    return _unknown(sentence(f"You haven't told me about any allergies"))


def _likes(ask: Ask, mine: list[View], now: datetime) -> RecallAnswer:
    likes = [v for v in mine if v.slot in ("likes", "dislikes", "favorite", "hobby")]
    item = norm(ask.item or ask.thing)
    if ask.yesno and item:  # "do I like jazz?"
        hit = [v for v in likes if v.item and (item == v.item or item in v.item.split() or v.item in item)]
        if hit:
            yes = hit[-1].slot in ("likes", "favorite", "hobby")
            return _answer(hit[-1:], now, "Yes. " if yes else "No. ")
        return _unknown(f"You haven't told me whether you like {ask.item}.")
    if ask.slot == "favorite":
        fav = [v for v in likes if v.slot == "favorite" and (not item or item == v.item or item in v.mem.text.lower())]
        if fav:
            return _answer(fav[-2:], now)
        near = _category(item, [v for v in likes if v.slot in ("likes", "hobby")]) if item else []
        if near:  # no favourite named, but likes of that kind
            said = join_items([second_person(v.mem, now) for v in near[-3:]])
            return RecallAnswer(f"You haven't named a favourite {ask.item or ask.thing}, but {said}.",
                                tuple(v.mem for v in near[-3:]), "answered")
        return _unknown(sentence(f"You haven't told me your favourite {ask.item or ask.thing or 'things'} yet"))
    want = "dislikes" if ask.slot == "dislikes" else "likes"
    hit = [v for v in likes if v.slot == want or (want == "likes" and v.slot in ("favorite", "hobby"))]
    if item and item not in ("thing", "stuff") and len(hit) > 1:
        hit = _category(item, hit) or hit
    if hit:
        return _answer(_kinds(hit)[-4:], now)
    return _unknown(sentence(f"You haven't told me {_UNKNOWN[want]} yet"))


# Kinds things are asked by: an item's similarity to the asked kind counts above its mean similarity
# to all of them (e5 rates every short word ~0.85 alike; "jazz" stands out only for "music").
_KINDS = "food music film book game sport animal place drink show language hobby instrument art".split()


def _category(item: str, hit: list[View]) -> list[View]:
    """Likes that belong to a category ("music" -> jazz, K-pop) by e5 similarity; [] if unsure."""
    import numpy as np

    kinds = np.stack([_vec(k) for k in dict.fromkeys([*_KINDS, item])])
    q = _vec(item)
    sims = np.array([float(_vec(v.mem.value) @ q - (kinds @ _vec(v.mem.value)).mean()) for v in hit])
    best = sims.max()
    near = [v for v, s in zip(hit, sims) if s >= best - 0.015 and s > 0.005]
    # "board games, especially Catan": an instance said with its kind belongs to the kind
    return _kinds(near + [v for v in hit if v not in near and any(_said_in(n, v) for n in near)])


def _said_in(kind: View, v: View) -> bool:
    return v is not kind and bool(re.search(rf"\b{re.escape(kind.mem.value)}, ", v.mem.text))


def _kinds(vs: list[View]) -> list[View]:
    """Without a kind that an instance's memory already says ("board games, especially Catan")."""
    return [v for v in vs if not any(_said_in(v, o) for o in vs)]


@lru_cache(maxsize=4096)
def _vec(text: str):
    """e5 vector of a short item, cached: the same likes are compared turn after turn (~8 ms each)."""
    from ..dialog.embed import embed_query

    return embed_query(text)


def _food(views: list[View]) -> RecallAnswer:
    """"What could I cook tonight, given my diet?": what to leave out, from diet, allergies, avoids."""
    diet = [v for v in views if v.slot == "diet" and not v.neg][-1:] + [
        v for v in views if v.slot == "health" and v.mem.value.lower() in DIETS and not v.neg]
    allergies = [v for v in views if v.slot == "allergy" and not v.neg]
    avoids = [v for v in views if v.slot in ("avoids",)]
    dislikes = [v for v in views if v.slot == "dislikes" and v.item in {"food"} | set()]
    if not (diet or allergies or avoids):
        return _unknown("You haven't told me about your diet or any allergies yet, so I can't say what would suit you.")
    facts, without = [], []
    if diet:
        facts.append("you're " + join_items([v.mem.value for v in diet]))
        without += [DIETS.get(v.mem.value.lower(), "") for v in diet]
    if allergies:
        facts.append("allergic to " + join_items([v.mem.value for v in allergies]) if diet else
                     "you're allergic to " + join_items([v.mem.value for v in allergies]))
        without += [v.mem.value for v in allergies]
    if avoids:
        facts.append("you don't eat " + join_items([v.mem.value for v in avoids]))
        without += [v.mem.value for v in avoids]
    without = [w for w in dict.fromkeys(without) if w]
    text = sentence(join_items(facts) + (f", so something without {join_items(without, 'or')}" if without else ""))
    used = tuple(v.mem for v in diet + allergies + avoids + dislikes)
    return RecallAnswer(text, used, "answered")


def _any(ask: Ask, views: list[View], now: datetime) -> RecallAnswer:
    """No slot recognised: the memories sharing most words with the question, or an honest "unknown"."""
    words = frozenset(ask.words) - {"do", "be", "have", "go", "thing", "tell", "say"}
    # the user's own memories before those of people in their life ("where did I move?")
    scored = sorted(((_overlap(v, words) + 0.5 * (not v.owner), v.mem.id, v) for v in views),
                    key=lambda x: (-x[0], -x[1]))
    if scored and scored[0][0] >= 1:
        top = scored[0][0]
        return _answer([v for s, _, v in scored if s == top][:2], now)
    return _unknown("I don't think you've told me that yet.")
