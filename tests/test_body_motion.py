"""Body motion from real speech: strokes on stressed syllables, pointing, nods, posture, export."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digihuman.body import forward_kinematics, limit_violations, read_bvh
from digihuman.body.gesture import gesture_motion
from digihuman.cli import main

TEXT = "Yes, I think this is a big idea. Do you see it over there? No, not really!"
VALIDATOR = Path(__file__).resolve().parents[1] / ".venv" / "gltf" / "node_modules" / "gltf-validator"  # make gltf-validator


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    from digihuman.body.api import gesture

    d = tmp_path_factory.mktemp("gesture")
    res = gesture(TEXT, d / "m.bvh", glb=d / "m.glb")
    return res


def _word(res, text):
    return next(w for w in res.speech.timeline.words if w.text.lower() == text)


def _speed(clip, joint):
    pos, _ = forward_kinematics(clip)
    w = pos[:, clip.skeleton.index[joint]]
    v = np.linalg.norm(np.diff(w, axis=0), axis=1) * clip.fps
    return v, (np.arange(len(v)) + 0.5) * clip.frame_time


def test_fast_wrist_movements_land_on_stressed_syllables(made):
    stressed = np.array([p.start for p in made.speech.timeline.phonemes if p.symbol[:1] in "ˈˌ"])
    near, total = 0, 0
    for hand in ("LeftHand", "RightHand"):
        v, tv = _speed(made.clip, hand)
        peaks = [i for i in range(1, len(v) - 1) if v[i] >= v[i - 1] and v[i] > v[i + 1] and v[i] > 1.0]
        total += len(peaks)
        near += sum(np.abs(stressed - tv[i]).min() <= 0.15 for i in peaks)
    assert total >= 3, "the hands hardly move"
    assert near / total >= 0.7, (near, total)


def test_pointing_big_and_head_gestures_follow_the_words(made):
    clip = made.clip
    sk = clip.skeleton
    pos, _ = forward_kinematics(clip)
    fr = lambda t: min(int(round(t * clip.fps)), clip.n_frames - 1)  # noqa: E731
    hands = pos[:, [sk.index["LeftHand"], sk.index["RightHand"]]]
    chest_z = pos[:, sk.index["Spine2"], 2]
    big = _word(made, "big")
    apart = np.abs(hands[:, 0, 0] - hands[:, 1, 0])
    assert apart[fr(big.end + 0.15)] > apart[0] + 0.2          # "big": the hands spread apart
    you = _word(made, "you")
    reach = (hands[:, :, 2].max(axis=1) - chest_z)
    assert reach[fr(you.end + 0.1)] > 0.35                      # "you": a hand reaches out forward
    head = clip.joint("Head")
    yes, no = _word(made, "yes"), _word(made, "no")
    nod = head[fr(yes.start):fr(yes.end + 0.3), 0]
    assert nod.max() - head[0, 0] > 3.0                         # nods down on "yes" (degrees)
    shake = head[fr(no.start):fr(no.end + 0.5), 1]
    assert shake.max() > 2.5 and shake.min() < -2.5             # shakes on "no"


def test_posture_follows_emotion_and_limits_hold(made):
    tl = made.speech.timeline
    sad = gesture_motion(tl, TEXT, "sadness")
    joy = gesture_motion(tl, TEXT, "joy")
    lean = lambda c: c.joint("Spine1")[:, 0].mean() + c.joint("Neck")[:, 0].mean()  # noqa: E731
    assert lean(sad) > lean(made.clip) + 5 > lean(joy) + 5      # slumped .. upright (degrees)
    for c in (made.clip, sad, joy):
        assert not limit_violations(c)
        pos, _ = forward_kinematics(c)
        feet = pos[:, [c.skeleton.index["LeftFoot"], c.skeleton.index["RightFoot"]]]
        assert np.ptp(feet, axis=0).max() < 0.01                # feet stay planted while the hips sway
    v_sad, _ = _speed(sad, "RightHand")
    v_joy, _ = _speed(joy, "RightHand")
    assert v_sad.max() < v_joy.max()                            # sadness moves slower


def test_seed_is_deterministic_and_changes_the_motion(made):
    tl = made.speech.timeline
    a, b, c = (gesture_motion(tl, TEXT, seed=s) for s in (0, 0, 5))
    # equal up to rounding: BLAS may sum in another order with other threads or alignment
    assert np.allclose(a.rotations, b.rotations, atol=1e-6) and np.allclose(a.root_position, b.root_position, atol=1e-9)
    assert not np.allclose(a.rotations, c.rotations)
    assert np.allclose(a.rotations, made.clip.rotations, atol=1e-6)  # the API's clip is seed 0's


def test_exported_bvh_reads_back_in_bvhio(made):
    bvhio = pytest.importorskip("bvhio")
    b = bvhio.readAsBvh(str(made.bvh))
    assert b.FrameCount == made.clip.n_frames and abs(b.FrameTime - 1 / 30) < 1e-7
    assert abs(made.clip.duration - made.speech.audio.duration) < 0.5
    back = read_bvh(made.bvh)
    assert np.abs(back.rotations - made.clip.rotations).max() < 1e-3


@pytest.mark.skipif(shutil.which("node") is None or not VALIDATOR.is_dir(),
                    reason="the Khronos glTF validator is not installed (make gltf-validator; needs npm)")
def test_glb_is_valid_for_the_khronos_validator(made):
    script = Path(__file__).parent / "tools" / "gltf_validate.js"
    out = subprocess.run(["node", str(script), str(made.glb), str(VALIDATOR)], capture_output=True, text=True,
                         timeout=120, check=True)
    report = json.loads(out.stdout)
    assert report["errors"] == 0 and report["warnings"] == 0, report["messages"]
    data = made.glb.read_bytes()
    assert data[:4] == b"glTF" and len(data) > 10_000


def test_gesture_cli_refuses_bad_input_before_any_work(tmp_path, capsys):
    assert main(["gesture", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "m.bvh")]) == 2
    script = tmp_path / "s.txt"
    script.write_text("Hello there.")
    assert main(["gesture", str(script), "-o", str(tmp_path / "m.mp4")]) == 3
    assert main(["gesture", str(script), "-o", str(tmp_path / "m.bvh"), "--glb", str(tmp_path / "no" / "m.glb")]) == 3
    assert not list(tmp_path.glob("*.bvh"))
    assert "hint:" in capsys.readouterr().err


@pytest.mark.skipif(importlib.util.find_spec("bpy") is None,
                    reason="Blender as a module is not installed (optional: make blender)")
def test_blender_imports_the_bvh_and_the_glb_as_we_meant_them(made):
    frame = 40
    script = Path(__file__).parent / "tools" / "blender_check.py"
    out = subprocess.run([sys.executable, str(script), str(made.bvh), str(made.glb), str(frame)],
                         capture_output=True, text=True, timeout=300)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))
    seen = json.loads(line[7:])
    pos, _ = forward_kinematics(made.clip)
    hand = made.clip.skeleton.index["LeftHand"]
    to_blender = lambda p: np.array([p[0], -p[2], p[1]])  # noqa: E731  Y up -> Blender's Z up
    assert seen["bvh_bones"] == sorted(made.clip.skeleton.names) and seen["bvh_fps"] == pytest.approx(30, abs=1e-3)
    assert np.abs(np.array(seen["bvh_hand"]) - to_blender(pos[frame, hand])).max() < 1e-3
    assert seen["glb_types"] == ["ARMATURE", "MESH"] and seen["glb_bones"] == len(made.clip.skeleton)
    f = seen["glb_time"] * made.clip.fps  # between two of our frames: interpolate
    lo = int(np.floor(f))
    want = pos[lo, hand] + (f - lo) * (pos[min(lo + 1, made.clip.n_frames - 1), hand] - pos[lo, hand])
    assert np.abs(np.array(seen["glb_hand"]) - to_blender(want)).max() < 0.01


def test_idle_motion_never_loops():
    """30 s without words: breathing and weight shifts do not repeat (no lag of 2-20 s matches)."""
    from digihuman.types import Timeline

    clip = gesture_motion(Timeline((), (), 30.0), "", fps=30.0)
    for series in (clip.root_position[:, 0], clip.joint("Spine2")[:, 0], clip.joint("Head")[:, 0]):
        s = series - series.mean()
        assert s.std() > 0  # it does move
        best = max(np.corrcoef(s[:-lag], s[lag:])[0, 1] for lag in range(60, 600, 3))
        assert best < 0.9, best
    assert not limit_violations(clip)
