"""Lip sync for recorded speech, judged by re-detecting landmarks on the output video.

1. Accuracy: piper speech (whose phoneme timeline is exact) is saved as a WAV and lip-synced back
   with and without its transcript; MediaPipe re-detects the lips on every output frame and we
   count p/b/m phonemes with a closed mouth (target >= 90 %) and open vowels held >= 60 ms with
   an open mouth (target >= 90 %).
2. Long audio: 10 minutes of speech through `lipsync_audio` with its transcript: wall time and
   peak memory (bounded: frames stream to the encoder), in a child process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

SCRIPT = (
    "Bob met Pam at the park by the map shop. My mom bought a big lamp, and Pat paid for both. "
    "Maybe the bakery has muffins, plums and apple pie. Papa's happy band played on, and we "
    "laughed about the parrot that mumbled the same word all summer."
)
BILABIALS = {"p", "b", "m"}
OPEN_VOWELS = {"ɑ", "æ", "a", "aɪ", "aʊ", "ɑː", "ʌ", "ɔ", "ɔː"}
CLOSED_MAX, OPEN_MIN = 0.06, 0.12  # lip gap / mouth width
CHILD = """
def peak_mb():  # VmHWM: this process's own peak; ru_maxrss would include the forking parent's
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
import sys, time, digihuman
t = time.perf_counter()
res = digihuman.lipsync_audio(sys.argv[1], sys.argv[2], transcript=open(sys.argv[3]).read())
print(res.duration, res.n_frames, time.perf_counter() - t, peak_mb())
"""


def gaps_of(video: Path) -> list[float | None]:
    from digihuman.face.landmarks import detect_landmarks, measure
    from digihuman.video.encoder import read_frames

    out = []
    for frame in read_frames(video):
        pts = detect_landmarks(frame)
        out.append(None if pts is None else measure(pts)["lip_gap_ratio"])
    return out


def frames_over(start: float, end: float, fps: float, n: int) -> range:
    return range(max(0, int(np.floor(start * fps - 0.5))), min(n - 1, int(np.ceil(end * fps - 0.5))) + 1)


def score(truth, gaps, fps=25.0) -> tuple[float, float, int, int]:
    base = [(p.symbol.replace("ˈ", "").replace("ˌ", ""), p.start, p.end) for p in truth.phonemes]
    closed = [min((gaps[i] for i in frames_over(s - 0.02, e + 0.02, fps, len(gaps)) if gaps[i] is not None),
                  default=1.0) <= CLOSED_MAX for sym, s, e in base if sym in BILABIALS]
    opened = [max((gaps[i] for i in frames_over(s, e, fps, len(gaps)) if gaps[i] is not None),
                  default=0.0) >= OPEN_MIN for sym, s, e in base if sym in OPEN_VOWELS and e - s >= 0.06]
    return 100 * np.mean(closed), 100 * np.mean(opened), len(closed), len(opened)


def accuracy() -> None:
    import digihuman
    from digihuman.audio import write_wav
    from digihuman.persona import Persona
    from digihuman.pipeline import SayOptions, speak

    speech = speak(SCRIPT, Persona.default(), SayOptions())
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        write_wav(wav, speech.audio)
        for label, transcript in (("with transcript", SCRIPT), ("without transcript", None)):
            out = Path(tmp) / "out.mp4"
            t0 = time.perf_counter()
            digihuman.lipsync_audio(wav, out, transcript=transcript)
            took = time.perf_counter() - t0
            closed, opened, n_c, n_o = score(speech.timeline, gaps_of(out))
            report(f"lipsync {label}: p/b/m closed ({n_c})", closed, "%", ">= 90")
            report(f"lipsync {label}: open vowels open ({n_o})", opened, "%", ">= 90")
            report(f"lipsync {label}: wall / audio (2 cores)", took / speech.audio.duration, "x")


def long_audio(minutes: float = 10.0) -> None:
    from digihuman.audio import write_wav
    from digihuman.persona import Persona
    from digihuman.pipeline import SayOptions, speak
    from digihuman.types import Audio

    speech = speak(SCRIPT, Persona.default(), SayOptions())
    reps = int(np.ceil(minutes * 60 / speech.audio.duration))
    gap = np.zeros(int(0.4 * speech.audio.sample_rate), np.float32)
    samples = np.concatenate([np.concatenate([speech.audio.samples, gap])] * reps)
    with tempfile.TemporaryDirectory() as tmp:
        wav, txt = Path(tmp) / "long.wav", Path(tmp) / "long.txt"
        write_wav(wav, Audio(samples, speech.audio.sample_rate))
        txt.write_text(" ".join([SCRIPT] * reps))
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, str(wav), str(Path(tmp) / "long.mp4"), str(txt)],
                             check=True, capture_output=True, text=True, env=os.environ | {"OMP_NUM_THREADS": "1"})
        wall = time.perf_counter() - t0
    audio_s, n_frames, _, peak = map(float, out.stdout.split())
    report("long lipsync: audio duration", audio_s / 60, "min")
    report("long lipsync: frames", n_frames, "frames")
    report("long lipsync: wall / audio (2 cores, cold process)", wall / audio_s, "x")
    report("long lipsync: peak RSS", peak, "MB")


if __name__ == "__main__":
    accuracy()
    long_audio(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0)
    sys.exit(finish())
