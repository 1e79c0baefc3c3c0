"""Write mouth cues and timelines to disk: Rhubarb's TSV and a JSON timeline.

Files are written atomically (a temporary file in the same folder, then ``os.replace``), so a
reader never sees a half-written file, even if we are killed mid-write.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from digihuman._fs import write_text_atomic
from digihuman.types import MouthCue, Speech


def cues_tsv(cues: list[MouthCue]) -> str:
    """Rhubarb's TSV: one ``"%.2f\\t%s"`` line per cue start, then the final X at the end time."""
    lines = [f"{c.start:.2f}\t{c.shape.value}" for c in cues]
    if cues:
        lines.append(f"{cues[-1].end:.2f}\tX")
    return "\n".join(lines) + "\n"


def write_cues_tsv(cues: list[MouthCue], path: str | os.PathLike) -> Path:
    write_text_atomic(path, cues_tsv(cues))
    return Path(path)


def _ms(t: float) -> float:
    return round(float(t), 3)


def timeline_dict(speech: Speech, cues: list[MouthCue]) -> dict:
    """Words, phonemes and mouth cues with times in seconds rounded to ms; JSON-ready."""
    tl = speech.timeline
    return {
        "text": speech.text,
        "duration": _ms(tl.duration),
        "sample_rate": int(speech.audio.sample_rate),
        "words": [{"text": w.text, "start": _ms(w.start), "end": _ms(w.end)} for w in tl.words],
        "phonemes": [{"symbol": p.symbol, "start": _ms(p.start), "end": _ms(p.end)} for p in tl.phonemes],
        "visemes": [{"shape": c.shape.value, "start": _ms(c.start), "end": _ms(c.end)} for c in cues],
    }


def write_timeline_json(speech: Speech, cues: list[MouthCue], path: str | os.PathLike) -> Path:
    write_text_atomic(path, json.dumps(timeline_dict(speech, cues), ensure_ascii=False, indent=1) + "\n")
    return Path(path)
