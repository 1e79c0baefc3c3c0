"""Reading a question about the persona: the fixed frames ("where are you from?"), a parse-based
catch for the rest ("any music you're fond of?"), follow-ups that lean on the user's own statement
("I'm from Busan. What about you?"), and the category a phrase names. English (spaCy) and Korean
(Kiwi); the answers are written in :mod:`.self_talk`.
"""

from __future__ import annotations

import re

from ..dialog.types import Turn

CATEGORIES: dict[str, tuple[str, ...]] = {  # category -> cue words (English lemmas, Korean nouns)
    "music": ("music", "song", "band", "genre", "singer", "album", "tune", "listen", "음악", "노래", "가수"),
    "food": ("food", "dish", "meal", "eat", "cuisine", "snack", "dessert", "음식", "요리", "먹"),
    "drink": ("drink", "beverage", "음료", "마실"),
    "colour": ("colour", "color", "색", "색깔"),
    "season": ("season", "계절"),
    "book": ("book", "novel", "read", "author", "책", "소설"),
    "film": ("film", "movie", "cinema", "watch", "tv", "series", "영화", "드라마"),
    "hobby": ("hobby", "hobbies", "pastime", "fun", "free", "spare", "weekend", "취미", "여가"),
    "place": ("place", "city", "country", "travel", "visit", "destination", "spot", "장소", "도시", "여행"),
    "animal": ("animal", "pet", "동물"),
    "sport": ("sport", "exercise", "workout", "운동", "스포츠"),
}
_FAV = {"favourite", "favorite", "fav", "fave", "favourit", "favorit", "preferred"}
_VOCAB = sorted({w for cues in CATEGORIES.values() for w in cues if w.isascii()} | {"favourite", "favorite"})

EN = {
    "why": re.compile(r"^(?:but |and |so )?(?:why|how come|what makes you say (?:that|so)|why is that|why so|"
                      r"why not|how so)\b(?: do you (?:like|love|think|say) (?:it|that|them|so))?\W*$"),
    "why_item": re.compile(r"^why (?:do|would) (?:you|u) (like|love|enjoy|prefer|hate|dislike) (.+)"),
    "robot": re.compile(r"\b(?:are|r) (?:you|u)\b[^?.!]*\b(?:robot|bot|chatbot|ai|a\.i\.|machine|computer|program|"
                        r"automated|digital human|alive)\b|\b(?:are|r) (?:you|u)(?: really| actually)? (?:a |an )?(?:real |"
                        r"actual )?(?:human|person|human being|real)\b|^(?:you|u) (?:a |an )?(?:robot|bot|ai|human)\b|"
                        r"\b(?:is this|is it|am i (?:talking|speaking|chatting) (?:to|with))\b[^?.!]*\b(?:bot|robot|chatbot|ai|"
                        r"automated|machine|human|real person|computer)\b"),
    "name": re.compile(r"\bwhat(?:'s| is) your name\b|\bwhat should i call (?:you|u)\b|\bwho am i (?:talking|speaking|chatting) (?:to|with)\b"),
    "identity": re.compile(r"\bwho (?:are|r) (?:you|u)\b|\bwhat are you\W*$|\btell me (?:a (?:bit|little) |more |something )?"
                           r"about (?:yourself|you)\b|\bintroduce yourself\b|\bdescribe yourself\b|\bwhat'?s your story\b"),
    "origin": re.compile(r"\b(?:where|which|what)\b[^.?!]*\b(?:are|r|were|was) (?:you|u)(?: originally)? (?:from|born|"
                         r"raised)\b|\b(?:where|which|what)\b[^.?!]*\b(?:do|did|d) (?:you|u) (?:originally )?(?:come from|"
                         r"hail from|grow up|come)\b|\bwhere'd you grow up\b|\byour (?:home ?town|home town|country|"
                         r"birthplace)\b|\bwhere(?: is|'s) home for (?:you|u)\b"),
    "opinion": re.compile(r"\b(?:what do you think (?:about|of)|how do you feel about|what(?:'s| is) your (?:opinion|view|"
                          r"take|stance) (?:on|of|about)|(?:your |any )?thoughts (?:on|about)|do you have an opinion "
                          r"(?:on|about)|how do you like)\s+(.+)"),
    "like": re.compile(r"\b(?:do|would) (?:you|u) (?:really |also |even )?(like|love|enjoy|prefer|fancy|hate|dislike|mind) (.+)|"
                       r"\b(?:are|r) (?:you|u) (?:into|a fan of|fond of|keen on) (.+)"),
    "dislike_any": re.compile(r"\bwhat (?:\w+ )?(?:do you|don't you) (?:hate|dislike|not like|can't stand)\b|"
                              r"\bwhat (?:\w+ )?don't you like\b|\banything you (?:hate|dislike|don't like)\b"),
    "hobby": re.compile(r"\bwhat (?:do you|d'you) (?:like|love|enjoy) (?:to do|doing)\b|\bwhat do you do (?:for fun|in your "
                        r"(?:free|spare) time|on (?:the )?weekends?)\b|\b(?:what are |any )?(?:your )?hobbies\b|"
                        r"\bdo you have (?:a |any )?hobb"),
    "category": re.compile(r"(?:^|\b(?:your|ur|any) )(?:favourite|favorite|fav|fave|preferred|go-to)\b|\b(?:what|which) (?:kinds? |"
                           r"sorts? |types? )?(?:of )?(\w+) (?:(?:do|would) (?:you|u) (?:like|love|enjoy|prefer|listen|read|"
                           r"watch|eat|drink)|(?:are|r) (?:you|u) (?:into|fond of|a fan of))|"
                           r"\bdo you have (?:a )?(?:favourite|favorite)\b|\bwhat do you (?:like|love|enjoy)\b"),
}
# everyday facts (profile "facts") -> how they are asked
FACT_FRAMES: dict[str, re.Pattern] = {
    "job": re.compile(r"\bwhat(?:'s| is) your (?:job|occupation|profession|line of work|work)\b|\bwhat (?:do|d) (?:you|u) do"
                      r"(?: for (?:a )?(?:living|work|money|a job))?\W*$|\bwhat (?:do|d) (?:you|u) do for (?:a )?(?:living|"
                      r"work|money)\b|\bwhat (?:kind of )?work do (?:you|u) do\b|\bwhere do (?:you|u) work\b|"
                      r"\bwhat do (?:you|u) work as\b|\bdo (?:you|u) (?:have a job|work)\b"),
    "age": re.compile(r"\bhow old (?:are|r) (?:you|u)\b|\bwhat(?:'s| is) your age\b|\bwhen (?:were|was) (?:you|u) (?:born|made|"
                      r"created)\b|\bwhen(?:'s| is) your birthday\b"),
    "pets": re.compile(r"\b(?:do|d) (?:you|u) (?:have|own|keep) (?:a |any )?(?:pets?|dogs?|cats?)\b|\b(?:have|got) (?:you )?"
                       r"(?:got )?(?:a |any )?pets?\b|\bany pets\b|\byour pets?\b"),
    "family": re.compile(r"\b(?:do|d) (?:you|u) have (?:any )?(?:siblings|brothers?|sisters?|kids|children|family)\b|"
                         r"\b(?:got|have you got) (?:any )?(?:siblings|brothers?|sisters?|kids|children)\b|"
                         r"\bany (?:siblings|brothers|sisters|kids)\b|\byour (?:family|parents|siblings)\b"),
    "partner": re.compile(r"\b(?:are|r) (?:you|u) (?:married|single|seeing (?:someone|anyone)|in a relationship|dating)\b|"
                          r"\bdo (?:you|u) have (?:a )?(?:boyfriend|girlfriend|partner|husband|wife)\b"),
    "languages": re.compile(r"\bwhat languages? (?:do|can) (?:you|u) speak\b|\bhow many languages\b|"
                            r"\b(?:do|can) (?:you|u) speak\b"),
}

KO = {
    "why": re.compile(r"^(?:왜(?:요)?|어째서(?:요)?|왜 그래(?:요)?|이유가 뭐(?:예요|야|에요)|왜 그렇게 생각해(?:요)?)\W*$"),
    "robot": re.compile(r"(로봇|인공지능|AI|ai|봇|챗봇|기계|진짜 사람|사람)\s?(?:이에요|이야|예요|인가요|이세요|이니|야|이지|맞아요|맞아|맞나요|맞죠)"),
    "name": re.compile(r"(?<![제내저]\s)(?<![제내저])이름이 (?:뭐|무엇)"),  # "제 이름이 뭐예요?" asks about the user
    "identity": re.compile(r"누구(?:세요|야|예요|니|신가요)|자기\s?소개|소개(?:해|좀|를)"),
    "origin": re.compile(r"어디(?:서|에서)? ?(?:왔|오셨)|어디 출신|고향이 어디|출신이 어디"),
    "opinion": re.compile(r"(.+?)(?:에 대해서?|을|를|은|는)? ?(?:어떻게 생각|어때(?:요)?\W*$)"),
    "like": re.compile(r"(.+?)\s*(좋아해|좋아하세요|좋아하니|좋아하나요|좋아해요|싫어해|싫어하세요|싫어해요)\W*$"),
    "hobby": re.compile(r"취미|여가|쉬는 날 뭐"),
    "category": re.compile(r"(?:무슨|어떤|좋아하는)"),
}
_ARTICLES = re.compile(r"^(?:the|a|an|some|any|your|my)\s+")
_TRAIL = re.compile(r"\s+(?:too|much|very much|at all|a lot|so much|then|now|either|really)$")


_ACTIVITY = {"listen": "music", "read": "book", "watch": "film", "eat": "food", "drink": "drink", "play": "sport",
             "spend": "hobby", "do": "hobby"}
_PREFER = {"like", "love", "enjoy", "prefer", "fancy", "adore", "fond", "fan", "keen"}
_FREE_TIME = re.compile(r"\b(weekends?|free time|spare time|for fun|evenings?|days off|holidays?|not working)\b")


def preference(q: str) -> str | None:
    """A question about the persona's taste the fixed frames missed, read from the parse: a
    wh-question whose subject is "you" with a liking word ("any music you're fond of?") or an
    activity ("what are you listening to?", "how do you spend your weekends?") -> the category."""
    from ..dialog.nlp import parse

    doc = parse(q[:300])
    if not any(t.lower_ in ("you", "u", "your", "yours") for t in doc):
        return None
    wh = any(t.tag_ in ("WP", "WDT", "WRB") for t in doc) or doc[0].lower_ in ("any", "got")
    for t in doc:
        you = any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("you", "u")
                  for c in [*t.children, *(t.head.children if t.dep_ == "xcomp" and t.head.lemma_ in _PREFER
                                           else ())])  # "what do you like to cook?", not "recommend to eat"
        if t.lemma_ in _PREFER and (you or t.pos_ in ("ADJ", "NOUN")) and wh and (cat := category(q)):
            return cat
        if t.lemma_ in _ACTIVITY and you and wh:
            if _ACTIVITY[t.lemma_] == "hobby":
                if _FREE_TIME.search(q):
                    return "hobby"
            else:
                return category(q) or _ACTIVITY[t.lemma_]
    return None


_BACK = re.compile(r"(?:^|[.!?]\s+)(?:and |so |but )?(?:what about|how about|and) (?:you|u|yourself)\W*$|"
                   r"(?:^|[.!?]\s+)(?:what'?s|what is|and) yours\W*$|(?:^|[.!?]\s+)(?:do|did|are|have) (?:you|u)(?: too)?\W*$|"
                   r"(?:^|[.!?]\s+)(?:you|u|yourself)\?\s*$")


def ellipsis(q: str, history: list[Turn]) -> str | None:
    """"I'm from Busan. What about you?" -> "where are you from?": the question the user's own
    statement (this message, else their previous one) implies."""
    m = _BACK.search(q)
    if not m:
        return None
    said = q[:m.start()].strip() or next((t.text.lower() for t in reversed(history) if t.role == "user"), "")
    if f := re.search(r"\bfavou?rite (\w+)", said):
        return f"what is your favourite {f.group(1)}?"
    if re.search(r"\b(?:i'm|i am|i come|i came|i grew up|i was born)\b.*\b(?:from|in)\b", said):
        return "where are you from?"
    if f := re.search(r"\bi (?:really |also )?(?:like|love|enjoy|adore|hate|dislike|can't stand) (.+?)(?:[.!?,]|$)", said):
        return f"do you like {f.group(1)}?"
    if f := re.search(r"\bi think (.+?) (?:is|are) ", said):
        return f"what do you think about {f.group(1)}?"
    if re.search(r"\bmy name is\b|\bi'm called\b", said):
        return "what's your name?"
    return None


def fix_typos(q: str) -> str:
    """"favrite musik" -> "favorite music": fuzzy-correct only the few words the patterns key on."""
    from rapidfuzz import process
    from rapidfuzz.fuzz import ratio

    out = []
    for w in q.split(" "):
        core = w.strip("?!.,")
        if (len(core) >= 5 and core.isalpha() and core not in _VOCAB and core not in _FAV
                and core.rstrip("s") not in _VOCAB and core[:-3] not in _VOCAB):  # "movies", "reading" are fine
            hit = process.extractOne(core, _VOCAB, scorer=ratio, score_cutoff=80)
            # typos keep the first letter ("favrite", "musik"); "bread" is no misspelt "read"
            if hit and hit[0][0] == core[0]:
                w = w.replace(core, hit[0])
        out.append(w)
    return " ".join(out)


def item(text: str) -> str:
    t = re.split(r"[?!.]|,\s*(?:or|and|then)\b", text.strip())[0].strip()
    t = _TRAIL.sub("", _ARTICLES.sub("", t)).strip()
    return _TRAIL.sub("", t).strip()


def category(text: str, exact: bool = False) -> str | None:
    """The like category a phrase names ("what kind of films ..." -> "film")."""
    words = re.findall(r"[\w']+", text.lower())
    if exact and len(words) != 1:
        return None  # "horror movies" is not films in general
    for cat, cues in CATEGORIES.items():
        for w in words:
            if any(w == c or (len(c) >= 4 and w.startswith(c)) or (not c.isascii() and c in w) for c in cues):
                return cat
    return None


def korean_noun(text: str) -> str:
    """The noun phrase of a Korean fragment ("재즈를 " -> "재즈"), by Kiwi's part-of-speech tags."""
    from ..dialog.nlp import korean

    toks = [t for t in korean().tokenize(text) if t.tag in ("NNG", "NNP", "SL", "SN", "XSN")]
    # the span from the first to the last noun keeps compounds and modifiers ("비 오는 날", "크루아상")
    return text[toks[0].start:toks[-1].end].strip() if toks else text.strip()
