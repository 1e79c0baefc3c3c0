"""Answers to the open questions friends ask each other: "have you ever ...?", "do you ever ...?",
"is that normal?", "what would you do?", "how do you deal with ...?", "should I ...?".

No fact can answer them, and "I don't know" to a friend who asks "is that normal?" ignores them.
Each frame is a question shape (read from the sentence, not from topic words), and its answer
mirrors the user's own words with pronouns swapped (:func:`~.intents.swap_person`): it says how
the persona sees it (a digital human, honestly) or gives the gentle, general advice a friend would,
and never states a fact about the world. :func:`personal_answer` returns the variants; the
realiser picks one that was not said in the last 10 replies.
"""

from __future__ import annotations

import re

from .intents import swap_person

_LEAD = r"^(?:(?:so|and|but|well|ok|okay|honestly|seriously|also|then),?\s+)*"
_EVER = re.compile(_LEAD + r"(?:have|did) (?:you|u) ever (?:actually |really )?(.+?)\W*$|"
                   + _LEAD + r"have (?:you|u) ((?:been|gone|tried|seen|visited|done|had)(?: .+?)?)\W*$")
_HABIT = re.compile(_LEAD + r"do (?:you|u) ever (.+?)\W*$|" + _LEAD + r"do (?:you|u) (?:ever )?((?:get|feel) (?:tired|lonely|"
                    r"bored|sad|sleepy|hungry|angry|scared|nervous|stressed|sick|homesick|jealous|anxious))\W*$")
_WOULD = re.compile(_LEAD + r"(?:what would (?:you|u) do|how would (?:you|u) (?:handle|deal with|cope with|approach|take)"
                    r" (?:that|this|it))\b(.*?)\W*$")
_COPE = re.compile(_LEAD + r"how do (?:you|u) (?:deal with|cope with|handle|get through|get over) (.+?)\W*$")
# "Is that normal?" about what was just said; "is it silly to ..." about a feeling or a wish
_NORMAL = re.compile(_LEAD + r"(?:is|isn't) (?:that|this|it) (normal|okay|ok|weird|strange|silly|bad|wrong|crazy|"
                     r"stupid|dumb|childish)(?: of me)?\W*$")
_SILLY = re.compile(_LEAD + r"(?:do you think |would you say )?(?:is it|it's|it is) (?:a bit |kind of |really )?(silly|weird|"
                    r"strange|stupid|crazy|dumb|childish|normal) (?:to|that) (.+?)\W*$")
_SHOULD = re.compile(_LEAD + r"(?:do you think |would you say )?(?:i|we) should (.+?)\W*$|" + _LEAD + r"should (?:i|we) (.+?)\W*$")
_IDEAS = re.compile(r"\b(?:any|got any|have you got any|do you have any) (ideas|suggestions|tips|advice)\b|"
                    r"\bwhat (?:should|could|can) we do\b|\bwhat do you (?:suggest|recommend) (?:we|i) do\b")
_OVER = re.compile(_LEAD + r"am i (?:being )?(overreacting|overthinking|crazy|silly|stupid|wrong|too \w+|mad|weird|selfish)"
                   r"\W*$")
_HARD = re.compile(_LEAD + r"is it (hard|difficult|tough|easy|possible|too late|worth it|a good idea) to (.+?)\W*$")
_VENT = re.compile(_LEAD + r"(?:can|could|may) i (?:just )?(?:vent|rant|talk to you|tell you something|ask you something)\b")
_HAPPENS = re.compile(r"\b(?:does|has) (?:that|this|it) (?:ever )?happen(?:ed)? to (?:you|u)\b")
_MY_IDEA = re.compile(r"\bwhat (?:do|did) (?:you|u) think (?:of|about) my (idea|plan|decision|choice)\b")
_WHICH = re.compile(_LEAD + r"which (?:one )?would (?:you|u) (?:pick|choose|go for|take)\b")
_HOW_I = re.compile(_LEAD + r"how (?:do|can|should) i (stop|start|get better at|deal with|cope with|get over|fix|handle|"
                    r"stay|keep|be more|be less)\b(.*?)\W*$")
_BEST_EVER = re.compile(r"\bwhat(?:'s| is| was) the (?:\w+est|most \w+|best|worst) (.+?) (?:you've|you have|you)"
                        r" ever (?:had|seen|done|got|been|received|heard|made|read|eaten|visited|taken|walked|tried)\b")
_HOW_YOU = re.compile(_LEAD + r"how do (?:you|u) (stay|keep|get|manage|find time|make time|relax|unwind|switch off)\b(.*?)\W*$")
_NICE = {"okay", "ok", "normal"}


def personal_answer(question: str, *, negative: bool = False, knowledge: bool = False) -> list[str]:
    """Variants of a friend's answer to ``question`` ([] when it is not one of these shapes).

    ``negative``: the user's message (or the last one) was bad news, so advice is gentle;
    ``knowledge``: the persona answers for a business, so "should I ...?" and "any tips?" are
    left to its documents (a shop's "should I book ahead?" needs a fact, not encouragement).
    """
    said = " ".join(question.replace("’", "'").split())
    q = said.lower()  # matched in lower case; the words mirrored back keep the user's capitals ("Seoul")

    def _mirror(m: re.Match, group: int) -> str:
        return swap_person(said[m.start(group):m.end(group)].strip(" ,")).rstrip("?.!")

    if m := _NORMAL.match(q):
        if m.group(1) in _NICE:
            return ["Yes, it's completely normal to feel that way.",
                    "It's very normal, yes: lots of people feel exactly like that.",
                    "Yes, that's perfectly normal, and it's good that you can say it."]
        return [f"No, not at all, it isn't {m.group(1)}.", f"Not at all: it's not {m.group(1)} in the slightest.",
                f"No, I don't think it's {m.group(1)} at all."]
    if m := _SILLY.match(q):
        what, rest = m.group(1), _mirror(m, 2)
        if what == "normal":
            return [f"Yes, I think it's normal to {rest}.", f"Yes, it's completely normal to {rest}."]
        return [f"Not at all, it isn't {what} to {rest}.", f"No, I don't think it's {what} to {rest}: it makes sense."]
    if m := _EVER.match(q):
        did = _mirror(m, 1 if m.group(1) else 2)
        return [f"I haven't {did} myself: I'm a digital human, so I live through the stories people tell me, "
                f"like yours.",
                f"Not really: as a digital human I haven't {did} the way you have, but I'd love to hear about it.",
                f"I'm a digital human, so I can't say I've {did}, but I understand why it matters."]
    if m := _HABIT.match(q):
        do = _mirror(m, 1 if m.group(1) else 2)
        return [f"Not the way you do: as a digital human I don't really {do}, but I understand the feeling.",
                f"I'm a digital human, so I don't {do} the way people do, but I know what you mean."]
    if m := _OVER.match(q):
        how = _mirror(m, 1)
        return [f"No, I don't think you're {how}: it makes sense to feel that way.",
                f"Not at all. I don't think you're {how}; your feelings are real."]
    if m := _HARD.match(q):
        what, do = m.group(1), _mirror(m, 2)
        if what in ("possible", "too late", "worth it", "a good idea"):
            return [f"I think it's worth it: it's never too late to {do}.", f"Yes, I think you can {do}, at any age."]
        return [f"It can be {what} at first, but I think you can {do}: one small step at a time.",
                f"I'd say it takes patience, but lots of people {do}, and I think you can too."]
    if _VENT.match(q):
        return ["Of course, go ahead: I'm listening.", "Yes, of course. I'm here, tell me everything."]
    if _HAPPENS.search(q):
        return ["Not really, I'm a digital human, but I'd have noticed!", "I'm a digital human, so not quite, "
                "but I know how that feels from what people tell me."]
    if _MY_IDEA.search(q):
        return ["I think it sounds like a good idea, if it feels right for you.",
                "I like it, honestly: if it feels right to you, I'd go for it."]
    if _WHICH.match(q):
        return ["I'd pick the one that excites you more when you imagine the first day.",
                "I think I'd go with the one that feels more like you."]
    if (m := _WOULD.match(q)) is not None:
        if negative:
            return ["I'd take it one day at a time, and lean on the people who care about me.",
                    "If I were you, I'd be gentle with myself and make the most of the time there is.",
                    "I think I'd give myself time, and talk it through with someone close."]
        return ["I'd probably go for it and see how it feels.", "I think I'd trust my gut on that one.",
                "I'd take a little time to think, then do what feels right."]
    if m := _COPE.match(q):
        what = _mirror(m, 1)
        return [f"With {what}, I try to take it one step at a time and talk it through with someone I trust.",
                f"I think with {what} it helps to give it time, and to remember the good parts.",
                f"I'd say be patient with yourself: {what} is hard for everyone."]
    if m := _HOW_YOU.match(q):
        do = _mirror(m, 1) + _mirror(m, 2).rjust(len(m.group(2)))
        return [f"As a digital human I never have to {do.strip()}, so I'm no expert, but I'd love to hear what works "
                f"for you.", f"I'm a digital human, so I don't really {do.strip()} the way you do; what helps you?"]
    if m := _BEST_EVER.search(q):
        what = _mirror(m, 1)
        return [f"I'm a digital human, so I haven't had many {what}s of my own; hearing about yours is the best part.",
                f"Honestly, I think the best {what} I've had is hearing stories like yours."]
    if knowledge:
        return []
    if m := _SHOULD.match(q):
        do = _mirror(m, 1 if m.group(1) else 2)
        return [f"I think you should {do} if it feels right, when you're ready: there's no rush.",
                f"If your heart says yes, I think you should {do}; only you know when the time is right.",
                f"I'd say yes, {do} when it feels right for you."]
    if m := _HOW_I.match(q):
        return ["I'd start small: pick one tiny step, do just that, and be kind to yourself when it's hard.",
                "I think it helps to start small, notice what sets it off, and not be too hard on yourself."]
    if m := _IDEAS.search(q):
        if m.group(1) in ("tips", "advice"):
            return ["I'd start small: one thing at a time, short breaks, and enough sleep.",
                    "I'd say: write down the next small step, do just that, and be kind to yourself."]
        return ["I'd keep it simple: a long walk somewhere you both like, a good meal, and plenty of time to talk.",
                "I think a relaxed day is best: somewhere to walk, something good to eat, and time to catch up."]
    return []
