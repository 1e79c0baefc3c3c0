"""Near misses, spans and per-unit prices, on a small guesthouse page written for these tests.

A neighbouring fact is no answer ("a double room costs ..." for a twin room), a count of another
thing is no count ("vans carry parts" for "how many vans?"), a closure over a span of dates covers
the days inside it, and a price per unit is multiplied by the question's counts only when the
sentence states it unconditionally. One knowledge base, indexed once for the module.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from digihuman.dialog.knowledge import KnowledgeBase
from digihuman.knowledge import answer_question
from digihuman.knowledge.terms import match

NOW = datetime(2026, 12, 2, 12, 0)
PAGE = """Heron Lodge is a small guesthouse with eight bedrooms on the shore of Loch Tay.

## Rooms
A double room costs £110 per night, including breakfast. A single room costs £75 per night.
Dogs are welcome for £10 per night per dog.

## Extras
Our vans carry spare bedding, so most requests are done in one visit.
Late check-out costs £15. Labour costs £55 per hour after the first hour.
The nearest railway station is Pitlochry, 25 minutes away by car.

## Holidays
We are closed from 20 December to 5 January.
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    folder = tmp_path_factory.mktemp("near")
    (folder / "lodge.md").write_text("# Heron Lodge\n\n" + PAGE)
    k = KnowledgeBase(folder / "kb.sqlite")
    k.add_file(folder / "lodge.md")
    return k


def ask(kb, q):
    return answer_question(q, kb, lang="en", now=NOW)


def test_neighbouring_facts_are_declined_not_answered(kb):
    twin = ask(kb, "How much is a twin room?")  # "double" is a different kind of room
    assert twin.status == "declined" and "£110" not in twin.text and "twin room" in twin.text
    bus = ask(kb, "How long does the bus from Pitlochry take?")  # the 25 minutes are by car
    assert bus.status == "declined" and "25 minutes" not in bus.text
    vans = ask(kb, "How many vans do you have?")  # "one visit" counts visits, not vans
    assert vans.status != "answered" and "don't know how many vans" in vans.text
    rooms = ask(kb, "How many bedrooms have you got?")
    assert rooms.status == "answered" and "eight" in rooms.text


def test_common_words_get_no_typo_matches():
    assert match("back", frozenset({"black"})) == 0.0  # two everyday words, not a typo
    assert match("adress", frozenset({"address"})) >= 0.8  # a typo of one


def test_a_date_inside_a_closure_span(kb):
    a = ask(kb, "Can I book a room for the 2nd of January?")
    assert a.text.startswith("No, we are closed on 2 January") and "20 December to 5 January" in a.text
    b = ask(kb, "Are you open on 28 December?")
    assert b.text.startswith("No") and "5 January" in b.text


def test_prices_per_unit_are_multiplied_only_when_unconditional(kb):
    assert "£220" in ask(kb, "How much would two nights in a double cost?").text
    assert "£60" in ask(kb, "How much for two dogs for three nights?").text
    labour = ask(kb, "How much would 3 hours of labour cost?").text  # "after the first hour": not 3 x £55
    assert "£165" not in labour and "£55 per hour after the first hour" in labour


def test_requests_without_a_question_mark_reach_the_knowledge(tmp_path):
    from digihuman.dialog.conversation import Conversation
    from digihuman.dialog.types import Personality

    (tmp_path / "lodge.md").write_text("# Heron Lodge\n\n" + PAGE)
    conv = Conversation("Fiona", tmp_path / "p", Personality(0.5, "answers guests' questions"), engine="builtin")
    try:
        conv.knowledge.add_file(tmp_path / "lodge.md")
        assert "£15" in conv.chat("u1", "whats the price of a late check out").text  # no "?", a typo'd wh-word
        # about the user's own plans, but asking the business: memory has nothing, the knowledge answers
        assert "£110" in conv.chat("u2", "If I book a double room, is there a charge per night?").text
        shared = conv.chat("u3", "I want to say I loved my stay").text  # a request word, nothing to look up
        assert "don't know" not in shared.lower()
    finally:
        conv.close()
