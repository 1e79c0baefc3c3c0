"""Speech/non-speech segmentation with Silero VAD (its bundled ONNX model, onnxruntime, 1 thread).

We do not import the ``silero_vad`` package (it needs torch); we only read its ``silero_vad.onnx``
file and reproduce its streaming loop: 512-sample windows (32 ms at 16 kHz) with a 64-sample
context from the previous window and a recurrent state of shape (2, 1, 128). Segmenting follows
silero's ``get_speech_timestamps`` hysteresis (enter speech above ``threshold``, leave below
``threshold - 0.15``), then drops short bursts and bridges short pauses.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
"""Hz: the only rate this module accepts (the caller resamples)."""
WINDOW = 512
"""Samples per VAD decision (32 ms at 16 kHz), fixed by the model."""
CONTEXT = 64
"""Samples of the previous window prepended to each window, as silero does at 16 kHz."""
HOP_SECONDS = WINDOW / SAMPLE_RATE

_SESSION = None
_LOCK = threading.Lock()


def model_path() -> Path:
    """The ``silero_vad.onnx`` bundled inside the silero-vad wheel (no import of its code)."""
    import importlib.util

    found = importlib.util.find_spec("silero_vad")
    if found is None or not found.submodule_search_locations:
        raise ImportError("silero-vad is not installed (pip install --no-deps silero-vad)")
    return Path(list(found.submodule_search_locations)[0]) / "data" / "silero_vad.onnx"


def _session():
    global _SESSION
    with _LOCK:
        if _SESSION is None:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 1  # one window at a time: threads only add overhead
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            _SESSION = ort.InferenceSession(str(model_path()), opts, providers=["CPUExecutionProvider"])
        return _SESSION


def speech_probs(samples: np.ndarray) -> np.ndarray:
    """Speech probability per 32 ms window (window i covers samples [i*512, (i+1)*512))."""
    sess = _session()
    x = np.asarray(samples, dtype=np.float32).reshape(-1)
    n = (x.size + WINDOW - 1) // WINDOW
    x = np.concatenate([np.zeros(CONTEXT, np.float32), x, np.zeros(n * WINDOW - x.size, np.float32)])
    state = np.zeros((2, 1, 128), np.float32)
    sr = np.array(SAMPLE_RATE, dtype=np.int64)
    out = np.empty(n, np.float32)
    for i in range(n):
        chunk = x[i * WINDOW: i * WINDOW + WINDOW + CONTEXT][None, :]
        p, state = sess.run(None, {"input": chunk, "state": state, "sr": sr})
        out[i] = float(p.reshape(-1)[0])
    return out


def speech_segments(
    samples: np.ndarray,
    *,
    threshold: float = 0.5,
    min_speech: float = 0.12,
    min_silence: float = 0.15,
    pad: float = 0.04,
) -> list[tuple[float, float]]:
    """(start, end) seconds of speech in 16 kHz mono float32 ``samples``.

    ``min_speech`` (s): shorter bursts are dropped (clicks). ``min_silence`` (s): shorter pauses
    are bridged. ``pad`` (s): added on both sides (the VAD reacts a window late/early).
    """
    probs = speech_probs(samples)
    duration = len(samples) / SAMPLE_RATE
    neg = threshold - 0.15
    segs: list[list[float]] = []
    in_speech = False
    for i, p in enumerate(probs):
        t = i * HOP_SECONDS
        if not in_speech and p >= threshold:
            in_speech = True
            segs.append([t, t])
        elif in_speech and p < neg:
            in_speech = False
            segs[-1][1] = t
    if in_speech:
        segs[-1][1] = duration
    merged: list[list[float]] = []
    for s in segs:
        if merged and s[0] - merged[-1][1] < min_silence:
            merged[-1][1] = s[1]
        else:
            merged.append(s)
    out = []
    for s, e in merged:
        if e - s < min_speech:
            continue
        out.append((max(0.0, s - pad), min(duration, e + pad)))
    # padding may make neighbours overlap: join them
    joined: list[tuple[float, float]] = []
    for s, e in out:
        if joined and s <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(e, joined[-1][1]))
        else:
            joined.append((s, e))
    return joined
