"""``mocap``: video -> the person's motion as BVH (and an animated glTF mannequin, face parameters)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from .._fs import atomic_paths, check_writable
from ..types import FACE_PARAMS, FaceTrack
from .motion import Capture, capture


def face_json(track: FaceTrack, times) -> str:
    """The face parameters per frame as JSON: ``{"fps", "params", "frames": [{"time", name: value}]}``."""
    rows = [{"time": round(float(t), 4)} | {k: round(v, 4) for k, v in track.frame(i).items()}
            for i, t in enumerate(times)]
    return json.dumps({"fps": track.fps, "params": list(FACE_PARAMS), "frames": rows}, indent=1)


def mocap(video: str | os.PathLike, output: str | os.PathLike, *, glb: str | os.PathLike | None = None,
          face: str | os.PathLike | None = None, person: int = 1,
          progress: Callable[[int, int], None] | None = None) -> tuple[Capture, list[Path]]:
    """Capture ``video`` and write the motion to ``output`` (.bvh), and if given ``glb`` (.glb) and
    ``face`` (.json); all outputs or none. Returns the capture and the paths written."""
    from ..body.bvh import write_bvh
    from ..body.gltf import write_glb

    out = check_writable(output, suffixes=(".bvh",))
    glb_path = check_writable(glb, suffixes=(".glb",)) if glb is not None else None
    face_path = check_writable(face, suffixes=(".json",)) if face is not None else None
    cap = capture(video, person=person, face=face_path is not None, progress=progress)
    with atomic_paths(out, glb_path, face_path) as (t_bvh, t_glb, t_face):
        write_bvh(cap.clip, t_bvh)
        if t_glb is not None:
            write_glb(cap.clip, t_glb)
        if t_face is not None:
            Path(t_face).write_text(face_json(cap.face, cap.times), encoding="utf-8")
    return cap, [p for p in (out, glb_path, face_path) if p is not None]
