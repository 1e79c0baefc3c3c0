"""Matching what a shopper asks for or needs against the features a product lists.

A yes/no answer ("does it have wireless charging?") needs word evidence: every content word of
the asked thing must appear in one listed feature (stems, typos, "touch screen" = "touchscreen").
e5 similarity alone is too loose for a "yes" (it puts "fast charging" next to "wireless
charging"), so meaning-only matches are only offered as what the catalog *does* list. Ranking
for a recommendation may use meaning: there the catalog's own features are quoted as the reason.
"""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz import fuzz

from ..dialog.knowledge import stem, terms
from .catalog import Catalog, Product

# Heads that only say "which aspect" of the word before them: "battery life" asks about the battery.
GENERIC_HEADS = frozenset("life size quality type kind capacity option feature function level time amount spec".split())
_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_HEADS)
RELATED_COSINE = 0.87  # e5 cosine for "the catalog lists something close to what you asked"
_WEIGHT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(kg|g|lb|lbs|킬로그램|그램)\b", re.I)


def _term_hit(t: str, words: list[str]) -> bool:
    return any(t == w or (len(t) >= 4 and w.startswith(t))  # "light" is in "lightweight", not the reverse
               or (len(t) >= 5 and fuzz.ratio(t, w) >= 85) for w in words)


def _asked_terms(phrase: str) -> list[str]:
    ts = terms(phrase)
    core = [t for t in ts if t not in _GENERIC_STEMS]
    return core or ts


def feature_match(phrase: str, product: Product, *, semantic: bool = True) -> tuple[str, tuple[str, ...]]:
    """("full" | "partial" | "none", the product's features that match ``phrase``).

    ``semantic``: also offer the closest feature by e5 meaning as "partial" (one e5 query)."""
    asked = _asked_terms(phrase)
    if not asked:
        return "none", ()
    joined = "".join(asked)
    full, partial = [], []
    for f in product.features:
        words = terms(f)
        hits = [t for t in asked if _term_hit(t, words)]
        if len(hits) == len(asked) or joined in "".join(words):
            full.append(f)
        elif hits:
            partial.append(f)
    if full:
        return "full", tuple(full)
    if partial:
        return "partial", tuple(partial)
    if product.features and semantic:
        from ..dialog.embed import embed_query

        sims = _feature_vectors(product.features) @ embed_query(phrase)
        best = int(np.argmax(sims))
        if sims[best] >= RELATED_COSINE:  # close in meaning only: offered as what is listed
            return "partial", (product.features[best],)
    return "none", ()


def _feature_vectors(features: tuple[str, ...]) -> np.ndarray:
    """e5 vectors of feature phrases, cached by text (a catalog has a few hundred at most)."""
    from ..dialog.embed import embed_passages

    missing = [f for f in features if f not in _FEATURE_VECS]
    if missing:
        if len(_FEATURE_VECS) > 20_000:
            _FEATURE_VECS.clear()
        _FEATURE_VECS.update(zip(missing, embed_passages(missing)))
    return np.stack([_FEATURE_VECS[f] for f in features])


_FEATURE_VECS: dict[str, np.ndarray] = {}


def weight_grams(p: Product) -> float | None:
    """The product's weight in grams from a "weight" attribute ("1.1 kg", "190 g")."""
    for key, value in p.attrs.items():
        if "weight" in key or "무게" in key:
            m = _WEIGHT.search(value)
            if m:
                n = float(m.group(1).replace(",", "."))
                unit = m.group(2).lower()
                return n * 1000 if unit in ("kg", "킬로그램") else n * 453.6 if unit.startswith("lb") else n
    return None


def _product_vectors(catalog: Catalog) -> np.ndarray:
    vecs = catalog._cache.get("product_vecs")
    if vecs is None:
        from ..dialog.embed import embed_passages

        texts = [f"{p.name}: {p.category}. {'; '.join(p.features)}. " + "; ".join(f"{k}: {v}" for k, v in p.attrs.items())
                 for p in catalog.products]
        vecs = catalog._cache["product_vecs"] = embed_passages(texts)
    return vecs


def recommend(needs: str, pool: list[Product], catalog: Catalog, *,
              prefer: str = "") -> list[tuple[Product, float, tuple[str, ...]]]:
    """``pool`` ranked for ``needs``: (product, score, the features that meet the needs), best first.

    Score = e5 cosine of the needs and the product's description + 0.05 per need word a listed
    feature contains (cosines of unrelated products differ by only ~0.02, words are stronger
    evidence); "light"/"portable" needs favour lower weight, "cheap" ones a lower price; ``prefer``: a category guessed
    from the message by meaning, worth +0.03."""
    from ..dialog.embed import embed_query

    need_terms = [t for t in terms(needs) if not t.isdigit()]
    vecs = _product_vectors(catalog)
    qv = embed_query(needs) if needs.strip() else None
    index = {id(p): i for i, p in enumerate(catalog.products)}
    wants_light = any(t in ("light", "lightweight", "portabl", "carry", "travel", "가벼") for t in need_terms) or "가벼" in needs
    weights = [w for w in (weight_grams(p) for p in pool) if w is not None]
    wants_cheap = bool(re.search(r"\b(cheap|cheaper|inexpensive|affordable|low[- ]cost)\b|저렴|싼", needs.lower()))
    prices = [p.price for p in pool if p.price is not None]
    listed = {id(p): list(p.features) + [f"{k}: {v}" for k, v in p.attrs.items()] for p in pool}
    hits = {id(p): {t for t in need_terms if any(_term_hit(t, terms(f)) for f in listed[id(p)])} for p in pool}
    # a need word many products list ("coffee" in a coffee shop) tells them apart less than a rare one ("camping")
    df = {t: sum(1 for h in hits.values() if t in h) for t in need_terms}
    out = []
    for p in pool:
        why = tuple(f for f in listed[id(p)] if any(_term_hit(t, terms(f)) for t in need_terms))
        score = float(vecs[index[id(p)]] @ qv) if qv is not None else 0.0
        score += 0.05 * sum(1 / df[t] for t in hits[id(p)])
        score += 0.03 if prefer and p.category in prefer.split(", ") else 0.0
        if wants_cheap and p.price is not None and len(prices) > 1 and max(prices) > min(prices):
            score += 0.05 * (max(prices) - p.price) / (max(prices) - min(prices))
        w = weight_grams(p)
        if wants_light and w is not None and weights and max(weights) > min(weights):
            score += 0.04 * (max(weights) - w) / (max(weights) - min(weights))
        out.append((p, score, why[:3]))
    out.sort(key=lambda x: -x[1])
    return out
