"""Write a :class:`~digihuman.face3d.mesh.HeadMesh` as binary glTF 2.0 (.glb, with morph targets
named in ``mesh.extras.targetNames``, the convention of Blender, three.js and Babylon) or as
Wavefront OBJ + MTL + PNG (rest pose only: OBJ has no morph targets)."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import numpy as np

from .mesh import HeadMesh

ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
FLOAT, UINT = 5126, 5125


def _png(rgb: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def vertex_normals(p: np.ndarray, t: np.ndarray) -> np.ndarray:
    n = np.zeros_like(p, dtype=np.float64)
    fn = np.cross(p[t[:, 1]] - p[t[:, 0]], p[t[:, 2]] - p[t[:, 0]])
    for k in range(3):
        np.add.at(n, t[:, k], fn)
    ln = np.linalg.norm(n, axis=1, keepdims=True)
    n = np.where(ln > 1e-12, n / np.maximum(ln, 1e-12), [0.0, 0.0, 1.0])
    return n.astype(np.float32)


def glb_bytes(head: HeadMesh, name: str = "head") -> bytes:
    blob = bytearray()
    views, accessors = [], []

    def view(data: bytes, target: int | None = None) -> int:
        while len(blob) % 4:
            blob.append(0)
        v = {"buffer": 0, "byteOffset": len(blob), "byteLength": len(data)}
        if target:
            v["target"] = target
        blob.extend(data)
        views.append(v)
        return len(views) - 1

    def accessor(arr: np.ndarray, kind: str, target: int | None, minmax: bool = False) -> int:
        comp = UINT if arr.dtype == np.uint32 else FLOAT
        a = {"bufferView": view(arr.tobytes(), target), "componentType": comp,
             "count": int(arr.shape[0] if kind != "SCALAR" else arr.size), "type": kind}
        if minmax:
            a["min"] = [float(x) for x in arr.reshape(len(arr), -1).min(axis=0)]
            a["max"] = [float(x) for x in arr.reshape(len(arr), -1).max(axis=0)]
        accessors.append(a)
        return len(accessors) - 1

    pos = np.ascontiguousarray(head.positions, np.float32)
    attrs = {"POSITION": accessor(pos, "VEC3", ARRAY_BUFFER, True),
             "NORMAL": accessor(vertex_normals(pos, head.triangles), "VEC3", ARRAY_BUFFER),
             "TEXCOORD_0": accessor(np.ascontiguousarray(head.uvs, np.float32), "VEC2", ARRAY_BUFFER)}
    idx = accessor(np.ascontiguousarray(head.triangles.reshape(-1), np.uint32), "SCALAR", ELEMENT_ARRAY_BUFFER, True)
    names = list(head.morphs)
    targets = [{"POSITION": accessor(np.ascontiguousarray(head.morphs[n], np.float32), "VEC3", ARRAY_BUFFER, True)}
               for n in names]
    image_view = view(_png(head.texture))
    doc = {
        "asset": {"version": "2.0", "generator": "digihuman face3d"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"name": name, "mesh": 0}],
        "meshes": [{"name": name, "primitives": [{"attributes": attrs, "indices": idx, "material": 0,
                                                  "targets": targets, "mode": 4}],
                    "weights": [0.0] * len(names), "extras": {"targetNames": names}}],
        "materials": [{"name": "skin", "pbrMetallicRoughness": {"baseColorTexture": {"index": 0},
                                                                "metallicFactor": 0.0, "roughnessFactor": 0.75}}],
        "textures": [{"sampler": 0, "source": 0}],
        "samplers": [{"magFilter": 9729, "minFilter": 9987, "wrapS": 33071, "wrapT": 33071}],
        "images": [{"bufferView": image_view, "mimeType": "image/png"}],
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob)}],
    }
    while len(blob) % 4:
        blob.append(0)
    doc["buffers"][0]["byteLength"] = len(blob)
    js = json.dumps(doc, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 4)
    total = 12 + 8 + len(js) + 8 + len(blob)
    return (struct.pack("<III", 0x46546C67, 2, total) + struct.pack("<II", len(js), 0x4E4F534A) + js
            + struct.pack("<II", len(blob), 0x004E4942) + bytes(blob))


def write_glb(head: HeadMesh, path: str | Path, name: str = "head") -> Path:
    from .._fs import write_bytes_atomic

    write_bytes_atomic(path, glb_bytes(head, name))
    return Path(path)


def write_obj(head: HeadMesh, path: str | Path) -> list[Path]:
    """``head.obj`` + ``head.mtl`` + ``head.png`` (texture), all or none."""
    from .._fs import atomic_paths

    path = Path(path)
    mtl, png = path.with_suffix(".mtl"), path.with_suffix(".png")
    lines = [f"# digihuman face3d: {len(head.positions)} vertices (rest pose; morph targets are in the .glb)",
             f"mtllib {mtl.name}", "o head", "usemtl skin"]
    lines += [f"v {x:.6f} {y:.6f} {z:.6f}" for x, y, z in head.positions]
    lines += [f"vt {u:.6f} {1.0 - v:.6f}" for u, v in head.uvs]  # OBJ's v grows upwards
    lines += [f"f {a + 1}/{a + 1} {b + 1}/{b + 1} {c + 1}/{c + 1}" for a, b, c in head.triangles]
    with atomic_paths(path, mtl, png) as (t_obj, t_mtl, t_png):
        Path(t_obj).write_text("\n".join(lines) + "\n")
        Path(t_mtl).write_text(f"newmtl skin\nKd 1 1 1\nKa 0 0 0\nKs 0 0 0\nmap_Kd {png.name}\n")
        Path(t_png).write_bytes(_png(head.texture))
    return [path, mtl, png]
