"""Intelligibility: word error rate of an independent recogniser (Whisper base, which neither TTS
was built with) on 20 sentences per voice family, side by side.

Families: Kokoro en (af_heart), piper en (joe), Kokoro es (ef_dora), Kokoro fr (ff_siwis).
Target (issue 9): Kokoro English WER <= piper's. Sentences: benchmarks/data/wer_sentences.json
(written for this benchmark, never tuned on). Text is compared lower-cased without punctuation,
with the few number words of the sentences written as digits on both sides.

Run: python benchmarks/bench_wer.py [--n 20]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

SENTENCES = Path(__file__).parent / "data" / "wer_sentences.json"
FAMILIES = [("Kokoro en (af_heart)", "kokoro:af_heart", "en"), ("piper en (joe)", "piper", "en"),
            ("Kokoro es (ef_dora)", "kokoro:ef_dora", "es"), ("Kokoro fr (ff_siwis)", "kokoro:ff_siwis", "fr")]
NUMBERS = {"two hundred": "200", "twenty": "20", "three": "3", "nine": "9", "ten": "10",
           "nueve": "9", "tres": "3", "ocho": "8", "neuf": "9", "trois": "3", "huit": "8"}


def normalise(text: str) -> list[str]:
    t = unicodedata.normalize("NFC", text.lower()).replace("’", "'")
    t = re.sub(r"[^\w\s']", " ", t)
    for word, digits in NUMBERS.items():
        t = re.sub(rf"\b{word}\b", digits, t)
    return t.replace("'", " ").split()


def edits(ref: list[str], hyp: list[str]) -> int:
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20, help="sentences per family")
    args = ap.parse_args()
    from digihuman.audio.io import resample
    from digihuman.recognition import whisper
    from digihuman.speech.voices import tts_for_voice

    data = json.loads(SENTENCES.read_text(encoding="utf-8"))
    wer = {}
    for label, voice, lang in FAMILIES:
        tts, note = tts_for_voice(voice, lang)
        if note:
            print(f"note: {note}")
        errors = words = 0
        t0 = time.perf_counter()
        for sentence in data[lang][: args.n]:
            audio = resample(tts.synthesize(sentence).audio, 16000)
            _, heard = whisper.transcribe(audio.samples, lang)
            ref, hyp = normalise(sentence), normalise(" ".join(w.text for w in heard))
            e = edits(ref, hyp)
            errors, words = errors + e, words + len(ref)
            if e:
                print(f"  [{label}] {sentence!r} -> {' '.join(hyp)!r}")
        wer[label] = 100.0 * errors / max(1, words)
        report(f"WER {label}, {args.n} sentences", wer[label], "%")
        print(f"  ({time.perf_counter() - t0:.0f} s)")
    kokoro, piper = wer[FAMILIES[0][0]], wer[FAMILIES[1][0]]
    report("WER Kokoro en minus piper en", kokoro - piper, "points", "<= 0")


if __name__ == "__main__":
    main()
    sys.exit(finish())
