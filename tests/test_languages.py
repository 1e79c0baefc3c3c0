"""Languages beyond English: the language table, text preparation and the eSpeak NG backend.

Each language speaks a short sentence with a bilabial (p, b, m): the audio must be non-silent,
the timeline contiguous and exactly as long as the audio, the words named by the text, and the
lips must close (viseme A) while each bilabial sounds.
"""

import numpy as np
import pytest

from digihuman.errors import InputError, TextError
from digihuman.lipsync import mouth_cues, phoneme_viseme
from digihuman.speech import SpeechOptions, get_tts
from digihuman.speech.languages import resolve_language, supported_languages, tts_for_language
from digihuman.text import prepare_text
from digihuman.types import Viseme

pytest.importorskip("espeakng_loader")

BILABIAL_SENTENCES = {
    "ko": ("밥을 먹어요", ["밥을", "먹어요"]),
    "ja": ("まま、ありがとう", ["まま", "ありがとう"]),
    "zh": ("妈妈买包", ["妈妈", "买", "包"]),
    "es": ("mamá bebe agua", ["mamá", "bebe", "agua"]),
    "de": ("Mama baut ein Haus", ["Mama", "baut", "ein", "Haus"]),
    "fr": ("maman boit du lait", ["maman", "boit", "du", "lait"]),
    "it": ("la mamma beve", ["la", "mamma", "beve"]),
    "ru": ("мама мыла раму", ["мама", "мыла", "раму"]),
}
BILABIALS = {"p", "b", "m", "ɸ", "β"}


def _base(symbol: str) -> str:
    return symbol.lstrip("ˈˌ").rstrip("ːʰʲ")


def check_timeline(speech):
    ph = speech.timeline.phonemes
    assert ph and ph[0].start == 0.0
    assert all(abs(a.end - b.start) < 1e-9 for a, b in zip(ph, ph[1:]))
    assert all(p.end > p.start for p in ph)
    assert abs(ph[-1].end - speech.audio.duration) < 1e-3
    assert abs(speech.timeline.duration - speech.audio.duration) < 1e-3
    for w in speech.timeline.words:
        assert w.text and w.end > w.start and w.phonemes
        assert w.phonemes[0].start == w.start and w.phonemes[-1].end == w.end


@pytest.mark.parametrize("lang", list(BILABIAL_SENTENCES))
def test_bilabial_sentence(lang):
    text, words = BILABIAL_SENTENCES[lang]
    speech = tts_for_language(lang).synthesize(text)
    samples = speech.audio.samples
    tts = tts_for_language(lang)
    assert speech.audio.sample_rate == tts.sample_rate and samples.dtype == np.float32
    assert tts.name == ("kokoro" if lang in ("es", "fr", "it") else "espeak")
    assert 0.3 < speech.audio.duration < 5.0
    assert np.sqrt(np.mean(samples ** 2)) > 0.02  # non-silent
    check_timeline(speech)
    assert [w.text for w in speech.timeline.words] == words
    lips = [p for p in speech.timeline.phonemes if _base(p.symbol) in BILABIALS]
    assert lips, [p.symbol for p in speech.timeline.phonemes]
    cues = mouth_cues(speech.timeline)
    assert cues[0].start == 0.0 and abs(cues[-1].end - speech.timeline.duration) < 1e-9
    for p in lips:
        assert phoneme_viseme(p.symbol) == Viseme.A
        assert any(c.shape == Viseme.A and c.start < p.end and c.end > p.start for c in cues), p


def test_mixed_korean_english_digits_emoji():
    speech = tts_for_language("ko").synthesize("안녕하세요 Hello 123 😀")
    check_timeline(speech)
    assert [w.text for w in speech.timeline.words] == ["안녕하세요", "Hello", "123"]
    assert not any(p.symbol.startswith("(") for p in speech.timeline.phonemes)  # no "(en)"


def test_sentences_joined_with_pause():
    tts = tts_for_language("zh")
    one = tts.synthesize("妈妈买包。")
    two = tts.synthesize("妈妈买包。妈妈买包！", SpeechOptions(sentence_pause=0.3))
    check_timeline(two)
    assert two.audio.duration > 2 * one.audio.duration + 0.25
    assert [w.text for w in two.timeline.words] == ["妈妈", "买", "包"] * 2
    assert len(list(tts.stream("妈妈买包。妈妈买包！"))) == 2


def test_rate_pitch_volume():
    base = get_tts("espeak", lang="es").synthesize("mamá bebe agua")
    fast = get_tts("espeak", lang="es", rate=2.0).synthesize("mamá bebe agua")
    assert fast.audio.duration < 0.7 * base.audio.duration
    quiet = get_tts("espeak", lang="es", volume=0.5).synthesize("mamá bebe agua")
    assert abs(float(np.abs(quiet.audio.samples).max()) - 0.5) < 0.01

    def f0(speech):  # autocorrelation pitch of the loudest 40 ms, Hz
        x = speech.audio.samples
        i = int(np.argmax(np.convolve(x ** 2, np.ones(882), "same")))
        seg = x[max(0, i - 441): i + 441]
        ac = np.correlate(seg, seg, "full")[len(seg) - 1:]
        lo, hi = 22050 // 400, 22050 // 60
        return 22050 / (lo + int(np.argmax(ac[lo:hi])))

    high = get_tts("espeak", lang="es", pitch=12.0).synthesize("mamá bebe agua")
    assert f0(high) > 1.5 * f0(base)  # an octave up, give or take the intonation
    with pytest.raises(ValueError):
        SpeechOptions(pitch=20.0)


@pytest.mark.parametrize("code, expected", [
    ("ko", "ko"), ("ko-KR", "ko"), ("zh-CN", "zh"), ("cmn", "zh"), ("zh_TW", "zh"), ("ja-JP", "ja"),
    ("es-MX", "es"), ("pt-BR", "pt-br"), ("PT", "pt"), ("Korean", "ko"), ("en-GB", "en"),
])
def test_resolve_language(code, expected):
    assert resolve_language(code).code == expected


def test_unknown_language():
    with pytest.raises(InputError) as e:
        resolve_language("xx")
    for code in ("ko", "ja", "zh", "es", "de", "fr"):
        assert code in e.value.hint
    with pytest.raises(InputError):
        tts_for_language("xx")
    assert {"en", "ko", "ja", "zh", "es", "de", "fr"} <= set(supported_languages())


def test_languages_follow_kokoro_where_it_has_voices():
    assert tts_for_language("en").name == "kokoro" and tts_for_language("en").voice.name == "af_heart"
    assert tts_for_language("en-US").name == "kokoro"
    assert tts_for_language("pt-BR").name == "kokoro" and tts_for_language("pt").name == "espeak"
    for lang in ("ko", "de", "ja", "zh"):  # Kokoro has no Korean/German voice; ja/zh need a front end
        assert tts_for_language(lang).name == "espeak"


def test_prepare_text_other_languages():
    assert prepare_text("你好！我是学生。好", lang="zh") == ["你好!", "我是学生。", "好"]
    assert prepare_text("こんにちは。元気ですか？", lang="ja") == ["こんにちは。", "元気ですか?"]
    assert prepare_text("밥을 먹어요 😀 OK 25%", lang="ko") == ["밥을 먹어요 OK 25%"]
    assert prepare_text("Привет, мир. Как дела?", lang="ru") == ["Привет, мир.", "Как дела?"]
    assert prepare_text("Hola. 3.5 kilos.", lang="es") == ["Hola.", "3.5 kilos."]
    with pytest.raises(TextError):
        prepare_text("😀😀 👍", lang="ko")
    with pytest.raises(TextError) as e:
        prepare_text("Привет", lang="ko")
    assert "Cyrillic" in e.value.message and "--lang ru" in e.value.hint
    with pytest.raises(TextError):  # English stays Latin-only
        prepare_text("안녕하세요")


def test_long_cjk_text_is_cut():
    out = prepare_text("我是学生，" * 100, lang="zh")
    assert len(out) > 1 and all(len(s) <= 300 for s in out)


def test_viseme_map_other_languages():
    shapes = {"pʰ": "A", "p͈": "A", "ph": "A", "ɸ": "A", "β": "A", "ˈä": "D", "ɑ": "D",
              "o̞": "E", "ɯᵝ": "F", "y": "F", "ø": "E", "ʋ": "G", "ɭ": "H", "ʎ": "H",
              "ɕ": "B", "ʐ": "B", "ʈ": "B", "tɕh": "B", "a˥˩": "D", "ma1": "A", "ˈɐ̃": "C"}
    for sym, shape in shapes.items():
        assert phoneme_viseme(sym).value == shape, sym
    for sym in ["˥", "5", "ʲ", "(en)", "ts.h", "ɧ"]:
        assert phoneme_viseme(sym) in set(Viseme)
