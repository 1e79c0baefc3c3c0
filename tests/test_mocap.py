"""Motion capture: known motion recovered exactly, real footage captured steadily, phone-video
quirks (rotation flag, variable frame rate), several people, and bad input.

The real footage is an official White House photo (public domain; `tests/data/obama3.jpg`: a
standing man with his arms crossed, legs out of frame below the knees) filmed by a slowly
swaying, zooming camera: MediaPipe sees a real person, and the true pose is fixed, so jitter and
flips show directly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from digihuman.body.skeleton import MotionClip, forward_kinematics, humanoid, limit_violations
from digihuman.errors import InputError
from digihuman.mocap import capture
from digihuman.mocap.retarget import landmarks_of, retarget

DATA = Path(__file__).parent / "data"
FPS = 25
N = 40
ARMS = ("LeftArm", "LeftForeArm", "RightArm", "RightForeArm")


def _camera(img: np.ndarray, size=(360, 640), n=N):
    """Frames of ``img`` filmed by a swaying, slowly zooming camera (portrait ``size`` w x h)."""
    w, h = size
    s0 = w / img.shape[1]
    for i in range(n):
        s = s0 * (1.0 + 0.03 * np.sin(i / 10))
        m = np.array([[s, 0, 4 * np.sin(i / 7)], [0, s, 3 * np.cos(i / 9)]], np.float32)
        yield cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE)


def _write(path: Path, frames, *, rotate: int = 0, times=None) -> Path:
    """An H.264 MP4; ``rotate``: stored sideways with a display rotation (as phones do);
    ``times``: presentation times in seconds (a variable frame rate)."""
    import av
    from fractions import Fraction

    frames = list(frames)
    if rotate:
        frames = [np.ascontiguousarray(np.rot90(f, k=1)) for f in frames]
    with av.open(str(path), "w") as c:
        st = c.add_stream("libx264", rate=FPS)
        st.width, st.height, st.pix_fmt = frames[0].shape[1], frames[0].shape[0], "yuv420p"
        if rotate:
            st.set_display_rotation(-rotate)
        if times is not None:
            st.codec_context.time_base = Fraction(1, 1000)
        for i, f in enumerate(frames):
            vf = av.VideoFrame.from_ndarray(f, format="bgr24")
            if times is not None:
                vf.pts, vf.time_base = int(round(times[i] * 1000)), Fraction(1, 1000)
            for p in st.encode(vf):
                c.mux(p)
        for p in st.encode():
            c.mux(p)
    return path


@pytest.fixture(scope="module")
def footage(tmp_path_factory):
    d = tmp_path_factory.mktemp("mocap")
    photo = cv2.imread(str(DATA / "obama3.jpg"))
    vfr_t = np.cumsum([0.0] + [0.03 if i % 3 else 0.06 for i in range(N - 1)])  # 33 and 17 fps mixed
    pair = np.full((640, 720, 3), 200, np.uint8)  # two people side by side, the left one larger
    pair[:, :393] = photo
    small = cv2.resize(photo, (275, 448))
    pair[640 - 448:, 420:695] = small
    return {
        "upright": _write(d / "upright.mp4", _camera(photo)),
        "rotated": _write(d / "rotated.mp4", _camera(photo), rotate=90),
        "vfr": _write(d / "vfr.mp4", _camera(photo), times=vfr_t),
        "pair": _write(d / "pair.mp4", _camera(pair, size=(720, 640), n=20)),
        "cuts": _write(d / "cuts.mp4", [*list(_camera(photo, n=15)), *[np.full((640, 360, 3), 90, np.uint8)] * 10,
                                        *list(_camera(cv2.flip(photo, 1), n=15))]),
        "empty": _write(d / "empty.mp4", _camera(cv2.imread(str(DATA / "obama_partial_face.jpg"))[:, :60], n=10)),
        "dir": d,
    }


@pytest.fixture(scope="module")
def upright(footage):
    return capture(footage["upright"], face=True)


def _angles(cap, joint):
    return cap.clip.rotations[:, cap.clip.skeleton.index[joint]]


def test_retarget_recovers_known_motion_exactly():
    """Landmarks placed on a skeleton in known poses give those poses back (world orientation
    of every arm, leg and head bone within 1 degree, no joint limit broken)."""
    sk, n = humanoid(), 48
    ix, t = sk.index, np.linspace(0, 3, n)
    rot = np.zeros((n, len(sk), 3))
    rot[:, ix["Hips"]] = np.stack([5 * np.sin(t), 25 * np.sin(1.3 * t), 3 * np.cos(t)], -1)
    for j in ("Spine", "Spine1", "Spine2"):
        rot[:, ix[j]] = np.stack([8 * np.sin(t), 5 * np.cos(t), 4 * np.sin(2 * t)], -1)
    for j in ("Neck", "Head"):
        rot[:, ix[j]] = np.stack([10 * np.sin(2 * t), 15 * np.sin(t), 5 * np.cos(t)], -1)
    rot[:, ix["LeftArm"]] = np.stack([20 * np.sin(t), -30 + 20 * np.sin(t), -60 + 30 * np.sin(1.7 * t)], -1)
    rot[:, ix["RightArm"]] = np.stack([-10 * np.sin(t), 40 + 10 * np.sin(t), 50 + 20 * np.sin(t)], -1)
    rot[:, ix["LeftForeArm"], 1] = -60 + 40 * np.sin(t)
    rot[:, ix["RightForeArm"], 1] = 70 + 30 * np.sin(t)
    rot[:, ix["LeftUpLeg"]] = np.stack([-40 + 30 * np.sin(t), 10 * np.sin(t), 10 * np.cos(t)], -1)
    rot[:, ix["LeftLeg"], 0] = 60 + 30 * np.sin(t)
    rot[:, ix["RightLeg"], 0] = 30 + 20 * np.sin(t)
    truth = MotionClip(sk, 1 / 30, np.tile([0.0, 1.0, 0.0], (n, 1)), rot)
    pos, wrot = forward_kinematics(truth)
    got = MotionClip(sk, 1 / 30, truth.root_position, retarget(landmarks_of(pos, wrot), np.ones(33, bool)))
    assert not limit_violations(got)
    _, grot = forward_kinematics(got)
    for j in ("Head", "LeftArm", "RightArm", "LeftForeArm", "RightForeArm", "LeftUpLeg", "LeftLeg", "RightLeg"):
        r = np.einsum("nji,njk->nik", grot[:, ix[j]], wrot[:, ix[j]])
        err = np.degrees(np.arccos(np.clip((np.trace(r, axis1=1, axis2=2) - 1) / 2, -1, 1)))
        assert err.max() < 1.0, (j, err.max())


def test_real_footage_is_captured_steadily(upright):
    clip = upright.clip
    assert clip.n_frames == N and abs(clip.frame_time - 1 / FPS) < 1e-9
    assert np.allclose(np.diff(upright.times), 1 / FPS)
    assert not limit_violations(clip)
    # arms crossed: both elbows strongly bent (flexion is -ry on the left, +ry on the right)
    assert np.median(_angles(upright, "LeftForeArm")[:, 1]) < -45
    assert np.median(_angles(upright, "RightForeArm")[:, 1]) > 45
    # and the upper arms hang down (not the T-pose): rz well below the horizontal
    assert np.median(_angles(upright, "LeftArm")[:, 2]) < -20 or np.median(_angles(upright, "LeftArm")[:, 0]) > 30
    for j in ARMS + ("Neck", "Spine"):  # a still person filmed by a moving camera:
        a = _angles(upright, j)
        assert a.std(axis=0).max() < 10.0, (j, a.std(axis=0))  # steady (MediaPipe drifts a little with the zoom)
        assert np.abs(np.diff(a, axis=0)).max() < 8.0, j  # no flips
        assert np.abs(np.diff(a, n=2, axis=0)).mean() < 1.0, j  # no jitter: degrees per frame squared
    # legs out of frame below the knees: they stay in the rest pose, no guess
    assert np.abs(_angles(upright, "LeftLeg")).max() == 0 and np.abs(_angles(upright, "RightLeg")).max() == 0


def test_face_of_the_performer(upright):
    f = upright.face
    assert f is not None and f.n_frames == N
    assert np.median(f.column("jaw_open")) < 0.1  # his lips are closed in the photo
    assert np.median(f.column("blink_l")) < 0.4 and np.median(f.column("blink_r")) < 0.4  # eyes open
    for col in ("head_yaw", "head_pitch", "head_roll"):  # the camera sways; the head barely turns
        assert np.abs(f.column(col)).max() <= 0.1


def test_rotated_phone_video_is_turned_upright(footage, upright):
    cap = capture(footage["rotated"])
    assert any("turned by 90 degrees" in n for n in cap.notes)
    for j in ARMS:
        assert np.abs(np.median(_angles(cap, j), axis=0) - np.median(_angles(upright, j), axis=0)).max() < 10, j


def test_variable_frame_rate_is_resampled_to_constant_frame_times(footage):
    cap = capture(footage["vfr"])
    assert any("variable frame rate" in n for n in cap.notes)
    steps = np.diff(cap.times)
    assert np.allclose(steps, steps[0]) and abs(steps[0] - cap.clip.frame_time) < 1e-9
    # the clip spans the video's real time (the last frame at 1.56 s), not its frame count
    assert abs(cap.times[-1] - 1.56) <= cap.clip.frame_time


def test_several_people_largest_first_or_chosen(footage):
    first = capture(footage["pair"])
    assert any("2 people in view" in n for n in first.notes)
    second = capture(footage["pair"], person=2)
    assert np.median(first.hips_px[:, 0]) < 360 < np.median(second.hips_px[:, 0])
    with pytest.raises(InputError, match="at most 2 people"):
        capture(footage["pair"], person=3)


def test_bad_input_is_refused_and_nothing_is_written(footage, tmp_path):
    with pytest.raises(InputError, match="no person"):
        capture(footage["empty"])
    wav = Path(__file__).parent / "data" / "voices" / "en_david.wav"
    with pytest.raises(InputError, match="audio-only"):
        capture(wav)
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(footage["upright"].read_bytes()[:3000])
    out = tmp_path / "x.bvh"
    r = subprocess.run([sys.executable, "-m", "digihuman", "mocap", str(bad), "-o", str(out), "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "error:" in r.stderr and "hint:" in r.stderr
    assert not out.exists() and not list(tmp_path.glob("*.bvh*"))


def test_cli_writes_bvh_glb_and_face(footage, tmp_path):
    bvhio = pytest.importorskip("bvhio")
    out, glb, face = tmp_path / "m.bvh", tmp_path / "m.glb", tmp_path / "f.json"
    r = subprocess.run([sys.executable, "-m", "digihuman", "mocap", str(footage["rotated"]), "-o", str(out),
                        "--glb", str(glb), "--face", str(face)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "turned by 90 degrees" in r.stdout
    b = bvhio.readAsBvh(str(out))
    assert b.FrameCount == N and abs(b.FrameTime - 1 / FPS) < 1e-6 and b.Root.Name == "Hips"
    assert glb.read_bytes()[:4] == b"glTF"
    import json

    doc = json.loads(face.read_text())
    assert doc["fps"] == FPS and len(doc["frames"]) == N and "jaw_open" in doc["frames"][0]


@pytest.fixture(scope="module")
def imitation(tmp_path_factory):
    """A performer whose face motion is known exactly (the bundled persona saying a line, with its
    own blinks and head motion), imitated by the same persona from the video and its transcript
    (without one, recognising the watermarked sound differed from minute to minute)."""
    from conftest import SCRIPT
    from digihuman.mocap.imitate import imitate
    from digihuman.pipeline import SayOptions, say

    d = tmp_path_factory.mktemp("imitate")
    perf = say(SCRIPT, d / "performer.mp4", options=SayOptions(seed=3))
    out, n, track, notes = imitate(None, d / "performer.mp4", d / "imitation.mp4", transcript=SCRIPT)
    return perf, out, n, track


def test_imitation_follows_the_performer(imitation):
    perf, out, n, track = imitation
    m = min(perf.track.n_frames, track.n_frames)

    def corr(name):
        return float(np.corrcoef(perf.track.column(name)[:m], track.column(name)[:m])[0, 1])

    assert corr("blink_l") > 0.6 and corr("blink_r") > 0.6  # blinks at the performer's moments
    # head turns the same way; the performer's yaw is tiny (about 0.5 degree), so FaceMesh noise
    # weighs on its correlation (0.35-0.7 as the renderer changed) far more than on the roll's
    assert corr("head_roll") > 0.8 and corr("head_yaw") > 0.2
    # the performer's speech drives the lips: aligned from the video's sound (pocketsphinx), not
    # copied from the performer's own TTS timeline, so the curves differ in detail (r 0.61 measured)
    assert corr("jaw_open") > 0.5
    # the performer shows no expression: speaking and blinking must not read as a smile or brows
    assert track.column("smile").std() < 0.1 and track.column("brow").std() < 0.15


def test_imitation_video_has_the_performers_sound_and_length(imitation):
    import av

    perf, out, n, _ = imitation
    with av.open(str(out)) as c:
        frames = sum(1 for _ in c.decode(video=0))
    with av.open(str(out)) as c:
        audio = sum(f.samples for f in c.decode(audio=0)) / c.streams.audio[0].rate
    assert frames == n == perf.n_frames
    assert abs(audio - perf.speech.audio.duration) < 0.05


def test_say_plays_a_captured_motion(upright, tmp_path):
    from digihuman.body.bvh import write_bvh
    from digihuman.pipeline import SayOptions, say

    bvh = write_bvh(upright.clip, tmp_path / "captured.bvh")
    res = say("Watch me move like him.", tmp_path / "moved.mp4", options=SayOptions(motion=str(bvh)))
    motion = res.motion
    assert motion is not None and motion.n_frames == res.n_frames and abs(motion.fps - 25) < 1e-9
    ix = motion.skeleton.index
    k = min(motion.n_frames, upright.clip.n_frames) - 1  # same rate: frame k is the capture's frame k (looped)
    for j in ("LeftForeArm", "Neck", "Spine"):
        assert np.allclose(motion.rotations[k, ix[j]], upright.clip.rotations[k, ix[j]], atol=0.05)
    other = tmp_path / "other.bvh"
    other.write_text("HIERARCHY\nROOT Pelvis\n{\n  OFFSET 0 0 0\n  CHANNELS 6 Xposition Yposition Zposition "
                     "Zrotation Xrotation Yrotation\n  End Site\n  {\n    OFFSET 0 1 0\n  }\n}\nMOTION\nFrames: 1\n"
                     "Frame Time: 0.04\n0 0 0 0 0 0\n")
    with pytest.raises(InputError, match="another skeleton"):
        say("Hello.", tmp_path / "no.mp4", options=SayOptions(motion=str(other)))
    assert not (tmp_path / "no.mp4").exists()


def test_shot_cuts_and_a_person_out_of_view(footage):
    cap = capture(footage["cuts"])
    assert any("out of view for 0.4 s" in n for n in cap.notes), cap.notes
    assert any("shot cut" in n for n in cap.notes), cap.notes
    assert cap.clip.n_frames == 40 and not limit_violations(cap.clip)
    ix = cap.clip.skeleton.index
    # both shots show crossed arms (the second mirrored: the arms swap roles); no flip at the cuts
    for j in ("LeftForeArm", "RightForeArm"):
        a = cap.clip.rotations[:, ix[j], 1]
        assert np.abs(a[:15]).min() > 30 and np.abs(a[25:]).min() > 30, (j, a.round(0))


def test_two_processes_capture_the_same_motion(footage, upright, monkeypatch):
    import digihuman.mocap.motion as motion

    monkeypatch.setattr(motion, "SPLIT_SECONDS", 0.5)  # split even this 1.6 s clip between 2 processes
    cap = capture(footage["upright"], face=True, workers=2)
    assert cap.clip.n_frames == upright.clip.n_frames and np.allclose(cap.times, upright.times)
    for j in ARMS:
        assert np.abs(np.median(_angles(cap, j), axis=0) - np.median(_angles(upright, j), axis=0)).max() < 10, j
    assert np.abs(np.diff(_angles(cap, "LeftForeArm"), axis=0)).max() < 8.0  # no jump where the halves meet
    assert cap.face.n_frames == upright.face.n_frames
