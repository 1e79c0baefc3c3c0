"""Face renderer speed on one core: median frames/s at 512 and 1024, and init time.

Run: python benchmarks/bench_render.py   (the photo is skimage.data.astronaut())
"""

from __future__ import annotations

import os

# one core: must be set before numpy / OpenCV are imported
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import time  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from digihuman.face.landmarks import analyze_face  # noqa: E402
from digihuman.face.renderer import FaceRenderer  # noqa: E402
from digihuman.types import FaceTrack, PARAM_INDEX  # noqa: E402


def speech_track(seconds: float = 4.0, fps: float = 25.0) -> FaceTrack:
    """Speech-like parameters: 4 Hz jaw, width changes, a blink, small head motion."""
    n = int(seconds * fps)
    t = np.arange(n) / fps
    track = FaceTrack.neutral(n, fps)
    v = track.values
    v[:, PARAM_INDEX["jaw_open"]] = np.clip(0.17 + 0.17 * np.sin(2 * np.pi * 4 * t), 0, 0.4)
    v[:, PARAM_INDEX["mouth_width"]] = 1.0 + 0.12 * np.sin(2 * np.pi * 1.3 * t)
    v[:, PARAM_INDEX["lip_round"]] = np.clip(np.sin(2 * np.pi * 0.7 * t), 0, 1) * 0.5
    blink = np.exp(-(((t - 1.5) / 0.06) ** 2))
    v[:, PARAM_INDEX["blink_l"]] = blink
    v[:, PARAM_INDEX["blink_r"]] = blink
    v[:, PARAM_INDEX["head_yaw"]] = 0.04 * np.sin(2 * np.pi * 0.3 * t)
    v[:, PARAM_INDEX["head_pitch"]] = 0.02 * np.sin(2 * np.pi * 0.23 * t)
    v[:, PARAM_INDEX["head_roll"]] = 0.02 * np.sin(2 * np.pi * 0.17 * t)
    v[:, PARAM_INDEX["head_dx"]] = 0.01 * np.sin(2 * np.pi * 0.2 * t)
    v[:, PARAM_INDEX["breath"]] = 0.5 + 0.5 * np.sin(2 * np.pi * 0.25 * t)
    return track


def main() -> None:
    cv2.setNumThreads(1)
    from skimage import data

    photo = data.astronaut()
    analyze_face(photo)  # warm up MediaPipe (graph creation is a one-off ~0.1-0.5 s)
    t0 = time.perf_counter()
    analysis = analyze_face(photo)
    print(f"analyze_face: {1e3 * (time.perf_counter() - t0):.1f} ms")
    track = speech_track()
    for size in (512, 1024):
        t0 = time.perf_counter()
        r = FaceRenderer(photo, analysis, size)
        init = time.perf_counter() - t0
        for row in track.values[:10]:  # warm-up
            r.render(row)
        times = []
        for _ in range(3):
            for row in track.values:
                t0 = time.perf_counter()
                r.render(row)
                times.append(time.perf_counter() - t0)
        med = float(np.median(times))
        print(f"{size}x{size}: init {1e3 * init:.1f} ms, median {1e3 * med:.2f} ms/frame = "
              f"{1 / med:.0f} frames/s (p90 {1e3 * np.percentile(times, 90):.2f} ms)")


if __name__ == "__main__":
    main()
