"""Memory dev set 3 (written by the memory helper before any rule change; NOT held-out).

Writes two folders in bench_mind.py's format with the same sessions and half of the probes each:
``tune/`` (tuned on) and ``check/`` (scored, never looked at item by item while tuning):

    .venv/bin/python benchmarks/dev/mem3/source.py
    .venv/bin/python benchmarks/bench_mind.py --dev benchmarks/dev/mem3/tune -v
    .venv/bin/python benchmarks/bench_mind.py --dev benchmarks/dev/mem3/check

Dates: the bench replays every session at the real time of the run, so probes expect day/month
words that a relative phrase resolves to whatever the day ("Friday", "August 29"), never a fixed ISO date.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

MEMORY = {
    "persona": "Robin",
    "sessions": [
        {
            "oskar": [
                "Hey there! I'm Oskar, originally from Gothenburg but I've been living in Bristol for about six years "
                "now. I work as a sound engineer at a small studio in Stokes Croft. Long days but I love it.",
                "We've got a greyhound called Pippa, she's a retired racer and honestly the laziest dog alive lol. "
                "My partner Elin thinks she's part sofa.",
                "Oh and I should say, I'm coeliac so anything with gluten wrecks me. Bread is basically my enemy.",
            ],
            "mei": [
                "hi!! my name is Mei, nice to meet you. I teach year 3 at a primary school in Footscray, the kids are "
                "exhausting but adorable.",
                "I live with my boyfriend Dan and our cat Mochi in a tiny apartment. Dan's a nurse so we barely see "
                "each other tbh.",
                "I'm allergic to peanuts and also to cats, which is ironic lol. I take antihistamines every day.",
            ],
            "tunde": [
                "Evening. Tunde here. I'm a civil engineer, mostly bridges, currently working for Arup in London.",
                "I've got two kids, Femi who's eight and Zara who's five. My wife Ngozi runs a bakery in Peckham, best "
                "puff puff in the city, no bias.",
                "I'm trying to eat less meat these days, I'm mostly pescatarian now. And I'm a massive Arsenal fan, "
                "season ticket and everything.",
            ],
        },
        {
            "oskar": [
                "Good to see you again! Last weekend Elin and I drove up to the Lake District and hiked Helvellyn. "
                "My legs are still dead.",
                "Big thing coming up: my brother Lukas is getting married on the 22nd of August in Stockholm. I'm his "
                "best man so I need to write a speech, help.",
                "I've been really into sourdough baking lately, gluten-free obviously, it's harder than it sounds. "
                "Also I can't stand reality TV, Elin watches it constantly haha.",
            ],
            "mei": [
                "Ugh this week. On Tuesday I had my wisdom teeth out and my face is still swollen. I've been living "
                "on soup.",
                "Good news though, Dan and I are flying to Taipei on December 18th to see my grandparents for "
                "Christmas! I havent seen them in four years.",
                "Also I started learning the piano in September, I practise every evening. I absolutely love Chopin.",
            ],
            "tunde": [
                "Rough weekend. My dad was in hospital on Saturday with a chest infection, he's home now but it "
                "shook me up.",
                "On a happier note, Zara starts swimming lessons next Monday, she's so excited. Femi got his yellow "
                "belt in karate last week.",
                "I don't really like horror films, Ngozi loves them though. We compromise on thrillers.",
            ],
        },
        {
            "oskar": [
                "So, news: I quit the studio! I'm now working as a freelance mixing engineer from home. Scary but good.",
                "And we moved to a flat in Clifton last month, bigger garden for Pippa. We also adopted two guinea "
                "pigs, Salt and Pepper.",
                "Quick correction btw, my brother's wedding got moved, it's on the 29th of August now, not the 22nd.",
            ],
            "mei": [
                "Correction from last time: Dan isn't a nurse, he's a paramedic. No idea why I said nurse lol.",
                "My sister Lily had a baby girl on Sunday! Her name is Ava and she's perfect. I'm an aunty now!!",
                "I'm doing a 10k run on the 2nd of March for charity, so I've started running three times a week. "
                "I hate it but whatever.",
            ],
            "tunde": [
                "Guess what, I got a new job! I've accepted a position as a senior engineer at Mott MacDonald, I start "
                "in January.",
                "Also we're planning a trip to Lagos in April to visit my grandmother, she's turning ninety.",
                "Oh and I found out I'm lactose intolerant, so no more milk in my tea. Ngozi is thrilled she can "
                "finally judge my tea.",
            ],
        },
    ],
    # (user, question, expect groups (one alternative each), forbid)
    "probes": [
        ("oskar", "What's my name?", [["Oskar"]], []),
        ("oskar", "Where am I originally from?", [["Gothenburg"]], []),
        ("oskar", "Where do I live now?", [["Clifton"]], []),
        ("oskar", "What do I do for work these days?", [["mixing"]], ["Stokes Croft"]),
        ("oskar", "What's my dog called?", [["Pippa"]], ["Oskar"]),
        ("oskar", "What breed is my dog?", [["greyhound"]], []),
        ("oskar", "What's my partner's name?", [["Elin"]], []),
        ("oskar", "What can't I eat?", [["gluten", "coeliac"]], []),
        ("oskar", "What did I do last weekend?", [["Helvellyn", "Lake District"]], []),
        ("oskar", "When is my brother's wedding?", [["29"]], ["22nd", "22"]),
        ("oskar", "What's my brother called?", [["Lukas"]], []),
        ("oskar", "What am I at my brother's wedding?", [["best man"]], []),
        ("oskar", "What have I been baking lately?", [["sourdough"]], []),
        ("oskar", "What kind of TV can't I stand?", [["reality"]], []),
        ("oskar", "How many guinea pigs do I have?", [["two", "2"]], []),
        ("oskar", "What are my guinea pigs called?", [["Salt"], ["Pepper"]], []),
        ("oskar", "What could I cook tonight, given my diet?", [["gluten"]], []),
        ("mei", "What's my name?", [["Mei"]], []),
        ("mei", "What do I do for a living?", [["teach"]], []),
        ("mei", "Where do I teach?", [["Footscray"]], []),
        ("mei", "What's my boyfriend's name?", [["Dan"]], []),
        ("mei", "What does Dan do?", [["paramedic"]], ["nurse"]),
        ("mei", "What's my cat called?", [["Mochi"]], []),
        ("mei", "What am I allergic to?", [["peanut"], ["cat"]], []),
        ("mei", "What happened to me on Tuesday?", [["wisdom teeth"]], []),
        ("mei", "When am I flying to Taipei?", [["December 18", "18 December", "Dec 18"]], []),
        ("mei", "Who are we visiting in Taipei?", [["grandparents"]], []),
        ("mei", "What instrument am I learning?", [["piano"]], []),
        ("mei", "Which composer do I love?", [["Chopin"]], []),
        ("mei", "What's my niece called?", [["Ava"]], []),
        ("mei", "What's my sister's name?", [["Lily"]], []),
        ("mei", "When is my 10k run?", [["March 2", "2 March", "2nd of March"]], []),
        ("mei", "Do I like running?", [["no", "hate"]], []),
        ("tunde", "What's my job?", [["engineer"]], []),
        ("tunde", "Where am I going to work from January?", [["Mott MacDonald"]], []),
        ("tunde", "How many kids do I have?", [["two", "2"]], []),
        ("tunde", "How old is Femi?", [["eight", "8"]], []),
        ("tunde", "What's my wife's name?", [["Ngozi"]], []),
        ("tunde", "What does my wife do?", [["bakery"]], []),
        ("tunde", "Which football team do I support?", [["Arsenal"]], []),
        ("tunde", "What happened to my dad?", [["hospital", "chest infection"]], []),
        ("tunde", "When does Zara start swimming?", [["Monday"]], []),
        ("tunde", "What belt did Femi get in karate?", [["yellow"]], []),
        ("tunde", "Do I like horror films?", [["no", "don't"]], []),
        ("tunde", "Where are we going in April?", [["Lagos"]], []),
        ("tunde", "How old is my grandmother turning?", [["ninety", "90"]], []),
        ("tunde", "Can I have milk in my tea?", [["lactose"]], []),
        ("tunde", "What's my diet like?", [["pescatarian"]], []),
    ],
    "isolation": [
        ("mei", "What's my dog called?", ["Pippa"]),
        ("oskar", "What am I allergic to?", ["peanut", "peanuts"]),
        ("tunde", "Who is Elin?", ["Oskar", "partner"]),
        ("newcomer", "What does Mei's boyfriend do?", ["paramedic", "Dan"]),
        ("newcomer", "Who works at Arup?", ["Tunde"]),
        ("mei", "What's my wife's name?", ["Ngozi"]),
    ],
}

RELATIONSHIP = {
    "persona": "Robin",
    "user": "sam",
    "sessions": [
        ["Hiya! Good to see you. I'm Sam, by the way, I don't think I ever properly introduced myself. I'm a "
         "physiotherapist at a sports clinic in Leeds.",
         "Today was mad, we had three rugby players in with the same knee injury. How's your day been?"],
        ["Ugh, I'm knackered. I've been flat hunting all week because my landlord is selling the place. Everything "
         "in Headingley is either tiny or a fortune.",
         "Anyway, my best friend Chloe is coming round tonight with wine, so that's something."],
        ["Guess what, I found a flat! It's in Chapel Allerton, two bedrooms, with a little balcony. I move in on the "
         "3rd of next month.",
         "My mum is already planning to come and 'help' me decorate, which means she'll repaint everything lilac."],
        ["Moving day was chaos. My brother Jack drove the van and reversed into a bollard, classic Jack.",
         "But I'm in! The balcony gets the morning sun, I think I'm going to grow tomatoes out there."],
        ["I've decided to adopt a dog. There's a rescue lurcher at the shelter called Biscuit and I'm completely in "
         "love with him.",
         "Is that mad? I work long hours, but my neighbour said she'd walk him at lunchtime."],
        ["Biscuit came home on Saturday! He's terrified of the hoover and he sleeps upside down.",
         "Chloe came over to meet him and he ate her sock. She was very gracious about it."],
        ["Work is stressful at the moment. My manager Priya wants me to take on the junior staff training on top of "
         "my caseload.",
         "I like teaching though, so maybe it's a good thing? I just hate saying no to people."],
        ["I ran the Leeds half marathon yesterday! 2 hours 4 minutes. I wanted under two hours so I'm a bit gutted "
         "but my knees survived.",
         "Jack and my mum came to cheer, mum made a sign with Biscuit's face on it lol."],
        ["Not a great week. My grandad had a fall on Tuesday and he's in St James's hospital with a broken hip.",
         "He's 87 and stubborn as anything, he keeps telling the nurses he's fine."],
        ["Grandad had his operation and it went well, thank goodness. They think he'll be home in a couple of weeks.",
         "I've been visiting every evening after work, Biscuit is getting very spoiled by the neighbour."],
        ["Random but I've started doing pottery classes on Thursday nights. I made a bowl that looks like a hat.",
         "I love it though, it's so calming to just sit with the clay and not think about anything."],
        ["Big news: I got the senior physio job! I start the new role on the 1st of February. Priya said I was the "
         "obvious choice, I nearly cried.",
         "Also means a pay rise, so I might finally get a new bike."],
        ["Chloe is getting married!! Her boyfriend Tom proposed on the beach in Whitby last weekend. I'm going to be "
         "her maid of honour.",
         "The wedding is on the 12th of June next year. I need to plan a hen do, help."],
        ["I had a date on Friday, first one in ages. His name's Ollie, he's a chef at a Thai place in town.",
         "It went really well actually? We talked for four hours. Don't tell my mum yet, she'll start buying hats."],
        ["Grandad is back home and already bossing everyone around, so he's definitely fine.",
         "Mum and I are taking him to Scarborough for fish and chips on Sunday, his favourite."],
        ["Ollie cooked for me last night, a green curry, amazing. I'm allergic to prawns so he had to make a "
         "separate one for himself, bless him.",
         "I think I really like him. It's a bit scary."],
        ["Training the juniors is going better than I thought. One of them, Aisha, is brilliant, she'll be better "
         "than me in a year.",
         "I've been so busy I haven't been to pottery in three weeks though, which makes me sad."],
        ["Biscuit's adoption anniversary was on Wednesday. I bought him a squeaky hedgehog and he destroyed it in "
         "ten minutes.",
         "Chloe's hen do planning is going well, we're doing a weekend in Edinburgh in May."],
        ["Ugh, I've got a cold and I feel rubbish. I cancelled plans with Ollie tonight.",
         "My mum dropped off soup, which was sweet, and also lectured me about wearing a coat."],
        ["Feeling better now! Ollie and I went to the Lakes for the weekend, we stayed in a tiny cabin near Keswick. "
         "It rained the whole time and I didn't care.",
         "I think I'm going to introduce him to the family at Jack's birthday next month."],
        ["My new bike arrived! A green gravel bike, I've already done a 40 mile ride with Jack.",
         "Also I've decided to stop eating meat, I've been thinking about it for ages. Fish is still allowed for now."],
        ["Right, I can't believe I'm saying this but Ollie asked me to move in with him. I said I'd think about it.",
         "I love my flat in Chapel Allerton though, and Biscuit loves the balcony. Big decision. What would you do?"],
    ],
    "questions": [
        ("Where do I work again?", ["physio", "Leeds"]),
        ("What's my dog called, and what kind of dog is he?", ["Biscuit", "lurcher"]),
        ("Where do I live now?", ["Chapel Allerton"]),
        ("Who is Chloe marrying?", ["Tom"]),
        ("When is Chloe's wedding?", ["June", "12"]),
        ("What happened to my grandad?", [["fall", "fell"], "hip", "hospital"]),
        ("What was my half marathon time?", [["2 hours 4", "2:04", "two hours four"]]),
        ("What does Ollie do for a living?", ["chef", "Thai"]),
        ("What am I allergic to?", ["prawn"]),
        ("What class did I start on Thursday nights?", ["pottery"]),
        ("When do I start my new job?", ["senior", "February"]),
        ("Where are we going for Chloe's hen do?", ["Edinburgh", "May"]),
        ("Who is my manager?", ["Priya"]),
        ("What's my brother's name?", ["Jack"]),
        ("Where did Ollie and I stay when we went to the Lakes?", [["cabin"], ["Keswick"]]),
        ("What did I buy with my pay rise?", ["bike", "gravel"]),
        ("Do I still eat meat?", [["no", "not", "stop", "don't"], "fish"]),
        ("What did Ollie ask me?", ["move in"]),
        ("How old is my grandad?", ["87"]),
    ],
}

KOREAN_DOC = "# 안내\n\n이 문서는 한국어 기억 점검용 빈 안내문입니다. 영업시간은 오전 9시부터 오후 6시까지입니다.\n"
KOREAN = {
    "persona": "로빈",
    "sessions": [
        {
            "jiwoo": ["안녕하세요! 저는 지우라고 해요. 부산에서 간호사로 일하고 있어요.",
                      "저는 고양이 두 마리를 키워요. 이름은 호두랑 밤이에요.",
                      "참, 저 땅콩 알레르기가 있어요. 그래서 과자 고를 때 항상 조심해요."],
            "hyunsoo": ["반가워요. 제 이름은 현수예요. 대전에 살아요.",
                        "저는 개발자예요. 게임 회사에서 일해요.",
                        "우리 강아지 이름은 콩이에요. 진짜 귀여워요."],
        },
        {
            "jiwoo": ["지난 주말에 엄마랑 제주도에 다녀왔어요. 날씨가 너무 좋았어요!",
                      "저는 매운 음식을 정말 좋아해요. 근데 오이는 싫어해요.",
                      "다음 달 15일에 언니 결혼식이 있어요. 벌써 떨려요."],
            "hyunsoo": ["저는 커피를 너무 좋아해요. 하루에 세 잔은 마셔요.",
                        "어제 친구랑 야구 보러 갔어요. 한화가 이겼어요!",
                        "아 그리고 저 새우 알레르기가 있어요."],
        },
        {
            "jiwoo": ["저 이번에 서울로 이사했어요. 이제 서울에 있는 병원에서 일해요.",
                      "요즘 수영을 배우고 있어요. 생각보다 재밌어요.",
                      "남자친구 이름은 민준이에요. 다음 주 토요일에 같이 캠핑 가요."],
            "hyunsoo": ["다음 주 금요일에 부모님 댁에 가요.",
                        "요즘 고기를 끊었어요. 저는 이제 채식주의자예요.",
                        "그리고 회사를 옮겼어요. 이제 네이버에서 일해요."],
        },
    ],
    "probes": [
        ("jiwoo", "제 이름이 뭐예요?", [["지우"]], []),
        ("jiwoo", "제 고양이들 이름 기억나요?", [["호두"], ["밤"]], []),
        ("jiwoo", "제가 무슨 알레르기가 있죠?", [["땅콩"]], []),
        ("jiwoo", "제가 좋아하는 음식이 뭐예요?", [["매운"]], []),
        ("jiwoo", "제가 싫어하는 게 뭐였죠?", [["오이"]], []),
        ("jiwoo", "언니 결혼식이 언제예요?", [["15일"]], []),
        ("jiwoo", "제가 지금 어디 살아요?", [["서울"]], ["부산"]),
        ("jiwoo", "남자친구 이름이 뭐예요?", [["민준"]], []),
        ("jiwoo", "지난 주말에 어디 갔었죠?", [["제주"]], []),
        ("jiwoo", "제가 요즘 뭘 배우고 있다고 했죠?", [["수영"]], []),
        ("hyunsoo", "제 직업이 뭐예요?", [["개발자"]], []),
        ("hyunsoo", "제 강아지 이름이 뭐예요?", [["콩"]], []),
        ("hyunsoo", "제가 어디서 일해요?", [["네이버"]], ["게임 회사"]),
        ("hyunsoo", "제가 다음 주 금요일에 뭐 해요?", [["부모님"]], []),
    ],
    "isolation": [
        ("hyunsoo", "제 고양이 이름 알아요?", ["호두"]),
        ("jiwoo", "제 강아지 이름이 뭐예요?", ["콩이에요", "콩"]),
    ],
}


def _probes(items, half: int) -> list[dict]:
    return [{"user": u, "q": q, "expect": e, "forbid": f} for i, (u, q, e, f) in enumerate(items) if i % 2 == half]


def _isolation(items) -> list[dict]:
    return [{"user": u, "q": q, "isolation": True, "expect": [], "forbid": f} for u, q, f in items]


def write() -> None:
    for half, name in ((0, "tune"), (1, "check")):
        out = HERE / name
        out.mkdir(exist_ok=True)
        mem = {"persona": MEMORY["persona"], "sessions": MEMORY["sessions"],
               "probes": _probes(MEMORY["probes"], half) + _isolation(MEMORY["isolation"])}
        rel = {k: RELATIONSHIP[k] for k in ("persona", "user", "sessions")}
        rel["questions"] = [{"q": q, "answer_words": w} for i, (q, w) in enumerate(RELATIONSHIP["questions"])
                            if i % 2 == half]
        (out / "korean_doc.md").write_text(KOREAN_DOC)
        ko = {"persona": KOREAN["persona"], "document": "korean_doc.md", "answerable": [], "unanswerable": [],
              "memory": {"persona": KOREAN["persona"], "sessions": KOREAN["sessions"],
                         "probes": _probes(KOREAN["probes"], half) + _isolation(KOREAN["isolation"])}}
        for fname, data in (("memory_users.json", mem), ("relationship.json", rel), ("korean.json", ko)):
            (out / fname).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        print(f"{out}: {len(mem['probes'])} memory probes, {len(rel['questions'])} relationship questions, "
              f"{len(ko['memory']['probes'])} Korean probes")


if __name__ == "__main__":
    write()
