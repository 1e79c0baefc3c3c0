"""Word-level evidence for text emotion, read from the parse (spaCy for English, Kiwi for Korean).

The parse gives what a word list alone cannot: whether a feeling word is negated ("I'm not happy":
``neg`` on its head; "행복하지 않아": 지 + 않다), how strongly it is said (an intensifier among its
modifiers), and whether a situation is real or only asked about ("What if my order is late?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon as lx

_NEG_WORDS = {"not", "never", "no", "hardly", "barely", "without", "n't", "nothing"}
_HYPOTHETICAL = {"if", "unless", "whether", "in case"}
_WISHED = {"hope", "wish", "expect", "want", "plan", "dream"}
_KIN = set("mum mom mother dad father grandma grandpa grandmother grandfather nan granny wife husband son "
           "daughter brother sister friend uncle aunt cousin dog cat baby partner".split())
_BODY = set("leg arm wrist ankle hand foot back neck nose rib finger toe knee hip shoulder collarbone".split())
_VEHICLE = set("bus train flight plane ferry deadline call appointment connection interview exam meeting class lesson "
               "chance opportunity show concert match wedding game".split())  # missing these is a mishap
# Words whose feeling/situation sense needs a particular head ("feel down", "came back clear").
_HEAD_NEEDED = {"down": {"feel", "be", "seem", "look", "get"}, "clear": {"come"}, "fire": {"get", "be"}}
_VERB_ONLY = {"charge", "break", "lock", "raise", "accept", "hire", "fire", "ruin", "wait", "pour", "ignore"}
# Idioms that only exist to be ironic, and a single word in scare quotes (was "delivered").
_IRONY = re.compile(r"\b(just my luck|living the dream|story of my life|yeah,? right|what a (?:treat|joy)|"
                    r"just what i needed)\b|[\"“‘]\w+[\"”’]", re.I)
_REPEAT = re.compile(r"([a-zA-Z])\1{2,}")


@dataclass
class Cues:
    """What the words of a message say (mutable while it is gathered, then only read)."""

    feeling: dict[str, float] = field(default_factory=dict)
    """label -> weight of feeling words (negation applied: "not happy" counts as sadness)."""
    situation: dict[str, float] = field(default_factory=dict)
    """label -> weight of real (not hypothetical) good and bad situations."""
    details: dict[str, tuple[float, str]] = field(default_factory=dict)
    """label -> (weight, finer feeling) of its strongest word with a finer feeling."""
    negated: set[str] = field(default_factory=set)
    """Labels said not to be felt ("I'm not worried")."""
    bad: float = 0.0
    good: float = 0.0
    evaluative: int = 0
    """Glowing words ("great", "perfect") not inside a negation."""
    glow_open: int = 0
    """Glowing words that open a sentence ("Oh fantastic, ...", "Brilliant.", "Love that for me."): the
    ironic position; "Sam's visit was amazing" praises its subject instead."""
    glow_thanks: int = 0
    """Glowing words that are a bare thanks: "Thanks. I'll try to sleep" is politeness, not irony."""
    glow_with_bad: bool = False
    """A glowing word and a bad situation in one sentence ("thanks for charging me twice")."""
    joy_statement: bool = False
    """A first-hand joy feeling word ("I'm so happy"): glowing words then mean what they say."""
    irony: bool = False
    """An irony marker: 🙃, scare quotes, "just my luck"."""
    question: bool = False
    """Every sentence is a question."""
    hoped: bool = False
    """Good news only hoped for or expected ("I thought I'd get the promotion")."""
    about_us: bool = False
    """A question about the persona ("Are you happy?"): its feeling words are not the user's."""
    business: bool = False
    """The message points at us: "you", "your", or the business's nouns (order, refund, service)."""
    contrast: bool = False
    intensity: float = 1.0
    rest: str = ""
    """The message without its glowing words (English): what is left to judge for sarcasm."""
    turn: str = ""
    """The clause after "but/although" (English): the second half of mixed feelings."""

    def add(self, table: str, label: str, detail: str, weight: float) -> None:
        bucket = self.feeling if table == "feeling" else self.situation
        bucket[label] = bucket.get(label, 0.0) + weight
        if detail and weight > self.details.get(label, (0.0, ""))[0]:
            self.details[label] = (weight, detail)

    @property
    def evidence(self) -> float:
        """Total weight of words that carry a feeling."""
        return sum(self.feeling.values()) + sum(self.situation.values())


_KO_LAUGH, _KO_CRY = re.compile(r"[ㅋㅎ]{2,}"), re.compile(r"[ㅠㅜ]{2,}")


def _emoji(text: str, cues: Cues) -> None:
    if _KO_LAUGH.search(text):  # ㅋㅋ / ㅎㅎ laughter, ㅠㅠ tears: the emoji of Korean chat
        cues.add("feeling", "joy", "", 0.6)
    if _KO_CRY.search(text):
        cues.add("feeling", "sadness", "", 0.8)
    seen: dict[str, int] = {}
    for ch in text:
        if ch in lx.IRONY_EMOJI:
            cues.irony = True
        hit = lx.EMOJI.get(ch)
        if hit and seen.get(ch, 0) < 2:  # a row of the same emoji is one feeling, a little stronger
            seen[ch] = seen.get(ch, 0) + 1
            cues.add("feeling", hit[0], hit[1], 0.8 if seen[ch] == 1 else 0.3)


# ---- English ------------------------------------------------------------------------------------
def _asks(sent) -> bool:
    text = sent.text.rstrip()
    if not text.endswith("?") or "!" in text or text.endswith("??"):
        return False
    words = [t.lower_ for t in sent]
    if words[:2] == ["what", "if"]:
        return False
    return not (words[0] == "why" and {"still", "again", "even", "yet"} & set(words))


def _negated(tok) -> bool:
    sent = tok.sent
    opener = [t for t in sent[:4] if t.pos_ != "INTJ"]
    if len(opener) >= 3 and opener[0].lemma_ == "be" and opener[1].dep_ == "neg" and \
            opener[2].lower_ in ("that", "it", "this") and not sent.text.rstrip().endswith("?"):
        return False  # "Isn't that just lovely, ..." asserts, it does not deny
    if any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in tok.children):
        return True
    # Climb complements: "I'm not happy" (neg on the copula), "I wouldn't say I'm thrilled" (neg on
    # the verb of saying). A neg scopes over its first complement only ("I'm not angry, just
    # disappointed" leaves "disappointed" alone), and "can't stop worrying" is worrying.
    node = tok
    for _ in range(3):
        if node.dep_ not in ("acomp", "attr", "xcomp", "dobj", "oprd", "advmod", "ccomp") or node.head is node:
            break
        head = node.head
        if head.lemma_ in ("stop", "help", "quit"):
            return False
        if head.pos_ == "AUX" and any(c.dep_ == "nsubj" and c.i > head.i for c in head.children):
            return False  # "Isn't that just marvellous" asserts, it does not deny
        for n in head.children:
            if (n.dep_ == "neg" or n.lower_ == "never") and n.i < node.i and not any(
                    s.dep_ == node.dep_ and n.i < s.i < node.i for s in head.children):
                return True
        node = head
    before = tok.doc[max(tok.sent.start, tok.i - 2): tok.i]
    return any(t.lower_ in _NEG_WORDS for t in before) and not (tok.i and tok.doc[tok.i - 1].lemma_ == "stop")


def _boost(tok) -> float:
    """How strongly a word is said: its strongest intensifier ("so sad"), else its softener ("a bit")."""
    near = {c.lower_ for c in tok.children} | ({tok.doc[tok.i - 1].lower_} if tok.i else set())
    ks = [lx.INTENSIFIER[w] for w in near if w in lx.INTENSIFIER]
    return 1.0 if not ks else max(ks) if max(ks) > 1 else min(ks)


def _hypothetical(tok) -> bool:
    """Only supposed, hoped or expected: "if my order is late", "I hoped I'd win", "I thought I'd get it"."""
    return _wished(tok) or any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL
                               for t in [tok, *tok.ancestors] for c in t.children)


def _wished(tok) -> bool:
    """Hoped for or expected ("I hoped I'd win", "I thought I'd get it"): with a "but", a dashed hope."""
    would = False
    for t in [tok, *tok.ancestors]:
        if t is not tok and (t.lemma_ in _WISHED or (would and t.lemma_ in ("think", "believe"))):
            return True
        would = would or any(c.lemma_ in ("would", "will") for c in t.children if c.dep_ == "aux")
    return False


_PARTICLES = {"up", "down", "out", "off", "away"}


def _lemma(tok) -> str:
    """The lexicon key of a token: verb + particle ("pass away", "fed up") when listed, else lemma or form.

    The word itself is tried too because spaCy lemmatises some feeling adjectives as verbs
    ("revolting" -> "revolt", "fed" -> "feed").
    """
    lem, low = tok.lemma_.lower(), tok.lower_
    prt = [c.lower_ for c in tok.children if c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in _PARTICLES)]
    keys = [f"{lem} {prt[0]}", f"{low} {prt[0]}"] if prt else []
    for key in [*keys, lem, low]:
        if key in lx.FEELING or key in lx.BAD or key in lx.GOOD or key in lx.EVALUATIVE:
            return key
    return lem


def english_cues(text: str) -> Cues:
    """Evidence from an English message."""
    from ..dialog.nlp import parse

    cues = Cues(irony=bool(_IRONY.search(text)))
    _emoji(text, cues)
    doc = parse(_REPEAT.sub(r"\1\1", text))
    sents = list(doc.sents)
    rest: list[str] = []
    # A question asks for information; "What if ...?" is worry, and "Why is it still ...??" a complaint.
    cues.question = bool(sents) and all(_asks(s) for s in sents)
    for sent in sents:
        asked = sent.text.rstrip().endswith("?") and sent[0].lower_ != "why"
        if [t.lower_ for t in sent[:2]] == ["what", "if"]:  # "What if they don't like me?" is worry
            cues.add("feeling", "fear", "worry", 0.8)
            asked = False
        if asked and any(t.lower_ == "you" and t.dep_ in ("nsubj", "nsubjpass") for t in sent):
            cues.about_us = True
            continue
        words = {t.lower_ for t in sent}
        if "still" in words and words & (_NEG_WORDS | {"nobody", "nothing"}) and not asked \
                and not {"believe", "wait"} & {t.lemma_ for t in sent}:  # "I still can't believe it" is awe
            cues.add("situation", "anger", "frustration", 0.5)  # "still no refund", "still hasn't arrived"
            cues.bad += 0.5
        bad_before, glow_before = cues.bad, cues.evaluative
        for tok in sent:
            low, lem = tok.lower_, _lemma(tok)
            # "you" points at us in a statement ("your app deleted my list"); in a question it is small
            # talk ("who's your favourite singer?"), unless a business noun says otherwise
            if low in ("you", "your", "yours", "y'all") and not sent.text.rstrip().endswith("?") or lem in lx.BUSINESS:
                cues.business = True
            if low in lx.CONTRAST and tok.dep_ in ("cc", "mark", "advmod", "ROOT"):
                cues.contrast = True
                cues.turn = cues.turn or doc[tok.i + 1: sent.end].text
            if lem in _HEAD_NEEDED and tok.head.lemma_ not in _HEAD_NEEDED[lem]:
                continue
            if lem == "wait" and any(c.dep_ == "neg" for c in tok.children):
                cues.add("feeling", "joy", "excitement", _boost(tok))  # "can't wait"
                continue
            negated = _negated(tok)
            boost = _boost(tok)
            if not _english_word(tok, lem, negated, boost, asked, cues):
                rest.append(tok.text_with_ws)
            elif sum(t.pos_ not in ("INTJ", "PUNCT") for t in sent[:tok.i - sent.start]) <= 1:
                cues.glow_open += 1  # "Oh fantastic", "Love that": nothing but an interjection before it
        if cues.bad > bad_before and cues.evaluative > glow_before:
            cues.glow_with_bad = True
    cues.rest = "".join(rest).strip()
    if cues.hoped and cues.contrast:  # "I thought I'd get the promotion, but ..." is disappointment
        cues.add("feeling", "sadness", "disappointment", 0.8)
        cues.negated.add("joy")  # the good news did not happen
    return cues


def _english_word(tok, lem: str, negated: bool, boost: float, asked: bool, cues: Cues) -> bool:
    """Add one token's evidence; True when it is a glowing word (left out of :attr:`Cues.rest`)."""
    if negated and tok.tag_ == "JJR" and any(c.lower_ in ("could", "can") for c in tok.head.children):
        negated = False  # "couldn't be happier" is the top of the scale, said plainly or ironically
        lem = "happier"
    # "my best friend", "my lovely wife" describe someone; "Best day ever", "brilliant service" judge.
    described = tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ == "poss" for c in tok.head.children)
    glowing = lem in lx.EVALUATIVE and not negated and not described and (
        tok.pos_ in ("ADJ", "INTJ", "VERB", "NOUN", "ADV") or tok.i == tok.sent.start)
    if glowing:
        cues.evaluative += 1
        # a bare "Thanks." / "Thanks so much!" (not "thanks for nothing", "thanks for charging me twice")
        cues.glow_thanks += lem in ("thank", "thanks", "cheers") and sum(not t.is_punct for t in tok.sent) <= 3
        if lem not in lx.FEELING:  # "thanks" is also a feeling word: counted below at its full weight
            cues.add("feeling", "joy", "love" if lem == "love" else "", 0.5 * boost)
    objs = [c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "pobj", "attr")]
    objs += [g.lemma_.lower() for c in tok.children if c.dep_ == "dobj" for g in c.children if g.dep_ == "compound"]
    fine = ("fine", "good", "ok", "okay", "well", "great")
    if lem in ("thank", "thanks") and tok.i and tok.doc[tok.i - 1].lower_ in (",", *fine) \
            and tok.doc[max(0, tok.i - 2)].lower_ in fine:
        return True  # "I'm fine, thanks": politeness, not gratitude
    if lem == "thank" and any(o in ("god", "goodness", "heaven", "heavens") for o in objs):
        cues.add("feeling", "joy", "relief", boost)
        return True
    if lem == "miss":  # missing a person is sadness; missing a bus is a bad situation
        if any(o in _VEHICLE for o in objs):
            lem = "late"
        elif not negated:
            cues.add("feeling", "sadness", "loneliness", 0.8 * boost)
            return False
    if lem == "forget" and not any(c.dep_ in ("dobj", "xcomp") for c in tok.children):
        return glowing  # "I forgot my keys" is a mishap; "I forgot how funny he is" is not
    if lem in ("cry", "tear") and any(c.lemma_.lower() in ("happy", "joy", "joyful") for c in tok.children):
        cues.add("feeling", "joy", "", 0.8 * boost)  # "happy tears"
        return glowing
    if lem == "pass" and objs:  # "passed the exam"; "passed away" is its own lemma
        lem = "graduate"
    if lem in ("get", "land", "win", "receive") and any(o in lx.GOOD_OBJECTS for o in objs):
        lem = "promote"
    if lem in ("get", "make") and any(c.lower_ == "into" and any(g.lemma_.lower() in lx.ADMISSIONS for g in c.children)
                                      for c in tok.children):
        lem = "promote"  # "I got into the nursing programme", "made it into the team"
    if lem in ("have", "welcome") and any(o in ("baby", "babies", "twins", "boy", "girl", "son", "daughter")
                                          for o in objs) and tok.tag_ == "VBD":
        lem = "born"  # "my sister had her baby last night"
    if lem in ("sick", "ill", "unwell") and not negated and not asked and not any(
            c.lower_ in ("i", "me") for c in [*tok.children, *tok.head.children] if c.dep_ in ("nsubj", "nsubjpass")):
        cues.add("situation", "fear", "worry", 0.5)  # someone else is ill: worry, not our own misery
        cues.bad += 0.5
        return False
    if lem in ("believe", "expect", "idea", "way") and negated and not asked:  # "can't believe it", "no idea"
        cues.add("feeling", "surprise", "", 0.5 * boost)
        return False
    if lem == "lose" and any(o in _KIN for o in objs):
        lem = "die"
    if lem in ("break", "hurt", "twist", "sprain") and any(o in _BODY for o in objs):
        lem = "injure"  # a broken leg is sorrow, a broken boiler is exasperation
    hit = lx.FEELING.get(lem)
    if lem == "idiot" and not any(t.lower_ in ("i", "me") for t in tok.sent):
        hit = None  # "I feel like an idiot" is embarrassment; "you idiot" is not
    if lem == "shake" and any(c.dep_ == "dobj" for c in tok.children):
        hit = None  # "shaking" alone is fear; shaking hands or a bottle is not
    if lem in ("sick", "tired") and any(c.lower_ == "of" for c in tok.children):
        hit = ("anger", "frustration", 1.0)  # "sick of", "tired of" waiting
    if hit and (tok.pos_ != "PROPN" or tok.i == tok.sent.start):  # "Phew," opens as a proper noun
        label, detail, w = hit
        w *= boost * (0.5 if asked else 1.0)
        if negated:
            cues.negated.add(label)
            if label == "joy":  # "not happy" leans sad; "not sad" is no evidence of anything
                cues.add("feeling", "sadness", "disappointment", 0.6)
            return False
        if label == "joy" and not glowing and detail != "gratitude" and tok.pos_ in ("ADJ", "VERB"):
            cues.joy_statement = True
        cues.add("feeling", label, detail, w)
        return glowing
    if lem in ("bad", "terrible", "awful", "horrible") and negated:  # "not bad" is mild praise
        cues.add("feeling", "joy", "", 0.6)
        cues.negated.add("sadness")  # the meaning still sits near "bad"
        return False
    if lem in lx.GOOD and not asked and not negated and _wished(tok):
        cues.hoped = True
    if asked or _hypothetical(tok) or negated or (lem in _VERB_ONLY and tok.pos_ != "VERB"):
        return glowing
    if tok.tag_ in ("VBP", "VBZ") and lem not in lx.BAD:  # "we hire students": a habit, not news
        return glowing
    for table, sign in ((lx.BAD, -1), (lx.GOOD, 1)):
        hit = table.get(lem)
        if hit:
            label, detail, w = hit
            cues.add("situation", label, detail, w * boost)
            if sign < 0:
                cues.bad += w
            else:
                cues.good += w
    return glowing


# ---- Korean -------------------------------------------------------------------------------------
_KO_TABLES = (("feeling", lx.KO_FEELING), ("situation", lx.KO_BAD), ("situation", lx.KO_GOOD))


def korean_cues(text: str) -> Cues:
    """Evidence from a Korean message (Kiwi morphemes; particles dropped so 화가 나다 = 화나다)."""
    from ..dialog.nlp import korean

    cues = Cues(irony=bool(_IRONY.search(text)))
    _emoji(text, cues)
    toks = [(t.form, t.tag.split("-")[0]) for t in korean().tokenize(text) if not t.tag.startswith("J")]
    forms = [f for f, _ in toks]
    cues.question = text.rstrip().endswith("?") or any(t == "EF" and f.endswith(("까", "니", "냐", "나요"))
                                                        for f, t in toks)
    i = 0
    while i < len(toks):
        n, key = next(((n, "+".join(forms[i:i + n])) for n in (3, 2, 1)
                       if any("+".join(forms[i:i + n]) in tab for _, tab in _KO_TABLES)), (1, forms[i]))
        form, tag = toks[i]
        if form in lx.KO_BUSINESS:
            cues.business = True
        if (tag == "EC" and form in lx.KO_CONTRAST) or form in ("하지만", "그렇지만"):
            cues.contrast = True
        if "+".join(forms[i:i + 2]) in lx.KO_EVALUATIVE or form in lx.KO_EVALUATIVE:
            cues.evaluative += 1
        if tag == "VX" or not any(key in tab for _, tab in _KO_TABLES):
            i += n
            continue
        before = forms[max(0, i - 2): i]
        after = forms[i + n: i + n + 4]
        negated = bool({"안", "못"} & set(before)) or ("지" in after and ({"않", "못", "못하"} & set(after))) \
            or (after[:1] == ["없"])
        boost = 1.5 if (set(before) & lx.KO_INTENSIFIER or "죽" in after[:3]) else 1.0
        for table, tab in _KO_TABLES:
            hit = tab.get(key)
            if not hit:
                continue
            label, detail, w = hit
            if negated:
                if table == "feeling":
                    cues.negated.add(label)
                    if label == "joy":
                        cues.add("feeling", "sadness", "disappointment", 0.6)
                break
            if table == "situation" and cues.question:
                break
            cues.add(table, label, detail, w * boost)
            if table == "feeling" and label == "joy":
                cues.joy_statement = key not in lx.KO_EVALUATIVE and form not in lx.KO_EVALUATIVE
            elif table == "situation":
                if tab is lx.KO_BAD:
                    cues.bad += w
                else:
                    cues.good += w
            break
        i += n
    cues.intensity = 1.3 if set(forms) & lx.KO_INTENSIFIER else 1.0
    return cues
