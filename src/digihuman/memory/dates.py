"""Time expressions -> absolute ISO dates, and ISO dates -> natural speech, relative to a message time.

dateparser resolves most English and Korean expressions ("tomorrow", "March 3rd", "3 days ago",
"내일", "3월 3일"); the few it misses are the commonest in chat ("last weekend", "next Saturday"
said on a Saturday, "다음 주 토요일"), so they are resolved here first. Weeks start on Monday and a
weekend is named by its Saturday.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_KO_DAYS = ["월", "화", "수", "목", "금", "토", "일"]
_EN_WEEK = re.compile(r"\b(last|this|next|coming|past)\s+(weekend|monday|tuesday|wednesday|thursday|friday|"
                      r"saturday|sunday)\b", re.I)
_KO_WEEK = re.compile(r"(지난|저번|이번|다음|담)\s*주\s*(?:([월화수목금토일])요일|(주말))|(이번|다음|지난|저번)\s*(주말)")
_KO_DAY = re.compile(r"(어제|오늘|내일|모레|글피)")
_HOLIDAYS = {"christmas(?: day)?": "12-25", "christmas eve": "12-24", "new year's eve": "12-31",
             "new year's(?: day)?": "01-01", "valentine's(?: day)?": "02-14", "halloween": "10-31",
             "크리스마스": "12-25", "설날": "01-01"}
_NOISE = re.compile(r"^(?:on|in|at|by|from|since|during|for)\s+|\s+(?:morning|afternoon|evening|night)$", re.I)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _week_day(today: date, which: str, day: str) -> date:
    """"last/this/next" + weekday or weekend; "next Saturday" said on Wednesday is 3 days later."""
    target = 5 if day == "weekend" else _DAYS.index(day)
    if which in ("this", "coming"):
        d = _monday(today) + timedelta(days=target)
        return d if d >= today or day == "weekend" else d + timedelta(days=7)
    if which == "next":
        d = _monday(today) + timedelta(days=target)
        # "next Saturday" on a Wednesday means the coming one; "next weekend" means the one after this
        return d + timedelta(days=7) if d <= today or day == "weekend" else d
    return _monday(today) + timedelta(days=target) - timedelta(days=7)  # last / past


def _month_day(today: date, day: int, past: bool, shift: int | None = None) -> str:
    """ISO date of day ``day`` of this month (``shift`` months on), or, unshifted, of the next month
    when that day has passed (the last month's when ``past``); "" for a day the month lacks."""
    y, mo = today.year, today.month
    if shift is not None:
        mo += shift
    elif (day < today.day) != past or (past and day > today.day):
        mo += -1 if past else 1
    y, mo = (y + 1, 1) if mo == 13 else (y - 1, 12) if mo == 0 else (y, mo)
    try:
        return date(y, mo, day).isoformat()
    except ValueError:
        return ""


def resolve(expr: str, now: datetime, *, past: bool = False) -> str:
    """ISO date of a time expression ("next Saturday" -> "2026-12-05"); "" when it has no day."""
    e = _NOISE.sub("", " ".join(expr.split())).strip(" ,.")
    if not e:
        return ""
    today = now.date()
    if re.fullmatch(r"(?:school )?year \d{1,2}", e, re.I):
        return ""  # "I teach year 3": a school year, not a date
    shift_year = 0
    if (y := re.search(r"\s+(next|this|last) year$", e, re.I)) and re.search(r"\d|[A-Z][a-z]+", e[:y.start()]):
        shift_year = {"next": 1, "this": 0, "last": -1}[y.group(1).lower()]  # "the 12th of June next year"
        e = e[:y.start()].strip(" ,")
    # "the 22nd of August" -> "August 22" (dateparser reads "of" badly)
    e = re.sub(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+of\s+([A-Za-z]+)$", r"\2 \1", e, flags=re.I)
    if shift_year:
        got = resolve(e, now.replace(month=1, day=1) if shift_year > 0 else now, past=shift_year < 0)
        if not got:
            return ""
        year = today.year + shift_year
        return f"{year:04d}{got[4:]}"
    part = re.fullmatch(r"(last|this|tomorrow|yesterday|to)\s*(night|morning|afternoon|evening)", " ".join(expr.lower().split()))
    if part:  # "last night", "this morning", "tomorrow evening", "tonight"
        shift = {"last": -1 if part.group(2) == "night" else 0, "yesterday": -1, "tomorrow": 1}.get(part.group(1), 0)
        return (today + timedelta(days=shift)).isoformat()
    m = _EN_WEEK.search(e)
    if m:
        return _week_day(today, m.group(1).lower(), m.group(2).lower()).isoformat()
    m = _KO_WEEK.search(e)
    if m:
        which = {"지난": "last", "저번": "last", "이번": "this", "다음": "next", "담": "next"}[m.group(1) or m.group(4)]
        if m.group(2):  # "다음 주 토요일": the Saturday of next week, whatever today is
            d = _monday(today) + timedelta(days=_KO_DAYS.index(m.group(2)))
            return (d + timedelta(days={"last": -7, "this": 0, "next": 7}[which])).isoformat()
        return _week_day(today, which, "weekend").isoformat()
    m = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)(?: of this month)?", e, re.I)
    if m and 1 <= int(m.group(1)) <= 31:  # "on the 12th": this month's, else the next (or last) month's
        return _month_day(today, int(m.group(1)), past)
    hol = next((md for name, md in _HOLIDAYS.items() if re.fullmatch(rf"(?:this |next |last )?{name}", e, re.I)), "")
    if hol:  # fixed-date holidays dateparser does not know ("for Christmas")
        d = date.fromisoformat(f"{today.year}-{hol}")
        if (d < today) != past:
            d = d.replace(year=d.year + (-1 if past else 1))
        return d.isoformat()
    m = re.fullmatch(r"(?:(다음|이번|지난|저번)\s*달\s*|(\d{1,2})월\s*)?(\d{1,2})일", e)
    if m:  # "다음 달 15일", "3월 2일", "15일" (this month's, else the next/last)
        day = int(m.group(3))
        if m.group(2):
            y, mo = today.year, int(m.group(2))
            if 1 <= mo <= 12 and (date(y, mo, min(day, 28)) < today) != past:
                y += -1 if past else 1
            try:
                return date(y, mo, day).isoformat()
            except ValueError:
                return ""
        shift = {"다음": 1, "이번": 0, "지난": -1, "저번": -1}[m.group(1)] if m.group(1) else None
        return _month_day(today, day, past, shift)
    m = re.search(r"(다음|이번|지난|저번)\s*달", e)
    if m:  # "다음 달": a month
        y, mo = today.year, today.month + {"다음": 1, "이번": 0, "지난": -1, "저번": -1}[m.group(1)]
        y, mo = (y + 1, 1) if mo == 13 else (y - 1, 12) if mo == 0 else (y, mo)
        return f"{y:04d}-{mo:02d}"
    m = _KO_DAY.search(e)
    if m:
        return (today + timedelta(days={"어제": -1, "오늘": 0, "내일": 1, "모레": 2, "글피": 3}[m.group(1)])).isoformat()
    if re.fullmatch(r"(?:the\s+)?weekend", e, re.I):
        return _week_day(today, "last" if past else "this", "weekend").isoformat()
    if re.search(r"\b(?:years?|summer|winter|spring|autumn|fall)\b", e, re.I) and not re.search(r"\d", e):
        return ""  # "last year", "next summer": no day to name
    month_only = bool(re.fullmatch(r"(?:(?:last|next|this)\s+month|(?:in\s+)?[A-Za-z]+(?:\s+\d{4})?)", e, re.I)) and \
        not re.search(r"day|night|week|tomorrow|today|yesterday|tonight", e, re.I)
    import dateparser  # ~0.3 s on first use: only when a message has a date in it

    got = dateparser.parse(e, languages=["en", "ko"],
                           settings={"RELATIVE_BASE": now.replace(tzinfo=None),
                                     "PREFER_DATES_FROM": "past" if past else "future"})
    if not got:
        return ""
    return got.strftime("%Y-%m") if month_only else got.date().isoformat()


def say_date(iso: str, now: datetime | None = None, lang: str = "en") -> str:
    """Natural speech for an ISO date: "today", "tomorrow", "on Saturday, December 5" (+ year if not this year)."""
    if re.fullmatch(r"\d{4}-\d{2}", iso or ""):  # a month: "in January" (+ year if not this year)
        d = date.fromisoformat(iso + "-01")
        this_year = d.year == (now or datetime.now()).year
        if lang == "ko":
            return (f"{d.year}년 " if not this_year else "") + f"{d.month}월"
        return f"in {d.strftime('%B')}" + ("" if this_year else f" {d.year}")
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    today = (now or datetime.now()).date()
    delta = (d - today).days
    if lang == "ko":
        rel = {-1: "어제", 0: "오늘", 1: "내일"}.get(delta)
        base = (f"{d.year}년 " if d.year != today.year else "") + f"{d.month}월 {d.day}일 {_KO_DAYS[d.weekday()]}요일"
        return f"{rel}({base})" if rel else base
    rel = {-1: "yesterday", 0: "today", 1: "tomorrow"}.get(delta)
    if rel:
        return rel
    base = f"on {_DAYS[d.weekday()].title()}, {d.strftime('%B')} {d.day}"
    return base + (f", {d.year}" if d.year != today.year else "")
