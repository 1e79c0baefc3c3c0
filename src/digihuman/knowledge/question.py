"""What a question asks: the expected kind of answer, the terms an answer must contain, its topic.

The parser gives the structure (spaCy for English, Kiwi for Korean): the wh-word or inverted
auxiliary says whether a price, a time, a place, a person, a number or a yes/no is wanted; the
content words that are not generic ("sell", "shop", "price") are the things the answer has to be
about. A question whose required terms are missing from the knowledge is not answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .terms import content_terms, expand_contractions, join_hyphens, korean_terms, match, normalise

# words any shop question uses without naming what it is about: they rank sentences, never decide
GENERIC_EN = frozenset(normalise(w) for w in (
    "have has sell offer serve get make need want like take use come go buy find provide carry stock be do can tell "
    "know give let shop store place business thing stuff anything something everything option kind type way item "
    "product service much many price cost fee charge time hour open close day week today tomorrow tonight now "
    "available possible allow able usually also info information detail currently still normally exactly around "
    "right long far often visit there here ok okay lot able come bring pay right again ever actually "
    "morning evening afternoon night early late somewhere anywhere someone anyone sometime "
    # who is coming along is context, not what is asked ("can my grandma use a wheelchair?")
    "grandma grandmother grandpa grandfather granny mum mom mother dad father parent friend wife husband "
    "partner boyfriend girlfriend colleague own happen "
    # politeness carries no topic ("thanks!" asks nothing)
    "thanks thank great cool nice awesome bye goodbye lol wow please sorry").split())
# nouns that name the kind of answer, not the thing asked about ("what is the ADDRESS of the bakery?")
_SLOT_NOUNS = {"PRICE": frozenset(normalise(w) for w in "price cost fee charge rate".split()),
               "TIME": frozenset(normalise(w) for w in "time hour hours schedule".split()),
               "PLACE": frozenset(normalise(w) for w in "address location located situated based".split()),
               "NUMBER": frozenset(normalise(w) for w in "number amount age".split())}
_GENERIC_KO = frozenset("있 하 되 가능 수 것 거 뭐 무엇 어떻 얼마 언제 어디 누구 몇 시간 가격 비용 요금 혹시 알 주 좀 곳 가게 위치 주소 "
                        "싶 오 가 받 말 궁금 정도 제일 요일 영업 문 알리 알려 말씀 팔 파 어떤 무슨 어떻게 되 돼".split())
_WH_KO = [("PRICE", re.compile(r"얼마|가격|비용|요금")), ("TIME", re.compile(r"언제|몇\s*시|시간")),
          ("PLACE", re.compile(r"어디|위치|주소")), ("PERSON", re.compile(r"누구|누가")),
          ("NUMBER", re.compile(r"몇")), ("THING", re.compile(r"뭐|무엇|무슨|어떤 것|어떻게"))]
_DAY_WORDS = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweekends?\b|\bweekdays?\b|\bholidays?\b"
                        r"|\btoday\b|\btomorrow\b|\btonight\b|요일|주말|평일|공휴일|휴일|오늘|내일", re.I)
_PRON_SWAP = {"you": "we", "your": "our", "yours": "ours", "yourself": "ourselves", "i": "you", "me": "you",
              "my": "your", "mine": "yours", "am": "are", "we": "you", "our": "your", "us": "you"}
# what a wh-word asks for in words documents use: "where" is answered by "located at", "address"
_IMPLIED = {"PLACE": [normalise(w) for w in ("located", "address")], "PRICE": [normalise(w) for w in ("cost", "price")]}
_LIGHT_VERBS = frozenset("be have do get need want like can let tell know go come take use make give find say "
                         "see look think try mean".split())
_WH = ("what", "when", "where", "who", "whom", "whose", "which", "why", "how")


@dataclass(frozen=True)
class Question:
    """One question (a part of a message), analysed."""

    text: str
    lang: str
    expects: str
    """PRICE, COST (a yes/no about a price), TIME, DATE, PLACE, PERSON, NUMBER, DURATION, YESNO or THING."""
    keys: tuple[str, ...]
    """Normalised terms an answer must contain (the things asked about)."""
    extra: tuple[str, ...]
    """Generic normalised terms: they help rank sentences but are not required."""
    head: str
    """The normalised main noun asked about ("" when none)."""
    topic: str
    """The topic in words ("gift wrapping", "open on Sunday")."""
    indirect: str
    """The question as a clause for "I don't know ...": "whether we sell cars"."""
    items: tuple[tuple[int, str], ...] = ()
    """Counted things, e.g. ((2, "croissants"), (1, "coffee")), for adding prices up."""
    head_mod: bool = False
    """The head is itself a modifier ("gift" in "gift shop"), so it may match one in a sentence."""
    verbs: tuple[str, ...] = ()
    """Required terms that are verbs: paraphrased most often ("who started" / "founded by")."""
    optional: tuple[str, ...] = ()
    """Modifiers of the head ("rye" in "rye bread", "vegan" in "vegan cakes")."""
    compound: tuple[str, ...] = ()
    """Noun modifiers of the head ("family" in "family ticket"): a statement about tickets may answer."""
    actions: tuple[str, ...] = ()
    """Verbs that say what is done ("SELL", "serve", "rent"): a yes needs a fact about that action."""
    subject: tuple[str, ...] = ()
    """Terms of the grammatical subject ("is THE MUSEUM open?"): the business itself needs no match."""

    @property
    def yesno(self) -> bool:
        return self.expects == "YESNO"


@lru_cache(maxsize=512)
def _parse(text: str):
    from ..dialog.nlp import parse

    return parse(text)


def analyse(text: str, lang: str) -> Question:
    """Analyse one question in English or Korean."""
    text = join_hyphens(" ".join(text.split()))
    text = expand_contractions(text) if lang != "ko" else text
    return _analyse_ko(text) if lang == "ko" else _analyse_en(text)


def _expects_en(doc, low: str) -> str:
    first = next((t for t in doc if not t.is_punct and t.lower_ not in ("and", "so", "also", "but", "then", "ok",
                                                                       "okay", "please", "hi", "hello")), None)
    if re.search(r"\bhow much time\b|\bhow long\b|\bhow (?:far|long|many days) (?:ahead|in advance|before)|\bhow early\b",
                 low):
        return "DURATION"
    if re.search(r"\bhow much\b|\bhow expensive\b", low):
        return "PRICE"
    if re.search(r"\bhow many\b|\bhow old\b", low):
        return "NUMBER"
    if re.search(r"\bwhat time\b|\bwhen\b|\buntil when\b|\bwhat hours?\b|\bwhat days?\b|\bwhich days?\b", low):
        return "TIME"
    if re.search(r"\bwhat year\b|\bsince when\b|\bwhich year\b|\bwhat date\b", low):
        return "DATE"
    if re.search(r"\bwhere\b|\bhow (?:do|can) (?:i|we) get\b|\bhow to get\b", low):
        return "PLACE"
    if re.search(r"\bwho\b|\bwhose\b", low):
        return "PERSON"
    if first is not None and first.lower_ not in _WH and (first.pos_ == "AUX" or first.lower_ in (
            "do", "does", "did", "is", "are", "can", "could", "will", "would", "should", "may", "might", "must",
            "have", "has", "any", "anything")):
        return "YESNO"
    if not any(t.lower_ in _WH for t in doc) and low.endswith("?") and len(doc) <= 4:
        return "YESNO"  # "Parking?" "Wifi here?"
    return "THING"


def _analyse_en(text: str) -> Question:
    doc = _parse(text)
    low = text.lower()
    expects = _expects_en(doc, low)
    keys, extra, head, head_mod, verbs, optional, compound, slots = [], [], "", False, [], [], [], []
    for t in doc:
        if t.is_punct or t.pos_ in ("PRON", "DET", "ADP", "CCONJ", "SCONJ", "PART", "INTJ", "AUX", "NUM") \
                or t.lower_ in _WH:
            continue
        if t.dep_ == "poss":  # "my dog's nails": the owner is context, the nails are asked about
            extra += content_terms(t.text)
            continue
        for n in content_terms(t.lemma_ if t.pos_ in ("VERB", "NOUN") else t.text):
            slot = next((k for k, nouns in _SLOT_NOUNS.items() if n in nouns or len(n) >= 4 and match(n, nouns) >= 0.8),
                        "")
            if slot and (t.pos_ in ("NOUN", "PROPN") or slot != "TIME"):
                slots.append(slot)
                extra.append(n)
                continue
            (extra if n in GENERIC_EN else keys).append(n)
            if t.pos_ == "VERB" and n not in GENERIC_EN:
                verbs.append(n)
    nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN") and normalise(t.lemma_) in keys]
    if nouns:
        # the last noun of a compound is its head ("family TICKET"), whatever the parse says
        nouns = [t for t in nouns if t.i + 1 >= len(doc) or doc[t.i + 1].pos_ not in ("NOUN", "PROPN")] or nouns
        root_nouns = [t for t in nouns if t.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "pobj", "ROOT")]
        head_tok = (root_nouns or nouns)[0]
        head = normalise(head_tok.lemma_)
        head_mod = head_tok.dep_ == "compound" and head_tok.i + 1 < len(doc) and doc[head_tok.i + 1].pos_ == "NOUN"
        # "a family ticket": what is said of tickets in general may answer it
        before = [t for t in doc[max(0, head_tok.i - 2):head_tok.i] if normalise(t.text) in keys]
        optional = [normalise(t.text) for t in before if t.pos_ in ("NOUN", "PROPN", "ADJ")]
        compound = [normalise(t.text) for t in before if t.pos_ in ("NOUN", "PROPN")]
    if expects == "THING" and slots:
        expects = slots[0]
    if expects == "YESNO" and any(match(normalise(t.lemma_), _SLOT_NOUNS["PRICE"] | {normalise("free")}) >= 1.0
                                  for t in doc if t.i == 0 or doc[t.i - 1].text != "-"):
        expects = "COST"  # "is parking free?", "does it cost anything?": the price (or "free") is the answer
    extra += _IMPLIED.get(expects, [])
    return Question(text, "en", expects, tuple(dict.fromkeys(keys)), tuple(dict.fromkeys(extra)), head,
                    _topic_en(doc), _indirect_en(doc, expects), _items_en(doc), head_mod, tuple(verbs),
                    tuple(optional), tuple(compound), tuple(normalise(t.lemma_) for t in doc if t.pos_ == "VERB"
                                           and t.lemma_ not in _LIGHT_VERBS),
                    tuple(normalise(t.lemma_) for t in doc if t.dep_ in ("nsubj", "nsubjpass")
                          and t.pos_ in ("NOUN", "PROPN")))


def _topic_en(doc) -> str:
    """Noun phrases (without articles and pronouns) and day phrases: "are you open on Sunday" -> "open on Sunday"."""
    parts = []
    for chunk in doc.noun_chunks:
        words = [t.text for t in chunk if t.pos_ not in ("DET", "PRON") and t.lower_ not in _WH
                 and t.lower_ not in ("much", "many")]
        if words and chunk.root.pos_ != "PRON":
            prep = chunk.root.head if chunk.root.dep_ == "pobj" else None
            parts.append((f"{prep.text} " if prep is not None and parts else "") + " ".join(words))
    pred = [t.text for t in doc if t.dep_ in ("ROOT", "acomp") and t.pos_ in ("VERB", "ADJ")
            and t.lemma_ not in ("do", "be", "have", "sell", "offer", "get", "need", "want")]
    if pred and (not parts or pred[0].lower() in ("open", "closed", "close")):
        parts = pred[:1] + [(f"on {p}" if p[:1].isupper() and not p.startswith("on ") else p) for p in parts]
    return " ".join(parts)


def _indirect_en(doc, expects: str) -> str:
    """The question as an embedded clause, from the persona's side: "do you sell cars?" -> "whether we sell cars"."""
    toks = [t for t in doc if not (t.is_punct and t.i == len(doc) - 1) and t.text != "?"]
    while toks and toks[0].lower_ in ("and", "so", "also", "but", "then", "ok", "okay", "please", "hi", "hello", ","):
        toks = toks[1:]
    if len(toks) > 1 and toks[0].pos_ == "ADP" and toks[1].lower_ in _WH:
        toks = toks[1:]  # "from what age ...": the preposition stays with the wh-word below
        prep = doc[toks[0].i - 1].text.lower() + " "
    else:
        prep = ""
    if not toks:
        return "that"
    words = [{"'s": "is", "'re": "are", "'m": "am"}.get(t.lower_, t.text) if t.pos_ == "AUX" else t.text for t in toks]
    lead, aux_i = (1 if toks[0].lower_ in _WH else 0), None
    for i in range(lead, len(toks) if lead else 1):
        # the wh-phrase runs up to the inverted verb ("how many kinds of bread | do you bake");
        # a main verb first means the wh-word is the subject ("who owns the shop")
        if toks[i].pos_ == "AUX" or toks[i].lower_ in ("do", "does", "did"):
            aux_i = i
            break
        if toks[i].pos_ == "VERB":
            break
    lead = aux_i if lead and aux_i is not None else lead
    subj = next((t for t in toks if t.dep_ in ("nsubj", "nsubjpass", "expl") and aux_i is not None
                 and t.i > toks[aux_i].i), None)
    if aux_i is not None and subj is None:  # a parse without a subject: the first noun phrase after the verb
        subj = next((c.root for c in doc.noun_chunks if c.start > toks[aux_i].i), None)
    if aux_i is not None and subj is not None:
        aux, aux_word = toks[aux_i], words[aux_i].lower()
        chunk = next((c for c in doc.noun_chunks if c.start <= subj.i < c.end), None)
        last = chunk.end - 1 if chunk is not None and subj.pos_ != "PRON" else max(x.i for x in subj.subtree)
        if aux.lemma_ == "do" and chunk is not None and len(chunk) > 1 and not any(
                t.pos_ == "VERB" for t in doc[aux.i + 1:]):
            last -= 1  # "does the rye bread cost" parsed as one noun phrase: its last word is the verb
        end = last - toks[0].i  # position after the subject
        body = words[:aux_i] + words[aux_i + 1:end + 1]
        rest = words[end + 1:]
        if aux.lemma_ == "do":
            verb = rest[0] if rest else ""
            if aux.lower_ == "does" and verb and subj.lower_ not in ("i", "you", "we", "they"):
                rest = [verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")] + rest[1:]
            words = body + rest
        elif lead and aux.lemma_ == "be" and not any(t.pos_ in ("VERB", "ADJ") for t in toks[end + 1:]):
            words = words[:aux_i] + words[aux_i + 1:] + [aux_word]  # "what is the fee for X" -> "what the fee for X is"
        else:
            words = body + [aux_word] + rest
    out = [_PRON_SWAP.get(w.lower(), w) if w.lower() in _PRON_SWAP else w for w in words]
    # "you are" said back as "we are": fix the verb after a swapped pronoun
    out = " ".join(out).replace("you am", "you are").replace("we am", "we are")
    out = re.sub(r" (?=[,.;:!]|n't\b|'(?:s|re|ll|ve|d|m)\b)|(?<=-) | (?=-)", "", out)
    out = out[0].lower() + out[1:] if out and not out.startswith("I ") else out
    if not lead:
        return f"whether {out}"
    return prep + out


def _items_en(doc) -> tuple[tuple[int, str], ...]:
    """Counted or coordinated things: "two croissants and a coffee", "two games and shoe rental"."""
    from .values import count_word

    chunks = [c for c in doc.noun_chunks if c.root.pos_ != "PRON" and normalise(c.root.lemma_) not in GENERIC_EN]
    roots = {c.root.i for c in chunks}
    items = []
    for chunk in chunks:
        # "two croissants" counts; "a bath" only in a list ("a coffee and a cake"), not "a bath for a big dog"
        count = next((count_word(t.text) for t in chunk if t.dep_ in ("nummod", "det") and count_word(t.text)
                      and t.lower_ not in ("a", "an")), None)
        joined = chunk.root.dep_ == "conj" and chunk.root.head.i in roots or any(
            c.dep_ == "conj" and c.i in roots for c in chunk.root.children) or chunk.start > 0 and doc[
            chunk.start - 1].lower_ in ("and", "plus", "&")
        name = " ".join(t.text for t in chunk if count_word(t.text) is None and t.pos_ not in ("DET", "PRON"))
        if name and (count or joined):
            items.append((count or 1, name))
    return tuple(items)


def _analyse_ko(text: str) -> Question:
    expects = next((kind for kind, pat in _WH_KO if pat.search(text)), "")
    if not expects:
        expects = "YESNO" if re.search(r"[?？]\s*$|나요|까요|습니까|ㅂ니까|어요\s*$|가요\s*$", text) else "THING"
    terms = [t for t in korean_terms(text) if t.strip()]
    keys = [t for t in terms if t not in _GENERIC_KO and not re.fullmatch(r"[월화수목금토일]", t)]
    extra = [t for t in terms if t not in keys]
    nouns = [t for t in keys if not t.isascii()]
    topic = " ".join(keys) or " ".join(terms)
    items = _items_ko(text) if expects == "PRICE" else ()
    return Question(text, "ko", expects, tuple(dict.fromkeys(keys)), tuple(dict.fromkeys(extra)),
                    nouns[0] if nouns else "", topic, topic, items)


def _items_ko(text: str) -> tuple[tuple[int, str], ...]:
    """Things joined by a conjunctive particle ("염색이랑 펌", "커피와 케이크"), one of each."""
    from ..dialog.nlp import korean

    groups: list[list[str]] = [[]]
    for tok in korean().tokenize(text):
        if tok.tag == "JC":
            groups.append([])
        elif tok.tag in ("NNG", "NNP", "SL") and tok.form not in _GENERIC_KO:
            groups[-1].append(text[tok.start:tok.start + tok.len])  # as written: "펌", not the analysis "퍼"
    names = [" ".join(g) for g in groups if g]
    return tuple((1, n) for n in names) if len(names) > 1 else ()


def has_day(text: str) -> bool:
    """The text names a day ("Sunday", "holidays", "tomorrow", "주말")."""
    return bool(_DAY_WORDS.search(text))
