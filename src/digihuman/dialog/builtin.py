"""The default dialog engine: a grounded reply without a language model.

One turn runs MIND.md's pipeline: :func:`~.understand.understand` splits the message into
sentences with acts and targets; each question is answered by the stage that owns its kind of
fact (the user's life: :mod:`digihuman.memory.recall`; the persona itself:
:mod:`digihuman.persona.profile`; products: :mod:`digihuman.sales`; documents:
:mod:`digihuman.knowledge`), each of which quotes or fills in stored values only, so nothing is
invented; what the user shared gets an empathy line (:mod:`digihuman.emotion.empathy`) and a
content-aware acknowledgement (:mod:`.smalltalk`); :mod:`.realise` picks phrase variants that were
not used in the last 10 replies and applies the personality's style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .engine import DialogEngine
from .intents import join_list, swap_person, taught_statement
from .realise import Piece, Realiser, style
from .smalltalk import introduced_name, share_reply
from .types import Context, Memory, Passage
from .understand import Part, Understanding, understand

MAX_QUESTIONS = 3  # answered per message; more are rare and make a wall of text
# "how much are two croissants and a baguette?": a sum over prices, done by the knowledge's
# typed-value reasoning (the catalog answers look-ups, filters and comparisons)
_QTY = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a couple of|a dozen)"
_PRICE_SUM = re.compile(rf"\b(how much|cost|price|total|altogether|pay)\b.*\b{_QTY}\s+(?!(?:am|pm|days?|hours?|"
                        rf"minutes?|weeks?|months?|years?|won|dollars?|euros?|pounds?)\b)[a-z]|\b{_QTY}\s+[a-z]+.*"
                        rf"\b(how much|cost|total|altogether)\b", re.I)


def _one_question(pieces: list[Piece]) -> list[Piece]:
    """At most one question of our own per reply: the first social one stays, later ones go
    ("Is there anything I can do? ... Anything else I can do for you?")."""
    out, asked = [], False
    for p in pieces:
        if p.kind == "social" and p.text.rstrip().endswith("?"):
            if asked:
                continue
            asked = True
        out.append(p)
    return out


class BuiltinEngine(DialogEngine):
    """Template + retrieval replies; deterministic for a given (message, history)."""

    name = "builtin"
    streaming = False

    def __init__(self, **options: object) -> None:
        self.options = options
        self.last_used: tuple[tuple[Memory, ...], tuple[Passage, ...]] = ((), ())
        self._adhoc = None  # (passages, in-memory KnowledgeBase) for contexts without resources
        self.last_facts: tuple = ()
        """(self) facts the reply stated for the first time: the conversation stores them."""

    # ---- public API ---------------------------------------------------------------------------
    def respond(self, ctx: Context) -> str:
        prev = next((t.text for t in reversed(ctx.history) if t.role == "persona"), None)
        for salt in range(4):  # never repeat the previous reply verbatim
            text = self._compose(ctx, salt)
            if text != prev:
                return text
        return text

    def stream(self, ctx: Context) -> Iterator[str]:
        """Sentence by sentence; the pieces join to exactly :meth:`respond`'s text."""
        text = self.respond(ctx)
        pieces = re.split(r"(?<=[.!?])(\s+)", text)
        for i in range(0, len(pieces), 2):
            yield pieces[i] + (pieces[i + 1] if i + 1 < len(pieces) else "")

    # ---- one reply ----------------------------------------------------------------------------
    def _compose(self, ctx: Context, salt: int) -> str:
        u = understand(ctx.message, ctx.persona)
        r = Realiser(ctx, u.lang, salt)
        self._used_m: list[Memory] = []
        self._used_p: list[Passage] = []
        self._facts: list = []
        pieces: list[Piece] = []
        if u.truncated:
            pieces.append(Piece(r.say("long")))
        if not u.parts:
            pieces.append(Piece(r.say("empty")))
        elif u.injection:
            pieces += [Piece(r.say("refuse")), Piece(r.say("refuse_after"), "social")]
        else:
            pieces += self._turn(ctx, u, r)
        self.last_used = (tuple(dict.fromkeys(self._used_m)), tuple(dict.fromkeys(self._used_p)))
        self.last_facts = tuple(self._facts)
        return style(ctx, pieces, u.lang)

    def _turn(self, ctx: Context, u: Understanding, r: Realiser) -> list[Piece]:
        # the lead dialog speaks first when it is under way or the message asks nothing; a question
        # ("until when can I order?") is answered first and starts it only when nobody knows better
        leads = ctx.resources.leads
        if not u.questions or leads is not None and leads.pending(ctx.user) is not None:
            lead = self._lead(ctx, u)
            if lead:
                return [Piece(lead, "quote")]
        pieces: list[Piece] = []
        acts = u.acts
        only_greeting = all(a == "greeting" for a in acts)
        shared = [p.text for p in u.parts if p.act == "statement"]
        if "greeting" in acts and not introduced_name(" ".join(shared), u.lang):  # "nice to meet you, X" greets
            pieces += self._greeting(ctx, u, r, bare=only_greeting)
        if "how_are_you" in acts:
            pieces.append(Piece(r.say("how_am_i")))
            if not u.statements and not u.questions:
                pieces.append(Piece(r.say("how_are_you"), "social"))
        questions = u.questions[:MAX_QUESTIONS]
        # thanks get their own answer below; a gratitude line as well would say "you're welcome" twice
        opener = "" if "thanks" in acts and ctx.user_emotion.detail == "gratitude" else self._empathy(ctx, u, r)
        if shared or (opener and not questions):
            got, used = share_reply(ctx, shared, r, lang=u.lang, asks_back=not questions and not u.has("farewell"),
                                    opener=opener)
            pieces += got
            self._used_m += used
        elif opener:
            pieces.append(Piece(opener))
        for p in u.parts:
            if p.act == "teaching":
                pieces += self._teaching(ctx, p, r, u.lang)
        answered = []
        for q in questions:
            got, final = self._answer(ctx, q, r, u.lang)
            pieces += got
            answered.append(final)
        if questions and not any(answered):
            lead = self._lead(ctx, u)  # "can someone call me about it?": nothing to look up, a lead to take
            if lead:
                return [Piece(lead, "quote")]
        for act in ("thanks", "backchannel", "joke", "help", "insult", "forget", "farewell"):
            if act in acts:
                got = self._social(ctx, act, r, u, alone=len(pieces) == 0)
                # "Thanks. I'll try to sleep.": the thanks is answered first, as it was said
                first = next((p.act for p in u.parts if p.act != "greeting"), "")
                pieces = got + pieces if act == "thanks" and first == "thanks" else pieces + got
        return _one_question(pieces)

    # ---- parts --------------------------------------------------------------------------------
    def _greeting(self, ctx: Context, u: Understanding, r: Realiser, bare: bool) -> list[Piece]:
        name = next((m.value for m in ctx.memories if m.about == "partner" and m.key == "name"
                     and m.superseded_by is None), "")
        slots = {"name": f" {name}" if name else "", "name_ko": f" {name}님" if name else ""}
        again = any(re.search(r"\b(see|meet|hear from) you|again|back|오랜만|반가", p.text, re.I)
                    for p in u.parts if p.act == "greeting")
        out = [Piece(r.say("greet_again" if again and ctx.history else "greet", **slots))]
        if not ctx.history and ctx.persona:
            out.append(Piece(r.say("intro", persona=ctx.persona)))
        if bare:
            out.append(Piece(r.say("offer"), "social" if ctx.history else "core"))
        return out

    def _empathy(self, ctx: Context, u: Understanding, r: Realiser) -> str:
        emo = ctx.user_emotion
        if emo.label == "neutral" and not emo.sarcasm or emo.confidence < 0.2:
            return ""
        if emo.label == "joy" and not emo.secondary and not u.statements:
            return ""  # a happy question ("great, how much is it?") needs an answer, not a speech
        from ..emotion.empathy import empathy

        # thanks are for us when they say so ("thank you", "thanks for ...") or speak to us
        to_us = u.has("thanks") or bool(re.search(r"\b(you|your|u|thanks|thank|cheers)\b|고마|감사", ctx.message, re.I))
        return r.pick("empathy", [empathy(emo, lang=u.lang, variant=v, to_us=to_us) for v in range(4)])

    def _teaching(self, ctx: Context, part: Part, r: Realiser, lang: str) -> list[Piece]:
        fact = taught_statement(part.text) or part.text
        fact = re.sub(r"^(The|Our|My|A|An|This|That|These|Those|Your)\b", lambda m: m.group(0).lower(), fact)
        if ctx.role != "owner" and lang == "en" and not re.match(r"^(i|my|me|we|our)\b", fact, re.I):
            # a user's claim stays theirs: remembered as what they said, never taught to others
            return [Piece(f"Thanks, I'll remember that you told me {swap_person(fact)}.")]
        return [Piece(r.say("teach_ok", fact=swap_person(fact)))]

    def _social(self, ctx: Context, act: str, r: Realiser, u: Understanding, alone: bool) -> list[Piece]:
        if act == "thanks":  # after an answer or news, "anything else?" would be a second question
            more = [] if u.questions or u.statements else [Piece(r.say("anything_else", "more"), "social")]
            return [Piece(r.say("thanks")), *more]
        if act == "backchannel":
            return [Piece(r.say("backchannel")), Piece(r.say("more", "ask_any"), "social")] if alone else []
        if act == "joke":
            return [Piece(r.say("joke"), "social"), Piece(r.say("joke_after"))]
        if act == "help":
            kb = ctx.resources.knowledge
            titles = [t for t in (kb.titles() if kb is not None else []) if not t.endswith("?")][:3]
            out = [Piece(r.say("help"))]
            if titles:
                out.append(Piece(r.say("topics", topics=join_list(titles)), "quote"))
            return out
        if act == "insult":
            return [Piece(r.say("insult")), Piece(r.say("do_better"))]
        if act == "forget":
            return [Piece(r.say("forget"))]
        return [Piece(r.say("bye"))]

    # ---- questions ----------------------------------------------------------------------------
    def _answer(self, ctx: Context, q: Part, r: Realiser, lang: str) -> tuple[list[Piece], bool]:
        """Ask the owners of each kind of fact in the order the question's target suggests;
        returns the pieces and whether anyone knew the answer."""
        # recall and the profile answer None for questions that are not theirs, so trying them late is
        # harmless: Korean drops pronouns ("강아지 이름이 뭐였죠?" asks about the user's dog)
        order = {"user": ("user", "catalog", "knowledge"), "self": ("self", "knowledge", "catalog"),
                 "self?": ("self", "catalog", "knowledge")}.get(q.target, ("catalog", "knowledge", "user", "self"))
        if _PRICE_SUM.search(q.text) or not self._names_catalog(ctx, q.text):
            # documents first unless the question names a product or a kind of product; sums over
            # prices are the knowledge's arithmetic
            rest = [o for o in order if o != "catalog"]
            i = rest.index("knowledge") + 1
            order = tuple(rest[:i] + ["catalog"] + rest[i:])  # the catalog right after the documents
        # friends' open questions ("is that normal?", "have you ever ...?"): a persona without documents
        # answers them first; one with documents only when nobody knows better
        kb = ctx.resources.knowledge
        business = ctx.resources.catalog is not None or (kb is not None and len(kb) > 0)
        if not business and (friendly := self._personal(ctx, q, r, business)):
            return friendly, True
        fallback: list[Piece] | None = None
        for who in order:
            got = getattr(self, f"_ask_{who}")(ctx, q.text, lang)
            if got is None:
                continue
            pieces, final = got
            # asked about the user's own life, "you haven't told me" is the answer; asked about the
            # business ("can my son come?"), it only stands if nobody knows better
            if final or who == "user" and q.target == "user":
                return pieces, final
            fallback = fallback or pieces  # "I don't know that": kept unless a later owner knows
        claim = self._own_claim(ctx, q.text)
        if claim is not None:  # what this user told us, said back as theirs: never taught to others
            self._used_m.append(claim)
            return [Piece(r.say("your_claim", fact=swap_person(claim.value).rstrip(".")), "quote")], True
        if business and (friendly := self._personal(ctx, q, r, business)):
            return friendly, True
        return fallback or [Piece(r.say("dont_know", "dont_know_more"))], False

    @staticmethod
    def _personal(ctx: Context, q: Part, r: Realiser, business: bool) -> list[Piece]:
        from .personal import personal_answer
        from .realise import emotion_is_negative

        options = personal_answer(q.text, negative=emotion_is_negative(ctx.user_emotion), knowledge=business)
        return [Piece(r.pick("personal", options))] if options else []

    @staticmethod
    def _own_claim(ctx: Context, q: str) -> Memory | None:
        """The user's own claim about the question's topic ("(partner) says the shop opens at 9")."""
        from .knowledge import terms

        asked = set(terms(q))
        claims = [(len(asked & set(terms(m.value))), m) for m in ctx.memories
                  if m.about == "partner" and m.key.startswith("claim:") and m.superseded_by is None]
        best = max(claims, key=lambda x: (x[0], x[1].score), default=(0, None))
        return best[1] if best[0] >= 2 or best[0] == 1 and best[1].score >= 0.85 else None

    @staticmethod
    def _names_catalog(ctx: Context, q: str) -> bool:
        """The question names a product or a category of the catalog ("is the Aero 14 in stock?")."""
        catalog = ctx.resources.catalog
        if catalog is None:
            return False
        from .knowledge import terms

        words = set(terms(q))
        return any(words & set(terms(f"{p.name} {p.category}")) for p in catalog.products)

    def _ask_user(self, ctx: Context, q: str, lang: str):
        from ..memory.recall import answer_about_user

        mems = [m for m in ctx.memories if m.about == "partner" and m.superseded_by is None]
        ans = answer_about_user(q, mems, history=ctx.history, lang=lang, now=ctx.resources.now)
        if ans is None:
            return None
        self._used_m += list(ans.used)
        return [Piece(ans.text, "quote" if ans.status == "answered" else "core")], ans.status == "answered"

    def _ask_self(self, ctx: Context, q: str, lang: str):
        from ..persona.profile import self_answer

        if ctx.resources.profile is None:
            return None
        mems = [m for m in ctx.memories if m.about == "self" and m.superseded_by is None]
        ans = self_answer(q, ctx.resources.profile, mems, history=ctx.history, lang=lang)
        if ans is None:
            return None
        self._used_m += list(ans.used)
        self._facts += list(ans.facts_to_write)
        return [Piece(ans.text, "quote")], True

    def _ask_catalog(self, ctx: Context, q: str, lang: str):
        if ctx.resources.catalog is None:
            return None
        from ..sales import answer_catalog

        ans = answer_catalog(q, ctx.resources.catalog, history=ctx.history, lang=lang)
        if ans is None:
            return None
        kb = ctx.resources.knowledge
        if kb is not None and ans.products:  # the rows quoted, as passages (where the catalog is also knowledge)
            names = {p.name.lower() for p in ans.products}
            self._used_p += [p for p in kb.passages() if p.title.lower() in names]
        return [Piece(ans.text, "quote")], ans.status != "declined"

    def _knowledge_base(self, ctx: Context):
        """The persona's knowledge base; for a Context built by hand (no resources), a small one in
        memory over the passages it carries, so the engine still answers from them."""
        if ctx.resources.knowledge is not None or not ctx.knowledge:
            return ctx.resources.knowledge
        key = tuple((p.title, p.text) for p in ctx.knowledge)
        if self._adhoc is None or self._adhoc[0] != key:
            from .knowledge import KnowledgeBase

            kb = KnowledgeBase(":memory:")
            for title, text in key:
                kb.add_text(title, text, source="context")
            self._adhoc = (key, kb)
        return self._adhoc[1]

    def _ask_knowledge(self, ctx: Context, q: str, lang: str):
        kb = self._knowledge_base(ctx)
        if kb is None or not len(kb):
            return None
        from ..knowledge import answer_question

        ans = answer_question(q, kb, history=ctx.history, lang=lang, now=ctx.resources.now)
        self._used_p += list(ans.passages)
        kind = "quote" if ans.status in ("answered", "partial") else "core"
        return [Piece(ans.text, kind)], ans.status in ("answered", "partial")

    def _lead(self, ctx: Context, u: Understanding) -> str | None:
        if ctx.resources.leads is None or ctx.resources.catalog is None:
            return None
        from ..sales import lead_step

        # the product just discussed: the latest one named in the conversation (or this message)
        names = [p.name for p in ctx.resources.catalog.products]
        interest = next((n for text in [ctx.message, *(t.text for t in reversed(ctx.history))]
                         for n in names if n.lower() in text.lower()), "")
        return lead_step(ctx.message, ctx.user, ctx.resources.leads, history=ctx.history, lang=u.lang,
                         interest=interest)
