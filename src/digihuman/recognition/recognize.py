"""Phoneme timing for recorded speech: ``recognize(audio, transcript)`` -> (Timeline, warnings).

Pipeline (all times in seconds unless a name says frames; a frame is 10 ms):

1. Resample to 16 kHz; Silero VAD finds the speech segments. No speech -> InputError.
2. Segments are packed into chunks of at most :data:`MAX_CHUNK` seconds, cut only in VAD pauses,
   so time and memory stay linear in the audio length. Between chunks is silence ``""``.
3. Per chunk, English:
   * with a transcript: the chunk's words are found with a "any prefix of the remaining words"
     grammar over a window of the next words (window = words expected from the speaking rate,
     x1.5 + 10 slack), so the transcript is consumed incrementally and an error never spreads
     past one chunk; the last chunk takes all words left. Then forced alignment of those words.
   * without: words recognised by Whisper base (:mod:`.whisper`) become the transcript; without
     Whisper, the bundled en-us language model of pocketsphinx; then forced alignment of those
     words (phones consistent with real words beat raw phone recognition); if nothing is
     recognised, allphone phone recognition.
   Other languages without a transcript: Whisper's words with their times, each word's eSpeak
   phonemes spread over it (:mod:`.words`). Chunks that fail, languages Whisper is not installed
   for, or chunks left without words: acoustic pseudo-phonemes.
4. Silence carving: long stretches inside a phone that are below the chunk's silence floor or in
   a VAD pause become ``""`` (the aligner tends to stretch a final stop over the pause after it).
5. The result is made contiguous over exactly [0, audio.duration].
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..audio.io import resample
from ..errors import InputError
from ..types import Audio, Phoneme, Timeline, Word
from . import acoustic, sphinx, vad
from .arpabet import split_phone
from .words import heard_words, word_entries

SR = 16000  # Hz, what pocketsphinx and silero expect
FRAME = 0.01  # seconds per frame
MIN_AUDIO = 0.3  # seconds: shorter audio is refused
MAX_CHUNK = 30.0  # seconds of audio per decoding chunk
CHUNK_PAD = 0.1  # seconds of context added around a chunk's speech (within the pause)
VAD_GAP = 0.25  # seconds: VAD pauses at least this long are silence inside a chunk
CARVE_MIN = 8  # frames (80 ms): silent runs shorter than this stay part of their phone
ALIGN_SHIFT = 0.025
"""Seconds added to pocketsphinx phone times: its frame i (10 ms) is analysed with a 25.6 ms
window that starts at i*10 ms, so boundaries come out early; on piper speech the p/b/m
midpoints were 30 ms early (median) without this shift, ~5 ms with it. Calibrated on TTS
only: human speech may differ by ~10 ms."""
_CLOSING = {"p", "b", "m", "t", "d", "k", "ɡ", "n"}  # stops/nasals: keep a closure before them
_PROGRESS = Callable[[float], None]

Entry = list  # [symbol, start_s, end_s, word_index or -1]


def plan_chunks(segs: list[tuple[float, float]], duration: float) -> list[tuple[float, float, list]]:
    """Pack VAD segments into (start, end, segments) chunks of at most MAX_CHUNK seconds."""
    pieces: list[tuple[float, float]] = []
    for s, e in segs:  # a segment longer than a chunk (no pause for 30 s) is cut evenly
        k = max(1, math.ceil((e - s) / (MAX_CHUNK - 2 * CHUNK_PAD)))
        pieces += [(s + (e - s) * i / k, s + (e - s) * (i + 1) / k) for i in range(k)]
    groups: list[list[tuple[float, float]]] = []
    for p in pieces:
        if groups and p[1] - groups[-1][0][0] <= MAX_CHUNK - 2 * CHUNK_PAD:
            groups[-1].append(p)
        else:
            groups.append([p])
    chunks = []
    for i, g in enumerate(groups):
        lo = 0.0 if i == 0 else (groups[i - 1][-1][1] + g[0][0]) / 2  # never past the pause middle
        hi = duration if i == len(groups) - 1 else (g[-1][1] + groups[i + 1][0][0]) / 2
        chunks.append((max(lo, g[0][0] - CHUNK_PAD), min(hi, g[-1][1] + CHUNK_PAD), g))
    return chunks


def _silent_mask(x: np.ndarray, t0: float, segs: list) -> np.ndarray:
    """Per frame of chunk samples ``x`` (starting at t0 s): True where it is silence."""
    db, _, _ = acoustic.frame_features(x)
    mask = db <= acoustic.silence_floor(db)
    for (_, e), (s, _) in zip(segs[:-1], segs[1:]):
        if s - e >= VAD_GAP:  # a real pause: silent, shrunk 50 ms each side for VAD slack
            a, b = int(round((e - t0 + 0.05) / FRAME)), int(round((s - t0 - 0.05) / FRAME))
            mask[max(0, a): max(0, b)] = True
    return mask


def _carve(entries: list[Entry], mask: np.ndarray, t0: float) -> list[Entry]:
    """Split long silent runs at the edges of phones off into silence (see module doc, 4)."""
    out: list[Entry] = []
    for sym, s, e, wi in entries:
        fs, fe = int(round((s - t0) / FRAME)), int(round((e - t0) / FRAME))
        fe = min(fe, mask.size)
        if sym == "" or fe - fs < CARVE_MIN + 3:
            out.append([sym, s, e, wi])
            continue
        seg = mask[fs:fe]
        voiced = np.flatnonzero(~seg)
        if voiced.size == 0:  # all silent: keep 50 ms (a closure), the rest is pause
            a, b = (0, 5) if sym in _CLOSING else (0, 3)
        else:
            a = max(0, voiced[0] - (5 if sym in _CLOSING else 1))
            b = min(seg.size, voiced[-1] + 3)
            a = 0 if a < CARVE_MIN else a
            b = seg.size if seg.size - b < CARVE_MIN else b
            b = max(b, min(seg.size, a + 3))
        if a > 0:
            out.append(["", s, t0 + (fs + a) * FRAME, -1])
        out.append([sym, t0 + (fs + a) * FRAME if a else s, t0 + (fs + b) * FRAME if b < seg.size else e, wi])
        if b < seg.size:
            out.append(["", t0 + (fs + b) * FRAME, e, -1])
    return out


def _from_alignment(aligned: list, t0: float, texts: list[str]) -> list[Entry]:
    out: list[Entry] = []
    t0 += ALIGN_SHIFT
    for w in aligned:
        wi = -1
        if w.text:
            texts.append(w.text)
            wi = len(texts) - 1
        for p in w.phones:
            for sym, s, e in split_phone(p.name, t0 + p.start * FRAME, t0 + p.end * FRAME):
                out.append([sym, s, e, wi if sym else -1])
    return out


def _from_frames(runs: list[tuple[str, int, int]], t0: float) -> list[Entry]:
    """Entries from (label, start_frame, end_frame) runs: ARPAbet (allphone) or IPA (acoustic)."""
    out: list[Entry] = []
    for name, s, e in runs:
        syms = [(name, t0 + s * FRAME, t0 + e * FRAME)] if not name.isupper() else \
            split_phone(name, t0 + s * FRAME, t0 + e * FRAME)
        out += [[sym, a, b, -1] for sym, a, b in syms]
    return out


def _timeline(entries: list[Entry], texts: list[str], duration: float) -> Timeline:
    """Contiguous phonemes over [0, duration] with silences merged; words from their phonemes."""
    flat: list[Entry] = []
    t = 0.0
    for sym, s, e, wi in sorted(entries, key=lambda x: x[1]):
        s, e = max(s, t), min(e, duration)
        if e - s < 1e-6:
            continue
        if s > t + 1e-6:
            flat.append(["", t, s, -1])
        flat.append([sym, s, e, wi])
        t = e
    if t < duration:
        flat.append(["", t, duration, -1])
    merged: list[Entry] = []
    for x in flat:
        if merged and x[0] == "" and merged[-1][0] == "":
            merged[-1][2] = x[2]
        else:
            merged.append(list(x))
    for a, b in zip(merged[:-1], merged[1:]):  # exact contiguity despite float rounding
        b[1] = a[2]
    merged[0][1], merged[-1][2] = 0.0, duration
    phonemes = [Phoneme(sym, s, e) for sym, s, e, _ in merged]
    groups: dict[int, list[Phoneme]] = {}
    for p, x in zip(phonemes, merged):
        if x[3] >= 0:
            groups.setdefault(x[3], []).append(p)
    words = [Word(texts[i], ph[0].start, ph[-1].end, tuple(ph)) for i, ph in sorted(groups.items())]
    return Timeline(tuple(words), tuple(phonemes), duration)


def recognize(
    audio: Audio,
    transcript: str | None = None,
    *,
    lang: str = "en",
    progress: _PROGRESS | None = None,
) -> tuple[Timeline, list[str]]:
    """Phoneme/word timeline of recorded speech plus human-readable warnings.

    ``transcript``: what is said (any punctuation/case); None -> Whisper's words (pocketsphinx
    word recognition for English when Whisper is not installed).
    ``lang``: ISO code; English is force-aligned to phones; other languages Whisper knows get
    its words with eSpeak phonemes; the rest (or no Whisper) acoustic pseudo-phonemes. ``progress``: called with the fraction done (0..1) per chunk.
    Raises InputError for audio shorter than 0.3 s and audio without speech.
    """
    duration = audio.duration
    if duration < MIN_AUDIO:
        raise InputError(f"audio is too short ({duration:.2f} s) to find speech in",
                         f"give at least {MIN_AUDIO} s of recorded speech")
    x = resample(audio, SR).samples  # float32
    segs = vad.speech_segments(x)
    if not segs:
        raise InputError("no speech found in the audio (only silence or noise)",
                         "check that the recording contains audible speech and is not muted")
    warnings: list[str] = []
    english = lang.lower().replace("_", "-").split("-")[0] == "en"
    words: list[str] | None = None
    heard = None  # Whisper's words of the whole audio (no transcript), see heard_words
    if transcript is None or not transcript.strip():
        heard = heard_words(x, lang, warnings)
        if heard is not None and english:
            transcript = " ".join(w.text for w in heard)
    if not english and heard is None:
        warnings.append(f"acoustic fallback used: no phoneme recogniser for language {lang!r}")
    elif not english:
        pass
    elif transcript is not None and transcript.strip():
        # hyphens split words ("well-known" is two cmudict words)
        words, w = sphinx.prepare_words(transcript.replace("-", " ").replace("—", " ").split())
        warnings += w
        if not words:
            warnings.append("transcript has no usable words: phone recognition used instead")
            words = None
    if english and words is None:
        warnings.append("no transcript: words recognised with the en-us language model (pocketsphinx)")
    chunks = plan_chunks(segs, len(x) / SR)
    speech_left = sum(e - s for _, _, g in chunks for s, e in g)
    cursor = 0
    texts: list[str] = []
    entries: list[Entry] = []
    for ci, (c0, c1, g) in enumerate(chunks):
        chunk = x[int(round(c0 * SR)): int(round(c1 * SR))]
        pcm = (np.clip(chunk, -1, 1) * 32767).astype(np.int16)
        speech_here = sum(e - s for s, e in g)
        part: list[Entry] | None = None
        label = f"segment {ci + 1} ({c0:.1f}-{c1:.1f} s)"
        try:
            if english and words is not None:
                todo = words[cursor:]
                if ci < len(chunks) - 1 and todo:
                    est = len(todo) * speech_here / max(speech_left, 1e-6)
                    k = sphinx.count_prefix(pcm, todo[: int(est * 1.5) + 10])
                    todo = todo[: int(round(est)) if k is None else k]
                cursor += len(todo)
                if todo:
                    part = _from_alignment(sphinx.align(pcm, todo), c0, texts)
                else:
                    warnings.append(f"acoustic fallback used for {label}: no transcript words left for it")
            elif heard is not None:  # other languages: Whisper's words, phonemes spread over each
                here = [w for w in heard if c0 <= (w.start + w.end) / 2 < c1]
                part = word_entries(here, lang, texts, _silent_mask(chunk, c0, g), c0)
            elif english:
                said = sphinx.recognize_words(pcm)
                if said:
                    part = _from_alignment(sphinx.align(pcm, said), c0, texts)
                else:
                    warnings.append(f"phone recognition used for {label}: no words recognised")
                    phones = sphinx.recognize_phones(pcm)
                    part = _from_frames([(p.name, p.start, p.end) for p in phones], c0 + ALIGN_SHIFT)
        except Exception as exc:  # any decoder failure: this chunk still gets a moving mouth
            warnings.append(f"acoustic fallback used for {label}: recognition failed ({exc})")
            part = None
        mask = _silent_mask(chunk, c0, g)
        if part is None:
            speech = np.zeros(mask.size, bool)
            for s, e in g:
                speech[int((s - c0) / FRAME): int(math.ceil((e - c0) / FRAME))] = True
            part = _from_frames(acoustic.pseudo_phonemes(chunk, speech), c0)
        else:
            part = _carve(part, mask, c0)
        entries += [[s, max(a, c0), min(b, c1), w] for s, a, b, w in part if min(b, c1) > max(a, c0)]
        speech_left -= speech_here
        if progress is not None:
            progress(min(1.0, c1 / duration))
    if words is not None and cursor < len(words):
        warnings.append(f"{len(words) - cursor} transcript words were not placed")
    if progress is not None:
        progress(1.0)
    return _timeline(entries, texts, duration), warnings
