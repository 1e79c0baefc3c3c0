"""English fact extraction from a spaCy dependency parse (BlenderBot-style "memory write").

Every sentence of a message is parsed; each predicate (the root and conjoined verbs) is read with
its subject: "I"/"we" (the speaker), "my wife" (a person in their life), "my dog" (a pet),
"my sister's wedding" (a thing), or he/she/it (the last of these in the message). The predicate's
lemma picks the slot (like/love/hate, live/move, work/start, have, be + allergic/vegetarian/a
nurse...), objects come from the parse and time expressions become absolute dates.

Conservative on purpose: questions, hypotheticals (if/would/'d/maybe/wish/used to) and reported
speech ("my friend says I like cats") write nothing. A missed fact costs little; a wrong memory is
repeated back to the user forever.
"""

from __future__ import annotations

import re
from datetime import datetime

from . import clause as C
from .facts import DIETS, RELATIONS, UNIQUE_REL, Fact, a_an, norm, species

_LIKE = {"love": "love", "adore": "love", "like": "like", "enjoy": "like", "prefer": "like", "fancy": "like",
         "hate": "hate", "detest": "hate", "loathe": "hate", "dislike": "dislike"}
_LIKE_TEXT = {"love": "loves", "like": "likes", "don't mind": "doesn't mind", "dislike": "doesn't like",
              "hate": "hates"}
_FAN = re.compile(r"\b(?:a )?(?:big |huge |great |massive )?(?:fan of|into|obsessed with|passionate about|"
                  r"crazy about|keen on|mad about)\s+", re.I)
_HYPO = frozenset("if unless wish imagine suppose supposing maybe perhaps might whether pretend hypothetically "
                  "would 'd could should may".split())
_MODALS = frozenset("would 'd could should may might".split())  # only as modal verbs ("in May" is a month)
_REPORT = frozenset("say tell claim hear reckon guess suppose doubt wonder think believe".split())
_QSTART = re.compile(r"^(?:do|does|did|are|is|was|were|can|could|will|have|has|what|where|when|who|whom|why|how|"
                     r"which|should|shall|may|am|isn't|aren't|don't|didn't)\b", re.I)
_FILLER = re.compile(r"^(?:(?:well|oh|ah|so|also|and|but|yeah|yes|yep|ok|okay|hmm+|um+|uh+|hi|hello|hey|by the way|"
                     r"btw|anyway|honestly|to be honest|you know|actually|no|nope|sorry|wait|oh and|lol|haha|guess what)"
                     r"\b[,!.:]?\s*)+", re.I)
_CORR = re.compile(r"\b(actually|anymore|any more|no longer|instead|correction|i meant|moved|now)\b|^(no|nope|sorry|wait)\b",
                   re.I)
_NAME = re.compile(r"\b(?:my name is|my name's|call me|i go by|i'm called|i am called|name's)\s+(.+)", re.I)
_IM_NAME = re.compile(r"^[Ii](?:'m| am)\s+([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2})\s*[.!]*(?:$|,|\s+(?:and|from|by|here)\b)")
_SAID = re.compile(r"^(?:no|nope|sorry|wait|actually)?[,. ]*i (?:said|meant)\s+([A-Z][\w'-]*(?: [A-Z][\w'-]*)?)\W*$",
                   re.I)
_NOT = re.compile(r",?\s+not\s+(?:in |at |a |an |the |to )?([\w'-]+(?: [A-Z][\w'-]*)?)\s*[.!]*$")
_FAV = re.compile(r"^my (?:absolute |all[- ]time |current )?favou?rite(?: (.+?))?(?:\s+is|\s+are|'s)\s+(.+)$"
                  r"|^(.+?) (?:is|are) my (?:absolute |all[- ]time |current )?favou?rite(?: (.+))?$", re.I)
_NOT_NAMES = frozenset("ok okay fine good sorry here back home done ready not so very also still just really happy glad "
                       "sure going tired busy new single married vegetarian vegan from in at an a the".split())
_JOB_SUFFIX = re.compile(r"(er|or|ist|ian|ant|ent|eer|man|woman|ess|ic|ger)$")
_NOT_JOBS = frozenset("mother father brother sister other lover fan winner loser number user beginner person member "
                      "customer foreigner believer listener reader bit little lot fast slow bad good big huge night "
                      "morning student-athlete owner".split())
_JOBS = frozenset("nurse student teacher chef doctor lawyer pilot cook barista clerk scientist dentist artist architect "
                  "accountant cashier firefighter soldier waiter waitress journalist professor tutor mechanic plumber "
                  "farmer secretary consultant analyst assistant librarian pharmacist surgeon therapist musician actor "
                  "actress model freelancer intern ceo cto founder vet translator youtuber streamer coach photographer "
                  "retiree housewife homemaker engineer developer designer programmer manager".split())
_HEALTH = frozenset("flu cold covid diabetes asthma migraine migraines cancer arthritis depression anxiety insomnia "
                    "eczema fever cough infection injury pneumonia adhd autism celiac hypertension".split())
_EVENTY = frozenset("wedding birthday party exam interview appointment flight trip surgery graduation concert "
                    "meeting date funeral holiday vacation match game test recital operation anniversary".split())
_STATIVE = frozenset("be feel seem look sound become get stay remain keep".split())
_SIGNIFICANT = frozenset("graduate marry adopt move start quit retire buy lose break win pass fail join finish "
                         "divorce visit travel go meet".split())


class _State:
    def __init__(self, about: str, now: datetime) -> None:
        self.about, self.now = about, now
        self.me = f"({about})"
        self.last: C.Owner | None = None  # he/she/it refers to the last person or pet mentioned
        self.last_noun = ""  # "I love all of his albums. My favorite is X" -> category "album"
        self.facts: list[Fact] = []
        self.corr = False
        self.replaces = ""

    def add(self, key: str, value: str, text: str, *, neg: bool = False, corr: bool = False, when: str = "",
            degree: str = "") -> None:
        if key and value and text:
            self.facts.append(Fact(key, value, text, self.about, corr or self.corr, neg, when, degree, self.replaces))


def name_of(s: str) -> str:
    """The name at the start of ``s``, capitalised ("kim minsu and ..." -> "Kim Minsu")."""
    out = []
    for w in re.split(r"\s+", s.strip())[:3]:
        w = w.strip(" .!?,;:\"'()")
        if not w or w.lower() in ("and", "but", "from", "i", "im", "i'm", "nice", "by", "here", "please", "not",
                                  "btw", "so", "though", "actually", "now", "lol"):
            break
        out.append(w[0].upper() + w[1:])
    return " ".join(out)


def jobish(v: str) -> bool:
    words = v.lower().split()
    if not words or words[-1] in _NOT_JOBS or words[0] in _NOT_JOBS:
        return False
    return words[-1] in _JOBS or (len(words[-1]) >= 5 and bool(_JOB_SUFFIX.search(words[-1])))


def extract_en(text: str, about: str, now: datetime) -> list[Fact]:
    """Facts stated in English ``text``, in message order (see the module docstring)."""
    from ..dialog.nlp import english

    st = _State(about, now)
    doc = english()(text)
    for sent in doc.sents:
        raw = sent.text.strip()
        body = _FILLER.sub("", raw).strip()
        if not body or raw.endswith("?") or _QSTART.match(body) or len(body) > 600:
            continue
        st.corr, st.replaces = bool(_CORR.search(raw)), ""
        if (m := _SAID.match(raw)) and about == "partner":  # "no, I said Busan": fix the last value heard
            st.add("correction", m.group(1), f"{st.me} said {m.group(1)}", corr=True)
            continue
        if any(t.lower_ in _HYPO and t.lower_ not in _MODALS for t in sent) or re.search(r"\bused to\b", body, re.I):
            continue
        if (m := _NOT.search(body)) and m.group(1).lower() not in ("sure", "really", "much", "anymore", "yet"):
            st.replaces, st.corr = m.group(1), True
        n0 = len(st.facts)
        _sentence(st, sent, body)
        if st.replaces and len(st.facts) == n0:  # "actually, she's called Mia, not Nia" with nobody named
            m = re.search(r"([\w'-]+),?\s+not\s+(?:in |at |a |an |the |to )?" + re.escape(st.replaces), body)
            if m and m.group(1).lower() not in C.PRONOUN_OBJ | {"is", "am", "are", "'s", "me", "i"}:
                st.add("correction", m.group(1), f"{st.me} corrected {st.replaces} to {m.group(1)}", corr=True)
    return st.facts


def _sentence(st: _State, sent, body: str) -> None:
    if (m := _NAME.search(body)) and (v := name_of(m.group(1))):
        st.add("name", v, f"{st.me}'s name is {v}")
        return
    if (m := _IM_NAME.match(body)) and m.group(1).split()[0].lower() not in _NOT_NAMES and not any(
            e.label_ in ("NORP", "GPE", "DATE") for e in sent.ents if e.text == m.group(1)):
        st.add("name", name_of(m.group(1)), f"{st.me}'s name is {name_of(m.group(1))}")
        return
    if m := _FAV.match(body.rstrip(".!")):
        _favorite(st, m)
        return
    if m := re.match(r"^(not |never )?(?:(?:really|much) )?(?:a |an )?(?:big |huge )?(?:fan of|into|keen on)\s+(.+?)(?:[,.!]|$)",
                     body, re.I):  # chat without a subject: "Not a fan of spicy food, never have been."
        it = m.group(2).strip()
        if it and it.split()[0].lower() not in C.PRONOUN_OBJ and len(it.split()) <= 6:
            neg = bool(m.group(1))
            st.add(f"{'dislikes' if neg else 'likes'}:{norm(it)}", it,
                   f"{st.me} {'doesn' + chr(39) + 't like' if neg else 'likes'} {it}", neg=neg,
                   degree="dislike" if neg else "like")
        return
    for p in sent:
        s = C.subject(p)
        if s is not None and s.lower_ in ("he", "she", "they") and p.lemma_ in _REPORT:
            return  # reported speech
        if s is not None and p.lemma_ in _REPORT and s.lower_ not in C.FIRST:
            return
    past = any(t.tag_ == "VBD" for t in sent) and not any(t.lower_ in ("will", "'ll", "tomorrow") for t in sent)
    skip, when = C.dates_of(sent, st.now, past)
    _appositions(st, sent)
    preds = [t for t in sent if t.dep_ == "ROOT" or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and
                                                     t.head.dep_ in ("ROOT", "conj")) or (
        t.dep_ in ("ccomp", "parataxis", "advcl") and C.own_subject(t) and t.head.lemma_ not in _REPORT and
        not any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether", "when", "before", "until", "as")
                for c in t.children))]
    # "should've mentioned it", "I'd love to": a modal makes that clause hypothetical, not the sentence
    preds = [t for t in preds if not any(c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ in _MODALS
                                         for c in t.children)]
    preds.sort(key=lambda t: t.i)  # "we got a kitten, her name is Luna": the kitten first
    for p in preds:
        subj = C.subject(p)
        if subj is None:
            continue
        owner = C.owner_of(subj, st.about, st.last)
        if owner is None:
            continue
        iso = next((when[t.i] for t in C.region(p, set()) if t.i in when), "")
        if not iso and len(preds) == 1:  # the date hangs elsewhere in a one-clause sentence
            iso = next((when[t.i] for t in sent if t.i in when), "")
        _predicate(st, sent, p, subj, owner, skip, iso)
        if owner.kind in ("rel", "pet"):
            st.last = owner


def _favorite(st: _State, m: re.Match) -> None:
    if m.group(2) is not None:
        cat, val = m.group(1) or "", m.group(2)
    else:
        cat, val = m.group(4) or "", m.group(3)
    cat = norm(cat)
    if cat in ("", "one", "thing"):
        cat = st.last_noun or "thing"
    val = re.split(r"\s*(?:,|\bbecause\b|\bbut\b|\bthough\b|\banymore\b|\bnow\b)", val.strip(" .!"))[0].strip()
    if val and val.lower().split()[0] not in C.PRONOUN_OBJ and len(val.split()) <= 8:
        st.add(f"favorite:{cat}", val, f"{st.me}'s favorite {cat} is {val}")


def _appositions(st: _State, sent) -> None:
    """"my daughter Mia", "my dog, Toto," -> named people and pets, wherever they appear in the clause;
    "(with) our two cats" -> a count of pets."""
    for t in sent:
        num = next((c for c in t.children if c.dep_ == "nummod" and c.like_num), None)
        if num is not None and species(t.lemma_.lower()) and any(
                c.dep_ == "poss" and c.lower_ in ("my", "our") for c in t.children):
            st.add(f"pet:{species(t.lemma_.lower())}", f"{num.text} {t.text}", f"{st.me} has {num.text} {t.text}")
    for t in sent:
        if t.pos_ != "PROPN" or t.dep_ not in ("appos", "compound", "npadvmod") or t.head is t:
            continue
        head = t.head if t.dep_ != "compound" else t.head
        noun = head.lower_
        if not any(c.dep_ == "poss" and c.lower_ in ("my", "our") for c in head.children):
            continue
        name = " ".join(x.text for x in t.subtree if x.pos_ == "PROPN") if t.dep_ == "appos" else t.text
        _named(st, noun, name)


def _named(st: _State, noun: str, name: str, *, count: str = "a") -> None:
    sp = species(noun)
    if sp:  # "we got a kitten ... her name is Luna": the named pet replaces the unnamed one
        st.facts = [f for f in st.facts if not (f.key == f"pet:{sp}" and f.value.startswith(("a ", "an ")))]
        st.add(f"pet:{sp}:{name.lower()}", name, f"{st.me} has {a_an(noun) if count in ('a', 'an') else noun} called {name}")
        st.last = C.Owner("pet", sp, f"{st.me}'s {noun}")
    elif noun in RELATIONS:
        key = f"family:{noun}:name" if noun in UNIQUE_REL else f"family:{noun}:{name.lower()}"
        st.add(key, name, f"{st.me}'s {noun} is called {name}")
        st.last = C.Owner("rel", noun, f"{st.me}'s {noun}")


def _obj_start(p):
    """First token of ``p``'s object: dobj, attr/acomp, a gerund or to-infinitive, or a prepositional object."""
    for dep in ("dobj", "attr", "oprd", "xcomp", "acomp", "ccomp"):
        c = next((c for c in p.children if c.dep_ == dep), None)
        if c is not None:
            return min(c.subtree, key=lambda t: t.i)
    # a misparsed object ("can't stand cilantro" tags it an adverb): the first content word after the verb
    return next((t for t in p.subtree if t.i > p.i and t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and
                 t.dep_ not in ("prep", "punct")), None)


def _predicate(st: _State, sent, p, subj, owner: C.Owner, skip: set[int], iso: str) -> None:
    lem, neg, tn = p.lemma_.lower(), C.negated(p), C.tense(p)
    if lem == "get" and any(c.lower_ in ("married", "engaged", "divorced") for c in p.children):
        lem = "marry"  # "getting married next month"
    # "I'm going to visit X" / "I'm planning to fly": the plan is the inner verb
    inner = next((c for c in p.children if c.dep_ == "xcomp" and c.pos_ == "VERB" and
                  any(a.lower_ == "to" for a in c.children)), None)
    if lem in ("go", "plan", "intend") and inner is not None and inner.i <= p.i + 3:
        p, lem, tn = inner, inner.lemma_.lower(), "future"
    toks = C.region(p, skip)
    if tn == "present" and iso and iso > st.now.date().isoformat():
        tn = "future"
    if owner.kind == "thing":
        _thing(st, p, subj, owner, toks, iso, tn)
        return
    key = "" if owner.kind == "speaker" else (f"family:{owner.noun}:" if owner.kind == "rel" else f"pet:{owner.noun}:")
    if lem in ("live", "reside", "stay") and not neg and tn != "future":
        if v := _prep_obj(p, toks, ("in", "at")):
            st.add(key + "lives_in", v, f"{owner.phrase} lives in {v}")
            return
    if lem in ("move", "relocate") and tn == "past" and (v := _prep_obj(p, toks, ("to", "into"))):
        st.add(key + "lives_in", v, f"{owner.phrase} lives in {v}", corr=True)
        return
    if lem == "work" and tn != "future":
        if v := _prep_obj(p, toks, ("as",)):
            v, _, at = re.sub(r"^(?:a|an)\s+", "", v).partition(" at ")
            if not at and " in " in v and v.split(" in ", 1)[1][:1].isupper():
                v, _, at = v.partition(" in ")  # "a paramedic in Manchester"
            st.add(key + "job", v, f"{owner.phrase} works as {a_an(v)}", neg=neg)
            if at and not neg:
                st.add(key + "works_at", at, f"{owner.phrase} works at {at}")
            return
        if v := _prep_obj(p, toks, ("at", "for", "in")):
            st.add(key + "works_at", v, f"{owner.phrase} {'no longer works' if neg else 'works'} at {v}",
                   neg=neg, corr=neg)
            return
    if lem in ("start", "join") and tn == "past" and owner.kind != "pet":
        org = next((e for e in sent.ents if e.label_ in ("ORG", "GPE", "PERSON", "FAC") and e.root.head.i in (
            p.i, *(c.i for c in p.children))), None)
        at = _prep_obj(p, toks, ("at", "with")) if org is None else org.text
        if at and at[:1].isupper():
            st.add(key + "works_at", at, f"{owner.phrase} works at {at}", corr=True)
            return
    if lem in ("study", "major") and tn != "past" and (v := _prep_obj(p, toks, ("in",)) or _dobj(p, toks)):
        v = re.split(r"\s+(?:at|in)\s+", v)[0]
        st.add(key + "studies", v, f"{owner.phrase} studies {v}")
        return
    if lem in ("come", "grow") and (v := _prep_obj(p, toks, ("from", "in"))):
        st.add(key + "from", v, f"{owner.phrase} is from {v}")
        return
    if lem == "speak" and (start := _obj_start(p)) is not None:
        for it in C.items_after(toks, start):
            st.add(f"{key}speaks:{norm(it)}", it, f"{owner.phrase} speaks {it}")
        return
    if lem == "eat" and neg and (start := _obj_start(p)) is not None:
        for it in C.items_after(toks, start):
            st.add(f"{key}avoids:{norm(it)}", it, f"{owner.phrase} doesn't eat {it}", neg=True)
        return
    if lem in ("think", "believe", "feel") and owner.kind == "speaker":
        _opinion(st, p)
        return
    if lem in _LIKE or lem in ("mind", "stand"):
        _like(st, p, lem, neg, owner, key, toks)
        return
    if lem in ("call", "name") and owner.kind in ("rel", "pet") and (oprd := next(
            (t for t in p.children if t.dep_ in ("oprd", "attr", "dobj", "xcomp") and t.pos_ == "PROPN"), None)):
        _named(st, owner.noun, " ".join(x.text for x in oprd.subtree if x.pos_ == "PROPN"))
        return
    if lem in ("have", "get", "adopt", "own", "buy", "rescue") and tn != "future" and (lem != "have" or not iso):
        if _have(st, p, lem, neg, owner, key, toks):
            return
    if lem in ("play", "do", "practice", "practise") and tn == "present" and not neg and not iso and (
            d := _dobj(p, toks)) and d.split()[0].lower() not in C.PRONOUN_OBJ:
        st.add(f"{key}hobby:{norm(d)}", d, f"{owner.phrase} {C.third_person(lem)} {d}")
        return
    if lem == "go" and tn == "present" and not iso and (g := next((c for c in p.children if c.dep_ == "xcomp"
                                                                   and c.tag_ == "VBG"), None)) is not None:
        st.add(f"{key}hobby:{g.lower_}", g.lower_, f"{owner.phrase} goes {g.lower_}")
        return
    if lem == "be" and p.pos_ == "AUX" or lem == "be":
        if _be(st, sent, p, owner, key, toks, neg, iso, tn):
            return
    if (m := re.search(r"\bdiagnosed with (?:an? )?([\w' -]+)", sent.text, re.I)) and owner.kind != "pet":
        st.add(f"{key}health:{norm(m.group(1))}", m.group(1), f"{owner.phrase} has {m.group(1)}")
        return
    _event(st, p, lem, neg, owner, toks, iso, tn)


def _opinion(st, p) -> None:
    """"I think Python is great" -> opinion:python; "I think I'm sick" is not an opinion about a thing."""
    c = next((c for c in p.children if c.dep_ == "ccomp" and c.lemma_ == "be"), None)
    s = C.subject(c) if c is not None else None
    if s is None or s.lower_ in C.FIRST | C.THIRD_PRON | C.PRONOUN_OBJ or s.pos_ == "PRON":
        return
    subj = " ".join(t.text for t in s.subtree)
    rest = " ".join(t.text for t in c.subtree if t.i > c.i and not t.is_punct)
    if rest and len(rest.split()) <= 8:
        v = f"{subj} {c.text} {rest}"
        st.add(f"opinion:{norm(subj)}", v, f"{st.me} thinks {v}")


def _prep_obj(p, toks, preps: tuple[str, ...]) -> str:
    prep = next((c for c in p.children if c.dep_ == "prep" and c.lower_ in preps), None)
    if prep is None:
        return ""
    its = C.items_after(toks, prep)
    v = its[0] if its else ""
    v = re.sub(rf"^(?:{'|'.join(preps)})\s+", "", v, flags=re.I)
    return re.sub(r"^(?:the|a|an)\s+(?=[A-Z])", "", v).strip()


def _dobj(p, toks) -> str:
    d = next((c for c in p.children if c.dep_ == "dobj"), None)
    its = C.items_after(toks, min(d.subtree, key=lambda t: t.i)) if d is not None else []
    return its[0] if its else ""


def _like(st, p, lem, neg, owner, key, toks) -> None:
    if lem == "stand" and not neg:
        return
    degree = "hate" if lem == "stand" else "don't mind" if lem == "mind" else _LIKE[lem]
    if neg and lem != "stand":
        if degree in ("hate", "dislike"):
            return  # "I don't hate it": too vague to store
        degree = "dislike" if lem != "mind" else "don't mind"
    if lem == "mind" and not neg:
        return
    start = _obj_start(p)
    if start is None:
        return
    objs = C.items_after(toks, start)
    if not objs:
        ofs = [t for t in toks if t.i >= start.i]
        if any(t.dep_ == "poss" and t.lower_ in ("his", "her", "their") for t in ofs):
            st.last_noun = norm(ofs[-1].text)  # "I love all of his albums": the category of what follows
        return
    positive = degree in ("love", "like", "don't mind")
    for it in objs:
        it = re.sub(r"^to\s+", "", it)
        k = f"{key}{'likes' if positive else 'dislikes'}:{norm(it)}"
        verb = _LIKE_TEXT[degree] if lem not in ("enjoy", "prefer") or not positive else C.third_person(lem)
        st.add(k, it, f"{owner.phrase} {verb} {it}", neg=not positive, degree=degree,
               corr=bool(re.search(r"\b(anymore|any more|no longer)\b", " ".join(t.lower_ for t in toks))))
    st.last_noun = norm(objs[-1].split()[-1])


def _count_noun(d) -> tuple[str, str]:
    """("two", "parrots") from an object token with its number, ("a", "beagle") for a single one."""
    num = next((c for c in d.children if c.dep_ in ("nummod", "det") and (c.like_num or c.lower_ in ("a", "an"))), None)
    n = num.lower_ if num is not None else ""
    return n, " ".join(t.text for t in d.subtree if t.dep_ in ("amod", "compound") and t.head is d and
                       t.i < d.i and not t.like_num) + (" " if any(
        t.dep_ in ("amod", "compound") and t.head is d and t.i < d.i for t in d.subtree) else "") + d.text


def _have(st, p, lem, neg, owner, key, toks) -> bool:
    d = next((c for c in p.children if c.dep_ == "dobj"), None)
    if d is None or neg or owner.kind != "speaker":
        return False
    done = False
    objs = [t for t in d.subtree if t is d or t.dep_ == "conj" and t.pos_ == "NOUN"]
    for obj in objs:  # "a dog named Max and two cats"
        done = _have_one(st, obj, lem) or done
    return done


def _have_one(st, d, lem) -> bool:
    n, noun = _count_noun(d)
    head = d.lemma_.lower()
    named = next((t for t in d.subtree if t.dep_ in ("oprd", "appos") and t.pos_ == "PROPN"), None)
    if species(head) or d.lower_ in RELATIONS or head in RELATIONS:
        if named is not None and (lem != "get" or species(head)):
            name = " ".join(x.text for x in named.subtree if x.pos_ == "PROPN")
            _named(st, d.lower_ if d.lower_ in RELATIONS else noun.lower() if species(head) else head, name)
            return True
        if species(head) and n:
            st.add(f"pet:{species(head)}", f"{n} {noun}", f"{st.me} has {n} {noun}")
            st.last = C.Owner("pet", species(head), f"{st.me}'s {noun}")
            return True
        if (d.lower_ in ("kids", "children", "child", "kid") or head in ("kid", "child")) and n:
            st.add("family:children", f"{n} {d.lower_}", f"{st.me} has {n} {d.lower_}")
            return True
        if head in RELATIONS and n and lem == "have":
            rel = head
            st.add(f"family:{rel}", f"{n} {d.lower_}", f"{st.me} has {n} {d.lower_}")
            st.last = C.Owner("rel", rel, f"{st.me}'s {d.lower_}")
            return True
    if head == "allergy":
        its = [t.text for t in d.children if t.dep_ in ("compound", "amod") and t.lower_ not in ("severe", "mild")]
        if its:
            st.add(f"allergy:{norm(its[0])}", its[0], f"{st.me} is allergic to {its[0]}")
            return True
    if head in _HEALTH and lem in ("have", "get"):
        st.add(f"health:{head}", d.text, f"{st.me} has {d.text if n not in ('a', 'an') else a_an(d.text)}")
        return True
    return False


def _be(st, sent, p, owner, key, toks, neg, iso, tn) -> bool:
    """Copular statements: allergic to, vegetarian, a nurse, married, 34, from X, based in X, a fan of X."""
    subj_ids = {t.i for t in C.subject(p).subtree} if C.subject(p) is not None else set()
    toks = [t for t in toks if t.i not in subj_ids and t.i != p.i and not (t.dep_ == "neg" and t.head is p)]
    if not toks:
        return False
    body = " ".join(t.text for t in toks)
    low = body.lower()
    done = False
    if (m := re.search(r"\b(" + "|".join(DIETS) + r")\b", low.split("allergic")[0])) and owner.kind != "pet":
        diet = m.group(1)  # "I'm vegetarian and allergic to nuts": both
        st.add(key + "diet", diet, f"{owner.phrase} is {'not ' if neg else ''}{diet}", neg=neg, corr=neg)
        done = True
    if re.search(r"\ballergic to\s+(.+)$", body, re.I) and owner.kind != "pet":
        for it in C.items_after(toks, next(t for t in toks if t.lower_ == "to" and t.i > toks[0].i)):
            st.add(f"{key}allergy:{norm(it)}", it, f"{owner.phrase} is {'not ' if neg else ''}allergic to {it}",
                   neg=neg, corr=neg)
        return True
    if done:
        return True
    if m := _FAN.search(body):
        start = _tok_at(toks, m.end())
        for it in (C.items_after(toks, start) if start is not None else []):
            st.add(f"{key}{'dislikes' if neg else 'likes'}:{norm(it)}", it,
                   f"{owner.phrase} {'doesn' + chr(39) + 't like' if neg else 'likes'} {it}", neg=neg)
        return True
    if m := re.search(r"\b(married|single|divorced|engaged|widowed)\b(?: to ([A-Z]\w+))?", body):
        if owner.kind == "speaker" and not neg:
            v = m.group(1) + (f" to {m.group(2)}" if m.group(2) else "")
            st.add("marital", v, f"{owner.phrase} is {v}")
            return True
    if (m := re.search(r"^(?:(?:originally|actually) )?from (.+)$", body)) and owner.kind != "pet":
        v = C.items_after(toks, next(t for t in toks if t.lower_ == "from"))
        v = [re.sub(r"^from\s+", "", x) for x in v]
        if v:
            st.add(key + "from", v[0], f"{owner.phrase} is from {v[0]}")
            return True
    if m := re.search(r"\bbased in\s+(.+)$", body):
        st.add(key + "lives_in", m.group(1), f"{owner.phrase} lives in {m.group(1)}")
        return True
    if (m := re.search(r"^(\d{1,3})(?: years? old| yrs? old| y/?o)?(?: now)?$", body)) and not neg:
        st.add(key + "age", m.group(1), f"{owner.phrase} is {m.group(1)} years old")
        return True
    attr = next((c for c in p.children if c.dep_ in ("attr", "acomp")), None)
    if attr is not None and attr.pos_ in ("NOUN", "PROPN") and not iso:
        its = C.items_after(toks, min(attr.subtree, key=lambda t: t.i))
        v = re.split(r"\s+(?:at|in|for|with|from|and|who)\s+", its[0])[0] if its else ""
        if v and jobish(v):
            if neg:
                st.add(key + "job", v, f"{owner.phrase} is no longer {a_an(v)}", neg=True, corr=True)
            else:
                st.add(key + "job", v, f"{owner.phrase} {'is' if owner.kind != 'speaker' else 'works as'} {a_an(v)}")
            return True
        if attr.ent_type_ == "NORP" and owner.kind == "speaker" and len(its) == 1:
            st.add("nationality", its[0].title(), f"{owner.phrase} is {its[0].title()}")
            return True
    if (attr is not None and attr.lower_ in ("retired", "unemployed", "self-employed")) and owner.kind == "speaker":
        st.add("job", attr.lower_, f"{owner.phrase} is {attr.lower_}")
        return True
    if p.lemma_ == "call" or any(c.lemma_ in ("call", "name") and c.dep_ in ("acomp", "xcomp") for c in p.children):
        oprd = next((t for t in p.subtree if t.dep_ in ("oprd", "attr", "xcomp", "dobj") and t.pos_ == "PROPN"), None)
        if oprd is not None and owner.kind in ("rel", "pet"):
            _named(st, owner.noun if owner.kind == "rel" else owner.noun, " ".join(
                x.text for x in oprd.subtree if x.pos_ == "PROPN"))
            return True
    return False


def _tok_at(toks, pos: int):
    """The token starting at character ``pos`` of " ".join(token texts)."""
    at = 0
    for t in toks:
        if at >= pos:
            return t
        at += len(t.text) + 1
    return None


def _thing(st, p, subj, owner, toks, iso, tn) -> None:
    """"my sister's wedding is next Saturday", "my birthday is March 3rd", "my dog's name is Toto"."""
    noun = owner.noun
    if noun == "name" and owner.rel:
        oprd = next((t for t in p.subtree if t.pos_ == "PROPN"), None)
        if oprd is not None:
            _named(st, owner.rel, oprd.text)
        return
    if noun == "birthday" and not owner.rel and p.lemma_ == "be":
        v = next((e.text for e in p.doc.ents if e.label_ == "DATE" and e.start > p.i), "")
        its = C.items_after(toks, next((t for t in toks if t.i > p.i), p))
        v = v or (re.sub(r"^(?:on|in)\s+", "", its[0]) if its and its[0] != p.text else "")
        if v:
            st.add("birthday", v, f"{st.me}'s birthday is {v}")
        return
    if noun in ("job", "work") and p.lemma_ == "be" and (its := C.items_after(toks, next(
            (t for t in toks if t.i > p.i), p))):
        v = re.sub(r"^(?:a|an)\s+", "", its[0])
        st.add("job", v, f"{st.me} works as {a_an(v)}")
        return
    if noun in _EVENTY and iso:
        what = (owner.rel + " " if owner.rel else "") + noun
        text = C.render(toks, subj, owner, "")
        text = re.sub(r"\s+(?:is|are|was|will be)$", "", text)
        verb = "was" if tn == "past" or iso < st.now.date().isoformat()[:len(iso)] else "is"
        st.add(("event:" + iso + ":" if verb == "was" else "plan:") + what, iso,
               f"{owner.phrase} {verb} {'in' if len(iso) == 7 else 'on'} {iso}", when=iso)


def _event(st, p, lem, neg, owner, toks, iso, tn) -> None:
    """Anything else said with a date (or a life event like graduating): a plan or an event."""
    if neg or owner.kind == "thing" or p.pos_ not in ("VERB", "AUX") or lem in _REPORT or lem in _STATIVE:
        return
    has_obj = any(t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "pobj", "attr") for t in toks)
    if not iso and not (tn == "past" and lem in _SIGNIFICANT and owner.kind != "pet" and has_obj):
        if not (tn == "future" and lem in ("move", "visit", "fly", "travel", "go", "start", "marry") and len(toks) > 3):
            return
    subj = C.subject(p)
    text = C.render(toks, subj, owner, iso, past=tn == "past" or bool(iso) and iso < st.now.date().isoformat())
    if len(text.split()) < 3 or len(text) > 200:
        return
    sub = {t.i for t in subj.subtree} if subj is not None else set()
    objs = [t.lemma_.lower() for t in toks if t.pos_ in ("NOUN", "PROPN") and t.i not in sub][:3]
    what = " ".join([lem, *objs])
    who = "" if owner.kind == "speaker" else owner.noun + " "
    if tn == "future":
        st.add(f"plan:{who}{what}", iso or "sometime", text, when=iso)
    else:
        st.add(f"event:{iso}:{who}{what}", iso or "past", text, when=iso)
