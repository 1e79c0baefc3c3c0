"""The persona's profile (identity, origin, likes, opinions) and its answers about itself: real
spaCy / Kiwi / e5, real memory files, persona.json through the CLI."""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import json

import pytest

from conftest import DATA
from digihuman.cli import main
from digihuman.dialog.types import Turn
from digihuman.errors import InputError
from digihuman.memory import Fact, MemoryStore
from digihuman.persona import PersonaStore
from digihuman.persona.profile import Profile, default_profile, edit_profile, profile_from_dict, self_answer

BAKER = "a friendly baker at Sunny Bakery who loves sourdough"


@pytest.fixture(scope="module")
def mina() -> Profile:
    return default_profile("mina", BAKER)


def _ask(q: str, p: Profile, mems=(), history=()) -> str | None:
    a = self_answer(q, p, list(mems), history=list(history))
    return None if a is None else a.text


def test_default_profile_is_deterministic_and_fits_the_description(mina):
    assert default_profile("mina", BAKER) == mina  # seeded by the name: the same every run
    assert len({json.dumps(default_profile(n, BAKER).to_dict()) for n in ("ann", "bo", "cy", "di", "ed")}) >= 3
    assert mina.likes["hobby"][0] == "baking bread" and "bread" in mina.likes["food"][0]
    assert mina.likes["passion"][0] == "sourdough" and mina.name == "Mina" and "baker" in mina.identity
    for cat in ("music", "food", "colour", "season", "book", "film", "hobby", "place"):
        value, reason = mina.likes[cat]
        assert value and reason, cat  # every like has a reason, so "why?" has an answer
    assert mina.dislikes and mina.opinions and mina.origin and mina.background
    assert default_profile("jun", "a tour guide from Busan who loves hiking").origin == "Busan"
    ko = default_profile("minji", "작은 빵집 사장님", lang="ko")
    assert ko.lang == "ko" and ko.likes["hobby"][0] == "빵 굽기" and "민" not in ko.identity[:2]
    assert profile_from_dict(mina.to_dict()) == mina


ENGLISH = [  # (question, something the answer must contain)
    ("What music do you like?", "music"), ("what kind of music are you into?", "music"),
    ("what's your favrite musik", "music"), ("Fave food?", "bread"), ("What's your favourite colour?", "colour"),
    ("What is your favorite color?", "colour"), ("Which season do you like best?", "season"),
    ("Any favourite films?", "film"), ("What sort of books do you read?", "book"),
    ("Where are you from?", "from"), ("where did you grow up?", "from"), ("What's your hometown?", "from"),
    ("Tell me a bit about yourself.", "baker"), ("Who are you?", "Mina"), ("introduce yourself please", "Mina"),
    ("Are you a robot?", "digital human"), ("r u a bot", "digital human"), ("Am I talking to a real person?", "digital human"),
    ("What do you do for fun?", "baking bread"), ("What are your hobbies?", "baking bread"),
    ("What do you think about mornings?", "best part of the day"), ("How do you feel about rainy days?", "staying in"),
    ("Do you like music?", "Yes"), ("what's your name?", "Mina"),
    ("I'm from Busan. What about you?", "from"), ("My favourite colour is blue. What's yours?", "colour"),
    ("Any music you're particularly fond of?", "music"), ("How do you spend your weekends?", "baking bread"),
    ("What are you listening to these days?", "music"), ("Is this an automated chat?", "digital human"),
]


@pytest.mark.parametrize("question,expected", ENGLISH)
def test_english_questions(mina, question, expected):
    text = _ask(question, mina)
    assert text is not None and expected.lower() in text.lower(), (question, text)


def test_answers_come_from_the_profile(mina):
    assert mina.likes["music"][0] in _ask("What music do you like?", mina)
    assert mina.likes["music"][1] in _ask("what kind of music are you into?", mina)  # with its reason
    assert mina.origin in _ask("Where are you from?", mina)
    assert _ask("What do you dislike?", mina).startswith("Honestly, I don't like")


@pytest.mark.parametrize("question", [
    "What time do you open?", "What music do I like?", "Do you sell sourdough?", "Would you like to order?",
    "do you like it?", "How much is a croissant?", "Where do I live?", "What do you think I should buy?",
    "why?", "I love jazz", "Remember that the shop opens at 9", "What kind of bread do you sell?",
    "What do you recommend to eat?", "제 이름이 뭐예요?", "What are your opening hours?"])
def test_not_about_the_persona(mina, question):
    assert self_answer(question, mina, []) is None  # "why?" without history: nothing to explain


def test_new_stances_are_written_and_memories_win(mina, tmp_path):
    first = self_answer("Do you like croissants?", mina, [])
    assert first.text.startswith("Yes") and "sourdough" in first.text  # derived from its own likes
    fact = first.facts_to_write[0]
    assert fact.about == "self" and fact.key.startswith("likes:") and "because" in fact.text
    unsure = self_answer("What do you think about cryptocurrency?", mina, [])
    assert "not sure" in unsure.text and unsure.facts_to_write[0].key.startswith("opinion:")

    with MemoryStore(tmp_path / "memory.sqlite") as store:  # a later session reads what it said
        for f in first.facts_to_write + unsure.facts_to_write:
            store.remember("kim", f, source_turn=1, reason=first.text)
        store.remember("kim", Fact("favorite:music", "the blues", "(self) favorite music is the blues", "self"),
                       source_turn=2)
        mems = store.current("kim", about="self")
    again = self_answer("do you like croissants", mina, mems)
    assert again.text.startswith("Yes") and not again.facts_to_write and again.used
    assert "not sure" in _ask("what's your opinion on cryptocurrency?", mina, mems)
    assert "the blues" in _ask("What music do you like?", mina, mems)  # said before: wins over the profile
    assert "remind me of sourdough" in _ask("Why?", mina, mems, [Turn(1, "kim", "persona", again.text, "")])


def test_why_follows_up_on_the_last_reply(mina):
    said = _ask("What's your favourite season?", mina)
    history = [Turn(1, "u", "user", "What's your favourite season?", ""), Turn(2, "u", "persona", said, "")]
    for q in ("why?", "How come?", "Why is that?"):
        assert _ask(q, mina, history=history) == f"Because {mina.likes['season'][1]}."
    assert _ask("왜요?", mina, history=history).endswith("요.")  # the Korean twin of the reason
    earlier = [Turn(1, "u", "user", "My favourite film is Alien.", ""), Turn(2, "u", "persona", "Great choice!", "")]
    assert mina.likes["film"][0] in _ask("What about you?", mina, history=earlier)  # the user's last statement


KOREAN = [("무슨 음악 좋아해요?", "좋아해요"), ("사람 맞아요?", "디지털 휴먼"), ("어디서 왔어요?", "왔어요"), ("로봇이에요?", "디지털 휴먼"),
          ("자기소개 해 주세요", "Mina"), ("좋아하는 음식이 뭐예요?", "사워도우"), ("취미가 뭐예요?", "빵 굽기"),
          ("비 오는 날에 대해 어떻게 생각해요?", "비 오는 날")]


@pytest.mark.parametrize("question,expected", KOREAN)
def test_korean_questions_get_korean_answers(mina, question, expected):
    text = _ask(question, mina)
    assert text is not None and expected in text, (question, text)
    assert sum("\uac00" <= ch <= "\ud7a3" for ch in text) > len(text) // 4


def test_edit_profile():
    p = default_profile("mina", BAKER)
    q = edit_profile(edit_profile(p, "origin=Busan"), "likes.music=jazz because it's relaxed")
    assert q.origin == "Busan" and q.likes["music"] == ("jazz", "it's relaxed") and p.origin != "Busan"
    assert "mornings" in q.opinions and "mornings" not in edit_profile(q, "opinions.mornings=").opinions
    for bad in ("origin", "colour=red", "likes=jazz", "name="):
        with pytest.raises(InputError):
            edit_profile(p, bad)


def test_profile_in_persona_json_and_cli(tmp_path, capsys):
    home = tmp_path / "home"
    assert main(["--home", str(home), "-q", "persona", "create", "mina", "--photo", str(DATA / "obama2.jpg"),
                 "--description", BAKER]) == 0
    meta_path = home / "personas" / "mina" / "persona.json"
    assert json.loads(meta_path.read_text())["profile"]["likes"]["hobby"]["value"] == "baking bread"
    assert main(["--home", str(home), "-q", "persona", "profile", "mina", "--set", "origin=Busan",
                 "--set", "likes.music=jazz because it's relaxed"]) == 0
    capsys.readouterr()
    assert main(["--home", str(home), "persona", "profile", "mina"]) == 0
    out = capsys.readouterr().out
    assert "origin: Busan" in out and "likes.music: jazz (because it's relaxed)" in out
    persona = PersonaStore(home).load("mina")
    assert _ask("where are you from?", persona.profile) == "I'm from Busan."
    assert persona.conversation().profile == persona.profile  # the engine can reach it
    assert main(["--home", str(home), "persona", "profile", "mina", "--set", "colour=red"]) == 2
    assert "unknown profile field" in capsys.readouterr().err
    assert main(["--home", str(home), "persona", "profile", "default", "--set", "origin=Mars"]) != 0

    meta = json.loads(meta_path.read_text())  # a persona.json from before profiles
    del meta["profile"]
    meta_path.write_text(json.dumps(meta))
    assert PersonaStore(home).load("mina").profile == default_profile("mina", BAKER)
    builtin = PersonaStore(home).load("default").profile
    assert "digital human" in _ask("who are you?", builtin) and "digihuman" in _ask("where are you from", builtin)


def test_answers_are_read_back_cleanly_by_the_memory_extractor(mina):
    """The conversation extracts (self) facts from every reply: what self_answer says must come
    back as clean values (no reason glued on), so the next session repeats the same value."""
    from digihuman.memory import extract_facts

    for q in ("What music do you like?", "What's your favourite book?", "Where are you from?",
              "Do you like croissants?", "What's your favourite colour?"):
        for fact in extract_facts(self_answer(q, mina, []).text, about="self"):
            assert ":" not in fact.value and "because" not in fact.value, (q, fact)
    music = extract_facts(_ask("What music do you like?", mina), about="self")
    assert [(f.key, f.value) for f in music] == [("favorite:music", mina.likes["music"][0])]


def test_self_memories_are_the_same_for_every_user_and_session(tmp_path):
    """A stance taken with one user (a derived like, a favourite the profile lacks) is stored once
    for the persona and repeated word for word to another user in a later session; everyday
    profile facts (job from the description, pets, age) are answered, never declined."""
    from digihuman.dialog.conversation import Conversation
    from digihuman.dialog.types import Personality

    desc = "a cheerful guide at a small science museum who loves astronomy"
    with Conversation("Noa", tmp_path, Personality(0.3, desc)) as conv:
        first = conv.chat("ana", "Do you like croissants?").text
        fav = conv.chat("ana", "What's your favourite kind of bread?").text
        assert conv.chat("ana", "why?").text.startswith("Because")
        job = conv.chat("ana", "What do you do for a living?").text
        assert "guide at a small science museum" in job
        assert "pet" in conv.chat("ana", "Any pets?").text and "digital human" in conv.chat("ana", "How old are you?").text
        written = conv.self_memories()
    keys = {m.key for m in written}
    assert "favorite:bread" in keys and any(k.endswith(":croissant") for k in keys)  # a like, dislike or "not sure"
    with Conversation("Noa", tmp_path, Personality(0.3, desc)) as conv:  # a restart, another user
        assert conv.chat("ben", "do you like croissants?").text == first
        assert conv.chat("ben", "what's your favourite kind of bread?").text == fav
        assert conv.chat("ben", "What's your job?").text == job
        conv.forget("ben", all=True)
        assert len(conv.self_memories()) == len(written)  # a user's forget --all leaves the persona's own
