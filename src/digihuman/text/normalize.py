"""Clean user text and cut it into sentences a voice can say.

The English voice (piper + espeak-ng, en_US) reads Latin letters (accents included), digits and
common symbols such as ``%``, ``&`` and ``$``. Everything else is either dropped silently (emoji,
pictographs, control and format characters) or refused with a :class:`TextError` that says what
to do (other scripts, empty or over-long text).

With ``lang`` set to another language (see :mod:`digihuman.speech.languages`) the letters of that
language's scripts are accepted too (Hangul for ko, kana and kanji for ja ...), Latin letters and
digits stay allowed in every language (espeak reads them), and sentences also end at the CJK
marks 。！？ without a following space.
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
# Other languages: also 。 । (Devanagari danda) and ! ? with no space after them (CJK text has no spaces; NFKC has
# already turned the full-width ！？ into ! ?). A bare "." still needs a space ("3.5").
_SENTENCE_END_INTL = re.compile(r"""([.!?。।]+["')\]」』）]*)\s+|([!?。।]+["')\]」』）]*)(?=\S)""")
_SPACES = re.compile(r"\s+")

# SSML and HTML: the voices read plain text, and a tag would be spelled out ("less than speak
# greater than"). Only known tag names (or namespaced ones, "amazon:effect") right after the "<"
# count, so "x<y and y>z", "a < b > c" or "I <3 you" stay text.
MARKUP_TAGS = frozenset("""
    speak break prosody emphasis say-as phoneme sub voice audio mark p s lang w token par seq desc
    lexicon lookup meta metadata paragraph sentence
    html head body title div span b i u em strong br hr a img ul ol li h1 h2 h3 h4 h5 h6 table tr td th
    thead tbody code pre blockquote font small big sup center script style section article header
    footer nav label button input form q cite abbr del ins mark
""".split())
_TAG = re.compile(r"<!--.*?-->|<\?[^<>]*\?>|</?([A-Za-z][\w.-]*(?::[\w.-]+)?)(?:\s+[^<>]*?)?\s*/?\s*>", re.S)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    return _SCRIPT_NAMES.get(first, first.title() or "unknown")


def _clean(text: str, any_marks: bool = False) -> str:
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
            # Combining marks survive only on a letter (NFKC composes most already); emoji
            # variation selectors and keycap marks are dropped. Other languages: also after a
            # mark (Devanagari stacks vowel signs and viramas).
            prev = unicodedata.category(out[-1]) if out else ""
            if prev.startswith("L") or (any_marks and prev.startswith("M")):
                out.append(ch)
        else:
            out.append(ch)
    return _SPACES.sub(" ", "".join(out)).strip()


def _check_script_for(text: str, lang) -> None:
    """Letters must be Latin or of ``lang``'s scripts; name the others and who can say them."""
    allowed = ("LATIN",) + tuple(lang.scripts)
    bad: dict[str, int] = {}
    for ch in text:
        if unicodedata.category(ch).startswith("L") and not unicodedata.name(ch, "").startswith(allowed):
            script = _script_of(ch)
            bad[script] = bad.get(script, 0) + 1
    if bad:
        from digihuman.speech.languages import LANGUAGES

        scripts = ", ".join(sorted(bad, key=lambda s: -bad[s]))
        first = next(ch for ch in text if unicodedata.category(ch).startswith("L")
                     and not unicodedata.name(ch, "").startswith(allowed))
        others = [c for c, lg in LANGUAGES.items()
                  if unicodedata.name(first, "").startswith(tuple(lg.scripts)) and lg.scripts != ("LATIN",)]
        raise TextError(
            f"the text contains {scripts} characters, which the {lang.name} voice cannot say",
            (f"use --lang {' or '.join(others)} for that text, or " if others else "")
            + f"write it in {lang.name}",
        )


def markup_tags(text: str) -> list[str]:
    """Names of the SSML/HTML tags in ``text`` (sorted, once each); [] for plain text."""
    names = set()
    for m in _TAG.finditer(text):
        if m.group(1) is None:  # a comment or an <?xml ...?> declaration
            names.add("!--" if m.group(0).startswith("<!--") else "?xml")
        elif m.group(1).lower() in MARKUP_TAGS or ":" in m.group(1):
            names.add(m.group(1).lower())
    return sorted(names)


def strip_markup(text: str) -> str:
    """``text`` without SSML/HTML tags and comments (their words stay), entities decoded."""
    if not markup_tags(text):
        return text
    import html

    def drop(m: re.Match) -> str:
        name = (m.group(1) or "").lower()
        return " " if m.group(1) is None or name in MARKUP_TAGS or ":" in name else m.group(0)

    return html.unescape(_TAG.sub(drop, text))


def _split_sentences(text: str, intl: bool = False) -> list[str]:
    sentences: list[str] = []
    start = 0
    for m in (_SENTENCE_END_INTL if intl else _SENTENCE_END).finditer(text):
        group = 1 if m.group(1) is not None else 2
        end = m.end(group)
        before = text[start:m.start(group)].rsplit(" ", 1)[-1].lower()
        if m.group(group).startswith(".") and len(m.group(group)) == 1 and (
            (not intl and before in _ABBREV)
            or (len(before) == 1 and before.isalpha() and (not intl or before.isascii()))
        ):
            continue  # "Dr. Smith", "J. Doe": not a sentence end
        sentences.append(text[start:end].strip())
        start = m.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")
# Other languages: CJK commas need no space after them; "3,000" is not cut.
_CLAUSE_END_INTL = re.compile(r"(?<=[,;:])\s+|(?<=[,;:])(?=[^\d\s])|(?<=[、，])\s*")


def _split_long(sentence: str, limit: int, intl: bool = False) -> list[str]:
    """Cut at , ; : (keeping the mark), then at spaces, packing pieces up to ``limit`` chars."""
    if len(sentence) <= limit:
        return [sentence]
    pattern = _CLAUSE_END_INTL if intl else _CLAUSE_END
    pieces = [p.strip() for p in pattern.split(sentence) if p.strip()]
    words: list[str] = []
    for p in pieces:
        if len(p) <= limit:
            words.append(p)
        else:  # no punctuation to cut at: cut at spaces (a single huge "word" is hard-cut)
            parts = [w[i : i + limit] for w in p.split(" ") for i in range(0, max(len(w), 1), limit)]
            words.extend(_pack(parts, limit))
    return _pack(words, limit)


def _pack(items: list[str], limit: int) -> list[str]:
    """Join consecutive items with spaces into runs of at most ``limit`` characters."""
    out: list[str] = []
    cur = ""
    for p in items:
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


def prepare_text(text: str, *, max_chars: int = 5000, lang: str = "en") -> list[str]:
    """Return the sentences of ``text`` cleaned for the voice of ``lang`` (each ≤ ~300 chars).

    Raises :class:`TextError` for empty, too long or unspeakable text, or for letters of a
    script the language is not written in (English: anything but Latin), and
    :class:`~digihuman.errors.InputError` for an unknown ``lang``.
    """
    from digihuman.speech.languages import resolve_language

    language = resolve_language(lang)
    intl = language.code != "en"
    if text is None or not str(text).strip():
        raise TextError("the text is empty", "give some text to speak, e.g. digihuman say \"Hello there.\"")
    text = str(text)
    if _SURROGATE.search(text):
        # undecodable bytes (Python keeps them as lone surrogates, e.g. argv or JSON "\ud800"):
        # refused here, before any model loads, not at the mux step after the whole render
        raise TextError("the text is not valid UTF-8 (it contains bytes that are not text)",
                        "save or type the text as UTF-8")
    text = strip_markup(text)  # the caller warns (see markup_tags); tags are never read aloud
    n = len(text.strip())
    if n > max_chars:
        raise TextError(
            f"the text is too long: {n} characters, the limit is {max_chars}",
            "split the script into shorter parts and pass them one at a time",
        )
    cleaned = _clean(text, any_marks=intl)
    _check_script_for(cleaned, language)
    if not _speakable(cleaned):
        raise TextError(
            "the text has nothing speakable in it (only emoji, symbols or punctuation)",
            "add words or numbers to say",
        )
    out: list[str] = []
    for sentence in _split_sentences(cleaned, intl):
        for piece in _split_long(sentence, MAX_SENTENCE_CHARS, intl):
            if _speakable(piece):
                out.append(piece)
    return out
