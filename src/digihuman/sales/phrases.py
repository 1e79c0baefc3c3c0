"""Writing catalog values into English or Korean sentences: money, lists, Korean particles.

Every sentence template takes values from a :class:`Product` and nothing else, so a reply can
only say what the catalog says.
"""

from __future__ import annotations

from .catalog import Product

_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
# Final consonant (batchim) of each digit as read in Sino-Korean: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_BATCHIM = dict(zip("0123456789", (True, True, False, True, False, False, True, True, True, False)))


def money(amount: float | None, currency: str, lang: str = "en") -> str:
    """"1,290,000 won" / "1,290,000원" / "$12.50"; "" for an unknown price."""
    if amount is None:
        return ""
    num = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    if currency == "KRW":
        return f"{num}원" if lang == "ko" else f"{num} won"
    if currency in _SYMBOL:
        return f"{_SYMBOL[currency]}{num}"
    return f"{num} {currency}".strip()


def join(items: list[str], lang: str = "en", word: str = "and") -> str:
    """"a, b and c" (English) or "a, b, c" (Korean)."""
    items = [i for i in items if i]
    if lang == "ko" or len(items) < 2:
        return ", ".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def batchim(word: str) -> bool:
    """Whether ``word`` ends in a consonant sound (picks 은/는, 이/가, 을/를, 과/와)."""
    w = word.rstrip(" )")
    if not w:
        return False
    ch = w[-1]
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28 != 0
    if ch.isdigit():
        return _DIGIT_BATCHIM[ch]
    return ch.lower() in "lmn" or w.lower().endswith("ng")


def josa(word: str, pair: str) -> str:
    """``word`` with the right particle of ``pair`` ("은는", "이가", "을를", "과와")."""
    return word + (pair[0] if batchim(word) else pair[1])


def price_of(p: Product, lang: str) -> str:
    return money(p.price, p.currency, lang)


def stock_phrase(p: Product, lang: str) -> str:
    """"4 in stock" / "out of stock" / "" (unknown)."""
    if p.stock is None:
        return ""
    if lang == "ko":
        return f"재고 {p.stock}개" if p.stock > 0 else "품절"
    return f"{p.stock} in stock" if p.stock > 0 else "out of stock"


def short(p: Product, lang: str, *, stock: bool = True) -> str:
    """"the Nova A3 (329,000 won, 20 in stock)" for lists."""
    bits = [b for b in (price_of(p, lang), stock_phrase(p, lang) if stock else "") if b]
    inner = f" ({', '.join(bits)})" if bits else ""
    return f"{p.name}{inner}" if lang == "ko" else f"{the(p.name)}{inner}"


def plural(word: str) -> str:
    """English plural of a category name for "any laptops"; already-plural words stay."""
    w = word.strip()
    if not w or w.endswith("s") or not w.isascii():
        return w
    if w.endswith(("ch", "sh", "x")):
        return w + "es"
    if w.endswith("y") and w[-2:-1] not in "aeiou":
        return w[:-1] + "ies"
    return w + "s"


def the(name: str, *, cap: bool = False) -> str:
    """"the Aero 14", but "The Silent Orchard" keeps its own article."""
    own = name.split(" ", 1)[0].lower() in ("the", "a", "an")
    out = name if own else f"the {name}"
    return out[0].upper() + out[1:] if cap else out
