"""Small signal helpers shared by the animation and recognition stages."""

from __future__ import annotations

import numpy as np


def convolve_same(v: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``np.convolve(v, kernel, "same")`` that always returns ``len(v)`` samples.

    numpy's "same" mode returns the longer of the two inputs, so a clip shorter than the kernel
    (a one-word ``say``: 11 frames against a 12-frame window) grew by a sample and broke every
    array it was combined with. The centred slice of the full convolution is the same values.
    """
    full = np.convolve(v, kernel, mode="full")
    start = (len(kernel) - 1) // 2
    return full[start:start + len(v)]
