import re

import numpy as np
import pytest

from digihuman.errors import BackendUnavailable, TextError
from digihuman.speech import SpeechOptions, get_tts

TEXT = "Bob met Pam at the map."


@pytest.fixture(scope="module")
def tts():
    return get_tts("piper")


@pytest.fixture(scope="module")
def speech(tts):
    return tts.synthesize(TEXT)


def test_timeline_contiguous_and_covers_audio(speech):
    ph = speech.timeline.phonemes
    assert ph[0].start == 0.0
    assert all(abs(a.end - b.start) < 1e-9 for a, b in zip(ph, ph[1:]))
    assert all(p.end > p.start for p in ph)
    assert abs(ph[-1].end - speech.audio.duration) < 1e-3
    assert abs(speech.timeline.duration - speech.audio.duration) < 1e-3


def test_lip_phonemes_present(speech):
    lips = [p for p in speech.timeline.phonemes if p.symbol in ("p", "b", "m")]
    # Bob (b, b), met (m), Pam (p, m), map (m, p)
    assert len(lips) >= 6
    for p in lips:
        assert 0.01 <= p.duration <= 0.3
        assert 0.0 < p.start < speech.audio.duration


def test_words_match_text(speech):
    assert [w.text for w in speech.timeline.words] == re.findall(r"\w+", TEXT)
    for w in speech.timeline.words:
        assert w.end > w.start and w.phonemes
        assert w.start == w.phonemes[0].start and w.end == w.phonemes[-1].end


def test_audio_plausible(speech):
    a = speech.audio
    assert a.sample_rate == 22050 and a.samples.dtype == np.float32
    assert 0.8 < a.duration < 4.0
    assert np.abs(a.samples).max() <= 1.0
    for w in speech.timeline.words:
        seg = a.samples[int(w.start * a.sample_rate): int(w.end * a.sample_rate)]
        assert np.sqrt(np.mean(seg**2)) > 0.01


def test_stream_one_per_sentence(tts):
    parts = list(tts.stream("Hi there. Okay 😀!"))
    assert len(parts) == 2
    for s in parts:
        assert s.timeline.phonemes[0].start == 0.0
        assert abs(s.timeline.phonemes[-1].end - s.audio.duration) < 1e-3


def test_emoji_does_not_crash(tts):
    s = tts.synthesize("Great 👍🏽 work 🎉!")
    assert [w.text for w in s.timeline.words] == ["Great", "work"]


def test_korean_raises(tts):
    with pytest.raises(TextError):
        tts.synthesize("안녕하세요")


def test_rate_option():
    assert SpeechOptions(rate=2.0).rate == 2.0
    with pytest.raises(ValueError):
        SpeechOptions(rate=0.0)


def test_unknown_backend():
    with pytest.raises(BackendUnavailable):
        get_tts("nope")


def test_options_per_call(tts, speech):
    fast = tts.synthesize(TEXT, SpeechOptions(rate=1.5))
    assert fast.audio.duration < 0.85 * speech.audio.duration
    assert fast.text == TEXT


def test_word_assignment_with_numbers():
    from digihuman.speech.piper import _assign_words, _text_tokens

    toks = _text_tokens('It\'s 25% "done", ok?')
    assert toks == ["It's", "25%", "done", "ok"]
    counts = {"25%": 3}
    assert _assign_words(toks, 6, lambda t: counts[t]) == [("It's", 0, 0), ("25%", 1, 3), ("done", 4, 4), ("ok", 5, 5)]
    assert _assign_words(toks, 7, lambda t: counts[t]) is None  # disagreement -> caller falls back


def test_numbers_keep_spelling(tts):
    s = tts.synthesize("Call me at 5 pm.")
    assert [w.text for w in s.timeline.words] == ["Call", "me", "at", "5", "pm"]
