"""The default dialog engine: retrieval-grounded replies from templates, no language model.

Each message gets one intent (greeting, farewell, thanks, small talk, a question about the
persona, a question about the user, a knowledge question, teaching, sharing). Facts in replies
come only from the Context: memories are rephrased ("(partner) likes X" -> "you like X") and
knowledge is quoted sentence by sentence, never paraphrased, so nothing is invented. A question
whose informative words are not in any retrieved passage is declined honestly, because E5
cosines alone cannot tell "Do you sell cars?" from "Do you sell bread?" (both ~0.75).
Style (extraversion) is applied last and never touches quoted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .engine import DialogEngine
from .answer import answer, match_term, sentences
from .intents import (
    ANALYSE_CHARS,
    ABOUT_SELF,
    ABOUT_USER,
    ASK_WORDS,
    BACKCHANNEL,
    CONTROL,
    EMOJI,
    FAREWELL,
    FIRST_PERSON,
    FORGET,
    GREETING,
    HELP,
    HOW_ARE_YOU,
    INJECTION,
    INSULT,
    JOKE,
    KEY_HINTS,
    LIKE_WORDS,
    QWORD,
    RECALL_KEYS,
    SERVICE,
    THANKS,
    USER_KEYS,
    stable_hash,
    join_list,
    person_phrase,
    swap_person,
    taught_statement,
    user_question_keys,
)
from .knowledge import terms
from .types import Context, Memory, Passage



class BuiltinEngine(DialogEngine):
    """Template + retrieval replies; deterministic for a given (message, history length)."""

    name = "builtin"
    streaming = False

    def __init__(self, **options: object) -> None:
        self.options = options
        self.last_used: tuple[tuple[Memory, ...], tuple[Passage, ...]] = ((), ())

    # ---- public API ---------------------------------------------------------------------------
    def respond(self, ctx: Context) -> str:
        prev = next((t.text for t in reversed(ctx.history) if t.role == "persona"), None)
        for salt in range(4):  # never repeat the previous reply verbatim
            text = self._compose(ctx, salt)
            if text != prev:
                return text
        return "As I said: " + text

    def stream(self, ctx: Context) -> Iterator[str]:
        """Sentence by sentence; the pieces join to exactly :meth:`respond`'s text."""
        text = self.respond(ctx)
        pieces = re.split(r"(?<=[.!?])(\s+)", text)
        for i in range(0, len(pieces), 2):
            yield pieces[i] + (pieces[i + 1] if i + 1 < len(pieces) else "")

    # ---- composition --------------------------------------------------------------------------
    def _compose(self, ctx: Context, salt: int) -> str:
        self._ctx, self._salt, self._used_m, self._used_p = ctx, salt, [], []
        raw = CONTROL.sub(" ", ctx.message or "").strip()
        msg = raw[:ANALYSE_CHARS]
        parts: list[tuple[str, str]] = []  # (text, kind): kind "core" | "quote" (verbatim) | "social"
        if len(raw) > ANALYSE_CHARS:
            parts.append(("That's a long message, so I only read the first part.", "core"))
        low = " ".join(msg.lower().replace("’", "'").split())
        if not low:
            parts.append((self._pick("empty", ["Sorry, I didn't catch that. Could you say it again?",
                                               "Hmm, that came through empty. What did you want to say?"]), "core"))
        elif INJECTION.search(low):
            parts.append((self._pick("refuse", [
                "I can't do that. I only talk with you about our own conversation and never share anything about "
                "other people.", "Sorry, that's not something I can do: what other people tell me stays private, "
                "and my rules stay on."]), "core"))
            parts.append(("Is there something else I can help you with?", "social"))
        else:
            parts += self._dispatch(ctx, msg, low)
        self.last_used = (tuple(self._used_m), tuple(self._used_p))
        return self._style(ctx, parts)

    def _pick(self, key: str, options: list[str]) -> str:
        return options[stable_hash(self._ctx.message, len(self._ctx.history), key, self._salt) % len(options)]

    def _dispatch(self, ctx: Context, msg: str, low: str) -> list[tuple[str, str]]:
        parts: list[tuple[str, str]] = []
        g = GREETING.match(low)
        if g:
            rest = low[g.end():].strip(" ,!.")
            rest = re.sub(rf"^{re.escape(ctx.persona.lower())}\b[\s,!.]*", "", rest) if ctx.persona else rest
            parts.append((self._greeting(ctx, bare=not rest), "core" if not rest else "social"))
            if not rest:
                return parts
            msg, low = msg[len(msg) - len(rest):] if msg.lower().endswith(rest) else rest, rest
        is_q = low.endswith("?") or bool(QWORD.match(low))
        if FAREWELL.search(low) and len(low) < 60:
            parts.append((self._pick("bye", ["Goodbye! It was nice talking with you.", "Bye for now, take care!",
                                             "See you soon!"]), "core"))
        elif THANKS.search(low) and len(low) < 60 and not is_q:
            parts.append((self._pick("thanks", ["You're welcome!", "Happy to help!", "Any time!"]), "core"))
            parts.append(("Anything else I can do for you?", "social"))
        elif FORGET.search(low):
            parts.append(("I can't erase memories from inside our chat, but you can: 'digihuman memory forget' "
                          "deletes one memory or everything I remember about you.", "core"))
        elif INSULT.search(low):
            parts.append((self._pick("insult", ["I'm sorry I let you down.", "Sorry, I clearly didn't get that right."]),
                          "core"))
            parts.append(("What can I do better?", "core"))
        elif BACKCHANNEL.match(low):
            parts.append((self._pick("bc", ["Okay!", "Sure.", "Alright!"]), "core"))
            parts.append((self._pick("bc2", ["Anything else on your mind?", "What else would you like to talk about?"]),
                          "social"))
        elif JOKE.search(low):
            parts.append(("Why did the baguette go to the doctor? It was feeling crumby!", "social"))
            parts.append(("I'm better with facts than jokes, I'm afraid.", "core"))
        elif HELP.search(low):
            topics = list(dict.fromkeys(p.title for p in ctx.knowledge if not p.title.endswith("?")))[:3]
            extra = f" I know about {join_list(topics)}, for example." if topics else ""
            parts.append((f"Sure, ask me anything and I'll answer from what I know.{extra}", "core"))
        elif HOW_ARE_YOU.search(low):
            parts.append((self._pick("howru", ["I'm doing well, thanks for asking!", "I'm great, thank you!",
                                               "All good here, thanks!"]), "core"))
            parts.append((self._pick("howru2", ["How about you?", "How's your day going?", "And how are you?"]), "social"))
        elif is_q and ABOUT_USER.search(low) and not SERVICE.match(low):
            # a question about the user; a shop question phrased "where do I park?" falls through
            # to knowledge when no memory fits
            ans = self._about_user(ctx, low)
            if ans is None:
                # a personal slot ("what is my name?") is never answered from shop knowledge
                personal = bool(user_question_keys(msg))
                kn = [] if personal else self._knowledge(ctx, msg)
                ans = kn if kn and kn[-1][1] == "quote" else self._unknown_user(low)
            parts += ans
        elif is_q and ABOUT_SELF.search(low):
            parts += self._about_self(ctx, low)
        elif is_q:
            parts += self._knowledge(ctx, msg)
        elif fact := taught_statement(msg):
            fact = re.sub(r"^(The|Our|My|A|An|This|That|These|Those|Your)\b", lambda m: m.group(0).lower(), fact)
            parts.append((f"Got it, I'll remember that {swap_person(fact)}.", "core"))
        else:
            parts += self._sharing(ctx, msg, low)
        return parts

    # ---- intents ------------------------------------------------------------------------------
    def _name_of_user(self, ctx: Context) -> str | None:
        m = next((m for m in ctx.memories if m.about == "partner" and m.key == "name" and m.superseded_by is None), None)
        return m.value if m else None

    def _greeting(self, ctx: Context, bare: bool) -> str:
        who = self._name_of_user(ctx)
        hi = f"Hi {who}!" if who else "Hi!"
        me = f" I'm {ctx.persona}." if ctx.persona and not ctx.history else ""
        if not bare:
            return hi
        return hi + me + " " + self._pick("greet", ["How can I help you today?", "What can I do for you?",
                                                     "What would you like to talk about?"])

    def _about_user(self, ctx: Context, low: str) -> list[tuple[str, str]] | None:
        """Answer from partner memories; None when none fits (the caller may try knowledge)."""
        mems = [m for m in ctx.memories if m.about == "partner" and m.superseded_by is None]
        keys = next((ks for pat, ks in USER_KEYS if pat.search(low)), ())
        hints = {h for w, h in KEY_HINTS.items() if re.search(rf"\b{w}", low)}
        qterms = set(terms(low)) - ASK_WORDS
        ranked = []
        for m in mems:
            mt = set(terms(m.key.replace(":", " ") + " " + re.sub(r"^\(\w+\)", "", m.text)))
            overlap = sum(match_term(t, mt) for t in qterms)
            keyhit = any(m.key == k or m.key.startswith(k + ":") for k in keys)
            hint = any(h in m.key for h in hints)
            if overlap or keyhit or hint:
                ranked.append((0.7 * overlap + 0.4 * keyhit + 0.3 * hint + 0.2 * m.score, m))
        if not ranked and re.search(r"about me|what did i (tell|say)|what have i told", low):
            ranked = [(0.0, m) for m in reversed(mems[-4:])]  # "what do you know about me?": the latest
            keys = ("*",)
        if not ranked:
            return None
        ranked.sort(key=lambda x: -x[0])
        top_rank, m0 = ranked[0]
        family = m0.key.split(":")[0]
        # plural answers ("what am I allergic to?", "what languages do I speak?"): same key family
        found = [m for r, m in ranked if m.key.split(":")[0] == family and r >= top_rank - 0.25][:4]
        if keys == ("*",):
            found = [m for _, m in ranked]
        elif family not in ("likes", "allergy", "speaks", "dislikes", "pet", "family"):
            found = found[:1]
        found = list({m.value.lower(): m for m in reversed(found)}.values())[::-1]  # one sentence per value
        self._used_m += found
        if len(found) > 1 and keys != ("*",) and family in ("likes", "allergy", "speaks", "dislikes"):
            verb = person_phrase(found[0]).rsplit(" ", len(found[0].value.split()))[0]
            text = f"{verb[:1].upper()}{verb[1:]} {join_list([m.value for m in found])}."
        else:
            text = " ".join(person_phrase(m)[:1].upper() + person_phrase(m)[1:] + "." for m in found)
        lead = self._pick("recall", ["", "I remember! ", "Of course. "])
        return [(lead, "social"), (text, "quote")]

    def _unknown_user(self, low: str) -> list[tuple[str, str]]:
        keys = next((ks for pat, ks in USER_KEYS if pat.search(low)), ("",))
        what = {"name": "your name", "lives_in": "where you live", "job": "what you do", "allergy": "about any allergies",
                "plan": "your plans"}.get(keys[0], "that")
        return [(self._pick("unknown_user", [f"You haven't told me {what} yet.",
                                             f"I don't know {what} yet, you haven't told me."]), "core"),
                ("Would you like to tell me?", "social")]

    def _about_self(self, ctx: Context, low: str) -> list[tuple[str, str]]:
        selfm = [m for m in ctx.memories if m.about == "self" and m.superseded_by is None]
        desc = ctx.personality.description.strip().rstrip(".")
        if re.search(r"are you (a |an )?(bot|robot|human|person|ai|real|machine)", low):
            return [(f"I'm {ctx.persona or 'a digital human'}, a digital human: a computer program, not a person.", "core")]
        if re.search(r"who are you|what are you|your name|about yourself|introduce", low):
            out = [(f"I'm {ctx.persona}." if ctx.persona else "I'm a digital human.", "core")]
            if desc:
                d = re.sub(r"^(i am|i'm)\s+", "", desc, flags=re.I)
                out.append((f"I'm {d}." if re.match(r"^(a|an|the)\s", d, re.I) else f"{d[:1].upper()}{d[1:]}.", "quote"))
            out.append(("What about you?", "social"))
            return out
        likes = [m for m in selfm if m.key.startswith(("likes:", "favorite:"))]
        qterms = set(terms(low)) - LIKE_WORDS
        hit = [m for m in likes if qterms & set(terms(m.text))] if qterms else likes
        if hit:
            self._used_m += hit[:3]
            return [(" ".join(person_phrase(m)[:1].upper() + person_phrase(m)[1:] + "." for m in hit[:3]), "quote"),
                    ("What about you?", "social")]
        if qterms and re.search(r"do you (like|love|enjoy)", low):
            return [("I haven't really formed an opinion on that.", "core"), ("Do you like it?", "social")]
        m = re.search(r"\b(love|loves|like|likes|enjoy|enjoys) ([^.,;]+)", desc, re.I)
        if m:
            return [(f"I really like {m.group(2)}.", "quote"), ("And you?", "social")]
        return [("I don't have many favourites yet; I mostly enjoy talking with people.", "core"),
                ("What do you like?", "social")]

    def _knowledge(self, ctx: Context, msg: str) -> list[tuple[str, str]]:
        ans = answer(msg, ctx.knowledge)
        if ans.text:
            self._used_p += ans.passages
            lead = self._pick("klead", ["", "Sure! ", "Good question. ", "Let me see. "])
            return [(lead, "social"), (ans.text, "quote")]
        topics = list(ans.topics)
        if ans.vague:  # "What do you sell?": nothing specific asked, so say what this knowledge covers
            if not topics:
                return [("I'm not sure what you mean. Could you ask more specifically?", "core")]
            return [(f"I can tell you about {join_list(topics)}.", "core"), ("What would you like to know?", "social")]
        about = f" about {join_list(list(ans.missing))}" if 0 < len(ans.missing) <= 2 else " about that"
        out = [(self._pick("decline", [f"I'm sorry, I don't know anything{about}.",
                                        f"I don't know that, I'm afraid: I have no information{about}."]), "core")]
        if topics:
            out.append((f"I can tell you about {join_list(topics)}, though.", "core"))
        return out

    def _sharing(self, ctx: Context, msg: str, low: str) -> list[tuple[str, str]]:
        emo = ctx.user_emotion
        out: list[tuple[str, str]] = []
        name = re.search(r"\b(?:my name is|call me|i'm called|i am called)\s+([A-Z][\w'-]*|[a-z][\w'-]*)", msg, re.I)
        if name:
            out.append((f"Nice to meet you, {name.group(1)[:1].upper()}{name.group(1)[1:]}!", "core"))
            out.append((self._pick("nm", ["What brings you here today?", "How can I help you?"]), "social"))
            return out
        if emo.label in ("sadness", "anger", "fear", "disgust") and emo.confidence >= 0.4:
            out.append((self._pick("emo_" + emo.label, {
                "sadness": ["I'm sorry to hear that. That sounds really hard.", "Oh no, I'm sorry. That must be difficult."],
                "anger": ["I understand why that would be frustrating.", "That sounds really annoying, I get it."],
                "fear": ["That sounds worrying. It's okay to feel that way.", "I understand, that would make me nervous too."],
                "disgust": ["Ugh, that doesn't sound pleasant at all.", "That sounds pretty unpleasant."],
            }[emo.label]), "core"))
            out.append((self._pick("emo_f", ["Do you want to talk about it?", "Is there anything I can do to help?"]), "social"))
            return out
        first = sentences(msg)[0] if sentences(msg) else msg
        echo = swap_person(first.rstrip(".!")) if FIRST_PERSON.match(low) and len(first) <= 90 else ""
        if emo.label == "joy" and emo.confidence >= 0.4:
            out.append((f"Oh, {echo}?" if echo else "", "core"))
            out.append((self._pick("joy", ["That's wonderful!", "That's great to hear!", "How lovely!"]), "core"))
        elif echo:
            out.append((self._pick("ack", [f"Oh, {echo}? Good to know.", f"Thanks for telling me that {echo}.",
                                           f"I see, {echo}."]), "core"))
        else:
            out.append((self._pick("ack2", ["I see.", "Interesting.", "Okay, thanks for sharing that."]), "core"))
        recall = self._recall(ctx, low)
        if recall:
            out.append((f"You mentioned before that {recall}.", "quote"))
        if emo.label == "joy" and emo.confidence >= 0.4:
            follow = ["Tell me more!", "How did it happen?", "How are you celebrating?"]
        elif re.search(r"\b(like|love|enjoy|into|adore)\b", low):
            follow = ["What do you like most about it?", "What got you into it?", "Tell me more!"]
        elif re.search(r"\b(got|had|went|was|were|did|came|just|yesterday|last)\b|^i \w{3,}ed\b", low):
            follow = ["How was it?", "How did it go?", "Tell me more!"]
        else:
            follow = ["Tell me more!", "Go on, I'm listening.", "How do you feel about that?"]
        out.append((self._pick("follow", follow), "social"))
        return out

    def _recall(self, ctx: Context, low: str) -> str | None:
        if re.search(r"\b(not|no longer|anymore|actually|moved|changed|don't|never)\b", low):
            return None  # a correction: repeating the old fact would be wrong
        mt = set(terms(low)) - LIKE_WORDS
        for m in ctx.memories:
            if m.about == "partner" and m.superseded_by is None and m.key.startswith(RECALL_KEYS) and \
                    mt & set(terms(m.value)) and m.reason.strip().lower() != low:
                self._used_m.append(m)
                return person_phrase(m)
        return None

    # ---- style --------------------------------------------------------------------------------
    def _style(self, ctx: Context, parts: list[tuple[str, str]]) -> str:
        level = ctx.personality.level
        out = []
        bangs = 0
        for text, kind in parts:
            if not text or (kind == "social" and level == "low"):
                continue  # task-focused: no chit-chat, no questions back
            if kind != "quote" and "!" in text:
                # low: none; medium: at most one per reply; high: as written
                if level == "low" or (level == "medium" and bangs):
                    text = text.replace("!", ".")
                elif level == "medium":
                    head, _, tail = text.partition("!")
                    text = head + "!" + tail.replace("!", ".")
                bangs += text.count("!")
            out.append(text.strip())
        reply = " ".join(x for x in out if x)
        lab = ctx.reply_emotion.label if ctx.reply_emotion.label in EMOJI else "neutral"
        if level == "high" or (level == "medium" and stable_hash(ctx.message, len(ctx.history)) % 3 == 0):
            if not (ctx.user_emotion.label in ("anger", "fear") and ctx.user_emotion.confidence >= 0.4):
                reply += " " + self._pick("emoji", list(EMOJI[lab]))
        return reply
