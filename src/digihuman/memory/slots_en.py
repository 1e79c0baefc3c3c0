"""English slot readers for :mod:`.extract_en`: what a predicate states, by its lemma and parse
(be + allergic/vegetarian/a nurse/from X; have/get/adopt + pets, children, allergies, illnesses;
like/love/hate with a degree; named people and pets; a thing with a date, "my sister's wedding").

Each reader adds clean third-person facts to the extraction state and says whether it matched.
"""

from __future__ import annotations

import re
from datetime import datetime

from . import clause as C
from .facts import DIETS, EVENTY, MEDICAL_DIETS, RELATIONS, UNIQUE_REL, Fact, a_an, norm, species

_LIKE = {"love": "love", "adore": "love", "like": "like", "enjoy": "like", "prefer": "like", "fancy": "like",
         "hate": "hate", "detest": "hate", "loathe": "hate", "dislike": "dislike"}
_LIKE_TEXT = {"love": "loves", "like": "likes", "don't mind": "doesn't mind", "dislike": "doesn't like",
              "hate": "hates"}
_FAN = re.compile(r"\b(?:a )?(?:big |huge |great |massive )?(?:fan of|into|obsessed with|passionate about|"
                  r"crazy about|keen on|mad about)\s+", re.I)
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
_STATIVE = frozenset("be feel seem look sound become get stay remain keep".split())
# life events worth keeping even without a date ("I graduated from Yonsei"); others need one
_SIGNIFICANT = frozenset("graduate marry adopt move start quit retire buy lose break win pass fail join finish "
                         "divorce".split())


class _State:
    def __init__(self, about: str, now: datetime) -> None:
        self.about, self.now = about, now
        self.me = f"({about})"
        self.last: C.Owner | None = None  # he/she/it refers to the last person or pet mentioned
        self.last_noun = ""  # "I love all of his albums. My favorite is X" -> category "album"
        self.last_thing = ""  # "I've started running. I hate it": what "it" means in a liking
        self.facts: list[Fact] = []
        self.corr = False
        self.replaces = ""
        self.freq = ""  # "every Saturday": the sentence states a habit
        self.added = 0  # facts added so far (a clause that added none may be kept as said)
        self.anchor = ""  # the last full date said: "the 4th of July ..., flying out on the 1st" is July's 1st

    def add(self, key: str, value: str, text: str, *, neg: bool = False, corr: bool = False, when: str = "",
            degree: str = "") -> None:
        if key and value and text:
            self.added += 1
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


_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
    "seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def number(word: str) -> str:
    """"30" -> "30", "six" -> "6", "forty-two" -> "42"; "" when not a whole number up to 999."""
    if re.fullmatch(r"\d{1,3}", word):
        return word
    if word in _UNITS:
        return str(_UNITS.index(word))
    tens, _, unit = word.partition("-")
    if tens in _TENS and (not unit or unit in _UNITS[1:10]):
        return str(20 + 10 * _TENS.index(tens) + (_UNITS.index(unit) if unit else 0))
    return ""


def jobish(v: str) -> bool:
    head, of, _ = v.lower().partition(" of ")
    words = head.split()
    if of and words and words[-1] in ("head", "chief", "director", "president", "vp"):
        return True  # "head of marketing"
    if not words or words[-1] in _NOT_JOBS or words[0] in _NOT_JOBS:
        return False
    return words[-1] in _JOBS or (len(words[-1]) >= 5 and bool(_JOB_SUFFIX.search(words[-1])))


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


def _prep_obj(p, toks, preps: tuple[str, ...], keep: tuple[str, ...] = ("of", "on", "in")) -> str:
    kept = {t.i for t in toks}  # a date ("in March") is not a place
    prep = next((c for c in p.children if c.dep_ == "prep" and c.lower_ in preps and any(
        o.dep_ == "pobj" and o.i in kept for o in c.children)), None)
    if prep is None:
        return ""
    obj = next(c for c in prep.children if c.dep_ == "pobj" and c.i in kept)
    if obj.lower_ in C.PRONOUN_OBJ:
        return ""
    # the object's own phrase: "in Manchester [with my wife]" ends at the next attachment
    v = C.phrase(obj, keep)
    return re.sub(r"^(?:the|a|an)\s+(?=[A-Z])", "", v).strip() if len(v.split()) <= 8 else ""


def workplace(role, toks) -> str:
    """Where a job is done, hung on the job noun: "a nurse at St Mary's", "a paramedic in Manchester"."""
    of = next((o for c in role.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children), None)
    v = next((w for r in (role, of) if r is not None for w in (
        _prep_obj(r, toks, ("at", "for")), _prep_obj(r, toks, ("in",))) if w), "")  # "head of sales at X"
    return v if v[:1].isupper() or v.split(" ")[0] in ("a", "an", "the") else ""


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
    if not objs and start.lower_ in ("it", "that", "this") and st.last_thing and owner.kind == "speaker":
        objs = [st.last_thing]  # "I've started running three times a week. I hate it"
    if not objs:
        ofs = [t for t in toks if t.i >= start.i]
        if any(t.dep_ == "poss" and t.lower_ in ("his", "her", "their") for t in ofs):
            st.last_noun = norm(ofs[-1].text)  # "I love all of his albums": the category of what follows
        return
    positive = degree in ("love", "like", "don't mind")
    for i, it in enumerate(objs):
        it = re.sub(r"^to\s+", "", it)
        k = f"{key}{'likes' if positive else 'dislikes'}:{norm(it)}"
        verb = _LIKE_TEXT[degree] if lem not in ("enjoy", "prefer") or not positive else C.third_person(lem)
        st.add(k, it, f"{owner.phrase} {verb} {C.namely(objs, i, toks)}", neg=not positive, degree=degree,
               corr=bool(re.search(r"\b(anymore|any more|no longer)\b", " ".join(t.lower_ for t in toks))))
    st.last_noun = norm(objs[-1].split()[-1])


def _count_noun(d) -> tuple[str, str]:
    """("two", "parrots") from an object token with its number, ("a", "beagle") for a single one."""
    num = next((c for c in d.children if c.dep_ in ("nummod", "det") and (
        c.like_num or c.lower_ in ("a", "an", "another"))), None)
    n = ("a" if num.lower_ == "another" else num.lower_) if num is not None else ""
    return n, " ".join(t.text for t in d.subtree if t.dep_ in ("amod", "compound") and t.head.i == d.i and
                       t.i < d.i and not t.like_num) + (" " if any(
        t.dep_ in ("amod", "compound") and t.head.i == d.i and t.i < d.i for t in d.subtree) else "") + d.text


def _have(st, p, lem, neg, owner, key, toks) -> bool:
    d = next((c for c in p.children if c.dep_ == "dobj"), None)
    if d is None or neg or owner.kind != "speaker" or any(c.dep_ == "dative" for c in p.children):
        return False  # "I bought him a squeaky hedgehog": a present, not a pet
    done = False
    objs = [t for t in d.subtree if t.i == d.i or t.dep_ == "conj" and t.pos_ == "NOUN"]
    for obj in objs:  # "a dog named Max and two cats"
        done = _have_one(st, obj, lem) or done
    return done


_ORDINAL = {"second": "two", "third": "three", "fourth": "four", "fifth": "five", "sixth": "six"}


def _have_one(st, d, lem) -> bool:
    n, noun = _count_noun(d)
    of = next((o for c in d.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children if o.dep_ == "pobj"),
              None) if d.lemma_ in ("couple", "pair") else None
    if of is not None:  # "a couple of goldfish": two of them
        d, n, noun = of, "two", _count_noun(of)[1]
    nth = next((c for c in d.children if c.dep_ == "amod" and c.lower_ in _ORDINAL), None)
    if nth is not None:  # "we got a third parrot": now there are three
        n, noun = _ORDINAL[nth.lower_], d.lower_ + ("s" if not d.lower_.endswith("s") else "")
    head = d.lemma_.lower()
    if species(noun.lower()) == "guinea pig":
        head = "guinea pig"
    named = next((t for t in d.subtree if t.dep_ in ("oprd", "appos") and (t.pos_ == "PROPN" or t.dep_ == "oprd" and (
        t.text[:1].isupper() and t.i > 0 and t.doc[t.i - 1].lower_ in ("called", "named")))), None)  # "a lab called Bramble" (ADJ)
    if named is None and species(head):  # "a third parrot, a grey one called Pip"
        named = next((x for a in [*d.children, *d.head.children] if a.dep_ in ("appos", "npadvmod") and a.i > d.i
                      for x in a.subtree if x.dep_ == "oprd" and x.text[:1].isupper() and x.i > 0 and
                      x.doc[x.i - 1].lower_ in ("called", "named")), None)
    if named is None and species(head):  # "two guinea pigs, Salt and Pepper": the parser's conj
        named = next((t for t in d.children if t.dep_ == "conj" and t.pos_ == "PROPN" and t.i > d.i and
                      d.doc[t.i - 1].text in (",", ":")), None)
    have_got = lem == "get" and any(c.lemma_ == "have" and c.dep_ == "aux" for c in d.head.children)  # "I've got"
    if species(head) or d.lower_ in RELATIONS or head in RELATIONS:
        if named is not None and (lem != "get" or species(head) or have_got):
            # the singular: "kids named Ben and Ella" -> kid, "3 cats: Miso, Tofu" -> "a cat called Miso"
            rel = (noun.lower() if n in ("a", "an", "") else head) if species(head) else head
            ones = [named, *(c for c in named.conjuncts if c.pos_ == "PROPN" or c.text[:1].isupper())]
            ones += [t for t in d.head.children if t.dep_ == "conj" and t.pos_ == "PROPN" and t.i > named.i and
                     t not in ones]  # "two kids, Femi who's eight and Zara who's five": the parser's conj
            for one in ones:  # "two daughters, Yuna and Sora"
                name = " ".join(x.text for x in one.subtree if x.pos_ == "PROPN" and (
                    x.i == one.i or x.dep_ == "compound")) or one.text
                _named(st, rel, name)
                age = next((number(a.lower_) for r in [*one.children, *d.children] if r.dep_ == "relcl" and
                            r.lemma_ == "be" and (r.head.i == one.i or r.left_edge.i == one.i + 1)
                            for a in r.children if a.dep_ == "attr" and a.like_num), "")
                if age:  # "Femi who's eight"
                    st.add(f"person:{name.lower()}:age", age, f"{st.me}'s {rel} {name} is {age} years old")
            if n not in ("", "a", "an", "one"):
                key = f"pet:{species(head)}" if species(head) else "family:children" if head in (
                    "kid", "child") else f"family:{head}"
                st.add(key, f"{n} {noun.lower()}", f"{st.me} has {n} {noun.lower()}")
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
    toks_all = toks
    toks = [t for t in toks if t.i not in subj_ids and t.i != p.i and not (t.dep_ == "neg" and t.head.i == p.i)]
    if not toks:
        return False
    body = " ".join(t.text for t in toks)
    low = body.lower()
    done = False
    if (m := re.search(r"\b(" + "|".join(DIETS) + r")\b", low.split("allergic")[0])) and owner.kind != "pet":
        diet = m.group(1)  # "I'm vegetarian and allergic to nuts": both
        st.add(key + (f"health:{diet}" if diet in MEDICAL_DIETS else "diet"), diet,
               f"{owner.phrase} is {'not ' if neg else ''}{diet}", neg=neg, corr=neg)
        done = True
    if re.search(r"\ballergic to\s+(.+)$", body, re.I) and owner.kind != "pet":
        for it in C.items_after(toks, next(t for t in toks if t.lower_ == "to" and t.i > toks[0].i)):
            st.add(f"{key}allergy:{norm(it)}", it, f"{owner.phrase} is {'not ' if neg else ''}allergic to {it}",
                   neg=neg, corr=neg)
        return True
    if done:
        return True
    fan = next((c for c in p.children if c.dep_ == "attr" and c.lemma_ == "fan"), None)
    if fan is not None and not any(c.lower_ == "of" for c in fan.children) and (team := " ".join(
            c.text for c in fan.children if c.dep_ == "compound" and c.i < fan.i)):  # "a massive Arsenal fan"
        st.add(f"{key}{'dislikes' if neg else 'likes'}:{norm(team)}", team,
               f"{owner.phrase} {'isn' + chr(39) + 't' if neg else 'is'} {a_an(team)} fan", neg=neg)
        return True
    if m := _FAN.search(body):
        start = _tok_at(toks, m.end())
        # the whole phrase, clauses the parser split off included ("into sourdough [baking] lately")
        full = [t for t in p.subtree if t.i not in subj_ids and t.i != p.i and not (t.is_punct and t.text != ",")
                and not t.ent_type_ == "DATE"]
        its = C.items_after(full, start) if start is not None else []
        for i, it in enumerate(its):
            st.add(f"{key}{'dislikes' if neg else 'likes'}:{norm(it)}", it,
                   f"{owner.phrase} {'doesn' + chr(39) + 't like' if neg else 'likes'} {C.namely(its, i, toks)}", neg=neg)
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
    if owner.kind in ("speaker", "rel", "person") and not neg and tn != "past" and not iso and any(
            c.dep_ == "prep" and c.lower_ in ("in", "at") and any(o.lemma_ == "hospital" for o in c.children)
            for c in p.children):  # "he's in St James's hospital with a broken hip"
        st.add(key + "health:hospital", "in hospital", C.render(toks_all, C.subject(p), owner, ""))
        return True
    num = next((c for c in p.children if c.dep_ in ("attr", "acomp") and c.like_num and number(c.lower_)), None)
    if num is not None and not neg and owner.kind != "thing" and 0 < int(number(num.lower_)) < 120 and not any(
            c.dep_ in ("prep", "npadvmod") for c in num.children):  # "He's 87 and stubborn as anything"
        st.add(key + "age", number(num.lower_), f"{owner.phrase} is {number(num.lower_)} years old")
        return True
    if (m := re.search(r"^([\w-]+)(?: years? old| yrs? old| y/?o)?(?: now)?$", body)) and not neg and (
            age := number(m.group(1).lower())):  # "34", "three years old"
        st.add(key + "age", age, f"{owner.phrase} is {age} years old")
        return True
    attr = next((c for c in p.children if c.dep_ in ("attr", "acomp")), None)
    if attr is not None and owner.kind == "person" and (sp := species(attr.lemma_) or next(
            (species(c.lower_) for c in attr.children if c.dep_ == "compound"), "")):
        if not neg:  # "Mochi is a rabbit (not a cat)": the pet of that name, whatever it was filed as
            was, st.replaces = st.replaces, owner.phrase
            kind = re.sub(r"^(?:a|an) ", "", C.phrase(attr, ()).lower())
            st.add(f"pet:{sp}:{owner.noun}", owner.phrase, f"{st.me} has {a_an(kind)} called {owner.phrase}", corr=True)
            st.replaces = was
            st.last = C.Owner("pet", sp, f"{st.me}'s {attr.lower_}")
        return True
    if attr is not None and attr.pos_ in ("NOUN", "PROPN") and not iso:
        its = C.items_after(toks, min(attr.subtree, key=lambda t: t.i))
        v = re.sub(r"^(?:a|an)\s+", "", C.phrase(attr, ("of",))) if attr.i in {t.i for t in toks} else ""
        if v and jobish(v) and len(v.split()) <= 6:
            if neg:
                st.add(key + "job", v, f"{owner.phrase} is no longer {a_an(v)}", neg=True, corr=True)
            else:
                st.add(key + "job", v, f"{owner.phrase} {'is' if owner.kind != 'speaker' else 'works as'} {a_an(v)}")
                if at := workplace(attr, toks) or _prep_obj(p, toks, ("at",)):  # "I'm a nurse at the clinic"
                    st.add(key + "works_at", at, f"{owner.phrase} works at {at}")
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
                x.text for x in C.name_tokens(oprd)))
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
    if noun == "name" and owner.rel == "?":  # someone new is named: "he/she" now means them
        name = next((t for t in p.subtree if t.pos_ == "PROPN"), None)
        if name is not None:
            st.last = C.Owner("person", name.lower_, name.text)
        return
    if noun == "name" and owner.rel:
        oprd = next((t for t in p.subtree if t.pos_ == "PROPN"), None)
        if oprd is not None:
            _named(st, owner.rel, oprd.text)
        return
    if noun == "birthday" and not owner.rel and p.lemma_ == "be":
        v = next((e.text for e in p.doc.ents if e.label_ == "DATE" and e.start > p.i), "")
        its = C.items_after(toks, next((t for t in toks if t.i > p.i), p))
        v = v or (re.sub(r"^(?:on|in)\s+", "", its[0]) if its and its[0] != p.text else "")
        if re.search(r"\b(?:last|next|this|ago|yesterday|today|tomorrow|tonight|week|weekend)\b", v, re.I):
            if iso:  # "my birthday was last week": when it was celebrated, not the date of birth
                st.add(f"event:{iso}:birthday", iso, f"{st.me}'s birthday was {'in' if len(iso) == 7 else 'on'} {iso}",
                       when=iso)
            return
        if v:
            st.add("birthday", v, f"{st.me}'s birthday is {v}")
        return
    if noun in ("job", "work") and p.lemma_ == "be" and (its := C.items_after(toks, next(
            (t for t in toks if t.i > p.i), p))):
        v = re.sub(r"^(?:a|an)\s+", "", its[0])
        st.add("job", v, f"{st.me} works as {a_an(v)}")
        return
    if noun in EVENTY and iso:
        what = (owner.rel + " " if owner.rel else "") + noun
        text = C.render(toks, subj, owner, "")
        text = re.sub(r"\s+(?:is|are|was|will be)$", "", text)
        verb = "was" if tn == "past" or iso < st.now.date().isoformat()[:len(iso)] else "is"
        st.add(("event:" + iso + ":" if verb == "was" else "plan:") + what, iso,
               f"{owner.phrase} {verb} {'in' if len(iso) == 7 else 'on'} {iso}", when=iso)
