"""Development set for the persona's answers about itself (not the held-out evaluation).

Run: PYTHONPATH=src python benchmarks/dev/self_talk_dev.py
Each case: a question (varied phrasing, typos, British spellings, several sentences) and what the
answer must contain (a profile value, a marker) or None when the message is not about the persona.
"""

from __future__ import annotations

import sys
import time

from digihuman.dialog.types import Turn
from digihuman.persona.profile import default_profile, self_answer

P = default_profile("mina", "a friendly baker at Sunny Bakery who loves sourdough")
L = {k: v[0] for k, v in P.likes.items()}
CASES = [
    ("What music do you like?", L["music"]), ("So what kind of music are you into?", L["music"]),
    ("Hi Mina! Quick question: what sort of music do you listen to?", L["music"]),
    ("whats ur fave music", L["music"]), ("What's your favourite song genre?", L["music"]),
    ("what's your favorite food", L["food"]), ("Fave food?", L["food"]), ("What do you like to eat?", L["food"]),
    ("What's your favourite colour?", L["colour"]), ("favorite color?", L["colour"]),
    ("Which season do you like best?", L["season"]), ("Do you have a favourite season?", L["season"]),
    ("What's your favourite book?", L["book"]), ("Read any good books? What's your favourite novel?", L["book"]),
    ("What's your favourite film?", L["film"]), ("What kind of movies do you enjoy?", L["film"]),
    ("What do you do in your free time?", L["hobby"]), ("Got any hobbies?", L["hobby"]),
    ("What do you like doing at the weekend?", L["hobby"]), ("What do you do for fun?", L["hobby"]),
    ("What's your favourite drink?", L["drink"]), ("Do you have a favourite animal?", L["animal"]),
    ("What's your favourite sport?", L["sport"]),
    ("Where are you from?", P.origin), ("Where did you grow up?", P.origin), ("where r u from", P.origin),
    ("So, where do you come from originally?", P.origin), ("What's your hometown?", P.origin),
    ("Tell me about yourself.", "baker"), ("Could you introduce yourself?", "Mina"), ("Who are you?", "Mina"),
    ("What's your name?", "Mina"), ("Who am I chatting with?", "Mina"),
    ("Are you a robot?", "digital human"), ("Are you human?", "digital human"), ("r u a bot?", "digital human"),
    ("Am I talking to a real person?", "digital human"), ("Wait, are you an AI?", "digital human"),
    ("Is this a bot?", "digital human"),
    ("What do you think about mornings?", "best part"), ("How do you feel about rainy days?", "staying in"),
    ("What's your take on technology?", "talk to each other"),
    ("Do you like croissants?", "Yes"), ("Do you like dogs?", None or "dogs"), ("Do you like music?", L["music"]),
    ("Are you into sourdough?", "sourdough"), ("Do you like raw onion?", "don't like"),
    ("What don't you like?", "don't like"), ("Is there anything you hate?", "don't like"),
    ("무슨 음악 좋아해요?", "좋아해요"), ("어디서 왔어요?", "왔어요"), ("고향이 어디예요?", "왔어요"),
    ("로봇이에요?", "디지털 휴먼"), ("너 AI야?", "디지털 휴먼"), ("자기소개 좀 해 주세요", "Mina"),
    ("좋아하는 음식이 뭐예요?", "좋아해요"), ("취미가 뭐예요?", "좋아해요"), ("좋아하는 색깔이 뭐예요?", "좋아해요"),
    ("아침에 대해 어떻게 생각해요?", "아침"), ("이름이 뭐예요?", "Mina"),
]
NOT_ME = ["What time do you open?", "What music do I like?", "Do you sell sourdough?", "Would you like to order?",
          "Do you like it?", "How much is a croissant?", "Where do I live?", "What do you think I should buy?",
          "I love jazz.", "Remember that the shop opens at 9", "Do you deliver to Gangnam?", "Where is the shop?",
          "What's my favourite colour?", "Do you have gluten-free bread?", "Can you recommend a cake?",
          "Where are you located?", "Are you open on Sundays?", "What's the wifi password?", "몇 시에 열어요?",
          "제 이름이 뭐예요?", "Who is the manager?", "What do you recommend?", "My favourite food is pizza.",
          "Do you accept cards?", "How are you today?"]
# round 2: written after round 1 passed, before changing any rule for them
CASES2 = [
    ("Any music you're particularly fond of?", L["music"]), ("What are you listening to these days?", L["music"]),
    ("What's your go-to comfort food?", L["food"]), ("Which colour do you like most?", L["colour"]),
    ("What kind of stuff do you read?", L["book"]), ("How do you spend your weekends?", L["hobby"]),
    ("What do you enjoy doing when you're not working?", L["hobby"]), ("Where's home for you?", P.origin),
    ("Which city are you from?", P.origin), ("Where were you raised?", P.origin),
    ("Can you tell me a little about you?", "Mina"), ("Are you a real human being?", "digital human"),
    ("Is this an automated chat?", "digital human"), ("Am I speaking to a machine?", "digital human"),
    ("Thoughts on rainy days?", "staying in"), ("Do you enjoy baking?", "bak"), ("Are you a fan of jazz?", "jazz"),
    ("Do you fancy a coffee?", "coffee"), ("Tell me something about yourself!", "Mina"),
    ("Hey, nice to meet you. Where are you from?", P.origin), ("I'm from Busan. What about you?", P.origin),
    ("My favourite colour is blue. What's yours?", L["colour"]), ("I love jazz. Do you?", "jazz"),
    ("What's your favourite season and why?", L["season"]), ("음악 뭐 좋아해?", "좋아해요"),
    ("어느 계절 좋아해요?", "좋아해요"), ("좋아하는 영화 있어요?", "좋아해요"), ("사람 맞아요?", "디지털 휴먼"),
    ("어디 출신이에요?", "왔어요"), ("커피 좋아하세요?", "커피"), ("기술에 대해서 어떻게 생각하세요?", "기술"),
]
NOT_ME2 = ["What's your return policy?", "Are you hiring?", "Are you open tomorrow?", "Where are your stores?",
           "What are your opening hours?", "What's your phone number?", "What's your address?",
           "Are you closed on holidays?", "Do you have parking?", "I'm from Busan.", "Why is the shop closed?",
           "How do I get there?", "오늘 몇 시까지 해요?", "배달 돼요?"]
# round 3: written after the round-2 fixes; reported as first measured, not tuned on
CASES3 = [
    ("Which band do you like the most?", L["music"]), ("Do you have a favourite dish?", L["food"]),
    ("What's the best season in your opinion?", L["season"]), ("What films do you love?", L["film"]),
    ("so what r ur hobbies", L["hobby"]), ("Where do you live, and where did you grow up?", P.origin),
    ("Are you actually a person or a program?", "digital human"), ("Be honest, am I chatting with an AI?", "digital human"),
    ("Tell me more about you.", "Mina"), ("What's your background?", "Mina"),
    ("Do you like swimming?", "swimming"), ("Are you keen on hiking?", "hiking"),
    ("How do you feel about technology?", "talk to each other"), ("What's your opinion of mornings?", "best part"),
    ("Hello! I'm Jisu. Where are you from?", P.origin), ("What colours do you like wearing?", L["colour"]),
    ("I really love autumn. How about you?", "autumn"), ("좋아하는 책이 뭐예요?", "좋아해요"),
    ("넌 어디서 왔어?", "왔어요"), ("혹시 챗봇이에요?", "디지털 휴먼"),
]
NOT_ME3 = ["Do you have any vegan options?", "What kind of bread do you sell?", "Which cakes do you recommend?",
           "Can I pay with cash?", "What do you have for breakfast today?", "Is the croissant fresh?",
           "Where can I park?", "What time do you close tonight?", "Do you make birthday cakes?",
           "I'm a student from Busan.", "비건 빵 있어요?", "What's in the sourdough?"]
WHY = [("What's your favourite season?", "why?"), ("What music do you like?", "How come?"),
       ("Do you like croissants?", "Why is that?"), ("What do you think about mornings?", "why"),
       ("What's your favourite colour?", "왜요?")]


def score(cases, not_me) -> tuple[int, int]:
    ok_me = 0
    for q, want in cases:
        a = self_answer(q, P, [])
        good = a is not None and (want is None or want.lower() in a.text.lower())
        ok_me += good
        if not good:
            print(f"MISS  {q!r} -> {a.text if a else None!r} (want {want!r})")
    ok_not = 0
    for q in not_me:
        a = self_answer(q, P, [])
        ok_not += a is None
        if a is not None:
            print(f"WRONG {q!r} -> {a.text!r}")
    return ok_me, ok_not


def main() -> int:
    t0 = time.perf_counter()
    ok_me, ok_not = score(CASES, NOT_ME)
    ok_me2, ok_not2 = score(CASES2, NOT_ME2)
    ok_me3, ok_not3 = score(CASES3, NOT_ME3)
    ok_why = 0
    for q, why in WHY:
        said = self_answer(q, P, []).text
        a = self_answer(why, P, [], history=[Turn(1, "u", "user", q, ""), Turn(2, "u", "persona", said, "")])
        ok_why += a is not None and a.text not in said and len(a.text) > 8
        if a is None:
            print(f"NOWHY {q!r} / {why!r}")
    ms = (time.perf_counter() - t0) * 1000 / (len(CASES) + len(NOT_ME) + len(CASES2) + len(NOT_ME2) + 2 * len(WHY))
    print(f"round 1: about the persona answered {ok_me}/{len(CASES)}, others left alone {ok_not}/{len(NOT_ME)}")
    print(f"round 2: about the persona answered {ok_me2}/{len(CASES2)}, others left alone {ok_not2}/{len(NOT_ME2)}")
    print(f"round 3: about the persona answered {ok_me3}/{len(CASES3)}, others left alone {ok_not3}/{len(NOT_ME3)}")
    print(f"why follow-ups: {ok_why}/{len(WHY)}; {ms:.1f} ms per question (incl. model loading)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
