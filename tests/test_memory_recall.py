"""Memory v2 recall: questions about the user's life answered from their memories (real spaCy,
Kiwi and, for the store-backed tests, e5 embeddings). Asked on Wednesday 2026-12-02."""

from __future__ import annotations

from datetime import datetime

import pytest

from digihuman.dialog.types import Memory
from digihuman.memory import MemoryStore, extract_facts
from digihuman.memory.recall import RecallAnswer, answer_about_user, rank_memories

NOW = datetime(2026, 12, 2, 18, 0)
TOLD = [  # what the user said over a few sessions (each message -> facts)
    "Hi, I'm Jordan! I visited my parents last weekend, it was lovely.",
    "We adopted a beagle called Toto. I also have two parrots, they're very loud.",
    "My sister's wedding is next Saturday, I'm so nervous about my speech.",
    "I'm vegetarian, and I'm allergic to peanuts and shellfish.",
    "My wife works as a nurse at Severance. I love jazz but I can't stand heavy metal.",
    "I'm flying to Jeju on March 3rd for a conference.",
]


def as_memories(messages: list[str]) -> list[Memory]:
    out = []
    for msg in messages:
        for f in extract_facts(msg, now=NOW):
            out.append(Memory(len(out) + 1, "jordan", f.about, f.key, f.value, f.text, "", 0, msg))
    return out


@pytest.fixture(scope="module")
def mems() -> list[Memory]:
    return as_memories(TOLD)


def ask(q: str, mems: list[Memory], lang: str = "en") -> RecallAnswer | None:
    return answer_about_user(q, mems, now=NOW, lang=lang)


@pytest.mark.parametrize("question,want,never", [
    ("What's my dog called?", ["Toto"], ["Jordan"]),
    ("what is the name of my dog", ["Toto"], ["Jordan"]),
    ("How many parrots have I got?", ["two parrots"], []),
    ("When's my sister's wedding?", ["December 5"], []),
    ("Where did I go last weekend?", ["your parents"], []),
    ("What does my wife do?", ["nurse"], []),
    ("What am I allergic to?", ["peanuts and shellfish"], []),
    ("Am I allergic to shellfish?", ["Yes"], []),
    ("When am I flying to Jeju?", ["March 3"], []),
    ("Do I like jazz?", ["Yes", "jazz"], ["metal"]),
    ("What music can't I stand?", ["heavy metal"], ["jazz"]),
    ("What's my name?", ["Jordan"], ["Toto"]),
])
def test_answers_the_attribute_asked(question, want, never, mems):
    a = ask(question, mems)
    assert a is not None and a.status == "answered", a
    assert all(w in a.text for w in want), a.text
    assert not any(n in a.text for n in never), a.text
    assert a.used and all(m in mems for m in a.used)


def test_second_person_clean_grammar(mems):
    assert ask("What's my dog called?", mems).text == "You have a beagle called Toto."
    assert ask("When's my sister's wedding?", mems).text == "Your sister's wedding is on Saturday, December 5."
    assert ask("What did I do last weekend?", mems).text == "You visited your parents on Saturday, November 28."


def test_combines_diet_and_allergies(mems):
    a = ask("What could I cook tonight, given my diet?", mems)
    assert a.text == "You're vegetarian and allergic to peanuts and shellfish, so something without meat, " \
                     "peanuts or shellfish."
    assert {m.key for m in a.used} == {"diet", "allergy:peanut", "allergy:shellfish"}


@pytest.mark.parametrize("question,text", [
    ("What's my cat called?", "You haven't told me your cat's name yet."),
    ("Where do I live?", "You haven't told me where you live yet."),
    ("When is my brother's birthday?", "You haven't told me when your brother's birthday is."),
    ("What's my husband's name?", "You haven't told me your husband's name yet."),
])
def test_says_naturally_when_it_does_not_know(question, text, mems):
    a = ask(question, mems)
    assert (a.status, a.text, a.used) == ("unknown", text, ())


@pytest.mark.parametrize("message", [
    "Do you sell gift cards?", "What time do you open on Sundays?", "Where can I park?", "How are you today?",
    "What do you like to do for fun?", "I love jazz.", "Can I pay by card?",
])
def test_not_about_the_user(message, mems):
    assert ask(message, mems) is None


def test_korean_questions_answered_in_korean():
    mems = as_memories(["제 이름은 지수예요.", "강아지 이름은 초코예요.", "땅콩 알레르기가 있어요.",
                        "다음 주 토요일에 언니 결혼식이 있어요."])
    assert ask("제 강아지 이름이 뭐예요?", mems, "ko").text == "강아지 이름은 초코예요."
    assert ask("제 이름 기억하세요?", mems, "ko").text == "지수라고 하셨어요."
    assert "땅콩" in ask("저 무슨 알레르기 있어요?", mems, "ko").text
    assert ask("언니 결혼식이 언제예요?", mems, "ko").text == "언니 결혼식은 12월 12일 토요일이에요."
    a = ask("제 고양이 이름이 뭐예요?", mems, "ko")
    assert a.status == "unknown" and "고양이" in a.text
    assert ask("영업시간이 어떻게 되나요?", mems, "ko") is None
    more = as_memories(["다음 달에 결혼해요.", "내일 친구랑 영화 보러 가요.", "고양이 두 마리 키워요."])
    assert ask("제가 내일 뭐 해요?", more, "ko").text == "내일(12월 3일 목요일)에 친구랑 영화 보러 가요."
    assert ask("제가 언제 결혼해요?", more, "ko").text == "2027년 1월에 결혼해요."
    assert ask("고양이 몇 마리 키운다고 했죠?", more, "ko").text == "고양이 두 마리를 키우신다고 하셨어요."


def test_rank_memories_puts_related_first(mems):
    assert rank_memories("my beagle Toto", mems)[0].key == "pet:dog:toto"


def test_store_supersession_and_corrections(tmp_path):
    store = MemoryStore(tmp_path / "memory.sqlite")

    def tell(text):
        t = store.log_turn("sam", "user", text)
        for f in extract_facts(text, now=NOW):
            store.remember("sam", f, source_turn=t.id, reason=text)

    tell("I live in Seoul. My daughter is called Nia.")
    tell("We moved to Busan last month.")
    tell("Actually she's called Mia, not Nia.")
    cur = store.current("sam")
    assert ask("Where do I live?", cur).text == "You live in Busan."
    assert ask("What's my daughter's name?", cur).text == "Your daughter is called Mia."
    old = [m for m in store.all("sam") if m.superseded_by is not None]
    assert {m.value for m in old} == {"Seoul", "Nia"}  # history kept
    tell("I'm from Bucheon.")
    tell("No, I said Bupyeong.")
    assert [m.value for m in store.current("sam") if m.key == "from"] == ["Bupyeong"]
    tell("I'm allergic to shellfish, not peanuts.")
    assert ask("What am I allergic to?", store.current("sam")).text == "You're allergic to shellfish."
    store.close()


def test_follow_ups_and_events_without_my(mems):
    from digihuman.dialog.types import Turn

    history = (Turn(1, "jordan", "user", "What's my dog called?", ""),
               Turn(2, "jordan", "persona", "You have a beagle called Toto.", ""))
    a = answer_about_user("And my parrots?", mems, history=history, now=NOW)
    assert a.text == "You have two parrots, but you haven't told me their names yet."
    assert "December 5" in ask("When is the wedding?", mems).text
    assert "wedding" in ask("What's happening next Saturday?", mems).text


def test_negations_and_date_corrections(tmp_path):
    store = MemoryStore(tmp_path / "memory.sqlite")
    for text in ["I'm allergic to gluten and nuts.", "I'm not allergic to gluten anymore.", "I'm vegan.",
                 "I'm not vegan anymore.", "My daughter's birthday party is on the 16th.",
                 "Oops, it's on the 17th, not the 16th."]:
        t = store.log_turn("ana", "user", text)
        for f in extract_facts(text, now=NOW):
            store.remember("ana", f, source_turn=t.id, reason=text)
    cur = store.current("ana")
    assert ask("What am I allergic to?", cur).text == "You're allergic to nuts."
    assert ask("What should I have for dinner?", cur).text == "You're allergic to nuts, so something without nuts."
    assert ask("Am I vegan?", cur).text == "No. You're not vegan."
    assert ask("When's my daughter's birthday party?", cur).text == \
        "Your daughter's birthday party is on Thursday, December 17."
    store.close()


def test_chatty_british_messages_with_typos():
    mems = as_memories([
        "Morning! We took the kids to the seaside in Sokcho on Saturday.",
        "Our eldest, Daniel, turns 10 next Tuesday so we're planning a small party.",
        "Btw im learning Spanish for our trip to Madrid in April. I really dont like coriander, it tastes like soap.",
        "I've got 3 cats: Miso, Tofu and Udon. My favourite colour is green.",
    ])
    assert ask("where did we go on saturday?", mems).text == \
        "You took the kids to the seaside in Sokcho on Saturday, November 28."
    assert ask("What's my eldest called?", mems).text == "Your eldest is called Daniel."
    assert "December 8" in ask("When is Daniel's birthday?", mems).text
    assert ask("what language am I learning?", mems).text == "You're learning Spanish."
    assert ask("Do I like coriander?", mems).text == "No. You don't like coriander."
    assert ask("How many cats have I got?", mems).text == "You have 3 cats: Miso, Tofu and Udon."
    assert ask("What are my cats' names?", mems).text == "Your cats are called Miso, Tofu and Udon."
    assert ask("what's my favourite colour?", mems).text == "Your favorite colour is green."


def test_lists_merge_and_question_keys():
    from digihuman.memory import question_keys

    mems = as_memories(["I love jazz and hiking. I like sushi. I hate opera and I can't stand mornings."])
    assert ask("What do I like?", mems).text == "You love jazz and hiking. You like sushi."
    assert ask("What do I hate?", mems).text == "You hate opera and mornings."
    assert question_keys("How many cats do I have?") == ("pet:", "family:")
    assert question_keys("Do you sell bread?") == ()


def test_people_by_name_and_holidays():
    mems = as_memories([
        "Hey there, I'm Priya. I teach maths at a secondary school in Leeds.",
        "My partner Sam is a chef, he works crazy hours. My mother-in-law is visiting for Christmas.",
        "We named our new puppy Biscuit, he's a cockapoo. I've been playing the violin since I was six.",
    ])
    assert ask("What's my name?", mems).text == "Your name is Priya."
    assert ask("Where do I work?", mems).text == "You teach maths at a secondary school in Leeds."
    assert ask("What does Sam do?", mems).text == "Your partner is a chef."
    assert ask("What's my puppy called?", mems).text == "You have a puppy called Biscuit."
    assert ask("Which instrument do I play?", mems).text == "You play violin."
    assert ask("Who's visiting for Christmas?", mems).text == "Your mother-in-law is visiting on Friday, December 25."


def test_categories_and_named_people(tmp_path):
    told = [
        "I'm Noor, I teach chemistry at a sixth form college.",
        "I go bouldering every Wednesday and I'm learning the cello.",
        "I can't stand olives, they're vile. I love sushi.",
        "We have a dog and a cat, Rolo and Fig.",
        "My husband Idris is a pilot.",
        "Idris got a new job last month, he's now a flight instructor.",
    ]
    with MemoryStore(tmp_path / "m.db") as store:
        for i, msg in enumerate(told):
            for f in extract_facts(msg, now=NOW):
                store.remember("noor", f, source_turn=i)
        mems = store.current("noor")
    assert any(m.key == "family:husband:job" and m.value == "flight instructor" for m in mems)
    assert "flight instructor" in ask("What does Idris do now?", mems).text
    assert "olives" in ask("What food do I dislike?", mems).text
    assert "bouldering" in ask("What sport do I do?", mems).text
    assert "cello" not in ask("Which sport do I do?", mems).text


def test_habits_corrected_pets_and_skills(tmp_path):
    told = [
        "I jog every Thursday and I'm learning to play the banjo.",
        "We've got a rabbit, Nutmeg.",
        "Nutmeg isn't a rabbit actually, she's a guinea pig.",
        "My brother Sami is coming over from Cairo next month.",
    ]
    with MemoryStore(tmp_path / "m.db") as store:
        for i, msg in enumerate(told):
            for f in extract_facts(msg, now=NOW):
                store.remember("ada", f, source_turn=i)
        mems = store.current("ada")
    assert ask("What exercise do I do?", mems).text == "You jog every Thursday."
    assert "banjo" in ask("What am I learning?", mems).text
    assert "guinea pig called Nutmeg" in ask("What kind of animal is Nutmeg?", mems).text
    assert not any(m.key.startswith("pet:rabbit") for m in mems)
    assert "Cairo" in ask("Where does my brother live?", mems).text


def test_category_questions_pick_instances_of_the_kind():
    mems = as_memories([
        "I'm a huge fan of card games, especially Dominion.",
        "I love K-pop. I adore ramen.",
        "I play squash on Mondays.",
        "I play the cello.",
    ])
    game = ask("What game do I like?", mems).text
    assert game == "You like card games, especially Dominion."
    food = ask("What food do I love?", mems).text
    assert "ramen" in food and "K-pop" not in food
    sport = ask("Which sport do I play?", mems).text
    assert "squash" in sport and "cello" not in sport


def test_named_person_facts_and_honest_unknowns(tmp_path):
    with MemoryStore(tmp_path / "m.db") as store:
        for i, msg in enumerate(["My girlfriend Yara is lovely.", "Yara's a dentist.", "My friend Ben is funny."]):
            for f in extract_facts(msg, now=NOW):
                store.remember("kit", f, source_turn=i)
        mems = store.current("kit")
    assert any(m.key == "family:girlfriend:job" and m.value == "dentist" for m in mems)
    assert ask("What does Yara do?", mems).text == "Your girlfriend is a dentist."
    assert ask("Where does Ben live?", mems).text == "You haven't told me where your friend lives yet."


def told(tmp_path, texts: list[str]) -> MemoryStore:
    """A store holding what user "sam" said in ``texts``, one message each."""
    store = MemoryStore(tmp_path / "memory.sqlite")
    for text in texts:
        t = store.log_turn("sam", "user", text)
        for f in extract_facts(text, now=NOW):
            store.remember("sam", f, source_turn=t.id, reason=text)
    return store


def test_kept_statements_eating_and_people_by_name(tmp_path):
    """Statements no slot reads are found again; 'do I still eat X?' reads what the user gave up;
    a named person's own facts answer questions by name (dev set mem3)."""
    store = told(tmp_path, ["My partner Elin thinks she's part sofa.",
                            "My brother Jack drove the van and reversed into a bollard.",
                            "I've decided to stop eating meat, I've been thinking about it for ages.",
                            "I found out I'm lactose intolerant.", "I've got two kids, Femi who's eight and Zara who's five.",
                            "I had a date on Friday. His name's Ollie, he's a chef at a Thai place in town."])
    cur = store.current("sam")
    assert ask("What's my partner's name?", cur).text == "Your partner is called Elin."
    assert "Jack drove the van" in ask("Who drove the van when I moved?", cur).text
    assert ask("Do I still eat meat?", cur).text == "No. You don't eat meat."
    assert "lactose intolerant" in ask("Can I have milk in my tea?", cur).text
    assert ask("How old is Femi?", cur).text == "Your kid Femi is 8 years old."
    assert "chef" in ask("What does Ollie do?", cur).text
    assert ask("I like teaching though, so maybe it's a good thing?", cur) is None  # a thought, not a question
    store.close()


def test_korean_pet_names_hobbies_and_corrections(tmp_path):
    store = told(tmp_path, ["저는 고양이 두 마리를 키워요. 이름은 호두랑 밤이에요.", "요즘 요가를 하고 있어요.", "남편이 요리사예요.",
                            "제 이름은 서연이에요.", "사실 제 이름은 서연이 아니라 서윤이에요.", "지난 주말에 엄마랑 제주도에 다녀왔어요."])
    cur = store.current("sam")
    assert "호두" in ask("제 고양이들 이름 기억나요?", cur, "ko").text
    assert ask("제가 요즘 무슨 운동 해요?", cur, "ko").text == "요가를 하신다고 하셨어요."
    assert "요리사" in ask("남편 직업이 뭐예요?", cur, "ko").text
    assert ask("제 이름이 뭐예요?", cur, "ko").text == "서윤이라고 하셨어요."
    assert "제주도" in ask("지난 주말에 어디 갔었죠?", cur, "ko").text
    store.close()
