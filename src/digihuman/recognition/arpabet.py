"""CMU ARPAbet (pocketsphinx's phone set) -> IPA symbols as the piper voice emits them.

The viseme map (:mod:`digihuman.lipsync.visemes`) knows piper's IPA: diphthongs arrive as two
symbols (``a ɪ``), so AY/AW/EY/OW/OY are split into two halves here too. The bundled
cmudict has no stress digits, so AH (stressed or not) becomes schwa ``ə``; both draw the same
open mouth (C). Fillers (SIL, +NSN+, +SPN+ ...) become silence ``""``.

Also a tiny letter-to-sound fallback (:func:`spell`) for words missing from cmudict: pocketsphinx
5 has no grapheme-to-phoneme model, and a rough spelling aligns far better than dropping the
word (its time would otherwise be smeared over its neighbours).
"""

from __future__ import annotations

import re

ARPABET_IPA: dict[str, tuple[str, ...]] = {
    "AA": ("ɑ",), "AE": ("æ",), "AH": ("ə",), "AO": ("ɔ",), "AW": ("a", "ʊ"),
    "AY": ("a", "ɪ"), "EH": ("ɛ",), "ER": ("ɚ",), "EY": ("e", "ɪ"), "IH": ("ɪ",),
    "IY": ("i",), "OW": ("o", "ʊ"), "OY": ("ɔ", "ɪ"), "UH": ("ʊ",), "UW": ("u",),
    "B": ("b",), "CH": ("tʃ",), "D": ("d",), "DH": ("ð",), "F": ("f",), "G": ("ɡ",),
    "HH": ("h",), "JH": ("dʒ",), "K": ("k",), "L": ("l",), "M": ("m",), "N": ("n",),
    "NG": ("ŋ",), "P": ("p",), "R": ("ɹ",), "S": ("s",), "SH": ("ʃ",), "T": ("t",),
    "TH": ("θ",), "V": ("v",), "W": ("w",), "Y": ("j",), "Z": ("z",), "ZH": ("ʒ",),
}

DIPHTHONG_FIRST_SHARE = 0.5
"""Fraction of a diphthong's time given to its first half (piper splits about evenly)."""


def to_ipa(phone: str) -> tuple[str, ...]:
    """IPA symbols for one ARPAbet phone (stress digits ignored); ``("",)`` for fillers/silence."""
    base = re.sub(r"\d", "", phone.upper())
    return ARPABET_IPA.get(base, ("",))


def split_phone(phone: str, start: float, end: float) -> list[tuple[str, float, float]]:
    """(symbol, start, end) pieces in seconds; diphthongs become two consecutive symbols."""
    syms = to_ipa(phone)
    if len(syms) == 1:
        return [(syms[0], start, end)]
    mid = start + (end - start) * DIPHTHONG_FIRST_SHARE
    return [(syms[0], start, mid), (syms[1], mid, end)]


# Letter-to-sound: longest match first. Rough, but it gets the lip closures (p b m), f/v and the
# vowel count right, which is what the mouth needs.
_LTS = [
    ("tch", "CH"), ("sch", "S K"), ("igh", "AY"), ("ough", "AO"), ("tion", "SH AH N"),
    ("ph", "F"), ("sh", "SH"), ("ch", "CH"), ("th", "TH"), ("ng", "NG"), ("ck", "K"),
    ("qu", "K W"), ("wh", "W"), ("gh", ""), ("kn", "N"), ("wr", "R"),
    ("ee", "IY"), ("ea", "IY"), ("oo", "UW"), ("ou", "AW"), ("ow", "OW"), ("oa", "OW"),
    ("ai", "EY"), ("ay", "EY"), ("ei", "EY"), ("ey", "IY"), ("oi", "OY"), ("oy", "OY"),
    ("au", "AO"), ("aw", "AO"), ("ie", "IY"), ("ue", "UW"), ("ew", "UW"), ("ar", "AA R"),
    ("er", "ER"), ("ir", "ER"), ("ur", "ER"), ("or", "AO R"),
    ("a", "AE"), ("b", "B"), ("c", "K"), ("d", "D"), ("e", "EH"), ("f", "F"), ("g", "G"),
    ("h", "HH"), ("i", "IH"), ("j", "JH"), ("k", "K"), ("l", "L"), ("m", "M"), ("n", "N"),
    ("o", "AA"), ("p", "P"), ("q", "K"), ("r", "R"), ("s", "S"), ("t", "T"), ("u", "AH"),
    ("v", "V"), ("w", "W"), ("x", "K S"), ("y", "IY"), ("z", "Z"),
]


def spell(word: str) -> str:
    """Rough ARPAbet pronunciation of an out-of-vocabulary word ("" if it has no letters a-z)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if len(w) > 2 and w.endswith("e") and w[-2] not in "aeiou":
        w = w[:-1]  # silent final e ("blume" -> B L UW M)
    out: list[str] = []
    i = 0
    while i < len(w):
        for letters, phones in _LTS:
            if w.startswith(letters, i):
                if phones:
                    out.extend(phones.split())
                i += len(letters)
                break
        else:  # pragma: no cover - every a-z letter has a rule
            i += 1
    # collapse doubled consonants ("ll", "pp") into one phone
    dedup = [p for k, p in enumerate(out) if k == 0 or p != out[k - 1]]
    return " ".join(dedup)
