"""A persona's head in 3-D: ``export_head(persona, "head.glb")`` (or ``.obj``); see :mod:`.mesh`."""

from __future__ import annotations

import os
from pathlib import Path

from .mesh import HeadMesh, build_head

__all__ = ["HeadMesh", "build_head", "export_head"]


def export_head(persona, path: str | os.PathLike) -> list[Path]:
    """Build ``persona``'s head and write it; returns the files written."""
    from .._fs import check_writable
    from .gltf import write_glb, write_obj

    out = check_writable(path, suffixes=(".glb", ".obj"))
    head = build_head(persona.photo, persona.face)
    if out.suffix.lower() == ".obj":
        return write_obj(head, out)
    return [write_glb(head, out, name=persona.name)]
