"""Provenance: every video digihuman makes says that it is synthetic, and by what.

- an invisible, robust watermark in the luma of every frame (:mod:`.video`) and in the speech
  band of the audio (:mod:`.audio`), carrying the tool, a persona hash and the UTC time
  (:mod:`.payload`);
- a signed C2PA manifest declaring the video AI-generated (:mod:`.c2pa_manifest`);
- optionally a visible "AI-generated" caption (:mod:`.label`);
- :func:`verify` reads all of it back from a file (``digihuman verify FILE``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .payload import Payload, make_payload, persona_hash
from .verify import Report, verify

if TYPE_CHECKING:
    from ..persona import Persona

__all__ = ["Payload", "Provenance", "Report", "for_persona", "make_payload", "persona_hash", "persona_id", "verify"]


@dataclass(frozen=True)
class Provenance:
    """What one output carries: the watermark payload and what goes into its C2PA manifest."""

    payload: Payload
    persona: str = ""
    """Persona name (manifest only)."""
    consent: str = ""
    """The persona's consent statement (manifest only)."""
    title: str = ""
    manifest: bool = True
    """Embed a signed C2PA manifest (needs c2pa-python)."""
    home: Path | None = None
    """Home folder whose ``c2pa/`` holds the signing key (None: the default home)."""


def persona_id(who: "Persona") -> int:
    """The 24-bit persona hash: photo pixels + voice (profile or base voice) + consent statement."""
    voice = who.voice.encode()
    if who.voice_profile is not None:
        prof = who.voice_profile
        voice += json.dumps(prof.numbers(), sort_keys=True).encode()
        voice += b"".join(getattr(prof, n).tobytes() for n in ("mcep_shift", "mcep_scale", "mcep_gv", "base_mcep_mean"))
    return persona_hash(who.photo, voice, who.consent.statement)


def for_persona(who: "Persona", title: str = "", *, manifest: bool = True) -> Provenance:
    """The provenance of a video of ``who`` made now."""
    home = who.path.parent.parent if who.path is not None else who.home
    return Provenance(make_payload(persona_id(who)), who.name, who.consent.statement, title, manifest,
                      Path(home) if home is not None else None)

