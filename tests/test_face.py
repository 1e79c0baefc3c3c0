"""Face analysis and renderer on the real astronaut photo; content checked by re-detecting
landmarks with MediaPipe on rendered frames."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from digihuman.errors import FaceError
from digihuman.face.landmarks import analyze_face, detect_landmarks
from digihuman.face.renderer import FaceRenderer
from digihuman.types import FACE_PARAMS, NEUTRAL_PARAMS, FaceTrack


def params(**kw: float) -> np.ndarray:
    d = dict(NEUTRAL_PARAMS)
    d.update(kw)
    return np.array([d[n] for n in FACE_PARAMS], dtype=np.float32)


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    from skimage import data

    return data.astronaut()


@pytest.fixture(scope="module")
def analysis(photo):
    return analyze_face(photo)


@pytest.fixture(scope="module")
def renderer(photo, analysis) -> FaceRenderer:
    return FaceRenderer(photo, analysis, 512)


def _landmarks(frame: np.ndarray) -> np.ndarray:
    lm = detect_landmarks(frame)
    assert lm is not None, "no face re-detected in the rendered frame"
    return lm


def _gap_ratio(lm: np.ndarray) -> float:
    return float(np.linalg.norm(lm[14] - lm[13]) / np.linalg.norm(lm[291] - lm[61]))


def _eye_ratio(lm: np.ndarray) -> float:
    r = np.linalg.norm(lm[145] - lm[159]) / np.linalg.norm(lm[133] - lm[33])
    left = np.linalg.norm(lm[374] - lm[386]) / np.linalg.norm(lm[362] - lm[263])
    return float(max(r, left))


# --- analysis -------------------------------------------------------------------------------

def test_analysis_of_astronaut(analysis):
    assert analysis.n_faces == 1
    assert analysis.landmarks.shape == (478, 3) and analysis.landmarks.dtype == np.float32
    x, y, side, side2 = analysis.crop
    assert side == side2 and 2.5 < side / analysis.extra["face_width_px"] < 3.1
    for key in ("mouth_width_px", "lip_gap_px", "eye_open_l_ratio", "roll_rad"):
        assert isinstance(analysis.extra[key], float)
    assert analysis.extra["lip_gap_ratio"] > 0.08  # the astronaut shows her teeth


def test_blank_image_has_no_face():
    with pytest.raises(FaceError) as e:
        analyze_face(np.full((300, 300, 3), 127, np.uint8))
    assert "no face" in e.value.message and e.value.hint


def test_tiny_face_is_too_small(photo):
    small = cv2.resize(photo, (320, 320), interpolation=cv2.INTER_AREA)  # face ~57 px wide
    with pytest.raises(FaceError) as e:
        analyze_face(small)
    assert "too small" in e.value.message and "80" in e.value.message


def test_cut_off_face(photo):
    with pytest.raises(FaceError) as e:
        analyze_face(np.ascontiguousarray(photo[:, 215:]))
    assert "cut off" in e.value.message


def test_two_faces_picks_largest(photo):
    head = photo[:260, 120:380]
    small = cv2.resize(head, (200, 200))[:, ::-1]
    both = np.ascontiguousarray(np.hstack([head, np.pad(small, ((0, 60), (0, 0), (0, 0)))]))
    a = analyze_face(both)
    assert a.n_faces == 2
    assert a.landmarks[1, 0] < 260  # the nose of the big (left) face


# --- renderer -------------------------------------------------------------------------------

def test_render_contract(renderer):
    f1 = renderer.render(params())
    f2 = renderer.render(params())
    assert f1.shape == (512, 512, 3) and f1.dtype == np.uint8
    assert f1 is not f2 and np.array_equal(f1, f2)
    assert renderer.base_frame.shape == (512, 512, 3)
    frames = list(renderer.render_track(FaceTrack.neutral(3, 25.0)))
    assert len(frames) == 3


def test_closed_mouth(renderer):
    lm = _landmarks(renderer.render(params(jaw_open=0.0)))
    assert _gap_ratio(lm) < 0.03


def test_open_mouth(renderer):
    frame = renderer.render(params(jaw_open=0.35))
    lm = _landmarks(frame)
    assert _gap_ratio(lm) > 0.15
    # inside the opening is darker than the closed mouth at the same place
    closed = renderer.render(params(jaw_open=0.0))
    c = ((lm[13] + lm[14]) / 2).astype(int)
    lo = lm[14].astype(int)
    y0, y1 = int((c[1] + lo[1]) / 2) - 2, int((c[1] + lo[1]) / 2) + 3
    win = np.s_[y0:y1, c[0] - 6:c[0] + 7]
    assert frame[win].mean() < 0.7 * closed[win].mean()


def test_mouth_width_narrows_corners(renderer):
    wide = _landmarks(renderer.render(params(jaw_open=0.1)))
    narrow = _landmarks(renderer.render(params(jaw_open=0.1, mouth_width=0.8)))
    w = lambda lm: np.linalg.norm(lm[291] - lm[61])  # noqa: E731
    assert w(narrow) < 0.93 * w(wide)


def test_blink_closes_eyes(renderer):
    open_ = _eye_ratio(_landmarks(renderer.render(params())))
    shut = _eye_ratio(_landmarks(renderer.render(params(blink_l=1.0, blink_r=1.0))))
    # MediaPipe reads a warped-shut eye as ~0.1 (a real closed eye reads ~0.05-0.1)
    assert open_ > 0.2 and shut < 0.15 and shut < 0.4 * open_


def test_far_pixels_unchanged_with_head_motion(renderer):
    frame = renderer.render(params(jaw_open=0.3, head_yaw=0.08, head_roll=0.06, head_dx=0.05,
                                   head_dy=-0.03, breath=1.0))
    base = renderer.base_frame
    assert np.array_equal(frame[:40, :40], base[:40, :40])
    assert np.array_equal(frame[:40, -40:], base[:40, -40:])
    rx, ry, rw, rh = renderer.roi
    assert not np.array_equal(frame[ry:ry + rh, rx:rx + rw], base[ry:ry + rh, rx:rx + rw])


def test_upper_face_still_when_mouth_moves(renderer, analysis):
    a = renderer.render(params(jaw_open=0.0))
    b = renderer.render(params(jaw_open=0.35, mouth_width=0.85))
    lm = _landmarks(a)
    y0 = int(lm[10, 1])
    y1 = int(lm[6, 1])  # forehead top to between the eyes
    x0, x1 = int(lm[234, 0]), int(lm[454, 0])
    diff = np.abs(a[y0:y1, x0:x1].astype(int) - b[y0:y1, x0:x1].astype(int)).mean()
    assert diff < 1.0


def test_head_motion_moves_face(renderer):
    a = _landmarks(renderer.render(params()))
    b = _landmarks(renderer.render(params(head_dx=0.05)))
    shift = float(np.median(b[:, 0] - a[:, 0]))
    expected = 0.05 * renderer.rig.face_w
    assert 0.6 * expected < shift < 1.4 * expected


def test_renderer_1024_and_padding(photo, analysis):
    r = FaceRenderer(photo, analysis, 1024)
    frame = r.render(params(jaw_open=0.2))
    assert frame.shape == (1024, 1024, 3)
    lm = _landmarks(frame)
    assert _gap_ratio(lm) > 0.08
