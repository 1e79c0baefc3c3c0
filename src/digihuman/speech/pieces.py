"""Sentences in samples, and joining them into one :class:`Speech` with an exact timeline.

Backends synthesise sentence by sentence; each sentence becomes a :class:`Piece` whose segments
are counted in integer samples, so the joined timeline is contiguous and covers the audio
exactly, with no floating-point drift however long the script is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..types import Audio, Phoneme, Speech, Timeline, Word


@dataclass
class Seg:
    """One phoneme (or silence) of a sentence, in samples."""

    symbol: str
    """IPA; "" = silence (piper also uses " " for a word-boundary space before resolving it)."""
    start: int
    end: int
    label: int = -1
    """Backend-specific tag (espeak: index of the word anchor that preceded it)."""


@dataclass
class Piece:
    """One sentence: float audio, contiguous segments, and words as (text, first seg, last seg)."""

    audio: np.ndarray
    segs: list[Seg]
    words: list[tuple[str, int, int]]


def join_pieces(pieces: list[Piece], sr: int, text: str, pause: int) -> Speech:
    """Join sentences with ``pause`` samples of silence between them into one Speech at ``sr`` Hz."""
    audio_parts: list[np.ndarray] = []
    segs: list[Seg] = []
    words: list[tuple[str, int, int]] = []
    offset = 0
    for k, piece in enumerate(pieces):
        if k and pause:
            audio_parts.append(np.zeros(pause, np.float32))
            segs.append(Seg("", offset, offset + pause))
            offset += pause
        base = len(segs)
        segs.extend(Seg(s.symbol, s.start + offset, s.end + offset) for s in piece.segs)
        words.extend((t, a + base, b + base) for t, a, b in piece.words)
        audio_parts.append(piece.audio)
        offset += len(piece.audio)
    merged: list[Seg] = []
    remap: list[int] = []
    for s in segs:  # silences that now touch (sentence end, pause, next start) become one
        if merged and s.symbol == "" and merged[-1].symbol == "":
            merged[-1].end = s.end
        else:
            merged.append(Seg(s.symbol, s.start, s.end))
        remap.append(len(merged) - 1)
    phonemes = tuple(Phoneme(s.symbol, s.start / sr, s.end / sr) for s in merged)
    word_objs = tuple(
        Word(t, phonemes[remap[a]].start, phonemes[remap[b]].end, phonemes[remap[a] : remap[b] + 1])
        for t, a, b in words
    )
    audio = np.concatenate(audio_parts) if audio_parts else np.zeros(0, np.float32)
    duration = len(audio) / sr
    if not phonemes and duration > 0:
        phonemes = (Phoneme("", 0.0, duration),)
    return Speech(Audio(audio, sr), Timeline(word_objs, phonemes, duration), text)
