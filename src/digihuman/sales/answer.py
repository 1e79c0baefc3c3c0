"""Answering a shopper from the catalog: look-up, filters, comparing two products, recommending.

:func:`answer_catalog` reads the message (:mod:`.understand`), decides which of the four kinds
of answer it asks for, and writes it from catalog values only. What the catalog does not hold is
said as such ("I don't have its battery life in my catalog"), never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..dialog.knowledge import terms
from ..dialog.types import Turn
from .catalog import Catalog, Product
from .features import feature_match, weight_grams
from .phrases import join, josa, money, price_of, short, stock_phrase, the
from .listing import filter_products, overview, recommend_products
from .result import SalesAnswer
from .understand import ATTRS, Query, understand

# What asks for the shop's range as a whole (lemmas; Korean forms as Kiwi gives them).
_ASK_RANGE = {"sell", "carry", "offer", "stock", "show", "recommend", "suggest", "product", "item", "팔", "판매", "추천",
              "제품", "상품"}
_KO_ATTR = {"weight": "무게", "material": "소재", "size": "크기", "colour": "색상", "brand": "브랜드", "warranty": "보증 기간"}


def answer_catalog(message: str, catalog: Catalog | None, *, history: Sequence[Turn] = (),
                   lang: str = "en") -> SalesAnswer | None:
    """Answer ``message`` from ``catalog``, or None when the message is not about the catalog.

    ``history``: recent turns (oldest first), for follow-ups ("how much is that one?").
    ``lang``: "en" or "ko", the language of the reply.
    """
    if catalog is None or not catalog.products or not message or not message.strip():
        return None
    lang = "ko" if lang == "ko" else "en"
    q = understand(message, catalog, history, lang)
    if q.referents and not q.named:
        q = _follow_up(q, history, catalog)
    if q.sort and not q.named and not q.category and len(q.referents) >= 2:  # "the cheapest one?" of those listed
        pick = sorted([p for p in q.referents if p.price is not None], key=lambda p: p.price, reverse=q.sort == "expensive")
        if pick:
            return _lookup(replace(q, asks=("price",), unknown=()), (pick[0],))
    prods = q.products
    if not prods and q.category and (q.asks or q.unknown and q.question) and not q.has_filter_beyond_category:
        only = [p for p in catalog.products if p.category in q.category.split(", ")]
        if len(only) == 1:  # "how much is the air purifier?" when there is one
            prods = (only[0],)
            q = replace(q, named=prods)
    if q.named and (q.min_price is not None or q.max_price is not None) and not q.compare:
        return filter_products(q, catalog, pool=q.named)  # "any jumpers under 150,000 won?"
    if len(prods) >= 2 and (q.compare or q.comparative) and not q.has_filter:
        return _compare(q, prods)
    if len(prods) == 1 and q.comparative in ("cheaper", "pricier"):
        return _alternatives(q, catalog, prods[0])
    # A follow-up without a pointing word must be all request ("how much?", "in stock?"): "what's the
    # weather like?" right after a product is not about that product.
    if q.named and (q.asks or q.question) or q.referents and not q.sort and (q.refers or not q.unknown) and (
            q.asks or q.comparative or q.unknown and q.question):
        return _lookup(q, prods)
    if q.recommend and (q.has_filter or q.needs):
        return recommend_products(q, catalog)
    if q.has_filter or (q.listing and q.kind_word and q.question):
        return filter_products(q, catalog)
    if not prods and not q.unknown and not q.kind_word and q.words & _ASK_RANGE and (q.question or q.recommend):
        return overview(q, catalog)  # "what do you sell?", "what do you recommend?"
    return None


def _follow_up(q: Query, history: Sequence[Turn], catalog: Catalog) -> Query:
    """Complete an elliptical follow-up from the previous user message: "and the second one?" after
    "how much is the X?" asks the price again; "the most expensive one?" keeps the category."""
    if q.sort and not q.category and len(q.referents) == 1:
        return replace(q, category=q.referents[0].category, referents=())
    if q.asks or q.unknown or q.compare or q.comparative or q.sort or not q.refers or not q.question:
        return q
    prev = next((t.text for t in reversed(list(history)) if t.role == "user"), "")
    asks = understand(prev, catalog, (), q.lang).asks if prev else ()
    return replace(q, asks=asks or ("features",))


# ---- look-up -------------------------------------------------------------------------------------
def _attr(p: Product, asked: str) -> tuple[str, str] | None:
    """(column, value) of the product for an asked attribute ("size" finds a "dimensions" column)."""
    from rapidfuzz import fuzz

    if asked == "brand" and p.brand:
        return "brand", p.brand
    names = ATTRS[asked][2] if asked in ATTRS else (asked,)
    for key, value in p.attrs.items():  # "pot size" is not the plant's size: whole names only
        if any(key == n or fuzz.ratio(key, n) >= 85 for n in names):
            return key, value
    return None


def _lookup(q: Query, prods: tuple[Product, ...]) -> SalesAnswer:
    ko = q.lang == "ko"
    parts: list[str] = []
    status, topic = "answered", ""
    asks = list(q.asks)
    # "weight limit" asks about a limit, not the weight: the longer unknown phrase wins
    attr_asks = [a for a in asks if a not in ("price", "stock", "features")
                 and not any(a in u.lower().split() and u.lower() != a for u in q.unknown)]
    # Any column named in the message ("how many pages?", "the page count") is an attribute ask too.
    said_terms = set(terms(" ".join(q.unknown) + " " + " ".join(q.words)))
    for p in prods:
        for key in p.attrs:
            if (key in q.words or set(terms(key)) & said_terms) and key not in attr_asks:
                attr_asks.append(key)
    unknown = [u for u in q.unknown if not any(u.lower() in a or a in u.lower() or set(terms(u)) & set(terms(a))
                                               for a in attr_asks)]
    if q.yesno and attr_asks and any(_attr(p, a) for p in prods for a in attr_asks):
        unknown = []  # "is it safe for cats?" answered by the "pet safe" column
    for p in prods[:3]:
        said = []
        if "price" in asks:
            topic = topic or "price"
            said.append(_price_sentence(p, ko))
        if "stock" in asks:
            topic = topic or "stock"
            said.append(_stock_sentence(p, ko))
        for a in attr_asks:
            topic = topic or a
            found = _attr(p, a)
            if found:
                key, v = found
                flag = v.strip().lower() in ("yes", "no", "y", "n", "true", "false")  # a yes/no column ("pet safe")
                if ko:
                    said.append(f"{josa(p.name + '의 ' + key, '은는')} {v}입니다.")
                elif flag:
                    yes = v.strip().lower() in ("yes", "y", "true")
                    said.append(f"{'Yes' if yes else 'No'}, {the(p.name)} is {'' if yes else 'not '}listed as {key}.")
                else:
                    said.append(f"The {key} of {the(p.name)} {'are' if key.endswith('s') else 'is'} {v}.")
            else:
                status = "declined" if not said else "partial"
                said.append(f"카탈로그에 {p.name}의 {_KO_ATTR.get(a, a)} 정보는 없어요." if ko
                            else f"I don't have the {a} of {the(p.name)} in my catalog.")
        for u in unknown[:2]:
            topic = topic or "features"
            kind, feats = feature_match(u, p)
            in_attr = _attr_value(p, u)  # "in green?" -> colours: grey, oatmeal, forest green
            if in_attr and kind != "full":
                key, v = in_attr
                said.append(f"{p.name}의 {key}: {v}." if ko else f"{'Yes, the' if q.yesno else 'The'} {p.name}{chr(39) if p.name.endswith('s') else chr(39) + 's'} {key}: {v}.")
            elif kind == "full":
                if ko:
                    said.append(f"{'네, ' if q.yesno else ''}{p.name}에는 {join(list(feats), 'ko')} 기능이 있어요.")
                else:
                    said.append(f"Yes, my catalog lists {join(list(feats))} for {the(p.name)}." if q.yesno
                                else f"For {the(p.name)}, my catalog lists: {join(list(feats))}.")
            elif kind == "partial":
                status = "partial"
                said.append(f"{p.name}의 {u} 정보는 카탈로그에 없지만, {join(list(feats), 'ko')} 기능은 있어요." if ko
                            else f"{_not_listed(q, p, u)} It does list {join(list(feats))}.")
            elif q.suitability:  # "is it good for my mum?": no verdict to invent, but the facts to judge by
                status = "partial"
                said.append(f"{josa(p.name, '이가')} {u}에 맞는지는 카탈로그로 판단하기 어렵지만, 정보를 알려 드릴게요." if ko else
                            f"I can't tell from my catalog whether {the(p.name)} suits {q.suitability}, but here is what it lists.")
                said.append(_overview(p, ko))
            else:
                status = "declined" if not said and status != "partial" else "partial"
                said.append(f"카탈로그에 {p.name}의 {u} 정보는 없어요." if ko else _not_listed(q, p, u))
        if not said or ("features" in asks and not unknown):
            topic = topic or "features"
            said.append(_overview(p, ko))
        parts.append(" ".join(dict.fromkeys(said)))
    if len(prods) > 3:
        parts.append(f"외 {len(prods) - 3}개 제품이 더 있어요." if ko else f"There are {len(prods) - 3} more that match.")
    return SalesAnswer(status, " ".join(parts), prods[:3], topic or "features")


def _attr_value(p: Product, asked: str) -> tuple[str, str] | None:
    """(column, value) when every word of ``asked`` is in one attribute value ("green" in the colours)."""
    asked_terms = terms(asked)
    for key, value in p.attrs.items():
        words = terms(value)
        if asked_terms and all(t in words for t in asked_terms):
            return key, value
    return None


def _not_listed(q: Query, p: Product, asked: str) -> str:
    """The natural decline for a feature the catalog does not list."""
    if q.yesno:
        return f"My catalog doesn't mention {asked} for {the(p.name)}."
    return f"I don't have the {asked} of {the(p.name)} in my catalog."


def _price_sentence(p: Product, ko: bool) -> str:
    lang = "ko" if ko else "en"
    if p.price is None:
        return f"카탈로그에 {p.name}의 가격은 없어요." if ko else f"I don't have a price for {the(p.name)} in my catalog."
    tail = ""
    if p.stock == 0:
        tail = " 다만 지금은 품절이에요." if ko else ", but it's out of stock right now"
    return f"{josa(p.name, '은는')} {price_of(p, lang)}이에요.{tail}" if ko else f"{the(p.name, cap=True)} costs {price_of(p, lang)}{tail}."


def _stock_sentence(p: Product, ko: bool) -> str:
    if p.stock is None:
        return f"카탈로그에 {p.name}의 재고 정보는 없어요." if ko else f"I don't have stock information for {the(p.name)}."
    if p.stock > 0:
        return f"네, {josa(p.name, '은는')} 재고가 {p.stock}개 있어요." if ko else f"Yes, {the(p.name)} is in stock ({p.stock} left)."
    return f"{josa(p.name, '은는')} 지금 품절이에요." if ko else f"Sorry, {the(p.name)} is out of stock at the moment."


def _overview(p: Product, ko: bool) -> str:
    lang = "ko" if ko else "en"
    kind = " ".join(b for b in (p.brand, p.category) if b)
    if ko:
        s = f"{p.name}{f'({kind})' if kind else ''}"
        s = f"{josa(s, '은는')} {price_of(p, lang)}이에요." if p.price is not None else f"{s}입니다."
        if p.features:
            s += f" 특징: {join(list(p.features), 'ko')}."
        st = stock_phrase(p, lang)
        return s + (f" {st}." if st else "")
    s = f"{the(p.name, cap=True)}{f' ({kind})' if kind else ''}"
    s += f" costs {price_of(p, lang)}." if p.price is not None else "."
    if p.features:
        s += f" It has {join(list(p.features))}."
    st = stock_phrase(p, lang)
    return s + (f" {st[0].upper()}{st[1:]}." if st else "")


# ---- comparing -----------------------------------------------------------------------------------
def _compare(q: Query, prods: tuple[Product, ...]) -> SalesAnswer:
    ko, lang = q.lang == "ko", q.lang
    if q.comparative in ("cheaper", "pricier"):
        priced = [p for p in prods if p.price is not None]
        if len(priced) >= 2:
            pick = (min if q.comparative == "cheaper" else max)(priced, key=lambda p: p.price)
            others = [p for p in priced if p is not pick]
            word = "더 저렴해요" if q.comparative == "cheaper" and ko else "더 비싸요" if ko else q.comparative
            if ko:
                text = f"{josa(pick.name, '이가')} {price_of(pick, lang)}으로 {word}. ({join([short(p, lang) for p in others], 'ko')})"
            else:
                text = (f"{the(pick.name, cap=True)} is {word}: {price_of(pick, lang)}, against "
                        f"{join([f'{price_of(p, lang)} for {the(p.name)}' for p in others])}.")
            return SalesAnswer("answered", text, (pick, *others), "compare")
    if q.comparative in ("lighter", "heavier"):
        weighed = [(weight_grams(p), p) for p in prods]
        weighed = [(w, p) for w, p in weighed if w is not None]
        if len(weighed) >= 2:
            w, pick = (min if q.comparative == "lighter" else max)(weighed, key=lambda x: x[0])
            others = [p for _, p in weighed if p is not pick]
            if ko:
                text = f"{josa(pick.name, '이가')} {_attr(pick, 'weight')[1]}으로 더 {'가벼워요' if q.comparative == 'lighter' else '무거워요'}."
            else:
                text = (f"{the(pick.name, cap=True)} is {q.comparative}: {_attr(pick, 'weight')[1]}, against "
                        f"{join([_attr(p, 'weight')[1] + ' for ' + the(p.name) for p in others])}.")
            return SalesAnswer("answered", text, (pick, *others), "compare")
        names = join([p.name for p in prods], lang)
        return SalesAnswer("declined", f"카탈로그에 {names}의 무게 정보가 없어요." if ko
                           else f"I don't have the weights of the {names} in my catalog.", tuple(prods), "compare")
    a, b = prods[0], prods[1]
    parts = []
    if a.price is not None and b.price is not None:
        cheap, dear = (a, b) if a.price <= b.price else (b, a)
        diff = money(dear.price - cheap.price, cheap.currency, lang)
        if ko:
            parts.append(f"{josa(a.name, '은는')} {price_of(a, lang)}, {josa(b.name, '은는')} {price_of(b, lang)}이라서 "
                         f"{josa(cheap.name, '이가')} {diff} 더 저렴해요." if diff and a.price != b.price
                         else f"두 제품 모두 {price_of(a, lang)}이에요.")
        else:
            parts.append(f"{the(a.name, cap=True)} is {price_of(a, lang)} and {the(b.name)} is {price_of(b, lang)}, so "
                         f"{the(cheap.name)} is {diff} cheaper." if a.price != b.price
                         else f"Both cost {price_of(a, lang)}.")
    fa, fb = set(a.features), set(b.features)
    only_a, only_b, both = [f for f in a.features if f not in fb], [f for f in b.features if f not in fa], [f for f in a.features if f in fb]
    for p, only in ((a, only_a), (b, only_b)):
        if only:
            parts.append(f"{p.name}에만 있는 것: {join(only, 'ko')}." if ko else f"Only {the(p.name)} has {join(only)}.")
    if both:
        parts.append(f"둘 다 {join(both, 'ko')}." if ko else f"Both have {join(both)}.")
    for key in sorted(set(a.attrs) & set(b.attrs)):
        if a.attrs[key] != b.attrs[key] and len(parts) < 6:
            parts.append(f"{key}: {a.name} {a.attrs[key]}, {b.name} {b.attrs[key]}." if ko
                         else f"{key.capitalize()}: {a.attrs[key]} for {the(a.name)}, {b.attrs[key]} for {the(b.name)}.")
    out = [p for p in (a, b) if p.stock == 0]
    if out:
        parts.append(f"{join([p.name for p in out], 'ko')}: 지금 품절이에요." if ko
                     else f"Note: the {join([p.name for p in out])} {'is' if len(out) == 1 else 'are'} out of stock right now.")
    elif a.stock and b.stock:
        parts.append("두 제품 모두 재고가 있어요." if ko else "Both are in stock.")
    return SalesAnswer("answered", " ".join(parts), (a, b), "compare")


def _alternatives(q: Query, catalog: Catalog, base: Product) -> SalesAnswer:
    """"Anything cheaper?" after a product: the same category, cheaper (or pricier), in stock first."""
    ko, lang = q.lang == "ko", q.lang
    if base.price is None:
        return _lookup(q, (base,))
    cheaper = q.comparative == "cheaper"
    alts = [p for p in catalog.products if p is not base and p.price is not None and p.category == base.category
            and (p.price < base.price if cheaper else p.price > base.price)]
    alts.sort(key=lambda p: (p.stock == 0, -p.price if cheaper else p.price))
    kind = base.category or ("제품" if ko else "product")
    if not alts:
        text = (f"{josa(base.name, '이가')} 가장 {'저렴한' if cheaper else '비싼'} {kind}예요 ({price_of(base, lang)})." if ko
                else f"{the(base.name, cap=True)} is already our {'cheapest' if cheaper else 'most expensive'} {kind}, at {price_of(base, lang)}.")
        return SalesAnswer("answered", text, (base,), "filter")
    listed = alts[:3]
    if ko:
        text = f"{base.name}보다 {'저렴한' if cheaper else '비싼'} {kind}: {join([short(p, lang) for p in listed], 'ko')}."
    else:
        text = f"{'Cheaper' if cheaper else 'Pricier'} than {the(base.name)}: {join([short(p, lang) for p in listed])}."
    return SalesAnswer("answered", text, tuple(listed), "filter")
