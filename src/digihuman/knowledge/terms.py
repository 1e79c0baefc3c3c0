"""Terms for matching questions to sentences: spelling-normalised stems, synonyms, typo tolerance.

Normalisation is applied the same way to documents and questions, so a rule that over-reaches
("promise" -> "promize") is harmless: both sides change alike. Only British/American variants,
clear synonyms and close typos may match; anything looser would let "cars" find "cakes".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from ..dialog.knowledge import STOPWORDS, stem

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
# whole-word British -> American forms that no suffix rule covers
_SPELLING = {"cheque": "check", "cheques": "checks", "programme": "program", "tyre": "tire", "tyres": "tires",
             "jewellery": "jewelry", "aluminium": "aluminum", "grey": "gray", "mum": "mom", "licence": "license",
             "defence": "defense", "offence": "offense", "pyjamas": "pajamas", "plough": "plow", "kerb": "curb",
             "storey": "story", "storeys": "stories", "enquiry": "inquiry", "enquiries": "inquiries",
             "enquire": "inquire", "wi": "wifi", "e-mail": "email", "neighbourhood": "neighborhood"}
_SUFFIX = [(re.compile(r"(?<=[a-z]{3})our(s|ed|ing|ite|ites|able)?$"), r"or\1"),  # colour, favourite, flavoured
           (re.compile(r"(?<=[a-z]{2}[tb])re(s|d)?$"), r"er\1"),  # centre, theatre, metres, fibre
           (re.compile(r"(?<=[a-z]{2})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),  # organise, realisation
           (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing)$"), r"yz\1"),  # analyse
           (re.compile(r"(?<=[a-z]{3})ogue(s)?$"), r"og\1"),  # catalogue
           (re.compile(r"(?<=[a-z]{2}[aeiou])ll(ed|ing|er|ers)$"), r"l\1")]  # cancelled, travelling
# Groups of words that ask for the same thing (stems after normalisation); deliberately small and
# general: a shop, museum or salon question uses these interchangeably, a domain word never.
_GROUPS = [
    "price cost fee charge pay paid much expensive cheap rate",
    "open opening hour",
    "close closed shut closing",
    "kid child children",
    "bike bicycle",
    "phone telephone call",
    "deliver delivery ship shipping",
    "book booking reserve reservation appointment",
    "toilet restroom bathroom washroom loo",
    "wifi internet",
    "park parking carpark",
    "ticket admission entry entrance",
    "discount reduction concession",
    "senior elderly pensioner",
    "wheelchair accessible accessibility disabled disability",
    "owner own found founded founder",
    "refund return",
    "voucher gift-card",
    "photo photograph photography picture camera",
    "free complimentary",
    "lift elevator",
    "vegetarian veggie",
    "coeliac celiac gluten",
    "bag luggage",
    "card visa mastercard credit debit",
    "dog pet",
    "baby infant",
    "student students",
    "start begin",
    "allow permit allowed permitted",
    "location locate located address",
    "train station",
    "email mail",
    "bread loaf",
    "ahead advance beforehand",
    "big large",
    "small little",
    "cut clip clipping trim",
]
# a broader word that stands for several narrower ones (weekend -> Saturday, Sunday)
_HYPERNYMS = {"weekend": "saturday sunday", "weekday": "monday tuesday wednesday thursday friday",
              "weekdays": "monday tuesday wednesday thursday friday", "christmas": "december",
              "xmas": "christmas december", "pastry": "croissant", "drink": "coffee tea juice",
              "pay": "cash card"}


# a narrower word is answered by a sentence about the broader one ("my cat" -> "pets are not allowed")
_BROADER = {"cat": "pet", "dog": "pet", "puppy": "dog", "kitten": "cat", "hamster": "pet", "parrot": "pet",
            "bus": "transport", "tram": "transport", "taxi": "transport", "visa": "card", "mastercard": "card",
            "amex": "card", "daughter": "child", "son": "child", "grandchild": "child", "toddler": "child",
            "teenager": "child", "pensioner": "senior", "coffee": "drink", "tea": "drink", "juice": "drink"}
_CONTRACTIONS = re.compile(r"\b(what|where|when|who|how|that|there|it)s\b|\b(don|doesn|isn|aren|can|won|didn)t\b", re.I)


def expand_contractions(text: str) -> str:
    """Apostrophes typed without the apostrophe: "whats" -> "what is", "dont" -> "don't"."""
    return _CONTRACTIONS.sub(lambda m: f"{m.group(1)} is" if m.group(1) else f"{m.group(2)}'t", text)


def normalise(word: str) -> str:
    """One comparable form of an English word: lower case, American spelling, stemmed."""
    w = word.lower().replace("’", "'")
    if not w.isascii() and not re.search(r"[\uac00-\ud7a3]", w):  # café -> cafe, naïve -> naive
        w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    w = _SPELLING.get(w, w)
    for pattern, repl in _SUFFIX:
        w2 = pattern.sub(repl, w)
        if w2 != w:
            w = w2
            break
    return stem(w)


def _build_synonyms() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in _GROUPS:
        stems = {normalise(w) for w in group.split()}
        for s in stems:
            out.setdefault(s, set()).update(stems - {s})
    for broad, narrow in _HYPERNYMS.items():
        out.setdefault(normalise(broad), set()).update(normalise(w) for w in narrow.split())
    for narrow, broad in _BROADER.items():
        out.setdefault(normalise(narrow), set()).add(normalise(broad))
    return {k: frozenset(v) for k, v in out.items()}


SYNONYMS = _build_synonyms()


def words(text: str) -> list[str]:
    """Word tokens as typed (letters and digits, apostrophes inside words kept)."""
    return _WORD.findall(text)


_JOSA = re.compile(r"(?:이랑|에서는|에서|에는|으로|하고|까지|부터|은|는|이|가|을|를|도|만|에|로|랑|와|과|의|요)+[?？.!]*$")


def korean_terms(text: str) -> list[str]:
    """Content morphemes of Korean text (nouns, verb/adjective stems, foreign words, numbers).

    Each word with its particles stripped ("펌은" -> "펌") is added too: the analyser can split a
    short noun differently in a question and in a document."""
    from ..dialog.nlp import korean

    out = []
    noun_end: dict[int, int] = {}  # word start -> end of the nouns it begins with
    prev_end = -1
    for tok in korean().tokenize(text):
        if tok.tag in ("NNG", "NNP", "SL", "SN", "XR") or tok.tag in ("VV", "VA") and len(tok.form) > 1:
            out.append(normalise(tok.form) if tok.tag == "SL" else tok.form)
        if tok.tag in ("NNG", "NNP", "ETN"):
            start = next((s for s, e in noun_end.items() if e == tok.start or e == tok.start + tok.len
                          and tok.tag == "ETN"), tok.start if tok.tag != "ETN" else None)
            if start is not None:
                noun_end[start] = max(tok.start + tok.len, prev_end if start != tok.start else 0)
        prev_end = tok.start + tok.len
    pos = 0
    for word in text.split():
        start, pos = text.index(word, pos), text.index(word, pos) + len(word)
        bare = _JOSA.sub("", word)
        if bare and bare != word and bare == text[start:noun_end.get(start, start)] and bare not in out:
            out.append(bare)
    return out


def join_hyphens(text: str) -> str:
    """"wi-fi" -> "wifi", "e-mail" -> "email": a hyphen after a short piece joins one word."""
    return re.sub(r"\b([A-Za-z]{1,2})-([A-Za-z]+)\b", r"\1\2", text)


def content_terms(text: str) -> list[str]:
    """Normalised content terms of ``text`` (English stop words dropped; Korean via Kiwi)."""
    if re.search(r"[\uac00-\ud7a3]", text):
        return korean_terms(text)
    out = []
    for w in words(join_hyphens(text)):
        base = re.sub(r"['’](s|re|ll|ve|d|m|t)$", "", w.lower())
        if w.lower() in STOPWORDS or base in STOPWORDS:
            continue
        out.append(normalise(base))
    return out


@lru_cache(maxsize=20000)
def _close(a: str, b: str) -> bool:
    """A plausible typo: a swapped or missing/extra letter; a wrong letter only from 6 letters on
    (in short words it makes another word: coat/cost, cake/care); two edits from 8 letters on."""
    n = min(len(a), len(b))
    if n < 4 or a[0] != b[0] and n < 7 or abs(len(a) - len(b)) > 2:
        return False
    if n < 6:
        return sorted(a) == sorted(b) and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1 \
            or Levenshtein.distance(a, b, weights=(1, 1, 2), score_cutoff=1) <= 1
    limit = 1 if n < 8 else 2
    return DamerauLevenshtein.distance(a, b, score_cutoff=limit) <= limit


def match(term: str, vocab: frozenset[str] | set[str]) -> float:
    """How well ``term`` is found in ``vocab``: 1 exact, 0.9 synonym or word part, 0.8 typo, else 0."""
    if term in vocab:
        return 1.0
    syn = SYNONYMS.get(term)
    if syn and syn & vocab:
        return 0.9
    if term.isdigit():
        return 0.0
    for v in vocab:
        # compounds written apart or together ("wifi"/"wi-fi"), derived words ("rent"/"rental")
        short, long_ = (term, v) if len(term) <= len(v) else (v, term)
        if len(short) >= 4 and long_.startswith(short) and (len(short) >= 5 or len(long_) - len(short) <= 2):
            return 0.9
    if term.isascii() and len(term) >= 4:
        for v in vocab:
            if v.isascii() and _close(term, v):
                return 0.8
    elif not term.isascii() and len(term) >= 2:  # Korean: a noun inside a compound (주차장 / 주차)
        for v in vocab:
            if len(v) >= 2 and (term in v or v in term):
                return 0.85
    return 0.0
