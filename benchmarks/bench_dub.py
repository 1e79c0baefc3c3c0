"""`dub` against issue 13's targets, on real material.

Input: the bundled astronaut persona lip-synced by `lipsync` to a real speaker's recording
(tests/data/voices/en_robert.wav, 7.1 s), framed into 1280x720 (the 512 px video scaled to 720 px
high, the sides filled with its own edge colours), then the same clip twice in a row (14 s) to see
whether memory grows with the length. Each dub runs in its own process (peak RSS, CPU time).

Figures: lip sync against the new script by re-detected landmarks (closure on p/b/m, opening on
open vowels), PSNR outside the mouth/jaw region against the decoded input (with the mandatory
watermark, and without it: the renderer alone), speed as x real time (wall and CPU time / 2
cores), peak memory at 1x and 2x length, and voice similarity gain when resemblyzer is installed
(`make similarity`).

Run: .venv/bin/python benchmarks/bench_dub.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from _common import finish, report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VOICE = ROOT / "tests" / "data" / "voices" / "en_robert.wav"
SCRIPT = "Bob met Pam at the park by the pond. My mom bought a large map, and we all laughed a lot!"
BILABIALS = {"p", "b", "m"}
OPEN_VOWELS = {"ɑ", "æ", "a", "aɪ", "aʊ", "ɑː", "ʌ", "ɔ", "ɔː"}

RUN = """
import json, resource, sys, time
from digihuman.dub import DubOptions, dub
t0 = time.perf_counter()
r = dub(sys.argv[1], sys.argv[2], script=open(sys.argv[3]).read(), timeline=sys.argv[2] + ".json",
        options=DubOptions(watermark=sys.argv[4] == "1"))
wall = time.perf_counter() - t0
u = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall": wall, "cpu": u.ru_utime + u.ru_stime, "rss_mb": u.ru_maxrss / 1024,
                  "duration": r.duration, "voice": r.voice, "warnings": list(r.warnings)}))
"""


def make_sources(work: Path) -> tuple[Path, Path]:
    import cv2

    from digihuman.audio import load_audio
    from digihuman.pipeline import SayOptions, lipsync_audio
    from digihuman.types import Audio
    from digihuman.video.encoder import VideoOptions, encode_mp4, read_frames

    small = work / "talk512.mp4"
    lipsync_audio(VOICE, small, options=SayOptions(watermark=False))
    sound = load_audio(small, 24000)

    def frames(loops):
        for _ in range(loops):
            for f in read_frames(small):
                f = cv2.resize(f, (720, 720), interpolation=cv2.INTER_CUBIC)
                yield cv2.copyMakeBorder(f, 0, 0, 280, 280, cv2.BORDER_REPLICATE)

    out = []
    for loops in (1, 2):
        p = work / f"talk720_x{loops}.mp4"
        encode_mp4(p, frames(loops), Audio(np.tile(sound.samples, loops), 24000), VideoOptions(fps=25, crf=18))
        out.append(p)
    return out[0], out[1]


def run_dub(src: Path, out: Path, script: Path, watermark: bool) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    res = subprocess.run([sys.executable, "-c", RUN, str(src), str(out), str(script), "1" if watermark else "0"],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def lip_and_psnr(src: Path, out: Path) -> tuple[float, float, float, int, int]:
    from conftest import detect, lip_gap_ratio

    from digihuman.dub.render import jaw_region
    from digihuman.video.encoder import read_frames

    frames, orig = list(read_frames(out)), list(read_frames(src))
    lm, olm = detect(frames), detect(orig)
    tl = json.loads(Path(str(out) + ".json").read_text())
    fps, n = 25.0, len(frames)
    gaps = [lip_gap_ratio(p) if p is not None else 0.0 for p in lm]

    def over(s, e):
        return range(max(0, int(np.floor(s * fps - 0.5))), min(n - 1, int(np.ceil(e * fps - 0.5))) + 1)

    base = [(p["symbol"].replace("ˈ", "").replace("ˌ", ""), p["start"], p["end"]) for p in tl["phonemes"]]
    closed = [min(gaps[i] for i in over(s - 0.02, e + 0.02)) <= 0.06 for b, s, e in base if b in BILABIALS]
    opened = [max(gaps[i] for i in over(s, e)) >= 0.12 for b, s, e in base if b in OPEN_VOWELS and e - s >= 0.06]
    mse = []
    for a, o, p in zip(frames, orig, olm):
        keep = ~jaw_region(p, a.shape[:2]) if p is not None else np.ones(a.shape[:2], bool)
        mse.append(np.mean((a[keep].astype(np.float64) - o[keep]) ** 2))
    return (float(np.mean(closed)), float(np.mean(opened)), 10 * np.log10(255.0**2 / np.mean(mse)),
            len(closed), len(opened))


def similarity(src: Path, out: Path) -> tuple[float, float] | None:
    """(cloned-voice dub, base-voice speech of the same script) similarity to the actor's speech."""
    try:
        from digihuman.voice.similarity import speaker_similarity
        speaker_similarity  # noqa: B018
        import resemblyzer  # noqa: F401
    except ImportError:
        return None
    from dataclasses import replace

    from digihuman.audio import load_audio
    from digihuman.pipeline import SayOptions, resolve_persona, speak

    actor = load_audio(VOICE, 16000)
    dubbed = load_audio(out, 16000)
    base = speak(SCRIPT, replace(resolve_persona(None), voice_profile=None), SayOptions(watermark=False))
    return speaker_similarity(dubbed, actor), speaker_similarity(base.audio, actor)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-dub-") as tmp:
        work = Path(tmp)
        script = work / "new.txt"
        script.write_text(SCRIPT, encoding="utf-8")
        print("making the 720p input from a real photo and a real recording ...", flush=True)
        x1, x2 = make_sources(work)
        runs = {}
        for name, src, wm in (("1x", x1, True), ("2x", x2, False)):
            out = work / f"dub_{name}.mp4"
            runs[name] = (src, out, run_dub(src, out, script, wm))
            r = runs[name][2]
            print(f"dub {name}: {r['duration']:.1f} s video, voice {r['voice']}, {r['wall']:.1f} s wall, "
                  f"{r['cpu']:.1f} s CPU, peak {r['rss_mb']:.0f} MB", flush=True)
        src, out, r1 = runs["1x"]
        closed, opened, psnr_marked, nb, nv = lip_and_psnr(src, out)
        print(f"({nb} p/b/m, {nv} open vowels in the new script)")
        report("lips closed on p/b/m (re-detected)", closed, "fraction", ">= 0.9")
        report("mouth open on open vowels (re-detected)", opened, "fraction", ">= 0.9")
        report("PSNR outside mouth/jaw, marked output", psnr_marked, "dB", ">= 40")
        src2, out2, r2 = runs["2x"]
        _, _, psnr_clean, _, _ = lip_and_psnr(src2, out2)
        report("PSNR outside mouth/jaw, unmarked (renderer)", psnr_clean, "dB", ">= 40")
        for name, (_, _, r) in runs.items():
            report(f"speed 720p {name}, wall / video time", r["wall"] / r["duration"], "x", "<= 2")
            report(f"speed 720p {name}, CPU time / 2 cores / video", r["cpu"] / 2 / r["duration"], "x", "<= 2")
        report("peak memory 720p 1x", r1["rss_mb"], "MB")
        report("peak memory growth 2x vs 1x length", r2["rss_mb"] / r1["rss_mb"], "ratio", "<= 1.25")
        sim = similarity(src, out)
        if sim is None:
            print("voice similarity: not measured (resemblyzer is not installed: make similarity)")
        else:
            report("speaker similarity, cloned dub", sim[0], "cosine")
            report("speaker similarity, base voice", sim[1], "cosine")
            report("similarity gain over the base voice", sim[0] - sim[1], "cosine", ">= 0.10")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
