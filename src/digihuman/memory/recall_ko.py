"""Korean questions about the user's life ("제 강아지 이름이 뭐예요?", "제가 뭘 좋아한다고 했죠?"),
answered in Korean from the same typed memories as English (:func:`.speech.korean`).

Korean questions are short and carry the attribute in a few content words (이름, 어디, 언제,
좋아, 알레르기, 강아지), so a keyword table on Kiwi-free surface text is enough here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from ..dialog.types import Memory
from .dates import resolve
from .extract_ko import _WHEN
from .recall import RecallAnswer
from .speech import View, korean, view

_ME = re.compile(r"(?:^|\s)(?:제|저|내|나|저의|제가|저는|전|난|내가|나는)(?:\s|$|가|는|의)|저한테|제 ")
_Q = re.compile(r"\?|뭐|무엇|어디|언제|누구|몇|있나요|였죠|었죠|했죠|나요|까요|인가요|어요\?|죠\s*$")
_PET = {"강아지": "dog", "개": "dog", "고양이": "cat", "앵무새": "bird", "새": "bird", "햄스터": "hamster", "토끼": "rabbit"}
_REL = {"언니": "sister", "누나": "sister", "여동생": "sister", "오빠": "brother", "형": "brother", "남동생": "brother",
        "엄마": "mom", "어머니": "mother", "아빠": "dad", "아버지": "father", "남편": "husband", "아내": "wife",
        "와이프": "wife", "딸": "daughter", "아들": "son", "상사": "boss", "팀장님": "boss", "친구": "friend",
        "남자친구": "boyfriend", "여자친구": "girlfriend"}
_SLOTS = [(re.compile(r"알레르기"), "allergy"), (re.compile(r"몇\s*마리|몇 명"), "count"),
          (re.compile(r"이름"), "name"), (re.compile(r"어디.*살|사는 곳|살고 있"), "lives_in"),
          (re.compile(r"직업|무슨 일|어디.*일"), "job"), (re.compile(r"싫어"), "dislikes"),
          (re.compile(r"좋아"), "likes"), (re.compile(r"언제|며칠|무슨 요일|계획|일정"), "when"),
          (re.compile(r"채식|식단"), "diet"), (re.compile(r"배우|배운"), "learning"),
          (re.compile(r"안 먹|끊|못 먹|먹으면 안"), "avoids"), (re.compile(r"운동|취미|즐겨"), "hobby")]
_UNK = {"hobby": "취미", "learning": "배우시는 것", "avoids": "안 드시는 음식", "allergy": "알레르기", "name": "이름", "lives_in": "사시는 곳", "job": "직업", "likes": "좋아하시는 것",
        "dislikes": "싫어하시는 것", "when": "그 날짜", "diet": "식단", "count": "그 숫자", "any": "그 이야기"}


def answer_ko(question: str, memories: Sequence[Memory], now: datetime) -> RecallAnswer | None:
    """A Korean answer, or None when ``question`` is not a Korean question about the user."""
    q = question.strip()
    pet = next((v for k, v in _PET.items() if k in q), "")
    rel = next((v for k, v in _REL.items() if k in q), "")
    owner = pet or rel
    # "언니 결혼식이 언제예요?", "몇 마리 키운다고 했죠?": the user's own sister / what they told us
    mine = _ME.search(" " + q) or owner or re.search(r"했죠|했었죠|[었았였]었?죠|말했|알려 ?줬|기억(?:나|하)", q) or (
        _WHEN.search(q) and re.search(r"뭐|무엇|어디|누구", q))  # "다음 주 수요일에 뭐가 있죠?": the user's own day
    if not mine or not _Q.search(q):
        return None
    slot = next((s for rx, s in _SLOTS if rx.search(q)), "any")
    views = [view(m) for m in memories if m.about == "partner" and m.superseded_by is None]
    when = _WHEN.search(q)
    iso = resolve(when.group(1), now, past=bool(re.search(r"었|았|했", q))) if when else ""
    if iso:  # "제가 내일 뭐 해요?": what is planned (or was done) on that day
        hit = [v for v in views if v.slot in ("plan", "event") and v.date and v.date[:len(iso)] == iso[:len(v.date)]]
        if hit:
            return RecallAnswer(" ".join(korean(v, now) for v in hit[-2:]), tuple(v.mem for v in hit[-2:]), "answered")
    if slot == "when" or (slot == "any" and re.search(r"결혼식|생일|여행|파티|시험|면접", q)):
        hit = [v for v in views if v.slot in ("plan", "event") and _ko_overlap(q, v)]
        hit = hit or [v for v in views if v.slot == "plan"][-1:] if slot == "when" else hit
    elif slot == "name" and owner:
        hit = [v for v in views if v.owner == owner and (v.slot == "name" or v.slot == "pet" and v.item == "name")]
    elif slot == "count":
        hit = [v for v in views if v.owner == owner and v.slot == "pet"]
    elif slot == "job":
        hit = [v for v in views if v.owner == owner and v.slot in ("job", "works_at")]
    elif slot == "any":
        hit = [v for v in views if _ko_overlap(q, v)][-2:]
    else:
        hit = [v for v in views if v.owner == owner and v.slot == slot]
    if not hit:
        what = (f"{_kname(owner)} " if owner else "") + _UNK[slot]
        return RecallAnswer(f"아직 {what}에 대해서는 말씀해 주지 않으셨어요.", (), "unknown")
    if slot in ("likes", "allergy", "dislikes") and len(hit) > 1:
        items = ", ".join(v.mem.value for v in hit)
        text = korean(View(hit[0].mem, slot, item=items), now).replace(hit[0].mem.value, items, 1)
        return RecallAnswer(text, tuple(v.mem for v in hit), "answered")
    return RecallAnswer(" ".join(korean(v, now) for v in hit[-2:]), tuple(v.mem for v in hit[-2:]), "answered")


def _ko_overlap(q: str, v: View) -> bool:
    words = [w for w in re.findall(r"[가-힣A-Za-z]{2,}", v.mem.text + " " + v.mem.key) if w not in ("partner",)]
    return any(w in q for w in words)


def _kname(owner: str) -> str:
    return next((k for k, v in {**_PET, **_REL}.items() if v == owner), owner)
