"""`lipsync`: a persona lip-synced to recorded speech, judged by re-detecting landmarks.

The "recording" with a known truth is the default (Kokoro) voice's own output (its phoneme
timeline is exact), lip-synced back with and without its transcript; real human recordings check
the no-transcript path in English and German and silence handling.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import DATA, SCRIPT, detect, lip_gap_ratio
from digihuman.cli import main
from test_say import BILABIALS, CLOSED_MAX, OPEN_MIN, OPEN_VOWELS, _base, _frames_over


@pytest.fixture(scope="module")
def synced(tmp_path_factory, rendered):
    """The piper audio of the shared `say` render, lip-synced back from a WAV with its transcript."""
    from digihuman import lipsync_audio
    from digihuman.audio import write_wav
    from digihuman.video.encoder import probe, read_frames

    tmp = tmp_path_factory.mktemp("lipsync")
    wav = tmp / "speech.wav"
    write_wav(wav, rendered.result.speech.audio)
    res = lipsync_audio(wav, tmp / "out.mp4", transcript=SCRIPT, cues=tmp / "out.tsv")
    frames = list(read_frames(res.video))
    return res, probe(res.video), [None if p is None else lip_gap_ratio(p) for p in detect(frames)], rendered


def test_recorded_audio_is_kept_and_lengths_agree(synced):
    res, info, gaps, rendered = synced
    truth_s = rendered.result.speech.audio.duration
    assert abs(info.video_duration - truth_s) <= 1 / 25 + 1e-6
    assert abs(info.audio_duration - truth_s) <= 1 / 25 + 1e-6
    assert None not in gaps


def test_mouth_closed_on_true_bilabials(synced):
    res, info, gaps, rendered = synced
    truth = [p for p in rendered.timeline["phonemes"] if _base(p["symbol"]) in BILABIALS]
    closed = [min(gaps[i] for i in _frames_over(p["start"] - 0.02, p["end"] + 0.02, 25.0, len(gaps))) <= CLOSED_MAX
              for p in truth]
    assert np.mean(closed) >= 0.9, f"closed on {sum(closed)}/{len(closed)}"


def test_mouth_open_on_true_open_vowels(synced):
    res, info, gaps, rendered = synced
    truth = [p for p in rendered.timeline["phonemes"]
             if _base(p["symbol"]) in OPEN_VOWELS and p["end"] - p["start"] >= 0.06]
    opened = [max(gaps[i] for i in _frames_over(p["start"], p["end"], 25.0, len(gaps))) >= OPEN_MIN for p in truth]
    assert np.mean(opened) >= 0.9, f"open on {sum(opened)}/{len(opened)}"


@pytest.fixture(scope="module")
def heard_synced(tmp_path_factory, rendered):
    """The same recording lip-synced WITHOUT its transcript: Whisper's words, then alignment."""
    from digihuman import lipsync_audio
    from digihuman.audio import write_wav
    from digihuman.video.encoder import read_frames

    tmp = tmp_path_factory.mktemp("lipsync_heard")
    wav = tmp / "speech.wav"
    write_wav(wav, rendered.result.speech.audio)
    res = lipsync_audio(wav, tmp / "out.mp4")
    return res, [None if p is None else lip_gap_ratio(p) for p in detect(list(read_frames(res.video)))]


def test_without_transcript_lips_hold_on_the_true_phonemes(heard_synced, rendered):
    res, gaps = heard_synced
    assert any("Whisper" in w for w in res.warnings)
    said = " ".join(w.text.lower() for w in res.speech.timeline.words)
    assert "pam" in said and "park" in said and "map" in said, said
    truth = rendered.timeline["phonemes"]
    lips = [p for p in truth if _base(p["symbol"]) in BILABIALS]
    vowels = [p for p in truth if _base(p["symbol"]) in OPEN_VOWELS and p["end"] - p["start"] >= 0.06]
    closed = [min(gaps[i] for i in _frames_over(p["start"] - 0.02, p["end"] + 0.02, 25.0, len(gaps))) <= CLOSED_MAX
              for p in lips]
    opened = [max(gaps[i] for i in _frames_over(p["start"], p["end"], 25.0, len(gaps))) >= OPEN_MIN for p in vowels]
    assert np.mean(closed) >= 0.9, f"closed on {sum(closed)}/{len(closed)}"
    assert np.mean(opened) >= 0.9, f"open on {sum(opened)}/{len(opened)}"


def test_human_recording_without_transcript(tmp_path, capsys):
    from digihuman.video.encoder import probe, read_frames

    out = tmp_path / "human.mp4"
    code = main(["-q", "lipsync", "--audio", str(DATA / "voices" / "en_patricia.wav"), "-o", str(out),
                 "--timeline", str(tmp_path / "t.json")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "no transcript" in err  # the user is told which method was used
    import json

    tl = json.loads((tmp_path / "t.json").read_text())
    gaps = [lip_gap_ratio(p) for p in detect(list(read_frames(out))) if p is not None]
    assert np.std(gaps) > 0.03  # the mouth moves with the speech
    # long silences keep the mouth closed
    for p in tl["phonemes"]:
        if p["symbol"] == "" and p["end"] - p["start"] >= 0.4:
            mid = int((p["start"] + p["end"]) / 2 * 25)
            assert gaps[mid] <= CLOSED_MAX
    assert probe(out).audio_duration == pytest.approx(tl["duration"], abs=0.05)


def test_other_language_recognised_by_whisper(tmp_path, capsys):
    out = tmp_path / "de.mp4"
    code = main(["lipsync", "--audio", str(DATA / "voices" / "de_Boris.wav"), "--lang", "de", "-o", str(out),
                 "--cues", str(tmp_path / "de.tsv")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Whisper" in err and "Verstand" in err  # recognised (not the acoustic fallback), and the user is told
    shapes = [line.split("\t")[1] for line in (tmp_path / "de.tsv").read_text().splitlines()]
    assert len(set(shapes) - {"X", "A"}) >= 2 and shapes.count("X") + shapes.count("A") >= 3


@pytest.fixture
def bad_audio(tmp_path, rendered):
    from digihuman.audio import write_wav
    from digihuman.types import Audio

    write_wav(tmp_path / "silence.wav", Audio(np.zeros(16000 * 3, np.float32), 16000))
    raw = rendered.result.video.read_bytes()
    (tmp_path / "truncated.mp4").write_bytes(raw[: len(raw) // 2])  # index (moov) is at the end
    (tmp_path / "text.mp3").write_text("not audio at all\n")
    return tmp_path


@pytest.mark.parametrize(
    "name, words",
    [("silence.wav", "no speech"), ("text.mp3", "not an audio file"), ("truncated.mp4", "not an audio file"),
     ("photo", "no audio stream")],
)
def test_bad_audio_is_refused(capsys, bad_audio, name, words):
    path = DATA / "obama2.jpg" if name == "photo" else bad_audio / name
    out = bad_audio / "out.mp4"
    code = main(["lipsync", "--audio", str(path), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "hint:" in err
    assert not out.exists() and not list(bad_audio.glob(".out.mp4*"))
