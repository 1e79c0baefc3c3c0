import pytest

from digihuman.errors import TextError
from digihuman.text import prepare_text


def test_basic_sentences():
    assert prepare_text("Hello there.  How are you?\nFine!") == ["Hello there.", "How are you?", "Fine!"]


def test_abbreviation_not_split():
    assert prepare_text("Dr. Smith is here. Bye.") == ["Dr. Smith is here.", "Bye."]


def test_cleans_quotes_controls_emoji():
    out = prepare_text("\u201cHi\u201d \x07it\u2019s me 😀👍🏽 \u2014 really\u2026 ok")
    joined = " ".join(out)
    assert '"Hi"' in joined and "it's" in joined
    assert "😀" not in joined and "\x07" not in joined and "\u2014" not in joined


def test_accents_numbers_symbols_ok():
    out = prepare_text("Café naïve: 25% of R&D costs $5.")
    assert out == ["Café naïve: 25% of R&D costs $5."]


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty(text):
    with pytest.raises(TextError) as e:
        prepare_text(text)
    assert e.value.hint


def test_too_long():
    with pytest.raises(TextError) as e:
        prepare_text("a" * 50, max_chars=10)
    assert "50" in e.value.message and "10" in e.value.message
    assert "split" in e.value.hint


@pytest.mark.parametrize("text", ["😀😀 👍", "?!... ---", "\u200d\ufe0f"])
def test_nothing_speakable(text):
    with pytest.raises(TextError) as e:
        prepare_text(text)
    assert e.value.hint


@pytest.mark.parametrize(
    "text, script",
    [("안녕하세요", "Korean"), ("こんにちは", "Japanese"), ("你好", "CJK"), ("Привет", "Cyrillic"),
     ("مرحبا", "Arabic"), ("Hello 世界", "CJK")],
)
def test_other_scripts(text, script):
    with pytest.raises(TextError) as e:
        prepare_text(text)
    assert script in e.value.message
    assert "--lang" in e.value.hint


def test_long_sentence_split():
    text = ", ".join(["this is a fairly long clause about nothing"] * 30) + "."
    out = prepare_text(text)
    assert len(out) > 1
    assert all(len(s) <= 300 for s in out)
    assert " ".join(out).replace(" ", "") == text.replace(" ", "")


def test_long_sentence_without_commas():
    out = prepare_text(" ".join(["word"] * 200))
    assert all(len(s) <= 300 for s in out) and len(out) >= 3


def test_markup_is_found_and_removed_but_plain_text_is_not():
    from digihuman.text import markup_tags, strip_markup

    ssml = '<?xml version="1.0"?><speak>Hello <break time="500ms"/> <prosody rate="slow">there</prosody> &amp; bye.</speak>'
    assert markup_tags(ssml) == ["?xml", "break", "prosody", "speak"]
    words = strip_markup(ssml).split()
    assert words == ["Hello", "there", "&", "bye."]
    assert " ".join(prepare_text("<p>Read <b>this</b> page.</p><!-- note -->")) == "Read this page."
    assert markup_tags('<amazon:effect name="whispered">psst</amazon:effect>') == ["amazon:effect"]
    for plain in ("x<y and y>z", "I <3 you", "AT&T is <not a tag here>", "a < b > c"):
        assert markup_tags(plain) == [] and strip_markup(plain) == plain
