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
