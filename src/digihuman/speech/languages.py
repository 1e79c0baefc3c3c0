"""The languages digihuman can speak, and which voice speaks each.

English, Spanish, French, Italian, Brazilian Portuguese and Hindi use Kokoro's neural voices
(:mod:`digihuman.speech.voices`); every other language uses eSpeak NG (robotic formant voice,
exact phoneme timeline). Each entry was checked to load in espeak-ng 1.52 and to produce audio
plus IPA phoneme events for a sentence with a bilabial.

``scripts`` are Unicode character-name prefixes (``unicodedata.name(ch)``) of the letters the
language is written in; :func:`digihuman.text.normalize.prepare_text` accepts those (and Latin
letters and digits in every language, which espeak reads as spelled or English words).
"""

from __future__ import annotations

from dataclasses import dataclass

from digihuman.errors import InputError

_CJK = ("CJK", "IDEOGRAPHIC")  # unified ideographs; 々 〆 are "IDEOGRAPHIC ..."
_KANA = ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA")  # ー is "KATAKANA-HIRAGANA ..."


@dataclass(frozen=True)
class Language:
    code: str
    """Canonical code (BCP-47 primary subtag, region only where it picks another voice)."""
    espeak_voice: str
    """espeak-ng voice name (``espeak_SetVoiceByName``)."""
    name: str
    """English display name."""
    scripts: tuple[str, ...] = ("LATIN",)
    """Unicode name prefixes of its letters (see the module doc)."""
    spaced: bool = True
    """Words are separated by spaces (False for Chinese and Japanese)."""

    @property
    def backend(self) -> str:
        """The speech backend of this language's default voice (see :func:`tts_for_language`)."""
        from digihuman.speech.kokoro_voices import DEFAULT_FOR_LANG

        return "kokoro" if self.code in DEFAULT_FOR_LANG else "espeak"


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "en-us", "English"),
        Language("ko", "ko", "Korean", ("HANGUL",)),
        Language("ja", "ja", "Japanese", _KANA + _CJK, spaced=False),
        Language("zh", "cmn", "Chinese (Mandarin)", _CJK, spaced=False),
        Language("yue", "yue", "Chinese (Cantonese)", _CJK, spaced=False),
        Language("es", "es", "Spanish"),
        Language("de", "de", "German"),
        Language("fr", "fr", "French"),
        Language("it", "it", "Italian"),
        Language("pt", "pt", "Portuguese (Portugal)"),
        Language("pt-br", "pt-br", "Portuguese (Brazil)"),
        Language("nl", "nl", "Dutch"),
        Language("pl", "pl", "Polish"),
        Language("cs", "cs", "Czech"),
        Language("sv", "sv", "Swedish"),
        Language("tr", "tr", "Turkish"),
        Language("id", "id", "Indonesian"),
        Language("vi", "vi", "Vietnamese"),
        Language("ru", "ru", "Russian", ("CYRILLIC",)),
        Language("uk", "uk", "Ukrainian", ("CYRILLIC",)),
        Language("el", "el", "Greek", ("GREEK",)),
        Language("hi", "hi", "Hindi", ("DEVANAGARI",)),
        Language("ar", "ar", "Arabic", ("ARABIC",)),
    )
}

# Other spellings -> canonical code (lower case, "-" separated).
_ALIASES: dict[str, str] = {
    "cmn": "zh", "zh-cn": "zh", "zh-hans": "zh", "zh-sg": "zh", "zh-tw": "zh", "zh-hant": "zh",
    "cmn-cn": "zh", "cmn-hans": "zh", "zh-hk": "yue", "zh-yue": "yue", "pt-pt": "pt",
    "en-us": "en", "en-gb": "en", "jp": "ja", "kr": "ko", "in": "id",
}


def supported_languages() -> list[str]:
    """Canonical codes, in table order (English first)."""
    return list(LANGUAGES)


def resolve_language(code: str) -> Language:
    """Find a language by BCP-47-ish code ("ko", "ko-KR", "zh_CN", "cmn", "pt-BR") or by its
    English name ("korean"). Raises :class:`InputError` listing the supported codes."""
    key = str(code or "").strip().lower().replace("_", "-")
    key = _ALIASES.get(key, key)
    if key in LANGUAGES:
        return LANGUAGES[key]
    primary = key.split("-", 1)[0]
    primary = _ALIASES.get(primary, primary)
    if primary in LANGUAGES:  # "ko-KR" -> ko, "es-MX" -> es, "de-AT" -> de
        return LANGUAGES[primary]
    for lang in LANGUAGES.values():
        if key and (lang.name.lower() == key or lang.name.lower().split(" (")[0] == key):
            return lang
    raise InputError(
        f"unsupported language {code!r}",
        "choose one of: " + ", ".join(f"{c} ({lang.name})" for c, lang in LANGUAGES.items()),
    )


def tts_for_language(code: str, **options):
    """The TTS backend of a language's default voice: Kokoro where it has one, eSpeak NG for the
    others (piper for English when Kokoro is not installed). ``options`` go to the backend (e.g.
    ``rate=1.1``); see :func:`get_tts`."""
    from digihuman.speech.voices import tts_for_voice

    return tts_for_voice(None, resolve_language(code).code, **options)[0]
