"""The built-in engine end to end through Conversation.chat: multi-sentence messages, follow-ups,
emotion-aware replies, no stock phrase twice within 10 replies, Korean, and the persona's self.

One bakery conversation folder per module (real e5, spaCy, Kiwi); each test uses its own users.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import re
from pathlib import Path

import pytest

from digihuman.dialog.conversation import Conversation
from digihuman.dialog.types import Personality
from digihuman.emotion.empathy import is_cheerful

KNOWLEDGE = Path(__file__).parent / "data" / "knowledge"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def conv(tmp_path_factory) -> Conversation:
    c = Conversation("Mia", tmp_path_factory.mktemp("engine"), Personality(0.5, "a friendly baker at Sunny Bakery "
                                                                               "who loves sourdough"))
    for f in ("bakery.md", "faq.csv", "products.csv"):
        c.knowledge.add_file(KNOWLEDGE / f)
    yield c
    c.close()


def test_a_message_of_several_parts_gets_each_part_answered(conv):
    r = conv.chat("multi", "Good to see you! I visited my parents in Daegu last weekend. What time do you open?")
    assert not re.search(r"\b(bye|goodbye)\b", r.text, re.I)  # "good to see you" opens, it does not close
    assert "7:00" in r.text  # the question is answered ...
    assert re.search(r"parents|daegu|how was|glad|lovely|nice", r.text, re.I)  # ... and the sharing acknowledged
    assert any("Daegu" in m.text for m in r.memories_written)


def test_follow_up_leans_on_the_previous_question(conv):
    first = conv.chat("follow", "When do you open on Saturday?").text
    assert "8:00" in first
    assert re.search(r"closed", conv.chat("follow", "And on Sunday?").text, re.I)


def test_memory_answers_the_attribute_asked(conv):
    conv.chat("pets", "My name is Dana. We adopted a beagle called Toto last month.")
    text = conv.chat("pets", "What's my dog called?").text
    assert "Toto" in text and "Dana" not in text


def test_negative_messages_never_get_cheer(conv):
    for i, msg in enumerate(["My grandmother passed away yesterday.",
                             "Oh great, my car broke down again on the motorway. Just perfect.",
                             "I've waited an hour for my order and nobody answers the phone!",
                             "I'm so worried about my exam results."]):
        r = conv.chat(f"sad{i}", msg)
        assert not is_cheerful(r.text) and r.emotion.label != "joy", (msg, r.text)
    assert re.search(r"sorry", conv.chat("grief", "My father died last week.").text, re.I)


def test_no_stock_phrase_twice_within_ten_replies(conv):
    msgs = ["Hi!", "I went hiking on Sunday.", "I love reading crime novels.", "ok", "My brother moved to Busan.",
            "I started a new job at a bank.", "cool", "We had a barbecue yesterday.", "I'm learning the guitar.",
            "My cat is called Nabi.", "I watched a great film last night.", "ok"]
    replies = [conv.chat("talk", m).text for m in msgs]
    seen: list[set[str]] = []
    for reply in replies:
        sents = {s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", re.sub(r"[^\w\s.!?',]", "", reply))
                 if len(s.split()) >= 3}
        for earlier in seen[-10:]:
            assert not sents & earlier, (reply, sents & earlier)
        seen.append(sents)


def test_the_persona_stays_itself(conv):
    first = conv.chat("self1", "What music do you like?").text
    why = conv.chat("self1", "Why?").text
    assert not re.search(r"don't know|not sure", first + why, re.I)
    again = conv.chat("self2", "What kind of music do you like?").text  # another user, later
    words = {w for w in re.findall(r"[a-z]{4,}", first.lower())} - {"music", "like", "favourite", "favorite", "really"}
    assert words & set(re.findall(r"[a-z]{4,}", again.lower())), (first, again)


def test_korean_conversation_stays_korean(conv):
    r1 = conv.chat("minji", "안녕하세요! 제 이름은 민지예요. 강아지 한 마리를 키워요.")
    assert HANGUL.search(r1.text) and "민지" in r1.text
    r2 = conv.chat("minji", "제 이름이 뭐예요?")
    assert "민지" in r2.text and len(HANGUL.findall(r2.text)) > len(re.findall(r"[A-Za-z]", r2.text))


def test_questions_are_answered_before_any_lead(conv):
    r = conv.chat("buyer", "Until when can I order for same-day delivery?")
    assert "10:00" in r.text and not re.search(r"phone|e-mail", r.text), r.text
    r = conv.chat("buyer2", "I'd like to order a country sourdough, can someone contact me?")
    assert re.search(r"name", r.text) and re.search(r"phone|e-mail", r.text), r.text  # consent first


def test_a_users_claim_stays_theirs(conv):
    conv.chat("claimer", "Remember: the bakery has a new cat called Mittens now.")
    mine = conv.chat("claimer", "Does the bakery have a cat?").text
    assert "Mittens" in mine and re.search(r"you told me|according to", mine, re.I), mine
    other = conv.chat("someone", "Does the bakery have a cat?").text
    assert "Mittens" not in other
