"""Virtual faces: `face create` on real public-domain portraits, judged by independent models
(dlib's face descriptor for identity, MediaPipe for "detected and meshed like a photo")."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import DATA, lip_gap_ratio

SCRIPT = "Bob met Pam at the park by the map."


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    import cv2
    from skimage import data

    d = tmp_path_factory.mktemp("fg")
    astro = d / "astronaut.jpg"
    cv2.imwrite(str(astro), data.astronaut()[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])
    return [astro, DATA / "obama2.jpg"]


@pytest.fixture(scope="module")
def made(sources, tmp_path_factory, home):
    """`face create` from the CLI, once: the PNG and its persona."""
    from digihuman.cli import main

    out = tmp_path_factory.mktemp("fgout") / "nova.png"
    assert main(["-q", "face", "create", "--from", *map(str, sources), "-o", str(out)]) == 0
    assert main(["-q", "persona", "create", "nova", "--photo", str(out), "--force"]) == 0
    return out


def test_new_face_is_a_face_and_a_new_person(made, sources):
    from digihuman.face.landmarks import analyze_face
    from digihuman.facegen.measure import descriptor, face_sharpness, face_width, identity_distance
    from digihuman.persona.photo import load_photo

    img = load_photo(made)
    fa = analyze_face(img)  # meshed like a photo (raises if not)
    assert fa.landmarks.shape[0] >= 468
    new = descriptor(img)
    assert new is not None
    srcs = [load_photo(s) for s in sources]
    dists = [identity_distance(new, descriptor(s)) for s in srcs]
    assert min(dists) >= 0.4, dists  # measured 0.55-0.58
    lms = [analyze_face(s).landmarks for s in srcs]
    w = min([face_width(m) for m in lms] + [face_width(fa.landmarks)])
    ratio = face_sharpness(img, fa.landmarks, w) / np.mean([face_sharpness(s, m, w) for s, m in zip(srcs, lms)])
    # issue 12's target is 0.8; measured ~0.76 (the base photo is the softer one, and every
    # resampling costs detail): bench_facegen.py reports it. Ghosting would give ~0.4.
    assert ratio >= 0.65, ratio


def test_base_keeps_background_and_hair(made, sources):
    from digihuman.persona.photo import load_photo

    out, base = load_photo(made).astype(int), load_photo(sources[0]).astype(int)
    assert out.shape == base.shape
    assert np.abs(out[:60] - base[:60]).mean() < 2.0  # top of the frame: background
    assert np.abs(out[:, :60] - base[:, :60]).mean() < 2.0
    assert np.abs(out - base).mean() > 1.0  # but the face did change


def test_persona_records_synthetic(made, home):
    import json

    from digihuman.facegen import synthetic_marker

    meta = synthetic_marker(made)
    assert meta and meta["synthetic"] and len(meta["sources"]) == 2 and meta["sources"][1]["name"] == "obama2.jpg"
    doc = json.loads((home / "personas" / "nova" / "persona.json").read_text())
    assert "morph" in doc["consent"]["photo_synthetic"]
    assert synthetic_marker(DATA / "obama2.jpg") is None


def test_lip_sync_holds_on_the_virtual_face(made, tmp_path):
    from conftest import render

    r = render(tmp_path, SCRIPT, persona="nova")
    assert all(p is not None for p in r.landmarks)
    gaps = [lip_gap_ratio(p) for p in r.landmarks]
    fps, n = r.info.fps, len(gaps)
    ph = r.timeline["phonemes"]
    win = lambda s, e: range(max(0, int(np.floor(s * fps - 0.5))), min(n - 1, int(np.ceil(e * fps - 0.5))) + 1)  # noqa: E731
    closed = [min(gaps[i] for i in win(p["start"] - 0.02, p["end"] + 0.02)) <= 0.06
              for p in ph if p["symbol"].strip("ˈˌ") in ("p", "b", "m")]
    opened = [max(gaps[i] for i in win(p["start"], p["end"])) >= 0.12 for p in ph
              if p["symbol"].strip("ˈˌː") in ("ɑ", "æ", "a", "ʌ", "ɔ") and p["end"] - p["start"] >= 0.06]
    assert len(closed) >= 5 and np.mean(closed) >= 0.9, closed
    assert len(opened) >= 3 and np.mean(opened) >= 0.9, opened


def test_features_and_weights(sources, tmp_path):
    """Mixed formats and sizes (a 512 px JPEG and a 1024x534 PNG), weights that do not sum to 1."""
    from PIL import Image

    from digihuman.facegen import create_face

    png = tmp_path / "obama2.png"
    Image.open(sources[1]).save(png)
    res = create_face([str(sources[0]), str(png)], weights=[3, 1], features="eyes=obama2,mouth=1",
                      check_identity=False)
    assert res.image.shape == (512, 512, 3)
    assert res.weights["shape"] == pytest.approx((0.75, 0.25))
    assert res.weights["eyes"] == (0.0, 1.0) and res.weights["mouth"] == (1.0, 0.0)
    assert any("scaled to 0.75,0.25" in n for n in res.notes)


def test_bad_input(sources, tmp_path):
    from digihuman.errors import FaceError, InputError
    from digihuman.face.landmarks import analyze_face
    from digihuman.facegen import create_face
    from digihuman.facegen.morph import Source, blend_faces, REGIONS
    from digihuman.persona.photo import load_photo

    blank = np.full((400, 400, 3), 128, np.uint8)
    with pytest.raises(FaceError, match="blank.png: no face"):
        create_face([str(sources[0]), ("blank.png", blank)])
    with pytest.raises(InputError, match="3 weights for 2"):
        create_face([str(s) for s in sources], weights=[0.2, 0.3, 0.5])
    with pytest.raises(InputError, match="unknown face region"):
        create_face([str(s) for s in sources], features="ears=1")
    with pytest.raises(InputError, match="at least two"):
        create_face([str(sources[0])])
    # a head turned 35 degrees away: the same face rotated about the vertical axis (3-D landmarks)
    img = load_photo(sources[0])
    lm = analyze_face(img).landmarks.astype(np.float64)
    c = lm.mean(axis=0)
    a = np.radians(35)
    rot = lm.copy()
    rot[:, 0] = c[0] + (lm[:, 0] - c[0]) * np.cos(a) - (lm[:, 2] - c[2]) * np.sin(a)
    rot[:, 2] = c[2] + (lm[:, 0] - c[0]) * np.sin(a) + (lm[:, 2] - c[2]) * np.cos(a)
    w = {r: np.array([0.5, 0.5]) for r in REGIONS}
    with pytest.raises(InputError, match="turned|different directions"):
        blend_faces([Source("front.jpg", img, lm), Source("turned.jpg", img, rot)], w)
    from digihuman.cli import main

    assert main(["face", "create", "--from", str(sources[0]), str(sources[1]), "--weights", "a,b",
                 "-o", str(tmp_path / "x.png")]) == 2
    assert not (tmp_path / "x.png").exists()
