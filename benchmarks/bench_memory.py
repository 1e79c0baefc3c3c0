"""Peak memory of `say` for a ~60 s script at 1024x1024 (frames must stream to the encoder).

Runs the job in a child process and reads its peak resident set size (target <= 1 GB).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import report  # noqa: E402

SENTENCES = [
    "This is a long script that keeps going for about a minute.",
    "Talking-head tools often run out of memory on scripts like this one.",
    "Frames here flow from the renderer straight into the encoder.",
    "So the memory in use should stay flat from the first second to the last.",
]
CHILD = """
import sys, digihuman
res = digihuman.say(open(sys.argv[1]).read(), sys.argv[2], options=digihuman.SayOptions(size=1024))
print(res.duration, res.n_frames)
"""


def main() -> None:
    text = " ".join(SENTENCES * 4)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "script.txt"
        script.write_text(text)
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, str(script), str(Path(tmp) / "long.mp4")],
                             check=True, capture_output=True, text=True).stdout.split()
        wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report("long say: audio duration", float(out[0]), "s")
    report("long say: frames at 1024x1024", float(out[1]), "frames")
    report("long say: wall time (cold process)", wall, "s")
    report("long say: peak RSS", peak_mb, "MB", "<= 1024")


if __name__ == "__main__":
    main()
