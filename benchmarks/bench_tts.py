"""Benchmark: Kokoro (af_heart) and piper side by side: real-time factor per voice (one
onnxruntime thread per sentence, two sentences at once on 2 cores), CPU seconds per audio second,
time to first audio of a short first phrase, and the cost of mouth_cues + animate.

Run: python benchmarks/bench_tts.py [--repeats N] [--threads T]
RTF = synthesis wall seconds / audio seconds (lower is faster; < 1 is faster than real time).
CPU/audio = process CPU seconds / audio seconds: what the voice costs, less sensitive to other
processes on a shared machine than wall time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

PARAGRAPH = (
    "Good morning, and welcome to the show. Today we will talk about how a single photo can "
    "become a talking portrait, with lips that follow every word. The voice is made on this "
    "computer, without the internet, and the mouth shapes come from the sounds themselves. "
    "Let's begin!"
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    from digihuman.animation import animate
    from digihuman.lipsync import mouth_cues
    from digihuman.speech import get_tts

    for name, kw in (("piper", {}), ("kokoro", {"voice": "af_heart"})):
        t0 = time.perf_counter()
        tts = get_tts(name, threads=args.threads, **kw)
        speech = tts.synthesize("Warm up.")
        print(f"{name}: voice load + warm-up: {time.perf_counter() - t0:.2f} s")
        rtfs, cpus, anim, firsts = [], [], [], []
        for _ in range(args.repeats):
            t, c = time.perf_counter(), time.process_time()
            speech = tts.synthesize(PARAGRAPH)
            rtfs.append((time.perf_counter() - t) / speech.audio.duration)
            cpus.append((time.process_time() - c) / speech.audio.duration)
            t = time.perf_counter()
            next(iter(tts.stream("Sure! Let me tell you more about that.")))
            firsts.append(time.perf_counter() - t)
            t = time.perf_counter()
            cues = mouth_cues(speech.timeline)
            track = animate(speech, 25.0, cues=cues)
            anim.append(time.perf_counter() - t)
        print(f"{name}: audio {speech.audio.duration:.2f} s, {len(speech.timeline.phonemes)} phonemes, "
              f"{len(cues)} cues, {track.n_frames} frames")
        report(f"{name} RTF, wall (median of {len(rtfs)})", statistics.median(rtfs), "x")
        report(f"{name} CPU s per audio s (median)", statistics.median(cpus), "x")
        report(f"{name} first phrase 'Sure!' -> audio (median)", statistics.median(firsts), "s",
               "<= 0.8" if name == "kokoro" else "")
        print(f"{name}: mouth_cues + animate: median {statistics.median(anim) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
    sys.exit(finish())
