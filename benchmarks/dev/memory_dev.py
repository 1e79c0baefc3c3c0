"""Dev check for Memory v2 (NOT the held-out set): 2 users x 3 sessions plus one 8-session chat written through
MemoryStore + extract_facts, then questions answered by answer_about_user from store.current().

    PYTHONPATH=src python benchmarks/dev/memory_dev.py

Prints, per probe, whether the answer contains every expected word (and none of the superseded
values), then % right and how many superseded values were repeated.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from digihuman.memory import MemoryStore, extract_facts
from digihuman.memory.recall import answer_about_user

START = datetime(2026, 11, 4, 19, 30)  # a Wednesday; sessions one week apart

USERS = {
    "dana": [
        ["Hi! I'm Dana. Just moved here for work, I started at Hyundai Card last month.",
         "I live in Mapo with my husband Joon and our two cats. Honestly the commute is killing me lol.",
         "I'm vegetarian btw, and I'm allergic to shellfish, so the office lunches are a nightmare."],
        ["Good to see you again! Last weekend we visited Joon's grandma in Daejeon, it was lovely.",
         "Oh, and my brother is getting married on December 19th, so I need a dress.",
         "I've been learning the guitar too. I absolutely adore jazz, but I can't stand heavy metal."],
        ["Big news: we moved to Yongsan on Saturday! Bigger flat, way shorter commute.",
         "Also my sister Hana is visiting next Friday and we're going to a musical.",
         "The cats are fine, although Mochi keeps hiding under the bed. Our other cat is called Dubu."],
    ],
    "mark": [
        ["hey, name's Mark. I work as a paramedic in Manchester, so my hours are all over the place.",
         "I've got a border collie called Biscuit who's basically my best mate.",
         "Not a fan of spicy food, never have been. I do love a good curry though, the mild kind."],
        ["Right, so I went to Leeds on Sunday to watch the rugby with my dad. We lost, obviously.",
         "My girlfriend is called Priya, she's a teacher. We're flying to Lisbon on the 14th of January.",
         "I'm training for a half marathon in March, which is mad because I hate running."],
        ["Quick correction from last time: Biscuit is a sheepdog, not a collie. Same dog though haha.",
         "Oh and I've got a peanut allergy, should've mentioned it ages ago.",
         "I quit smoking three weeks ago! Feeling loads better."],
    ],
    "yuna": [  # a longer friendship chat: several sentences per message, one message per week
        ["omg hi!! it's been ages. I'm Yuna btw, we met at Sophie's party. I'm a graphic designer, mostly freelance."],
        ["Ugh, this week was rough. My cat Nabi got sick on Monday and we spent the whole night at the vet. "
         "She's okay now though. I'm so tired."],
        ["Guess what, my boyfriend Minho proposed last Saturday!!! We're getting married in October. "
         "Still can't believe it."],
        ["Wedding planning is chaos. His mum wants a big ceremony, I want something tiny. "
         "We're visiting venues in Gangneung next weekend."],
        ["I started pilates classes, I really like them. Also I've been cutting out dairy, my stomach is much happier."],
        ["Work news: I signed a contract with Line Friends yesterday! Full time, starting in January."],
        ["My sister Yeji is moving to Vancouver next month, I'm going to miss her so much."],
        ["We adopted another cat! A tiny tabby called Gim. Nabi is not impressed lol."],
    ],
    "minji": [  # Korean, polite style
        ["안녕하세요! 저는 민지라고 해요. 요즘 회사 일이 너무 바빠요.", "저는 디자이너예요. 판교에서 일해요."],
        ["저는 떡볶이를 정말 좋아해요! 근데 오이는 싫어해요.", "우리 강아지 이름은 보리예요. 진짜 귀여워요."],
        ["다음 주 토요일에 친구 결혼식이 있어요.", "아 그리고 저 새우 알레르기가 있어요.", "지난달에 수원으로 이사했어요."],
    ],
}

# (user, question, words that must all appear, superseded values that must not[, asked N days after START])
PROBES = [
    ("dana", "What's my name?", ["Dana"], []),
    ("dana", "Where do I live now?", ["Yongsan"], ["Mapo"]),
    ("dana", "Where do I work?", ["Hyundai Card"], []),
    ("dana", "What's my husband called?", ["Joon"], []),
    ("dana", "How many cats do I have?", ["two"], []),
    ("dana", "What are my cats called?", ["Dubu"], []),
    ("dana", "Am I vegetarian?", ["vegetarian"], []),
    ("dana", "What am I allergic to?", ["shellfish"], []),
    ("dana", "What could I cook for dinner, given my diet?", ["vegetarian", "shellfish"], []),
    ("dana", "When is my brother's wedding?", ["December 19"], []),
    ("dana", "What did I do last weekend?", ["grandma"], [], 7),  # asked in session 2
    ("dana", "Who did we visit in Daejeon?", ["grandma"], []),
    ("dana", "Do I like jazz?", ["Yes", "jazz"], []),
    ("dana", "What kind of music do I hate?", ["heavy metal"], []),
    ("dana", "What's my sister's name?", ["Hana"], []),
    ("dana", "What's my dog called?", ["haven't told"], []),
    ("mark", "What's my name?", ["Mark"], []),
    ("mark", "What do I do for a living?", ["paramedic"], []),
    ("mark", "What's my dog's name?", ["Biscuit"], []),
    ("mark", "What does my girlfriend do?", ["teacher"], []),
    ("mark", "What's my girlfriend called?", ["Priya"], []),
    ("mark", "When am I flying to Lisbon?", ["January 14"], []),
    ("mark", "Where did I go on Sunday?", ["Leeds"], [], 10),  # asked the Wednesday after
    ("mark", "Where did I watch the rugby?", ["Leeds"], []),
    ("mark", "Am I allergic to anything?", ["peanut"], []),
    ("mark", "Do I like spicy food?", ["No"], []),
    ("mark", "Where do I work?", ["Manchester"], []),
    ("mark", "What's Biscuit?", ["sheepdog"], ["collie"]),
    ("mark", "When's my half marathon?", ["March"], []),
    ("mark", "What's my wife's name?", ["haven't told"], []),
    ("yuna", "What do I do for work?", ["graphic designer"], []),
    ("yuna", "What's my boyfriend's name?", ["Minho"], []),
    ("yuna", "When did Minho propose?", ["November"], []),
    ("yuna", "When are we getting married?", ["October"], []),
    ("yuna", "Where are we looking at venues?", ["Gangneung"], []),
    ("yuna", "What are my cats called?", ["Nabi", "Gim"], []),
    ("yuna", "Where is my sister moving?", ["Vancouver"], []),
    ("yuna", "What's my sister called?", ["Yeji"], []),
    ("yuna", "What exercise do I do?", ["pilates"], []),
    ("yuna", "What food am I avoiding?", ["dairy"], []),
    ("yuna", "Who did I sign a contract with?", ["Line Friends"], []),
    ("minji", "제 이름이 뭐예요?", ["민지"], []),
    ("minji", "제 직업 기억하세요?", ["디자이너"], []),
    ("minji", "제가 뭘 좋아한다고 했죠?", ["떡볶이"], []),
    ("minji", "제 강아지 이름이 뭐였죠?", ["보리"], []),
    ("minji", "친구 결혼식이 언제예요?", ["토요일"], [], 14),
    ("minji", "저 무슨 알레르기 있어요?", ["새우"], []),
    ("minji", "제가 어디 살아요?", ["수원"], []),
    ("minji", "제 고양이 이름 알아요?", ["말씀"], []),
]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore(Path(tmp) / "memory.sqlite")
        for user, sessions in USERS.items():
            for s, session in enumerate(sessions):
                now = START + timedelta(days=7 * s)
                for msg in session:
                    turn = store.log_turn(user, "user", msg)
                    for fact in extract_facts(msg, about="partner", now=now):
                        store.remember(user, fact, source_turn=turn.id, reason=msg)
        ask_time = START + timedelta(days=7 * 8)
        right = repeated = 0
        verbose = "-v" in sys.argv
        if verbose:
            for user in USERS:
                for m in store.current(user):
                    print(f"  {user:5} {m.key:32} {m.text}")
        for user, q, want, old, *days in PROBES:
            when = START + timedelta(days=days[0]) if days else ask_time
            lang = "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in q) else "en"
            ans = answer_about_user(q, store.current(user), now=when, lang=lang)
            text = ans.text if ans else "(none)"
            ok = all(w.lower() in text.lower() for w in want)
            bad = [o for o in old if o.lower() in text.lower()]
            right += ok and not bad
            repeated += len(bad)
            print(f"{'OK ' if ok and not bad else 'BAD'} {user}: {q} -> {text}")
        store.close()
    print(f"\ndev recall: {right}/{len(PROBES)} = {100 * right / len(PROBES):.0f}% right; "
          f"superseded values repeated: {repeated}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
