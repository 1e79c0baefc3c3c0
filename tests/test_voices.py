"""Kokoro voices: installed assets, the voice catalog, per-persona choice, bad input, and the
exact timeline of real Kokoro synthesis (one shared clip; `say` with Kokoro is judged in
test_say.py, whose default persona speaks af_heart)."""

from __future__ import annotations

import json
import sys
import wave

import numpy as np
import pytest

from conftest import DATA
from digihuman.cli import main
from digihuman.errors import InputError
from digihuman.lipsync import mouth_cues, phoneme_viseme
from digihuman.speech import assets
from digihuman.types import Viseme

CLIP_TEXT = "Bob met Pam, and my mom bought a big map."


@pytest.fixture(scope="module")
def clip():
    """One real Kokoro synthesis (British male voice) shared by the timeline checks."""
    from digihuman.speech import get_tts

    tts = get_tts("kokoro", voice="bm_george")
    return tts, tts.synthesize(CLIP_TEXT)


def test_assets_are_in_the_venv_and_checked():
    model, voices = assets.model_path(), assets.voices_path()
    assert str(model).startswith(sys.prefix) and str(voices).startswith(sys.prefix)  # never the working dir
    m = assets.manifest()
    assert m["source_sha256"] == assets.expected_model_sha256() and m["voices"] == 54
    import onnx

    graph = onnx.load(str(model), load_external_data=False).graph
    assert [o.name for o in graph.output] == ["audio", assets.DURATION_OUTPUT]
    with np.load(voices) as npz:
        assert len(npz.files) == 54 and npz["af_heart"].shape == assets.VOICE_SHAPE


def test_corrupt_or_truncated_part_fails_the_hash_check(tmp_path):
    parts = assets.model_parts()
    truncated = tmp_path / "part.bin"
    with open(parts[3], "rb") as f:
        truncated.write_bytes(f.read(1 << 20))  # the last part cut to 1 MB
    out = tmp_path / "model.onnx"
    with pytest.raises(InputError) as e:
        assets.concat_checked([*parts[:3], truncated], assets.expected_model_sha256(), out, "Kokoro model")
    assert "corrupt or truncated" in e.value.message and "1,048,576 B" in e.value.message
    assert "make install" in e.value.hint
    assert not list(tmp_path.glob("model.onnx*"))  # nothing half-written


def test_missing_assets_fall_back_to_piper(tmp_path, monkeypatch):
    from digihuman.speech.voices import tts_for_voice

    monkeypatch.setenv("DIGIHUMAN_ASSETS", str(tmp_path))
    tts, note = tts_for_voice("kokoro:af_heart", "en")
    assert tts.name == "piper" and "make install" in note
    tts, note = tts_for_voice("kokoro:ef_dora", "es")
    assert tts.name == "espeak" and "ef_dora" in note


def test_kokoro_timeline_is_exact(clip):
    tts, speech = clip
    assert speech.audio.sample_rate == 24000 and 1.5 < speech.audio.duration < 6.0
    ph = speech.timeline.phonemes
    assert ph[0].start == 0.0 and all(a.end == b.start for a, b in zip(ph, ph[1:]))
    assert abs(ph[-1].end - speech.audio.duration) < 1e-9
    assert [w.text for w in speech.timeline.words] == ["Bob", "met", "Pam", "and", "my", "mom", "bought", "a",
                                                       "big", "map"]
    lips = [p for p in ph if p.symbol.lstrip("ˈˌ") in ("p", "b", "m")]
    assert len(lips) >= 9
    cues = mouth_cues(speech.timeline)
    for p in lips:
        assert phoneme_viseme(p.symbol) == Viseme.A
        assert any(c.shape == Viseme.A and c.start < p.end and c.end > p.start for c in cues), p
    # the voice is where the timeline says: silence until 20 ms before the first phoneme (a voiced
    # b starts ~10-15 ms early: prevoicing), energy in the words
    x, sr = speech.audio.samples, speech.audio.sample_rate
    first = next(p for p in ph if p.symbol)
    lead = x[: int((first.start - 0.02) * sr)]
    word = x[int(speech.timeline.words[0].start * sr): int(speech.timeline.words[0].end * sr)]
    assert np.sqrt(np.mean(lead ** 2)) < 0.1 * np.sqrt(np.mean(word ** 2))


def test_rate_shortens_kokoro(clip):
    from digihuman.speech import SpeechOptions

    tts, _ = clip
    base, fast = (tts.synthesize("Bob met Pam.", SpeechOptions(rate=r)) for r in (1.0, 1.6))
    assert [w.text for w in fast.timeline.words] == ["Bob", "met", "Pam"]
    assert fast.audio.duration < 0.75 * base.audio.duration  # 1 / 1.6 = 0.63, plus the fixed lead


def test_voices_lists_every_voice(capsys):
    assert main(["voices", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    kokoro = [r for r in rows if r["id"].startswith("kokoro:")]
    assert len(kokoro) == 54 and all(r["language"] and r["gender"] and r["description"] for r in kokoro)
    ids = {r["id"] for r in rows}
    assert {"kokoro:af_heart", "piper:en_US-joe-medium", "espeak:ko", "espeak:de"} <= ids
    assert main(["voices", "--lang", "en", "--gender", "female"]) == 0
    out = capsys.readouterr().out
    assert "af_heart" in out and "bf_emma" in out and "am_michael" not in out


def test_voices_writes_a_sample(tmp_path, capsys):
    out = tmp_path / "dora.wav"
    assert main(["voices", "ef_dora", "--out", str(out), "--text", "Hola, mamá."]) == 0
    with wave.open(str(out)) as w:
        assert w.getframerate() == 24000 and 0.5 < w.getnframes() / 24000 < 4.0
        x = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    assert np.abs(x).max() > 10000  # a real, peak-normalised voice


def test_unknown_voice_names_close_ones(capsys):
    assert main(["voices", "af_haert"]) == 2
    err = capsys.readouterr().err
    assert "unknown voice 'af_haert'" in err and "af_heart" in err
    assert main(["voices", "zf_xiaoyi", "--out", "x.wav"]) == 2
    assert "espeak:zh" in capsys.readouterr().err


def test_persona_voice_choice(tmp_path, capsys):
    home = str(tmp_path)
    photo = str(DATA / "obama2.jpg")
    # a language the voice cannot speak: refused before the photo is even read
    assert main(["--home", home, "persona", "create", "minji", "--photo", photo, "--lang", "ko",
                 "--voice-name", "af_heart"]) == 2
    err = capsys.readouterr().err
    assert "speaks English (American), not Korean" in err and "espeak:ko" in err
    assert main(["--home", home, "persona", "create", "george", "--photo", photo, "--voice-name", "bm_george"]) == 0
    meta = json.loads((tmp_path / "personas" / "george" / "persona.json").read_text())
    assert meta["voice"] == "kokoro:bm_george"
    capsys.readouterr()
    # no choice: the language's default, printed with how to change it (never from the photo)
    assert main(["--home", home, "persona", "create", "ann", "--photo", photo]) == 0
    out = capsys.readouterr().out
    assert "af_heart" in out and "--voice-name" in out
    assert main(["--home", home, "persona", "voice", "ann", "--voice-name", "piper"]) == 0
    meta = json.loads((tmp_path / "personas" / "ann" / "persona.json").read_text())
    assert meta["voice"] == "piper:en_US-joe-medium"
    assert main(["--home", home, "persona", "create", "minji", "--photo", photo, "--lang", "ko"]) == 0
    meta = json.loads((tmp_path / "personas" / "minji" / "persona.json").read_text())
    assert meta["voice"] == "espeak:ko"  # Kokoro has no Korean voice
