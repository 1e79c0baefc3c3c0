"""Pocketsphinx 5 (bundled en-us model): forced alignment, word recognition, phone recognition.

Every function takes 16 kHz mono int16 PCM (bytes-like or int16 array) of ONE chunk (<= ~30 s)
and returns times in 10 ms frames relative to the chunk start (pocketsphinx's frame rate is
100 frames per second). Decoders are created once per process (0.1-0.3 s each, the LM one
holds ~40 MB) and reused under a lock; pocketsphinx decoders are not thread-safe.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass

import numpy as np

from .arpabet import spell

FRAME = 0.01
"""Seconds per pocketsphinx frame."""

_DECODERS: dict[str, object] = {}
_LOCK = threading.RLock()
_FILLERS = {"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]"}


@dataclass
class Phone:
    name: str  # ARPAbet ("SIL" for silence)
    start: int  # 10 ms frames from the chunk start
    end: int  # exclusive, 10 ms frames


@dataclass
class AlignedWord:
    text: str  # the transcript word ("" for silence / fillers)
    start: int  # 10 ms frames
    end: int
    phones: list[Phone]


def _model(name: str) -> str:
    import pocketsphinx

    return os.path.join(pocketsphinx.get_model_path(), "en-us", name)


def decoder(kind: str):
    """The process-wide decoder: "align" (no LM; alignment and FSG), "lm" (words), "phone"."""
    with _LOCK:
        d = _DECODERS.get(kind)
        if d is None:
            from pocketsphinx import Decoder

            if kind == "align":
                d = Decoder(lm=None, loglevel="FATAL")
            elif kind == "lm":
                d = Decoder(loglevel="FATAL")
            elif kind == "phone":
                d = Decoder(lm=None, allphone=_model("en-us-phone.lm.bin"), backtrace=True,
                            beam=1e-20, pbeam=1e-20, lw=2.0, loglevel="FATAL")
            else:
                raise ValueError(kind)
            _DECODERS[kind] = d
        return d


def _pcm(samples) -> bytes:
    if isinstance(samples, (bytes, bytearray)):
        return bytes(samples)
    return np.asarray(samples, dtype=np.int16).tobytes()


def _decode(d, pcm: bytes) -> None:
    d.start_utt()
    d.process_raw(pcm, full_utt=True)
    d.end_utt()


def normalize_word(word: str) -> str:
    """Lower case, letters and inner apostrophes only ("Don't!" -> "don't")."""
    w = re.sub(r"[^a-z']", "", word.lower().replace("’", "'"))
    return w.strip("'")


def prepare_words(words: list[str]) -> tuple[list[str], list[str]]:
    """Dictionary words for ``words`` (normalized), adding letter-to-sound spellings for words
    cmudict lacks. Returns (usable words, warnings); words with no letters are dropped."""
    d = decoder("align")
    out, warnings = [], []
    with _LOCK:
        for w in words:
            n = normalize_word(w)
            if not n:
                warnings.append(f"word {w!r} skipped: nothing pronounceable in it")
                continue
            if d.lookup_word(n) is None:
                pron = spell(n)
                if not pron:
                    warnings.append(f"word {w!r} skipped: not in the dictionary")
                    continue
                d.add_word(n, pron, True)
                warnings.append(f"word {w!r} not in the dictionary: spelled as {pron}")
            out.append(n)
    return out, warnings


def align(samples, words: list[str]) -> list[AlignedWord]:
    """Forced alignment of dictionary ``words`` (see :func:`prepare_words`) to one chunk.

    Two passes, as pocketsphinx does it: the first finds the word sequence through an
    alignment grammar (optional silences between words), the second the phone/state times.
    Raises RuntimeError when the words cannot be fitted to the audio.
    """
    pcm = _pcm(samples)
    d = decoder("align")
    with _LOCK:
        d.set_align_text(" ".join(words))
        _decode(d, pcm)
        if d.hyp() is None:
            raise RuntimeError("alignment found no path")
        d.set_alignment()
        _decode(d, pcm)
        out = []
        for w in d.get_alignment():
            name = re.sub(r"\(\d+\)$", "", w.name)
            phones = [Phone(p.name, p.start, p.start + p.duration) for p in w]
            text = "" if name in _FILLERS or name.startswith("+") else name
            out.append(AlignedWord(text, w.start, w.start + w.duration, phones))
    if not out:
        raise RuntimeError("alignment is empty")
    return out


def count_prefix(samples, words: list[str]) -> int | None:
    """How many of ``words`` (from the first) this chunk says, by decoding with a grammar that
    accepts any prefix of the list. None when the grammar finds no path."""
    if not words:
        return 0
    d = decoder("align")
    n = len(words)
    final = n + 1
    trans: list[tuple] = []
    for i, w in enumerate(words):
        trans.append((i, i + 1, 1.0, w))
        if i > 0:
            trans.append((i, final, 0.3))  # null transition: the chunk may end here
    trans.append((n, final, 1.0))
    with _LOCK:
        fsg = d.create_fsg("prefix", 0, final, trans)
        d.add_fsg("prefix", fsg)
        d.activate_search("prefix")
        _decode(d, _pcm(samples))
        hyp = d.hyp()
        d.remove_search("prefix")
    if hyp is None:
        return None
    return len([w for w in hyp.hypstr.split() if w not in _FILLERS])


def recognize_words(samples) -> list[str]:
    """Words said in the chunk, by the bundled en-us language model (may contain errors)."""
    d = decoder("lm")
    with _LOCK:
        _decode(d, _pcm(samples))
        hyp = d.hyp()
    if hyp is None:
        return []
    return [re.sub(r"\(\d+\)$", "", w) for w in hyp.hypstr.split() if w not in _FILLERS]


def recognize_phones(samples) -> list[Phone]:
    """Phone sequence without any word knowledge (allphone search with the phone LM)."""
    d = decoder("phone")
    with _LOCK:
        _decode(d, _pcm(samples))
        segs = [Phone(s.word, s.start_frame, s.end_frame + 1) for s in d.seg()]
    return segs
