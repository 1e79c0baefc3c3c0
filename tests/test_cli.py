"""The command line: personas, `say` with a persona at 1024 px, and every bad input.

Each bad input must give `error:` + `hint:` on stderr, a non-zero exit, and leave nothing behind.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from skimage import data

from conftest import DATA, detect, lip_gap_ratio
from digihuman.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def photos(tmp_path) -> dict[str, Path]:
    astro = data.astronaut()
    paths = {}

    def save(name, rgb):
        paths[name] = tmp_path / name
        cv2.imwrite(str(paths[name]), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))

    save("blank.png", np.full((512, 512, 3), 200, np.uint8))
    save("tiny.png", cv2.resize(astro, (96, 96), interpolation=cv2.INTER_AREA))
    obama = cv2.cvtColor(cv2.imread(str(DATA / "obama2.jpg")), cv2.COLOR_BGR2RGB)
    smaller = cv2.resize(astro, (700, 700), interpolation=cv2.INTER_AREA)  # face ~150 px vs ~300
    pad = np.full((obama.shape[0], smaller.shape[1], 3), 255, np.uint8)
    pad[: smaller.shape[0]] = smaller
    save("two_faces.png", np.hstack([obama, pad]))
    # two people small in a wide shot: FaceMesh alone saw neither ("could not be traced")
    wide = np.full((960, 1600, 3), 200, np.uint8)
    small = cv2.resize(obama, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    wide[50:50 + small.shape[0], 100:100 + small.shape[1]] = small
    wide[50:562, 988:1500] = astro
    save("two_small_faces.jpg", wide)
    (tmp_path / "not_an_image.jpg").write_text("this is text, not a JPEG\n")
    paths["not_an_image.jpg"] = tmp_path / "not_an_image.jpg"
    raw = (DATA / "obama2.jpg").read_bytes()
    (tmp_path / "truncated.jpg").write_bytes(raw[: len(raw) // 3])
    paths["truncated.jpg"] = tmp_path / "truncated.jpg"
    return paths


@pytest.mark.parametrize(
    "photo, words",
    [
        ("blank.png", "no face"),
        ("tiny.png", "too small"),
        ("not_an_image.jpg", "not an image"),
        ("truncated.jpg", "damaged"),
    ],
)
def test_bad_photo_is_refused_and_nothing_is_created(capsys, home, photos, photo, words):
    code, _, err = run(capsys, "persona", "create", "bad", "--photo", str(photos[photo]))
    assert code == 2
    assert "error:" in err and "hint:" in err and words in err.lower()
    root = home / "personas"
    assert not (root / "bad").exists()
    assert not root.exists() or [p for p in leftovers(root) if p.startswith(".")] == []  # no temp folders


def test_face_cut_off_by_the_border_is_refused(capsys, home):
    code, _, err = run(capsys, "persona", "create", "partial", "--photo", str(DATA / "obama_partial_face.jpg"))
    assert code == 2 and "error:" in err
    assert not (home / "personas" / "partial").exists()


def test_persona_name_cannot_escape_the_folder(capsys, home, photos):
    for name in ("../evil", "a/b", "..", "Bad Name", ""):
        code, _, err = run(capsys, "persona", "create", name, "--photo", str(DATA / "obama2.jpg"))
        assert code == 2 and "invalid persona name" in err
    assert not (home.parent / "evil").exists()


def test_two_faces_picks_the_largest(capsys, home, photos):
    code, out, err = run(capsys, "persona", "create", "pair", "--photo", str(photos["two_faces.png"]))
    assert code == 0, err
    assert "2 faces" in err
    info = json.loads(run(capsys, "persona", "show", "pair")[1])
    x, y, side, _ = info["face"]["crop"]
    assert x + side / 2 < 626  # framed on obama (left, larger), not the small astronaut
    assert run(capsys, "persona", "delete", "pair", "--yes")[0] == 0


def test_two_small_faces_in_a_wide_photo(capsys, home, photos):
    code, out, err = run(capsys, "persona", "create", "wide", "--photo", str(photos["two_small_faces.jpg"]))
    assert code == 0, err
    assert "2 faces" in err and "could not be traced" not in err
    info = json.loads(run(capsys, "persona", "show", "wide")[1])
    x, y, side, _ = info["face"]["crop"]
    assert x + side / 2 < 800  # framed on the larger face (left)
    assert run(capsys, "persona", "delete", "wide", "--yes")[0] == 0


def test_persona_lifecycle_and_say_at_1024(capsys, home, tmp_path):
    code, out, err = run(capsys, "persona", "create", "obama", "--photo", str(DATA / "obama2.jpg"))
    assert code == 0, err
    folder = home / "personas" / "obama"
    meta = json.loads((folder / "persona.json").read_text())
    assert meta["name"] == "obama" and len(meta["face"]["crop"]) == 4
    assert (folder / "photo.png").is_file() and (folder / "face.npz").is_file()
    assert "obama" in run(capsys, "persona", "list")[1].split()
    # exists: refuse without --force
    code, _, err = run(capsys, "persona", "create", "obama", "--photo", str(DATA / "obama2.jpg"))
    assert code == 2 and "--force" in err

    out_mp4 = tmp_path / "obama.mp4"
    code, _, err = run(capsys, "-q", "say", "Mama, look up.", "--persona", "obama", "--size", "1024", "-o", str(out_mp4))
    assert code == 0, err
    from digihuman.video.encoder import probe, read_frames

    info = probe(out_mp4)
    assert (info.width, info.height) == (1024, 1024)
    frames = list(read_frames(out_mp4))
    gaps = [lip_gap_ratio(p) for p in detect(frames[::2]) if p is not None]
    assert len(gaps) >= len(frames[::2]) - 1
    # obama2 has his mouth open in the photo: the render must both close it (m) and open it
    assert min(gaps) < 0.06 and max(gaps) > 0.15

    assert run(capsys, "persona", "delete", "obama", "--yes")[0] == 0
    assert not folder.exists()
    code, _, err = run(capsys, "say", "Hi.", "--persona", "obama", "-o", str(tmp_path / "x.mp4"))
    assert code == 2 and "no persona" in err and not (tmp_path / "x.mp4").exists()


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 20_000, "split"),
        ("😀🎉👍", "nothing"),
        ("안녕하세요, 반갑습니다.", "--lang"),
    ],
)
def test_bad_text_is_refused_before_any_output(capsys, home, tmp_path, text, words):
    out = tmp_path / "out.mp4"
    code, _, err = run(capsys, "say", text, "-o", str(out))
    assert code == 2, err
    assert "error:" in err and words in err.lower()
    assert leftovers(tmp_path) == []


def test_output_that_cannot_be_written(capsys, home, tmp_path):
    code, _, err = run(capsys, "say", "Hi.", "-o", str(tmp_path / "missing" / "out.mp4"))
    assert code == 3 and "does not exist" in err
    code, _, err = run(capsys, "say", "Hi.", "-o", str(tmp_path))
    assert code == 3 and "directory" in err
    code, _, err = run(capsys, "say", "Hi.", "-o", str(tmp_path / "out.avi"))
    assert code == 3 and ".mp4" in err


def test_failure_mid_render_leaves_no_file(home, tmp_path, monkeypatch):
    """A crash while frames stream into the encoder must not leave a partial MP4."""
    from digihuman import say
    from digihuman.face import renderer as renderer_mod

    real = renderer_mod.FaceRenderer.render_track

    def exploding(self, track):
        for i, frame in enumerate(real(self, track)):
            if i == 10:
                raise RuntimeError("simulated crash")
            yield frame

    monkeypatch.setattr(renderer_mod.FaceRenderer, "render_track", exploding)
    with pytest.raises(RuntimeError, match="simulated crash"):
        say("Hello there, this will not finish.", tmp_path / "out.mp4")
    assert leftovers(tmp_path) == []


def test_home_option_works_before_or_after_the_command(capsys, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run(capsys, "--home", str(a), "persona", "create", "x1", "--photo", str(DATA / "obama2.jpg"))[0] == 0
    assert run(capsys, "persona", "create", "x2", "--photo", str(DATA / "obama2.jpg"), "--home", str(b))[0] == 0
    assert (a / "personas" / "x1").is_dir() and (b / "personas" / "x2").is_dir()
    assert "x2" in run(capsys, "persona", "list", "--home", str(b))[1].split()


def test_help_teaches(capsys):
    with pytest.raises(SystemExit) as e:
        main(["say", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "--cues" in out and "Rhubarb" in out


def test_copy_of_persona_folder_is_loadable(home, tmp_path):
    """A persona folder is self-contained: copying it to another home keeps it working."""
    from digihuman import PersonaStore

    store = PersonaStore(home)
    store.create("copyme", DATA / "obama2.jpg")
    other = PersonaStore(tmp_path / "other")
    other.root.mkdir(parents=True)
    shutil.copytree(store.root / "copyme", other.root / "copyme")
    p = other.load("copyme")
    assert p.photo.shape[2] == 3 and p.face.landmarks.shape == (478, 3)
    store.delete("copyme")
