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


# --- artifacts: a photo with a wide-open mouth, closed by the rig -----------------------------

@pytest.fixture(scope="module")
def open_mouth_photo() -> tuple[np.ndarray, object]:
    from pathlib import Path

    img = cv2.imread(str(Path(__file__).parent / "data" / "obama2.jpg"))
    assert img is not None
    photo = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    a = analyze_face(photo)
    assert a.extra["lip_gap_ratio"] > 0.3  # the photo's mouth is wide open
    return photo, a


POSES = {"closed": params(jaw_open=0.0), "B": params(jaw_open=0.03), "nearly": params(jaw_open=0.06),
         "tuck": params(jaw_open=0.05, lip_tuck=1.0), "round": params(jaw_open=0.1, mouth_width=0.75, lip_round=0.9),
         "open": params(jaw_open=0.35)}


def _folded_area(rig, p: np.ndarray) -> float:
    """Area of mesh triangles turned over by the warp, in mouth widths squared."""
    def det(t):
        d1, d2 = t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]
        return d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]

    ds, dt = det(rig.tex[rig.tris]), det(rig.targets(p)[rig.tris])
    return float(np.abs(dt[np.sign(dt) != np.sign(ds)]).sum() / 2 / rig.mouth_w ** 2)


def test_no_folds_at_the_mouth(renderer, open_mouth_photo):
    """Closing a photo's open mouth must not turn mesh triangles over (the folds drew pink/dark
    wedges past the mouth corners); before the fix the open-mouth photo folded ~0.19 Wm^2."""
    photo, a = open_mouth_photo
    for rig in (renderer.rig, FaceRenderer(photo, a, 512).rig):
        for name, p in POSES.items():
            assert _folded_area(rig, p) < 0.004, name


def test_no_seam_between_exact_and_coarse_map(open_mouth_photo):
    """Away from the lip line the full-resolution block round the lips and the upsampled coarse
    map must agree: a mismatch shows as a hard edge in the cheek (was up to 74 levels)."""
    from digihuman.face.rig import OUTER_LO, OUTER_UP

    photo, a = open_mouth_photo
    r = FaceRenderer(photo, a, 1024)
    coarse = FaceRenderer(photo, a, 1024)
    coarse._exact = lambda *args, **kw: None  # coarse map only
    d = 3 * r._f + 2
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * d + 1, 2 * d + 1))
    for name, p in POSES.items():
        v = r.rig.targets(p)
        poly = np.vstack([v[list(OUTER_UP)], v[list(OUTER_LO)][::-1]])
        near = np.zeros((1024, 1024), np.uint8)
        cv2.fillPoly(near, [np.round(poly).astype(np.int32)], 1)
        far = cv2.dilate(near, kernel) == 0
        diff = np.abs(r.render(p).astype(int) - coarse.render(p).astype(int)).max(axis=2)
        assert diff[far].max() <= 12, name


def test_open_mouth_photo_closes_and_opens(open_mouth_photo):
    photo, a = open_mouth_photo
    r = FaceRenderer(photo, a, 512)
    assert _gap_ratio(_landmarks(r.render(params(jaw_open=0.0)))) < 0.03
    assert _gap_ratio(_landmarks(r.render(params(jaw_open=0.35)))) > 0.15
