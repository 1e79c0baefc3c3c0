"""Finding the catalog's products and categories in a message, typos and partial names included.

A product name is matched token by token with rapidfuzz (so "Studymat 15" and "quiet wave 700"
find their rows), but model numbers must match exactly: "Aero 16" is not the "Aero 14", a
one-digit typo there would sell the wrong product. A lone distinctive word of a name ("the
Fold", "Glide") finds the products that contain it; a word shared by several ("Aero") finds all
of them, and the answer then covers each. Categories are matched by stem, by typo, and by e5
meaning ("notebook", "휴대폰" -> laptop, phone) because shoppers rarely use the catalog's word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from ..dialog.knowledge import STOPWORDS, stem
from .catalog import Catalog, Product

_TOKEN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Korean particles glued to a noun ("노트북은", "가격이"): stripped before fuzzy matching.
_PARTICLES = ("으로", "에서", "이랑", "하고", "보다", "까지", "부터", "은", "는", "이", "가", "을", "를", "도",
              "의", "에", "랑", "와", "과", "로", "만", "요")
_FUZZY = 80  # rapidfuzz ratio (0-100) for one name token to count as typed (typos: "Studymat", "Qiuetwave")
_COVERAGE = 0.75  # share of a name's letters that must be matched
# e5 word-to-category cosine: unrelated words sit at ~0.80-0.84, so a match needs either a high
# cosine or a clear lead over the next category ("couch" -> sofa 0.868, "bookshelves" -> shelving 0.847).
CATEGORY_RULES = ((0.865, 0.02), (0.84, 0.03))  # (cosine at least, lead over the second at least)
# e5 is weak on single Korean words against English category names (침대 -> bed scores 0.825):
# the common kinds of a shop, for a Korean shopper reading an English catalog.
KO_KINDS = {"노트북": "laptop", "휴대폰": "phone", "핸드폰": "phone", "스마트폰": "phone", "폰": "phone",
            "태블릿": "tablet", "헤드폰": "headphones", "이어폰": "earbuds", "스피커": "speaker", "모니터": "monitor",
            "카메라": "camera", "시계": "watch", "청소기": "vacuum", "키보드": "keyboard", "마우스": "mouse",
            "소파": "sofa", "의자": "chair", "책상": "desk", "침대": "bed", "식탁": "dining table", "테이블": "table",
            "책장": "bookcase", "선반": "shelf", "조명": "lighting", "램프": "lamp", "러그": "rug", "카펫": "rug",
            "옷장": "wardrobe", "주전자": "kettle", "포트": "kettle", "분쇄기": "grinder", "저울": "scale", "매트리스": "mattress", "냉장고": "fridge", "식물": "plant", "화분": "pot", "흙": "soil", "세탁기": "washing machine", "공기청정기": "air purifier"}


@dataclass(frozen=True)
class Token:
    text: str
    """Lower-cased, Korean particles stripped."""
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A product named in a message (character span ``start:end``)."""

    product: Product
    start: int
    end: int
    score: float


def tokens(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group().lower()
        if _HANGUL.search(t):
            for p in _PARTICLES:
                if t.endswith(p) and len(t) > len(p):
                    t = t[: -len(p)]
                    break
        out.append(Token(t, m.start(), m.end()))
    return out


def _has_digit(t: str) -> bool:
    return any(ch.isdigit() for ch in t)


def _index(catalog: Catalog) -> dict:
    """Per-catalog lookup tables, built once."""
    idx = catalog._cache.get("match")
    if idx is None:
        names = [[t.text for t in tokens(p.name)] for p in catalog.products]
        cat_stems = {stem(w) for c in catalog.categories for w in c.split()}
        # A word the catalog also uses to describe things ("coffee" in "keeps coffee hot") is no
        # product's own name on its own: "coffee beans" must not find the "Drip Coffee Maker".
        described = [{t.text for t in tokens(" ".join((p.category, *p.features)))} for p in catalog.products]
        # generic: a word some *other* product's description uses ("croissant" in "croissant dough")
        generic = {t for toks in names for t in toks
                   if t in STOPWORDS or stem(t) in cat_stems or t.isdigit()
                   or any(t in d and t not in names[j] for j, d in enumerate(described))}
        words: dict[str, list[int]] = {}
        for i, toks in enumerate(names):
            for t in toks:
                if t not in generic and (len(t) >= 3 or _has_digit(t)):
                    words.setdefault(t, []).append(i)
        idx = {"names": names, "words": words, "generic": generic, "described": set().union(*described)}
        catalog._cache["match"] = idx
    return idx


def _name_score(name: list[str], window: list[str]) -> float:
    """How well ``window`` (message tokens) spells ``name`` (0 = not this product)."""
    joined = ["".join(window)] if len(window) > 1 else []
    sims = []
    for t in name:
        if _has_digit(t):
            sims.append(100.0 if t in window else 0.0)  # model numbers match exactly
        else:
            best = max((fuzz.ratio(t, w) for w in window + joined), default=0.0)
            sims.append(best if best >= _FUZZY else 0.0)
    digits = [s for t, s in zip(name, sims) if _has_digit(t)]
    plain = [(len(t), s) for t, s in zip(name, sims) if not _has_digit(t)]
    matched_plain = sum(1 for _, s in plain if s)
    if digits and not all(digits):
        # "Pulse Watch" for "Pulse Watch 4": two plain words typed, no number given at all
        if any(_has_digit(w) for w in window) or matched_plain < 2:
            return 0.0
        return 0.8 * sum(n * s for n, s in plain) / (100 * sum(n for n, _ in plain))
    if digits and matched_plain:
        return 0.8 + 0.2 * (sum(n * s for n, s in plain) / (100 * sum(n for n, _ in plain)))
    total = sum(len(t) for t in name)
    score = sum(len(t) * s for t, s in zip(name, sims)) / (100 * total)
    return score if score >= _COVERAGE else 0.0


def _generic_only(name: list[str], window: list[str], generic: set[str]) -> bool:
    """A partial match made only of the name's generic words (the whole name typed is always fine)."""
    joined = ["".join(window)] if len(window) > 1 else []
    hit = [t for t in name if (t in window) if _has_digit(t)] + [
        t for t in name if not _has_digit(t) and max((fuzz.ratio(t, w) for w in window + joined), default=0) >= _FUZZY]
    return len(hit) < len(name) and all(t in generic for t in hit)


def find_products(text: str, catalog: Catalog, *, generic_ok=None) -> list[Mention]:
    """Products named in ``text``, in reading order (full names first, then lone distinctive words).

    ``generic_ok(token) -> bool`` may veto a lone word (e.g. "book" used as a verb).
    """
    idx = _index(catalog)
    toks = tokens(text)
    words = [t.text for t in toks]
    cands: list[tuple[float, int, int, int]] = []  # (score, product, first token, last token + 1)
    for pi, name in enumerate(idx["names"]):
        n = len(name)
        for i in range(len(toks)):
            for size in range(max(1, n - 1), n + 2):
                window = words[i:i + size]
                if len(window) < size or fuzz.ratio(window[0], name[0]) < _FUZZY and window[0] not in name:
                    continue
                s = _name_score(name, window)
                if s > 0 and _generic_only(name, window, idx["generic"]):
                    continue  # "espresso machines" is no "Brio Espresso Machine"
                if s > 0 and (n > 1 or size == 1):
                    cands.append((s, pi, i, i + size))
    used: set[int] = set()
    chosen: list[tuple[int, int, int, float]] = []
    taken_products: set[int] = set()
    for s, pi, a, b in sorted(cands, key=lambda c: (-c[0], c[3] - c[2])):  # equal scores: the tightest span
        if pi in taken_products or used & set(range(a, b)):
            continue
        chosen.append((pi, a, b, s))
        used |= set(range(a, b))
        taken_products.add(pi)
    # Lone distinctive words: a run of them picks the products sharing the most ("nuri book air").
    run: list[tuple[int, set[int]]] = []

    def flush() -> None:
        if not run:
            return
        counts: dict[int, int] = {}
        for _, prods in run:
            for pi in prods:
                counts[pi] = counts.get(pi, 0) + 1
        top = max(counts.values())
        for pi in sorted(p for p, c in counts.items() if c == top):
            if pi not in taken_products:
                chosen.append((pi, run[0][0], run[-1][0] + 1, 0.6))
                taken_products.add(pi)
        run.clear()

    for i, w in enumerate(words):
        prods: set[int] = set()
        if i not in used and (generic_ok is None or generic_ok(toks[i])):
            typo_ok = w not in idx["described"]  # "chocolate" is a word of the catalog, not a typo of "chocolat"
            for word, pis in idx["words"].items():
                if w == word or (typo_ok and len(w) >= 5 and len(word) >= 5 and fuzz.ratio(w, word) >= 85):
                    prods.update(pis)
        if prods:
            run.append((i, prods))
        else:
            flush()
    flush()
    chosen.sort(key=lambda c: c[1])
    return [Mention(catalog.products[pi], toks[a].start, toks[b - 1].end, s) for pi, a, b, s in chosen]


def products_in_text(text: str, catalog: Catalog) -> list[Product]:
    """Products whose full name appears verbatim in ``text`` (our own earlier replies), in order."""
    low = text.lower()
    found = []
    for p in catalog.products:
        at = low.find(p.name.lower())
        if at >= 0:
            found.append((at, -len(p.name), p))
    found.sort(key=lambda f: (f[0], f[1]))
    out, end = [], -1
    for at, neg_len, p in found:
        if at >= end:  # "Aero 16 Pro" must not also count as "Aero 16"
            out.append(p)
            end = at - neg_len
    return out


def _category_vectors(catalog: Catalog) -> np.ndarray:
    vecs = catalog._cache.get("category_vecs")
    if vecs is None:
        from ..dialog.embed import embed_passages

        vecs = catalog._cache["category_vecs"] = embed_passages(list(catalog.categories))
    return vecs


def find_category(words: list[str], catalog: Catalog, *, semantic: bool = True) -> tuple[str, str, bool]:
    """(catalog category, the message word naming it, named exactly (not only by meaning)) or ("", "", False).

    ``words`` are candidate nouns of the message (lemmas or Korean nouns), most likely first."""
    cats = catalog.categories
    if not cats or not words:
        return "", "", False
    by_stem = {" ".join(stem(w) for w in c.split()): c for c in cats}
    for orig in words:
        for w in dict.fromkeys((orig, KO_KINDS.get(orig, orig))):  # the shopper's word, then its English
            s = " ".join(stem(x) for x in w.lower().split())
            if s in by_stem:
                return by_stem[s], orig, True
            # "robot vacuum" from "vacuum"; typos: "labtop"; "plants": houseplant and outdoor plant both
            hits = [c for c in cats if (len(s) >= 4 or not s.isascii() and len(s) >= 2) and (
                    s == (last := stem(c.split()[-1])) or last.endswith(s) or (len(last) >= 4 and fuzz.ratio(s, last) >= 80))]
            if hits:
                return ", ".join(hits), orig, True
    if not semantic:
        return "", "", False
    from ..dialog.embed import embed_query

    vecs = _category_vectors(catalog)
    for orig in words[:2]:  # each costs one e5 query (~8 ms); the head noun only: "coffee beans" is beans
        sims = vecs @ embed_query(KO_KINDS.get(orig, orig).split()[-1])
        order = np.argsort(-sims)
        best = float(sims[order[0]])
        second = float(sims[order[1]]) if len(order) > 1 else 0.0
        if any(best >= cos and best - second >= lead for cos, lead in CATEGORY_RULES):
            return cats[int(order[0])], orig, False
    return "", "", False
