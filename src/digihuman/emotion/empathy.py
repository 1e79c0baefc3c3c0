"""The opening sentence a reply needs for the user's feeling, and a check that a reply is not cheerful.

One table per language: (case) -> variants. The case is chosen from the recognised
:class:`~digihuman.dialog.types.Emotion` (sarcasm and complaints about us first, then mixed
feelings, then the finer feeling, then the label), so grief gets condolences, a complaint an
apology with a step the assistant can really take (note the details and pass them on), worry calm,
good news shared joy. Lines state no facts: they only acknowledge what the user said.
"""

from __future__ import annotations

import re

from ..dialog.types import Emotion

LINES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "complaint": ("I'm really sorry about this; it shouldn't have happened. If you give me the details, "
                      "I'll pass them on so someone can sort it out.",
                      "I apologise for the trouble. Let me take down what happened and pass it on to the team.",
                      "I'm sorry, that's not the experience you should have had. Tell me the details and I'll "
                      "make sure they get passed on."),
        "sarcasm": ("That sounds really frustrating.", "Oh no, that's the last thing you needed.",
                    "Ugh, what a rotten bit of luck.", "That sounds like a rough day, I'm sorry."),
        "mixed_joy_sadness": ("Congratulations, even if part of it is hard.",
                              "That's great news, even if it's bittersweet.",
                              "I'm happy for you, and it's natural to feel a little sad too."),
        "mixed_joy_anger": ("That's good news, even if the rest sounds frustrating.",
                            "I'm glad about the good part; the other part sounds really annoying."),
        "mixed_joy_fear": ("That's good news, and it's natural to feel a bit nervous as well.",
                           "I'm glad about the good part, and the worry makes sense too."),
        "mixed_sad_joy": ("That sounds bittersweet: some good, some hard.",
                          "It sounds like a mix of happy and sad, and that's okay."),
        "grief": ("I'm so sorry for your loss.", "I'm so sorry. Losing someone you love is incredibly hard.",
                  "My deepest condolences; I'm so sorry you're going through this."),
        "tiredness": ("That sounds exhausting.", "You must be worn out; I hope you can get some rest soon.",
                      "That's a lot to carry; no wonder you're tired."),
        "loneliness": ("I'm sorry you're feeling alone.", "Feeling lonely is hard; I'm here to talk.",
                       "That sounds lonely. Thank you for telling me."),
        "disappointment": ("I'm sorry it didn't work out.", "That's really disappointing, I'm sorry.",
                           "What a letdown; I'm sorry."),
        "embarrassment": ("That sounds awkward, but it happens to everyone.", "Oof, that must have felt embarrassing."),
        "sadness": ("I'm sorry to hear that.", "That sounds really hard.", "I'm sorry you're going through this."),
        "anger": ("That sounds really frustrating.", "I can see why you're upset.", "That would annoy anyone."),
        "disgust": ("Ugh, that sounds really unpleasant.", "That sounds awful.",
                    "Yuck, I'm sorry you had to deal with that."),
        "worry": ("It's understandable to feel nervous about that.",
                  "That's a lot to worry about; take it one step at a time.",
                  "I understand the worry. It's okay to feel that way."),
        "stress": ("That sounds like a lot of pressure.", "That's a lot on your plate; take a breath."),
        "fear": ("That sounds frightening.", "That must be scary; it's okay to feel afraid.",
                 "I'm sorry, that sounds really scary."),
        "gratitude": ("You're very welcome!", "I'm glad I could help.", "It's my pleasure."),
        "gratitude_other": ("That's lovely; good people make all the difference.",
                            "It sounds like you have wonderful people around you.", "That's really lovely to hear."),
        "pride": ("Congratulations, that's a real achievement!", "Well done, you should be proud!",
                  "That's brilliant news, congratulations!"),
        "relief": ("What a relief, I'm so glad to hear it.", "That's such good news; you must be relieved."),
        "excitement": ("How exciting!", "That sounds amazing, enjoy it!", "Oh, that's something to look forward to!"),
        "joy": ("That's wonderful to hear!", "I'm so happy for you!", "That's great news!"),
        "surprise": ("Wow, really?", "Oh, that's unexpected!", "No way!"),
        "bad_surprise": ("Oh no, that's unexpected.", "Oh, I didn't see that coming."),
    },
    "ko": {
        "complaint": ("불편을 드려 정말 죄송합니다. 자세한 내용을 알려 주시면 담당자에게 바로 전달할게요.", "죄송합니다. 어떤 일이 있었는지 적어 두었다가 팀에 전달하겠습니다.",
                      "기다리게 해 드려 죄송해요. 내용을 알려 주시면 꼭 전달해 드릴게요."),
        "sarcasm": ("정말 속상하셨겠어요.", "하필 그런 일이 생기다니, 힘드셨겠어요.", "정말 답답하셨겠네요."),
        "mixed_joy_sadness": ("축하해요, 아쉬운 마음도 드시겠지만요.", "좋은 소식이네요, 한편으로는 섭섭하시겠어요."),
        "mixed_joy_anger": ("좋은 소식이네요, 나머지는 좀 답답하시겠어요.", "잘된 일도 있지만 속상한 일도 있으셨네요."),
        "mixed_joy_fear": ("좋은 소식이에요, 조금 걱정되는 것도 당연해요.", "잘됐네요, 불안한 마음도 이해해요."),
        "mixed_sad_joy": ("기쁘기도 하고 슬프기도 한 마음이시겠어요.", "시원섭섭하시겠어요."),
        "grief": ("삼가 고인의 명복을 빕니다.", "정말 안타까워요. 얼마나 슬프실지요.", "진심으로 위로의 말씀을 드려요."),
        "tiredness": ("많이 피곤하시겠어요.", "정말 고생 많으셨어요. 푹 쉬셨으면 좋겠어요.", "지치셨겠어요."),
        "loneliness": ("외로우셨겠어요.", "혼자라고 느끼면 힘들죠. 제가 이야기 들어 드릴게요."),
        "disappointment": ("많이 아쉬우시겠어요.", "실망스러우셨겠어요."),
        "embarrassment": ("민망하셨겠어요, 누구나 그럴 수 있어요.",),
        "sadness": ("마음이 많이 힘드시겠어요.", "그런 일이 있으셨군요, 속상하시겠어요.", "많이 슬프셨겠어요."),
        "anger": ("정말 화나셨겠어요.", "짜증 나실 만해요.", "그러실 만해요, 답답하셨겠어요."),
        "disgust": ("정말 불쾌하셨겠어요.", "으, 정말 싫으셨겠어요."),
        "worry": ("걱정되시는 게 당연해요.", "많이 긴장되시겠어요. 하나씩 차근차근 해 봐요."),
        "stress": ("부담이 많으시겠어요.", "스트레스가 크시겠어요."),
        "fear": ("많이 무서우셨겠어요.", "겁나셨겠어요, 그럴 수 있어요."),
        "gratitude": ("천만에요!", "도움이 되어서 기뻐요.", "별말씀을요."),
        "gratitude_other": ("정말 고마운 분들이네요.", "좋은 사람들이 곁에 있어서 다행이에요."),
        "pride": ("축하해요, 정말 대단해요!", "잘하셨어요, 뿌듯하시겠어요!"),
        "relief": ("정말 다행이에요.", "다행이네요, 마음이 놓이시겠어요."),
        "excitement": ("정말 설레시겠어요!", "와, 기대되시겠어요!"),
        "joy": ("정말 잘됐네요!", "저도 기뻐요!", "좋은 소식이네요!"),
        "surprise": ("와, 정말요?", "깜짝 놀라셨겠어요!"),
        "bad_surprise": ("어머, 정말요?", "생각지도 못한 일이네요."),
    },
}
_MIXED = {("joy", "sadness"): "mixed_joy_sadness", ("joy", "fear"): "mixed_joy_fear",
          ("joy", "anger"): "mixed_joy_anger",
          ("sadness", "joy"): "mixed_sad_joy", ("fear", "joy"): "mixed_joy_fear"}


def _case(e: Emotion) -> str:
    if e.target == "persona":
        return "complaint"
    if e.sarcasm:
        return "sarcasm"
    if e.label == "neutral":
        return ""
    if (e.label, e.secondary) in _MIXED:
        return _MIXED[(e.label, e.secondary)]
    if e.label == "surprise" and e.valence < 0:
        return "bad_surprise"
    if e.detail and e.detail in LINES["en"] and e.detail not in ("frustration",):
        return e.detail
    return e.label


def empathy(emotion: Emotion, *, lang: str = "en", variant: int = 0, to_us: bool = True) -> str:
    """An opening sentence that fits the user's feeling ("I'm so sorry for your loss."); "" for neutral.

    ``lang`` is "en" or "ko" (anything else: English); ``variant`` picks among the case's phrasings
    (modulo their number), so a caller can rotate them and not repeat itself. ``to_us``: False when
    the message speaks of others ("I'm so grateful for my friends"): gratitude then gets no
    "you're welcome".
    """
    case = _case(emotion)
    if case == "gratitude" and not to_us:
        case = "gratitude_other"
    if not case:
        return ""
    table = LINES.get(lang, LINES["en"])
    options = table.get(case) or table[emotion.label]
    return options[variant % len(options)]


_CHEER = re.compile(r"\b(great|wonderful|awesome|fantastic|amazing|brilliant|lovely|congrat\w*|yay|hooray|woo+hoo|"
                    r"exciting|happy for you|glad to hear|good to hear|good news|so happy|enjoy|fun|cool|nice|"
                    r"perfect|excellent|delighted|hurray|well done)\b|[😀😃😄😁😆😊🙂😍🥰🥳🎉👍✨😎]|"
                    r"축하|잘됐|멋지|멋져|신나|최고|대박|기뻐|좋네요|좋아요|ㅎㅎ|ㅋㅋ|설레", re.I)
_SYMPATHY = re.compile(r"\b(sorry|condolence\w*|apolog\w*|unfortunately|sad|hard|frustrat\w*|tough|difficult|"
                       r"worr\w*|scary|afraid|exhaust\w*|tired)\b|죄송|유감|안타깝|힘드|속상|명복|위로|걱정|피곤|고생", re.I)


def is_cheerful(text: str) -> bool:
    """True when a reply sounds cheerful: cheer words, party emoji or "!" praise, and no sympathy at all.

    Used to check that a negative message never gets a cheerful answer ("That's great! ..."). A
    sympathetic reply that also praises ("Congratulations, even if it's hard") is not cheerful.
    """
    text = text or ""
    if _SYMPATHY.search(text):
        return False
    return bool(_CHEER.search(text))
