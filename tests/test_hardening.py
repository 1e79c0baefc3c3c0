"""Fixes from a hostile run against the CLI and the server (issue 15), each reproduced here.

Every case drives the real code (CLI ``main``, the library, or a real server process) and checks
what a user would see: a clear ``error:``/``hint:``, a non-zero exit, and nothing half-written.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA
from digihuman.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli_env(**extra) -> dict:
    """Environment for a ``python -m digihuman`` child that imports this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


# ---- 2: invalid UTF-8 text --------------------------------------------------------------------------
def test_invalid_utf8_text_is_refused_before_rendering(capsys, home, tmp_path, monkeypatch):
    # What Python makes of the bytes b"Hello \xff\xfe there." in argv (surrogateescape)
    bad = os.fsdecode(b"Hello \xff\xfe there.")
    code, _, err = run(capsys, "say", bad, "-o", str(tmp_path / "out.mp4"))
    assert code == 2 and "error:" in err and "UTF-8" in err and "hint:" in err
    assert list(tmp_path.iterdir()) == []
    # the same bytes on standard input
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Hello \xff\xfe there."), encoding="utf-8"))
    code, _, err = run(capsys, "say", "--file", "-", "-o", str(tmp_path / "out.mp4"))
    assert code == 2 and "UTF-8" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_invalid_unicode_is_refused_by_the_library():
    from digihuman.errors import TextError
    from digihuman.text import prepare_text

    with pytest.raises(TextError, match="UTF-8"):
        prepare_text("Hi \ud800 there.")  # a lone surrogate, e.g. from JSON "\ud800"


# ---- 4: a full disk ---------------------------------------------------------------------------------
@pytest.fixture
def tiny_disk(tmp_path):
    """A 16 KiB tmpfs: too small for any video (root only; skipped where mounting is not allowed)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({r.stderr.strip() or 'not root'})")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_is_a_clear_error_and_leaves_nothing(capsys, home, tiny_disk):
    code, _, err = run(capsys, "say", "Hello there.", "-o", str(tiny_disk / "out.mp4"),
                       "--timeline", str(tiny_disk / "out.json"), "--cues", str(tiny_disk / "out.tsv"))
    assert code == 3 and "disk is full" in err and "hint:" in err and "Traceback" not in err
    assert list(tiny_disk.iterdir()) == []


def test_outputs_are_all_or_none(capsys, home, tmp_path, monkeypatch):
    """The disk fills while the timeline is written after the MP4: no MP4 either, exit code 3."""
    import errno

    import digihuman.lipsync as lipsync

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(lipsync, "write_timeline_json", full)
    code, _, err = run(capsys, "say", "Hello there.", "-o", str(tmp_path / "out.mp4"),
                       "--timeline", str(tmp_path / "out.json"))
    assert code == 3 and "disk is full" in err
    assert list(tmp_path.iterdir()) == []


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except FileNotFoundError:  # renamed into place meanwhile
        return 0


# ---- 7: kill -9 of say leaves a hidden partial MP4 --------------------------------------------------
def test_partial_mp4_of_a_killed_say_is_removed_by_the_next_run(home, tmp_path):
    import signal
    import time

    text = " ".join(["This sentence is long enough to keep the renderer busy for a while."] * 6)
    proc = subprocess.Popen([sys.executable, "-m", "digihuman", "-q", "say", text, "-o", str(tmp_path / "a.mp4")],
                            env=cli_env(DIGIHUMAN_HOME=str(home)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        partial = []
        while not partial and time.monotonic() < deadline and proc.poll() is None:
            partial = [p for p in tmp_path.iterdir() if ".a.mp4." in p.name and _size(p) > 0]
            time.sleep(0.05)
        assert partial, f"no partial MP4 appeared: {proc.stderr.read() if proc.poll() is not None else ''}"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert [p for p in tmp_path.iterdir() if ".a.mp4." in p.name]  # what kill -9 leaves
    from digihuman import say

    say("Hi.", tmp_path / "b.mp4")  # a later run writing to the same folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.mp4"]
