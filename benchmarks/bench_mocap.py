"""Motion capture figures (issue 11): round-trip accuracy, steadiness on real footage, speed, memory.

    python benchmarks/bench_mocap.py

1. Round trip: speech-driven motion from ``digihuman gesture`` (a real script in the real voice)
   placed as MediaPipe's 33 landmarks on the skeleton, with MediaPipe-like noise (1.5 cm, each
   frame), then smoothed and retargeted: median world-orientation error of the arm and head bones.
   This measures the capture maths; the issue's fuller round trip (rendering on a full-body
   persona, then MediaPipe) needs a full-body renderer, which the project does not have yet.
2. Real footage: a still standing man (public-domain photo, tests/data/obama3.jpg) filmed by a
   swaying, zooming camera at 640x360: frame-to-frame jumps (flips) and jerk of the arm angles.
3. Speed at 640x360 (frames captured per second vs the video's 25) on 1 and 2 cores, and peak
   memory for a 10 s vs a 60 s video (flat with length).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from _common import finish, pin_one_core, report  # noqa: E402

pin_one_core()

import cv2  # noqa: E402
import numpy as np  # noqa: E402

ARMS = ("LeftArm", "LeftForeArm", "RightArm", "RightForeArm")
SCRIPT = ("I really think this is a big idea. You and I can build it together, step by step, "
          "and there is no reason to wait. Yes, we can start right now!")


def _geodesic(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    r = np.einsum("nji,njk->nik", a, b)
    return np.degrees(np.arccos(np.clip((np.trace(r, axis1=1, axis2=2) - 1) / 2, -1, 1)))


def round_trip() -> None:
    from digihuman.body.gesture import gesture_motion
    from digihuman.body.skeleton import MotionClip, forward_kinematics
    from digihuman.mocap.retarget import landmarks_of, retarget
    from digihuman.mocap.smooth import smooth_track
    from digihuman.pipeline import resolve_persona, speak

    speech = speak(SCRIPT, resolve_persona(None))
    truth = gesture_motion(speech.timeline, SCRIPT, "joy", fps=30.0, seed=1)
    pos, rot = forward_kinematics(truth)
    rng = np.random.default_rng(0)
    marks = landmarks_of(pos, rot) + rng.normal(0, 0.015, size=(truth.n_frames, 33, 3))
    t = np.arange(truth.n_frames) * truth.frame_time
    got = MotionClip(truth.skeleton, truth.frame_time, truth.root_position,
                     retarget(smooth_track(marks, t), np.ones(33, bool)))
    _, grot = forward_kinematics(got)
    ix = truth.skeleton.index
    arm = np.concatenate([_geodesic(grot[:, ix[j]], rot[:, ix[j]]) for j in ARMS])
    head = _geodesic(grot[:, ix["Head"]], rot[:, ix["Head"]])
    report("round trip: arm bones, median error", float(np.median(arm)), "deg", "<= 15")
    report("round trip: head, median error", float(np.median(head)), "deg", "<= 15")
    report("round trip: arm bones, 95th percentile", float(np.percentile(arm, 95)), "deg")


def footage(d: Path, seconds: float) -> Path:
    from test_mocap import _camera, _write

    photo = cv2.imread(str(HERE.parent / "tests" / "data" / "obama3.jpg"))
    frame = np.full((360, 640, 3), 180, np.uint8)
    small = cv2.resize(photo, (221, 360))
    frame[:, 210:431] = small
    return _write(d / f"footage_{seconds:g}.mp4", _camera(frame, size=(640, 360), n=int(seconds * 25)))


def steadiness(video: Path) -> None:
    from digihuman.mocap import capture

    cap = capture(video)
    ix = cap.clip.skeleton.index
    a = np.concatenate([cap.clip.rotations[:, ix[j]] for j in ARMS], axis=1)
    step = np.abs(np.diff(a, axis=0))
    jerk = np.abs(np.diff(a, n=3, axis=0)) / cap.clip.frame_time ** 3
    report("real footage: largest frame-to-frame change", float(step.max()), "deg", "< 20")
    report("real footage: flips (changes > 30 deg)", float((step > 30).sum()), "", "0")
    report("real footage: median jerk of arm angles", float(np.median(jerk)), "deg/s^3")


def _run(video: Path, cores: str) -> tuple[float, float, int]:
    """Wall seconds, peak MB and frames of one CLI capture pinned to ``cores``."""
    code = ("import resource,sys,time; from digihuman.mocap import capture; t=time.perf_counter(); "
            f"c=capture({str(video)!r}); dt=time.perf_counter()-t; "
            "print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, c.clip.n_frames)")
    out = subprocess.run(["taskset", "-c", cores, sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=dict(os.environ, OMP_NUM_THREADS="1")).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def speed_and_memory(short: Path, long: Path) -> None:
    for cores, label in (("0", "1 core"), ("0,1", "2 cores")):
        dt, _, n = _run(short, cores)
        report(f"speed 640x360 on {label} (video is 25 fps)", n / dt, "fps", ">= 25" if label == "2 cores" else "")
    _, mb_short, _ = _run(short, "0,1")
    _, mb_long, _ = _run(long, "0,1")
    report("peak memory, 10 s video", mb_short, "MB")
    report("peak memory growth 10 s -> 60 s video", mb_long - mb_short, "MB", "<= 100")


def main() -> int:
    round_trip()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        t0 = time.perf_counter()
        short, long = footage(d, 10), footage(d, 60)
        print(f"(made the footage in {time.perf_counter() - t0:.1f} s)")
        steadiness(short)
        speed_and_memory(short, long)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
