"""`say --body` on the default persona: the shoulders follow the skeleton, lip sync still holds.

One body render (the real voice, the bundled photo) is shared by every check; the lip-sync
checks of ``test_say`` run unchanged on it, and MediaPipe Pose, re-run on the decoded frames,
judges whether the shoulders went where the skeleton said.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import test_say
from conftest import SCRIPT, render
from digihuman import SayOptions
from digihuman.body import limit_violations, read_bvh
from digihuman.cli import main


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, home):
    """SCRIPT with --body (named like test_say's fixture so its checks run on the body video)."""
    tmp = tmp_path_factory.mktemp("body")
    return render(tmp, SCRIPT, options=SayOptions(body=True, emotion="joy"), bvh=tmp / "say.bvh")


# the lip-sync bars of `say`, on the body video
test_video_and_audio_agree = test_say.test_video_and_audio_agree
test_face_found_in_every_frame = test_say.test_face_found_in_every_frame
test_lips_closed_on_p_b_m = test_say.test_lips_closed_on_p_b_m
test_mouth_open_on_open_vowels = test_say.test_mouth_open_on_open_vowels
test_mouth_closed_in_leading_silence_and_moves_while_speaking = \
    test_say.test_mouth_closed_in_leading_silence_and_moves_while_speaking
test_background_still = test_say.test_background_still


@pytest.fixture(scope="module")
def shoulders(rendered):
    """Intended (from the skeleton) and re-detected (MediaPipe Pose) shoulder pixels per frame."""
    import mediapipe as mp

    from digihuman.body.gesture import reference_pose
    from digihuman.body.render import BodyWarp, detect_pose
    from digihuman.face.renderer import crop_photo
    from digihuman.pipeline import resolve_persona

    who = resolve_persona(None)
    base = crop_photo(who.photo, who.face.crop, 512)
    warp = BodyWarp(base, rendered.result.motion, reference_pose())
    intended = np.array([warp.joints_2d(i) for i in range(len(rendered.frames))])
    found = []
    with mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1) as pose:
        for f in rendered.frames:
            lm = pose.process(f).pose_landmarks.landmark
            found.append([(lm[k].x * 512, lm[k].y * 512) for k in (11, 12)])
    rest = detect_pose(base)
    ys = np.nonzero(warp.mask.max(axis=1) > 0.5)[0]
    return intended, np.array(found), rest, float(ys.max() - ys.min() + 1)


def test_face_rides_on_the_body_without_deforming_or_drifting(rendered, shoulders):
    """test_say's drift bar, less the body's sway: the head moves with the shoulders here."""
    upper = [33, 133, 362, 263, 70, 300, 1, 168]  # eye corners, brows, nose tip, nose bridge
    pts = np.array([p[upper] for p in rendered.landmarks])
    face_w = float(np.linalg.norm(pts[0, 0] - pts[0, 3]))
    shape = pts - pts.mean(axis=1, keepdims=True)  # the face's own shape, wherever it is
    assert np.abs(shape - np.median(shape, axis=0)).max() < 0.08 * face_w
    moved = pts.mean(axis=1) - pts[0].mean(axis=0)
    head = shoulders[0][:, 7] - shoulders[0][0, 7]  # where the skeleton's head went (pixels)
    assert np.abs(moved).max() > 0.03 * face_w  # it does sway with the body
    off = np.linalg.norm(moved - head, axis=1)
    assert np.median(off) < 0.05 * face_w and off.max() < 0.12 * face_w, (np.median(off), off.max())


def test_body_moves_and_mediapipe_sees_the_shoulders_where_the_skeleton_put_them(shoulders):
    intended, found, rest, height = shoulders
    intended = intended[:, :2]
    assert np.ptp(intended, axis=0).max() > 6, "the shoulders hardly move"
    # the detector's own offset on the still photo is not the warp's error: compare movements
    err = np.linalg.norm((found - found[0]) - (intended - intended[0]), axis=-1)
    assert np.median(err) <= 0.05 * height, (np.median(err), height)
    mid_i, mid_f = intended.mean(axis=1)[:, 0], found.mean(axis=1)[:, 0]
    assert np.corrcoef(mid_i, mid_f)[0, 1] > 0.6  # the sway seen is the sway made


def test_bvh_matches_the_video(rendered):
    clip = read_bvh(rendered.result.bvh_path)
    assert clip.frame_time == pytest.approx(1 / 25)
    assert clip.n_frames >= rendered.result.n_frames
    assert not limit_violations(clip)
    assert np.abs(clip.rotations - rendered.result.motion.rotations).max() < 1e-3


def test_body_needs_shoulders_and_bvh_needs_body(tmp_path, home, capsys):
    import cv2
    from skimage import data

    photo = data.astronaut()[0:190, 140:310]  # the face only: no shoulders
    path = tmp_path / "face.png"
    cv2.imwrite(str(path), cv2.cvtColor(photo, cv2.COLOR_RGB2BGR))
    assert main(["persona", "create", "facey", "--photo", str(path), "--consent", "test persona"]) == 0
    out = tmp_path / "o.mp4"
    assert main(["say", "Hello there.", "--persona", "facey", "--body", "-o", str(out)]) == 2
    assert "shoulders" in capsys.readouterr().err and not out.exists()
    assert main(["say", "Hello there.", "-o", str(out), "--bvh", str(tmp_path / "o.bvh")]) == 2
    assert "--body" in capsys.readouterr().err and not list(tmp_path.glob("o.*"))
    wav = next((Path(__file__).parent / "data" / "voices").glob("*.wav"))
    assert main(["lipsync", "--audio", str(wav), "--persona", "facey", "--body", "-o", str(out)]) == 2
    assert "shoulders" in capsys.readouterr().err and not out.exists()
