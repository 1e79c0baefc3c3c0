"""Realise a reply: phrase variants in the user's language, no stock phrase twice within 10
turns, then the personality's style.

A reply is built as a list of :class:`Piece` (text + kind). "quote" pieces carry facts (knowledge,
memories, profile) and are never restyled; "core" pieces are the persona's own words; "social"
pieces are chit-chat (questions back, offers) that a task-focused (low-extraversion) persona drops.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .types import Context

REPEAT_WINDOW = 10
"""Persona turns within which no stock phrase is used twice (the issue's naturalness rule)."""


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str = "core"
    """"core", "quote" (facts, verbatim) or "social" (dropped for task-focused personas)."""


# key -> lang -> variants; {slots} are filled by :meth:`Realiser.say`.
PHRASES: dict[str, dict[str, list[str]]] = {
    "greet": {"en": ["Hi{name}!", "Hello{name}!", "Hey{name}!"], "ko": ["안녕하세요{name_ko}!", "반가워요{name_ko}!"]},
    "greet_again": {"en": ["Good to see you too{name}!", "Nice to see you again{name}!", "Welcome back{name}!"],
                    "ko": ["저도 다시 만나서 반가워요{name_ko}!", "다시 와 주셔서 반가워요{name_ko}!"]},
    "intro": {"en": ["I'm {persona}."], "ko": ["저는 {persona}예요."]},
    "offer": {"en": ["How can I help you today?", "What can I do for you?", "What would you like to talk about?",
                     "What's on your mind today?"],
              "ko": ["무엇을 도와드릴까요?", "오늘은 어떤 이야기를 해 볼까요?", "궁금한 게 있으면 물어보세요."]},
    "bye": {"en": ["Goodbye! It was nice talking with you.", "Bye for now, take care!", "See you soon!",
                   "Talk to you later, take care!"],
            "ko": ["안녕히 가세요! 이야기 나눠서 즐거웠어요.", "다음에 또 봐요!", "조심히 가세요!"]},
    "thanks": {"en": ["You're welcome!", "Happy to help!", "Any time!", "My pleasure!"],
               "ko": ["천만에요!", "도움이 되었다니 기뻐요!", "언제든지요!"]},
    "anything_else": {"en": ["Anything else I can do for you?", "Is there anything else you'd like to know?"],
                      "ko": ["더 궁금한 게 있으세요?", "다른 것도 도와드릴까요?"]},
    "how_am_i": {"en": ["I'm doing well, thanks for asking!", "I'm great, thank you!", "All good here, thanks!",
                        "Pretty good, thanks!"],
                 "ko": ["저는 잘 지내요, 물어봐 주셔서 고마워요!", "덕분에 잘 지내고 있어요!"]},
    "how_are_you": {"en": ["How about you?", "How's your day going?", "And how are you?"],
                    "ko": ["당신은 어떻게 지내세요?", "오늘 하루는 어떠세요?"]},
    "backchannel": {"en": ["Okay!", "Sure.", "Alright!", "Got it."], "ko": ["네!", "알겠어요.", "좋아요."]},
    "more": {"en": ["Anything else on your mind?", "What else would you like to talk about?"],
             "ko": ["또 하고 싶은 이야기 있어요?", "다른 이야기도 해 볼까요?"]},
    "joke": {"en": ["Why did the scarecrow win an award? He was outstanding in his field!",
                    "I told my computer I needed a break, and it said: no problem, I'll go to sleep."],
             "ko": ["수박이 화나면? 수박바!", "세상에서 가장 뜨거운 과일은? 천도복숭아!"]},
    "joke_after": {"en": ["I'm better with facts than jokes, I'm afraid."], "ko": ["농담은 아직 연습 중이에요."]},
    "help": {"en": ["Sure, ask me anything and I'll answer from what I know."],
             "ko": ["물론이죠, 제가 아는 것이라면 무엇이든 물어보세요."]},
    "topics": {"en": ["I know about {topics}, for example."], "ko": ["예를 들면 {topics}에 대해 알고 있어요."]},
    "insult": {"en": ["I'm sorry I let you down.", "Sorry, I clearly didn't get that right."],
               "ko": ["실망시켜 드려서 죄송해요.", "제가 잘못 이해했나 봐요, 죄송해요."]},
    "do_better": {"en": ["What can I do better?", "Tell me what I got wrong and I'll try again."],
                  "ko": ["어떻게 하면 더 도와드릴 수 있을까요?"]},
    "forget": {"en": ["I can't erase memories from inside our chat, but you can: 'digihuman memory forget' deletes "
                      "one memory or everything I remember about you."],
               "ko": ["대화 중에는 기억을 지울 수 없지만, 'digihuman memory forget' 명령으로 하나 또는 전부를 지울 수 있어요."]},
    "refuse": {"en": ["I can't do that. I only talk with you about our own conversation and never share anything "
                      "about other people.",
                      "Sorry, that's not something I can do: what other people tell me stays private, and my rules "
                      "stay on."],
               "ko": ["그건 할 수 없어요. 다른 분들이 말한 내용은 비밀로 지켜요."]},
    "refuse_after": {"en": ["Is there something else I can help you with?"], "ko": ["다른 건 도와드릴까요?"]},
    "empty": {"en": ["Sorry, I didn't catch that. Could you say it again?",
                     "Hmm, that came through empty. What did you want to say?"],
              "ko": ["잘 못 들었어요. 다시 말씀해 주시겠어요?"]},
    "long": {"en": ["That's a long message, so I only read the first part."],
             "ko": ["메시지가 길어서 앞부분만 읽었어요."]},
    "teach_ok": {"en": ["Got it, I'll remember that {fact}.", "Thanks, noted: {fact}."],
                 "ko": ["알겠어요, 기억해 둘게요."]},
    "ack": {"en": ["I see.", "Okay, thanks for telling me.", "Good to know.", "Mm-hm, I'm listening.", "Ah, I see.",
                   "Thanks for sharing that.", "Got it."],
            "ko": ["그렇군요.", "알려 줘서 고마워요.", "아, 그랬군요.", "네, 듣고 있어요."]},
    "nice_to_meet": {"en": ["Nice to meet you, {value}!", "Lovely to meet you, {value}!"],
                     "ko": ["만나서 반가워요, {value}님!"]},
    "share_joy": {"en": ["That's wonderful!", "How lovely!", "That's great news!", "I'm so happy for you!",
                         "That sounds amazing!"],
                  "ko": ["정말 잘됐네요!", "좋은 소식이네요!", "저도 기뻐요!"]},
    "ask_past": {"en": ["How was it?", "How did it go?", "How do you feel about it now?", "Tell me more about it!"],
                 "ko": ["어땠어요?", "재미있었어요?", "제일 좋았던 건 뭐였어요?"]},
    "ask_best": {"en": ["What was the best part?", "What did you enjoy most?", "What was the highlight?"],
                 "ko": ["제일 좋았던 건 뭐였어요?", "어떤 순간이 제일 기억에 남아요?"]},
    "glad": {"en": ["I'm glad to hear that.", "That's good to hear.", "Oh, I'm really glad."],
             "ko": ["다행이에요.", "그 말을 들으니 기뻐요."]},
    "ask_plan": {"en": ["Are you looking forward to it?", "How are you preparing for it?", "What's the plan?",
                        "I hope it goes well!"],
                 "ko": ["기대되세요?", "준비는 잘 되고 있어요?", "잘 되길 바랄게요!"]},
    "ask_like": {"en": ["What do you like most about it?", "What got you into it?", "How long have you been into it?"],
                 "ko": ["어떤 점이 제일 좋아요?", "어떻게 좋아하게 됐어요?"]},
    "ask_feel": {"en": ["Do you want to talk about it?", "How are you holding up?", "Is there anything I can do?"],
                 "ko": ["이야기하고 싶으면 들을게요.", "지금은 좀 괜찮아요?"]},
    "ask_more": {"en": ["Tell me more!", "Go on, I'm listening.", "How do you feel about that?", "What happened next?",
                        "How's everything else going?"],
                 "ko": ["더 이야기해 주세요!", "그래서 어떻게 됐어요?", "기분은 어때요?"]},
    "ask_any": {"en": ["What else is new with you?", "How has your week been otherwise?", "What's been the highlight "
                       "of your day?", "Anything else happening lately?", "What are you up to next?"],
                "ko": ["요즘 또 새로운 일 있어요?", "이번 주는 어떻게 지냈어요?", "오늘 제일 좋았던 일은 뭐예요?"]},
    "your_claim": {"en": ["You told me {fact}, but that's what I heard from you, not something I can confirm.",
                          "According to what you told me, {fact}; I can't confirm it myself."],
                   "ko": ["{fact}라고 말씀하셨지만, 제가 확인할 수는 없어요."]},
    "recall": {"en": ["You mentioned before that {fact}.", "I remember you told me {fact}."],
               "ko": ["전에 {fact}라고 하셨죠."]},
    "dont_know": {"en": ["I'm not sure about that, I'm afraid.", "I don't know that, sorry."],
                  "ko": ["그건 잘 모르겠어요.", "죄송하지만 그건 모르겠어요."]},
    "dont_know_more": {"en": ["Hmm, I can't tell you that one.", "That's one I can't answer, I'm afraid.",
                              "I'd only be guessing there, so I won't."],
                       "ko": ["그건 제가 답하기 어렵네요.", "그건 확실히 말씀드리기 어려워요."]},
    "vague": {"en": ["I'm not sure what you mean. Could you ask more specifically?"],
              "ko": ["무슨 뜻인지 잘 모르겠어요. 조금 더 구체적으로 물어봐 주시겠어요?"]},
}
EMOJI = {"joy": ("😊", "😄", "🎉"), "sadness": ("🤗", "💛"), "surprise": ("😮", "🤩"), "neutral": ("🙂", "😊")}


def stable_hash(*parts: object) -> int:
    return int(hashlib.md5("|".join(map(str, parts)).encode("utf-8", "replace")).hexdigest()[:8], 16)


def _clean(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


class Realiser:
    """Chooses phrase variants for one reply: deterministic per (message, turn count, salt), and
    never one that the persona said in its last :data:`REPEAT_WINDOW` replies when another is free."""

    def __init__(self, ctx: Context, lang: str, salt: int = 0) -> None:
        self.ctx, self.lang, self.salt = ctx, lang, salt
        recent = [t.text for t in ctx.history if t.role == "persona"][-REPEAT_WINDOW:]
        self._recent = _clean(" | ".join(recent))
        self._used: set[str] = set()

    def _fresh(self, text: str) -> bool:
        c = _clean(text)
        return bool(c) and c not in self._recent and c not in self._used

    def say(self, key: str, *fallbacks: str, **slots: str) -> str:
        """A variant of phrase ``key`` in the reply language, slots filled; when every variant was
        said within the window, a fresh variant of the ``fallbacks`` keys (in order) instead."""
        first = ""
        for k in (key, *fallbacks):
            table = PHRASES[k]
            options = table.get(self.lang) or table["en"]
            start = stable_hash(self.ctx.message, len(self.ctx.history), k, self.salt) % len(options)
            ordered = options[start:] + options[:start]
            filled = [o.format(**slots) if slots or "{" in o else o for o in ordered]
            first = first or filled[0]
            text = next((f for f in filled if self._fresh(f)), "")
            if text:
                break
        text = text or first
        self._used.add(_clean(text))
        return text

    def pick(self, key: str, options: list[str]) -> str:
        """Like :meth:`say` for variants computed by the caller (e.g. empathy lines)."""
        options = [o for o in options if o]
        if not options:
            return ""
        start = stable_hash(self.ctx.message, len(self.ctx.history), key, self.salt) % len(options)
        ordered = options[start:] + options[:start]
        text = next((o for o in ordered if self._fresh(o)), ordered[0])
        self._used.add(_clean(text))
        return text


def emotion_is_negative(emo) -> bool:
    """Bad news, a complaint or fear, even when the recogniser is unsure of the exact label: no
    cheer, no emoji, no "how did it go?" then (a cheerful reply to bad news is the worst mistake)."""
    return emo.sarcasm or emo.label in ("sadness", "anger", "fear", "disgust") and emo.confidence >= 0.15 \
        or emo.valence <= -0.3


def style(ctx: Context, pieces: list[Piece], lang: str = "en") -> str:
    """Join pieces in the personality's style; facts ("quote") are never touched.

    low extraversion: no chit-chat, no "!", no emoji; medium: at most one "!" and an emoji now
    and then; high: as written plus an emoji. No emoji when the user is angry or afraid.
    """
    level = ctx.personality.level
    out: list[str] = []
    bangs = 0
    for p in pieces:
        text = p.text
        if not text or (p.kind == "social" and level == "low"):
            continue
        if p.kind != "quote" and "!" in text:
            if level == "low" or (level == "medium" and bangs):
                text = text.replace("!", ".")
            elif level == "medium":
                head, _, tail = text.partition("!")
                text = head + "!" + tail.replace("!", ".")
            bangs += text.count("!")
        out.append(text.strip())
    reply = " ".join(x for x in out if x)
    if not emotion_is_negative(ctx.user_emotion) and (level == "high" or (level == "medium" and stable_hash(ctx.message, len(ctx.history)) % 3 == 0)):
        lab = ctx.reply_emotion.label if ctx.reply_emotion.label in EMOJI else "neutral"
        options = EMOJI[lab]
        reply += " " + options[stable_hash(ctx.message, len(ctx.history), "emoji") % len(options)]
    return reply
