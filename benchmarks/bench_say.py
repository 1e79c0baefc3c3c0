"""Whole `say` wall time for ~10 s of speech at 512x512 (2 cores, warm process), and persona creation.

Prints: audio seconds, median wall seconds, wall / audio ratio (target <= 0.3), and the median
time to create a persona from a 1024 px photo (target < 1 s).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, median_time, report  # noqa: E402

TEXT = (
    "Good morning, and welcome to the studio. Today I want to show you how a single photo "
    "and a few lines of text become a talking video. Every word you hear is timed to the "
    "shape of my mouth, and it all runs on an ordinary processor."
)
PHOTO = Path(__file__).parent.parent / "tests" / "data" / "obama2.jpg"


def main() -> None:
    import digihuman

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.mp4"
        res = digihuman.say("Warm up.", out)  # load the voice, the face mesh and the encoder once
        res = digihuman.say(TEXT, out)
        audio_s = res.duration
        wall = median_time(lambda: digihuman.say(TEXT, out), repeat=3)
        report("say: audio duration", audio_s, "s")
        report("say: wall time, 512x512, 2 cores (median of 3)", wall, "s")
        report("say: wall / audio", wall / audio_s, "x", "<= 0.3")

        store = digihuman.PersonaStore(Path(tmp) / "home")
        counter = iter(range(100))
        t = median_time(lambda: store.create(f"p{next(counter)}", PHOTO), repeat=5)
        report("persona create from a 1024 px photo (median of 5)", t, "s", "< 1")


if __name__ == "__main__":
    main()
    sys.exit(finish())
