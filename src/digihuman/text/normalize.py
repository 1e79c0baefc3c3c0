"""Clean user text and cut it into sentences the English voice can say.

The voice (piper + espeak-ng, en_US) reads Latin letters (accents included), digits and common
symbols such as ``%``, ``&`` and ``$``. Everything else is either dropped silently (emoji,
pictographs, control and format characters) or refused with a :class:`TextError` that says what
to do (other scripts, empty or over-long text).
"""

from __future__ import annotations

import re
import unicodedata

from digihuman.errors import TextError

MAX_SENTENCE_CHARS = 300
"""Sentences longer than this are cut at commas/semicolons (then at spaces): the voice's
attention and prosody degrade on very long inputs, and shorter pieces stream sooner."""

# Typographic punctuation -> plain ASCII the phonemizer knows.
_TRANSLATE = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2039": "'", "\u203a": "'",
        "\u2032": "'", "\u2033": '"', "`": "'", "\u00b4": "'",
        "\u2026": "...", "\u2013": ", ", "\u2014": ", ", "\u2015": ", ", "\u2212": "-",
        "\u00a0": " ", "\u2022": ", ", "\u00b7": " ",
    }
)

# Letters of these scripts are not Latin; we name the script in the error.
_SCRIPT_NAMES = {
    "HANGUL": "Korean (Hangul)", "HIRAGANA": "Japanese (Hiragana)", "KATAKANA": "Japanese (Katakana)",
    "CJK": "Chinese/Japanese (CJK)", "CYRILLIC": "Cyrillic", "ARABIC": "Arabic", "HEBREW": "Hebrew",
    "GREEK": "Greek", "DEVANAGARI": "Devanagari", "THAI": "Thai", "BENGALI": "Bengali",
    "TAMIL": "Tamil", "ARMENIAN": "Armenian", "GEORGIAN": "Georgian", "ETHIOPIC": "Ethiopic",
    "BOPOMOFO": "Chinese (Bopomofo)", "YI": "Yi",
}

# Abbreviations whose period does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "no", "inc",
    "ltd", "co", "mt", "fig", "approx", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
}

_SENTENCE_END = re.compile(r"""([.!?]+["')\]]*)\s+""")
_SPACES = re.compile(r"\s+")


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    return _SCRIPT_NAMES.get(first, first.title() or "unknown")


def _clean(text: str) -> str:
    """Drop what cannot be spoken, keep Latin letters, digits, punctuation and symbols."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\t\n\r\f\v" or cat == "Zs" or ch in "\u2028\u2029":
            out.append(" ")
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk"):
            # Control/format characters (ZWJ, BOM), surrogates, unassigned and pictographs
            # (emoji, skin-tone modifiers): silently dropped, never an error.
            continue
        elif cat.startswith("M"):
            # Combining marks survive only on a Latin letter (NFKC composes most already);
            # emoji variation selectors and keycap marks are dropped.
            if out and unicodedata.category(out[-1]).startswith("L"):
                out.append(ch)
        else:
            out.append(ch)
    return _SPACES.sub(" ", "".join(out)).strip()


def _check_script(text: str) -> None:
    bad: dict[str, int] = {}
    for ch in text:
        if unicodedata.category(ch).startswith("L") and not unicodedata.name(ch, "").startswith("LATIN"):
            script = _script_of(ch)
            bad[script] = bad.get(script, 0) + 1
    if bad:
        scripts = ", ".join(sorted(bad, key=lambda s: -bad[s]))
        raise TextError(
            f"the text contains {scripts} characters, which the English voice cannot say",
            "write the script in English (Latin letters); other languages will come with "
            "--lang, which is not available yet",
        )


def _split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end(1)
        before = text[start:m.start(1)].rsplit(" ", 1)[-1].lower()
        if m.group(1).startswith(".") and len(m.group(1)) == 1 and (
            before in _ABBREV or (len(before) == 1 and before.isalpha())
        ):
            continue  # "Dr. Smith", "J. Doe": not a sentence end
        sentences.append(text[start:end].strip())
        start = m.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _split_long(sentence: str, limit: int) -> list[str]:
    """Cut at , ; : (keeping the mark), then at spaces, packing pieces up to ``limit`` chars."""
    if len(sentence) <= limit:
        return [sentence]
    pieces = [p.strip() for p in re.split(r"(?<=[,;:])\s+", sentence) if p.strip()]
    words: list[str] = []
    for p in pieces:
        if len(p) <= limit:
            words.append(p)
        else:  # no punctuation to cut at: cut at spaces (a single huge "word" is hard-cut)
            cur = ""
            for w in p.split(" "):
                while len(w) > limit:
                    words.append(w[:limit])
                    w = w[limit:]
                if cur and len(cur) + 1 + len(w) > limit:
                    words.append(cur)
                    cur = w
                else:
                    cur = f"{cur} {w}" if cur else w
            if cur:
                words.append(cur)
    out: list[str] = []
    cur = ""
    for p in words:
        if cur and len(cur) + 1 + len(p) > limit:
            out.append(cur)
            cur = p
        else:
            cur = f"{cur} {p}" if cur else p
    if cur:
        out.append(cur)
    return out


def _speakable(s: str) -> bool:
    return any(ch.isalnum() for ch in s)


def prepare_text(text: str, *, max_chars: int = 5000) -> list[str]:
    """Return the sentences of ``text`` cleaned for the English voice (each ≤ ~300 chars).

    Raises :class:`TextError` for empty, too long, unspeakable or non-Latin-script text.
    """
    if text is None or not str(text).strip():
        raise TextError("the text is empty", "give some text to speak, e.g. digihuman say \"Hello there.\"")
    text = str(text)
    n = len(text.strip())
    if n > max_chars:
        raise TextError(
            f"the text is too long: {n} characters, the limit is {max_chars}",
            "split the script into shorter parts and pass them one at a time",
        )
    cleaned = _clean(text)
    _check_script(cleaned)
    if not _speakable(cleaned):
        raise TextError(
            "the text has nothing speakable in it (only emoji, symbols or punctuation)",
            "add words or numbers to say",
        )
    out: list[str] = []
    for sentence in _split_sentences(cleaned):
        for piece in _split_long(sentence, MAX_SENTENCE_CHARS):
            if _speakable(piece):
                out.append(piece)
    return out
