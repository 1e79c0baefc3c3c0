"""IPA phoneme -> mouth shape (Rhubarb Lip Sync's A-H, X).

Follows Rhubarb's phone -> shape choices (its ``animationRules``): P B M close the lips (A);
most consonants and the close front vowels keep the teeth nearly together (B); EH AE AH and
schwa open the mouth (C); AA and the first part of AY/AW open it wide (D); AO and ER are half
open and rounded (E); UW OW W pucker (F); F V put the teeth on the lip (G); L shows the tongue
(H); silence is the idle mouth (X). Diphthongs arrive from piper as two symbols (``a ɪ``,
``o ʊ``, ``e ɪ``, ``ɔ ɪ``, ``a ʊ``) and each half gets its own shape, which gives Rhubarb's
two-shape diphthongs (AY = D then B, OW = E then F) for free. ``h`` has no shape of its own: it
takes the following vowel's (:data:`LIKE_NEXT`).

Other languages (eSpeak NG voices) add: the bilabial fricatives/approximants ``ɸ β`` (Japanese
fu, Spanish b between vowels) and trills close the lips (A); espeak's ASCII aspiration ``ph``
(Mandarin, Korean) and tense ``p͈`` reduce to ``p`` (A); the labiodental approximant ``ʋ``
(Hindi, Dutch) is G; laterals ``ɭ ʎ`` and the Japanese flap ``ɽ``/``ɺ`` show the tongue (H);
palatal, retroflex, uvular and pharyngeal consonants are B; front rounded ``y ʏ ø œ`` and
``ɥ`` are rounded. Korean ``ɯ`` (ㅡ) is unrounded (B) but Japanese ``ɯᵝ`` (compressed lips) is
F. Length, tone (Chao letters ``˥˦˧˨˩`` and tone digits), nasalisation, syllabicity, breathy
and ejective marks are stripped before the lookup.
"""

from __future__ import annotations

import unicodedata

from digihuman.types import Viseme

A, B, C, D, E, F, G, H, X = (Viseme.A, Viseme.B, Viseme.C, Viseme.D, Viseme.E, Viseme.F,
                             Viseme.G, Viseme.H, Viseme.X)

LIKE_NEXT = None
"""Marker for phonemes that borrow the next phoneme's shape (``h``, glottal ``ɦ``)."""

PHONEME_VISEMES: dict[str, Viseme | None] = {
    # closed lips
    "p": A, "b": A, "m": A, "ɱ": G, "ɸ": A, "β": A, "ʙ": A,
    # teeth on lip
    "f": G, "v": G, "ʋ": G,
    # tongue up, mouth open (L)
    "l": H, "ɫ": H, "ɭ": H, "ʎ": H, "ʟ": H, "ɽ": H, "ɺ": H,
    # lip rounding
    "w": F, "ʍ": F, "u": F, "ʊ": F, "ɵ": F, "ʉ": F, "y": F, "ʏ": F, "ɥ": F,
    "o": E, "ɔ": E, "ɒ": E, "ɜ": E, "ɚ": E, "ɝ": E, "ɞ": E, "ø": E, "œ": E,
    # wide open
    "ɑ": D, "a": D, "ɶ": D,
    # open
    "æ": C, "ɛ": C, "ʌ": C, "ə": C, "ɐ": C, "e": C, "ɘ": C, "ɤ": C,
    # nearly closed: close front vowels and most consonants
    "i": B, "ɪ": B, "ᵻ": B, "ɨ": B, "ɯ": B,
    "t": B, "d": B, "n": B, "s": B, "z": B, "k": B, "g": B, "ɡ": B, "ŋ": B, "ɾ": B,
    "ɹ": B, "r": B, "ɻ": B, "j": B, "ʃ": B, "ʒ": B, "θ": B, "ð": B, "ʔ": B, "x": B,
    "ç": B, "ɲ": B, "ʧ": B, "ʤ": B, "c": B, "q": B, "ɣ": B, "χ": B, "ʁ": B, "ɬ": B,
    # palatal / retroflex / uvular / pharyngeal (ko, ja, zh, hi, pl, ru, ar ...)
    "ɕ": B, "ʑ": B, "ʂ": B, "ʐ": B, "ʈ": B, "ɖ": B, "ɳ": B, "ɟ": B, "ʝ": B, "ɴ": B,
    "ɢ": B, "ʀ": B, "ɰ": B, "ħ": B, "ʕ": B, "ɧ": B,
    # borrow the following shape
    "h": LIKE_NEXT, "ɦ": LIKE_NEXT,
}

DEFAULT_VISEME = B
"""Unknown phonemes: a slightly open mouth is the least wrong guess for any speech sound."""

_MODIFIERS = set("ˈˌːˑ̩̯̃ʰʲʷ˞" "˥˦˧˨˩" "0123456789" "ʱʼˀˤˠⁿˡᵝ" ".")
"""Stress, length, tone (Chao letters, tone digits), breathy/ejective/glottalised marks and
espeak's ASCII ``.`` (Mandarin retroflex notation); combining marks (nasal ``̃``, tense ``͈``,
lowered ``̞``) go as category Mn."""
_COMPRESSED = "ᵝ"
"""Japanese u is written ``ɯᵝ``: lips compressed, drawn rounded (F) unlike Korean ``ɯ`` (B)."""


def base_symbol(symbol: str) -> str:
    """Strip stress/length marks and diacritics: ``"ˈɑː"`` -> ``"ɑ"``, ``"n̩"`` -> ``"n"``."""
    out = []
    for ch in unicodedata.normalize("NFD", symbol):
        if ch in _MODIFIERS or unicodedata.category(ch) == "Mn":
            continue
        out.append(ch)
    return "".join(out)


def phoneme_viseme(symbol: str) -> Viseme | None:
    """Shape of one phoneme; ``X`` for silence, ``None`` (=LIKE_NEXT) for ``h``.

    Multi-letter symbols (affricates ``tʃ``, diphthongs if a voice emits them joined) use the
    shape of their first known letter, which is what the mouth starts with.
    """
    if symbol == "":
        return X
    if _COMPRESSED in symbol:
        return F
    base = base_symbol(symbol)
    if not base:
        return X if not any(ch.isalpha() for ch in symbol) else DEFAULT_VISEME
    if base in PHONEME_VISEMES:
        return PHONEME_VISEMES[base]
    for ch in base:
        if ch in PHONEME_VISEMES and PHONEME_VISEMES[ch] is not LIKE_NEXT:
            return PHONEME_VISEMES[ch]
    if not any(ch.isalpha() for ch in base):
        return X  # stray punctuation treated as silence
    return DEFAULT_VISEME


def is_stressed(symbol: str) -> bool:
    """Primary stress mark (``ˈ``) on this phoneme (kept by the piper backend)."""
    return symbol.startswith("ˈ")


def is_vowel(symbol: str) -> bool:
    base = base_symbol(symbol)
    return bool(base) and base[0] in "aeiouæɑɒɔəɐɛɜɚɝɪʊʌᵻɨɵʉyøœɘɞɶɯɤʏ"
