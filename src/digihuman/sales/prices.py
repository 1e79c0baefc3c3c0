"""Price limits in a shopper's words: "under 500,000 won", "50만원 이하", "between 1 and 2 million won".

Only numbers that are money count: with a currency or a multiplier ("500k", "1.5 million",
"50만"), or after a limit word ("under 500000"); "27-inch", "8 GB" or "2 years" never are.
"""

from __future__ import annotations

import re

_NOT_PRICE_UNIT = re.compile(r"\s*(?:-\s*)?(?:inch|in\b|\"|kg|g\b|gb|tb|mb|hz|mp|mah|hour|hr|day|week|month|year|"
                             r"mm|cm|m²|w\b|%|x\b|개|인치|시간|일|년)", re.I)
_AMOUNT = re.compile(
    r"(?P<cur>[₩$€£])?\s*(?P<num>\d[\d,]*(?:\.\d+)?|(?:a|one|two|three|four|five)(?=\s+(?:million|thousand)))"
    r"\s*(?P<mul>k\b|thousand|million|mil\b|m\b|천|만|백만|억)?\s*(?P<unit>원|won\b|krw\b|dollars?\b|usd\b|euros?\b|bucks\b)?",
    re.I)
_MUL = {"k": 1e3, "thousand": 1e3, "million": 1e6, "mil": 1e6, "m": 1e6, "천": 1e3, "만": 1e4, "백만": 1e6, "억": 1e8}
_WORDNUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_MAX_BEFORE = re.compile(r"(under|below|less than|cheaper than|up to|upto|max(?:imum)?|at most|no more than|not more than|"
                         r"within|budget(?: is| of)?|below|spend|예산)\W*$", re.I)
_MIN_BEFORE = re.compile(r"(over|above|more than|at least|from|starting at|min(?:imum)?)\W*$", re.I)
_MAX_AFTER = re.compile(r"^\W*(or less|or under|or below|max|tops|이하|미만|까지|이내|안쪽|내로|내외|아래|밑)", re.I)
_MIN_AFTER = re.compile(r"^\W*(or more|or above|plus|\+|이상|초과|넘)", re.I)
_RANGE_JOIN = re.compile(r"^\s*(and|to|-|~|–|에서|부터|와|과)\s*$", re.I)


def _amounts(text: str) -> list[tuple[int, int, float, bool]]:
    """(start, end, value, qualified) for each number; qualified = has a currency, unit or multiplier."""
    out = []
    for m in _AMOUNT.finditer(text):
        num = m.group("num")
        if not num or (m.end() < len(text) and not m.group("mul") and not m.group("unit")
                       and _NOT_PRICE_UNIT.match(text, m.end())):
            continue
        if num.lower() in _WORDNUM:
            value = float(_WORDNUM[num.lower()])
        else:
            value = float(num.replace(",", ""))
        mul = (m.group("mul") or "").lower()
        value *= _MUL.get(mul, 1.0)
        qualified = bool(m.group("cur") or mul or m.group("unit"))
        out.append((m.start("num") if not m.group("cur") else m.start(), m.end(), value, qualified))
    return out


def price_limits(text: str) -> tuple[float | None, float | None]:
    """(min, max) price asked for: "under 500,000 won", "50만원 이하", "between 1 and 2 million won"."""
    amounts = _amounts(text)
    lo = hi = None
    for i, (a, b, v, q) in enumerate(amounts):
        if i + 1 < len(amounts) and _RANGE_JOIN.match(text[b:amounts[i + 1][0]]):
            a2, b2, v2, q2 = amounts[i + 1]
            if q or q2:
                m = _AMOUNT.match(text, a2)
                mul = _MUL.get((m.group("mul") or "").lower(), 1.0) if m else 1.0
                if not q and mul > 1 and v * mul <= v2:  # "between 1 and 2 million": the 1 is a million too
                    v *= mul
                return min(v, v2), max(v, v2)
        before, after = text[max(0, a - 30):a], text[b:b + 12]
        if _MAX_BEFORE.search(before) or _MAX_AFTER.match(after):
            hi = v if hi is None else min(hi, v)
        elif _MIN_BEFORE.search(before) or _MIN_AFTER.match(after):
            lo = v if lo is None else max(lo, v)
        elif q and re.search(r"(around|about|approximately|roughly|쯤|정도|대)\W*$", before + after[:3], re.I):
            hi = v * 1.1 if hi is None else hi
        elif q and hi is None and lo is None:
            hi = v  # "a laptop for 800,000 won": what they mean to spend
    return lo, hi
