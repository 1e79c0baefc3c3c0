"""`digihuman face3d`: the .glb is valid for the Khronos validator and its morph targets move the
vertices they are named for (read back from the file's own bytes)."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).parent.parent
VALIDATOR = ROOT / ".venv" / "gltf" / "node_modules"


@pytest.fixture(scope="module")
def glb(tmp_path_factory, home) -> Path:
    from digihuman.cli import main

    out = tmp_path_factory.mktemp("head") / "head.glb"
    assert main(["-q", "face3d", "default", "-o", str(out)]) == 0
    return out


def read_glb(path: Path) -> tuple[dict, dict[str, np.ndarray], list[str]]:
    """JSON, the base positions and every morph target's deltas, decoded from the bytes."""
    data = path.read_bytes()
    magic, version, total = struct.unpack_from("<III", data, 0)
    assert magic == 0x46546C67 and version == 2 and total == len(data)
    jlen, jtype = struct.unpack_from("<II", data, 12)
    doc = json.loads(data[20:20 + jlen])
    blen, btype = struct.unpack_from("<II", data, 20 + jlen)
    assert (jtype, btype) == (0x4E4F534A, 0x004E4942)
    binary = data[28 + jlen:28 + jlen + blen]

    def acc(i: int) -> np.ndarray:
        a = doc["accessors"][i]
        v = doc["bufferViews"][a["bufferView"]]
        n = {"VEC3": 3, "VEC2": 2, "SCALAR": 1}[a["type"]]
        dt = np.float32 if a["componentType"] == 5126 else np.uint32
        return np.frombuffer(binary, dt, a["count"] * n, v["byteOffset"] + a.get("byteOffset", 0)).reshape(-1, n)

    prim = doc["meshes"][0]["primitives"][0]
    names = doc["meshes"][0]["extras"]["targetNames"]
    arrays = {"POSITION": acc(prim["attributes"]["POSITION"]), "indices": acc(prim["indices"])}
    for name, t in zip(names, prim["targets"]):
        arrays[name] = acc(t["POSITION"])
    return doc, arrays, names


def test_khronos_validator_finds_no_errors(glb):
    if shutil.which("node") is None or not (VALIDATOR / "gltf-validator").is_dir():
        pytest.skip("the Khronos glTF validator is not installed (needs Node.js/npm: run `make gltf-validator`)")
    out = subprocess.run([shutil.which("node"), str(ROOT / "tools" / "gltf_validate.js"), str(glb)], capture_output=True,
                         text=True, env={**os.environ, "NODE_PATH": str(VALIDATOR)}, timeout=120)
    assert out.returncode == 0, out.stderr
    issues = json.loads(out.stdout)["issues"]
    assert issues["numErrors"] == 0, issues["messages"][:10]
    assert issues["numWarnings"] == 0, issues["messages"][:10]


def test_mesh_parts_and_names(glb):
    doc, arr, names = read_glb(glb)
    pos, idx = arr["POSITION"], arr["indices"]
    assert len(pos) > 2000 and idx.max() < len(pos) and len(idx) % 3 == 0  # denser than 468 points
    for letter in "ABCDEFGHX":
        assert f"viseme_{letter}" in names
    for name in ("blink_left", "blink_right", "emotion_joy", "emotion_sadness", "emotion_surprise", "jawOpen",
                 "eyeBlinkLeft", "eyeBlinkRight", "mouthSmileLeft", "mouthSmileRight", "mouthPucker", "browInnerUp"):
        assert name in names
    assert len(doc["meshes"][0]["weights"]) == len(names)
    size = pos.max(axis=0) - pos.min(axis=0)
    assert 0.15 <= size[0] <= 0.3 and 0.2 <= size[1] <= 0.45 and 0.12 <= size[2] <= 0.35, size  # a head, metres
    assert doc["images"][0]["mimeType"] == "image/png"


def test_every_morph_target_moves_the_expected_vertices(glb):
    _, arr, names = read_glb(glb)
    pos = arr["POSITION"]
    mm = lambda name, i: arr[name][i] * 1000.0  # noqa: E731  delta of FaceMesh point i, millimetres
    still = [159, 386, 168, 1]  # eyelids, nose bridge, nose tip
    back = int(np.argmin(pos[:, 2]))  # the back of the head
    for name in names:
        d = np.linalg.norm(arr[name], axis=1) * 1000
        assert d[back] < 1e-6, name  # nothing but the face moves
        if name != "viseme_X":
            assert d.max() > 0.3, f"{name} moves nothing"
    assert np.abs(arr["viseme_X"]).max() < 1e-6  # X is the rest pose
    for name in ("viseme_D", "viseme_C", "jawOpen"):
        assert mm(name, 14)[1] < -1.5 and mm(name, 152)[1] < -1.5, name  # lower lip and chin drop
        assert mm(name, 14)[1] < mm(name, 13)[1], name
        assert max(np.linalg.norm(mm(name, i)) for i in still[:3]) < 0.3, name
    assert mm("viseme_D", 14)[1] < mm("viseme_C", 14)[1] < mm("viseme_B", 14)[1] < 0  # wider, wider
    for name in ("viseme_F", "mouthPucker", "mouthFunnel"):
        assert mm(name, 61)[0] > 0.8 and mm(name, 291)[0] < -0.8, name  # corners pulled in
    assert mm("viseme_G", 17)[1] > 0.5 and mm("mouthRollLower", 17)[1] > 0.5  # lower lip up under the teeth
    assert mm("eyeBlinkLeft", 386)[1] < -1.0 and abs(mm("eyeBlinkLeft", 159)[1]) < 0.05
    assert mm("eyeBlinkRight", 159)[1] < -1.0 and abs(mm("eyeBlinkRight", 386)[1]) < 0.05
    assert np.allclose(arr["blink_left"], arr["eyeBlinkLeft"])
    assert mm("mouthSmileLeft", 291)[1] > 0.8 and abs(mm("mouthSmileLeft", 61)[1]) < 0.3  # person's left = +x
    assert mm("mouthSmileRight", 61)[1] > 0.8 and abs(mm("mouthSmileRight", 291)[1]) < 0.3
    assert mm("emotion_joy", 61)[1] > 0.5 and mm("emotion_sadness", 61)[1] < -0.3
    assert mm("emotion_surprise", 105)[1] > 0.5 and mm("browInnerUp", 334)[1] > 0.5


def test_obj_export(tmp_path, home):
    from digihuman.cli import main

    out = tmp_path / "head.obj"
    assert main(["-q", "face3d", "default", "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    v = [ln for ln in lines if ln.startswith("v ")]
    f = [ln for ln in lines if ln.startswith("f ")]
    assert len(v) > 2000 and len(f) > 4000
    assert max(int(x.split("/")[0]) for ln in f for x in ln.split()[1:]) == len(v)
    assert (tmp_path / "head.mtl").read_text().count("map_Kd head.png") == 1
    assert (tmp_path / "head.png").stat().st_size > 100_000
    assert main(["face3d", "default", "-o", str(tmp_path / "head.fbx")]) == 3
