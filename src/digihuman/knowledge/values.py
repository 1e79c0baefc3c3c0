"""Typed values in knowledge sentences and questions: money, clock times, weekdays, calendar dates.

Small parsers for the shapes shop documents use ("9:00-18:00", "10am to 5pm", "$3.20",
"12,000 won", "₩12,000", "오후 8시", "Monday to Friday", "24, 25 and 26 December"), so that
reasoning can compare a time with opening hours or add prices up without guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_SYMBOL = {"$": "$", "€": "€", "£": "£", "₩": "₩", "¥": "¥", "dollar": "$", "dollars": "$", "usd": "$",
           "euro": "€", "euros": "€", "eur": "€", "pound": "£", "pounds": "£", "gbp": "£", "won": "₩",
           "원": "₩", "krw": "₩", "yen": "¥"}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = re.compile(rf"([$€£₩¥])\s?({_NUM})|({_NUM})\s?(원|won\b|dollars?\b|euros?\b|pounds?\b|usd\b|eur\b|gbp\b|krw\b)",
                    re.I)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_KO_DAYS = ("월", "화", "수", "목", "금", "토", "일")
_DAY = re.compile(r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?\b\.?|\b(wednesday|saturday)s?\b"
                  r"|([월화수목금토일])요일|(평일|주말|weekdays?|weekends?|daily|every day|매일)", re.I)
_DAY_SEP = re.compile(r"^\s*(?:to|until|till|through|thru|-|–|~|부터)\s*$", re.I)
_CLOCK = re.compile(r"(?<![\d,.])(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])|(?<![\d,.])(\d{1,2})[:.](\d{2})(?![\d])"
                    r"|\b(noon|midday|midnight)\b|(오전|오후|낮|저녁|밤)?\s*(\d{1,2})시(?:\s*(\d{1,2})분|\s*(반))?"
                    # a bare hour after a time preposition: "opens at 9", "until 6" (not "at 9 km")
                    r"|\b(?:opens?|closes?|opening|closing|until|till)\s+(?:at\s+)?(\d{1,2})(?![\d:]|[.,]\d|[a-z]|\s*(?:a\.?m|p\.?m|%|percent|"
                    r"[km]?[mg]\b|mins?\b|minutes?|h\b|hrs?\b|hours?|days?|weeks?|months?|years?|people|persons?|guests?|"
                    r"kids|children|adults|items?|pieces?|euros?|dollars?|pounds?|won\b|x\b|st\b|nd\b|rd\b|th\b))",
                    re.I)
_RANGE_SEP = re.compile(r"^\s*(?:-|–|—|~|to|until|till|부터)\s*$", re.I)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAYS_MONTH = re.compile(rf"\b({_ORD}(?:\s*(?:,|and|&|or)\s*{_ORD})*)(?:\s*(?:-|–|to)\s*{_ORD})?\s+(?:of\s+)?{_MON}(?![a-z])", re.I)
_MONTH_DAYS = re.compile(rf"\b{_MON}\s+{_ORD}(?:\s*(?:-|–|to)\s*{_ORD})?\b", re.I)
_KO_DATE = re.compile(r"(\d{1,2})월\s*(\d{1,2})일")
_NAMED_DATES = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "boxing day": (12, 26),
                "new year's eve": (12, 31), "new years eve": (12, 31), "new year's day": (1, 1),
                "new years day": (1, 1), "new year": (1, 1), "크리스마스": (12, 25), "성탄절": (12, 25), "신정": (1, 1)}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "couple": 2, "pair": 2, "three": 3, "four": 4,
                 "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "dozen": 12,
                 "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5}


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str  # a symbol: "$", "£", "€", "₩", "¥"
    start: int = 0  # character offset in the text it was found in


def money(text: str) -> list[Money]:
    """Amounts of money in ``text`` ("$3.20", "12,000 won", "₩12,000", "25,000원")."""
    out = []
    for m in _MONEY.finditer(text):
        sym, num = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out.append(Money(float(num.replace(",", "")), _SYMBOL[sym.lower()], m.start()))
    return out


def format_money(amount: float, currency: str, lang: str = "en") -> str:
    """"£2.80", "$12", "12,000 won" / "12,000원" (won and yen have no cents)."""
    if currency in ("₩", "¥"):
        num = f"{amount:,.0f}"
        return f"{num}원" if lang == "ko" and currency == "₩" else f"{num} {'won' if currency == '₩' else 'yen'}"
    num = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    return f"{currency}{num}"


def count_word(word: str) -> int | None:
    """2 for "two"/"2"/"두", None when ``word`` is no count."""
    w = word.lower()
    return int(w) if w.isdigit() and int(w) < 1000 else _NUMBER_WORDS.get(w)


# ---- clock times ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clock:
    minutes: int  # minutes after midnight
    start: int
    end: int
    meridiem: bool  # written with am/pm (or 오전/오후): answer in the same style


def clocks(text: str) -> list[Clock]:
    """Clock times in ``text`` in order ("7:30pm", "19:00", "noon", "오후 8시 반")."""
    out = []
    for m in _CLOCK.finditer(text):
        if m.group(1):
            h, mi, ap = int(m.group(1)), int(m.group(2) or 0), m.group(3).lower()[0]
            h = h % 12 + (12 if ap == "p" else 0)
            mer = True
        elif m.group(4):
            h, mi, mer = int(m.group(4)), int(m.group(5)), False
        elif m.group(6):
            h, mi, mer = (0 if m.group(6).lower() == "midnight" else 12), 0, True
        elif m.group(11):
            h, mi, mer = int(m.group(11)), 0, False
            if 1 <= h <= 7:
                h += 12  # shop hours: an unmarked 1-7 is afternoon ("closes at 6"), 8-12 morning/noon
        else:
            part, h = m.group(7) or "", int(m.group(8))
            mi = 30 if m.group(10) else int(m.group(9) or 0)
            if part in ("오후", "저녁", "밤") and h < 12 or not part and 1 <= h <= 7:
                h += 12  # "8시" in shop hours is 8 pm; an unmarked 1-7 is afternoon
            mer = bool(part)
        if h <= 24 and mi < 60:
            out.append(Clock(h * 60 + mi, m.start(), m.end(), mer))
    return out


def time_ranges(text: str) -> list[tuple[Clock, Clock]]:
    """Pairs of clock times joined by "-", "to", "until", "~", "부터" ("10am to 5pm")."""
    cs = clocks(text)
    out = []
    for a, b in zip(cs, cs[1:]):
        gap = text[a.end:b.start]
        gap = re.sub(r"^\s*(?:in the (?:morning|evening|afternoon))", "", gap, flags=re.I)
        between = gap.strip().lower() == "and" and re.search(r"\bbetween\s*$", text[:a.start], re.I)
        if (_RANGE_SEP.match(gap) or between) and b.minutes != a.minutes:
            close = b.minutes + (12 * 60 if not b.meridiem and b.minutes < a.minutes and b.minutes < 12 * 60 else 0)
            out.append((a, Clock(close, b.start, b.end, b.meridiem)))
    return out


def format_clock(minutes: int, meridiem: bool, lang: str = "en") -> str:
    """"7:30pm" / "19:30" / "오후 7시 30분" for ``minutes`` after midnight."""
    if minutes % (24 * 60) == 0:
        return "자정" if lang == "ko" else "midnight"
    h, m = divmod(minutes % (24 * 60), 60)
    if lang == "ko":
        part = "오전" if h < 12 else "오후"
        return f"{part} {h % 12 or 12}시" + (f" {m}분" if m else "")
    if meridiem:
        return f"{h % 12 or 12}" + (f":{m:02d}" if m else "") + ("am" if h < 12 else "pm")
    return f"{h}:{m:02d}"


# ---- weekdays ------------------------------------------------------------------------------------
def _day_set(m: re.Match) -> set[int]:
    g = (m.group(0) or "").lower().rstrip(".")
    if m.group(3):
        return {_KO_DAYS.index(m.group(3))}
    if m.group(4):
        word = m.group(4).lower()
        return set(range(5)) if word.startswith(("weekday", "평일")) else {5, 6} if word.startswith(("weekend", "주말")) \
            else set(range(7))
    return {next(i for i, d in enumerate(WEEKDAYS) if g.startswith(d[:3]))}


def weekdays(text: str) -> list[tuple[set[int], int, int]]:
    """Weekday mentions in order as (days, start, end); "Monday to Friday" is one mention of five days."""
    # "sun", "sat", "wed" are words too: an abbreviation counts only when capitalised ("Sat", "Mon-Fri")
    found = [(m, _day_set(m)) for m in _DAY.finditer(text)
             if not (m.group(1) and "day" not in m.group(0).lower() and m.group(0)[0].islower())]
    out: list[tuple[set[int], int, int]] = []
    i = 0
    while i < len(found):
        m, days = found[i]
        if i + 1 < len(found) and _DAY_SEP.match(text[m.end():found[i + 1][0].start()]) and len(days) == 1:
            a, b = min(days), min(found[i + 1][1])
            out.append(({(a + k) % 7 for k in range((b - a) % 7 + 1)}, m.start(), found[i + 1][0].end()))
            i += 2
            continue
        out.append((days, m.start(), m.end()))
        i += 1
    return out


# ---- calendar dates ------------------------------------------------------------------------------
def _month(word: str) -> int:
    return next(i + 1 for i, mo in enumerate(MONTHS) if mo.startswith(word.lower()[:3]))


def calendar_days(text: str) -> list[tuple[int, int]]:
    """(month, day) pairs named in ``text``: "24, 25 and 26 December", "Dec 24-26", "12월 25일", "Christmas Day"."""
    out: list[tuple[int, int]] = []
    low = text.lower()
    for name, md in _NAMED_DATES.items():
        if name in low:
            out.append(md)
            low = low.replace(name, " ")
    for m in _DAYS_MONTH.finditer(low):
        mon = _month(m.group(m.lastindex))
        nums = [int(n) for n in re.findall(r"\d{1,2}", m.group(0))]
        if re.search(r"\d\s*(?:-|–|to)\s*\d", m.group(0)) and len(nums) == 2:
            nums = list(range(nums[0], nums[1] + 1))
        out += [(mon, d) for d in nums if 1 <= d <= 31]
    for m in _MONTH_DAYS.finditer(low):
        mon = _month(m.group(1))
        nums = [int(n) for n in re.findall(r"\d{1,2}", m.group(0))]
        nums = list(range(nums[0], nums[-1] + 1)) if len(nums) == 2 else nums
        out += [(mon, d) for d in nums if 1 <= d <= 31]
    out += [(int(a), int(b)) for a, b in _KO_DATE.findall(text) if 1 <= int(a) <= 12 and 1 <= int(b) <= 31]
    return list(dict.fromkeys(out))


def question_date(text: str, now: datetime) -> date | None:
    """The day a question is about: "today", "tomorrow", a weekday, "25 December", "next Friday" (dateparser)."""
    low = text.lower()
    if re.search(r"\b(today|tonight|now|this evening|right now)\b|오늘|지금", low):
        return now.date()
    if re.search(r"\btomorrow\b|내일", low):
        return date.fromordinal(now.toordinal() + 1)
    md = calendar_days(text)
    if md:
        mon, day = md[0]
        try:
            d = date(now.year, mon, day)
        except ValueError:
            return None
        return d if d >= now.date() else date(now.year + 1, mon, day)
    if re.search(r"\b(next|this|coming)\s+(week|month)\b|\bin \d+ days\b", low):
        import dateparser  # only for relative phrases our own patterns do not cover

        got = dateparser.parse(re.search(r"(next|this|coming)\s+\w+|in \d+ days", low).group(0), languages=["en"],
                               settings={"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future"})
        return got.date() if got else None
    return None
