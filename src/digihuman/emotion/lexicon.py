"""Word lists behind text emotion: feeling words, situations that are good or bad, Korean morphemes.

Two kinds of evidence, kept apart on purpose:
- *feeling* words say what the user feels ("sad", "furious", "grateful"); they decide the label
  and the finer feeling (:data:`~digihuman.dialog.types.FEELINGS`).
- *situation* words say what happened ("cancelled", "died", "rejected", "promoted"); they carry a
  weaker vote on their own ("My grandma passed away." is grief without a feeling word) and they are
  what sarcasm is made of: glowing words (``EVALUATIVE``) about a bad situation.
Entries are lemmas (spaCy for English, Kiwi morphemes for Korean), so inflections need no entry.
"""

from __future__ import annotations

FEELING_LABEL: dict[str, str] = {
    "grief": "sadness", "loneliness": "sadness", "disappointment": "sadness", "embarrassment": "sadness",
    # Tiredness is filed under sadness: it is low-arousal and negative (the circumplex quadrant of
    # sadness), and the reply it needs is the same gentle, non-cheerful one.
    "tiredness": "sadness",
    "worry": "fear", "stress": "fear",
    "frustration": "anger",
    "gratitude": "joy", "excitement": "joy", "pride": "joy", "relief": "joy", "love": "joy",
    "boredom": "neutral",  # no Ekman emotion; flat and mildly negative
}
"""Each finer feeling belongs under one label of :data:`~digihuman.dialog.types.EMOTIONS`."""


def _table(spec: dict[str, str], weight: float = 1.0) -> dict[str, tuple[str, str, float]]:
    """``{"label/detail": "lemma lemma ..."}`` -> ``{lemma: (label, detail, weight)}``; "_" joins phrasal lemmas."""
    out: dict[str, tuple[str, str, float]] = {}
    for key, words in spec.items():
        label, _, detail = key.partition("/")
        for w in words.split():
            out[w.replace("_", " ")] = (label, detail, weight)
    return out


# Feeling words (English lemmas; "_" = a verb with its particle, "fed_up").
FEELING = _table({
    "joy": "happy glad joy joyful delighted thrilled cheerful pleased ecstatic elated overjoyed content yay hooray "
           "woohoo enjoy fun happiness",
    "joy/gratitude": "thank thanks grateful appreciate thankful gratitude cheers",
    "joy/excitement": "excited exciting stoked pumped psyched",
    "joy/pride": "proud",
    "joy/relief": "relieved relief phew",
    "joy/love": "adore love",
    "sadness": "sad unhappy depressed depressing miserable heartbroken cry tear sorrow gloomy upset devastated "
               "hopeless crushed heartbreaking sadness down",
    "sadness/grief": "grief grieve mourn condolence",
    "sadness/loneliness": "lonely alone isolated lonesome loneliness",
    "sadness/disappointment": "disappointed disappointing disappointment gutted bummed letdown",
    "sadness/embarrassment": "embarrassed embarrassing ashamed humiliated humiliating idiot",
    "sadness/tiredness": "tired exhausted exhausting knackered drained sleepy fatigue weary shattered wear_out "
                         "burn_out burnt burned",
    "anger": "angry mad furious livid outraged rage hate pissed infuriating infuriated enraged fury",
    "anger/frustration": "frustrated frustrating frustration annoyed annoying irritated irritating fed_up "
                         "ridiculous unacceptable useless pathetic disgrace joke unbelievable",
    "fear": "afraid scared frightened terrified terrifying fear panic scary creepy frightening tremble shake",
    "fear/worry": "worried worry anxious anxiety nervous uneasy concerned dread apprehensive",
    "fear/stress": "stressed stress overwhelmed stressful",
    "surprise": "surprised surprise surprising shocked astonished amazed stunned unexpected wow whoa "
                "omg",
    "disgust": "disgusting disgusted gross yuck eww ew eugh urgh nasty revolting vile repulsive sickening filthy foul "
               "rotten "
               "mouldy moldy stink",
    "neutral/boredom": "bored boring",
})

EVALUATIVE = set("great perfect wonderful fantastic brilliant awesome lovely amazing excellent superb terrific "
                 "marvelous marvellous fabulous splendid love nice thank thanks cool yay best cheers happier "
                 "joy".split())
"""Glowing words that sarcasm turns around ("Oh great, ..."); feeling statements like "I'm glad" are not here."""

# Situations (English lemmas). Votes are weaker than feeling words; a sentence in a question or an
# "if" clause is hypothetical and casts none.
BAD = _table({
    "sadness/disappointment": "reject rejection fail dump divorce fire lay_off break_up forget cancer",
    "anger/frustration": "cancel delay late break broken crash strand stuck overcharge charge leak spill "
                         "ruin steal rob lose lock_out lock wait queue traffic ignore postpone rude wrong damaged "
                         "faulty jam jammed pack_in flood nightmare",
    "sadness": "sick ill flu injure accident hospital rain pour",
    "fear/worry": "missing surgery operation biopsy diagnosis",
}, 0.5)
BAD.update(_table({"sadness/grief": "die death dead funeral pass_away bury put_down"}, 1.0))  # unambiguous
GOOD = _table({
    "joy/pride": "hire accept award",
    "joy/relief": "recover clear harmless benign",
    "joy": "bonus raise",
}, 0.5)
GOOD.update(_table({  # news that is good news in any context
    "joy/pride": "promote promotion graduate win scholarship pay_off",
    "joy/excitement": "engage engaged marry",
    "joy": "born birth",
}, 1.0))

GOOD_OBJECTS = set("job offer place promotion raise scholarship visa award prize contract flat apartment house "
                   "grant loan tickets ticket".split())
"""What it is good news to get, land or win ("I got the job")."""
ADMISSIONS = set("programme program university uni college school course academy team club band final finals "
                 "squad orchestra".split())
"""What it is good news to get into ("I got into the nursing programme")."""

BUSINESS = set("order book deliver ship delivery parcel package refund service support staff app website site account "
               "booking "
               "reservation subscription product item shop store company manager invoice payment receipt "
               "customer email message call shipment shipping courier tracking branch".split())
"""Nouns that point a complaint at the business (the persona speaks for it)."""

CONTRAST = {"but", "though", "although", "however", "bittersweet"}

INTENSIFIER = {"so": 1.4, "soo": 1.5, "very": 1.4, "really": 1.3, "extremely": 1.7, "super": 1.5,
               "totally": 1.3, "incredibly": 1.6, "absolutely": 1.5, "completely": 1.4, "too": 1.2, "utterly": 1.6,
               "bit": 0.6, "slightly": 0.6, "kinda": 0.7, "little": 0.7, "somewhat": 0.7}

EMOJI: dict[str, tuple[str, str]] = {}
for _lab, _chars in {
    "joy": "😀😃😄😁😆😊🙂😍🥰😘☺😂🤣🥳🎉❤💕👍✨😎🙏", "sadness": "😢😭😞😔😟☹🙁💔😿😥",
    "anger": "😡😠🤬👿💢😤", "fear": "😨😰😱😧😬", "surprise": "😮😯😲🤯😳", "disgust": "🤢🤮",
}.items():
    for _ch in _chars:
        EMOJI[_ch] = (_lab, "")
EMOJI["🙏"] = ("joy", "gratitude")
EMOJI["😴"] = ("sadness", "tiredness")
IRONY_EMOJI = set("🙃🙄😒")
"""Emoji that mark irony: with a bad situation they make the glowing words sarcastic."""

# ---- Korean (Kiwi morphemes) -------------------------------------------------------------------
# key: morpheme forms joined by "+" (particles removed first, so 화가 나다 and 화나다 both match "화+나").
KO_FEELING = _table({
    "joy": "기쁘 행복 좋 신나 최고 즐겁 웃 만족",
    "joy/gratitude": "고맙 감사",
    "joy/excitement": "설레 기대",
    "joy/pride": "뿌듯 자랑스럽",
    "joy/relief": "다행 안심",
    "joy/love": "사랑",
    "sadness": "슬프 우울 속상 눈물 울 서운 마음+아프 힘들 괴롭",
    "sadness/grief": "돌아가+시 장례 장례식 사망 명복 무지개+다리",
    "sadness/loneliness": "외롭 쓸쓸 혼자 그립 보+고+싶",
    "sadness/disappointment": "실망 아쉽 허무",
    "sadness/tiredness": "피곤 지치 졸리 녹초 피로 기진맥진",
    "sadness/embarrassment": "창피 부끄럽",
    "anger": "화나 화+나 화+내 분노 열+받 빡치 화",
    "anger/frustration": "짜증 답답 어이없 억울 황당",
    "fear": "무섭 두렵 겁 공포 소름",
    "fear/worry": "걱정 불안 긴장 떨리 초조",
    "fear/stress": "스트레스 부담",
    "surprise": "놀라 깜짝 대박 헐 세상에",
    "disgust": "역겹 징그럽 더럽 토+나오 구역질 끔찍",
    "neutral/boredom": "심심 지루 재미없",
})
KO_BAD = _table({
    "sadness/grief": "죽 사망",
    "sadness/disappointment": "떨어지 해고 잘리 불합격 헤어지",
    "anger/frustration": "답+없 취소 지연 고장 잃어버리 늦 망하 깨지 밀리 기다리 연착 환불",
    "sadness": "아프 사고 병원 비",
}, 0.5)
KO_GOOD = _table({
    "joy/pride": "합격 승진 취직 졸업 이기 우승 붙",
    "joy/excitement": "결혼",
    "joy": "태어나 출산",
}, 0.5)
KO_EVALUATIVE = {"잘+되", "잘+하", "완벽", "최고", "대단", "훌륭", "좋", "멋지", "굿"}
KO_BUSINESS = {"주문", "배송", "환불", "택배", "서비스", "고객", "매장", "가게", "직원", "상품", "예약", "결제", "답"}
KO_INTENSIFIER = {"너무", "진짜", "정말", "완전", "엄청", "되게", "매우", "아주", "넘", "졸라", "개"}
KO_CONTRAST = {"지만", "는데", "은데", "ㄴ데", "데", "그런데", "근데", "그렇지만", "하지만"}
