"""Sentence-level index over a :class:`KnowledgeBase`: every passage split into sentences or rows.

A passage answers many questions; quoting the one sentence that answers is what makes a reply
precise. Each sentence keeps its heading (the section title or FAQ question) as context, is
embedded once with e5 (cached by passage id and text, in memory and in a ``.sentences.npz`` file
next to the knowledge database, so a new process does not embed again) and tagged with the kinds of value it holds
(a price, a time, a place...), so a "how much" question prefers a sentence that has a price.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import threading
import weakref
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._fs import write_bytes_atomic
from ..dialog.embed import DIM, embed_passages
from ..dialog.knowledge import KnowledgeBase
from ..dialog.types import Passage
from . import values
from .question import GENERIC_EN
from .terms import content_terms, normalise

_ABBREV = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|St|No|Nr|approx|e\.g|i\.e|etc|vs|Prof|Jr|Sr|Ave|Rd|min|tel)\.$", re.I)
_PLACE = re.compile(r"\b(street|st\.|road|rd\.|avenue|ave\.|lane|square|plaza|located|next to|behind|opposite|near|"
                    r"floor|station|corner|building|district|city|town|walk|minutes? from)\b|[가-힣](?:동|구|로|길|역)(?=[에은는\s,.]|$)|출구",
                    re.I)
_DURATION = re.compile(r"\b\d+(?:\.\d+)?\s*(?:-|to)?\s*\d*\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b"
                       r"|\b(?:an?|one|two|three|half an?)\s+(?:minutes?|hours?|days?|weeks?)\b|\d+\s*(?:분|시간|일|주|개월)",
                       re.I)
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|dozen|hundred)\b", re.I)
_NEG = re.compile(r"\b(not|no|never|cannot|can't|don't|doesn't|isn't|aren't|won't|nor)\b|n't\b"
                  r"|않|없|못|불가|안 |휴무", re.I)
# spaCy's TIME also covers durations ("24 hours"): clock times come from our own parser instead
_ENTITY_KIND = {"PERSON": "PERSON", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "MONEY": "PRICE",
                "DATE": "DATE", "CARDINAL": "NUMBER", "QUANTITY": "NUMBER", "ORG": "PERSON",
                "NORP": "PERSON"}


@dataclass(frozen=True)
class Unit:
    """One sentence (or table row) of a passage, with what it can answer."""

    passage: Passage
    text: str
    """The sentence as it will be quoted."""
    position: int
    """Index of the sentence in its passage."""
    terms: frozenset[str]
    heading_terms: frozenset[str]
    kinds: frozenset[str]
    """Kinds of value it holds: PRICE, TIME, DATE, PLACE, PERSON, NUMBER, DURATION."""
    negated: bool
    faq: bool
    """The heading is a question (an FAQ entry): the answer is the whole passage."""
    lead: frozenset[str] = frozenset()
    """The first two content terms: what the sentence is about ("CHILDREN aged 5 to 15 pay £6")."""
    modifiers: frozenset[tuple[str, str]] = frozenset()
    """(modifier, head) of compounds whose modifier is used only so ("car", "park"): not about cars."""


PRODUCT_ROW = re.compile(r"^[\w ]+: [^;]+(; [\w ]+: [^;]+)+$")
"""A catalog row as :func:`digihuman.dialog.knowledge.parse_csv` stores it: "name: X; price: $3.20; ..."."""


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; list items and table rows are one sentence each; "Dr. Marsh" is not split."""
    if PRODUCT_ROW.match(text.strip()):  # a product row from a CSV stays one unit
        return [text.strip()]
    # "Monday to Friday: 6:00 - 22:00" lines are rows of their own, not a hard-wrapped sentence
    text = re.sub(r"(?m)^([^\n.!?:]{1,40}:[ \t]*\S[^\n]*)$", r"\n\1\n", text.strip())
    text = re.sub(r"(?<!\n)\n(?!\n|\s*(?:[-*•#]\s|\||\d+[.)]\s))", " ", text.strip())  # hard-wrapped lines
    out: list[str] = []
    lines = re.split(r"\n+", text)
    rule = [bool(re.fullmatch(r"[\s|:-]*-[\s|:-]*", ln)) for ln in lines]  # a table's |---|---| line
    for i, line in enumerate(lines):
        if rule[i] or i + 1 < len(lines) and rule[i + 1]:
            continue  # the rule and the header row above it ("Day | Hours") say nothing
        line = line.strip(" -*•|\t")
        if "|" in line:  # a markdown table row: "Mon–Thu | 12:00–22:00" -> "Mon–Thu: 12:00–22:00"
            line = ": ".join(c.strip() for c in line.split("|") if c.strip())
        cur = ""
        for piece in re.split(r"(?<=[.!?。])\s+", line):
            cur = f"{cur} {piece}" if cur else piece
            if not _ABBREV.search(cur):
                out.append(cur.strip())
                cur = ""
        if cur.strip():
            out.append(cur.strip())
    return [s for s in out if re.search(r"\w", s)]


def kinds_of(text: str, ents: tuple[tuple[str, str], ...] = (), names: frozenset[str] = frozenset()) -> frozenset[str]:
    """The kinds of value a sentence holds, from typed-value parsers and named entities.

    ``names``: section titles; an entity that is one ("Sunny Bakery") is the business, not a person."""
    k = {_ENTITY_KIND[label] for label, text_ in ents if label in _ENTITY_KIND
         and not (label in ("PERSON", "ORG") and text_.lower() in names)}
    if values.money(text):
        k.add("PRICE")
    if re.search(r"\bfree\b|\bno charge\b|무료", text, re.I):
        k.add("FREE")  # answers "is it free?", but not "how much is a coffee?" ("every tenth coffee is free")
    if values.clocks(text) or values.weekdays(text):
        k.add("TIME")
    if values.calendar_days(text) or re.search(r"\b(1[89]|20)\d\d\b", text) or values.weekdays(text):
        k.add("DATE")
    if _PLACE.search(text + " "):
        k.add("PLACE")
    if _DURATION.search(text):
        k.update(("DURATION", "NUMBER"))
    if _NUMBER.search(text):
        k.add("NUMBER")
    return frozenset(k)


@dataclass
class Index:
    units: list[Unit]
    matrix: np.ndarray  # (n, DIM) e5 vectors of "heading: sentence"
    idf: dict[str, float]
    topics: list[str]
    """Section titles in file order (what this knowledge can talk about)."""
    vocab: frozenset[str]
    self_terms: frozenset[str] = frozenset()
    """Terms naming the business itself (document titles and first sentences)."""
    postings: dict[str, list[int]] | None = None
    """term -> indexes of the units that contain it (to pre-select candidates in a large knowledge base)."""


_lock = threading.Lock()
_vectors: dict[tuple[int, str, str], np.ndarray] = {}  # (passage id, title, text) -> sentence vectors
_indexes: "weakref.WeakKeyDictionary[KnowledgeBase, tuple[tuple, Index]]" = weakref.WeakKeyDictionary()


def _parse_units(texts: list[str]) -> list[tuple[tuple[str, ...], frozenset[str], frozenset[str]]]:
    """Per English sentence: entity labels, lemma terms ("brought" -> "bring") and compound modifiers."""
    en = [i for i, t in enumerate(texts) if not re.search(r"[\uac00-\ud7a3]", t)]
    out: list = [((), frozenset(), frozenset())] * len(texts)  # (entities, lemma terms, compound modifiers)
    if en:
        from ..dialog.nlp import english

        for i, doc in zip(en, english().pipe([texts[i] for i in en])):
            lemmas = frozenset(t for tok in doc if not tok.is_stop and tok.is_alpha
                               for t in content_terms(tok.lemma_))
            heads = {t for tok in doc if tok.dep_ != "compound" for t in content_terms(tok.text)}
            # "car" in "car park" (a modifier of a real noun); the small parser also reads "a coffee
            # costs" as a compound of "costs", so a generic head word does not count
            mods = frozenset((t, normalise(tok.head.text)) for tok in doc if tok.dep_ == "compound"
                             and tok.head.pos_ == "NOUN" and normalise(tok.head.text) not in GENERIC_EN
                             for t in content_terms(tok.text) if t not in heads)
            out[i] = (tuple((e.label_, e.text) for e in doc.ents), lemmas, mods)
    return out


def _sidecar(kb: KnowledgeBase) -> Path:
    return kb.path.with_name(kb.path.name + ".sentences.npz")


def _key(k: tuple[int, str, str]) -> str:
    return hashlib.sha1(f"{k[0]}\x1f{k[1]}\x1f{k[2]}".encode()).hexdigest()


def _load_sidecar(kb: KnowledgeBase, splits: dict[int, list[str]]) -> None:
    """Sentence vectors embedded by an earlier process (a new chat need not embed them again)."""
    path = _sidecar(kb)
    if str(kb.path) == ":memory:" or not path.is_file():
        return
    try:
        with np.load(path) as data:
            stored = {name: data[name] for name in data.files}
    except (OSError, ValueError):  # unreadable or half-written by an old crash: embed again
        return
    for p in kb.passages():
        vec = stored.get(_key((p.id, p.title, p.text)))
        if vec is not None and vec.shape == (len(splits[p.id]), DIM):
            _vectors[(p.id, p.title, p.text)] = vec


def _save_sidecar(kb: KnowledgeBase, sig: tuple) -> None:
    if str(kb.path) == ":memory:":  # an in-memory knowledge base has no folder to keep a cache in
        return
    buf = io.BytesIO()
    np.savez(buf, **{_key(k): _vectors[k] for k in sig})
    try:
        write_bytes_atomic(_sidecar(kb), buf.getvalue())  # a cache: failing to write it is harmless
    except OSError:
        pass


def _is_faq(p: Passage) -> bool:
    return p.title.rstrip().endswith("?")


def index_for(kb: KnowledgeBase) -> Index:
    """The sentence index of ``kb``, rebuilt only when its passages changed (new sentences embedded once)."""
    passages = kb.passages()
    sig = tuple((p.id, p.title, p.text) for p in passages)
    with _lock:
        cached = _indexes.get(kb)
        if cached and cached[0] == sig:
            return cached[1]
        splits = {p.id: split_sentences(p.text) for p in passages}
        if any(k not in _vectors for k in sig):
            _load_sidecar(kb, splits)
        todo = [p for p in passages if (p.id, p.title, p.text) not in _vectors]
        flat = [(p, s) for p in todo for s in splits[p.id]]
        vecs = embed_passages([f"{p.title}: {s}" for p, s in flat])
        for p in todo:
            _vectors[(p.id, p.title, p.text)] = vecs[[i for i, (q, _) in enumerate(flat) if q is p]]
        if todo:
            _save_sidecar(kb, sig)
        if len(_vectors) > 20000:  # bound the cache: drop what no index uses any more
            live = set(sig)
            for key in [k for k in _vectors if k not in live]:
                del _vectors[key]
        sents = [(p, i, s) for p in passages for i, s in enumerate(splits[p.id])]
        parsed = _parse_units([s for _, _, s in sents])
        names = frozenset(p.title.lower() for p in passages)
        units = []
        for (p, i, s), (e, lemmas, mods) in zip(sents, parsed):
            # "Mon–Thu" names Tuesday too: every day of a range is a term of the sentence
            days = frozenset(normalise(values.WEEKDAYS[d]) for ds, _, _ in values.weekdays(s) for d in ds)
            units.append(Unit(p, s, i, frozenset(content_terms(s)) | lemmas | days, frozenset(content_terms(p.title)),
                              kinds_of(s, e, names), bool(_NEG.search(s)), _is_faq(p),
                              frozenset(content_terms(s)[:2]), mods))
        mat = (np.concatenate([_vectors[k] for k in sig]) if sig else np.zeros((0, DIM), np.float32))
        df = Counter(t for u in units for t in u.terms | u.heading_terms)
        n = max(1, len(units))
        idf = {t: math.log(1 + n / c) for t, c in df.items()}
        topics = list(dict.fromkeys(p.title for p in passages if not _is_faq(p) and p.source != "conversation"
                                    and not PRODUCT_ROW.match(p.text.strip())))
        vocab = frozenset(df)
        # what the business calls itself: the title and first sentence of each document ("the museum")
        first = {}
        for u in units:
            if not u.faq:  # FAQ pairs come first in a parsed file; the document starts after them
                first.setdefault(u.passage.source, u)
        self_terms = frozenset(t for u in first.values() for t in u.heading_terms | u.terms)
        postings: dict[str, list[int]] = {}
        for i, u in enumerate(units):
            for t in u.terms | u.heading_terms:
                postings.setdefault(t, []).append(i)
        index = Index(units, mat.astype(np.float32), idf, topics, vocab, self_terms, postings)
        _indexes[kb] = (sig, index)
        return index
