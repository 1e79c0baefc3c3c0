"""Answer selection: the sentence(s) that answer a question, or an honest "not known".

Ranking mixes e5 cosine (meaning), idf-weighted term matches (with synonyms, spelling variants
and typos) and whether the sentence holds the kind of value asked for. Ranking alone cannot
decline, because e5 cosines are compressed (unrelated questions still score ~0.8): the decision
is made on the question's required terms. An answer is given only when a sentence contains all of
them; when the main thing is known but a detail is not, the known part is said and the rest is
declined; when the main thing appears nowhere, the whole question is declined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from .index import Index, Unit
from .question import Question
from .terms import SYNONYMS, match, normalise

COVERED = 0.8  # a term counts as present from a typo match up
MAX_SCORED = 300  # units scored in full per question; beyond this, candidates are pre-selected
RESCUE_COS = 0.9  # e5 alone may vouch for a paraphrase only at this cosine (unrelated ~0.75-0.85)
# A paraphrase ("is there a discount for students?" ~ "students pay £25"): the best sentence names
# half the asked terms and the others appear nowhere in the knowledge (so they are the asker's words
# for what the sentence says, not a different thing the sentence lacks), at a cosine that unrelated
# sentences reached in no dev set (they sat at 0.79-0.82)
PARAPHRASE_COS = 0.825
_SLOT_OK = {"PRICE": {"PRICE"}, "COST": {"PRICE", "FREE"}, "TIME": {"TIME", "DATE"}, "DATE": {"DATE", "TIME"},
            "PLACE": {"PLACE"}, "PERSON": {"PERSON"}, "NUMBER": {"NUMBER"}, "DURATION": {"DURATION", "TIME"}}
_CLOSED = re.compile(r"\b(closed|shut)\b|휴무", re.I)
_CONTRAST = re.compile(r"\b(but|however|except|only|although|unless)\b|;|지만|만\s", re.I)


@dataclass(frozen=True)
class Found:
    """What the knowledge says about one question."""

    status: str
    """"answered", "partial" (the main thing is known, a detail is not) or "unknown"."""
    units: tuple[Unit, ...] = ()
    polarity: str = ""
    """For yes/no questions: "yes", "no" or "" (the fact does not clearly decide)."""
    text: str = ""
    """A computed answer (reasoning over typed values) instead of quoted units, else ""."""


def slot_ok(q: Question, u: Unit) -> bool:
    need = _SLOT_OK.get(q.expects)
    return need is None or bool(need & u.kinds)


def coverage(term: str, u: Unit) -> float:
    return max(match(term, u.terms), match(term, u.heading_terms))


def _covers(q: Question, u: Unit, keys: tuple[str, ...] | None = None) -> bool:
    if q.yesno and q.head and not q.head_mod and u.modifiers and (keys is None or q.head in keys):
        # "do you sell cars?" is not answered by "the car park": there "car" only modifies "park"
        # (but "do you groom cats?" is by "cat grooming": the question names the head too)
        asked = frozenset(q.keys + q.extra + q.actions)
        only_mod = {m for m, h in u.modifiers if match(h, asked) < COVERED}
        if only_mod and max(match(q.head, u.terms - only_mod), match(q.head, u.heading_terms)) < COVERED:
            return False
    return all(coverage(k, u) >= COVERED for k in (q.keys if keys is None else keys))


def rank(q: Question, index: Index, qvec: np.ndarray) -> list[tuple[float, float, Unit]]:
    """(score, cosine, unit) for every unit, best first."""
    if not index.units:
        return []
    cos = index.matrix @ qvec
    candidates = range(len(index.units))
    if len(index.units) > MAX_SCORED:
        # a large knowledge base: score the units nearest in meaning and those sharing a term (or synonym)
        near = set(np.argsort(-cos)[:MAX_SCORED // 2].tolist())
        for t in q.keys + q.extra:
            for v in {t} | SYNONYMS.get(t, frozenset()):
                near.update(index.postings.get(v, ()))
        candidates = sorted(near)
    top_idf = max(index.idf.values(), default=1.0)
    weights = [(t, index.idf.get(t, top_idf)) for t in q.keys] + [(t, 0.4 * index.idf.get(t, top_idf))
                                                                  for t in q.extra]
    total = sum(w for _, w in weights) or 1.0
    asked = frozenset(q.keys + q.extra)
    out = []
    for i in candidates:
        u, c = index.units[i], cos[i]
        lex = sum(w * max(match(t, u.terms), 0.85 * match(t, u.heading_terms)) for t, w in weights) / total
        # a sentence mostly about what was asked beats one that mentions it among other things
        focus = sum(1 for v in u.terms if match(v, asked) >= COVERED) / max(3, len(u.terms))
        topical = 0.05 if q.head and match(q.head, u.lead) >= COVERED else 0.0
        if q.expects == "NUMBER" and q.head and _counts(q.head, u.text):
            topical += 0.1  # "how many lanes?" is answered by "16 lanes", not by "lane rental: $40"
        out.append((float(c) + 0.35 * lex + 0.1 * focus + topical + 0.05 * slot_ok(q, u), float(c), u))
    out.sort(key=lambda x: -x[0])
    return out


def known(term: str, index: Index) -> bool:
    """The term (or a synonym, spelling variant or typo of it) appears somewhere in the knowledge."""
    return match(term, index.vocab) >= COVERED


_COUNTED = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                      r"fifty|hundred)\s+([a-z]+)", re.I)


def _counts(head: str, text: str) -> bool:
    """The text gives a number of the head thing ("16 lanes", "three floors")."""
    return any(match(normalise(w), {head}) >= COVERED for w in _COUNTED.findall(text))


def own(q: Question, u: Unit) -> int:
    """How many required terms the sentence itself (not its heading) contains."""
    return sum(match(k, u.terms) >= COVERED for k in q.keys)


def _companions(best: Unit, ranked: list[tuple[float, float, Unit]], q: Question, top: float) -> list[Unit]:
    """Other sentences of the same passage that answer just as well ("when are you open?" -> all hours lines).

    Only when the question is about the section as a whole (nothing named beyond its heading)."""
    if best.faq or q.yesno or own(q, best):
        return []
    out = []
    for s, _, u in ranked[1:12]:
        if u.passage.id == best.passage.id and s >= top - 0.06 and slot_ok(q, u) and _covers(q, u) \
                and q.expects not in ("THING", "YESNO"):
            out.append(u)
    return out[:4]


def polarity(q: Question, units: tuple[Unit, ...]) -> str:
    """Yes or no when the fact clearly decides it: it names what was asked and is (not) negated, with no "but"."""
    if not q.yesno or len(units) != 1 or units[0].faq and not re.match(r"^(yes|no)\b", units[0].passage.text, re.I):
        return ""
    u = units[0]
    if any(max(match(a, u.terms), match(a, u.heading_terms)) < COVERED for a in q.actions):
        return ""  # "do you SELL bowling balls?" is not decided by "you can BRING your own ball"
    text = u.passage.text if u.faq else u.text
    if u.faq:
        return "yes" if text.lower().startswith("yes") else "no"
    if _CONTRAST.search(text):
        return ""
    # "open?" answered by "closed on ..." is a no; "closed?" answered by "closed on ..." a yes
    flip = bool(_CLOSED.search(text)) and "open" in q.extra + q.keys or bool(
        re.search(r"\bopen", text, re.I)) and any(t in ("clos", "shut") for t in q.extra + q.keys)
    return "no" if u.negated != flip else "yes"


def _answered(q: Question, ranked: list, fitting: list, decided: bool = True) -> Found:
    """``decided``: the sentence names everything asked, so it may say yes or no."""
    s, _, u = fitting[0]
    if not decided:
        return Found("answered", (u,))
    if q.yesno:
        # two sentences that both fit but disagree ("photos allowed" here, "not allowed" there): quote both
        rival = next((x[2] for x in fitting[1:4] if x[0] >= s - 0.08 and x[2].negated != u.negated), None)
        if rival is not None:
            return Found("answered", (u, rival))
    units = (u, *_companions(u, ranked, q, s))
    return Found("answered", units, polarity(q, units))


def _general(head: str, u: Unit) -> bool:
    """The sentence speaks of the head in general ("YOUR ticket is valid", not "wedding cakes")."""
    words = re.findall(r"[\w']+", u.text)
    for i, w in enumerate(words):
        if match(normalise(w), {head}) >= COVERED:
            return i == 0 or words[i - 1].lower() in ("your", "our", "the", "a", "an", "all", "every", "each", "any")
    return False


def select(q: Question, index: Index, qvec: np.ndarray) -> Found:
    """Pick what answers ``q`` from ``index`` (see the module docstring for the decision)."""
    self_named = [k for k in q.subject if k in q.keys and match(k, index.self_terms) >= COVERED]
    if self_named and (len(self_named) < len(q.keys) or q.expects not in ("THING", "YESNO")):
        # "is the alley open on Thanksgiving?": the alley is the business, Thanksgiving is what is asked
        q = replace(q, keys=tuple(k for k in q.keys if k not in self_named),
                    head="" if q.head in self_named else q.head)
    ranked = rank(q, index, qvec)
    if not ranked:
        return Found("unknown")
    top, top_cos, best = ranked[0]
    if not q.keys:
        # nothing specific named ("when do you open?", "where are you?"): the kind of answer decides
        fitting = [x for x in ranked[:10] if slot_ok(q, x[2]) and q.expects not in ("THING", "YESNO")]
        if fitting and (q.extra or q.expects in ("PLACE", "TIME", "PRICE", "COST")):
            return _answered(q, ranked, fitting)
        return Found("unknown")
    full = [x for x in ranked if _covers(q, x[2])]
    if full:
        fitting = [x for x in full if slot_ok(q, x[2])]
        if fitting:
            return _answered(q, ranked, fitting)
        # the thing is known but not the detail asked ("how much is the rye bread?" with no price listed)
        return Found("partial", (full[0][2],))
    unknown = [k for k in q.keys if not known(k, index)]
    relaxed: tuple[str, ...] = ()
    if q.expects not in ("THING", "YESNO") and q.verbs and set(unknown) <= set(q.verbs):
        relaxed = tuple(k for k in q.keys if k not in q.verbs)  # "who started it?" ~ "founded by": the slot decides
    elif q.compound and not unknown:
        relaxed = tuple(k for k in q.keys if k not in q.compound)  # "is a family ticket valid?" ~ "your ticket is valid"
    if relaxed:
        fitting = [x for x in ranked[:15] if _covers(q, x[2], relaxed) and slot_ok(q, x[2])
                   and not (q.compound and not _general(q.head, x[2]))]
        if fitting and fitting[0][1] >= 0.8:
            return _answered(q, ranked, fitting, decided=False)
    named = [k for k in q.keys if coverage(k, best) >= COVERED]
    if top_cos >= PARAPHRASE_COS and named and len(named) * 2 >= len(q.keys) and slot_ok(q, best) \
            and all(not known(k, index) for k in q.keys if k not in named) \
            and not (q.yesno and q.head and q.head not in named):  # "do you bake bagels?": the thing itself
        return Found("answered", (best,))  # quoted, with no yes/no: the words differ from the question's
    if top_cos >= RESCUE_COS and sum(coverage(k, best) >= COVERED for k in q.keys) * 2 >= len(q.keys):
        return Found("answered", (best,), polarity(q, (best,)))
    if q.head and q.head not in unknown:
        # the main thing is known, something asked about it is not: say what is known, if that is
        # more than the bare subject ("hire the museum for a wedding" knows only "museum": decline)
        about = [x for x in ranked if _covers(q, x[2], (q.head, *q.optional))]  # "rye bread", not any bread
        if about and sum(match(k, about[0][2].terms) >= COVERED for k in q.keys) > len(unknown):
            return Found("partial", (about[0][2],))
    return Found("unknown")
