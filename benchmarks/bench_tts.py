"""Benchmark: piper real-time factor on one thread, and the cost of mouth_cues + animate.

Run: python benchmarks/bench_tts.py [--repeats N] [--threads T]
RTF = synthesis seconds / audio seconds (lower is faster; < 1 is faster than real time).
"""

from __future__ import annotations

import argparse
import statistics
import time

PARAGRAPH = (
    "Good morning, and welcome to the show. Today we will talk about how a single photo can "
    "become a talking portrait, with lips that follow every word. The voice is made on this "
    "computer, without the internet, and the mouth shapes come from the sounds themselves. "
    "Let's begin!"
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    from digihuman.animation import animate
    from digihuman.lipsync import mouth_cues
    from digihuman.speech import get_tts

    t0 = time.perf_counter()
    tts = get_tts("piper", threads=args.threads)
    speech = tts.synthesize("Warm up.")
    print(f"voice load + warm-up: {time.perf_counter() - t0:.2f} s")

    rtfs, anim = [], []
    for _ in range(args.repeats):
        t = time.perf_counter()
        speech = tts.synthesize(PARAGRAPH)
        rtfs.append((time.perf_counter() - t) / speech.audio.duration)
        t = time.perf_counter()
        cues = mouth_cues(speech.timeline)
        track = animate(speech, 25.0, cues=cues)
        anim.append(time.perf_counter() - t)
    print(f"audio: {speech.audio.duration:.2f} s, {len(speech.timeline.phonemes)} phonemes, "
          f"{len(cues)} cues, {track.n_frames} frames")
    print(f"piper RTF on {args.threads} thread(s): median {statistics.median(rtfs):.3f} "
          f"(min {min(rtfs):.3f}, max {max(rtfs):.3f}, n={len(rtfs)})")
    print(f"mouth_cues + animate: median {statistics.median(anim) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
