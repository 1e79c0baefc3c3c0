"""Everyday reasoning over typed facts: is it open then? is that day a holiday? what does it all cost?

Opening hours and closed days are read from sentences that name weekdays together with a time
range or a "closed" word; holidays from "closed" sentences that name calendar days. Every
answer is computed from those values and cites the sentences it came from, so nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..dialog.embed import embed_query
from . import values
from .index import Index, Unit
from .question import Question, has_day
from .select import COVERED, Found, coverage
from .terms import content_terms, match, normalise

_CLOSED = re.compile(r"\b(closed|shut|close)\b|휴무|쉽니다|쉬어요|쉽|문을 닫", re.I)
_HOURS_TITLE = re.compile(r"\b(open|opening|hours?|times?|schedule|when)\b|영업|시간", re.I)
_UNTIL = re.compile(r"\b(?:until|till|to)\s*$|까지", re.I)
_OPEN_Q = re.compile(r"\b(open|opened|close|closed|shut|come|visit|stop by|drop by|working)\b|영업|열|문|가도|방문", re.I)
_DAYS_EN = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
_DAYS_KO = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")


@dataclass(frozen=True)
class Schedule:
    hours: dict  # weekday (0 = Monday) -> (open minute, close minute) or None when closed
    holidays: dict  # (month, day) -> the unit that says so
    sources: dict  # weekday -> the unit that gave its hours
    meridiem: bool  # the document writes times with am/pm


def schedule(index: Index) -> Schedule:
    """Weekly opening hours and closed calendar days, as stated in the knowledge."""
    hours: dict = {}
    sources: dict = {}
    holidays: dict = {}
    meridiem = False
    # sentences under an hours heading first; elsewhere ("tours start at 11am every day the museum is
    # open") a day with times never overrides what the hours section said
    hours_first = sorted(index.units, key=lambda u: not _HOURS_TITLE.search(u.passage.title))
    for u in hours_first:
        in_hours = bool(_HOURS_TITLE.search(u.passage.title))
        if u.faq and not _OPEN_Q.search(u.passage.title):
            continue
        # clause by clause: "Mon-Fri 9am-6pm, Sat 9am-2pm, Sun closed"; a clause without days
        # continues the previous one ("open Tuesday to Sunday, 10am to 5pm")
        carried: list = []
        for clause in re.split(r"[,;]\s+(?!\d{1,2}(?:st|nd|rd|th)?\s*(?:,|and|&))", u.text):
            days = values.weekdays(clause) or ([] if values.calendar_days(clause) else carried)
            carried = days
            meridiem = _clause(u, clause, days, in_hours, hours, sources, holidays) or meridiem
    return Schedule(hours, holidays, sources, meridiem)


def _clause(u: Unit, text: str, days: list, in_hours: bool, hours: dict, sources: dict, holidays: dict) -> bool:
    """Read one clause into the schedule; True when it writes times with am/pm."""
    ranges = values.time_ranges(text)
    closed = bool(_CLOSED.search(text)) and not ranges
    if closed:
        for md in values.calendar_days(text):
            holidays[md] = u
    if not days:
        return False
    meridiem = False
    if ranges:
        meridiem = ranges[0][0].meridiem
        for i, (ds, start, _) in enumerate(days):
            a, b = ranges[min(i, len(ranges) - 1)] if len(ranges) == len(days) else ranges[0]
            for d in ds:
                if in_hours or d not in hours:
                    hours[d], sources[d] = (a.minutes, b.minutes), u
    elif closed:
        for ds, _, _ in days:
            for d in ds:
                if in_hours or d not in hours:
                    hours[d], sources[d] = None, u
    else:
        # "On Thursdays we stay open late until 8pm": a later closing time for those days
        late = [c for c in values.clocks(text) if _UNTIL.search(text[:c.start])]
        if late and _OPEN_Q.search(text):
            for ds, _, _ in days:
                for d in ds:
                    if hours.get(d):
                        hours[d], sources[d] = (hours[d][0], late[0].minutes), u
    return meridiem


_WHEN_WORDS = frozenset(normalise(w) for w in (*values.WEEKDAYS, *values.MONTHS, "pm", "am", "christmas", "xmas",
                                                 "eve", "day", "year", "new", "boxing", "noon", "midnight"))


_WHEN_KO = frozenset("오전 오후 아침 저녁 밤 낮 점심 새벽 시 분 반".split())


def is_open_question(q: Question, index: Index) -> bool:
    """A yes/no about being open at some time, naming nothing but the business and the time."""
    if q.expects != "YESNO" or not _OPEN_Q.search(q.text):
        return False
    # "can I come with my dog on Friday?" is about the dog, not the hours
    return all(k in _WHEN_WORDS or k in _WHEN_KO or k.isdigit() or has_day(k) or match(k, index.self_terms) >= COVERED
               for k in q.keys)


def opening(q: Question, index: Index, now: datetime) -> Found | None:
    """"Are you open at 7:30pm on Friday?" checked against the hours; None when hours do not decide it."""
    if not is_open_question(q, index):
        return None
    day = next((min(ds) for ds, _, _ in values.weekdays(q.text) if len(ds) == 1), None)
    when = values.question_date(q.text, now)
    clock = next(iter(values.clocks(q.text)), None)
    bare = re.search(r"\b(?:at|by|around|after|before)\s+(\d{1,2})\b(?![:.]\d|\s*(?:am|pm|a\.m|p\.m|%))", q.text, re.I)
    if clock is None and bare and 1 <= int(bare.group(1)) <= 12:
        h = int(bare.group(1))  # "at 9": shop hours run in the day, so 1-7 is afternoon, 8-11 morning
        clock = values.Clock((h + 12 if h <= 7 else h) * 60, bare.start(1), bare.end(1), True)
    if clock is None and re.search(r"\b(now|right now|at the moment|currently)\b|지금", q.text.lower()):
        clock = values.Clock(now.hour * 60 + now.minute, 0, 0, True)
    if day is None and when is None and clock is None:
        return None
    sch = schedule(index)
    lang = q.lang
    if when is not None and (when.month, when.day) in sch.holidays:
        u = sch.holidays[(when.month, when.day)]
        return Found("answered", (u,), "no", _say_holiday(when, lang))
    if day is None:
        day = when.weekday() if when is not None else now.weekday()  # a bare "at 8pm?" means today
    if day not in sch.hours:
        return None
    span, src = sch.hours[day], sch.sources[day]
    mer = sch.meridiem
    fmt = lambda m: values.format_clock(m, mer, lang)  # noqa: E731
    dname = _DAYS_KO[day] if lang == "ko" else _DAYS_EN[day]
    if when is not None and values.calendar_days(q.text) and not values.weekdays(q.text):
        # a date was asked ("on New Year's Eve"): name it, with its weekday, instead of "on Thursdays"
        month = values.MONTHS[when.month - 1].capitalize()
        dname = f"{when.month}월 {when.day}일({_DAYS_KO[day][0]})" if lang == "ko" else \
            f"{_DAYS_EN[day][:-1]} {when.day} {month}"
    if span is None:
        text = f"아니요, {dname}은 휴무예요." if lang == "ko" else f"No, we are closed on {dname}."
        return Found("answered", (src,), "no", text)
    start, end = span
    if clock is None:
        text = (f"네, {dname}은 {fmt(start)}부터 {fmt(end)}까지 영업해요." if lang == "ko"
                else f"Yes, on {dname} we are open from {fmt(start)} to {fmt(end)}.")
        return Found("answered", (src,), "yes", text)
    t = clock.minutes
    if start <= t < end:
        text = (f"네, {dname}은 {fmt(end)}까지 영업해요." if lang == "ko"
                else f"Yes, on {dname} we are open until {fmt(end)}.")
        return Found("answered", (src,), "yes", text)
    if t < start:
        text = (f"아니요, {dname}은 {fmt(start)}에 문을 열어요." if lang == "ko"
                else f"No, on {dname} we open at {fmt(start)}.")
    else:
        text = (f"아니요, {dname}은 {fmt(end)}에 문을 닫아요." if lang == "ko"
                else f"No, on {dname} we close at {fmt(end)}.")
    return Found("answered", (src,), "no", text)


def _say_holiday(d: date, lang: str) -> str:
    if lang == "ko":
        return f"아니요, {d.month}월 {d.day}일은 휴무예요."
    return f"No, we are closed on {d.day} {values.MONTHS[d.month - 1].capitalize()}."


def _price_of(name: str, index: Index) -> tuple[values.Money, Unit] | None:
    """The price stated right after ``name`` in the sentence most about it ("adult tickets cost £12")."""
    item_terms = content_terms(name)
    if not item_terms:
        return None
    cos = index.matrix @ embed_query(name)  # the item alone: "child ticket" is nearer "children pay £6"
    best = None
    for u, c in zip(index.units, cos):
        amounts = values.money(u.text)
        if not amounts or any(coverage(t, u) < COVERED for t in item_terms):
            continue
        low = u.text.lower()
        pos = min((low.find(w.lower()[:4]) for w in name.split() if low.find(w.lower()[:4]) >= 0), default=0)
        after = [m for m in amounts if m.start >= pos] or amounts
        # words before the mention that are not the item name another thing ("a FAMILY ticket")
        other = sum(1 for t in content_terms(u.text[:pos]) if t not in item_terms)
        if best is None or c - 0.02 * other > best[0]:
            best = (c - 0.02 * other, after[0], u)
    return (best[1], best[2]) if best else None


def total(q: Question, index: Index) -> Found | None:
    """"How much are two croissants and a coffee?": every item's listed price, added up."""
    if q.expects != "PRICE" or not q.items or len(q.items) < 2 and q.items[0][0] < 2:
        return None
    priced, missing = [], []
    for count, name in q.items:
        got = _price_of(name, index)
        (priced.append((count, name, *got)) if got else missing.append(name))
    if not priced or len({m.currency for _, _, m, _ in priced}) > 1:
        return None
    cur = priced[0][2].currency
    fm = lambda a: values.format_money(a, cur, q.lang)  # noqa: E731
    if q.lang == "ko":
        bits = [f"{name} {fm(m.amount)}" + (f" x {c}" if c > 1 else "") for c, name, m, _ in priced]
    else:
        bits = [f"{_count_en(c)} {name} ({fm(m.amount)}{' each' if c > 1 else ''})" for c, name, m, _ in priced]
    units = tuple(dict.fromkeys(u for _, _, _, u in priced))
    if missing:
        return None  # a price not listed: ordinary selection says what is known and what is not
    amount = sum(c * m.amount for c, _, m, _ in priced)
    if q.lang == "ko":
        return Found("answered", units, "", f"{', '.join(bits)}, 합쳐서 {fm(amount)}이에요.")
    joined = ", ".join(bits[:-1]) + (" and " if len(bits) > 1 else "") + bits[-1]
    return Found("answered", units, "", f"{joined[0].upper()}{joined[1:]} come to {fm(amount)} in total.")


def _count_en(n: int) -> str:
    return {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}.get(n, str(n))
