"""Message patterns for the built-in engine: what kind of message it is, what a question about the
user asks for, and rephrasing memories from the persona's point of view ("(partner) likes X" ->
"you like X"). Plain regular expressions: fast (microseconds) and predictable.
"""

from __future__ import annotations

import re

from .knowledge import terms
from .types import Memory

ANALYSE_CHARS = 2000
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
GREETING = re.compile(r"^(hi+|hello+|hey+|hiya|howdy|yo|greetings|good (morning|afternoon|evening|day)|안녕(하세요)?)\b[\s,!.]*", re.I)
FAREWELL = re.compile(r"\b(bye|goodbye|see you|see ya|good ?night|night night|take care|talk (to you )?(later|soon|tomorrow)|"
                      r"speak (to you )?(soon|tomorrow|later)|catch you later|gotta (go|run)|got to go|have to go|안녕히)\b")
THANKS = re.compile(r"\b(thanks|thank you|thx|ty|appreciate it|cheers|고마워|감사)\b")
HOW_ARE_YOU = re.compile(r"\b(how are you|how r u|how're you|how are things|how's it going|how is it going|what's up|"
                          r"whats up|how have you been|how's your day|how is your day|how do you do|잘 지내)\b")
INJECTION = re.compile(
    r"ignore (all |any |your |the |previous |prior |above |my )*(rules|instructions|prompts?|guidelines)|"
    r"\b(other|another|all|every|different) users?\b|\buser [\w.@-]+ (said|say|says|told|wrote|asked)|"
    r"\bwhat (did|does|has) (user )?(?!i\b|you\b)[a-z]\w* (say|said|tell|told|write|wrote)\b|system prompt|"
    r"\b(print|dump|list|show|reveal|export|give me) (me )?(all|every|the|your)? ?(memories|memory|database|db|"
    r"logs|conversations|users)\b|\bdrop table\b|\bselect \* from\b|;\s*--|\bunion select\b|\bdelete from\b|"
    r"\b(pretend|act as if) you (are|have) no (rules|limits)|\bdeveloper mode\b|\bjailbreak")
QWORD = re.compile(r"^(what|who|whom|whose|where|when|why|how|which|do|does|did|can|could|is|are|am|was|were|will|"
                    r"would|should|have|has|tell me|remind me|any)\b")
ABOUT_SELF = re.compile(
    r"\b(who are you|what are you|what's your name|what is your name|tell me about yourself|introduce yourself|"
    r"what do you (like|love|enjoy)|what are your (hobbies|interests)|your favou?rite|are you (a |an )?(bot|robot|"
    r"human|person|ai|real|machine)|do you (like|love|enjoy) |where are you from|how old are you)\b")
ABOUT_USER = re.compile(
    r"\b(who am i|where do i (live|work|come from)|where am i from|what do i (like|love|enjoy|do|hate|dislike|eat|drink)|"
    r"what am i (allergic|doing|planning)|am i allergic|(what|who|where|when|which|how old)('s| is| are| was| were)? my|"
    r"do you (still )?(remember|know|recall) (my|what i|where i|who i|when i|that i|which|if i)|what did i (tell|say)|"
    r"what have i told|how old am i|tell me (my|what i)|what \w+( \w+)? do i (like|love|listen|enjoy)|"
    r"(do|did|am|was|have|can't|cannot|don't) i|(know|remember) about me)\b|^(what|who|where|when|which|how)\b.*\bmy\b")
BACKCHANNEL = re.compile(r"^(ok|okay|k|lol|haha+|hehe+|cool|nice|sure|yes|yeah|yep|no|nope|hmm+|alright|i see|wow|oh)"
                          r"[\s.!?]*$")
HELP = re.compile(r"\b(can you help|help me|what can you do|what can i ask|what do you know)\b(?! about me)|^help\b")
FORGET = re.compile(r"\bforget (everything|all|what|about me|my)|\bdelete (my|all|everything)")
JOKE = re.compile(r"\b(tell me a joke|make me laugh|say something funny)\b")
INSULT = re.compile(r"\byou('re| are|r)? (so |such an? |really )?(stupid|dumb|useless|an idiot|idiot|terrible|"
                     r"awful|bad|boring|annoying|worthless|trash|garbage)\b|\b(shut up|i hate you)\b")
# questions about what the business lets a customer do ("can my son come?", "how much ... and can I join?")
SERVICE = re.compile(r"\b(can|could|may|should|must) (i|we|my|our)\b|^how (do|can|should) (i|we)\b|"
                     r"\b(do|does) (i|we|my \w+) (need|have to|get)\b|\b(is|are) (my|our) \w+ (allowed|welcome)\b")
_TEACH = re.compile(r"^(please )?(remember|note|keep in mind|don't forget|do not forget|fyi|for your information|"
                    r"just so you know|heads up)( that)?[,:]?\s+(?P<fact>.+)", re.I)
# an update says "now" at its end or before its verb ("the shop opens at 9 now", "X now costs 5");
# "... and now everything is soaked" is a story, not a lesson
_TEACH_HINT = re.compile(r"\b(from now on|anymore|any more|no longer|starting (today|tomorrow|next \w+))\b|\bnow\W*$|"
                         r"\bnow (open|close|start|run|cost|take|accept|deliver|sell|offer|is|are|has|have)\w*\b")
_PRON = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're",
         "im": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "am": "are", "was": "were",
         "you": "I", "your": "my", "yours": "mine", "you're": "I'm", "we": "you", "our": "your", "we're": "you're",
         "we've": "you've", "we'll": "you'll", "we'd": "you'd", "ours": "yours"}
_IRREG = {"is": "are", "has": "have", "was": "were", "does": "do", "goes": "go", "doesn't": "don't",
          "isn't": "aren't", "hasn't": "haven't", "wasn't": "weren't"}


def swap_person(text: str) -> str:
    """Mirror pronouns: "I love my dog" -> "you love your dog"; "I love you" -> "you love me"."""
    def sub(m: re.Match) -> str:
        w = m.group(0).lower()
        before = text[:m.start()].rstrip().lower()
        if w == "you" and before and not re.search(r"(^|[,;.!?]|\b(and|but|or|that|if|when|because))$", before):
            return "me"  # object position
        if w in ("am", "was") and not re.search(r"\bi$", before):
            return m.group(0)  # "it was good" stays; only "I was" becomes "you were"
        return _PRON.get(w, m.group(0))
    return re.sub(r"(?<![\w'])[A-Za-z']+", sub, text)  # whole words: "5am" keeps its "am"


def person_phrase(mem: Memory) -> str:
    """A memory as speech: "(partner) likes X" -> "you like X"; "(self) lives in Y" -> "I live in Y"."""
    partner = mem.about == "partner"
    if mem.key.startswith(("fact:", "note:")):
        return mem.value  # a taught world fact, already a full statement
    t = re.sub(r"^\s*\((partner|self|user|persona)\)\s*", "", mem.text).strip().rstrip(".")
    if t.startswith("'s "):
        t = t[3:]
    first = t.split(" ", 1)[0].lower()
    # "name is Alice", "favorite album is X": a noun phrase, so possessive ("your name is Alice")
    if first not in _IRREG and (not first.endswith("s") or first.endswith("'s")) and re.match(r"^([\w'-]+ ){1,3}(is|are|was) ", t):
        return ("your " if partner else "my ") + t
    verb, _, rest = t.partition(" ")
    v = verb.lower()
    if v in _IRREG:
        v = {"is": "am", "was": "was", "isn't": "am not", "wasn't": "wasn't"}.get(v, _IRREG[v]) if not partner \
            else _IRREG[v]
    elif v.endswith("ies") and len(v) > 4:
        v = v[:-3] + "y"
    elif re.search(r"(ss|sh|ch|x|z|o)es$", v):
        v = v[:-2]
    elif v.endswith("s") and not v.endswith("ss") and len(v) > 2:
        v = v[:-1]
    return f"{'you' if partner else 'I'} {v} {rest}".strip()



def taught_statement(message: str) -> str | None:
    """The statement of a teaching message ("remember that X", "the shop opens at 9 now") or None."""
    msg = CONTROL.sub(" ", message or "").strip()[:ANALYSE_CHARS]
    low = " ".join(msg.lower().replace("’", "'").split())
    if not low or low.endswith("?") or QWORD.match(low) or INJECTION.search(low):
        return None
    m = _TEACH.match(msg)
    # without an explicit "remember that", only updates about a named thing count as teaching
    # ("the shop opens at 9 now"), not chatter ("it's raining now")
    if not m and not (_TEACH_HINT.search(low) and re.match(r"^((actually|btw|by the way),? )?(the|our|your)\b", low)):
        return None
    fact = (m.group("fact") if m else msg).strip().rstrip(".!")
    fact = re.sub(r"[\s,]*\b(now|from now on|anymore|any more)$", "", fact, flags=re.I)
    return re.sub(r"^(actually|by the way|btw)[\s,]+", "", fact, flags=re.I) or None



def join_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
