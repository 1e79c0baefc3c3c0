"""Knowledge answers on real documents with the real models (spaCy, Kiwi, e5).

Three knowledge bases are indexed once per module: the bakery (markdown + FAQ CSV + product CSV),
a museum written for these tests (British spelling, am/pm hours, holidays, prices in pounds) and
a small Korean hair salon. Questions use paraphrases, typos, follow-ups and reasoning.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from digihuman.dialog.knowledge import KnowledgeBase
from digihuman.dialog.types import Turn
from digihuman.errors import InputError
from digihuman.knowledge import KnowledgeAnswer, answer_question
from digihuman.knowledge import values
from digihuman.knowledge.terms import match, normalise

DATA = Path(__file__).parent / "data" / "knowledge"
NOW = datetime(2026, 12, 2, 12, 0)  # a Wednesday at noon


@pytest.fixture(scope="module")
def kbs(tmp_path_factory) -> dict[str, KnowledgeBase]:
    folder = tmp_path_factory.mktemp("kn")
    out = {}
    for name, files in {"bakery": ("bakery.md", "faq.csv", "products.csv"), "museum": ("museum.md",),
                        "salon": ("salon_ko.md",), "grooming": ("grooming.md",)}.items():
        out[name] = KnowledgeBase(folder / f"{name}.sqlite")
        for f in files:
            out[name].add_file(DATA / f)
    return out


def ask(kbs, kb: str, q: str, history: tuple[str, ...] = (), lang: str = "en", now=NOW) -> KnowledgeAnswer:
    turns = [Turn(i, "t", "user", h, "") for i, h in enumerate(history)]
    return answer_question(q, kbs[kb], history=turns, lang=lang, now=now)


# ---- typed values and terms (no models) ---------------------------------------------------------
def test_value_parsers():
    assert [(m.amount, m.currency) for m in values.money("₩12,000 or 12,000 won, $3.20, 25,000원")] == [
        (12000, "₩"), (12000, "₩"), (3.2, "$"), (25000, "₩")]
    (a, b), = values.time_ranges("open 9am to 6pm")
    assert (a.minutes, b.minutes) == (540, 1080)
    (a, b), = values.time_ranges("Mon-Fri 9:00-18:00")
    assert (a.minutes, b.minutes) == (540, 1080)
    assert values.weekdays("Monday to Friday")[0][0] == {0, 1, 2, 3, 4}
    assert values.weekdays("the sun is out")== []  # a lower-case "sun" is not Sunday
    assert values.calendar_days("closed on 24, 25 and 26 December") == [(12, 24), (12, 25), (12, 26)]
    assert values.format_money(12000, "₩", "ko") == "12,000원" and values.format_money(6.3, "£") == "£6.30"


def test_spelling_synonyms_and_typos():
    for uk, us in (("colour", "color"), ("centre", "center"), ("organise", "organize"), ("cheque", "check"),
                   ("travelled", "traveled"), ("catalogue", "catalog")):
        assert normalise(uk) == normalise(us)
    assert match(normalise("kids"), {normalise("children")}) >= 0.8
    assert match(normalise("adress"), {normalise("address")}) >= 0.8
    assert match(normalise("coat"), {normalise("cost")}) == 0  # a wrong letter in a short word is another word


# ---- answers ------------------------------------------------------------------------------------
def test_paraphrases_typos_and_british_spelling(kbs):
    assert "12 Maple Street" in ask(kbs, "bakery", "Whats the adress of the bakery?").text
    assert "Anna Kim" in ask(kbs, "bakery", "Who started the bakery?").text
    assert "£9" in ask(kbs, "museum", "Whats the entry fee for pensioners?").text
    assert "lift" in ask(kbs, "museum", "Is there an elevator?").text
    assert "200 metres" in ask(kbs, "museum", "How many meters away is the car park?").text
    assert "Helen Marsh" in ask(kbs, "museum", "Who is the director?").text
    assert "€55" in ask(kbs, "grooming", "How much is a bath for a big dog?").text  # big = large
    assert "€10" in ask(kbs, "grooming", "How much does it cost to cut my dog's nails?").text  # cut ~ clipping


def test_unanswerable_questions_are_declined_about_the_topic(kbs):
    for kb in ("bakery", "museum"):
        a = ask(kbs, kb, "Do you sell cars?")
        assert a.status == "declined" and a.passages == ()
        assert a.text == "I'm afraid I don't know whether we sell cars."  # not the museum's "car park"
    a = ask(kbs, "bakery", "Do you offer gift wrapping?")
    assert a.status == "declined" and "gift wrapping" in a.text and a.topic == "gift wrapping"
    for q in ("Who is the head baker?", "Do you have an email address?"):
        assert ask(kbs, "bakery", q).status == "declined", q
    for q in ("Is there a cinema in the museum?", "Do you have audio guides?",
              "How much does it cost to hire the museum for a wedding?"):
        assert ask(kbs, "museum", q).status == "declined", q


def test_yes_no_answers_follow_the_fact(kbs):
    a = ask(kbs, "bakery", "Do you take cheques?")
    assert a.text == "No, we do not accept cheques."
    assert ask(kbs, "bakery", "Is the banana bread vegan?").text.startswith("Yes, our oat cookies and the banana bread")
    # the permanent collection allows photos, the temporary exhibition does not: no bare yes or no
    a = ask(kbs, "museum", "Can I take pictures?")
    assert "without flash" in a.text and "not allowed" in a.text and not a.text.startswith(("Yes", "No"))
    a = ask(kbs, "museum", "Can I bring my cat?")  # a cat is a pet
    assert "other pets are not allowed" in a.text


def test_opening_hours_and_holiday_reasoning(kbs):
    assert ask(kbs, "bakery", "Are you open at 7:30pm on Friday?").text == "No, on Fridays we close at 19:00."
    assert ask(kbs, "bakery", "Are you open on Sunday?").text.startswith("No, we are closed on Sunday")
    a = ask(kbs, "museum", "Can I visit on Thursday at 7pm?")
    assert a.text == "Yes, on Thursdays we are open until 8pm." and a.passages
    assert ask(kbs, "museum", "Is the museum open at 6pm on Saturday?").text == "No, on Saturdays we close at 5pm."
    assert ask(kbs, "museum", "Are you open on Christmas Day?").text == "No, we are closed on 25 December."
    # one line for the whole week: "Mon-Fri 9am-6pm, Sat 9am-2pm, Sun closed."
    assert ask(kbs, "grooming", "Are you open Saturday afternoon at 3?").text == "No, on Saturdays we close at 2pm."
    assert ask(kbs, "grooming", "Are you open on Sundays?").text == "No, we are closed on Sundays."
    a = ask(kbs, "museum", "Are you open on New Year's Eve?")
    assert a.text == "Yes, on Thursday 31 December we are open from 10am to 8pm."
    monday = datetime(2026, 12, 7, 11, 0)
    assert ask(kbs, "museum", "Are you open now?", now=monday).text == "No, we are closed on Mondays."
    assert ask(kbs, "museum", "Are you open tomorrow at 11?", now=monday).text.startswith("Yes, on Tuesdays")


def test_prices_added_up(kbs):
    a = ask(kbs, "museum", "How much are two adult tickets and a child ticket?")
    assert "£30" in a.text and "£12 each" in a.text and "£6" in a.text
    assert "£6.30" in ask(kbs, "museum", "How much is a coffee and a slice of cake?").text
    assert "$9.30" in ask(kbs, "bakery", "How much are two croissants and a baguette?").text  # product rows
    a = ask(kbs, "museum", "How much for two of those?", ("How much is a coffee?",))
    assert "£5.60" in a.text


def test_follow_ups_are_completed_from_history(kbs):
    a = ask(kbs, "bakery", "And on Sundays?", ("When do you open on Saturday?",))
    assert "closed on Sunday" in a.text and "Sunday" in a.resolved
    a = ask(kbs, "museum", "What about students?", ("How much is an adult ticket?",))
    assert "£9" in a.text and a.resolved != "What about students?"
    assert "$4" in ask(kbs, "bakery", "how much does it cost?", ("Do you deliver?",)).text
    assert ask(kbs, "bakery", "Is it vegan?", ("Do you have banana bread?",)).text.startswith("Yes")
    a = ask(kbs, "museum", "What time do you close?", ("Thanks!",))
    assert a.resolved == "What time do you close?"  # standalone: unchanged


def test_multi_part_and_partial_answers(kbs):
    a = ask(kbs, "bakery", "How much is a custom cake and how early do I have to order it?")
    assert a.status == "answered" and "$45" in a.text and "3 days" in a.text
    a = ask(kbs, "museum", "How much is a family ticket and do you sell umbrellas?")
    assert a.status == "partial" and "£30" in a.text and "I don't know whether we sell umbrellas" in a.text
    a = ask(kbs, "museum", "Hi! We're coming with the kids next week. Do children need a ticket? And is there a cafe?")
    assert "£6" in a.text and "Quayside Café" in a.text


def test_faq_and_vague_questions(kbs):
    assert "password" in ask(kbs, "bakery", "Is there wi-fi?").text
    assert "terrace" in ask(kbs, "bakery", "Can I bring my dog inside?").text
    a = ask(kbs, "bakery", "What do you sell?")
    assert a.status == "vague" and "opening hours" in a.text and "delivery" in a.text


def test_korean(kbs):
    assert "25,000원" in ask(kbs, "salon", "여성 커트 가격이 얼마예요?", lang="ko").text
    a = ask(kbs, "salon", "남성 커트는요?", ("여성 커트 가격이 얼마예요?",), lang="ko")
    assert "18,000원" in a.text and "남성" in a.resolved
    assert ask(kbs, "salon", "월요일에 문 열어요?", lang="ko").text == "아니요, 월요일은 휴무예요."
    assert ask(kbs, "salon", "일요일 저녁 7시에 가도 되나요?", lang="ko").text.startswith("아니요, 일요일은 오후 6시")
    a = ask(kbs, "salon", "일요일은요?", ("토요일 영업시간이 어떻게 되나요?",), lang="ko")
    assert "오전 11시" in a.text
    assert "170,000원" in ask(kbs, "salon", "염색이랑 펌 가격 알려주세요", lang="ko").text
    a = ask(kbs, "salon", "네일 아트도 하나요?", lang="ko")
    assert a.status == "declined" and a.text.startswith("죄송하지만") and "네일" in a.text
    assert ask(kbs, "salon", "위치가 어디예요?", lang="en").text.startswith("봄날 헤어살롱은")  # Korean wins


def test_bad_input(kbs, tmp_path):
    with pytest.raises(InputError):
        answer_question(None, kbs["bakery"])  # type: ignore[arg-type]
    empty = KnowledgeBase(tmp_path / "empty.sqlite")
    assert answer_question("Do you sell bread?", empty).status == "declined"
    assert answer_question("   ", kbs["bakery"]).status == "vague"


def test_sentence_vectors_persist_next_to_the_database(kbs, monkeypatch):
    from digihuman.knowledge import index as idx

    kb = kbs["salon"]
    before = idx.index_for(kb)
    assert kb.path.with_name(kb.path.name + ".sentences.npz").is_file()
    # a new process: empty caches, and embedding would fail; the stored vectors are used instead
    monkeypatch.setattr(idx, "_vectors", {})
    monkeypatch.setattr(idx, "_indexes", idx.weakref.WeakKeyDictionary())
    monkeypatch.setattr(idx, "embed_passages", lambda texts: (_ for _ in ()).throw(AssertionError(texts)) if texts
                        else __import__("numpy").zeros((0, 384), "float32"))
    after = idx.index_for(kb)
    assert len(after.units) == len(before.units) and (after.matrix == before.matrix).all()
