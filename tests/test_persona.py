"""Persona storage: atomic creation, crash safety, safe photo loading."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from conftest import DATA
from digihuman.errors import InputError, PersonaError
from digihuman.persona import PersonaStore, load_photo
from digihuman.persona import store as store_mod


@pytest.fixture
def store(tmp_path) -> PersonaStore:
    return PersonaStore(tmp_path / "home")


def test_create_load_roundtrip(store):
    made = store.create("obama", DATA / "obama2.jpg")
    loaded = store.load("obama")
    assert np.array_equal(loaded.photo, made.photo)
    assert np.allclose(loaded.face.landmarks, made.face.landmarks)
    assert loaded.face.crop == made.face.crop
    meta = json.loads((store.root / "obama" / "persona.json").read_text())
    assert meta["schema"] == 1 and meta["voice"] == "kokoro:af_heart"  # the English default, never from the photo
    assert store.names() == ["obama"]


def test_crash_mid_create_leaves_nothing(store, monkeypatch):
    def boom(*a, **k):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(store_mod, "write_json_atomic", boom)
    with pytest.raises(OSError):
        store.create("obama", DATA / "obama2.jpg")
    assert list(store.root.iterdir()) == []


def test_failed_force_replace_keeps_the_old_persona(store, monkeypatch):
    store.create("obama", DATA / "obama2.jpg")
    before = (store.root / "obama" / "persona.json").read_text()

    def boom(*a, **k):
        raise OSError("simulated")

    monkeypatch.setattr(store_mod, "write_json_atomic", boom)
    with pytest.raises(OSError):
        store.create("obama", DATA / "obama2.jpg", force=True)
    assert (store.root / "obama" / "persona.json").read_text() == before
    assert store.names() == ["obama"] and len(list(store.root.iterdir())) == 1


def test_damaged_persona_says_how_to_fix(store):
    store.create("obama", DATA / "obama2.jpg")
    (store.root / "obama" / "face.npz").write_bytes(b"garbage")
    with pytest.raises(PersonaError, match="damaged") as e:
        store.load("obama")
    assert "--force" in e.value.hint


def test_default_persona_is_builtin(store):
    p = store.load("default")
    assert p.builtin and p.photo.shape == (512, 512, 3)
    with pytest.raises(PersonaError):
        store.delete("default")


def test_photo_exif_orientation_and_alpha(tmp_path):
    im = Image.open(DATA / "obama2.jpg")
    w, h = im.size
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    rotated = tmp_path / "rot.jpg"
    im.save(rotated, exif=exif.tobytes())
    assert load_photo(rotated).shape[:2] == (w, h)  # upright: width and height swap
    rgba = Image.new("RGBA", (64, 48), (255, 0, 0, 0))
    rgba.save(tmp_path / "a.png")
    assert (load_photo(tmp_path / "a.png") == 255).all()  # transparent -> white


def test_decompression_bomb_refused_before_decoding(tmp_path):
    # A tiny PNG file whose header claims 20000x20000 pixels.
    buf = io.BytesIO()
    Image.new("L", (20000, 20000)).save(buf, format="PNG", optimize=True)
    path = tmp_path / "bomb.png"
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 2_000_000
    with pytest.raises(InputError, match="megapixels"):
        load_photo(path)


def test_large_photo_is_downscaled_on_load(tmp_path):
    Image.new("RGB", (4000, 3000), (10, 20, 30)).save(tmp_path / "big.jpg")
    assert max(load_photo(tmp_path / "big.jpg").shape[:2]) == 2048


def test_16_bit_grayscale_photo_keeps_its_tones(store, tmp_path):
    """A 16-bit grayscale PNG (values up to 65535) once loaded as washed-out white: no face."""
    import cv2

    gray8 = cv2.imread(str(DATA / "obama2.jpg"), cv2.IMREAD_GRAYSCALE)
    cv2.imwrite(str(tmp_path / "g16.png"), gray8.astype(np.uint16) * 257)
    assert Image.open(tmp_path / "g16.png").mode.startswith("I")  # really a 16-bit file
    rgb = load_photo(tmp_path / "g16.png")
    assert rgb.dtype == np.uint8 and rgb.shape == (*gray8.shape, 3)
    assert np.abs(rgb[..., 0].astype(int) - gray8).max() <= 1
    made = store.create("gray16", tmp_path / "g16.png")
    assert made.face.n_faces == 1
