"""Speaker similarity with Resemblyzer (GE2E speaker embeddings), an optional extra.

Used to measure voice conversion (benchmarks/bench_voice.py), never at run time. Resemblyzer
needs PyTorch; the CPU-only build is enough and much smaller than the default CUDA one:

    pip install torch==2.13.0 resemblyzer==0.1.4
"""

from __future__ import annotations

import os
import threading

import numpy as np

from ..errors import BackendUnavailable
from ..types import Audio

INSTALL_HINT = "pip install torch==2.13.0 resemblyzer==0.1.4"
_ENCODER = None
_LOCK = threading.Lock()


def _encoder():
    global _ENCODER
    with _LOCK:
        if _ENCODER is None:
            try:
                from resemblyzer import VoiceEncoder
            except ImportError as exc:
                raise BackendUnavailable(f"speaker similarity needs resemblyzer ({exc})", INSTALL_HINT) from exc
            _ENCODER = VoiceEncoder("cpu", verbose=False)
        return _ENCODER


def speaker_embedding(audio: Audio | str | os.PathLike) -> np.ndarray:
    """Unit-length 256-d speaker embedding of ``audio`` (an Audio or a file path)."""
    from ..audio.io import load_audio, resample

    enc = _encoder()
    from resemblyzer import preprocess_wav

    a = resample(audio, 16000) if isinstance(audio, Audio) else load_audio(audio, 16000)
    # preprocess_wav normalises the volume and trims long silences (webrtcvad), as in training.
    wav = preprocess_wav(a.samples.astype(np.float32), source_sr=16000)
    if len(wav) < 1600:
        wav = a.samples.astype(np.float32)
    e = enc.embed_utterance(wav)
    return e / (np.linalg.norm(e) + 1e-12)


def speaker_similarity(a: Audio | str | os.PathLike, b: Audio | str | os.PathLike) -> float:
    """Cosine similarity of the two recordings' speaker embeddings (about 0.4-0.7 for different
    speakers of the same sex, 0.8+ for the same speaker)."""
    return float(np.dot(speaker_embedding(a), speaker_embedding(b)))
