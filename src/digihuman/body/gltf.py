"""A skinned mannequin with the clip's animation as one binary glTF 2.0 file (``.glb``).

The mannequin is a box per bone (tapered, rigidly bound to its joint, flat normals) built
from the skeleton's rest pose, so any clip on any skeleton gets a body. Nodes carry the rest
offsets; the animation has one rotation channel (unit quaternions, LINEAR) per joint and one
translation channel for the root, sampled at the clip's frame times. Units: metres, Y up,
+Z forward, as glTF expects. Written with the standard library and numpy only; checked in the
tests with the Khronos glTF validator.
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import numpy as np

from .._fs import write_bytes_atomic
from .skeleton import MotionClip, Skeleton, euler_to_matrix

_FLOAT, _USHORT, _UBYTE = 5126, 5123, 5121
_ARRAY, _ELEMENTS = 34962, 34963


def _box(a: np.ndarray, b: np.ndarray, w0: float, w1: float) -> tuple[np.ndarray, np.ndarray]:
    """A tapered box from point a (half-width w0) to b (half-width w1): 24 vertices, 12 triangles."""
    axis = b - a
    length = np.linalg.norm(axis)
    u = axis / length if length > 1e-9 else np.array([0.0, 1.0, 0.0])
    helper = np.array([0.0, 0.0, 1.0]) if abs(u[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    v = np.cross(u, helper)
    v /= np.linalg.norm(v)
    w = np.cross(u, v)
    corners = []
    for end, hw in ((a, w0), (b, w1)):
        for sv, sw in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            corners.append(end + hw * (sv * v + sw * w))
    c = np.array(corners)
    quads = [(0, 3, 2, 1), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5), (2, 3, 7, 6), (3, 0, 4, 7)]
    verts, normals = [], []
    for q in quads:
        p = c[list(q)]
        nrm = np.cross(p[1] - p[0], p[2] - p[0])
        nrm /= max(np.linalg.norm(nrm), 1e-12)
        if np.dot(nrm, p.mean(0) - (a + b) / 2) < 0:  # face outwards
            p, nrm = p[::-1], -nrm
        verts.append(p)
        normals.append(np.tile(nrm, (4, 1)))
    return np.concatenate(verts), np.concatenate(normals)


def _width(name: str) -> float:
    """Half-width (m) of a joint's bone box."""
    for key, hw in (("Hand", 0.04), ("Thumb", 0.009), ("Index", 0.008), ("Middle", 0.008), ("Ring", 0.008),
                    ("Pinky", 0.007), ("ForeArm", 0.035), ("Arm", 0.045), ("UpLeg", 0.07), ("Leg", 0.05),
                    ("Foot", 0.045), ("Toe", 0.04), ("Shoulder", 0.04), ("Neck", 0.05), ("Head", 0.09),
                    ("Spine", 0.13), ("Hips", 0.12)):
        if key in name:
            return hw
    return 0.03


def mannequin(skeleton: Skeleton) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rest-pose mesh: positions (V, 3), normals (V, 3), joint index per vertex (V,), triangles (T, 3)."""
    rest = skeleton.rest_positions()
    pos, nrm, jnt = [], [], []
    for i, j in enumerate(skeleton.joints):
        ends = [rest[k] for k in skeleton.children(i)] or [rest[i] + np.asarray(j.end or (0, 0.05, 0))]
        if "Hand" in j.name and not any(f in j.name for f in ("Thumb", "Index", "Middle", "Ring", "Pinky")):
            ends = [rest[skeleton.index[j.name + "Middle1"]]] if j.name + "Middle1" in skeleton.index else ends
        if j.name.startswith("Spine") or j.name == "Hips":
            ends = [rest[skeleton.children(i)[0]]] if skeleton.children(i) else ends
        for e in ends:
            hw = _width(j.name)
            v, n = _box(rest[i], e, hw, hw * (0.8 if "Head" not in j.name else 1.0))
            pos.append(v)
            nrm.append(n)
            jnt.append(np.full(len(v), i))
    positions = np.concatenate(pos).astype(np.float32)
    tris = []
    for q in range(len(positions) // 4):
        b = 4 * q
        tris += [(b, b + 1, b + 2), (b, b + 2, b + 3)]
    return positions, np.concatenate(nrm).astype(np.float32), np.concatenate(jnt), np.array(tris, np.uint16)


def matrix_to_quat(m: np.ndarray) -> np.ndarray:
    """(..., 3, 3) rotations -> (..., 4) unit quaternions (x, y, z, w), w >= 0 where possible."""
    m = np.asarray(m, dtype=np.float64)
    tr = m[..., 0, 0] + m[..., 1, 1] + m[..., 2, 2]
    cands = np.stack([
        np.stack([m[..., 2, 1] - m[..., 1, 2], m[..., 0, 2] - m[..., 2, 0], m[..., 1, 0] - m[..., 0, 1], 1 + tr], -1),
        np.stack([1 + m[..., 0, 0] - m[..., 1, 1] - m[..., 2, 2], m[..., 0, 1] + m[..., 1, 0],
                  m[..., 0, 2] + m[..., 2, 0], m[..., 2, 1] - m[..., 1, 2]], -1),
        np.stack([m[..., 0, 1] + m[..., 1, 0], 1 + m[..., 1, 1] - m[..., 0, 0] - m[..., 2, 2],
                  m[..., 1, 2] + m[..., 2, 1], m[..., 0, 2] - m[..., 2, 0]], -1),
        np.stack([m[..., 0, 2] + m[..., 2, 0], m[..., 1, 2] + m[..., 2, 1],
                  1 + m[..., 2, 2] - m[..., 0, 0] - m[..., 1, 1], m[..., 1, 0] - m[..., 0, 1]], -1),
    ], -2)  # the best-conditioned of the four standard formulas
    best = np.argmax(np.stack([tr, m[..., 0, 0], m[..., 1, 1], m[..., 2, 2]], -1), -1)
    q = np.take_along_axis(cands, best[..., None, None], -2)[..., 0, :]
    q /= np.linalg.norm(q, axis=-1, keepdims=True)
    return np.where(q[..., 3:4] < 0, -q, q)


def glb_bytes(clip: MotionClip) -> bytes:
    sk = clip.skeleton
    positions, normals, joints, tris = mannequin(sk)
    n, nj = clip.n_frames, len(sk)
    times = (np.arange(n) * clip.frame_time).astype(np.float32)
    quats = matrix_to_quat(euler_to_matrix(clip.rotations))  # (n, J, 4)
    for f in range(1, n):  # the shorter way round between frames (LINEAR interpolation)
        flip = np.sum(quats[f] * quats[f - 1], axis=-1) < 0
        quats[f, flip] *= -1
    rest = sk.rest_positions()
    ibm = np.tile(np.eye(4, dtype=np.float32), (nj, 1, 1))
    ibm[:, :3, 3] = -rest  # the rest pose has no rotations: binding is a translation
    blob = bytearray()
    views, accessors = [], []

    def add(arr: np.ndarray, ctype: int, atype: str, target: int | None = None, minmax: bool = False) -> int:
        while len(blob) % 4:
            blob.append(0)
        data = np.ascontiguousarray(arr).tobytes()
        view = {"buffer": 0, "byteOffset": len(blob), "byteLength": len(data)}
        if target:
            view["target"] = target
        views.append(view)
        blob.extend(data)
        acc = {"bufferView": len(views) - 1, "componentType": ctype, "count": int(arr.shape[0]), "type": atype}
        if minmax:
            flat = arr.reshape(arr.shape[0], -1)
            acc["min"], acc["max"] = flat.min(0).tolist(), flat.max(0).tolist()
        accessors.append(acc)
        return len(accessors) - 1

    a_pos = add(positions, _FLOAT, "VEC3", _ARRAY, True)
    a_nrm = add(normals, _FLOAT, "VEC3", _ARRAY)
    j4 = np.zeros((len(joints), 4), np.uint8)
    j4[:, 0] = joints
    w4 = np.zeros((len(joints), 4), np.float32)
    w4[:, 0] = 1.0
    a_jnt = add(j4, _UBYTE, "VEC4", _ARRAY)
    a_wgt = add(w4, _FLOAT, "VEC4", _ARRAY)
    a_idx = add(tris.reshape(-1), _USHORT, "SCALAR", _ELEMENTS, True)
    a_ibm = add(ibm.transpose(0, 2, 1).reshape(nj, 16).astype(np.float32), _FLOAT, "MAT4")  # column-major
    a_time = add(times, _FLOAT, "SCALAR", None, True)
    samplers, channels = [], []
    for i in range(nj):
        samplers.append({"input": a_time, "output": add(quats[:, i].astype(np.float32), _FLOAT, "VEC4"),
                         "interpolation": "LINEAR"})
        channels.append({"sampler": len(samplers) - 1, "target": {"node": i, "path": "rotation"}})
    samplers.append({"input": a_time, "output": add(clip.root_position.astype(np.float32), _FLOAT, "VEC3"),
                     "interpolation": "LINEAR"})
    channels.append({"sampler": len(samplers) - 1, "target": {"node": 0, "path": "translation"}})

    nodes = []
    for i, j in enumerate(sk.joints):
        node = {"name": j.name, "translation": [float(v) for v in j.offset]}
        kids = sk.children(i)
        if kids:
            node["children"] = kids
        nodes.append(node)
    nodes.append({"name": "mannequin", "mesh": 0, "skin": 0})
    doc = {
        "asset": {"version": "2.0", "generator": "digihuman body"},
        "scene": 0,
        "scenes": [{"nodes": [0, nj]}],
        "nodes": nodes,
        "meshes": [{"name": "mannequin", "primitives": [{
            "attributes": {"POSITION": a_pos, "NORMAL": a_nrm, "JOINTS_0": a_jnt, "WEIGHTS_0": a_wgt},
            "indices": a_idx, "material": 0}]}],
        "materials": [{"name": "clay", "pbrMetallicRoughness": {"baseColorFactor": [0.75, 0.72, 0.68, 1.0],
                                                                 "metallicFactor": 0.0, "roughnessFactor": 0.8}}],
        "skins": [{"inverseBindMatrices": a_ibm, "joints": list(range(nj)), "skeleton": 0}],
        "animations": [{"name": "speech", "samplers": samplers, "channels": channels}],
        "buffers": [{"byteLength": 0}],
        "bufferViews": views,
        "accessors": accessors,
    }
    while len(blob) % 4:
        blob.append(0)
    doc["buffers"][0]["byteLength"] = len(blob)
    js = json.dumps(doc, separators=(",", ":")).encode("utf-8")
    js += b" " * (-len(js) % 4)
    total = 12 + 8 + len(js) + 8 + len(blob)
    return (struct.pack("<III", 0x46546C67, 2, total) + struct.pack("<II", len(js), 0x4E4F534A) + js
            + struct.pack("<II", len(blob), 0x004E4942) + bytes(blob))


def write_glb(clip: MotionClip, path: str | os.PathLike) -> Path:
    """Write the animated mannequin to ``path`` atomically. Returns the path."""
    path = Path(path)
    write_bytes_atomic(path, glb_bytes(clip))
    return path
