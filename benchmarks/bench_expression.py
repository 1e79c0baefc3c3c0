"""Facial expression, judged by an independent look: the `fer` classifier on rendered frames.

A neutral-photo persona (tests/data/biden.jpg, an official public-domain portrait that fer reads
as neutral) says one script per emotion with `say --emotion NAME`; every decoded frame of the MP4
goes through fer the way fer runs (Haar face box, tests/fer_look.py), and the share of frames
whose top-1 class is the intended one is printed (target >= 70 % for joy, sadness, anger,
surprise; fear and disgust are printed unchecked; neutral is the baseline). On the same videos the
lip-sync bars of tests/test_say.py are measured from re-detected landmarks: lips closed on >= 90 %
of p/b/m, open on >= 90 % of open vowels. Also: the render cost of the expression shading.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "tests"))
from _common import finish, pin_one_core, report  # noqa: E402

pin_one_core()
import numpy as np  # noqa: E402

from conftest import SCRIPT, detect, lip_gap_ratio  # noqa: E402
from fer_look import top1_share  # noqa: E402

PHOTO = ROOT / "tests" / "data" / "biden.jpg"
CHECKED = ("joy", "sadness", "anger", "surprise")
BILABIALS = {"p", "b", "m"}
OPEN_VOWELS = {"ɑ", "æ", "a", "aɪ", "aʊ", "ɑː", "ʌ", "ɔ", "ɔː"}


def _frames_over(start, end, fps, n):
    return range(max(0, int(np.floor(start * fps - 0.5))), min(n - 1, int(np.ceil(end * fps - 0.5))) + 1)


def lip_bars(frames, timeline, fps=25.0) -> tuple[float, float]:
    """(% of p/b/m with a closed-lip frame, % of open vowels with an open frame), from re-detected landmarks."""
    gaps = [1.0 if p is None else lip_gap_ratio(p) for p in detect(frames)]
    n = len(gaps)
    base = lambda s: s.replace("ˈ", "").replace("ˌ", "")  # noqa: E731
    ph = timeline["phonemes"]
    closed = [min(gaps[i] for i in _frames_over(p["start"] - 0.02, p["end"] + 0.02, fps, n)) <= 0.06
              for p in ph if base(p["symbol"]) in BILABIALS]
    opened = [max(gaps[i] for i in _frames_over(p["start"], p["end"], fps, n)) >= 0.12
              for p in ph if base(p["symbol"]) in OPEN_VOWELS and p["end"] - p["start"] >= 0.06]
    return 100 * float(np.mean(closed)), 100 * float(np.mean(opened))


def main() -> int:
    import digihuman
    from digihuman.dialog.types import EMOTIONS
    from digihuman.video.encoder import read_frames

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        who = digihuman.PersonaStore(tmp / "home").create("neutral", PHOTO)
        only = [a.split("=", 1)[1].split(",") for a in sys.argv[1:] if a.startswith("--only=")]
        for emotion in only[0] if only else EMOTIONS:
            out = tmp / f"{emotion}.mp4"
            digihuman.say(SCRIPT, out, who, options=digihuman.SayOptions(emotion=emotion), timeline=tmp / "t.json")
            frames = list(read_frames(out))
            share = 100 * top1_share(frames, emotion)
            target = ">= 70" if emotion in CHECKED else ""
            report(f"fer top-1 = {emotion} (% of {len(frames)} frames)", share, "%", target)
            closed, opened = lip_bars(frames, json.loads((tmp / "t.json").read_text()))
            report(f"  {emotion}: lips closed on p/b/m", closed, "%", ">= 90")
            report(f"  {emotion}: mouth open on open vowels", opened, "%", ">= 90")
        if only:
            return finish()
        from digihuman.face.renderer import FaceRenderer
        from digihuman.types import FACE_PARAMS, NEUTRAL_PARAMS, PARAM_INDEX

        r = FaceRenderer(who.photo, who.face, 512)
        row = np.array([NEUTRAL_PARAMS[n] for n in FACE_PARAMS], np.float32)
        expr = row.copy()
        for name, v in {"brow_lower": 1.0, "smile": 1.0, "cheek": 1.0, "brow": 0.5, "nose_wrinkle": 1.0}.items():
            expr[PARAM_INDEX[name]] = v
        times = {}
        for key, params in (("neutral", row), ("all shading on", expr)):
            r.render(params)
            t0 = time.perf_counter()
            for _ in range(50):
                r.render(params)
            times[key] = (time.perf_counter() - t0) / 50 * 1000
        report("render 512 px, neutral frame", times["neutral"], "ms")
        report("render 512 px, expression with all wrinkles", times["all shading on"], "ms")
    print("(machine shared with other sessions: timings are inflated)")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
