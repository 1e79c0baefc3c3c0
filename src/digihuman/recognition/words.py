"""Recognised words (Whisper) -> timeline entries for languages without a phone aligner.

English words go on to pocketsphinx forced alignment (see :mod:`.recognize`). For the other
languages (Korean, Japanese, Chinese, Spanish, French, German ...) each word Whisper heard is
phonemised by eSpeak NG in that language and its phonemes share the word's time span in
proportion to their symbol counts (a vowel with a length mark weighs 2): the mouth closes on the
word's real bilabials, at about the right moment (Whisper's word times step in 20 ms).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MIN_PROBABILITY = 0.05
"""Words Whisper itself gives less than this probability are dropped (hallucinated filler)."""


def heard_words(x: np.ndarray, lang: str, warnings: list[str]):
    """Whisper's words of 16 kHz audio ``x`` in ``lang`` (None when Whisper is not installed or
    fails; the caller falls back and ``warnings`` says why)."""
    from . import whisper

    code = lang.lower().replace("_", "-").split("-")[0]
    if code == "cmn":
        code = "zh"
    if not whisper.available():
        return None
    if code not in whisper.LANGUAGES:
        return None
    try:
        got, words = whisper.transcribe(x, code)
    except Exception as exc:  # a broken model must not stop lip sync: the old path still works
        warnings.append(f"Whisper failed ({exc}); falling back")
        return None
    words = [w for w in words if w.probability >= MIN_PROBABILITY and w.end > w.start]
    if not words:
        return None
    warnings.append(f"no transcript: words recognised with Whisper base ({got}): "
                    + " ".join(w.text for w in words[:12]) + (" ..." if len(words) > 12 else ""))
    return words


def _phonemes(word: str, espeak_voice: str) -> list[tuple[str, int]]:
    """(IPA phoneme, weight) of one word, stress/length merged as in the TTS timelines."""
    from ..speech.kokoro import phonemize
    from ..speech.symbols import _segments, _Sym

    syms = [c for c in phonemize(espeak_voice, word) if not c.isspace()]
    segs = _segments([_Sym(c, 1) for c in syms], 1)
    return [(s.symbol, s.end - s.start) for s in segs if s.symbol]


def word_entries(words: Sequence, lang: str, texts: list[str], silent: np.ndarray | None = None,
                 t0: float = 0.0) -> list[list]:
    """Entries ``[symbol, start, end, word index]`` for Whisper words; appends their texts.
    ``silent``: per 10 ms frame from ``t0`` s, True where silent: a word's start moves to its
    first sound (Whisper often starts the first word of a phrase in the silence before it)."""
    from ..speech.languages import resolve_language

    voice = resolve_language(lang).espeak_voice
    out: list[list] = []
    for w in words:
        text = w.text.strip(" .,!?;:…。、！？「」\"'“”")
        if not text:
            continue
        try:
            phones = _phonemes(text, voice)
        except Exception:  # a word espeak cannot say: one open-mouth stretch
            phones = []
        if not phones:
            phones = [("ə", 1)]
        texts.append(text)
        wi = len(texts) - 1
        total = sum(n for _, n in phones)
        t = w.start
        if silent is not None:
            a, b = max(0, int((w.start - t0) / 0.01)), max(0, int((w.end - t0) / 0.01))
            voiced = np.flatnonzero(~silent[a:b])
            if voiced.size:
                t = max(w.start, min(t0 + (a + voiced[0]) * 0.01, w.end - 0.03 * len(phones)))
        start = t
        for sym, n in phones:
            e = t + (w.end - start) * n / total
            out.append([sym, t, e, wi])
            t = e
    return out
