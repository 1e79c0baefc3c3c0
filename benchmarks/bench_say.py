"""Whole `say` wall time for ~10 s of speech at 512x512 (2 cores), Kokoro and piper side by side,
and persona creation.

Prints per voice: audio seconds, median wall seconds of a warm process, wall / audio (targets:
Kokoro <= 0.6, piper <= 0.3), a cold `digihuman say` process's wall / audio (Kokoro <= 0.8), and
the median time to create a persona from a 1024 px photo (target < 1 s).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, median_time, report  # noqa: E402

TEXT = (
    "Good morning, and welcome to the studio. Today I want to show you how a single photo "
    "and a few lines of text become a talking video. Every word you hear is timed to the "
    "shape of my mouth, and it all runs on an ordinary processor."
)
PHOTO = Path(__file__).parent.parent / "tests" / "data" / "obama2.jpg"


def cold_cli(text: str, out: Path, home: Path, persona: str) -> float:
    """Wall seconds of a fresh `digihuman say` process (start-up and model loads included)."""
    import subprocess

    exe = Path(sys.executable).with_name("digihuman")
    t = time.perf_counter()
    subprocess.run([str(exe), "--home", str(home), "-q", "say", text, "--persona", persona, "-o", str(out)],
                   check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    import digihuman

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        store = digihuman.PersonaStore(home)
        store.create("joe", PHOTO, voice_name="piper")  # the piper voice, for the side-by-side figures
        out = Path(tmp) / "bench.mp4"
        for label, persona, warm_target, cold_target in (("Kokoro af_heart", "default", "<= 0.6", "<= 0.8"),
                                                         ("piper joe", "joe", "<= 0.3", "")):
            digihuman.say("Warm up.", out, persona, home=home)  # load the voice, the face mesh and the encoder once
            c = time.process_time()
            res = digihuman.say(TEXT, out, persona, home=home)
            audio_s = res.duration
            # CPU seconds (all threads) per audio second: on 2 free cores the wall ratio is at least half this
            report(f"say {label}: CPU s per audio s", (time.process_time() - c) / audio_s, "x")
            wall = median_time(lambda: digihuman.say(TEXT, out, persona, home=home), repeat=3)
            report(f"say {label}: audio duration", audio_s, "s")
            report(f"say {label}: wall, 512x512, 2 cores, warm (median of 3)", wall, "s")
            report(f"say {label}: wall / audio, warm", wall / audio_s, "x", warm_target)
            cold = cold_cli(TEXT, out, home, persona)
            report(f"say {label}: cold CLI wall / audio", cold / audio_s, "x", cold_target)

        counter = iter(range(100))
        t = median_time(lambda: store.create(f"p{next(counter)}", PHOTO), repeat=5)
        report("persona create from a 1024 px photo (median of 5)", t, "s", "< 1")


if __name__ == "__main__":
    main()
    sys.exit(finish())
