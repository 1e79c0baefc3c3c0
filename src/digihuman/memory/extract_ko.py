"""Korean fact extraction: Kiwi splits sentences and checks that a captured value ends in a noun;
polite and plain first-person statements are matched on the surface (Korean marks the roles with
particles, 은/는/이/가/을/를/에/에서, so a pattern on particles is what a parser would give here).

Keys and values are the same as for English (values stay in Korean: "likes:김치" -> "김치"), so
recall answers in either language from the same typed memory.
"""

from __future__ import annotations

import re
from datetime import datetime

from .dates import resolve
from .facts import Fact

_PETS = {"강아지": "dog", "개": "dog", "멍멍이": "dog", "고양이": "cat", "냥이": "cat", "앵무새": "bird", "새": "bird",
         "햄스터": "hamster", "토끼": "rabbit", "물고기": "fish", "금붕어": "fish", "거북이": "turtle"}
_RELS = {"언니": "sister", "누나": "sister", "여동생": "sister", "오빠": "brother", "형": "brother",
         "남동생": "brother", "동생": "sibling", "엄마": "mom", "어머니": "mother", "아빠": "dad", "아버지": "father",
         "남편": "husband", "아내": "wife", "와이프": "wife", "딸": "daughter", "아들": "son", "남자친구": "boyfriend",
         "여자친구": "girlfriend", "상사": "boss", "팀장님": "boss", "친구": "friend"}
_NUM = {"한": "one", "두": "two", "세": "three", "네": "four", "다섯": "five", "여섯": "six", "1": "one", "2": "two",
        "3": "three", "4": "four", "5": "five"}
_END = r"(?:이에요|예요|에요|입니다|이야|야|이요|요)?"
_Q = re.compile(r"(\?|나요|까요|니|세요|어요\?|죠\?|뭐예요|뭐야|어디|언제|누구|몇)\s*[.!]*$")
_COND = re.compile(r"(?:면|다면|으면|거든)\s|싶어요|싶다|고 싶")
_WHEN = re.compile(r"((?:이번|다음|지난|저번)\s*주말|(?:지난|저번|이번|다음|담)\s*주\s*(?:[월화수목금토일]요일)?|"
                   r"(?:이번|다음|지난|저번)\s*달(?:\s*\d{1,2}일)?|"
                   r"어제|오늘|내일|모레|\d{1,2}월\s*\d{1,2}일|[월화수목금토일]요일)에?")
_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(?:제|내|저의)\s*이름은\s*(\S+?)" + _END + r"[.!]*$"), "name"),
    (re.compile(r"(?:저는|전|나는|난)\s*(\S+?)(?:이)?라고\s*(?:해요|합니다|불러|해)"), "name"),
    (re.compile(r"(\S+?)(?:이|가)?\s*(?:의)?\s*이름은\s*(\S+?)" + _END + r"[.!]*$"), "named"),
    (re.compile(r"(\S+?)(?:이|)라는\s*(\S+?)(?:를|을|가|이)\s*(?:키워요|키웁니다|키우고 있어요|있어요|키워|입양했어요)"), "named_inv"),
    (re.compile(r"(\S+)\s*(한|두|세|네|다섯|여섯|[1-9])\s*마리(?:를|가)?\s*(?:키워요|있어요|키웁니다|키우고)"), "count"),
    (re.compile(r"(\S+?)(?:에|에는|에 대한)?\s*알레르기가\s*있(?:어요|습니다|어)"), "allergy"),
    (re.compile(r"(\S+?)(?:을|를)?\s*(?:안|별로 안|잘 안)\s*좋아(?:해요|합니다|해)"), "dislikes"),
    (re.compile(r"(.+?)(?:을|를)?\s*(?:정말\s*|너무\s*)?(?:싫어(?:해요|합니다|해)|못 먹어요)"), "dislikes"),
    (re.compile(r"(.+?)(?:을|를)\s*(?:정말\s*|아주\s*|진짜\s*|너무\s*|제일\s*)?(?:좋아(?:해요|합니다|해)|사랑해요)"), "likes"),
    (re.compile(r"(.+?)(?:이|가)\s*(?:정말\s*|너무\s*|제일\s*)?좋아요"), "likes"),
    (re.compile(r"(\S+?)(?:으로|로)\s*이사(?:했어요|했습니다|왔어요|했어|갔어요)"), "moved"),
    (re.compile(r"(\S+?)(?:에|에서)\s*살(?:아요|고 있어요|고 있습니다|아|아요\.)"), "lives_in"),
    (re.compile(r"(\S+?)(?:으로|로)\s*(?:일하고 있어요|일해요|일합니다|근무해요|근무하고 있어요|일하고 있습니다)"), "job_as"),
    (re.compile(r"(\S+?)(?:을|를)\s*배우(?:고 있어요|고 있습니다|는 중이에요|는 중이야|워요|고 있어|기 시작했어요)"), "learning"),
    (re.compile(r"(\S+?)(?:을|를)\s*(?:끊었어요|끊었습니다|끊었어|안 먹어요|먹지 않아요|못 먹어요)"), "avoids"),
    (re.compile(r"(?:^|\s)(?:이름은|이름이)\s*(.+?)(?:이에요|예요|입니다|이요|요)?[.!]*$"), "names"),
    (re.compile(r"^(\S+?)(?:이|가|는|은)\s+(\S+?)(?:이에요|예요|입니다|이야|야)[.!]*$"), "rel_job"),
    (re.compile(r"(\S+?)(?:을|를)\s*(?:하고 있어요|하고 있습니다|다니고 있어요|즐겨 해요|자주 해요)"), "hobby"),
    (re.compile(r"(\S+?)에서\s*(?:일해요|일합니다|근무해요|근무합니다|일하고 있어요)"), "works_at"),
    (re.compile(r"(?:직업은|저는|전)\s*(\S+?)" + _END + r"[.!]*$"), "job"),
    (re.compile(r"(?:저는|전)?\s*(채식주의자|비건|베지테리언)" + _END), "diet"),
]
_JOB_WORDS = re.compile(r"(사|가|원|관|생|님|자|디자이너|개발자|엔지니어|셰프|요리사|프리랜서|작가)$")
_DIETS = {"채식주의자": "vegetarian", "베지테리언": "vegetarian", "비건": "vegan"}


def _noun_ok(value: str) -> bool:
    """Kiwi: the captured value must end in a noun (or a foreign word), not a verb or particle."""
    from ..dialog.nlp import korean

    toks = korean().tokenize(value)
    return bool(toks) and toks[-1].tag in ("NNG", "NNP", "NNB", "SL", "SN", "XSN", "NR")


def _proper(sentence: str) -> bool:
    """Whether the noun after 저는/전 is a proper noun (a name), per Kiwi."""
    from ..dialog.nlp import korean

    toks = korean().tokenize(sentence)
    nouns = [t for t in toks if t.tag.startswith("NN")]
    return bool(nouns) and nouns[0].tag == "NNP"


def _strip(v: str) -> str:
    """The value without the speaker, fillers and a trailing topic/object particle ("근데 오이는" -> "오이")."""
    v = re.sub(r"^(?:(?:저는|전|나는|난|저도|제가|요즘|정말|진짜|그리고|근데|그런데|아|참|우리)\s*)+", "", v.strip(" .,!~"))
    v = v.strip()
    if re.search(r"(?<=[가-힣])(?:은|는|도|을|를)$", v):
        from ..dialog.nlp import tokenize_ko

        toks = tokenize_ko(v)  # "제주도" is a place, "오이는" a noun and a particle: Kiwi tells them apart
        if toks and toks[-1].tag.startswith("J"):
            v = v[:-1]
    return v.strip()


def extract_ko(text: str, about: str, now: datetime) -> list[Fact]:
    """Facts stated in Korean ``text``: name, likes, pets, allergies, plans with dates, job, home."""
    from ..dialog.nlp import korean

    me, facts, last_pet = f"({about})", [], ""

    def add(key, value, text_, **kw):
        facts.append(Fact(key, value, f"{me} {text_}" if not text_.startswith("'s") else me + text_, about, **kw))

    for sent in korean().split_into_sents(text):
        s = sent.text.strip()
        if not s or _Q.search(s) or _COND.search(s):
            continue
        corr = bool(re.search(r"이제|더 이상|아니라|말고|사실은|정정", s))
        s = re.sub(r"\S+?\s*아니라\s*", "", s) if re.search(r"(?:이|가)\s*아니라\s", s) else s  # "서연이 아니라 서윤이에요"
        when_m = _WHEN.search(s)
        iso = resolve(when_m.group(1), now, past=bool(re.search(r"었|았|했", s))) if when_m else ""
        body = _WHEN.sub("", s).strip() if when_m else s
        n0 = len(facts)
        last_pet = next((k for k in _PETS if k in s), "") or last_pet  # whose "이름은 ..." follows
        for rx, slot in _RULES:
            m = rx.search(body)
            if not m:
                continue
            v = _strip(m.group(1))
            if slot == "name" and v and v not in ("뭐", "누구"):
                add("name", v, f"'s name is {v}", correction=corr)
            elif slot == "named" and (v2 := m.group(2).strip()) and (_PETS.get(v) or _RELS.get(v)):
                if sp := _PETS.get(v):
                    add(f"pet:{sp}:{v2.lower()}", v2, f"has a {v} called {v2}", correction=corr)
                else:
                    rel = _RELS[v]
                    add(f"family:{rel}:name", v2, f"'s {v} is called {v2}", correction=corr)
            elif slot == "named_inv" and (sp := _PETS.get(m.group(2))):
                add(f"pet:{sp}:{v.lower()}", v, f"has a {m.group(2)} called {v}")
            elif slot == "count" and (sp := _PETS.get(v) or _PETS.get(v[:-1]) if v[-1:] in "이가를을" else _PETS.get(v)):
                v = v if v in _PETS else v[:-1]  # "고양이 두 마리", "강아지를 두 마리"
                add(f"pet:{sp}", f"{_NUM[m.group(2)]} {v}", f"has {_NUM[m.group(2)]} {v} ({m.group(2)} 마리)")
            elif slot == "allergy" and v and _noun_ok(v):
                add(f"allergy:{v}", v, f"is allergic to {v}")
            elif slot in ("likes", "dislikes") and v and len(v) <= 20 and _noun_ok(v):
                add(f"{slot}:{v}", v, f"{'likes' if slot == 'likes' else 'doesn' + chr(39) + 't like'} {v}",
                    negated=slot == "dislikes", correction=corr, degree="like" if slot == "likes" else "dislike")
            elif slot in ("lives_in", "moved") and v and _noun_ok(v):
                add("lives_in", v, f"lives in {v}", correction=corr or slot == "moved")
            elif slot == "works_at" and v and _noun_ok(v):
                add("works_at", v, f"works at {v}", correction=corr)
            elif slot == "job" and v and _JOB_WORDS.search(v) and v not in _PETS and len(v) <= 10:
                add("job", v, f"works as {v}", correction=corr)
            elif slot == "job" and v and _proper(s):  # "저는 지수입니다": Kiwi tags a name NNP
                add("name", v, f"'s name is {v}", correction=corr)
            elif slot == "job_as" and v and _JOB_WORDS.search(v) and len(v) <= 10:  # "간호사로 일하고 있어요"
                add("job", v, f"works as {v}", correction=corr)
            elif slot == "learning" and v and _noun_ok(v):
                add(f"learning:{v}", v, f"is learning {v}")
            elif slot == "avoids" and v and _noun_ok(v):
                add(f"avoids:{v}", v, f"doesn't eat {v}", negated=True, correction=True)
            elif slot == "names" and last_pet and (names := [n for n in re.split(r"\s*(?:이랑|랑|하고|와|과|,)\s*", v) if n]):
                for n in names:  # "고양이 두 마리를 키워요. 이름은 호두랑 밤이에요."
                    add(f"pet:{_PETS[last_pet]}:{n.lower()}", n, f"has a {last_pet} called {n}", correction=corr)
            elif slot == "rel_job" and (rel := _RELS.get(m.group(1))) and _JOB_WORDS.search(v2 := m.group(2)):
                add(f"family:{rel}:job", v2, f"'s {m.group(1)} is {v2}", correction=corr)  # "남편이 요리사예요"
            elif slot == "hobby" and v and _noun_ok(v) and v not in ("일", "공부", "생각", "걱정"):
                add(f"hobby:{v}", v, f"does {v}")
            elif slot == "diet":
                add("diet", _DIETS[v], f"is {_DIETS[v]}")
            else:
                continue
            break
        if iso and len(facts) == n0:  # nothing else said: a plan or an event with its date
            _plan(add, body, iso, now)
    out: dict[str, Fact] = {}
    for f in facts:
        out.pop(f.key, None)
        out[f.key] = f
    return list(out.values())


def _plan(add, body: str, iso: str, now: datetime) -> bool:
    """"다음 주 토요일에 언니 결혼식이 있어요" / "제주도에 가요" with a date -> a plan or an event."""
    past = iso < now.date().isoformat()
    m = re.search(r"(\S+(?:\s\S+)?)(?:이|가)\s*있(?:어요|습니다|어|었어요)", body)
    if m:
        what = _strip(m.group(1))
        words = what.split()
        rel = _RELS.get(words[0], "") if len(words) > 1 else ""
        key_what = (rel + " " if rel else "") + " ".join(words[1:] if rel else words)
        add(("event:" + iso + ":" if past else "plan:") + key_what, iso,
            f"'s {what} {'was' if past else 'is'} {'in' if len(iso) == 7 else 'on'} {iso}", when=iso)
        return True
    m = re.search(r"(?:(\S+)\s)?(\S+?)(?:에|으로|로)\s*(?:가요|갑니다|갈 거예요|가려고 해요|가|갔어요|다녀왔어요|여행 가요|놀러 가요|"
                  r"놀러 갔어요)", body)
    if m:
        # "부모님 댁에 가요": a place of two nouns; "엄마랑 제주도에" keeps only the place
        first = m.group(1) or ""
        place = _strip(f"{first} {m.group(2)}" if first and not re.search(
            r"(?:에|를|을|랑|이랑|와|과|하고|도|는|은|이|가|요|서)$", first) else m.group(2))
        on = "in" if len(iso) == 7 else "on"
        if past:
            add(f"event:{iso}:go {place}", iso, f"went to {place} {on} {iso}", when=iso)
        else:
            add(f"plan:go {place}", iso, f"is going to {place} {on} {iso}", when=iso)
        return True
    m = re.search(r"(.{2,40}?)(?:해요|할 거예요|할 거야|합니다|가요|갈 거예요|봐요|볼 거예요|만나요|만날 거예요|했어요|갔어요|봤어요|만났어요)[.!~]*$",
                  body)
    if m and not re.search(r"(?:^|\s)(?:너|당신)", body):  # any other dated plan: kept as said, with its date
        what = " ".join(_strip(body.rstrip(".!~ ")).split())
        on = "in" if len(iso) == 7 else "on"
        add(("event:" + iso + ":" if past else "plan:") + what[:30], iso,
            f"{'did' if past else 'plans'} \"{what}\" {on} {iso}", when=iso)
        return True
    return False
