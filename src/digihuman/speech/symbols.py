"""Per-symbol alignments -> phoneme segments and words, shared by the piper and Kokoro backends.

Both models take espeak-ng's IPA one Unicode code point per input symbol and report how many
audio samples each symbol produced (piper: its alignment output; Kokoro: the duration predictor's
frames x 600 samples). Besides phonemes they align stress marks, the length mark, spaces,
punctuation and the start/end pads. We turn that into clean segments:

* ``ˈ``/``ˌ`` (stress) is merged into the FOLLOWING phoneme, keeping the mark in its symbol
  (``"ˈæ"``), so later stages can find stressed syllables; its time goes to that phoneme.
* ``ː`` (length) is merged into the PREVIOUS phoneme (``"ɑː"``).
* ``^`` ``$`` and punctuation become silence (symbol ``""``).
* A space between words shorter than :data:`SPACE_AS_SILENCE` (0.1 s) is split half/half
  between its neighbours (it is a transition, not a pause); a longer one becomes silence.

All bookkeeping is in integer samples, so phonemes are contiguous and cover the audio exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from digihuman.speech.pieces import Piece, Seg

SPACE_AS_SILENCE = 0.1
"""Seconds: a word-boundary space at least this long is a pause (silence)."""

_STRESS = ("ˈ", "ˌ")
_LENGTH = "ː"
_SILENT = {"^", "$", "_"}
_PLAIN_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
"""A word of letters (apostrophes/hyphens inside): espeak says it as one phoneme-word."""
_EDGE_PUNCT = "\"'“”‘’()[]{}<>.,;:!?…-–—*_/\\"


@dataclass
class _Sym:
    """Stand-in for piper's PhonemeAlignment when only symbols are known."""

    phoneme: str
    num_samples: int = 0






def _is_phone(sym: str) -> bool:
    # ˈ ˌ ː are Unicode letters (Lm) too, so they are excluded explicitly.
    return sym not in _STRESS and sym != _LENGTH and any(ch.isalpha() for ch in sym)


def _segments(alignments, sample_rate: int) -> list[Seg]:
    """Alignment symbols -> contiguous phone/silence segments in samples (rules in module doc)."""
    segs: list[Seg] = []
    pending: tuple[str, int] | None = None  # stress mark and where it started
    pos = 0
    for a in alignments:
        sym, s, e = a.phoneme, pos, pos + int(a.num_samples)
        pos = e
        if sym in _STRESS:
            if pending is None:
                pending = (sym, s)
            continue
        if sym == _LENGTH:
            if segs and _is_phone(segs[-1].symbol):
                segs[-1].symbol += _LENGTH
                segs[-1].end = e
                continue
            sym = ""
        if _is_phone(sym):
            if pending is not None:
                sym, s = pending[0] + sym, pending[1]
                pending = None
            segs.append(Seg(sym, s, e))
            continue
        if pending is not None:  # stress not followed by a phone: its time joins this segment
            s, pending = pending[1], None
        if sym == " ":
            kind = "" if (e - s) >= SPACE_AS_SILENCE * sample_rate else " "
        else:
            kind = ""  # ^ $ punctuation and anything unknown: silence
        segs.append(Seg(kind, s, e))
    if pending is not None:
        segs.append(Seg("", pending[1], pos))
    return segs


def _resolve(segs: list[Seg]) -> list[Seg]:
    """Split short spaces between neighbours, then merge adjacent silences."""
    out: list[Seg] = []
    for i, seg in enumerate(segs):
        if seg.symbol == " ":
            has_prev, has_next = bool(out), i + 1 < len(segs)
            if has_prev and has_next:
                mid = (seg.start + seg.end) // 2
                out[-1].end = mid
                segs[i + 1].start = mid
            elif has_prev:
                out[-1].end = seg.end
            elif has_next:
                segs[i + 1].start = seg.start
            else:
                out.append(Seg("", seg.start, seg.end))
            continue
        if out and seg.symbol == "" and out[-1].symbol == "":
            out[-1].end = seg.end
        else:
            out.append(seg)
    return [s for s in out if s.end > s.start]


def _word_groups(alignments) -> list[list[int]]:
    """Indices (into the phone list, in order) of phones per phoneme-word."""
    groups: list[list[int]] = []
    cur: list[int] = []
    n = 0
    for a in alignments:
        sym = a.phoneme
        if sym in _STRESS or sym == _LENGTH:
            continue
        if _is_phone(sym):
            cur.append(n)
            n += 1
        elif cur:  # space, punctuation, ^ $: a word ends
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    return groups


def _text_tokens(sentence: str) -> list[str]:
    """Whitespace tokens without surrounding punctuation, keeping only speakable ones."""
    tokens = (t.strip(_EDGE_PUNCT) for t in sentence.split())
    return [t for t in tokens if any(ch.isalnum() for ch in t)]


def _assign_words(tokens: list[str], n_groups: int, count) -> list[tuple[str, int, int]] | None:
    """Map text tokens onto phoneme-words: [(text, first group, last group)] or None.

    Plain words are one phoneme-word each; numbers, abbreviations, e-mails ... expand to
    several (``count(token)`` asks the phonemizer how many), and become ONE Word spanning them,
    so "3:45" keeps its spelling and covers "three forty five". None when the counts disagree.
    """
    out: list[tuple[str, int, int]] = []
    g = 0
    for tok in tokens:
        k = 1 if _PLAIN_RE.fullmatch(tok) else count(tok)
        if k <= 0:
            continue
        out.append((tok, g, g + k - 1))
        g += k
    return out if g == n_groups else None


def build_piece(sentence: str, audio: np.ndarray, segs: list[Seg], groups: list[list[int]], count) -> Piece:
    """One sentence's audio + raw segments + phone groups per phoneme-word -> :class:`Piece` with
    the words of ``sentence`` (``count(token)``: how many phoneme-words a token makes)."""
    segs = _resolve(segs)
    # phone number -> segment index (spaces resolved, silences merged; phones unchanged)
    phone_seg = [i for i, s in enumerate(segs) if _is_phone(s.symbol)]
    assigned = _assign_words(_text_tokens(sentence), len(groups), count)
    words = []
    if assigned is None:  # show what was said, per phoneme-word
        assigned = [(None, k, k) for k in range(len(groups))]
    for text, g0, g1 in assigned:
        idx = [i for g in groups[g0:g1 + 1] for i in g if i < len(phone_seg)]
        if not idx:
            continue
        first, last = phone_seg[idx[0]], phone_seg[idx[-1]]
        if text is None:
            text = "".join(segs[i].symbol for i in range(first, last + 1))
            text = text.replace("ˈ", "").replace("ˌ", "")
        words.append((text, first, last))
    return Piece(audio, segs, words)
