"""``gesture``: text -> speech timing -> body motion -> BVH (and glTF), without rendering video."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .._fs import atomic_paths, check_writable
from ..types import Speech
from .skeleton import MotionClip, limit_violations

BVH_FPS = 30.0  # frames per second of exported motion (the usual rate of motion-capture files)


@dataclass(frozen=True)
class GestureResult:
    bvh: Path
    clip: MotionClip = field(repr=False)
    speech: Speech = field(repr=False)
    glb: Path | None = None
    n_strokes: int = 0


def gesture(text: str, output: str | os.PathLike, persona=None, *, glb: str | os.PathLike | None = None,
            options=None, fps: float = BVH_FPS, home: str | os.PathLike | None = None) -> GestureResult:
    """Synthesise ``text`` in ``persona``'s voice (for its timing only) and write the body motion
    to ``output`` (.bvh) and, if given, an animated mannequin to ``glb`` (.glb); all or nothing."""
    from ..pipeline import SayOptions, check_options, resolve_persona, speak
    from ..speech.languages import resolve_language
    from ..text import prepare_text
    from .bvh import write_bvh
    from .gesture import gesture_motion
    from .gltf import write_glb
    from .plan import plan_gestures

    options = options or SayOptions()
    check_options(options)
    out = check_writable(output, suffixes=(".bvh",))
    glb_path = check_writable(glb, suffixes=(".glb",)) if glb is not None else None
    who = resolve_persona(persona, home)
    prepare_text(text, lang=resolve_language(options.lang or who.lang).code)
    speech = speak(text, who, options)
    clip = gesture_motion(speech.timeline, text, options.emotion, strength=options.emotion_strength,
                          fps=fps, seed=options.seed)
    assert not limit_violations(clip)  # synthesis clips every angle into the limits
    with atomic_paths(out, glb_path) as (tmp_bvh, tmp_glb):
        write_bvh(clip, tmp_bvh)
        if tmp_glb is not None:
            write_glb(clip, tmp_glb)
    plan = plan_gestures(speech.timeline, text, options.emotion, options.emotion_strength, options.seed)
    return GestureResult(out, clip, speech, glb_path, len(plan.strokes))
