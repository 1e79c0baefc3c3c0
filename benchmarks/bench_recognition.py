"""Speed and accuracy of digihuman.recognition on ~30 s of real (piper) English speech.

Prints, for one core: forced-alignment real-time factor (target <= 0.1), the no-transcript
path's RTF (Whisper base words + alignment, target <= 0.3; and the pocketsphinx LM fallback), raw allphone phone-recognition RTF, VAD RTF, and
the p/b/m midpoint error (ms) against piper's own phoneme timeline.

    .venv/bin/python benchmarks/bench_recognition.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402
from digihuman.audio.io import resample  # noqa: E402
from digihuman.recognition import recognize  # noqa: E402
from digihuman.recognition import sphinx, vad  # noqa: E402
from digihuman.speech import get_tts  # noqa: E402
from digihuman.types import Audio  # noqa: E402

SENTENCES = [
    "Bob met Pam at the park, and my mom bought a large map.",
    "Peter picked a bunch of purple plums from the big maple tree.",
    "Maybe the moon will be bright tomorrow, but the bay will be misty.",
    "Please bring me the blue paper bag from the top of the cupboard.",
    "My brother plays the piano, and my sister paints pictures of boats.",
    "We built a small boat, and we paddled past the empty beach.",
    "The happy puppy jumped up and bumped into the mailbox.",
    "Mix the butter, the milk and the maple syrup, then bake it for an hour.",
]
PBM = ("p", "b", "m")


def build(target: float = 30.0):
    """Concatenate piper sentences (with their true timelines shifted) to ~target seconds."""
    tts = get_tts("piper")
    xs, truth, words, t = [], [], [], 0.0
    i = 0
    while t < target:
        sp = tts.synthesize(SENTENCES[i % len(SENTENCES)])
        a = resample(sp.audio, 16000)
        xs.append(a.samples)
        truth += [(t + (p.start + p.end) / 2, p.symbol.strip("ˈˌː")) for p in sp.timeline.phonemes]
        words.append(SENTENCES[i % len(SENTENCES)])
        t += a.duration
        i += 1
    return Audio(np.concatenate(xs), 16000), truth, " ".join(words)


def pbm_error_ms(tl, truth) -> np.ndarray:
    got = np.array([(p.start + p.end) / 2 for p in tl.phonemes if p.symbol in PBM])
    return np.array([np.abs(got - m).min() * 1000 for m, s in truth if s in PBM])


def main() -> None:
    audio, truth, text = build()
    d = audio.duration
    print(f"audio: {d:.1f} s of piper speech, {sum(s in PBM for _, s in truth)} p/b/m")
    recognize(Audio(audio.samples[:16000], 16000), "Bob met")  # load decoders + VAD once
    sphinx.decoder("lm"), sphinx.decoder("phone")

    t = time.perf_counter()
    vad.speech_segments(audio.samples)
    print(f"VAD:                         RTF {(time.perf_counter() - t) / d:.3f}")

    t = time.perf_counter()
    tl, warn = recognize(audio, text)
    rtf = (time.perf_counter() - t) / d
    err = pbm_error_ms(tl, truth)
    report("forced alignment (total): RTF", rtf, "x", "<= 0.1")
    print(f"  warnings={warn}")
    print(f"  p/b/m midpoint error: median {np.median(err):.0f} ms, 90th pct {np.percentile(err, 90):.0f} ms,"
          f" within 60 ms: {np.mean(err <= 60) * 100:.0f} %")

    from digihuman.recognition import whisper

    if whisper.available():
        whisper._model()  # loaded once, like the decoders above
        t = time.perf_counter()
        tl2, warn2 = recognize(audio)
        rtf2 = (time.perf_counter() - t) / d
        err2 = pbm_error_ms(tl2, truth)
        report("no transcript (Whisper base + align, 2 threads): RTF", rtf2, "x", "<= 0.3")
        print(f"  p/b/m midpoint error: median {np.median(err2):.0f} ms, within 60 ms: {np.mean(err2 <= 60) * 100:.0f} %")
        clip = Audio(audio.samples[: 16000 * 5], 16000)
        t = time.perf_counter()
        recognize(clip)
        print(f"  a 5 s clip: RTF {(time.perf_counter() - t) / 5:.3f} (Whisper encodes a full 30 s window per call)")
    else:
        print("no transcript (Whisper): not installed (make install)")
    saved, whisper.available = whisper.available, lambda: False
    try:
        t = time.perf_counter()
        tl3, _ = recognize(audio)
        rtf4 = (time.perf_counter() - t) / d
    finally:
        whisper.available = saved
    err4 = pbm_error_ms(tl3, truth)
    print(f"no transcript, pocketsphinx LM fallback: RTF {rtf4:.3f}")
    print(f"  p/b/m midpoint error: median {np.median(err4):.0f} ms, within 60 ms: {np.mean(err4 <= 60) * 100:.0f} %")

    pcm = audio.to_int16()
    t = time.perf_counter()
    phones = sphinx.recognize_phones(pcm)
    rtf3 = (time.perf_counter() - t) / d
    mids = np.array([(p.start + p.end) / 2 * 0.01 for p in phones if p.name in ("P", "B", "M")])
    err3 = np.array([np.abs(mids - m).min() * 1000 if mids.size else 1e9 for m, s in truth if s in PBM])
    print(f"allphone phone recognition:  RTF {rtf3:.3f}  p/b/m median error {np.median(err3):.0f} ms")


if __name__ == "__main__":
    main()
    sys.exit(finish())
