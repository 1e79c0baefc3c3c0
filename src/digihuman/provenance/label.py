"""The visible "AI-generated" caption (``say --label``): EU AI Act Art. 50 asks that deepfakes
be disclosed as such. Drawn once per video size into a small strip, alpha-blended per frame."""

from __future__ import annotations

import numpy as np

TEXT = "AI-generated"


class Caption:
    """A caption in the bottom-left corner: white text on a translucent dark box."""

    def __init__(self, text: str = TEXT) -> None:
        self.text = text
        self._cache: tuple | None = None

    def _prepare(self, h: int, w: int) -> tuple:
        import cv2

        scale = w / 512 * 0.6  # 0.6 = ~14 px tall text on a 512 px video
        thick = max(1, int(round(w / 512 * 1.5)))
        (tw, th), base = cv2.getTextSize(self.text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
        pad = max(4, w // 80)
        bw, bh = tw + 2 * pad, th + base + 2 * pad
        x0, y0 = pad, h - pad - bh
        ink = np.zeros((bh, bw), np.uint8)
        cv2.putText(ink, self.text, (pad, pad + th), cv2.FONT_HERSHEY_SIMPLEX, scale, 255, thick, cv2.LINE_AA)
        a = ink.astype(np.float32)[..., None] / 255.0
        alpha = 0.55 + 0.45 * a  # box at 55 % black, text fully white
        color = 255.0 * a
        return (slice(y0, y0 + bh), slice(x0, x0 + bw)), alpha, color

    def apply(self, rgb: np.ndarray) -> np.ndarray:
        """The frame with the caption drawn in (a new array; the input is not changed)."""
        h, w = rgb.shape[:2]
        if self._cache is None or self._cache[0] != (h, w):
            self._cache = ((h, w), self._prepare(h, w))
        (region, alpha, color) = self._cache[1]
        out = rgb.copy()
        patch = out[region].astype(np.float32)
        out[region] = (patch * (1.0 - alpha) + color * alpha).astype(np.uint8)
        return out
