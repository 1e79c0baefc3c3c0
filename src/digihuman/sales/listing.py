"""Listing and advising: the products that match a filter, and the best ones for stated needs."""

from __future__ import annotations

from dataclasses import replace

from ..dialog.knowledge import terms
from .catalog import Catalog, Product
from .features import feature_match, recommend
from .phrases import join, josa, money, plural, short
from .result import SalesAnswer
from .understand import Query

MAX_LISTED = 5  # more than this many products in one spoken reply is a wall of numbers


def _constraint(q: Query, catalog: Catalog) -> str:
    """The asked-for range in words: "under 500,000 won", "50만원 이하"."""
    cur, lang = catalog.currency, q.lang
    lo, hi = money(q.min_price, cur, lang), money(q.max_price, cur, lang)
    if q.lang == "ko":
        return f"{lo}~{hi}" if lo and hi else f"{hi} 이하" if hi else f"{lo} 이상" if lo else ""
    return f"between {lo} and {hi}" if lo and hi else f"under {hi}" if hi else f"over {lo}" if lo else ""


def _select(q: Query, catalog: Catalog, pool: tuple[Product, ...] | None = None) -> list[Product]:
    out = []
    for p in catalog.products if pool is None else pool:
        if q.category and p.category not in q.category.split(", "):  # several: "plants" -> two sections
            continue
        if q.max_price is not None and (p.price is None or p.price > q.max_price):
            continue
        if q.min_price is not None and (p.price is None or p.price < q.min_price):
            continue
        if q.in_stock and not p.in_stock:
            continue
        out.append(p)
    return out


def _has(p: Product, phrase: str) -> bool:
    """Whether the catalog lists ``phrase`` for ``p``: a feature, a yes in a column of that name
    ("pet safe"), or a column value ("full sun")."""
    if feature_match(phrase, p, semantic=False)[0] == "full":
        return True
    asked = set(terms(phrase))
    return bool(asked) and any(
        asked <= set(terms(key)) and value.strip().lower() in ("yes", "y", "true") or asked <= set(terms(value))
        for key, value in p.attrs.items())


def filter_products(q: Query, catalog: Catalog, *, pool: tuple[Product, ...] | None = None) -> SalesAnswer:
    """The products matching the message's category, price range, stock and listed features
    (among ``pool``, e.g. the products the message named, else the whole catalog)."""
    ko, lang = q.lang == "ko", q.lang
    if not q.category and q.kind_word:
        kind = q.kind_word
        return SalesAnswer("declined", f"죄송하지만 저희 카탈로그에는 {kind} 제품이 없어요." if ko
                           else f"Sorry, I don't have any {kind} in my catalog.", (), "filter")
    found = _select(q, catalog, pool)
    kind = (q.category_word if ko or ", " in q.category else q.category) or ("제품" if ko else "product")
    kinds = kind if ko else plural(kind)
    rng = _constraint(q, catalog)
    wanted = [u for u in q.unknown if u.lower() != (q.category_word or "").lower()]
    if wanted and q.question:  # "Which phones have 5G?": listed features, by words (no guessing)
        found = [p for p in found if all(_has(p, u) for u in wanted)]
        rng = f"{rng} {'with' if not ko else ''} {join(wanted, lang)}".strip() if not ko else f"{join(wanted, lang)} {rng}".strip()
        if not found:
            return SalesAnswer("declined", f"{join(wanted, lang)} 기능이 있는 {josa(kind, '은는')} 카탈로그에 없어요." if ko else
                               f"None of our {kinds} lists {join(wanted)} in my catalog.", (), "filter")
    if q.sort and found:
        priced = sorted([p for p in found if p.price is not None], key=lambda p: p.price, reverse=q.sort == "expensive")
        if priced:
            top = priced[0]
            sup = ("가장 저렴한" if q.sort == "cheap" else "가장 비싼") if ko else ("cheapest" if q.sort == "cheap" else "most expensive")
            text = (f"{sup} {josa(kind + (' (' + rng + ')' if rng else ''), '은는')} {short(top, lang)}예요." if ko
                    else f"Our {sup} {kind}{' ' + rng if rng else ''} is {short(top, lang)}.")
            return SalesAnswer("answered", text, (top,), "filter")
    if not found:
        near = sorted([p for p in catalog.products if p.price is not None and (not q.category or p.category in q.category.split(", "))],
                      key=lambda p: p.price)
        hint = ""
        if near and q.max_price is not None:
            hint = (f" 가장 저렴한 {kind}는 {short(near[0], lang)}예요." if ko
                    else f" The cheapest {kind} I have is {short(near[0], lang)}.")
        text = (f"{rng + ' ' if rng else ''}{'재고가 있는 ' if q.in_stock else ''}{kind}는 지금 없어요.{hint}" if ko
                else f"I don't have any {kinds}{' ' + rng if rng else ''}{' in stock' if q.in_stock else ''} right now.{hint}")
        return SalesAnswer("answered", text, (near[0],) if hint else (), "filter")
    if q.in_stock and not q.category and not rng and len(found) > MAX_LISTED:
        missing = [p.name for p in catalog.products if p.in_stock is False]
        text = (f"{len(catalog.products)}개 중 {len(found)}개 제품이 재고가 있어요." + (f" 품절: {join(missing, 'ko')}." if missing else "")
                if ko else f"{len(found)} of our {len(catalog.products)} products are in stock."
                + (f" Out of stock right now: {join(missing)}." if missing else ""))
        return SalesAnswer("answered", text, (), "stock")
    listed = sorted(found, key=lambda p: (p.price is None, p.price or 0))[:MAX_LISTED]
    more = len(found) - len(listed)
    if ko:
        text = f"{rng + ' ' if rng else ''}{kind} {len(found)}개가 있어요: {join([short(p, lang) for p in listed], 'ko')}."
        text += f" 그 외 {more}개 더 있어요." if more else ""
    elif len(found) == 1:
        scope = f" for {kinds if q.category else ''}".rstrip() if q.category else ""
        text = f"One match{scope}{' ' + rng if rng else ''}{' in stock' if q.in_stock else ''}: {short(listed[0], lang)}."
    else:
        head = f"We have {len(found)} {kinds}{' ' + rng if rng else ''}"
        text = f"{head}{' in stock' if q.in_stock else ''}: {join([short(p, lang) for p in listed])}."
        text += f" And {more} more." if more else ""
    return SalesAnswer("answered", text, tuple(listed), "filter")


def recommend_products(q: Query, catalog: Catalog) -> SalesAnswer:
    """The best one or two in-stock products for the stated needs, with the features that meet them."""
    ko, lang = q.lang == "ko", q.lang
    pool = _select(q if q.category_exact else replace(q, category=""), catalog)
    stocked = [p for p in pool if p.in_stock is not False]
    rng = _constraint(q, catalog)
    if not stocked:
        if q.has_filter:
            return filter_products(q, catalog)
        return SalesAnswer("declined", "지금 추천할 만한 재고 제품이 없어요." if ko else
                           "I have nothing in stock to suggest right now.", (), "recommend")
    ranked = recommend(q.needs, stocked, catalog, prefer=q.category)
    top = ranked[:2] if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 0.02 else ranked[:1]
    parts = []
    for i, (p, _, why) in enumerate(top):
        reason = join(list(why), lang)
        if ko:
            parts.append(f"{'추천드리는 제품은' if i == 0 else '또는'} {short(p, lang)}{'이에요' if i == 0 else '도 좋아요'}."
                         + (f" {reason} 기능이 있어요." if reason else ""))
        else:
            lead = f"I'd suggest {short(p, lang)}" if i == 0 else f"{short(p, lang)[0].upper()}{short(p, lang)[1:]} is another option"
            parts.append(f"{lead}{', with ' + reason if reason else ''}.")
    if rng and not ko:
        parts.insert(0, f"Within your budget ({rng}):" if q.max_price is not None else f"In that range ({rng}):")
    return SalesAnswer("answered", " ".join(parts), tuple(p for p, _, _ in top), "recommend")


def overview(q: Query, catalog: Catalog) -> SalesAnswer:
    """What the shop sells, by category, and a question back about the shopper's needs."""
    ko = q.lang == "ko"
    counts: dict[str, int] = {}
    for p in catalog.products:
        counts[p.category] = counts.get(p.category, 0) + 1
    if "" in counts:  # no categories: a few names instead
        names = [p.name for p in catalog.products[:MAX_LISTED]]
        more = len(catalog.products) - len(names)
    else:
        names = [f"{c} {n}개" if ko else f"{n} {plural(c) if n > 1 else c}" for c, n in list(counts.items())[:8]]
        more = sum(list(counts.values())[8:])
    kinds = join(names + ([f"{more}개 더" if ko else f"{more} more"] if more > 0 else []), q.lang)
    if ko:
        text = f"{len(catalog.products)}개 제품이 있어요: {kinds}. 어떤 용도로 찾으시는지, 예산은 어느 정도인지 알려 주시면 추천해 드릴게요."
    else:
        text = (f"We have {len(catalog.products)} products: {kinds}. Tell me what you need it for and your budget, "
                f"and I'll suggest something.")
    return SalesAnswer("answered", text, (), "overview")
