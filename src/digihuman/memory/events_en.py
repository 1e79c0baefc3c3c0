"""English plans, events and habits for :mod:`.extract_en`: a clause that is no named slot is kept
when it has a date ("I visited my parents last weekend"), is a life event ("I graduated from
Yonsei"), a plan ("we're moving to Leeds"), or a habit said with a recurring time ("I call my
sister on Sundays"): a habit has no date.
"""

from __future__ import annotations

from . import clause as C
from .facts import norm
from .slots_en import _SIGNIFICANT, _STATIVE, _dobj

# present-tense habits and possessions worth remembering without a date
_HABITS = frozenset("drive ride own read watch support follow use collect bake knit grow volunteer".split())
_REPORT = frozenset("say tell claim hear reckon guess suppose doubt wonder think believe".split())


def _often(st) -> str:
    return f" {st.freq}" if st.freq else ""


def _event(st, p, lem, neg, owner, toks, iso, tn) -> None:
    """Anything else said with a date (or a life event like graduating): a plan or an event."""
    going = lem == "be" and iso and tn == "future" and any(
        c.dep_ in ("prep", "advmod") and c.lower_ in ("to", "off", "in", "away") for c in p.children)
    got = lem == "get" and any(c.dep_ == "dobj" and c.pos_ == "NOUN" for c in p.children)  # "got my licence"
    # "my dad was in hospital on Saturday", "I was in Paris last week": where someone was, on a date
    got = got or lem in ("be", "stay") and bool(iso) and tn == "past" and any(
        c.dep_ == "prep" and c.lower_ in ("in", "at", "on") and any(o.dep_ == "pobj" for o in c.children)
        for c in p.children)
    if neg or owner.kind == "thing" or p.pos_ not in ("VERB", "AUX") or lem in _REPORT or (
            lem in _STATIVE and not going and not got):  # "I'm off to Tokyo on the 3rd" is a plan; "I'm tired" not
        return
    subj = C.subject(p)
    if not iso and lem in _HABITS and tn == "present" and owner.kind == "speaker" and (d := _dobj(p, toks)) and \
            d.split()[0].lower() not in C.PRONOUN_OBJ:  # "I drive a Hyundai Ioniq", "I'm reading Pachinko"
        st.add(f"{lem}:{norm(d)}", d, C.render(toks, subj, owner, ""))
        return
    has_obj = any(t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "pobj", "attr") for t in toks)
    if not iso and st.freq and tn == "present" and owner.kind in ("speaker", "rel") and p.pos_ == "VERB":
        text = C.render(toks, subj, owner, "")  # "I visit my mum every Sunday": a habit, no date
        objs = [t.lemma_.lower() for t in toks if t.pos_ in ("NOUN", "PROPN") and t.dep_ != "nsubj"][:3]
        who = "" if owner.kind == "speaker" else owner.noun + " "
        st.add(f"habit:{who}{' '.join([lem, *objs])}", st.freq, f"{text}{_often(st)}")
        return
    if not iso and not (tn == "past" and lem in _SIGNIFICANT and owner.kind != "pet" and has_obj):
        if not (tn == "future" and lem in ("move", "visit", "fly", "travel", "go", "start", "marry") and len(toks) > 3):
            return
    subj = C.subject(p)
    text = C.render(toks, subj, owner, iso, past=tn == "past" or bool(iso) and iso < st.now.date().isoformat())
    if len(text.split()) < 3 or len(text) > 200:
        return
    sub = {t.i for t in subj.subtree} if subj is not None else set()
    objs = [t.lemma_.lower() for t in toks if t.pos_ in ("NOUN", "PROPN") and t.i not in sub and
            t.lower_ not in C.FILLER_ADV][:3]
    what = " ".join([lem, *objs])
    who = "" if owner.kind == "speaker" else owner.noun + " "
    if tn == "future":
        st.add(f"plan:{who}{what}", iso or "sometime", text, when=iso)
    else:
        st.add(f"event:{iso}:{who}{what}", iso or "past", text, when=iso)
