"""Every voice digihuman can speak with, by name, and which one speaks a persona's language.

A voice id is ``backend:name``: ``kokoro:af_heart`` (54 neural Kokoro voices, 6 usable languages),
``piper:en_US-joe-medium`` (the fastest, English, male), ``espeak:de`` (eSpeak NG's formant voice,
every language of :mod:`digihuman.speech.languages`). Users may type the bare Kokoro name
(``af_heart``), ``piper`` / ``piper:joe``, or ``espeak:LANG``.

The default voice of a language is Kokoro's where it has one (English: ``af_heart``, a female US
voice), else eSpeak; it never depends on the photo. When the Kokoro assets are missing (no npm
at install time) English falls back to piper and the other languages to eSpeak, with a note.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from digihuman.errors import InputError
from digihuman.speech.kokoro_voices import DEFAULT_FOR_LANG, UNSPOKEN, VOICES

PIPER_VOICE = "piper:en_US-joe-medium"
_ACCENTS = {"US": "American", "GB": "British", "BR": "Brazilian"}


@dataclass(frozen=True)
class Voice:
    id: str
    """``backend:name``, as stored in persona.json."""
    backend: str
    name: str
    lang: str
    """digihuman language code it speaks."""
    accent: str = ""
    gender: str = ""
    description: str = ""
    usable: bool = True
    """False for Kokoro voices of languages we cannot phonemise for it (ja, zh)."""

    @property
    def language_name(self) -> str:
        from digihuman.speech.languages import LANGUAGES

        name = LANGUAGES[self.lang].name if self.lang in LANGUAGES else self.lang
        return f"{name} ({_ACCENTS.get(self.accent, self.accent)})" if self.accent and self.lang == "en" else name


def all_voices() -> list[Voice]:
    """Kokoro's voices (by language, then name), piper's, then one eSpeak voice per language."""
    from digihuman.speech.languages import LANGUAGES

    out = [Voice(f"kokoro:{v.name}", "kokoro", v.name, v.lang, v.accent, v.gender,
                 (v.description or "Kokoro neural voice")
                 + (" (the default)" if DEFAULT_FOR_LANG.get(v.lang) == v.name else ""),
                 usable=v.lang not in UNSPOKEN)
           for v in sorted(VOICES.values(), key=lambda v: (v.lang != "en", v.lang, v.accent != "US", v.name))]
    out.append(Voice(PIPER_VOICE, "piper", "en_US-joe-medium", "en", "US", "male",
                     "piper VITS, the fastest neural voice (~6x faster than Kokoro)"))
    out += [Voice(f"espeak:{code}", "espeak", code, code, "", "",
                  "eSpeak NG formant voice (robotic, every language)") for code in LANGUAGES]
    return out


def _by_alias() -> dict[str, Voice]:
    table: dict[str, Voice] = {}
    for v in all_voices():
        table[v.id.lower()] = v
        if v.backend == "kokoro":
            table[v.name.lower()] = v
    table["piper"] = table["piper:joe"] = table[PIPER_VOICE.lower()]
    return table


def resolve_voice(name: str) -> Voice:
    """Find a voice by id or alias; :class:`InputError` naming the close ones when unknown, or
    saying why a listed voice cannot be used."""
    from digihuman.speech.languages import resolve_language

    key = str(name or "").strip().lower()
    table = _by_alias()
    voice = table.get(key)
    if voice is None and key.startswith("espeak:"):  # espeak:ko-KR, espeak:german
        try:
            voice = table.get(f"espeak:{resolve_language(key.split(':', 1)[1]).code}")
        except InputError:
            voice = None
    if voice is None:
        close = difflib.get_close_matches(key, list(table), n=5, cutoff=0.6)
        raise InputError(f"unknown voice {name!r}",
                         (f"did you mean: {', '.join(close)}? " if close else "")
                         + "see all voices with: digihuman voices")
    if not voice.usable:
        raise InputError(f"voice {voice.name} cannot be used: {UNSPOKEN[voice.lang]}",
                         f"for {voice.language_name} use --voice-name espeak:{voice.lang}")
    return voice


def default_voice(lang: str) -> Voice:
    """The voice a persona speaking ``lang`` gets when none is chosen."""
    from digihuman.speech.languages import resolve_language

    code = resolve_language(lang).code
    name = DEFAULT_FOR_LANG.get(code)
    return resolve_voice(f"kokoro:{name}" if name else f"espeak:{code}")


def check_voice_for(voice: Voice, lang: str) -> Voice:
    """``voice`` if it speaks ``lang``; else :class:`InputError` with voices that do."""
    from digihuman.speech.languages import resolve_language

    language = resolve_language(lang)
    if voice.lang != language.code:
        options = [v.name for v in all_voices() if v.lang == language.code and v.usable and v.backend == "kokoro"][:4]
        options.append(f"espeak:{language.code}")
        raise InputError(f"voice {voice.name} speaks {voice.language_name}, not {language.name}",
                         f"choose a {language.name} voice: {', '.join(options)} (all: digihuman voices --lang {language.code})")
    return voice


def tts_for_voice(voice_id: str | None, lang: str, **options):
    """(TTS backend, note) for a persona's voice speaking ``lang``. A voice of another language
    (``say --lang es`` for an English persona) gives way to ``lang``'s default voice; Kokoro
    without its assets gives way to piper (English) or eSpeak, and ``note`` says so."""
    from digihuman.speech import assets
    from digihuman.speech.base import get_tts
    from digihuman.speech.languages import resolve_language

    language = resolve_language(lang)
    try:
        voice = resolve_voice(voice_id) if voice_id else default_voice(language.code)
    except InputError:  # a persona.json edited by hand, or a voice dropped from the catalog
        voice = default_voice(language.code)
    if voice.lang != language.code:
        voice = default_voice(language.code)
    note = ""
    if voice.backend == "kokoro" and not assets.available():
        fallback = PIPER_VOICE if language.code == "en" else f"espeak:{language.code}"
        note = (f"the Kokoro voice {voice.name} is not installed, so {fallback} speaks instead "
                f"({assets.INSTALL_HINT})")
        voice = resolve_voice(fallback)
    if voice.backend == "kokoro":
        return get_tts("kokoro", voice=voice.name, **options), note
    if voice.backend == "piper":
        return get_tts("piper", **options), note
    return get_tts("espeak", lang=language.code, **options), note
