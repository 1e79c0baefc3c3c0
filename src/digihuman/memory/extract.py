"""Rule-based extraction of memorable facts from one chat message (BlenderBot 2.0's "memory write").

``extract_facts(text, about="partner")`` reads the user's message for first-person statements
("I live in Seoul", "my favorite album is MBDTF", "I'm allergic to peanuts"); ``about="self"`` runs
the same rules on the persona's own reply so it stays consistent with what it said about itself.

Each :class:`Fact` has a ``key`` that decides supersession in the store: single-valued slots
(``name``, ``lives_in``, ``job``, ``favorite:<category>``, ``plan:<when>``, ``fact:<subject>`` ...)
hold one current value; multi-valued keys carry the item in the key (``likes:<item>``,
``allergy:<item>``), so "I don't like sushi anymore" (``dislikes:sushi``) replaces ``likes:sushi``.

Deliberately conservative: a clause must *start* (after fillers like "well," or "actually") with
the first-person pattern, so questions, hypotheticals ("if I liked X", "I'd love X"), reported
speech ("my friend says I like X") and vague objects ("I like it") write nothing. A missed fact
costs little; a wrong memory is repeated back to the user forever.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """One statement worth remembering, before it is stored."""

    key: str
    """Supersession slot, e.g. "lives_in", "likes:sushi", "favorite:album", "fact:shop opening hours"."""
    value: str
    text: str
    """Readable memory text, e.g. "(partner) lives in Busan"."""
    about: str
    """"partner" or "self"."""
    correction: bool = False
    """The speaker is correcting or updating something ("actually", "anymore", "moved to")."""
    negated: bool = False
    """A negative statement ("doesn't like X", "is not allergic to X anymore")."""


# Keys with exactly one current value; every other key is multi-valued (the item is in the key).
SINGLE_KEYS = frozenset({"name", "lives_in", "from", "job", "works_at", "age", "birthday", "diet",
                         "studies", "marital", "nationality", "family:children"})
SINGLE_PREFIXES = ("favorite:", "plan:", "fact:", "opinion:")
# Relations a person has at most one of: their name/job are single-valued slots.
UNIQUE_REL = {"wife", "husband", "spouse", "partner", "boyfriend", "girlfriend", "fiance", "fiancee",
              "mom", "mother", "mum", "dad", "father"}


def is_single_valued(key: str) -> bool:
    if key in SINGLE_KEYS or key.startswith(SINGLE_PREFIXES):
        return True
    parts = key.split(":")
    return len(parts) == 3 and parts[0] == "family" and parts[1] in UNIQUE_REL and parts[2] in ("name", "job")


def opposite_key(key: str) -> str | None:
    """Liking and disliking the same item cannot both be current: each supersedes the other."""
    for a, b in (("likes:", "dislikes:"), ("dislikes:", "likes:")):
        if key.startswith(a):
            return b + key[len(a):]
    return None


# ---------------------------------------------------------------- text helpers
_FILLER = re.compile(
    r"^(?:(?:well|oh|ah|so|also|and|but|yeah|yes|yep|ok|okay|hmm+|um+|uh+|hi|hello|hey|hi there|"
    r"hello there|by the way|btw|anyway|honestly|to be honest|you know|actually|no|nope|sorry|wait|"
    r"correction|fyi|just so you know|for your information|oh and|lol|haha)\b[,!.:]?\s*)+", re.I)
_CORRECTION = re.compile(r"\b(actually|anymore|any more|no longer|instead|correction|i meant|moved|"
                         r"not .+ anymore|now)\b|^(no|nope|sorry|wait)\b", re.I)
_HYPOTHETICAL = re.compile(r"\b(if|unless|would|wish|imagine|suppose|supposing|maybe|perhaps|might|"
                           r"whether|pretend|hypothetically|used to|i'd|you'd|said|says|told|thinks? i)\b", re.I)
_QUESTION_START = re.compile(r"^(do|does|did|are|is|was|were|can|could|will|have|has|what|where|when|"
                             r"who|whom|why|how|which|should|shall|may|am|isn't|aren't|don't)\b", re.I)
_ADV = r"(?:(?:really|also|absolutely|totally|just|still|now|actually|currently|kind of|kinda|sort of|" \
       r"truly|genuinely|honestly|definitely|do|too|even|recently|finally|originally)\s+)*"
_IM = r"i(?:'m| am|m)\s+" + _ADV
_PRONOUN_OBJ = re.compile(r"^(it|that|this|them|those|these|him|her|you|me|us|what|which|everything|"
                          r"something|anything|nothing|both|one|so|such|there|here|too)\b", re.I)
_CUT = re.compile(r"\s*(?:,|\bbecause\b|\bsince\b|\bwhen\b|\bbut\b|\bso\b|\bthough\b|\bwhich\b|\banymore\b|"
                  r"\bany more\b|\ba lot\b|\bvery much\b|\bso much\b|\btoo\b|\bas well\b|\beither\b|"
                  r"\bnowadays\b|\bthese days\b|\blately\b|\bmore than\b|\bbetter than\b|\bover\b|"
                  r"\brather than\b|\bnow\b|\boriginally\b|\blast (?:week|month|year|summer|winter|spring|fall)\b|\bago\b|"
                  r"\brecently\b|\binstead\b|\bwith my\b|\bfor (?:a living|work)\b).*$", re.I)
_TIME = re.compile(r"\b(tomorrow|tonight|today|this (?:weekend|week|month|year|summer|winter|spring|fall|"
                   r"autumn|evening|afternoon|morning|[a-z]+day)|next (?:week|month|year|weekend|summer|"
                   r"winter|spring|fall|autumn|[a-z]+day)|on [a-z]+day|in (?:\d+|a|an|two|three|a few|few) "
                   r"(?:days?|weeks?|months?|years?)|soon|later this \w+)\b", re.I)
_MAX_CLAUSE, _MAX_TEXT = 240, 20_000
_SENT = re.compile(r"(?<=[.!?;\n])\s+|\n+")
_CLAUSE = re.compile(r",?\s+(?:and|but|so|because|plus)\s+(?=(?:i|i'm|i've|i'll|my)\b)|,\s+(?=(?:i'm|my)\b)",
                     re.I)
_ARTICLE = re.compile(r"^(?:the|a|an|my|our|some|all|any)\s+", re.I)
_DEMONYMS = {"korean", "american", "english", "british", "japanese", "chinese", "french", "german",
             "spanish", "italian", "canadian", "australian", "indian", "mexican", "brazilian", "russian",
             "vietnamese", "thai", "filipino", "irish", "scottish", "dutch", "swedish", "polish", "turkish"}
_NOT_NAMES = _DEMONYMS | {"ok", "okay", "fine", "good", "sorry", "here", "back", "home", "done", "ready",
                          "not", "so", "very", "also", "still", "just", "really", "happy", "glad", "sure",
                          "christian", "catholic", "jewish", "muslim", "buddhist", "an", "a", "the", "from",
                          "in", "at", "going", "tired", "busy", "new", "single", "married", "vegetarian"}
_JOBS = {"nurse", "student", "teacher", "chef", "doctor", "lawyer", "pilot", "cook", "barista", "clerk",
         "scientist", "dentist", "artist", "architect", "accountant", "cashier", "firefighter", "police officer",
         "soldier", "waiter", "waitress", "journalist", "professor", "tutor", "mechanic", "plumber", "farmer",
         "secretary", "consultant", "analyst", "assistant", "librarian", "pharmacist", "surgeon", "therapist",
         "musician", "actor", "actress", "model", "freelancer", "intern", "ceo", "cto", "founder", "vet",
         "translator", "youtuber", "streamer", "coach", "photographer", "retiree", "housewife", "homemaker"}
_NOT_JOBS = {"mother", "father", "brother", "sister", "other", "lover", "fan", "winner", "loser", "number",
             "user", "beginner", "person", "member", "customer", "foreigner", "believer", "listener", "reader",
             "bit", "little", "lot", "fast", "slow", "bad", "good", "big", "huge", "night", "morning"}
_JOB_SUFFIX = re.compile(r"(er|or|ist|ian|ant|ent|eer|man|woman|ess|ic)$")
_DIETS = r"vegetarian|vegan|pescatarian|pescetarian|lactose intolerant|gluten[- ]free|kosher|halal|keto"
_REL = (r"wife|husband|spouse|partner|boyfriend|girlfriend|fiance|fiancee|mom|mother|mum|dad|father|"
        r"son|daughter|kid|child|brother|sister|sibling|cousin|aunt|uncle|grandma|grandmother|grandpa|"
        r"grandfather|best friend|friend|roommate|boss|niece|nephew")
_PETS = r"dog|cat|puppy|kitten|hamster|rabbit|bunny|parrot|bird|fish|turtle|snake|lizard|guinea pig"
_COUNT = r"a|an|one|two|three|four|five|six|\d+"
_HAVE = r"(?:i (?:" + _ADV + r")(?:have got|have)|i've got|i've|i got)\s+"


_IE_PLURALS = {"movies", "cookies", "zombies", "pies", "ties", "brownies", "smoothies", "selfies", "series",
               "species", "rookies", "lies", "hoodies", "veggies", "aussies", "indies"}


def _strip_punct(s: str) -> str:
    return s.strip().strip(" .!?,;:\"'()[]")


def _clean_obj(s: str, *, cut: bool = True) -> str:
    """Object of a statement without trailing chatter; '' when it is only a pronoun."""
    s = _strip_punct(s)
    if cut:
        s = _strip_punct(_CUT.sub("", s))
    if not s or _PRONOUN_OBJ.match(s) or len(s.split()) > 8:
        return ""
    return s


def _norm(s: str) -> str:
    """Key form of an item: lower case, no article, crude singular ("dogs" -> "dog")."""
    s = _ARTICLE.sub("", s.lower().strip())
    s = re.sub(r"[^\w\s'-]", "", s)
    words = s.split()
    if words:
        w = words[-1]
        if w.endswith("ies") and len(w) > 4 and w not in _IE_PLURALS:
            w = w[:-3] + "y"
        elif w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")) and len(w) > 3:
            w = w[:-1]
        words[-1] = w
    return " ".join(words)


def _items(obj: str) -> list[str]:
    """'hiking, jazz and sushi' -> three items (a known limitation: 'rock and roll' splits too)."""
    parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*", obj)
    return [p for p in (_clean_obj(x, cut=False) for x in parts) if p]


def _name(s: str) -> str:
    words = [w for w in re.split(r"\s+", _strip_punct(s)) if w][:3]
    out = []
    for w in words:
        w = _strip_punct(w)
        if not w or w.lower() in ("and", "but", "from", "i", "im", "i'm", "nice", "by", "here", "please", "not"):
            break
        out.append(w[0].upper() + w[1:])
    return " ".join(out)


# ---------------------------------------------------------------- the rules
class _Ctx:
    def __init__(self, about: str) -> None:
        self.about = about
        self.last_noun = ""  # "I love all of his albums. My favorite is X" -> category "album"
        self.facts: list[Fact] = []

    def add(self, key: str, value: str, text: str, corr: bool, neg: bool = False) -> None:
        if key and value:
            self.facts.append(Fact(key, value, f"({self.about}) {text}", self.about, corr, neg))


def _rules(c: _Ctx, s: str, orig: str, corr: bool) -> None:
    """Apply the first matching rule family to one lower-cased clause ``s`` (``orig``: original case)."""
    m = re.match(r"(?:my name is|my name's|call me|you can call me|i go by|i'm called|i am called|name's)\s+(.+)", s)
    if m:
        c.add("name", _name(orig[m.start(1):]), f"name is {_name(orig[m.start(1):])}", corr)
        return
    m = re.match(r"(?:" + _IM + r"|i'll\s+|i (?:" + _ADV + r"))(?:be|going|traveling|travelling|flying|heading|driving|moving|"
                 r"visiting|planning|leaving|starting|having|staying|will|'ll|plan|have|need)\b(.+)", s)
    t = _TIME.search(s)
    if m and t:
        rest = _strip_punct(orig[m.start(0):])
        rest = re.sub(r"^i(?:'m| am|m)\s+", "is ", rest, flags=re.I)
        rest = re.sub(r"^i(?:'ll| will)\s+", "will ", rest, flags=re.I)
        rest = re.sub(r"^i\s+", "", rest, flags=re.I)
        rest = _strip_punct(re.sub(r",?\s*\b(?:instead|now|actually|anymore)$", "", rest, flags=re.I))
        c.add(f"plan:{t.group(1).lower()}", rest, rest, corr)
        return
    m = re.match(r"i (?:don't|do not|no longer) " + _ADV + r"(?:live|reside) in (.+)", s)
    if m and (v := _clean_obj(orig[m.start(1):])):
        c.add("lives_in", v, f"no longer lives in {v}", True, True)
        return
    m = re.match(r"(?:i|we) " + _ADV + r"(?:live|reside|'m living|am living|'re living|stay|'m staying|am staying) in (.+)"
                 r"|" + _IM + r"based in (.+)|i(?:'ve| have) (?:been living|lived) in (.+)"
                 r"|i (?:" + _ADV + r")(?:moved|'ve moved|have moved|relocated) (?:back )?(?:to|into) (.+)", s)
    if m:
        g = next(i for i in (1, 2, 3, 4) if m.group(i))
        if v := _clean_obj(re.sub(r"\s+for (?:\d+|a|an|one|two|three|four|five|many|few|a few) \w+$", "",
                                  orig[m.start(g):])):
            c.add("lives_in", v, f"lives in {v}", corr or g == 4)
        return
    m = re.match(_IM + r"(?:originally )?from (.+)|i (?:" + _ADV + r")(?:come from|grew up in) (.+)", s)
    if m:
        g = 1 if m.group(1) else 2
        if v := _clean_obj(orig[m.start(g):]):
            c.add("from", v, f"is from {v}", corr)
        return
    m = re.match(_IM + r"(?:not|no longer) (?:" + _ADV + r")(?:allergic to) (.+)", s)
    if m:
        for it in _items(_clean_obj(orig[m.start(1):])):
            c.add(f"allergy:{_norm(it)}", it, f"is not allergic to {it}", True, True)
        return
    m = re.match(_IM + r"(?:very |severely |deathly |highly )?allergic to (.+)|i have (?:a|an) (.+?) allergy", s)
    if m:
        g = 1 if m.group(1) else 2
        for it in _items(_clean_obj(orig[m.start(g):m.end(g)])):
            c.add(f"allergy:{_norm(it)}", it, f"is allergic to {it}", corr)
        return
    m = re.match(_IM + r"(?:not|no longer) (?:a |an )?(" + _DIETS + r")\b", s)
    if m:
        c.add("diet", m.group(1), f"is not {m.group(1)}", True, True)
        return
    m = re.match(_IM + r"(?:a |an |strict )?(" + _DIETS + r")\b", s)
    if m:
        c.add("diet", m.group(1), f"is {m.group(1)}", corr)
        return
    m = re.match(r"i (?:don't|do not|no longer|never) " + _ADV + r"eat (.+)", s)
    if m:
        for it in _items(_clean_obj(orig[m.start(1):])):
            c.add(f"avoids:{_norm(it)}", it, f"doesn't eat {it}", corr, True)
        return
    # dislikes before likes: "i don't like" contains "like"
    m = re.match(r"i (?:don't|do not|no longer|never) " + _ADV + r"(?:like|love|enjoy|care for)\s+(.+)"
                 r"|i (?:" + _ADV + r")(?:dislike|hate|detest|can't stand|cannot stand)\s+(.+)"
                 r"|" + _IM + r"(?:not|no longer) (?:a (?:big |huge )?fan of|into|keen on)\s+(.+)", s)
    if m:
        g = next(i for i in (1, 2, 3) if m.group(i))
        obj = _clean_obj(orig[m.start(g):])
        for it in _items(obj):
            c.add(f"dislikes:{_norm(it)}", it, f"doesn't like {it}", corr or "anymore" in s or "longer" in s, True)
        c.last_noun = _norm(obj.split()[-1]) if obj else c.last_noun
        return
    m = re.match(r"i (?:" + _ADV + r")(?:like|love|enjoy|adore|prefer|am into|'m into)\s+(.+)"
                 r"|" + _IM + r"(?:a )?(?:big |huge |great |massive )?(?:fan of|into|obsessed with|passionate about)\s+(.+)", s)
    if m:
        g = 1 if m.group(1) else 2
        raw = orig[m.start(g):]
        obj = _clean_obj(re.sub(r"^all (?:of )?", "", raw, flags=re.I))
        if obj and re.match(r"(?:his|her|their|your)\s", obj, re.I):  # "all of his albums": context only
            c.last_noun = _norm(obj.split()[-1])
            return
        for it in _items(obj):
            it = re.sub(r"^to\s+", "", it)
            c.add(f"likes:{_norm(it)}", it, f"likes {it}", corr)
        c.last_noun = _norm(obj.split()[-1]) if obj else c.last_noun
        return
    m = re.match(r"my (?:absolute |all[- ]time |current )?favou?rite(?: (.+?))?(?:\s+is|\s+are|'s)\s+(.+)", s) \
        or re.match(r"(.+?) (?:is|are) my (?:absolute |all[- ]time |current )?favou?rite(?: (.+))?$", s)
    if m:
        inverted = not s.startswith("my ")
        cat_g, val_g = (2, 1) if inverted else (1, 2)
        cat = _norm(_strip_punct(m.group(cat_g) or ""))
        if cat in ("", "one", "thing"):
            cat = c.last_noun or "thing"
        val = _clean_obj(orig[m.start(val_g):m.end(val_g)])
        if val:
            c.add(f"favorite:{cat}", val, f"favorite {cat} is {val}", corr)
        return
    m = re.match(r"my (" + _REL + r")(?:'s name is| is called| is named| name is) (.+)", s)
    if m:
        rel, nm = m.group(1), _name(orig[m.start(2):])
        key = f"family:{rel}:name" if rel in UNIQUE_REL else f"family:{rel}:{nm.lower()}"
        c.add(key, nm, f"{rel}'s name is {nm}", corr)
        return
    m = re.match(r"my (" + _REL + r") (?:is|works as) (?:a|an) (.+)", s)
    if m and (v := _clean_obj(orig[m.start(2):])):
        rel = m.group(1)
        c.add(f"family:{rel}:job" if rel in UNIQUE_REL else f"family:{rel}", v, f"{rel} is a {v}", corr)
        return
    m = re.match(r"my (" + _REL + r") (likes|loves|lives in|works at|works for|is) (.+)", s)
    if m and (v := _clean_obj(orig[m.start(3):])):
        c.add(f"family:{m.group(1)}", f"{m.group(2)} {v}", f"{m.group(1)} {m.group(2)} {v}", corr)
        return
    m = re.match(_HAVE + r"(" + _COUNT + r") (" + _PETS + r")(e?s?)(?: (?:named|called) (.+))?", s)
    if m:
        pet, nm = m.group(2), _name(orig[m.start(4):]) if m.group(4) else ""
        c.add(f"pet:{pet}:{nm.lower()}" if nm else f"pet:{pet}", nm or f"{m.group(1)} {pet}{m.group(3)}",
              f"has {m.group(1)} {pet}{m.group(3)}" + (f" named {nm}" if nm else ""), corr)
        return
    m = re.match(_HAVE + r"(" + _COUNT + r") (kids?|children|child|sons?|daughters?|"
                 r"brothers?|sisters?|siblings?|grandchildren)(?: (?:named|called) (.+))?", s)
    if m:
        n, rel = m.group(1), m.group(2)
        if rel in ("kid", "kids", "children", "child"):
            c.add("family:children", f"{n} {rel}", f"has {n} {rel}", corr)
        elif m.group(3):
            nm = _name(orig[m.start(3):])
            c.add(f"family:{_norm(rel)}:{nm.lower()}", nm, f"has a {_norm(rel)} named {nm}", corr)
        else:
            c.add(f"family:{_norm(rel)}", f"{n} {rel}", f"has {n} {rel}", corr)
        return
    m = re.match(_IM + r"(married|single|divorced|engaged|widowed)\b(?: to (.+))?", s)
    if m:
        v = m.group(1) + (f" to {_name(orig[m.start(2):])}" if m.group(2) else "")
        c.add("marital", v, f"is {v}", corr)
        return
    m = re.match(r"my birthday(?: is|'s)(?: on)? (.+)|i was born on (.+)", s)
    if m and (v := _clean_obj(orig[m.start(1 if m.group(1) else 2):])):
        c.add("birthday", v, f"birthday is {v}", corr)
        return
    m = re.match(_IM + r"(\d{1,3})(?: years? old| yrs? old| y/?o)?(?: now)?$|i (?:just )?turned (\d{1,3})", s)
    if m:
        v = m.group(1) or m.group(2)
        c.add("age", v, f"is {v} years old", corr)
        return
    m = re.match(r"i (?:" + _ADV + r")(?:study|am studying|'m studying|major in|'m majoring in|am majoring in) (.+)", s)
    if m and (v := _clean_obj(orig[m.start(1):])):
        c.add("studies", v, f"studies {v}", corr)
        return
    m = re.match(r"i (?:" + _ADV + r")(?:speak|can speak) (.+)", s)
    if m:
        for it in _items(_clean_obj(orig[m.start(1):])):
            c.add(f"speaks:{_norm(it)}", it, f"speaks {it}", corr)
        return
    m = re.match(r"i (?:don't|do not|no longer) " + _ADV + r"work (?:at|for) (.+)", s)
    if m and (v := _clean_obj(orig[m.start(1):])):
        c.add("works_at", v, f"no longer works at {v}", True, True)
        return
    m = re.match(r"i (?:" + _ADV + r")(?:work|am working|'m working) (?:at|for) (.+)", s)
    if m and (v := _clean_obj(orig[m.start(1):])):
        c.add("works_at", v, f"works at {v}", corr)
        return
    m = re.match(r"(?:i (?:" + _ADV + r")(?:work|am working|'m working) as|my job is|my job's) (?:a |an )?(.+)", s)
    if m and (v := _clean_obj(orig[m.start(1):])):
        c.add("job", v, f"works as {_a(v)}", corr)
        return
    m = re.match(_IM + r"(?:not|no longer) (?:a|an) (.+)", s)
    if m and (v := _clean_obj(orig[m.start(1):])) and _jobish(v):
        c.add("job", v, f"is no longer a {v}", True, True)
        return
    m = re.match(_IM + r"(?:(a|an) (.+)|(retired|unemployed|self-employed|a stay-at-home \w+))", s)
    if m:
        v = _clean_obj(orig[m.start(2):]) if m.group(2) else m.group(3)
        v = re.split(r"\s+(?:at|in|for|with|from|and|who)\s+", v)[0] if v else v
        if v and (m.group(3) or _jobish(v)):
            c.add("job", v, f"works as {_a(v)}" if m.group(2) else f"is {v}", corr)
        return
    m = re.match(_IM + r"(" + "|".join(_DEMONYMS) + r")$", s)
    if m:
        c.add("nationality", m.group(1).title(), f"is {m.group(1).title()}", corr)
        return
    m = re.match(r"i(?:'m| am)\s+([a-z][\w'-]*(?: [A-Z][\w'-]*){0,2})(?:$|,|\s+(?:and|from|by|here)\b)", orig, re.I)
    if m and orig[m.start(1)].isupper() and m.group(1).split()[0].lower() not in _NOT_NAMES:
        c.add("name", _name(m.group(1)), f"name is {_name(m.group(1))}", corr)
        return
    m = re.match(r"i (?:" + _ADV + r")(?:think|believe|feel) (?:that )?(.+?) (is|are) (.+)", s)
    if m and not re.match(r"(?:i|it|that|this|you|we|he|she|they|there|so|maybe)\b", m.group(1)):
        subj, v = _strip_punct(orig[m.start(1):m.end(1)]), _clean_obj(orig[m.start(3):])
        if v:
            c.add(f"opinion:{_norm(subj)}", f"{subj} {m.group(2)} {v}", f"thinks {subj} {m.group(2)} {v}", corr)
        return
    _teach(c, s, orig, corr)


_TEACH_CUE = re.compile(r"\b(now|from now on|starting|remember|fyi|just so you know|note that|"
                        r"for your information|these days|no longer|anymore)\b", re.I)
_TEACH = re.compile(r"(?:remember that |note that )?(the|our|your) ([a-z][\w' -]{1,40}?) "
                    r"(opens|open|closes|close|costs|cost|is|are|starts|start|ends|end|has|have|is located|moved)\b(.+)")
_ATTR = {"opens": "opening hours", "open": "opening hours", "closes": "closing hours", "close": "closing hours",
         "costs": "price", "cost": "price", "starts": "start time", "start": "start time", "ends": "end time",
         "end": "end time", "is located": "location", "moved": "location"}


def _teach(c: _Ctx, s: str, orig: str, corr: bool) -> None:
    """World/business facts the user teaches ("the shop opens at 9 now") -> key fact:<subject>."""
    m = _TEACH.match(s)
    if not m or c.about != "partner" or not (_TEACH_CUE.search(s) or m.group(1) == "our"
                                             or m.group(3) in ("opens", "closes", "costs", "open", "close")):
        return
    subj = _norm(m.group(2))
    attr = _ATTR.get(m.group(3), "")
    key = f"fact:{subj} {attr}".strip()
    stmt = _strip_punct(re.sub(r"^(?:remember|note) that\s+", "", orig[m.start(1): len(s)], flags=re.I))
    stmt = _strip_punct(re.sub(r",?\s*(?:from now on|now|anymore)$", "", stmt, flags=re.I))
    c.add(key, stmt, f"says {stmt}", corr or bool(_TEACH_CUE.search(s)))


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _jobish(v: str) -> bool:
    last = v.lower().split()[-1]
    if last in _NOT_JOBS or v.lower().split()[0] in _NOT_JOBS:
        return False
    return v.lower() in _JOBS or last in _JOBS or (len(last) >= 5 and bool(_JOB_SUFFIX.search(last)))


# Korean basics: polite first-person statements (저는/제가 ... 좋아해요 / 살아요 / 이름은 ...).
_KO = [
    (re.compile(r"(?:제|내) 이름은\s*(\S+?)(?:입니다|이에요|예요|이야|야|라고 해요)"), "name", "name is {}"),
    (re.compile(r"(?:저는|나는|전|난)?\s*(\S+?)(?:에|에서) 살(?:아요|고 있어요|고 있습니다|아|고 있어)"), "lives_in", "lives in {}"),
    (re.compile(r"(?:저는|나는|전|난)?\s*(\S+?)(?:로|으로) 이사(?:했어요|했습니다|왔어요|했어)"), "lives_in", "lives in {}"),
    (re.compile(r"(?:저는|나는|전|난)?\s*(.+?)(?:을|를)?\s*(?:안|별로 안) 좋아(?:해요|합니다|해)"), "dislikes", "doesn't like {}"),
    (re.compile(r"(?:저는|나는|전|난)?\s*(.+?)(?:을|를)?\s*싫어(?:해요|합니다|해)"), "dislikes", "doesn't like {}"),
    (re.compile(r"(?:저는|나는|전|난)?\s*(.+?)(?:을|를)\s*(?:정말\s*|아주\s*|진짜\s*)?좋아(?:해요|합니다|해)"), "likes", "likes {}"),
    (re.compile(r"(?:저는|나는|전|난)?\s*(\S+?)\s*알레르기가 있(?:어요|습니다|어)"), "allergy", "is allergic to {}"),
]


def _korean(c: _Ctx, s: str) -> bool:
    if s.endswith("?") or re.search(r"(나요|까요|니|세요)\?*$", s) or re.search(r"(?:면|다면)\s", s):
        return bool(re.search(r"[가-힣]", s))  # questions / conditionals: nothing, but it *was* Korean
    for rx, slot, tmpl in _KO:
        m = rx.search(s)
        if m:
            v = m.group(1).strip()
            key = slot if slot in ("name", "lives_in") else f"{slot}:{v}"
            c.add(key, v, tmpl.format(v), "이사" in s or "이제" in s or "더 이상" in s, slot == "dislikes")
            return True
    return bool(re.search(r"[가-힣]", s))


def extract_facts(text: str, *, about: str = "partner") -> list[Fact]:
    """Memorable facts stated in ``text`` by its speaker (``about``: "partner" = user, "self" = persona)."""
    if about not in ("partner", "self"):
        raise ValueError(f"about must be 'partner' or 'self', not {about!r}")
    if not isinstance(text, str) or not text.strip():
        return []
    c = _Ctx(about)
    text = text[:_MAX_TEXT].replace("\u2019", "'").replace("\u2018", "'")
    for sent in _SENT.split(text):
        sent = sent.strip()
        if not sent or len(sent) > 4 * _MAX_CLAUSE or sent.endswith("?") or _korean(c, sent):
            continue
        for clause in _CLAUSE.split(sent):
            orig = _strip_punct(_FILLER.sub("", clause.strip()))
            corr = bool(_CORRECTION.search(clause))
            # rules match the lower-cased clause but copy values from ``orig``: offsets must stay equal
            s = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in orig)
            # a clause over _MAX_CLAUSE chars is not a personal fact (and regex time stays bounded)
            if not s or len(s) > _MAX_CLAUSE or _QUESTION_START.match(s) or _HYPOTHETICAL.search(s):
                continue
            _rules(c, s, orig, corr)
    # one fact per key: a later statement in the same message wins ("I like tea, actually I like coffee")
    out: dict[str, Fact] = {}
    for f in c.facts:
        out.pop(f.key, None)
        out[f.key] = f
    return list(out.values())
