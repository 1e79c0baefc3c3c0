"""Clause tools over a spaCy parse for English fact extraction: who a clause is about, its tense,
its time expression, its object items, and the clause re-said in the third person.

Rendering works on tokens, not strings: "I visited my parents last weekend" becomes
"(partner) visited their parents on 2026-11-28" by mapping the subject, pronouns and verb
agreement token by token and replacing the time expression with its resolved date, so a stored
fact is always a whole clause, never a fragment cut at an arbitrary word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import resolve
from .facts import EVENTY, RELATIONS, species

FIRST = frozenset({"i", "we"})
THIRD_PRON = frozenset({"he", "she", "they", "it", "his", "her", "their", "its"})
PRONOUN_OBJ = frozenset("it that this them those these him her you me us what which everything something anything "
                        "nothing both one so such there here too all lots".split())
# adverbs that add nothing to a stored statement ("I really love jazz" -> "loves jazz")
FILLER_ADV = frozenset("actually really just also still now anymore so too finally basically honestly totally obviously btw "
                       "truly genuinely definitely absolutely even recently currently originally lately nowadays "
                       "already again very much".split())
_POSS = {"my": "their", "our": "their", "mine": "theirs", "ours": "theirs", "me": "them", "us": "them",
         "myself": "themselves", "ourselves": "themselves", "i": "they", "we": "they"}
_BE = {"am": "is", "'m": "is", "are": "is", "'re": "is", "was": "was", "were": "was", "m": "is"}
_HAVE = {"have": "has", "'ve": "has"}
_DO = {"do": "does", "don't": "doesn't"}
# an object ends here: "tea over coffee", "jazz because ...", "sushi rather than pizza"
_STOP_AT = frozenset("over than rather instead because since though although while whenever unless not "
                     "except".split())
# "board games, especially Catan": what follows is one more item, named more precisely
_NAMELY = frozenset("especially particularly mostly mainly notably specifically".split())
_OTHERS = frozenset("his her their your its".split())  # "all of his albums": vague without context
# a recurring time ("on Saturdays", "weekends", "most mornings") and a length of time ("three months")
_HABITUAL = re.compile(r"^(?:on |most |some )?(?:mon|tues|wednes|thurs|fri|satur|sun)days$|^(?:most |some )?"
                       r"(?:days|weekdays|weekends|mornings|afternoons|evenings|nights)$|^(?:daily|weekly|monthly|nightly)$", re.I)
_SPAN = re.compile(r"(?:(?:a|an|the|\d+|[a-z]+)\s+)?(?:few\s+|couple of\s+)?"
                   r"(?:minutes?|hours?|days?|weeks?|months?|years?|ages|decades?)", re.I)
CLAUSE_DEPS = frozenset({"advcl", "ccomp", "parataxis", "discourse", "intj", "mark", "cc", "dep"})


@dataclass(frozen=True)
class Owner:
    """Whose fact a clause states: the speaker, a person in their life, a pet or a thing of theirs."""

    kind: str
    """"speaker", "rel" (my wife), "pet" (my dog), "person" (Priya: someone named, relation unknown),
    "thing" (my birthday, my sister's wedding)."""
    noun: str = ""
    """The relation, species or thing ("wife", "dog", "wedding")."""
    phrase: str = ""
    """How the stored text names it: "(partner)", "(partner)'s wife", "(partner)'s sister's wedding"."""
    rel: str = ""
    """For a thing: the relation that owns it ("sister" in "my sister's wedding")."""


def negated(p) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never", "no") and c.dep_ in ("advmod", "det") for c in p.children)


def subject(p):
    """The subject token of predicate ``p`` (inherited along conj chains), or None."""
    t = p
    for _ in range(4):
        s = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
        if s is None:  # "my brother is getting married": the parser may hang the subject on an auxiliary
            s = next((x for c in t.children if c.dep_ in ("aux", "auxpass") for x in c.children
                      if x.dep_ in ("nsubj", "nsubjpass")), None)
        if s is not None:
            return s
        if (t.dep_ in ("conj", "xcomp") or bare_participle(t)) and t.head.i != t.i:
            t = t.head
        else:
            return None
    return None


def bare_participle(t) -> bool:
    """"We bought a house, moving next month": a clause of a bare -ing verb after a comma, with no
    subject, auxiliary or conjunction of its own, says more about the main clause's subject."""
    return t.tag_ == "VBG" and t.dep_ in ("advcl", "conj", "parataxis") and t.i > 0 and t.doc[
        t.left_edge.i - 1].text in (",", ";", "-", "and") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark") for c in t.children)


def own_subject(p) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") or c.dep_ in ("aux", "auxpass") and any(
        x.dep_ in ("nsubj", "nsubjpass") for x in c.children) for c in p.children)


def owner_of(subj, about: str, last: Owner | None) -> Owner | None:
    """Who the clause is about, from its subject ("my sister's wedding" -> a thing of the sister)."""
    me = f"({about})"
    low = subj.lower_
    if low in FIRST or any(c.dep_ == "conj" and c.lower_ in ("i", "me") for c in subj.children) or (
            low == "me" and any(c.dep_ == "conj" for c in subj.children)):  # "me and my girlfriend live ..."
        return Owner("speaker", "", me)  # "my husband Tom and I are going": the speaker's plan
    if low in THIRD_PRON:
        if low == "it" and last is not None and last.kind in ("rel", "person"):
            return None  # "it rained the whole time" is not about mum
        return last if last is not None and _gender_ok(low, last.noun) else None
    poss = next((c for c in subj.children if c.dep_ == "poss"), None)
    noun = subj.lemma_.lower()
    if poss is None and low in ("mum", "mom", "dad", "grandma", "grandpa", "grandad", "gran", "nan", "granny") and not any(
            c.dep_ == "det" for c in subj.children):  # "mum made her famous stew": the speaker's mum
        return Owner("rel", low, f"{me}'s {low}")
    if poss is None:  # "The funeral is on Friday": an event in the speaker's life, said as such
        det = next((c for c in subj.children if c.dep_ == "det" and c.lower_ in ("the", "this", "that")), None)
        if det is not None and noun in EVENTY:
            return Owner("thing", noun, f"{me} said the {subj.lower_}")
        petlike = subj.text[:1].isupper() and subj.tag_ == "NN" and not list(subj.children) and any(
            c.dep_ == "attr" and species(c.lemma_) for c in subj.head.children)  # "Biscuit is a hamster"
        if (subj.pos_ == "PROPN" and subj.ent_type_ in ("PERSON", "ORG", "") or petlike) and subj.lower_ not in FIRST:
            # "Priya got a promotion", "Mochi isn't a cat": someone named (the small tagger may call a name
            # an ORG); the store resolves the name to the person or pet it belongs to ("(partner)'s wife"),
            # else keeps it as a person fact
            name = " ".join(c.text for c in subj.children if c.dep_ == "compound" and c.pos_ == "PROPN" and
                            c.i < subj.i) + (" " if any(c.dep_ == "compound" and c.i < subj.i and c.pos_ == "PROPN"
                                                        for c in subj.children) else "") + subj.text
            return Owner("person", name.lower(), name)
        return None
    in_law = subj.doc[subj.i + 1:subj.i + 5].text.replace(" ", "").lower() == "-in-law"
    if poss.lower_ in ("my", "our"):
        if in_law:  # "my mother-in-law": not the mother
            return Owner("rel", f"{subj.lower_}-in-law", f"{me}'s {subj.lower_}-in-law")
        if noun in RELATIONS or subj.lower_ in RELATIONS:
            return Owner("rel", subj.lower_ if subj.lower_ in RELATIONS else noun, f"{me}'s {subj.lower_}")
        if species(noun):
            return Owner("pet", species(noun), f"{me}'s {subj.lower_}")
        return Owner("thing", noun, f"{me}'s {subj.lower_}")
    full = " ".join([c.lower_ for c in subj.children if c.dep_ == "compound" and c.i < subj.i] + [subj.lower_])
    inner = next((c for c in poss.children if c.dep_ == "poss" and c.lower_ in ("my", "our")), None)
    if inner is not None and species(poss.lemma_.lower()) and noun == "name":  # "my dog's name"
        return Owner("thing", noun, f"{me}'s {poss.lower_}'s name", rel=poss.lower_)
    if inner is not None and poss.lemma_.lower() in RELATIONS:  # "my sister's wedding"
        return Owner("thing", noun, f"{me}'s {poss.lower_}'s {full}", rel=poss.lemma_.lower())
    if poss.lower_ in THIRD_PRON and last is not None and _gender_ok(poss.lower_, last.noun) and noun in RELATIONS \
            and last.kind == "person":  # "Chloe is getting married. Her boyfriend Tom proposed": Chloe's boyfriend
        name = next((c.text for c in subj.children if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN"), "")
        return Owner("person", (name or f"{last.noun} {noun}").lower(),
                     f"{last.phrase}'s {subj.lower_}" + (f" {name}" if name else ""))
    if poss.lower_ in THIRD_PRON and last is not None and _gender_ok(poss.lower_, last.noun):  # "his name is Toto", "her wedding is in May"
        return Owner("thing", noun, f"{last.phrase}'s {subj.lower_}", rel=last.noun)
    if poss.lower_ in ("his", "her") and noun == "name":  # "I had a date. His name's Ollie": someone new
        return Owner("thing", noun, "", rel="?")
    return None


_MALE = frozenset("husband boyfriend dad father brother son grandpa grandfather uncle nephew fiance stepson grandson grandad "
                    "granddad hubby".split())
_FEMALE = frozenset("wife girlfriend mom mum mother sister daughter grandma grandmother aunt niece fiancee "
                    "stepdaughter granddaughter gran granny nan nana".split())


def _gender_ok(pron: str, noun: str) -> bool:
    """"her name is Luna" cannot be about the husband mentioned before."""
    if pron in ("she", "her"):
        return noun not in _MALE
    if pron in ("he", "his"):
        return noun not in _FEMALE
    return True


def tense(p) -> str:
    """"past", "future" or "present" of predicate ``p`` from its tag and auxiliaries."""
    auxes = [c for c in p.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("will", "'ll", "shall") for a in auxes):
        return "future"
    if p.head.i != p.i and p.dep_ == "xcomp" and p.head.lemma_ in ("go", "plan", "intend") and p.head.tag_ in (
            "VBG", "VBP", "VBZ"):
        return "future"
    if p.tag_ == "VBD" or any(a.lower_ in ("did", "was", "were") for a in auxes) or (
            p.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes)):
        return "past"
    return "present"


def region(p, skip: set[int]) -> list:
    """Tokens of ``p``'s clause in order: its subtree without other clauses (a conj verb with its own
    subject, an adverbial or complement clause), time expressions (``skip``) and punctuation."""
    drop: set[int] = set(skip)
    for c in p.children:
        clause = c.dep_ in CLAUSE_DEPS or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and (
            own_subject(c) or c.tag_ in ("VBD", "VBZ", "VBP") and any(True for _ in c.children)))
        purpose = c.dep_ == "advcl" and not own_subject(c) and c.left_edge.lower_ == "to"  # "to watch the rugby"
        if clause and not purpose:
            drop.update(t.i for t in c.subtree)
        if c.dep_ == "prep" and (all(t.i in skip or t.i == c.i or t.i in drop for t in c.subtree) or any(
                o.dep_ == "pobj" and o.i in skip for o in c.children)):
            drop.add(c.i)  # "for [three years]", "on [the 4th of July] in Tehran": the preposition of a dropped date
    for t in p.subtree:  # ", which is mad because ...": a comment on the clause, not part of it
        if t.dep_ == "relcl" and (t.head.i in skip or t.doc[max(t.left_edge.i - 1, 0)].text == ","):
            drop.update(x.i for x in t.subtree)
    for t in p.subtree:  # "a marathon in [March]": a preposition left without its object
        if t.dep_ == "prep" and t.i not in drop and list(t.children) and all(
                x.i in drop or x.is_punct for c in t.children for x in c.subtree):
            drop.add(t.i)
    # commas stay: they separate list items ("peanuts, eggs and milk"); render() leaves them out
    return [t for t in p.subtree if t.i not in drop and not (t.is_punct and t.text not in "-'&,")]


def items_after(toks: list, start) -> list[str]:
    """Object items from token ``start`` to the end of the clause: "peanuts and shellfish" -> two."""
    out, cur = [], []
    for t in toks:
        if t.i < start.i:
            continue
        if t.lower_ in _STOP_AT and t.i > start.i:
            break
        if t.dep_ == "cc" and t.lower_ in ("and", "or", "&") or t.text == "," or t.lower_ in _NAMELY or (
                t.dep_ == "conj" and t.pos_ == "ADP" and t.i > start.i):
            out.append(cur)
            cur = []
        elif t.lower_ in FILLER_ADV and t.dep_ in ("advmod", "npadvmod") or t.dep_ == "relcl" or (
                t.pos_ == "ADV" and t.dep_ == "advmod" and t.head.pos_ in ("VERB", "AUX", "ADJ")):  # "weirdly"
            continue
        else:
            cur.append(t)
    out.append(cur)
    res = []
    for n, toks_ in enumerate(out):
        if n and toks_ and (all(t.pos_ in ("ADJ", "ADV", "DET", "PUNCT") for t in toks_) or toks_[-1].pos_ == "ADJ"):
            continue
        if n and toks_ and toks_[0].pos_ == "VERB" and toks_[0].tag_ != "VBG" and any(t.pos_ == "PRON" for t in toks_):
            continue  # ", bless him": a clause, not a list item
        words = [t.text for t in toks_]
        while words and words[0] in ("the", "a", "an", "some", "all", "of", "to", "my", "our", "A", "An", "little",
                                     "bit", "lot", "lots", "few"):
            words = words[1:]
        while words and words[-1].lower() in ("a", "lot", "more", "than", "over", "the", "much", "well", "as"):
            words = words[:-1]
        txt = " ".join(words).replace(" - ", "-").replace(" '", "'").strip()
        if txt and txt.lower().split()[0] not in PRONOUN_OBJ | _OTHERS and len(words) <= 8:
            res.append(txt)
    return res


def namely(items: list[str], i: int, toks: list) -> str:
    """Item ``i`` said with the kind it was named as an instance of: "board games, especially Catan"
    for "Catan" in "into board games, especially Catan"; the item alone otherwise."""
    text = " ".join(t.text for t in toks)
    m = re.search(rf"\b({'|'.join(_NAMELY)})\s+{re.escape(items[i])}\b", text, re.I) if i else None
    return f"{items[i - 1]}, {m.group(1).lower()} {items[i]}" if m else items[i]


def name_tokens(tok) -> list:
    """A name's own words: "Mia" in "called Mia, not Nia", "Mr. Park" (compounds), never a conjunct."""
    return [x for x in tok.subtree if x.i == tok.i or x.pos_ == "PROPN" and x.dep_ in ("compound", "flat") and
            x.head.i == tok.i]


def role_phrase(prep) -> str:
    """The job after "as" with everything that qualifies it, up to the place or time it hangs:
    "as a freelance mixing engineer from home" -> "freelance mixing engineer" (the small parser
    may read "mixing engineer" as a verb and its object)."""
    words = []
    for t in prep.subtree:
        if t.i <= prep.i:
            continue
        if t.is_punct and t.text not in "-'&" or t.dep_ in ("prep", "relcl", "cc", "advmod") and t.lower_ != "of" or \
                t.dep_ == "conj":
            break
        words.append(t)
    text = " ".join(t.text for t in words).replace(" - ", "-")
    return re.sub(r"^(?:a|an|the)\s+", "", text, flags=re.I)


def home_place(tok, verb=None) -> str:
    """"a flat in Clifton" -> "Clifton": where a home noun is, when named; "" otherwise. ``verb``: the
    parser may hang the place on the verb instead ("moved to a flat [in Clifton]")."""
    if tok.lemma_.lower() not in ("flat", "house", "apartment", "home", "place", "condo", "studio", "bungalow",
                                  "cottage", "room"):
        return ""
    place = next((o for c in (verb or tok).children if c.dep_ == "prep" and c.lower_ in ("in", "on", "near")
                  for o in c.children if o.dep_ == "pobj" and o.pos_ == "PROPN"), None)
    return phrase(place, ()) if place is not None else ""


def phrase(tok, keep: tuple[str, ...] = ("of",)) -> str:
    """The noun phrase headed by ``tok`` without its trailing attachments: "Manchester with my wife"
    -> "Manchester", "a nurse at the clinic" -> "nurse"; prepositions in ``keep`` stay ("head of
    marketing"), so do possessives and compounds ("St Mary's hospital")."""
    drop: set[int] = set()
    for c in tok.children:
        if c.dep_ in ("relcl", "acl", "conj", "cc", "appos", "punct", "advcl") or (
                c.dep_ == "prep" and c.lower_ not in keep) or c.dep_ in ("advmod", "npadvmod") and c.i > tok.i:
            drop.update(t.i for t in c.subtree)
    comma = next((t.i for t in tok.subtree if t.i > tok.i and t.text in ",;"), None)  # "Busan, not Seoul"
    words = [t for t in tok.subtree if t.i not in drop and not (t.is_punct and t.text not in "-'&") and (
        comma is None or t.i < comma)]
    text = " ".join(t.text for t in words).replace(" 's", "'s").replace(" - ", "-").replace(" '", "'")
    return text.rstrip(".") if text.endswith(".") and not re.search(r"\b\w\.\w\.$", text) else text  # "A&E."


def render(toks: list, subj, owner: Owner, when: str, past: bool = False) -> str:
    """The clause re-said about ``owner`` in the third person, with the date appended ("on 2026-11-28")."""
    out: list[str] = [owner.phrase]
    if subj is not None and owner.kind == "rel":  # "my boyfriend Minho proposed": keep the name
        out += [c.text for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN"][:1]
    verb_done = False
    for t in toks:
        if subj is not None and (t.i <= subj.i or t.i in {x.i for x in subj.subtree}):
            continue  # the subject, and any "so, and, oh" before it
        low = t.lower_
        if low in FILLER_ADV and t.dep_ in ("advmod",) or t.text == ",":
            continue
        w = t.text
        first = not verb_done and t.pos_ in ("AUX", "VERB") and owner.kind == "speaker"
        if first:
            verb_done = True
            if low in _BE:
                w = _BE[low]
            elif low in _HAVE:
                w = "has"
            elif low in ("do", "'d"):
                w = "does"
            elif low in ("'ll", "wo"):
                w = "will" if low == "'ll" else "wo"
            elif t.tag_ == "VBP" and not past:  # "I quit smoking three weeks ago" stays past
                w = third_person(low)
        elif low in _POSS:
            w = _POSS[low]
        elif low in ("'s", "'re") and t.pos_ == "AUX":  # "(partner)'s grandad's in hospital" -> "is in"
            w = "is"
        elif low in ("n't", "not") and t.dep_ == "neg" and len(out) > 1:
            prev = {"ca": "can", "wo": "wo", "do": "does"}.get(out[-1].lower(), out[-1])
            out[-1] = prev + "n't" if low == "n't" else prev + " not"
            continue
        out.append(w)
    text = " ".join(out).replace(" 's", "'s").replace(" - ", "-")
    return f"{text} {'in' if len(when) == 7 else 'on'} {when}" if when else text


def third_person(verb: str) -> str:
    """"love" -> "loves", "study" -> "studies", "watch" -> "watches", "have" -> "has"."""
    if verb in ("have", "'ve"):
        return "has"
    if verb in ("be", "am", "'m", "are"):
        return "is"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def frequency(ent):
    """The tokens of a recurring time ("every Saturday", "on Sundays", "each morning") around date
    entity ``ent``, its preposition or determiner included; [] when it names one time."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    if ent.text.lower().startswith(("every", "each")) or _HABITUAL.search(ent.text):
        return [before, *ent] if before is not None and before.lower_ == "on" else list(ent)
    if before is not None and before.lower_ in ("every", "each"):
        return [before, *ent]
    return []


_TIME_NOUNS = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|weekend|day|night|morning|afternoon|evening|"
                         r"week|month|year|summer|winter|spring|autumn|weekday|holiday", re.I)


def habits(sent) -> list[list]:
    """Recurring times in ``sent``, each as its tokens: date entities ("every Saturday", "on Sundays")
    and those the tagger leaves out ("every weekend", "each morning")."""
    out = [span for e in sent.ents if e.label_ in ("DATE", "TIME") and (span := frequency(e))]
    seen = {t.i for span in out for t in span}
    for t in sent:
        det = next((c for c in t.children if c.dep_ == "det" and c.lower_ in ("every", "each")), None)
        if det is not None and t.i not in seen and _TIME_NOUNS.fullmatch(t.lower_):
            out.append([x for x in sent.doc[det.i:t.i + 1]])
        elif t.i not in seen and t.tag_ in ("NNS", "NNPS") and t.lower_.endswith("s") and _TIME_NOUNS.fullmatch(
                t.lower_[:-1]) and t.head.lower_ in ("on", "at", "in") and t.i == t.head.i + 1 + any(
                c.lower_ == "the" for c in t.children):  # "on weekends", "in the evenings"
            out.append([x for x in sent.doc[t.head.i:t.i + 1]])
    return out


def _past_clause(tok) -> bool:
    """Whether the verb governing ``tok`` is past: "(got a job,) moving in January" is not."""
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") and not (t.tag_ == "VBG" and t.dep_ in ("xcomp", "ccomp") and t.head.i != t.i):
            return t.tag_ in ("VBD", "VBN") or any(c.lower_ in ("did", "was", "were", "had") for c in t.children)
        if t.head.i == t.i:
            break
        t = t.head
    return True


def dates_of(sent, now, past_hint: bool, anchor: str = "") -> tuple[set[int], dict[int, str]]:
    """Token ids of time expressions in ``sent`` (dropped from objects) and, per token, the ISO date."""
    skip: set[int] = {t.i for span in habits(sent) for t in span}
    when: dict[int, str] = {}
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if any(t.lower_ in ("old", "years") for t in ent) and any(t.like_num for t in ent) and \
                ent.root.head.lemma_ == "be":
            continue  # "I'm 34 years old": an age, not a time
        if any(t.pos_ in ("PRON", "VERB") for t in ent):
            continue  # "[I teach year 3]": the tagger's DATE over a clause
        if all(t.like_num for t in ent):
            continue  # "I'm 41": a number, not a date
        before = sent.doc[ent.start - 1] if ent.start > 0 else None
        if span := frequency(ent):  # "every Saturday", "on Sundays": a habit, not a date
            skip.update(t.i for t in span)
            continue
        if before is not None and before.lower_ in ("for", "since", "over") and _SPAN.fullmatch(ent.text) or \
                re.match(r"(?:the )?(?:past|last) (?:\w+ )?(?:few )?(?:days|weeks|months|years)\b", ent.text, re.I):
            skip.update(t.i for t in ent)  # "for three months", "the past two years": how long, not when
            skip.add(before.i) if before is not None and before.lower_ in ("for", "since", "over") else None
            continue
        iso = resolve(ent.text, now, past=past_hint and _past_clause(ent.root))
        day = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)", ent.text.strip(), re.I)
        if day and anchor and 1 <= int(day.group(1)) <= 31:  # "..., flying out on the 1st": the month just named
            iso = f"{anchor[:7]}-{int(day.group(1)):02d}"
        elif iso and len(iso) == 10:
            anchor = iso
        if not iso and not re.search(r"\b(?:ago|year|month|week|weekend|day|night|morning|evening|summer|winter|"
                                     r"spring|autumn|fall|season|now|today|tonight|recently)\b", ent.text, re.I):
            continue  # the tagger's "DATE" on a city name ("Manchester"): not a time after all
        for t in ent:
            skip.add(t.i)
            if iso:
                when[t.i] = iso
    return skip, when
