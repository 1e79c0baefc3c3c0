"""BVH (Biovision Hierarchy) files: :class:`MotionClip` <-> text.

Written files put 6 channels on the root (``Xposition Yposition Zposition Zrotation Xrotation
Yrotation``) and 3 on every other joint (``Zrotation Xrotation Yrotation``), i.e. the clip's
own :data:`~.skeleton.ROTATION_ORDER`, so angles are written as they are stored. Leaf joints get
an ``End Site``. Lengths are metres by default (Blender's BVH import then needs no scale);
``scale=100`` writes centimetres.

The reader accepts any rotation channel order (angles are converted through matrices), a
root with or without position channels, and files in other units (``scale``). Position
channels on non-root joints are not supported (an :class:`~digihuman.errors.InputError`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from .._fs import write_text_atomic
from ..errors import InputError
from .skeleton import (ROTATION_ORDER, Joint, MotionClip, Skeleton, euler_to_matrix, humanoid,
                       matrix_to_euler)

_ROT = {"X": 0, "Y": 1, "Z": 2}


def bvh_text(clip: MotionClip, *, scale: float = 1.0, decimals: int = 4) -> str:
    """The BVH document of ``clip``; lengths are multiplied by ``scale`` (1 = metres)."""
    sk = clip.skeleton
    rot_channels = " ".join(f"{a}rotation" for a in ROTATION_ORDER)
    lines = ["HIERARCHY"]

    def fmt(v) -> str:
        return " ".join(f"{x * scale:.6f}" for x in v)

    def emit(i: int, depth: int) -> None:
        j = sk.joints[i]
        pad = "  " * depth
        lines.append(f"{pad}{'ROOT' if j.parent < 0 else 'JOINT'} {j.name}")
        lines.append(f"{pad}{{")
        lines.append(f"{pad}  OFFSET {fmt(j.offset)}")
        if j.parent < 0:
            lines.append(f"{pad}  CHANNELS 6 Xposition Yposition Zposition {rot_channels}")
        else:
            lines.append(f"{pad}  CHANNELS 3 {rot_channels}")
        kids = sk.children(i)
        for k in kids:
            emit(k, depth + 1)
        if not kids:
            lines.append(f"{pad}  End Site")
            lines.append(f"{pad}  {{")
            lines.append(f"{pad}    OFFSET {fmt(j.end or (0.0, 0.0, 0.0))}")
            lines.append(f"{pad}  }}")
        lines.append(f"{pad}}}")

    emit(0, 0)
    order = _write_order(sk)
    lines += ["MOTION", f"Frames: {clip.n_frames}", f"Frame Time: {clip.frame_time:.8f}"]
    cols = [_ROT[a] for a in ROTATION_ORDER]
    data = np.concatenate([clip.root_position * scale,
                           clip.rotations[:, order][:, :, cols].reshape(clip.n_frames, -1)], axis=1)
    f = f"%.{decimals}f"
    lines += [" ".join(f % v for v in row) for row in data]
    return "\n".join(lines) + "\n"


def write_bvh(clip: MotionClip, path: str | os.PathLike, *, scale: float = 1.0) -> Path:
    """Write ``clip`` to ``path`` atomically (complete or absent). Returns the path."""
    path = Path(path)
    write_text_atomic(path, bvh_text(clip, scale=scale))
    return path


def _write_order(sk: Skeleton) -> list[int]:
    """Joint indices in the depth-first order in which the hierarchy (and so MOTION) lists them."""
    out: list[int] = []

    def visit(i: int) -> None:
        out.append(i)
        for k in sk.children(i):
            visit(k)

    visit(0)
    return out


def read_bvh(path: str | os.PathLike, *, scale: float = 1.0) -> MotionClip:
    """Read a BVH file; lengths are multiplied by ``scale`` (0.01 for a file in centimetres)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        raise InputError(f"cannot read {p}: {e.strerror or e}", "check the path") from None
    return parse_bvh(text, scale=scale, source=str(p))


def parse_bvh(text: str, *, scale: float = 1.0, source: str = "BVH") -> MotionClip:
    """Parse BVH text into a :class:`MotionClip` with the file's own skeleton (joints in the
    file's depth-first order; :func:`~.skeleton.humanoid` itself, limits included, when the file
    has exactly its joints and offsets)."""
    head, sep, motion = re.split(r"\b(MOTION)\b", text, maxsplit=1) if "MOTION" in text else (text, "", "")
    if not sep or "HIERARCHY" not in head:
        raise InputError(f"{source} is not a BVH file (no HIERARCHY/MOTION sections)",
                         "give a .bvh file such as one written by 'digihuman gesture'")
    tok = head.split("HIERARCHY", 1)[1].replace("{", " { ").replace("}", " } ").split()
    joints: list[dict] = []
    stack: list[int] = []
    i = 0
    try:
        while i < len(tok):
            t = tok[i]
            if t in ("ROOT", "JOINT"):
                joints.append({"name": tok[i + 1], "parent": stack[-1] if stack else -1,
                               "offset": (0.0, 0.0, 0.0), "channels": [], "end": None})
                stack.append(len(joints) - 1)
                i += 2
            elif t == "End":  # End Site { OFFSET x y z }
                joints[stack[-1]]["end"] = tuple(float(v) * scale for v in tok[i + 4:i + 7])
                i += 8
            elif t == "OFFSET":
                joints[stack[-1]]["offset"] = tuple(float(v) * scale for v in tok[i + 1:i + 4])
                i += 4
            elif t == "CHANNELS":
                n = int(tok[i + 1])
                joints[stack[-1]]["channels"] = tok[i + 2:i + 2 + n]
                i += 2 + n
            elif t == "}":
                stack.pop()
                i += 1
            else:
                i += 1
        lines = [ln for ln in motion.strip().splitlines() if ln.strip()]
        n_frames = int(lines[0].split(":")[1])
        frame_time = float(lines[1].split(":")[1])
        values = np.array([[float(v) for v in ln.split()] for ln in lines[2:2 + n_frames]], dtype=np.float64)
    except (IndexError, ValueError) as e:
        raise InputError(f"{source}: malformed BVH ({e})", "re-export the file from your animation tool") from None
    n_channels = sum(len(j["channels"]) for j in joints)
    if not joints or values.shape != (n_frames, n_channels) or frame_time <= 0:
        raise InputError(f"{source}: the MOTION data does not match the hierarchy "
                         f"({values.shape} values for {n_frames} frames x {n_channels} channels)",
                         "re-export the file from your animation tool")
    root = np.tile(np.asarray(joints[0]["offset"]), (n_frames, 1))
    rotations = np.zeros((n_frames, len(joints), 3))
    col = 0
    for k, j in enumerate(joints):
        m = np.tile(np.eye(3), (n_frames, 1, 1))
        for ch in j["channels"]:
            v = values[:, col]
            col += 1
            axis = ch[0].upper()
            if ch.lower().endswith("position"):
                if k != 0:
                    raise InputError(f"{source}: joint {j['name']} has position channels",
                                     "only the root may have position channels here")
                root[:, _ROT[axis]] = v * scale
            else:
                e = np.zeros((n_frames, 3))
                e[:, _ROT[axis]] = v
                m = m @ euler_to_matrix(e)  # channels apply left to right: R = R1 @ R2 @ R3
        rotations[:, k] = matrix_to_euler(m)
    sk = Skeleton(tuple(Joint(j["name"], j["parent"], j["offset"],
                              end=j["end"]) for j in joints))
    std = humanoid()
    if sk.names == std.names and np.allclose(sk.offsets, std.offsets, atol=1e-4):
        sk = std  # our own skeleton: keep its joint limits
    return MotionClip(sk, frame_time, root, rotations)
