import json

import numpy as np
import pytest

from digihuman.lipsync import mouth_cues, phoneme_viseme, timeline_dict, write_cues_tsv, write_timeline_json
from digihuman.types import Audio, Phoneme, Speech, Timeline, Viseme, Word


def make_timeline(spec):
    """spec: [(symbol, duration s)] -> contiguous Timeline."""
    t, ph = 0.0, []
    for sym, d in spec:
        ph.append(Phoneme(sym, t, t + d))
        t += d
    return Timeline((), tuple(ph), t)


@pytest.fixture(scope="module")
def speech():
    from digihuman.speech import get_tts

    return get_tts().synthesize("Bob met Pam at the map. Maybe, bring both umbrellas!")


def check_cues(timeline, cues):
    assert cues[0].start == 0.0 and abs(cues[-1].end - timeline.duration) < 1e-9
    assert all(a.end == b.start for a, b in zip(cues, cues[1:]))
    assert all(a.shape != b.shape for a, b in zip(cues, cues[1:]))
    assert all(c.end - c.start >= 0.04 - 1e-9 for c in cues if c.shape != Viseme.A)
    for p in timeline.phonemes:
        if p.symbol.lstrip("ˈˌ").rstrip("ː") in ("p", "b", "m"):
            assert any(c.shape == Viseme.A and c.start < p.end and c.end > p.start for c in cues), p


def test_real_speech_cues(speech):
    cues = mouth_cues(speech.timeline)
    check_cues(speech.timeline, cues)
    shapes = {c.shape for c in cues}
    assert {Viseme.A, Viseme.X}.issubset(shapes) and len(shapes) >= 4
    assert cues[-1].shape == Viseme.X


def test_short_lip_closure_kept():
    tl = make_timeline([("", 0.2), ("ˈɑː", 0.15), ("p", 0.012), ("ə", 0.02), ("b", 0.015),
                        ("ˈæ", 0.2), ("m", 0.01), ("", 0.3)])
    cues = mouth_cues(tl)
    check_cues(tl, cues)
    assert all(c.end - c.start >= 0.04 - 1e-9 for c in cues if c.shape == Viseme.A)


def test_short_pause_is_not_idle():
    tl = make_timeline([("", 0.3), ("ˈæ", 0.2), ("", 0.08), ("ˈɛ", 0.2), ("", 0.3)])
    cues = mouth_cues(tl)
    check_cues(tl, cues)
    assert [c.shape for c in cues].count(Viseme.X) == 2  # only lead-in and tail


def test_random_timelines_keep_invariants():
    rng = np.random.default_rng(0)
    symbols = ["p", "b", "m", "ˈɑː", "ə", "t", "s", "f", "l", "u", "o", "ʊ", "h", "", "ɾ", "n̩", "ʔ", "?"]
    for _ in range(50):
        spec = [(str(rng.choice(symbols)), float(rng.uniform(0.005, 0.2))) for _ in range(40)]
        tl = make_timeline(spec)
        check_cues(tl, mouth_cues(tl))


def test_viseme_map():
    assert phoneme_viseme("m") == Viseme.A and phoneme_viseme("ˈɑː") == Viseme.D
    assert phoneme_viseme("f") == Viseme.G and phoneme_viseme("l") == Viseme.H
    assert phoneme_viseme("u") == Viseme.F and phoneme_viseme("ɚ") == Viseme.E
    assert phoneme_viseme("æ") == Viseme.C and phoneme_viseme("i") == Viseme.B
    assert phoneme_viseme("") == Viseme.X
    for sym in ["ɾ", "ɐ", "ᵻ", "ɜ", "ʔ", "n̩", "ʒ", "dʒ", "tʃ", "???", "☃"]:
        assert phoneme_viseme(sym) in set(Viseme)


def test_tsv(tmp_path, speech):
    cues = mouth_cues(speech.timeline)
    path = write_cues_tsv(cues, tmp_path / "cues.tsv")
    lines = path.read_text().splitlines()
    assert len(lines) == len(cues) + 1
    parsed = [(float(t), s) for t, s in (line.split("\t") for line in lines)]
    assert parsed[0][0] == 0.0 and parsed[-1] == (round(speech.audio.duration, 2), "X")
    assert all(s in "ABCDEFGHX" and len(s) == 1 for _, s in parsed)
    assert all(a[0] <= b[0] for a, b in zip(parsed, parsed[1:]))
    assert [p.name for p in tmp_path.iterdir()] == ["cues.tsv"]  # no temp files left


def test_json(tmp_path, speech):
    cues = mouth_cues(speech.timeline)
    d = timeline_dict(speech, cues)
    assert [w["text"] for w in d["words"]][:3] == ["Bob", "met", "Pam"]
    assert len(d["phonemes"]) == len(speech.timeline.phonemes)
    assert [v["shape"] for v in d["visemes"]] == [c.shape.value for c in cues]
    assert d["duration"] == round(speech.audio.duration, 3)
    path = write_timeline_json(speech, cues, tmp_path / "t.json")
    assert json.loads(path.read_text(encoding="utf-8")) == d


def test_empty_timeline():
    speech = Speech(Audio(np.zeros(0, np.float32), 22050), Timeline((), (), 0.0))
    assert mouth_cues(speech.timeline) == []
    assert timeline_dict(speech, [])["visemes"] == []
