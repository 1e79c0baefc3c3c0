"""The shared skeleton and its BVH files, checked with an independent parser (bvhio)."""

from __future__ import annotations

import numpy as np
import pytest

from digihuman.body import (MotionClip, clip_from_world_rotations, euler_to_matrix, forward_kinematics, humanoid, limit_violations,
                            matrix_to_euler, parse_bvh, read_bvh, write_bvh)
from digihuman.errors import InputError

bvhio = pytest.importorskip("bvhio", reason="the test extra (bvhio) is not installed: pip install -e .[test]")


def _random_clip(n=6, seed=0, fps=30.0) -> MotionClip:
    sk = humanoid()
    rng = np.random.default_rng(seed)
    lim = sk.limit_array()
    rot = rng.uniform(lim[:, :, 0], lim[:, :, 1], (n, len(sk), 3))
    root = np.array([0.0, 1.0, 0.0]) + rng.normal(0, 0.1, (n, 3))
    return MotionClip(sk, 1.0 / fps, root, rot)


def test_skeleton_is_a_plausible_t_posed_humanoid():
    sk = humanoid()
    rest = sk.rest_positions()
    at = {n: rest[i] for i, n in enumerate(sk.names)}
    assert {"Hips", "Spine", "Spine1", "Spine2", "Neck", "Head", "LeftShoulder", "LeftArm", "LeftForeArm",
            "LeftHand", "LeftUpLeg", "LeftLeg", "LeftFoot", "RightHandIndex3"} <= set(sk.names)
    assert 1.5 < at["Head"][1] < 1.7 and 0.0 <= at["LeftToeBase"][1] < 0.05     # metres, Y up
    assert at["LeftHand"][0] > 0.6 and at["RightHand"][0] < -0.6                # T-pose, left = +X
    assert np.allclose(at["LeftHand"] * [-1, 1, 1], at["RightHand"])             # symmetric
    lim = sk.limit_array()
    assert (lim[:, :, 0] <= 0).all() and (lim[:, :, 1] >= 0).all()               # rest pose is legal


def test_rotation_convention_is_zxy_and_round_trips():
    e = np.random.default_rng(1).uniform(-85, 85, (200, 3))
    assert np.allclose(matrix_to_euler(euler_to_matrix(e)), e, atol=1e-9)
    # R = Rz @ Rx @ Ry: a pure +90 deg rz turns +X into +Y
    assert np.allclose(euler_to_matrix([0, 0, 90]) @ [1, 0, 0], [0, 1, 0], atol=1e-12)
    # lowering the left arm by rz=-90 makes it hang: the hand goes below the shoulder
    sk = humanoid()
    clip = MotionClip.rest(sk, 1, 25)
    rot = clip.rotations.copy()
    rot[0, sk.index["LeftArm"]] = (0, 0, -90)
    pos, _ = forward_kinematics(MotionClip(sk, clip.frame_time, clip.root_position, rot))
    arm, hand = pos[0, sk.index["LeftArm"]], pos[0, sk.index["LeftHand"]]
    assert np.allclose(hand - arm, [0, -(0.28 + 0.255), 0], atol=1e-9)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    clip = _random_clip()
    path = write_bvh(clip, tmp_path_factory.mktemp("bvh") / "clip.bvh")
    return clip, path


def test_bvhio_reads_our_frame_time_channels_and_hierarchy(written):
    clip, path = written
    b = bvhio.readAsBvh(str(path))
    assert b.FrameCount == clip.n_frames and abs(b.FrameTime - 1 / 30) < 1e-7
    assert b.Root.Name == "Hips"
    assert b.Root.Channels == ["Xposition", "Yposition", "Zposition", "Zrotation", "Xrotation", "Yrotation"]
    names = [j.Name for j, _, _ in bvhio.readAsHierarchy(str(path)).layout()]
    assert names == list(clip.skeleton.names)  # our joint order is the file's depth-first order


def test_bvhio_world_positions_match_our_forward_kinematics(written):
    clip, path = written
    ours, _ = forward_kinematics(clip)
    root = bvhio.readAsHierarchy(str(path))
    layout = [j for j, _, _ in root.layout()]
    for f in range(clip.n_frames):
        root.loadPose(f)
        theirs = np.array([list(j.PositionWorld) for j in layout])
        assert np.abs(theirs - ours[f]).max() < 2e-4, f  # metres (4 decimals of degrees in the file)


def test_read_back_and_units(written, tmp_path):
    clip, path = written
    back = read_bvh(path)
    assert back.skeleton is clip.skeleton and back.n_frames == clip.n_frames
    assert np.abs(forward_kinematics(back)[0] - forward_kinematics(clip)[0]).max() < 2e-4
    cm = write_bvh(clip, tmp_path / "cm.bvh", scale=100)
    assert "OFFSET 0.000000 100.000000 0.000000" in cm.read_text()  # the root 1 m up, in cm
    assert np.abs(read_bvh(cm, scale=0.01).root_position - clip.root_position).max() < 1e-4
    assert not limit_violations(clip)


def test_reader_converts_other_channel_orders():
    text = """HIERARCHY
ROOT Hips
{
  OFFSET 0 1 0
  CHANNELS 6 Xposition Yposition Zposition Xrotation Yrotation Zrotation
  JOINT Spine
  {
    OFFSET 0 0.1 0
    CHANNELS 3 Yrotation Xrotation Zrotation
    End Site
    {
      OFFSET 0 0.2 0
    }
  }
}
MOTION
Frames: 1
Frame Time: 0.04
0 1 0 10 20 30 40 -15 5
"""
    clip = parse_bvh(text)

    def rx(a):
        return euler_to_matrix([a, 0, 0])

    def ry(a):
        return euler_to_matrix([0, a, 0])

    def rz(a):
        return euler_to_matrix([0, 0, a])

    _, rot = forward_kinematics(clip)
    assert np.allclose(rot[0, 0], rx(10) @ ry(20) @ rz(30))
    assert np.allclose(rot[0, 1], rx(10) @ ry(20) @ rz(30) @ ry(40) @ rx(-15) @ rz(5))
    assert clip.frame_time == 0.04


@pytest.mark.parametrize("text", ["not a bvh", "HIERARCHY\nROOT Hips\n{\nOFFSET 0 0 0\nCHANNELS 3 Zrotation "
                                  "Xrotation Yrotation\n}\nMOTION\nFrames: 2\nFrame Time: 0.04\n1 2 3\n"])
def test_bad_bvh_is_a_clear_input_error(text):
    with pytest.raises(InputError):
        parse_bvh(text)


def test_clip_from_world_rotations_inverts_forward_kinematics():
    clip = _random_clip(n=4, seed=3)
    pos, rot = forward_kinematics(clip)
    back = clip_from_world_rotations(clip.skeleton, clip.frame_time, clip.root_position, rot)
    assert np.abs(forward_kinematics(back)[0] - pos).max() < 1e-9
