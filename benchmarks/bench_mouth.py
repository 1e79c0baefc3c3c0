"""Mouth opening and closure of `say`, judged by an independent detector on the decoded video.

Each sentence is spoken once (piper), animated and rendered at 512 and 1024 px exactly as `say`
does, encoded to H.264, decoded again, and MediaPipe FaceMesh (static-image mode, every frame on
its own) re-detects the lips. Per phoneme of the timeline:

* open-vowel open %: open vowels (AA AE AW AY AH AO) held >= 60 ms whose peak inner-lip gap /
  mouth width reaches 0.12 (the bar of ``tests/test_say.py``); target >= 90 %.
* closure %: p/b/m with a frame of gap / mouth width <= 0.06 within 20 ms; target >= 90 %.
* peak opening in outer-eye-corner distances (landmarks 33-263; issue 12's unit): median over
  low vowels (AA AE AW AY: target 0.12-0.16) and mid vowels (AH AO: 0.08-0.10).
* release latency: for each open vowel right after a p/b/m or a pause, the time from the vowel's
  start (the release) until the gap (linear between frame centres) reaches 75 % of the bottom of
  that vowel's class range (0.09 low, 0.06 mid, eye distances); never reached counts as the
  vowel's length + 100 ms; median, target <= 40 ms (one frame at 25 fps).
* opening vs loudness: Pearson correlation, over speaking frames, of the gap with the decoded
  audio's RMS level (dB) in the frame's 40 ms; target >= 0.45.

Two sentence sets: ``--set tune`` (what the animation constants were tuned on) and ``--set check``
(the default: sentences never used for tuning). ``--sizes 512`` limits the sizes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, pin_one_core, report  # noqa: E402

pin_one_core()

import numpy as np  # noqa: E402

TUNE = [
    "Bob met Pam at the park by the map shop.",
    "My mom bought a big lamp, and Pat paid for both.",
    "Maybe the bakery has muffins, plums and apple pie.",
    "Papa's happy band played on, and we laughed.",
]
CHECK = [
    "Put the pot on the top shelf, above the cups.",
    "Mark drove past the barn, then back to the pub.",
    "Sometimes, a calm father walks by the pond at night.",
    "Buy a box of matches; pack them in the bag.",
    "Amber, how about a cup of hot cocoa?",
    "The moth flew past, and I saw the bright lights of the harbour.",
]
BILABIALS = {"p", "b", "m"}
LOW = {"ɑ", "æ", "a"}  # AA, AE, and the first half of AY / AW (piper splits diphthongs)
MID = {"ʌ", "ɔ"}  # AH, AO
CLASS_TARGET = {"low": (0.12, 0.16), "mid": (0.08, 0.10)}  # peak gap / outer-eye distance
CLOSED_MAX, OPEN_MIN = 0.06, 0.12  # gap / mouth width, as tests/test_say.py


def base(symbol: str) -> str:
    return symbol.replace("ˈ", "").replace("ˌ", "").replace("ː", "")


def vowel_class(symbol: str) -> str | None:
    b = base(symbol)
    return "low" if b in LOW else "mid" if b in MID else None


# landmark ids per detector: inner lip upper / lower centre, mouth corners, outer eye corners
IDS = {"facemesh": (13, 14, 61, 291, 33, 263), "dlib": (62, 66, 48, 54, 36, 45)}


def landmarks(frames: list[np.ndarray], detector: str) -> list[np.ndarray | None]:
    if detector == "dlib":
        return dlib_landmarks(frames)
    from digihuman.face.landmarks import detect_landmarks  # FaceMesh, every frame on its own

    return [detect_landmarks(f) for f in frames]


def dlib_landmarks(frames: list[np.ndarray]) -> list[np.ndarray | None]:
    """dlib's 68-point shape predictor (face-recognition-models): a detector independent of the
    FaceMesh model the renderer itself was built on."""
    import dlib
    import face_recognition_models as frm

    det = dlib.get_frontal_face_detector()
    sp = dlib.shape_predictor(frm.pose_predictor_model_location())
    out = []
    for f in frames:
        rects = det(f, 0)
        if not rects:
            out.append(None)
            continue
        r = max(rects, key=lambda r: r.area())
        sh = sp(f, r)
        out.append(np.array([(sh.part(i).x, sh.part(i).y) for i in range(68)], dtype=np.float64))
    return out


def frames_over(start: float, end: float, fps: float, n: int) -> range:
    return range(max(0, int(np.floor(start * fps - 0.5))), min(n - 1, int(np.ceil(end * fps - 0.5))) + 1)


def measure_clip(frames: list[np.ndarray], video: Path, phonemes, fps: float, detector: str) -> dict:
    """Per-phoneme figures of one decoded clip (lists, pooled over clips by the caller)."""
    from digihuman.audio import load_audio

    pts = landmarks(frames, detector)
    a, b, c1, c2, e1, e2 = IDS[detector]
    n = len(frames)
    ok = np.array([p is not None for p in pts])
    gap_w = np.array([np.linalg.norm(p[a] - p[b]) / np.linalg.norm(p[c1] - p[c2]) if p is not None else np.nan
                      for p in pts])
    gap_e = np.array([np.linalg.norm(p[a] - p[b]) / np.linalg.norm(p[e1] - p[e2]) if p is not None else np.nan
                      for p in pts])
    centres = (np.arange(n) + 0.5) / fps
    audio = load_audio(video, 16000).samples
    hop = int(16000 / fps)
    rms = np.array([np.sqrt(np.mean(audio[i * hop:(i + 1) * hop] ** 2) + 1e-10) for i in range(n)])
    out = {"missing": int((~ok).sum()), "closed": [], "opened": [], "peak": {"low": [], "mid": []},
           "latency": [], "corr_x": [], "corr_y": []}
    speaking = np.zeros(n, bool)
    for k, ph in enumerate(phonemes):
        sym, s, e = ph.symbol, ph.start, ph.end
        if sym:
            speaking[(centres >= s) & (centres < e)] = True
        if base(sym) in BILABIALS:
            w = [gap_w[i] for i in frames_over(s - 0.02, e + 0.02, fps, n) if ok[i]]
            out["closed"].append(bool(w) and min(w) <= CLOSED_MAX)
        cls = vowel_class(sym)
        if cls is None or e - s < 0.06:
            continue
        win = [i for i in frames_over(s, e, fps, n) if ok[i]]
        out["opened"].append(bool(win) and max(gap_w[i] for i in win) >= OPEN_MIN)
        out["peak"][cls].append(max(gap_e[i] for i in win) if win else 0.0)
        prev = phonemes[k - 1].symbol if k else ""
        if k and (prev == "" or base(prev) in BILABIALS):
            thr = 0.75 * CLASS_TARGET[cls][0]
            valid = ok & (centres > s - 0.1) & (centres < e + 0.1)
            tt, gg = centres[valid], gap_e[valid]
            # first crossing of thr after the release, linear between frame centres
            hit = None
            for j in range(1, len(tt)):
                if tt[j] >= s and gg[j] >= thr:
                    if gg[j - 1] >= thr:
                        hit = tt[j - 1] if tt[j - 1] >= s else s
                    else:
                        hit = tt[j - 1] + (thr - gg[j - 1]) / (gg[j] - gg[j - 1]) * (tt[j] - tt[j - 1])
                    break
            out["latency"].append((max(hit, s) if hit is not None else e + 0.1) - s)
    sel = speaking & ok
    out["corr_x"] += list(20 * np.log10(rms[sel]))
    out["corr_y"] += list(gap_e[sel])
    out["corr_r"] = float(np.corrcoef(20 * np.log10(rms[sel]), gap_e[sel])[0, 1]) if sel.sum() > 3 else float("nan")
    return out


def run(sentences: list[str], sizes: list[int], label: str, detectors: list[str]) -> None:
    from digihuman.lipsync import mouth_cues
    from digihuman.animation import animate, express
    from digihuman.persona import Persona
    from digihuman.pipeline import SayOptions, render_video, speak
    from digihuman.video.encoder import read_frames

    who = Persona.default()
    speeches = [speak(t, who, SayOptions()) for t in sentences]
    for size in sizes:
        opt = SayOptions(size=size, watermark=False)
        pooled = {d: {"missing": 0, "closed": [], "opened": [], "peak": {"low": [], "mid": []},
                      "latency": [], "corr_r": []} for d in detectors}
        with tempfile.TemporaryDirectory() as tmp:
            for i, speech in enumerate(speeches):
                track = express(animate(speech, fps=opt.fps, seed=opt.seed, cues=mouth_cues(speech.timeline)), {})
                out = Path(tmp) / f"s{i}.mp4"
                render_video(out, who, speech, track, opt)
                frames = list(read_frames(out))
                for d in detectors:
                    m = measure_clip(frames, out, speech.timeline.phonemes, opt.fps, d)
                    pd = pooled[d]
                    pd["missing"] += m["missing"]
                    for key in ("closed", "opened", "latency"):
                        pd[key] += m[key]
                    for c in ("low", "mid"):
                        pd["peak"][c] += m["peak"][c]
                    pd["corr_r"].append(m["corr_r"])
        for d in detectors:
            summarise(pooled[d], f"{label} {size}px {d}:")


def summarise(pooled: dict, p: str) -> None:
    if True:
        report(f"{p} frames without a face", pooled["missing"], "frames", "0")
        report(f"{p} open vowels open ({len(pooled['opened'])})", 100 * np.mean(pooled["opened"]), "%", ">= 90")
        report(f"{p} p/b/m closed ({len(pooled['closed'])})", 100 * np.mean(pooled["closed"]), "%", ">= 90")
        for c, (lo, hi) in CLASS_TARGET.items():
            v = float(np.median(pooled["peak"][c])) if pooled["peak"][c] else 0.0
            report(f"{p} {c} vowels peak gap / eye dist ({len(pooled['peak'][c])})", v, "", f">= {lo - 0.01:.2f}")
            report(f"{p} {c} vowels peak gap, not over", v, "", f"<= {hi + 0.03:.2f}")
        lat = 1000 * float(np.median(pooled["latency"])) if pooled["latency"] else float("nan")
        report(f"{p} opening after release, median ({len(pooled['latency'])})", lat, "ms", "<= 40")
        report(f"{p} opening vs loudness, mean r", float(np.nanmean(pooled["corr_r"])), "", ">= 0.45")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=("tune", "check", "both"), default="check")
    ap.add_argument("--sizes", default="512,1024")
    ap.add_argument("--detectors", default="facemesh,dlib")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    dets = a.detectors.split(",")
    if a.set in ("tune", "both"):
        run(TUNE, sizes, "tune", dets)
    if a.set in ("check", "both"):
        run(CHECK, sizes, "check", dets)
    sys.exit(finish())
