"""Play audio through the system's speakers with whatever standard player is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import BackendUnavailable
from ..types import Audio
from .io import write_wav

PLAYERS = (("paplay", []), ("aplay", ["-q"]), ("ffplay", ["-nodisp", "-autoexit", "-loglevel", "quiet"]),
           ("play", ["-q"]), ("afplay", []))


def play(audio: Audio) -> None:
    """Play ``audio`` and wait until it ends."""
    for name, args in PLAYERS:
        exe = shutil.which(name)
        if exe:
            with tempfile.TemporaryDirectory() as tmp:
                wav = Path(tmp) / "reply.wav"
                write_wav(wav, audio)
                subprocess.run([exe, *args, str(wav)], check=False)
            return
    raise BackendUnavailable(
        "no audio player found (paplay, aplay, ffplay, play or afplay)",
        "install one (e.g. apt install alsa-utils), or use --video DIR to save replies as videos",
    )
