"""Voice expression: does each emotion move pitch level, pitch range, rate and loudness the way
digihuman.emotion.prosody documents, on the same sentence, for every voice family?

For each family (piper for English; eSpeak NG for other languages; any backend that
digihuman.speech.languages serves goes through the same `speak`), the sentence is spoken neutral
and with each emotion at full intensity. Measured with Praat (independent of the WORLD analysis
that shifts the pitch): median F0 (semitones vs neutral), pitch range (10-90th percentile span,
ratio vs neutral), duration (rate = neutral / emotion duration), loudness (dB of the voiced frames).
A check passes when a change the table asks for (>= 1 st, >= 15 % range, >= 5 % rate, >= 0.4 dB)
is measured in the same direction and at least 40 % of its asked size. Each figure is the mean
of REPEAT syntheses (piper draws its phoneme durations and level anew on every call). Praat
reads piper's raw voice (period-doubled cycles) an octave low but its WORLD resynthesis right, so
the neutral baseline goes through the same WORLD pass at 0 semitones, unchanged range.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, pin_one_core, report  # noqa: E402

pin_one_core()
import numpy as np  # noqa: E402

FAMILIES = (("piper", "en", "Well, hello there, my old friend. I did not expect to see you here today."),
            ("espeak", "es", "Hola, amigo mío. No esperaba verte aquí hoy, en esta ciudad."))


def measure(audio) -> dict[str, float]:
    import parselmouth

    x = audio.samples.astype(np.float64)
    snd = parselmouth.Sound(x, audio.sample_rate)
    f0 = snd.to_pitch(pitch_floor=60, pitch_ceiling=500).selected_array["frequency"]
    f0 = f0[f0 > 0]
    st = 12 * np.log2(f0 / 100.0)
    hop = audio.sample_rate // 100
    e = (x[: len(x) // hop * hop].reshape(-1, hop) ** 2).mean(1)
    loud = 10 * np.log10(e[e > e.max() * 1e-3].mean())
    return {"pitch": float(np.median(st)), "range": float(np.percentile(st, 90) - np.percentile(st, 10)),
            "duration": audio.duration, "loud": float(loud)}


REPEAT = 3


def spoken(text, who, options):
    """Mean measures over REPEAT syntheses; neutral through the same WORLD pass as the others."""
    from dataclasses import replace

    from digihuman.pipeline import speak

    if options.emotion == "neutral":
        options = replace(options, pitch_range=1.002)  # forces the WORLD pass, no audible change
    ms = [measure(speak(text, who, options).audio) for _ in range(REPEAT)]
    return {k: float(np.mean([m[k] for m in ms])) for k in ms[0]}


def main() -> int:
    from digihuman.dialog.types import EMOTIONS
    from digihuman.emotion.prosody import PROSODY
    from digihuman.pipeline import SayOptions, resolve_persona

    who = resolve_persona(None)
    checks = passed = 0
    for family, lang, text in FAMILIES:
        base = spoken(text, who, SayOptions(lang=lang))
        for emotion in EMOTIONS[1:]:
            m = spoken(text, who, SayOptions(lang=lang, emotion=emotion))
            p = PROSODY[emotion]
            got = {"pitch": m["pitch"] - base["pitch"], "range": m["range"] / max(base["range"], 1e-6),
                   "rate": base["duration"] / m["duration"], "loud": m["loud"] - base["loud"]}
            asked = {"pitch": p.pitch, "range": p.pitch_range, "rate": 1 + p.rate,
                     "loud": 20 * math.log10(1 + p.volume)}
            line = []
            for key, g in got.items():
                a = asked[key]
                centre = 1.0 if key in ("range", "rate") else 0.0
                big = {"pitch": 1.0, "range": 0.15, "rate": 0.05, "loud": 0.4}[key]
                ok = None
                if abs(a - centre) >= big:
                    ok = (g - centre) * (a - centre) > 0 and abs(g - centre) >= 0.4 * abs(a - centre)
                    checks += 1
                    passed += ok
                line.append(f"{key} {g:+.2f}/{a:+.2f}{'' if ok is None else (' ok' if ok else ' WRONG')}")
            print(f"{family:7s} {emotion:9s} measured/asked: " + "; ".join(line), flush=True)
    report("prosody changes in the documented direction", 100.0 * passed / max(1, checks), f"% of {checks}", ">= 90")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
