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
from .dates import resolve
from .events_en import _REPORT, _event, _often
from .facts import RELATIONS, Fact, norm, species
from .slots_en import (_LIKE, _NOT_NAMES, _State, _be, _dobj, _have, _like,
                       _named, _obj_start, _opinion, _prep_obj, _thing, a_an, name_of,
                       number, workplace)

_HYPO = frozenset("if unless wish imagine suppose supposing maybe perhaps might whether pretend hypothetically "
                  "would 'd could should may".split())
_MODALS = frozenset("would 'd could should may might".split())  # only as modal verbs ("in May" is a month)
_QSTART = re.compile(r"^(?:do|does|did|are|is|was|were|can|could|will|have|has|what|where|when|who|whom|why|how|"
                     r"which|should|shall|may|am|isn't|aren't|don't|didn't)\b", re.I)
_FILLER = re.compile(r"^(?:(?:well|oh|ah|so|also|and|but|yeah|yes|yep|ok|okay|hmm+|um+|uh+|(?:hi|hello|hey|hiya|heya|howdy|yo)(?: there)?|by the way|"
                     r"btw|anyway|honestly|to be honest|you know|actually|no|nope|sorry|wait|oh and|lol|haha|guess what)"
                     r"\b[,!.:]?\s*)+", re.I)
_CORR = re.compile(r"\b(actually|anymore|any more|no longer|instead|correction|i meant|moved|now)\b|^(no|nope|sorry|wait)\b",
                   re.I)
_NAME = re.compile(r"(?:\bmy name is|\bmy name's|\bcall me|\bi go by|\bi'm called|\bi am called|^name(?:'s| is))\s+(.+)", re.I)
_HERE_NAME = re.compile(r"^([A-Za-z][a-z'-]+) here\b(?! (?:is|are|was|were)\b)")  # "Tunde here.", "lucia here!!"
_SELF_REPORT = frozenset("say tell mention admit confess add".split())  # "I should say, I'm coeliac" is stated
_IM_NAME = re.compile(r"^[Ii](?:'m| am)\s+([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2})\s*[.!]*(?:$|,|\s+(?:and|from|by|here)\b)")
_SAID = re.compile(r"^(?:no|nope|sorry|wait|actually)?[,. ]*i (?:said|meant)\s+([A-Z][\w'-]*(?: [A-Z][\w'-]*)?)"
                   r"(?:,?\s+not\s+([A-Z][\w'-]*(?: [A-Z][\w'-]*)?))?\W*$", re.I)
_NOT = re.compile(r",?\s+not\s+(?:in |at |a |an |the |to )?([\w'-]+(?: [A-Z][\w'-]*)?)\s*[.!]*$")
_FAV = re.compile(r"^my (?:absolute |all[- ]time |current )?favou?rite(?: (.+?))?(?:\s+is|\s+are|'s)\s+(.+)$"
                  r"|^(.+?) (?:is|are) my (?:absolute |all[- ]time |current )?favou?rite(?: (.+))?$", re.I)

_DAYNAME = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_FRONT_TIME = re.compile(rf"^((?:last|this|next|on) (?:weekend|week|month|year|{_DAYNAME})|on {_DAYNAME}|yesterday|today|"
                         rf"tonight|tomorrow|(?:this|yesterday|last) (?:morning|afternoon|evening|night)),?\s+(?=[A-Z]|i\b|we\b|my\b)",
                         re.I)


def _time_last(text: str) -> tuple[str, list[tuple[int, int]]]:
    """"Last weekend Elin and I drove up ..." -> "Elin and I drove up ... last weekend.": the small
    parser reads a fronted time phrase as a sentence of its own; at the end it attaches to the verb."""
    out, moved, at = [], [], 0
    for chunk in re.split(r"(?<=[.!?])\s+", text):
        m = _FRONT_TIME.match(chunk)
        if m and not chunk.rstrip().endswith("?"):
            rest = chunk[m.end():]
            # the end of the first clause: before ", and my face ..." / ". " / a comma
            end = next((e for e in re.finditer(r",?\s+(?:and|but|so)\s+(?=(?:i|we|my|our|he|she|it|they|his|her)\b)|"
                                               r",\s+|[.!]+\s*$", rest, re.I) if len(rest[:e.start()].split()) >= 3), None)
            body, tail = (rest[:end.start()], rest[end.start():]) if end else (rest, "")
            chunk = f"{body[:1].upper()}{body[1:]} {m.group(1).lower()}{tail or '.'}"
            moved.append((at + len(body) + 1, at + len(body) + 1 + len(m.group(1))))
        out.append(chunk)
        at += len(chunk) + 1
    return " ".join(out), moved


def extract_en(text: str, about: str, now: datetime, before: str = "") -> list[Fact]:
    """Facts stated in English ``text``, in message order (see the module docstring); ``before``
    (the previous message) is read first only for whom a pronoun means."""
    from ..dialog.nlp import parse

    st = _State(about, now)
    if before:
        st.last = next((f for f in [_last_owner(before, about, now)] if f is not None), None)
    text, moved = _time_last(text)
    doc = parse(text)
    for sent in doc.sents:
        raw = sent.text.strip()
        body = _FILLER.sub("", raw).strip()
        if not body or raw.endswith("?") or _QSTART.match(body) or len(body) > 600:
            continue
        st.corr, st.replaces = bool(_CORR.search(raw)), ""
        if (m := _SAID.match(raw)) and about == "partner":  # "no, I said Busan": fix the last value heard
            st.replaces = m.group(2) or ""  # "I meant Craig, not Greg": the name to replace is said
            st.add("correction", m.group(1), f"{st.me} said {m.group(1)}", corr=True)
            continue
        if any(t.lower_ in _HYPO and t.lower_ not in _MODALS for t in sent) or re.search(r"\bused to\b", body, re.I):
            continue
        if (m := _NOT.search(body)) and m.group(1).lower() not in ("sure", "really", "much", "anymore", "yet"):
            st.replaces, st.corr = m.group(1), True
            if _date_fix(st, sent, m.group(1)):  # "the wedding is on Sunday, not Saturday"
                continue
        n0 = len(st.facts)
        if (full := _subjectless(sent, body)) is not None:
            sent = full  # "Moving in on the 12th." is the speaker's: read as "I'm moving in on the 12th."
        try:
            _sentence(st, sent, body, {t.i for t in sent if any(a <= t.idx < b for a, b in moved)})
        except (IndexError, ValueError, AttributeError, StopIteration, KeyError):
            # an odd parse that trips a rule costs this sentence's facts, never the chat turn
            del st.facts[n0:]
            continue
        if st.replaces and len(st.facts) == n0:  # "actually, she's called Mia, not Nia" with nobody named
            m = re.search(r"([\w'-]+),?\s+not\s+(?:in |at |a |an |the |to )?" + re.escape(st.replaces), body)
            if m and m.group(1).lower() not in C.PRONOUN_OBJ | {"is", "am", "are", "'s", "me", "i"}:
                st.add("correction", m.group(1), f"{st.me} corrected {st.replaces} to {m.group(1)}", corr=True)
    return st.facts


def _sentence(st: _State, sent, body: str, fronted: set[int] = frozenset()) -> None:
    # a name does not end the sentence: "I'm Lena, I work as a nurse" goes on to the other clauses
    if (m := _NAME.search(body)) and (v := name_of(m.group(1))):
        st.add("name", v, f"{st.me}'s name is {v}")
    elif (m := _IM_NAME.match(body)) and m.group(1).split()[0].lower() not in _NOT_NAMES and not any(
            e.label_ in ("NORP", "GPE", "DATE") for e in sent.ents if e.text == m.group(1)):
        st.add("name", name_of(m.group(1)), f"{st.me}'s name is {name_of(m.group(1))}")
    if m := _FAV.match(body.rstrip(".!")):
        _favorite(st, m)
        return
    if m := re.match(r"^(not |never )?(?:(?:really|much|so|too|that|very) )?(?:a |an )?(?:big |huge )?(?:fan of|into|keen on)\s+(.+?)(?:\s+though)?(?:[,.!]|$)",
                     body, re.I):  # chat without a subject: "Not a fan of spicy food, never have been."
        it = m.group(2).strip()
        if it and it.split()[0].lower() not in C.PRONOUN_OBJ and len(it.split()) <= 6:
            neg = bool(m.group(1))
            st.add(f"{'dislikes' if neg else 'likes'}:{norm(it)}", it,
                   f"{st.me} {'doesn' + chr(39) + 't like' if neg else 'likes'} {it}", neg=neg,
                   degree="dislike" if neg else "like")
        return
    if (m := _HERE_NAME.match(body)) and m.group(1).lower() not in _NOT_NAMES | C.PRONOUN_OBJ | {"i", "me", "we", "nobody", "everyone", "someone", "back", "still", "out"}:
        name = m.group(1)[:1].upper() + m.group(1)[1:]
        st.add("name", name, f"{st.me}'s name is {name}")
    _appositions(st, sent)
    past = any(t.tag_ == "VBD" for t in sent) and not any(t.lower_ in ("will", "'ll", "tomorrow") for t in sent)
    skip, when = C.dates_of(sent, st.now, past, st.anchor)
    st.anchor = next((when[i] for i in sorted(when, reverse=True) if len(when[i]) == 10), st.anchor)
    spans = C.habits(sent)
    preds = [t for t in sent if t.dep_ == "ROOT" or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and
                                                     t.head.dep_ in ("ROOT", "conj")) or (
        t.pos_ in ("VERB", "AUX") and t.dep_ in ("ccomp", "parataxis", "advcl", "acl") and C.own_subject(t)) or
        C.bare_participle(t)]
    preds = [t for t in preds if _asserted(t)]
    # "should've mentioned it", "I'd love to": a modal makes that clause hypothetical, not the sentence
    preds = [t for t in preds if not any(c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ in _MODALS
                                         for c in t.children)]
    preds.sort(key=lambda t: t.i)  # "we got a kitten, her name is Luna": the kitten first
    dated: dict[int, str] = {}
    for p in preds:  # each clause's own date first, then "drove up ... and hiked X last weekend" shares it
        dated[p.i] = next((when[t.i] for t in C.region(p, set()) if t.i in when and t.i not in fronted), "")
    if fronted and preds and (iso := next((when[i] for i in sorted(fronted) if i in when), "")) and not dated[preds[0].i]:
        dated[preds[0].i] = iso  # "Yesterday I went to the cinema, it was great": the main clause's date
    for p in preds:
        if not dated[p.i]:
            dated[p.i] = next((dated.get(c.i, "") for c in [p.head, *p.children] if c.i != p.i and c.i in dated and (
                c.dep_ == "conj" and c.head.i == p.i or p.dep_ == "conj" and p.head.i == c.i) and not (
                C.own_subject(c) and C.own_subject(p) and not _both_first(c, p)) and dated.get(c.i)), "") or next(
                (dated[c.i] for c in [p.head, *p.children] if c.i != p.i and dated.get(c.i) and _both_first(c, p) and
                 C.tense(c) == C.tense(p) == "past" and (
                    c.dep_ in ("ccomp", "parataxis") and c.head.i == p.i or p.dep_ in ("ccomp", "parataxis") and
                    p.head.i == c.i)), "")  # "we went to the Lakes for the weekend, we stayed in a cabin"
    for p in preds:
        # "I swim every Tuesday and I'm learning the ukulele": the habit is the clause that holds it
        st.freq = next((" ".join(t.text for t in span) for span in spans if _governor(span[-1], preds) == p), "")
        subj = C.subject(p)
        if subj is None and p.pos_ == "NOUN" and p.dep_ == "ROOT" and (species(p.lemma_) or p.lemma_ in RELATIONS):
            called = next((t for t in p.subtree if t.dep_ == "oprd" and t.pos_ == "PROPN"), None)
            if called is not None:  # a fragment: "A tiny tabby called Gim."
                _named(st, p.lower_, called.text)
            continue
        if subj is None:
            continue
        owner = C.owner_of(subj, st.about, st.last)
        if owner is None:
            continue
        iso = dated.get(p.i, "")
        if not iso and len(preds) == 1:  # the date hangs elsewhere in a one-clause sentence
            iso = next((when[t.i] for t in sent if t.i in when), "")
        last, n_pred = st.last, st.added
        _predicate(st, sent, p, subj, owner, skip, iso)
        if st.added == n_pred:
            _note(st, p, subj, owner, skip, iso)
        if owner.kind == "speaker" and (thing := next((c for c in p.children if c.dep_ == "xcomp" and c.tag_ == "VBG" and
                                                       not any(x.dep_ == "dobj" for x in c.children)), None) or next(
                (c for c in p.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)) is not None:
            st.last_thing = C.phrase(thing, ())  # what a later "it" is
        if owner.kind == "speaker" and st.last is last and (rel := next((t for t in C.region(p, skip) if t.dep_ in (
                "dobj", "pobj") and t.lemma_.lower() in RELATIONS and any(c.dep_ == "poss" and c.lower_ in ("my", "our")
                                                                      for c in t.children)), None)) is not None:
            last = st.last = C.Owner("rel", rel.lower_, f"{st.me}'s {rel.lower_}")  # "... visit my grandmother, she's 90"
        if owner.kind in ("rel", "pet", "person") and st.last is last:
            st.last = owner
        if (born := _newborn(p, owner)) is not None:  # "my sister had a baby girl ... her name is Ava"
            st.last = born


_BUSINESS = frozenset("bakery shop cafe café restaurant business company salon studio store bar pub gym clinic firm "
                      "startup agency practice farm hotel boutique kitchen school nursery".split())
_CHILD_OF = {"sister": "niece", "brother": "nephew", "sibling": "niece", "son": "grandchild", "daughter": "grandchild",
             "friend": "baby", "cousin": "baby"}


def _newborn(p, owner: C.Owner) -> C.Owner | None:
    """"had a baby girl", "welcomed a baby boy": the baby is who "she"/"her name" means next."""
    obj = next((c for c in p.children if c.dep_ == "dobj" and c.lemma_ in ("baby", "girl", "boy")), None)
    if obj is None or p.lemma_ not in ("have", "welcome", "deliver") or C.tense(p) != "past":
        return None
    girl = any(t.lower_ in ("girl", "daughter") for t in obj.subtree)
    boy = any(t.lower_ in ("boy", "son") for t in obj.subtree)
    if owner.kind == "speaker":
        rel = "daughter" if girl else "son" if boy else "baby"
    elif owner.kind == "rel":
        rel = _CHILD_OF.get(owner.noun, "baby")
        rel = {"niece": "nephew" if boy else "niece"}.get(rel, rel)
    else:
        return None
    return C.Owner("rel", rel, f"{owner.phrase.split(chr(39))[0]}'s {rel}")


def _last_owner(before: str, about: str, now: datetime):
    """Who "he"/"she" would mean after the message ``before`` (its facts are not kept)."""
    from ..dialog.nlp import parse

    try:
        st = _State(about, now)
        text, _ = _time_last(before)
        for sent in parse(text).sents:
            body = _FILLER.sub("", sent.text.strip()).strip()
            if body and not sent.text.strip().endswith("?"):
                _sentence(st, sent, body)
        return st.last
    except (IndexError, ValueError, AttributeError, StopIteration, KeyError):
        return None


def _note(st: _State, p, subj, owner: C.Owner, skip: set[int], iso: str) -> None:
    """A statement no slot reads ("Tom proposed on the beach in Whitby", "the balcony gets the morning
    sun") kept as said, re-said in the third person: recall finds it by similarity when asked."""
    if st.about != "partner" or owner.kind == "thing" or p.pos_ not in ("VERB", "AUX") or p.lemma_ in _REPORT:
        return
    toks = C.region(p, skip)
    sub = {t.i for t in subj.subtree}
    content = [t for t in toks if t.i not in sub and t.pos_ in ("NOUN", "PROPN", "NUM") and t.lower_ not in C.FILLER_ADV]
    if not content or p.lemma_ in ("be", "feel", "seem", "look", "sound") and not any(
            t.pos_ in ("PROPN", "NUM") or t.dep_ == "pobj" for t in content):
        return  # "I'm so tired", "it's a bit scary": a mood, not a memory
    text = C.render(toks, subj, owner, iso, past=C.tense(p) == "past")
    if not 4 <= len(text.split()) <= 18 or re.search(r"['\"] | ['\"]|\bwhich\b|\bthat\b", text):
        return  # long, quoted or with a comment clause: not a clean statement
    who = "" if owner.kind == "speaker" else owner.noun + " "
    st.add(f"said:{who}{p.lemma_.lower()} {' '.join(t.lemma_.lower() for t in content[:3])}", text, text, when=iso)


def _both_first(a, b) -> bool:
    """"Ollie and I went to the Lakes for the weekend, we stayed in a cabin": the same speaker, the same time."""
    def first(p):
        s = C.subject(p)
        return s is not None and (s.lower_ in C.FIRST or any(c.dep_ == "conj" and c.lower_ in C.FIRST for c in s.children))
    return first(a) and first(b)


def _governor(tok, preds):
    """The predicate among ``preds`` whose clause holds ``tok`` (its nearest ancestor in them)."""
    ids = {p.i for p in preds}
    t = tok
    for _ in range(12):
        if t.i in ids:
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _subjectless(sent, body: str):
    """Chat drops the subject ("Moving in on the 12th.", "Also lactose intolerant, sadly.", "Loved it");
    such a fragment is the speaker's own, so it is re-parsed with "I'm"/"I" in front; None otherwise."""
    if any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in sent) or len(body.split()) < 2:
        return None
    words = body.split()
    skip = 1 if words[0].lower() in ("also", "just", "finally", "still", "really", "currently") else 0
    first = next((t for t in sent if t.text == words[skip].strip(",.!")), None) if len(words) > skip else None
    if first is None or first.dep_ not in ("ROOT", "amod", "advmod", "compound") and first.head.dep_ != "ROOT":
        return None
    lead = {"VBG": "I'm", "JJ": "I'm", "VBD": "I", "VBN": "I've"}.get(first.tag_)
    if lead is None or first.lower_ in ("thanks", "thank", "sorry", "good", "great", "nice", "glad", "lovely"):
        return None  # "Good to see you!", "Sorry about that" are no statements
    from ..dialog.nlp import english

    rest = words[skip:]
    if first.pos_ != "PROPN":
        rest[0] = rest[0].lower()
    return next(iter(english()(f"{lead} {' '.join(rest)}").sents))


def _date_fix(st: _State, sent, wrong: str) -> bool:
    """A date corrected ("it's on the 17th, not the 16th"): rewrite the plan or event on the wrong date."""
    dates = [e for e in sent.ents if e.label_ == "DATE"]
    if not dates or not re.fullmatch(r"(?:the )?(?:\d{1,2}(?:st|nd|rd|th)?|[A-Z][a-z]+day|[A-Z][a-z]+ \d{1,2}\w*)", wrong):
        return False
    old = resolve(wrong, st.now)
    if new_ := resolve(dates[0].text, st.now):
        if re.fullmatch(r"(?:the )?\d{1,2}(?:st|nd|rd|th)?", wrong):  # "the 5th of July, not the 4th": July's 4th
            day = int(re.sub(r"\D", "", wrong))
            old = f"{new_[:7]}-{day:02d}" if 1 <= day <= 31 else old
    new = resolve(dates[0].text, st.now) if wrong not in dates[0].text else ""
    if not old or not new or old == new:
        return False
    st.add("correction", new, f"{st.me} corrected {old} to {new}", corr=True)
    st.facts[-1] = Fact("correction", new, st.facts[-1].text, st.about, True, False, new, "", old)
    return True


def _going_to(p) -> bool:
    """"(I think) I'm going to introduce him to the family": a plan, said tentatively but said."""
    return p.lemma_ == "go" and p.tag_ == "VBG" and any(
        c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in p.children)


def _asserted(p) -> bool:
    """Whether clause ``p`` is stated as true: not inside an if/when clause, not a relative clause,
    not what someone else says or what the speaker only thinks ("I think I'm allergic")."""
    t = p
    for _ in range(6):
        if t.dep_ == "relcl" or any(c.dep_ == "mark" and c.lower_ in (
                "if", "unless", "whether", "when", "before", "until", "as", "once") for c in t.children):
            return False
        if t.i != p.i and t.lemma_ in _REPORT and C.subject(t) is not None and not (
                t.lemma_ in _SELF_REPORT and C.subject(t).lower_ in C.FIRST) and not (
                t.lemma_ == "think" and C.subject(t).lower_ in C.FIRST and _going_to(p)) and not any(
                c.dep_ in ("prep", "dobj") for c in t.children):  # "..., I've been thinking about it": no report
            return False  # "guess what, ..." (no subject) is only a filler
        if t.head.i == t.i:
            return True
        t = t.head
    return True


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
        if any(c.dep_ == "poss" and c.lower_ in ("my", "our") for c in t.children) and (
                home := C.home_place(t) or C.home_place(t, t.head) if t.dep_ == "dobj" else C.home_place(t)):
            st.add("lives_in", home, f"{st.me} lives in {home}")  # "I love my flat in Chapel Allerton"
    for t in sent:
        if t.pos_ != "PROPN" or t.dep_ not in ("appos", "compound", "npadvmod") or t.head.i == t.i:
            continue
        head = t.head if t.dep_ != "compound" else t.head
        noun = head.lower_
        if not any(c.dep_ == "poss" and c.lower_ in ("my", "our") for c in head.children):
            continue
        for one in [t, *t.conjuncts] if t.dep_ == "appos" else [t]:  # "two daughters, Yuna and Sora"
            name = " ".join(x.text for x in one.subtree if x.pos_ == "PROPN" and (x.i == one.i or x.dep_ == "compound"))
            _named(st, noun, name)


def _predicate(st: _State, sent, p, subj, owner: C.Owner, skip: set[int], iso: str) -> None:
    lem, neg, tn = p.lemma_.lower(), C.negated(p), C.tense(p)
    if lem == "get" and any(c.lower_ in ("married", "engaged", "divorced") for c in p.children):
        lem = "marry"  # "getting married next month"
    # "I'm going to visit X" / "I'm planning to fly": the plan is the inner verb
    inner = next((c for c in p.children if c.dep_ == "xcomp" and c.pos_ == "VERB" and
                  any(a.lower_ == "to" for a in c.children)), None)
    outer = None
    if lem in ("go", "plan", "intend") and inner is not None and inner.i <= p.i + 3:
        outer, p, lem, tn = p, inner, inner.lemma_.lower(), "future"
    elif lem in ("decide", "start", "begin", "try") and inner is not None and inner.lemma_ in ("stop", "quit", "learn"):
        p, lem, tn = inner, inner.lemma_.lower(), "present"  # "I've decided to stop eating meat": now so
    elif lem in ("start", "begin") and (ing := next((c for c in p.children if c.dep_ == "xcomp" and c.tag_ == "VBG" and
                                                     c.lemma_ == "learn"), None)) is not None:
        p, lem, tn = ing, "learn", "present"  # "I started learning the piano in September"
    ongoing = lem == "learn" and p.tag_ == "VBG" and p.dep_ == "xcomp" and p.head.lemma_ in ("start", "begin")
    toks = C.region(p, skip)
    if outer is not None and outer.lemma_ == "go" and not C.own_subject(p):  # "(partner) is going to introduce him"
        toks = C.region(outer, skip)
    today = st.now.date().isoformat()
    if tn == "present" and iso:  # "I need to call my mom tonight" is a plan; "I quit three weeks ago" is past
        tn = "future" if iso >= today[:len(iso)] else "past"
    if owner.kind == "thing":
        _thing(st, p, subj, owner, toks, iso, tn)
        return
    key = {"speaker": "", "rel": f"family:{owner.noun}:", "person": f"person:{owner.noun}:"}.get(
        owner.kind, f"pet:{owner.noun}:")
    if lem in ("visit", "come", "fly", "drive", "travel") and owner.kind in ("rel", "person") and tn != "past" and \
            not neg and (home := _prep_obj(p, toks, ("from",))) and home[:1].isupper():
        # "visiting from Lisbon": where they live; the visit itself is a plan
        st.add(key + "lives_in", home, f"{owner.phrase} {'live' if owner.noun.endswith('s') else 'lives'} in {home}")
        if lem == "come":  # not where they come from by birth
            _event(st, p, lem, neg, owner, toks, iso, tn)
            return
    if lem == "visit" and owner.kind == "speaker" and not neg and (whom := next((c for c in p.children if c.dep_ == "dobj" and (
            c.lemma_.lower() in RELATIONS or c.lower_ in RELATIONS) and any(x.lower_ in ("my", "our") for x in c.children)),
            None)) is not None and (place := next((o for c in [*p.children, *whom.children] if c.dep_ == "prep" and
                                                   c.lower_ == "in" for o in c.children if o.pos_ == "PROPN"), None)):
        # "I visited my parents in Galway": where they live (the visit is kept as well)
        verb = "live" if whom.lower_.endswith("s") else "lives"
        st.add(f"family:{whom.lower_}:lives_in", C.phrase(place, ()), f"{st.me}'s {whom.lower_} {verb} in {C.phrase(place, ())}")
    if lem in ("live", "reside", "stay") and not neg and tn != "future" and not (lem == "stay" and (tn == "past" or iso)):
        if v := _prep_obj(p, toks, ("in", "at")):
            st.add(key + "lives_in", v, f"{owner.phrase} lives in {v}")
            return
    if lem in ("move", "relocate") and tn == "future" and C.bare_participle(p) and not _prep_obj(
            p, toks, ("to", "into")) and (place := next((e.text for e in sent.ents if e.label_ == "GPE" and
                                                          e.root.i in {t.i for t in p.head.subtree}), "")):
        # "we bought a house in Stockport, moving next month": the move is to the place just named
        st.add(f"plan:{owner.noun + ' ' if owner.noun else ''}move {norm(place)}", iso or "sometime",
               f"{owner.phrase} is moving to {place}" + (f" {'in' if len(iso) == 7 else 'on'} {iso}" if iso else ""),
               when=iso)
        return
    if lem in ("move", "relocate") and tn == "past" and (v := _prep_obj(p, toks, ("to", "into"))):
        home = next((C.home_place(o) or C.home_place(o, p) for c in p.children if c.dep_ == "prep" and
                     c.lower_ in ("to", "into") for o in c.children if o.dep_ == "pobj"), "")
        if home:  # "we moved to a flat in Clifton"
            st.add(key + "lives_in", home, f"{owner.phrase} lives in {home}", corr=True)
            return
        st.add(key + "lives_in", v, f"{owner.phrase} lives in {v}", corr=True)
        return
    if lem == "work" and tn != "future":
        if v := _prep_obj(p, toks, ("as",)):
            as_ = next(c for c in p.children if c.dep_ == "prep" and c.lower_ == "as")
            role = next(o for o in as_.children if o.dep_ == "pobj")
            v, at = C.role_phrase(as_) or v, workplace(role, toks) or _prep_obj(p, toks, ("at", "for"))
            st.add(key + "job", v, f"{owner.phrase} works as {a_an(v)}", neg=neg)
            if at and not neg:
                st.add(key + "works_at", at, f"{owner.phrase} works at {at}")
            return
        if v := _prep_obj(p, toks, ("at", "for", "in")):
            st.add(key + "works_at", v, f"{owner.phrase} {'no longer works' if neg else 'works'} at {v}",
                   neg=neg, corr=neg)
            return
    job_obj = any(c.dep_ == "dobj" and c.lemma_ in ("job", "position", "role", "internship") for c in p.children)
    if (lem in ("start", "join") or job_obj and lem in ("get", "land", "take", "accept")) and tn == "past" and \
            owner.kind != "pet":  # "I started at Samsung", "I got a new job at Kakao"
        sub = {t.i for t in subj.subtree}
        org = next((e for e in sent.ents if e.label_ in ("ORG", "FAC") and e.start > p.i and e.root.i not in sub
                    and (e.root.head.dep_ in ("prep", "conj") or e.root.head.i == p.i)), None)
        at = _prep_obj(p, toks, ("at", "with")) or (_prep_obj(next(
            c for c in p.children if c.dep_ == "dobj"), toks, ("at", "with")) if job_obj else "") or (
            org.text if org is not None else "")
        job = next((c for c in p.children if c.dep_ == "dobj"), None) if job_obj else None
        mods = [c for c in job.children if c.dep_ in ("compound", "amod") and c.i < job.i and c.lower_ not in (
            "new", "first", "dream", "old", "part-time", "full-time", "big", "great", "better", "proper", "real")] \
            if job is not None else []
        if mods and lem in ("get", "land", "accept", "take") and not _prep_obj(job, toks, ("as",)):
            role = " ".join(t.text for t in job.subtree if t in mods or any(t.i in {x.i for x in m.subtree} for m in mods))
            st.add(key + "job", role, f"{owner.phrase} {'works as' if owner.kind == 'speaker' else 'is'} {a_an(role)}",
                   corr=True)  # "I got the senior physio job!"
            if not at:
                return
        as_ = next((c for c in job.children if c.dep_ == "prep" and c.lower_ == "as"), None) if job is not None else None
        if as_ is not None and (role := C.role_phrase(as_)):  # "I've accepted a position as a senior engineer at X"
            place = workplace(next(o for o in as_.children if o.dep_ == "pobj"), toks) or at
            st.add(key + "job", role, f"{owner.phrase} {'works as' if owner.kind == 'speaker' else 'is'} {a_an(role)}",
                   corr=True)
            if place:
                st.add(key + "works_at", place, f"{owner.phrase} works at {place}", corr=True)
            return
        if lem == "start" and (role := _prep_obj(p, toks, ("as",))):  # "I've started as a junior architect"
            role = re.sub(r"^(?:a|an)\s+", "", role)
            at = workplace(next(o for c in p.children if c.dep_ == "prep" and c.lower_ == "as" for o in c.children
                                if o.dep_ == "pobj"), toks) or at
            st.add(key + "job", role, f"{owner.phrase} {'works as' if owner.kind == 'speaker' else 'is'} {a_an(role)}",
                   corr=True)
        if at and at[:1].isupper():
            st.add(key + "works_at", at, f"{owner.phrase} works at {at}", corr=True)
            if iso:  # "when did I start at Samsung?"
                st.add(f"event:{iso}:{owner.noun + ' ' if owner.noun else ''}start {norm(at)}", iso,
                       f"{owner.phrase} started at {at} {'in' if len(iso) == 7 else 'on'} {iso}", when=iso)
            return
    age = next((n for t in p.subtree if t.like_num and t.i > p.i and (n := number(
        t.lower_ + (f"-{t.nbor(2).lower_}" if t.i + 2 < len(t.doc) and t.nbor(1).text == "-" else "")))), "")
    if lem == "turn" and age and tn == "past":  # "I turned 30 last week", "my son turned six"
        st.add(key + "age", age, f"{owner.phrase} is {age} years old", corr=True)
        return
    if lem == "turn" and age and p.tag_ == "VBG" and owner.kind != "thing":  # "she's turning ninety"
        st.add(key + "age", age, f"{owner.phrase} is turning {age}", corr=True)
        return
    learnt = next((c for c in p.children if c.dep_ == "dobj"), None)
    how = next((c for c in p.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if lem == "learn" and learnt is None and how is not None and (tn != "past" or ongoing) and owner.kind == "speaker":
        # "learning to play the ukulele", "learning to drive": the skill is the inner verb (and its object)
        obj = next((c for c in how.children if c.dep_ == "dobj"), None)
        d = re.sub(r"^the ", "", C.phrase(obj)) if obj is not None else how.lemma_.lower()
        st.add(f"learning:{norm(d)}", d, C.render(toks, subj, owner, ""))
        return
    if lem == "learn" and (tn != "past" or ongoing) and owner.kind == "speaker" and learnt is not None and \
            learnt.lower_ not in C.PRONOUN_OBJ and (d := " ".join(
                t.text for t in learnt.subtree if t.i == learnt.i or t.dep_ in ("compound", "amod") and t.i < learnt.i)):
        st.add(f"learning:{norm(d)}", d, f"{owner.phrase} is learning {d}" if not (ongoing and iso) else
               f"{owner.phrase} started learning {d} {'in' if len(iso) == 7 else 'on'} {iso}")
        if not iso or ongoing:  # "learning Spanish for our trip to Madrid in April": the trip is a plan too
            return
    if lem == "teach" and tn == "present" and owner.kind != "pet" and not neg and (d := _dobj(p, toks)):
        subject_taught = re.split(r"\s+(?:at|in|to|for)\s+", d)[0]  # "I teach maths at a school in Leeds"
        st.add(key + "job", f"{subject_taught} teacher", C.render(toks, subj, owner, "") + _often(st))
        if at := _prep_obj(p, toks, ("at",)):
            st.add(key + "works_at", at, f"{owner.phrase} works at {at}")
        return
    prop = next((c for c in p.children if c.dep_ == "dobj" and c.pos_ == "PROPN"), None)
    kind = next((c for c in prop.children if c.dep_ == "compound" and (species(c.lemma_) or c.lemma_ in RELATIONS)),
                None) if prop is not None else None
    if lem in ("name", "call") and owner.kind == "speaker" and kind is not None:
        _named(st, kind.lower_, prop.text)  # the parser's "[our new puppy] Biscuit"
        return
    if lem in ("name", "call") and owner.kind == "speaker" and (named := next(
            (c for c in p.children if c.dep_ in ("oprd", "ccomp", "xcomp", "attr", "npadvmod") and c.pos_ == "PROPN"),
            None)) is not None and (pet := next((c for c in p.children if c.dep_ == "dobj" and (
                species(c.lemma_) or c.lemma_ in RELATIONS)), None)) is not None:
        _named(st, pet.lower_, named.text)  # "we named our new puppy Biscuit"
        return
    if lem in ("run", "own", "manage") and tn == "present" and not neg and owner.kind in ("speaker", "rel", "person") and (
            biz := next((c for c in p.children if c.dep_ == "dobj" and c.lemma_.lower() in _BUSINESS), None)) is not None:
        # "my wife runs a bakery in Peckham": what she does for a living
        st.add(key + "job", f"runs {C.phrase(biz, ('of', 'in'))}", f"{owner.phrase} runs {C.phrase(biz, ('of', 'in'))}")
        return
    if lem in ("study", "major") and tn != "past" and (v := _dobj(p, toks) or _prep_obj(p, toks, ("in",))):
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
    if lem in ("quit", "leave") and tn == "past" and owner.kind == "speaker" and (
            d := next((c for c in p.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)) is not None and (
            d.lemma_ in ("job", "studio", "company", "firm", "office", "agency", "school", "shop", "restaurant") or
            d.ent_type_ == "ORG"):  # "I quit the studio", "I left Google": no longer works there
        where = C.phrase(d, ())
        st.add("works_at", re.sub(r"^(?:the|my|our)\s+", "", where), f"{owner.phrase} no longer works at {where}"
               if d.lemma_ != "job" else f"{owner.phrase} quit their job", neg=True, corr=True)
        if d.lemma_ == "job":
            st.add("job", "job", f"{owner.phrase} quit their job", neg=True, corr=True)
        return
    cut = lem in ("avoid", "cut", "quit") and (lem != "cut" or any(c.lower_ == "out" for c in p.children)) or (
        lem in ("give", "stop") and any(c.lower_ in ("up", "eating", "drinking") for c in p.subtree))
    eating = next((c for c in p.children if c.dep_ == "xcomp" and c.lower_ in ("eating", "drinking")), None)
    if cut and eating is not None and not any(c.dep_ == "dobj" for c in p.children):
        p = eating  # "stop eating meat": the food is the object of "eating"
    if cut and owner.kind == "speaker" and (d := _dobj(p, toks)) and d.split()[0].lower() not in C.PRONOUN_OBJ \
            and lem != "quit" or lem == "quit" and (d := _dobj(p, toks)) in ("sugar", "meat", "dairy", "alcohol", "gluten"):
        st.add(f"avoids:{norm(d)}", d, f"{owner.phrase} doesn't eat {d}" if d != "alcohol" else
               f"{owner.phrase} doesn't drink alcohol", neg=True, corr=True)  # "I've been cutting out dairy"
        return
    if lem in ("start", "take", "join") and (cls := next((c for c in p.children if c.dep_ == "dobj" and c.lemma_ in (
            "class", "lesson", "course")), None)) is not None and owner.kind == "speaker":
        what = " ".join(t.text for t in cls.children if t.dep_ in ("compound", "amod") and t.i < cls.i)
        if what:  # "I started pilates classes": a new hobby
            st.add(f"hobby:{norm(what)}", what, f"{owner.phrase} does {what}")
            return
    if lem == "eat" and neg and (start := _obj_start(p)) is not None:
        for it in C.items_after(toks, start):
            st.add(f"{key}avoids:{norm(it)}", it, f"{owner.phrase} doesn't eat {it}", neg=True)
        return
    if lem in ("think", "believe", "feel") and owner.kind == "speaker":
        _opinion(st, p)
        return
    if (lem in _LIKE or lem in ("mind", "stand")) and tn != "past":  # "loved the concert": an event, not a taste
        _like(st, p, lem, neg, owner, key, toks)
        return
    if lem in ("call", "name") and owner.kind in ("rel", "pet") and (oprd := next(
            (t for t in p.children if t.dep_ in ("oprd", "attr", "dobj", "xcomp") and t.pos_ == "PROPN"), None)):
        _named(st, owner.noun, " ".join(x.text for x in C.name_tokens(oprd)))
        return
    if lem in ("have", "get", "adopt", "own", "buy", "rescue") and tn != "future" and (lem != "have" or not iso):
        if _have(st, p, lem, neg, owner, key, toks):
            return
    if lem in ("play", "do", "practice", "practise") and tn == "present" and not neg and not iso and (
            d := _dobj(p, toks)) and d.split()[0].lower() not in C.PRONOUN_OBJ:
        st.add(f"{key}hobby:{norm(d)}", d, f"{owner.phrase} {C.third_person(lem)} {d}{_often(st)}")
        return
    if lem == "go" and tn == "present" and not iso and (g := next((c for c in p.children if c.dep_ == "xcomp"
                                                                   and c.tag_ == "VBG"), None)) is not None:
        st.add(f"{key}hobby:{g.lower_}", g.lower_, f"{owner.phrase} goes {g.lower_}{_often(st)}")
        return
    if lem == "be" and p.pos_ == "AUX" or lem == "be":
        if _be(st, sent, p, owner, key, toks, neg, iso, tn):
            return
    if (m := re.search(r"\bdiagnosed with (?:an? )?([\w' -]+)", sent.text, re.I)) and owner.kind != "pet":
        st.add(f"{key}health:{norm(m.group(1))}", m.group(1), f"{owner.phrase} has {m.group(1)}")
        return
    _event(st, p, lem, neg, owner, toks, iso, tn)
