"""Peak memory of `say` for a ~60 s script at 1024x1024 (frames must stream to the encoder).

Runs the job in a child process and reads its peak resident set size (target <= 1 GB).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

SENTENCES = [
    "This is a long script that keeps going for about a minute.",
    "Talking-head tools often run out of memory on scripts like this one.",
    "Frames here flow from the renderer straight into the encoder.",
    "So the memory in use should stay flat from the first second to the last.",
]
CHILD = """
def peak_mb():  # VmHWM: this process's own peak; ru_maxrss would include the forking parent's
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
import sys, digihuman
res = digihuman.say(open(sys.argv[1]).read(), sys.argv[2], options=digihuman.SayOptions(size=1024))
print(res.duration, res.n_frames, peak_mb())
"""


def run_child(text: str) -> tuple[float, float, float]:
    """(audio seconds, wall seconds, peak RSS MB) of one `say` at 1024 px in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "script.txt"
        script.write_text(text)
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(script), str(Path(tmp) / "long.mp4")],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        out, _ = proc.communicate()
        wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"child failed with {proc.returncode}")
    audio_s, _, peak = map(float, out.split())  # the child's own peak (VmHWM)
    return audio_s, wall, peak


def main() -> None:
    short_s, _, short_peak = run_child(" ".join(SENTENCES))  # ~14 s: the baseline
    long_s, wall, long_peak = run_child(" ".join(SENTENCES * 5))  # ~70 s
    report("short say: audio duration", short_s, "s")
    report("short say: peak RSS (1024x1024)", short_peak, "MB")
    report("long say: audio duration", long_s, "s")
    report("long say: wall time (cold process, 2 cores)", wall, "s")
    report("long say: peak RSS (1024x1024)", long_peak, "MB", "<= 1024")
    report("growth per minute of video", (long_peak - short_peak) / ((long_s - short_s) / 60), "MB/min")


if __name__ == "__main__":
    main()
    sys.exit(finish())
