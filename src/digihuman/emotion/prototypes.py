"""Emotion by meaning: a message's e5 vector against a few labelled prototype sentences per feeling.

Word lists miss feelings said through a situation ("My son isn't answering his phone and it's 2am"),
and e5 places such messages near sentences with the same feeling. The prototypes are short, plain
and written for this purpose (not copied from any test set); a few are Korean because e5's
cross-lingual similarities are lower than same-language ones. They are embedded once per process
(about 1 s, on the first message); each message then costs one dot product, or one query
embedding (~10 ms) when the caller has none to share.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

# "label/detail": sentences. The detail is "" for the plain label.
PROTOTYPES: dict[str, tuple[str, ...]] = {
    "joy/": ("I'm so happy today!", "This is the best news ever.", "We had such a lovely time at the beach.",
             "I'm thrilled with how it turned out.", "정말 행복해요."),
    "joy/gratitude": ("Thank you so much, I really appreciate it.", "I'm so grateful for your help.",
                      "Thanks for everything you did for me.", "정말 감사합니다."),
    "joy/pride": ("I won first prize in the competition.", "I got promoted at work!", "I finally did it, I'm proud."),
    "joy/relief": ("What a relief, everything turned out fine.", "Thank goodness the results were normal."),
    "joy/excitement": ("I can't wait for the concert next week!", "We're going on holiday soon, so exciting!"),
    "sadness/": ("I feel so sad today.", "Everything feels hopeless.", "I've been crying all day.", "너무 슬퍼요."),
    "sadness/grief": ("My father died last week.", "Our cat passed away this morning.",
                      "We said goodbye to grandpa at the funeral.", "어머니가 돌아가셨어요."),
    "sadness/loneliness": ("I have no one to talk to.", "I feel lonely every evening.", "All my friends moved away."),
    "sadness/disappointment": ("I failed the exam after studying so hard.", "It didn't turn out the way I hoped.",
                               "They turned down my application."),
    "sadness/tiredness": ("I'm so tired I can barely keep my eyes open.", "I'm worn out after a long day at work.",
                          "I haven't slept properly in days.", "너무 피곤해요."),
    "anger/": ("I'm furious with him.", "This makes me so angry.", "How dare they treat me like that!", "정말 화나요."),
    "anger/frustration": ("I've asked three times and nothing happens.", "Why does nothing ever work?",
                          "Your service is terrible and nobody helps me.",
                          "I want my money back, this is unacceptable.",
                          "My package still hasn't arrived after a month."),
    "fear/": ("I'm scared something bad will happen.", "I heard a noise downstairs and I'm frightened.",
              "Someone is trying to break into the house.",
              "I'm terrified of flying.", "무서워요."),
    "fear/worry": ("I'm worried about my exam results.", "What if I lose my job?",
                   "I'm anxious about the meeting tomorrow.", "She still isn't back and I can't reach her.",
                   "I don't know how I'm going to pay the bills this month.",
                   "걱정돼요."),
    "surprise/": ("Wow, I never expected that!", "I can't believe it happened!", "What? Really? That's so sudden!"),
    "disgust/": ("That's disgusting.", "The kitchen was filthy and smelled awful.", "Eww, there's mould on the bread."),
    "neutral/": ("What time do you close?", "How much does it cost?", "I live in London.", "Can I pay by card?",
                 "The meeting is at three.", "Tell me about your products.", "Where is the nearest station?",
                 "I had pasta for lunch.", "My brother works as a teacher.", "I have a dog and two cats.",
                 "The chair is made of oak.", "We went to the market on Saturday.", "The package arrived on Monday.",
                 "I usually take the bus to work.", "My train leaves at nine on Friday.", "Hi!", "Hello there.",
                 "Good morning!", "Bye, see you tomorrow.", "How are you?", "안녕하세요!", "몇 시에 닫아요?",
                 "가격이 얼마예요?", "저는 서울에 살아요."),
}
TEMPERATURE = 0.015
"""Softmax temperature over cosine similarities: e5 cosines crowd into 0.8-0.93, so a 0.015 gap is a factor e."""


@dataclass(frozen=True)
class Meaning:
    """What the prototypes say about one message."""

    probs: dict[str, float]
    """label -> probability (softmax over each label's best two prototype similarities)."""
    detail: dict[str, str]
    """label -> the finer feeling of its nearest prototype ("" for a plain one)."""


_lock = threading.Lock()
_cache: tuple[list[str], list[str], np.ndarray] | None = None


def _prototypes() -> tuple[list[str], list[str], np.ndarray]:
    global _cache
    if _cache is None:
        with _lock:
            if _cache is None:
                from ..dialog.embed import embed_query

                keys = [k for k, texts in PROTOTYPES.items() for _ in texts]
                texts = [t for ts in PROTOTYPES.values() for t in ts]
                # Queries on both sides (E5's advice for symmetric similarity); one by one is as fast as a batch.
                vecs = np.stack([embed_query(t) for t in texts])
                _cache = ([k.partition("/")[0] for k in keys], [k.partition("/")[2] for k in keys], vecs)
    return _cache


def meaning(vector: np.ndarray) -> Meaning:
    """Label probabilities and nearest finer feelings for a message's e5 query vector (384,)."""
    labels, details, vecs = _prototypes()
    sims = vecs @ np.asarray(vector, dtype=np.float32).reshape(-1)
    best: dict[str, list[float]] = {}
    detail: dict[str, tuple[float, str]] = {}
    for lab, det, s in zip(labels, details, sims.tolist()):
        best.setdefault(lab, []).append(s)
        if s > detail.get(lab, (-2.0, ""))[0]:
            detail[lab] = (s, det)
    score = {lab: float(np.mean(sorted(v)[-2:])) for lab, v in best.items()}
    top = max(score.values())
    exp = {lab: float(np.exp((s - top) / TEMPERATURE)) for lab, s in score.items()}
    total = sum(exp.values())
    return Meaning({lab: e / total for lab, e in exp.items()}, {lab: d for lab, (_, d) in detail.items()})
