"""What a shopper's message asks of the catalog: products, price limits, stock, the attribute asked.

English goes through spaCy (lemmas, noun chunks, POS: "laptops" -> laptop, "book" the verb is no
product) and Korean through Kiwi (nouns, "50만원 이하"). The result is a frozen :class:`Query`;
:mod:`.answer` decides what to say from it. Nothing here invents a value: it only points at
products and columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..dialog.knowledge import STOPWORDS, stem, terms
from ..dialog.types import Turn
from .catalog import Catalog, Product
from .match import KO_KINDS, find_category, find_products, products_in_text
from .prices import price_limits

# Words that carry the request rather than name a thing (lemmas; Korean as stems found in text).
PRICE = {"price", "cost", "much", "expensive", "cheap", "pay", "charge", "priced", "pricey", "afford", "affordable"}
STOCK = {"stock", "available", "availability", "left", "sell", "sold", "order", "deliver", "store"}
FEATURES = {"feature", "spec", "specs", "specification", "detail", "describe", "special", "offer", "include",
            "good", "like", "info", "information"}
COMPARE = {"compare", "comparison", "vs", "versus", "difference", "differ", "better", "between", "which"}
RECOMMEND = {"recommend", "suggest", "suggestion", "need", "look", "looking", "want", "best", "ideal", "suitable",
             "advice", "advise", "should", "gift", "present", "something", "anything", "use"}
LIST = {"have", "show", "list", "carry", "option", "choice", "range", "sell", "any", "what", "which"}
CUES = PRICE | STOCK | FEATURES | COMPARE | RECOMMEND | LIST | set(STOPWORDS)
_HAVING = {"have", "support", "include", "come", "offer", "feature", "work", "take", "use", "fit", "get"}
_VAGUE_ASK = {"moment", "now", "today", "currently", "right", "please", "thank", "thanks", "lot", "bit"}
# Attributes shoppers ask about: (cue words; "weak" cues that count only when nothing else is
# asked, e.g. "long" in "how long is the delivery?"; the column names a catalog may store it under).
ATTRS = {
    "weight": (("weigh", "weight", "heavy", "heavier", "무게", "가벼", "무거"), ("light", "lighter"), ("weight", "무게")),
    "material": (("material", "fabric", "재질", "소재"), (), ("material", "fabric", "재질", "소재")),
    "size": (("size", "dimension", "dimensions", "measurement", "measure", "크기", "사이즈", "치수"),
             ("big", "large", "wide", "tall", "long", "small"), ("dimensions", "size", "measurements", "크기", "사이즈")),
    "colour": (("colour", "color", "색", "색상", "컬러"), (), ("colour", "color", "색상", "색")),
    "brand": (("brand", "maker", "manufacturer", "브랜드", "제조사"), (), ("brand", "maker", "manufacturer")),
    "warranty": (("warranty", "guarantee", "보증"), (), ("warranty", "guarantee", "보증")),
    "author": (("author", "writer", "write", "wrote", "written", "작가", "저자", "지은이"), (), ("author", "writer", "작가", "저자")),
}
# Nouns that only name the product itself ("the python book", "this model"): never an asked thing.
_PRODUCT_NOUNS = {"product", "item", "model", "device", "unit", "piece", "set", "version", "edition", "book", "one"}
_KO = {"price": ("가격", "얼마", "비싸", "비쌉", "싸", "저렴", "값"), "stock": ("재고", "품절", "살 수", "구매 가능", "있나요", "있어요"),
       "features": ("특징", "기능", "사양", "스펙", "어때", "장점", "설명"), "compare": ("비교", "차이", "vs", "아니면", "중에", "중 ", "나아"),
       "recommend": ("추천", "필요", "찾", "좋은", "괜찮은", "쓸 ", "용으로", "예산"), "cheapest": ("제일 싼", "가장 싼", "제일 저렴", "가장 저렴", "최저"),
       "priciest": ("제일 비싼", "가장 비싼", "최고가"), "cheaper": ("더 싼", "더 저렴", "싼 거", "저렴한 거"), "list": ("있어요", "있나요", "뭐", "어떤", "보여")}
_VAGUE = {"time", "hour", "day", "way", "thing", "stuff", "item", "product", "question", "help", "one", "kind", "type",
          "제품", "물건", "상품", "거", "것"}
_SELL_VERBS = {"sell", "carry", "stock", "offer"}
_LIST_VERBS = {"have", "sell", "carry", "stock", "offer", "show", "find", "get", "buy", "there"}
_REFER_EN = {"it", "that", "this", "them", "those", "these", "one", "ones", "both", "first", "second", "third", "last",
             "former", "latter", "which"}
_REFER_KO = ("이거", "그거", "저거", "이것", "그것", "저것", "이 제품", "그 제품", "둘", "첫 번째", "두 번째", "세 번째", "마지막", "어느", "어떤 게")
_KO_STOP = {"이하", "이상", "미만", "초과", "만", "원", "천", "억", "예산", "사이", "가격", "재고", "추천", "제품", "거", "것",
            "뭐", "정도", "쯤", "비교", "차이", "기능", "특징", "구매", "주문", "번째", "제일", "가장"}
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1, "former": 0, "latter": 1,
             "첫": 0, "두": 1, "세": 2, "네": 3, "마지막": -1}
_POINTERS = _REFER_EN | set(_ORDINALS) | {"next", "previous", "other", "another"}
_NOT_ASKED = _HAVING | CUES | _POINTERS | _VAGUE_ASK | _VAGUE
_MONEY_WORDS = {"won", "krw", "dollar", "dollars", "usd", "euro", "euros", "bucks", "million", "thousand", "k", "budget"}


@dataclass(frozen=True)
class Query:
    """A shopper's message read against the catalog."""

    lang: str
    named: tuple[Product, ...] = ()
    """Products named in the message, in reading order."""
    referents: tuple[Product, ...] = ()
    """Products of the previous turns the message points back to ("that one", "the second one")."""
    category: str = ""
    """A catalog category the message asks about."""
    category_exact: bool = True
    """False when the category was found by meaning only ("coffee" -> espresso machine): a hint, not a filter."""
    category_word: str = ""
    """The message's own word for it ("notebook", "노트북"), for the reply."""
    kind_word: str = ""
    """A kind of product asked for ("tablets") when no catalog category matched it."""
    min_price: float | None = None
    max_price: float | None = None
    in_stock: bool = False
    """Only products in stock ("what's in stock?", "available now")."""
    sort: str = ""
    """"cheap" (cheapest first) or "expensive"."""
    comparative: str = ""
    """"cheaper", "pricier", "lighter", "heavier" when the message compares ("which one is cheaper?")."""
    asks: tuple[str, ...] = ()
    """What is asked about the product(s): "price", "stock", "features", an attribute column, "brand"."""
    unknown: tuple[str, ...] = ()
    """Things asked about that may not be in the catalog ("battery life", "touchscreen")."""
    compare: bool = False
    recommend: bool = False
    listing: bool = False
    """The message asks what there is ("do you have", "show me", "what's in stock")."""
    needs: str = ""
    """The stated needs, for recommending ("something light for travel")."""
    question: bool = False
    suitability: str = ""
    """Who or what a product should suit ("your mum" from "is it good for my mum?"); "" if not asked."""
    refers: bool = False
    """The message points back with a word ("it", "that one", "the second", "그거")."""
    yesno: bool = False
    """A yes/no question ("Does it have...?", "Is it...?", "있나요?")."""
    words: frozenset[str] = field(default_factory=frozenset)
    """Lemmas (English) or nouns/stems (Korean) of the message, lower-case."""

    @property
    def products(self) -> tuple[Product, ...]:
        return self.named or self.referents

    @property
    def has_filter_beyond_category(self) -> bool:
        return bool(self.min_price is not None or self.max_price is not None or self.in_stock or self.sort)

    @property
    def has_filter(self) -> bool:
        return bool(self.category or self.min_price is not None or self.max_price is not None or self.in_stock
                    or self.sort)


def _referents(message_words: set[str], text: str, history: Sequence[Turn], catalog: Catalog,
               lang: str) -> tuple[Product, ...]:
    """Products the message points back to: the last reply that named some, or the user's last message."""
    refers = bool(message_words & _REFER_EN) if lang == "en" else any(w in text for w in _REFER_KO)
    recent = [t for t in list(history)[-8:]][::-1]
    # "which one is cheaper?" chooses among several: skip back past a turn about a single product
    choose = bool(message_words & ({"which", "better", "both"} | set(_ORDINALS))) or any(
        w in text for w in ("어느", "둘 중", "어떤 게", "번째"))
    for turn in recent:
        found = products_in_text(turn.text, catalog)
        if not found and turn.role == "user":
            found = [m.product for m in find_products(turn.text, catalog)]
        if len(found) == 1 and choose and any(len(products_in_text(t.text, catalog)) > 1 for t in recent):
            continue
        if found:
            ordinal = next((i for w, i in _ORDINALS.items() if (w in message_words if lang == "en" else f"{w} 번째" in text
                            or f"{w}번째" in text or (w == "마지막" and w in text))), None)
            if ordinal is not None and len(found) > 1:
                return (found[ordinal] if -len(found) <= ordinal < len(found) else found[-1],)
            short = len(text.split()) <= 6  # "how much?", "and the price?": elliptical, so about the last ones
            return tuple(found) if refers or (short and len(found) <= 3) else ()
    return ()


def _english(text: str, catalog: Catalog):
    from ..dialog.nlp import parse

    doc = parse(text)

    def lone_word_ok(tok) -> bool:  # "book a visit": a verb is not the Nuri Book Air
        span = doc.char_span(tok.start, tok.end, alignment_mode="expand")
        return span is None or all(t.pos_ in ("NOUN", "PROPN", "NUM", "X", "ADJ") for t in span)

    named = find_products(text, catalog, generic_ok=lone_word_ok)
    spans = [(m.start, m.end) for m in named]
    # The message's own words, outside product names ("Small Kitchen Big Flavour" asks no size)
    free = [t for t in doc if not any(a <= t.idx < b for a, b in spans)]
    lemmas = {t.lemma_.lower() for t in free} | {t.lower_ for t in free}
    nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN") and not any(a <= t.idx < b for a, b in spans)]
    # The things asked about: runs of content words outside product names, after dropping request
    # words and "having" verbs ("Does the X support fast charging?" -> "fast charging"). Runs, not
    # noun chunks: the small parser often glues the product and the asked thing into one chunk.
    chunks, run, article = [], [], ""
    for t in list(doc) + [None]:
        keep = t is not None and not any(a <= t.idx < b for a, b in spans) and not t.is_stop and \
            t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM", "VERB") and t.lemma_.lower() not in _NOT_ASKED | _PRODUCT_NOUNS and \
            not (t.pos_ == "VERB" and t.tag_ != "VBG" and t.dep_ != "amod") and any(ch.isalnum() for ch in t.text) and \
            t.ent_type_ not in ("MONEY", "DATE", "TIME") and t.lower_ not in _MONEY_WORDS and \
            not (t.like_num and (t.head.lower_ in _MONEY_WORDS or t.i > 0 and doc[t.i - 1].text in "₩$€£"))
        if keep:
            if not run and t.i > 0 and doc[t.i - 1].lower_ in ("a", "an"):
                article = "a "
            run.append(t)
        elif run:  # the words as typed ("5G" stays one word though spaCy splits it)
            chunks.append(article + text[run[0].idx:run[-1].idx + len(run[-1].text)])
            run, article = [], ""
    # A kind of product asked for: a plural ("any tablets?") or the object of sell/carry/stock
    # ("do you sell coffee?"); "do you have a website?" may be a question for the shop's knowledge.
    kinds = [next((c for c in chunks if t.text in c.split()), t.text).removeprefix("a ") for t in nouns
             if t.head.lemma_.lower() in _LIST_VERBS and t.dep_ in ("dobj", "attr", "pobj", "nsubj")
             and (t.tag_ in ("NNS", "NNPS") or t.head.lemma_.lower() in _SELL_VERBS)]
    return doc, named, lemmas, nouns, chunks, kinds


def _korean(text: str, catalog: Catalog):
    from ..dialog.nlp import korean

    named = find_products(text, catalog)
    spans = [(m.start, m.end) for m in named]
    toks = korean().tokenize(text)
    kept = [t for t in toks if t.tag in ("NNG", "NNP", "SL", "SN") and t.form not in _KO_STOP
            and not any(a <= t.start < b for a, b in spans)]
    nouns = [t.form for t in kept if t.tag != "SN"]
    runs: list[list] = []  # adjacent nouns are one thing asked about ("배터리 용량", "무선 충전")
    for t in kept:
        if runs and t.start - (runs[-1][-1].start + runs[-1][-1].len) <= 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    chunks = [text[r[0].start:r[-1].start + r[-1].len] for r in runs if any(t.tag != "SN" for t in r)]
    free = [t for t in toks if not any(a <= t.start < b for a, b in spans)]
    lemmas = {t.form.lower() for t in free} | {t.lemma.lower() for t in free if t.lemma}
    sells = any(v in text for v in ("팔아요", "파나요", "팔아", "판매", "취급"))
    has = any(v in text for v in ("있어요", "있나요", "있습니까", "있니"))
    # "냉장고 있어요?" asks for a product kind; "주차장 있어요?" may be for the shop's knowledge
    kinds = [n for n in nouns[:1] if sells or (has and n in KO_KINDS)]
    return None, named, lemmas, nouns, chunks, kinds


_SUITS = re.compile(r"\b(?:good|suitable|ok|okay|right|ideal|great|fine|enough|work)\s+(?:\w+\s+){0,2}?(?:for|to|with)\s+"
                    r"([^?.!,;]+)", re.I)
_YOURS = {"my": "your", "me": "you", "i": "you", "our": "your", "us": "you", "mine": "yours"}


def _suits(text: str) -> str:
    """"your mum" from "Is it a good phone for my mum?" (the person's words, pronouns turned round)."""
    m = _SUITS.search(text)
    if not m:
        return ""
    return " ".join(_YOURS.get(w.lower(), w) for w in m.group(1).split())


def understand(message: str, catalog: Catalog, history: Sequence[Turn] = (), lang: str = "en") -> Query:
    """Read ``message`` (in ``lang``) against ``catalog`` and the recent ``history`` turns."""
    text = " ".join(message.split())
    doc, named, lemmas, nouns, chunks, sold = (_english if lang == "en" else _korean)(text, catalog)
    low = text.lower()
    words = set(lemmas)
    ko = lang != "en"

    def has(group: set[str], ko_key: str) -> bool:
        return any(k in low for k in _KO[ko_key]) if ko else bool(words & group)

    # Price limits: numbers inside a product name ("Aero 14") are not prices.
    masked = text
    for m in named:
        masked = masked[:m.start] + " " * (m.end - m.start) + masked[m.end:]
    lo, hi = price_limits(masked)
    noun_words = [t.lemma_.lower() for t in nouns if t.dep_ != "compound"] if not ko else nouns  # "coffee beans": beans
    # Multi-word kinds first ("robot vacuum", "air purifier"), then single nouns.
    kinds = ([c for c in chunks if len(c.split()) > 1] + noun_words) if not ko else noun_words
    cue_words = set(CUES)
    attr_words = {w.lower() for strong, weak, _ in ATTRS.values() for w in strong + weak} | {
        k for p in catalog.products for k in p.attrs}
    cue_words = cue_words | attr_words | _VAGUE
    kinds = [k for k in kinds if k.lower() not in cue_words]
    # Matching a word to a category by meaning costs an e5 query (~10 ms): only for shopping talk.
    shopping = lo is not None or hi is not None or bool(words & (PRICE | STOCK | RECOMMEND | _LIST_VERBS)) or (
        ko and any(k in low for key in ("price", "stock", "recommend", "list", "cheapest") for k in _KO[key]))
    category, kind_word, exact = find_category(kinds, catalog, semantic=not named and shopping)
    asks: list[str] = []
    # "how much light does it need?" asks an amount of light, not the price
    amount_of = re.search(r"\bhow much (?!is\b|are\b|does\b|do\b|did\b|for\b|would\b|will\b|was\b|were\b|money\b)[a-z]+", low)
    if (has(PRICE, "price") or "how much" in low) and not (amount_of and not words & (PRICE - {"much"})):
        asks.append("price")
    stock_words = {"stock", "available", "availability", "left", "sold"}
    if not re.search(r"\b(?:available|come|comes|sold) in\b", low) and (  # "available in blue" asks the colours
            has(stock_words, "stock") or "in stock" in low or "out of stock" in low
            or (not ko and named and "have" in words and "you" in words)):
        asks.append("stock")
    weak_words = {w for _, weak, _ in ATTRS.values() for w in weak}
    other_runs = [c for c in chunks if c.lower() not in weak_words]
    columns = {k for p in catalog.products for k in p.attrs}
    for attr, (strong, weak, _) in ATTRS.items():  # a cue that is itself a column ("light") names that column
        if any(c in words and c not in columns or (ko and c in text) for c in strong) or (
                not other_runs and any(c in words and c not in columns for c in weak)):
            asks.append(attr)
    if not ko and re.search(r"\bmade (?:of|from|out of)\b", low):
        asks.append("material")
    elif not ko and re.search(r"\b(?:who makes|made by|who made)\b", low):
        asks.append("brand")
    if has(FEATURES, "features") or (not ko and {"tell", "about"} <= words):
        asks.append("features")
    asked_attrs = {k for p in catalog.products for k in p.attrs}
    cue_stems = {stem(w) for w in cue_words}
    unknown = []
    for c in chunks:
        base = c.lower()
        if base in cue_words - columns or stem(base) in cue_stems - {stem(c) for c in columns} or (category and stem(kind_word) == stem(c)) \
                or (ko and any(base in cues or any(c2 in base for c2 in cues) for cues in _KO.values())):
            continue
        if ko and set(asks) - {"stock"} or base in attr_words - columns:  # Korean nouns around a request are its words
            continue
        unknown.append(c)
    if ko and unknown and named and not any(k in text for k in ("재고", "품절", "살 수", "구매 가능")):
        asks = [a for a in asks if a != "stock"]  # "X 리모컨 있어요?" asks about a remote, not the stock
    sort = ""
    if ko:
        sort = "cheap" if any(k in text for k in _KO["cheapest"]) else "expensive" if any(k in text for k in _KO["priciest"]) else ""
    elif re.search(r"\b(cheapest|least expensive|lowest[- ]priced?|most affordable|lowest price)\b", low):
        sort = "cheap"
    elif re.search(r"\b(most expensive|priciest|highest[- ]priced?|top[- ]end|premium)\b", low):
        sort = "expensive"
    comparative = ""
    if ko:
        comparative = "cheaper" if any(k in text for k in _KO["cheaper"]) else "lighter" if "가벼" in text else ""
    elif re.search(r"\b(cheaper|less expensive|more affordable|lower price)\b", low):
        comparative = "cheaper"
    elif re.search(r"\b(pricier|dearer|more expensive)\b", low):
        comparative = "pricier"
    elif re.search(r"\blighter\b", low):
        comparative = "lighter"
    elif re.search(r"\bheavier\b", low):
        comparative = "heavier"
    referents = () if named else _referents(words, text, history, catalog, lang)
    in_stock = bool(re.search(r"\b(in stock|available|availability|have right now|ready to ship)\b", low)) if not ko \
        else ("재고" in text and not named) or "구매 가능" in text
    compare = has(COMPARE, "compare") or (not ko and re.search(r"\b(or|and)\b", low) is not None and len(named) >= 2)
    recommend = has(RECOMMEND, "recommend") or (not ko and "look for" in low)
    listing = has(LIST, "list") or "in stock" in low
    needs = " ".join(w for w in re.split(r"[^\w'-]+", masked) if w) if recommend else ""
    if needs and not [t for t in terms(needs) if t not in cue_stems and t not in _NOT_ASKED]:
        needs = ""  # "what do you recommend?" states no need yet
    return Query(lang=lang, named=tuple(m.product for m in named), referents=referents, category=category,
                 category_word=kind_word if category else "", category_exact=exact, kind_word="" if category else next(
                     (k for k in sold if k.lower() not in cue_words and stem(k.lower()) not in cue_stems), ""),
                 min_price=lo, max_price=hi, in_stock=in_stock and not (named and "stock" in asks), sort=sort,
                 comparative=comparative, asks=tuple(dict.fromkeys(asks)), unknown=tuple(unknown),
                 compare=bool(compare), recommend=bool(recommend), listing=bool(listing), needs=needs,
                 suitability=_suits(text) if not ko else ("?" if any(
                     k in text for k in ("적합", "어울", "쓰기 좋", "에게 좋", "용으로 괜찮")) else ""),
                 refers=bool(words & _REFER_EN) if not ko else any(w in text for w in _REFER_KO),
                 yesno=bool(re.match(r"(do|does|is|are|can|has|have|will|would|could)\b", low)) if not ko
                 else bool(re.search(r"(있나요|있어요|있습니까|되나요|돼요|가능한가요|가능해요)\W*$", text)),
                 question=text.endswith("?") or bool(words & {"what", "which", "how", "do", "does", "is", "are", "can"}),
                 words=frozenset(words) | ({a for a in asked_attrs if a in low}))
