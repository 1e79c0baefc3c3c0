"""eSpeak NG text-to-speech for the languages the neural English voice cannot speak.

We drive ``libespeak-ng`` (shipped by the ``espeakng-loader`` wheel, with data for ~100
languages) through ctypes in synchronous mode: ``espeak_Synth`` calls our callback with 16-bit
audio chunks and events. With ``espeakINITIALIZE_PHONEME_IPA`` the phoneme events (type 7) name
each phoneme in IPA (stress marks included, ``"ˈa"``) and give its start as a sample index
(``sample``, reset for every ``espeak_Synth`` call); word events (type 1) give the word's
1-based character position in the text. The voice is a formant synthesiser at 22050 Hz: robotic,
but it covers many languages, runs in milliseconds and its timeline is exact.

Timeline rules (all bookkeeping in integer samples so the timeline covers the audio exactly):

* a phoneme lasts from its event to the next event (the last one to the end of the audio);
  audio before the first event is silence; zero-length phonemes are dropped;
* pause events (empty name) are silence ``""``; language-switch markers (``"(en)"``, emitted
  when Latin words inside Korean are read in English) are not phonemes and are skipped;
  espeak's ASCII notation marks are dropped (``"y-"`` -> ``"y"``, Mandarin ``"s."`` -> ``"s"``);
  a lone modifier event (Polish ``"ʲ"``) joins the previous phoneme;
* a vowel cluster that espeak emits as ONE phoneme (``"aɪ"``, Mandarin ``"iou"``, ``"ju"``) is
  split into equal parts, one per vowel/glide letter, as piper delivers diphthongs: each part
  then gets its own mouth shape (``a`` wide open, then ``ɪ`` nearly closed);
* words come from the TEXT (whitespace tokens), anchored by the word events. espeak sometimes
  omits word events (Korean drops some), and a number emits several ("123"); so the phonemes
  between two anchored tokens are shared among the tokens there in proportion to their length.

libespeak-ng is one process-global C state: it is initialised once and every use holds
:data:`_LOCK`.
"""

from __future__ import annotations

import ctypes
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from digihuman.speech.base import TTS, SpeechOptions
from digihuman.speech.pieces import Piece, Seg, join_pieces
from digihuman.text.normalize import prepare_text
from digihuman.types import Speech

DEFAULT_WPM = 175
"""espeak's default speaking rate (words per minute) = our rate 1.0."""
MIN_WPM, MAX_WPM = 80, 450
"""espeakRATE_MINIMUM / espeakRATE_MAXIMUM: rates outside are clamped by espeak itself."""
PITCH_STEPS_PER_OCTAVE = 50
"""espeakPITCH 0..100 scales the voice's base pitch by 2**((p - 50) / 50) (espeak-ng's
pitch_adjust_tab), i.e. 50 steps per octave, 4.17 per semitone; 50 is the voice's own pitch."""

_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS
_OPT_PHONEME_IPA = 0x2  # espeakINITIALIZE_PHONEME_IPA: phoneme events carry IPA names
_CHARS_UTF8 = 1  # espeakCHARS_UTF8
_POS_CHARACTER = 1  # POS_CHARACTER
_EV_END, _EV_WORD, _EV_PHONEME = 0, 1, 7  # espeakEVENT_LIST_TERMINATED, _WORD, _PHONEME
_RATE, _VOLUME, _PITCH = 1, 2, 3  # espeak_PARAMETER


class _Event(ctypes.Structure):
    """espeak_EVENT from speak_lib.h (the id union is read as its 8-byte string member)."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based character index in the text
        ("length", ctypes.c_int),  # characters (word events)
        ("audio_position", ctypes.c_int),  # ms
        ("sample", ctypes.c_int),  # samples since the start of this espeak_Synth call
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),  # phoneme name (UTF-8, NUL-padded) for phoneme events
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))

_LOCK = threading.Lock()
_STATE: dict = {}  # lib, sample_rate, callback (kept alive), chunks, events


def check_available() -> None:
    """Raise ImportError when the espeak-ng library or its data is missing."""
    import os

    import espeakng_loader

    if not os.path.exists(espeakng_loader.get_library_path()):
        raise ImportError(f"libespeak-ng not found at {espeakng_loader.get_library_path()}")
    try:
        espeakng_loader.get_data_path()
    except RuntimeError as exc:  # the wheel is there but its data folder is not
        raise ImportError(str(exc)) from exc


def _on_synth(wav, n, events) -> int:
    """espeak's callback: collect audio and events of the running espeak_Synth (lock held)."""
    if n > 0:
        _STATE["chunks"].append(np.ctypeslib.as_array(wav, (n,)).copy())
    i = 0
    while events[i].type != _EV_END:
        e = events[i]
        if e.type in (_EV_WORD, _EV_PHONEME):
            name = e.id.decode("utf-8", "ignore") if e.type == _EV_PHONEME else ""
            _STATE["events"].append((e.type, e.text_position, e.length, e.sample, name))
        i += 1
    return 0  # continue synthesis


def _init() -> None:
    """Load and initialise the library once per process (caller holds _LOCK)."""
    if "lib" in _STATE:
        return
    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                 ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    sample_rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(),
                                        _OPT_PHONEME_IPA)
    if sample_rate <= 0:
        raise RuntimeError("espeak-ng failed to initialise (data folder missing or damaged)")
    callback = _CALLBACK(_on_synth)
    lib.espeak_SetSynthCallback(callback)
    _STATE.update(lib=lib, sample_rate=sample_rate, callback=callback, chunks=[], events=[])


def _synth(voice: str, text: str, wpm: int, pitch: int) -> tuple[np.ndarray, list, int]:
    """One espeak_Synth call -> (int16 audio, events, sample rate)."""
    with _LOCK:
        _init()
        lib = _STATE["lib"]
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"espeak-ng has no voice {voice!r}")
        # Parameters are global: set all of them on every call (another voice may have run).
        lib.espeak_SetParameter(_RATE, wpm, 0)
        lib.espeak_SetParameter(_PITCH, pitch, 0)
        lib.espeak_SetParameter(_VOLUME, 100, 0)  # 100 = unscaled; our gain comes after
        _STATE["chunks"], _STATE["events"] = [], []
        data = text.encode("utf-8")
        err = lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        if err != 0:
            raise RuntimeError(f"espeak-ng synthesis failed (error {err})")
        chunks, events = _STATE["chunks"], _STATE["events"]
        _STATE["chunks"], _STATE["events"] = [], []
        audio = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        return audio, events, int(_STATE["sample_rate"])




def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN"


def _tokens(text: str, cuts: set[int]) -> list[tuple[str, int, int]]:
    """Speakable tokens as (text, start, end) character spans: runs of letters, marks and
    digits (inner ' ’ - . kept: "don't", "3.5"). Unspaced scripts (CJK) are also cut at the
    character indices in ``cuts`` (espeak's word starts) when both sides are non-Latin letters."""
    out: list[tuple[str, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if not _is_word_char(text[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            ch = text[j]
            if _is_word_char(ch):
                if j in cuts and _cjk_letter(text[j - 1]) and _cjk_letter(ch):
                    break
                j += 1
            elif ch in "'’-." and j + 1 < n and _is_word_char(text[j + 1]) and _is_word_char(text[j - 1]):
                j += 1
            else:
                break
        out.append((text[i:j], i, j))
        i = j
    return out


def _cjk_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L") and not unicodedata.name(ch, "").startswith("LATIN")


_VOWELS = set("aeiouyæɑɒɔəɐɛɜɚɝɪʊʌᵻɨɵʉøœɘɞɶɯɤʏ")
_GLIDES = set("jwɥ")
_MODIFIER_ONLY = set("ˈˌːˑʲʰʷˠˤʼʱ̃")


def _split_cluster(symbol: str) -> list[str]:
    """``"ˈaɪ"`` -> ``["ˈa", "ɪ"]``; ``"iou"`` -> 3 parts; consonants and single vowels unsplit.
    A part starts at each vowel/glide letter that differs from the letter before it ("aa" and
    "aai" keep the long a together), marks stay with their letter."""
    base = unicodedata.normalize("NFD", symbol)
    letters = [ch for ch in base if ch in _VOWELS or ch in _GLIDES]
    if len(letters) < 2 or not any(ch in _VOWELS for ch in letters):
        return [symbol]
    parts: list[str] = []
    prev = ""
    for ch in base:
        starts = (ch in _VOWELS or ch in _GLIDES) and ch != prev and parts and any(
            c in _VOWELS or c in _GLIDES for c in parts[-1])
        if starts:
            parts.append(ch)
        elif parts:
            parts[-1] += ch
        else:
            parts.append(ch)
        if unicodedata.category(ch) != "Mn":
            prev = ch
    return [unicodedata.normalize("NFC", p) for p in parts]


def _segments(events: list, n: int) -> list[Seg]:
    """Phoneme events -> contiguous segments over [0, n) samples, labelled with the index of
    the word event before them (-1 before the first)."""
    marks: list[tuple[int, str, int]] = []  # (start sample, symbol, word event index)
    word = -1
    for etype, _pos, _length, sample, name in events:
        if etype == _EV_WORD:
            word += 1
            continue
        if name.startswith("("):  # "(en)" language switch marker, not a sound
            continue
        # espeak writes e.g. "y-" (French, a linking mark): keep IPA letters and marks only
        symbol = "".join(ch for ch in name if ch not in "-_|#=/.")
        marks.append((min(max(sample, 0), n), symbol, word))
    segs: list[Seg] = []
    if not marks or marks[0][0] > 0:
        segs.append(Seg("", 0, marks[0][0] if marks else n))
    for k, (start, symbol, label) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else n
        end = max(end, start)
        if end == start:
            continue  # zero length (e.g. a Korean ɫ elided before m)
        if symbol and set(symbol) <= _MODIFIER_ONLY:
            if segs and segs[-1].symbol:  # "ʲ" after "b": one palatalised "bʲ"
                segs[-1].symbol += symbol
                segs[-1].end = end
                continue
            symbol = ""
        if segs and symbol == "" and segs[-1].symbol == "":
            segs[-1].end = end
            continue
        if not symbol:
            segs.append(Seg("", start, end))
            continue
        parts = _split_cluster(symbol)
        cuts = [start + (end - start) * k // len(parts) for k in range(len(parts) + 1)]
        segs.extend(Seg(p, a, b, label) for p, a, b in zip(parts, cuts, cuts[1:]) if b > a)
    return [s for s in segs if s.end > s.start]


def _words(text: str, events: list, segs: list[Seg]) -> list[tuple[str, int, int]]:
    """Words as (text, first segment index, last segment index) (rules in the module doc)."""
    starts = [pos - 1 for etype, pos, _l, _s, _n in events if etype == _EV_WORD]
    tokens = _tokens(text, set(starts))
    phones = [i for i, s in enumerate(segs) if s.symbol]
    if not phones:
        return []
    if not tokens:  # nothing to name them by: spell the phonemes
        return [("".join(segs[i].symbol for i in phones).replace("ˈ", "").replace("ˌ", ""),
                 phones[0], phones[-1])]
    # word event k -> token index (the token holding that character, or the next one)
    anchor: list[int] = []
    for idx in starts:
        k = next((t for t, (_w, _a, b) in enumerate(tokens) if b > idx), len(tokens) - 1)
        anchor.append(max(k, anchor[-1]) if anchor else k)  # keep it monotonic
    heads = sorted({0} | set(anchor))  # tokens that start a group
    group_of_token = np.searchsorted(heads, np.arange(len(tokens)), side="right") - 1
    grouped: dict[int, list[int]] = {}
    for i in phones:
        label = segs[i].label
        g = int(group_of_token[anchor[label]]) if 0 <= label < len(anchor) else 0
        grouped.setdefault(g, []).append(i)
    out: list[tuple[str, int, int]] = []
    for g, head in enumerate(heads):
        members = tokens[head: heads[g + 1] if g + 1 < len(heads) else len(tokens)]
        idx = grouped.get(g, [])
        if not idx:
            continue
        if len(idx) < len(members):  # too few phonemes to share: one word for the group
            out.append((" ".join(m[0] for m in members), idx[0], idx[-1]))
            continue
        # share the phonemes in proportion to token length (characters), at least one each
        weights = np.array([len(m[0]) for m in members], dtype=float)
        cum = np.round(np.cumsum(weights) / weights.sum() * len(idx)).astype(int)
        bounds = [0]
        for k, c in enumerate(cum):
            lo = bounds[-1] + 1
            hi = len(idx) - (len(members) - 1 - k)
            bounds.append(int(min(max(c, lo), hi)))
        for m, a, b in zip(members, bounds, bounds[1:]):
            out.append((m[0], idx[a], idx[b - 1]))
    return out




class EspeakTTS(TTS):
    """eSpeak NG for one language. ``lang`` is a code from :mod:`.languages` ("ko", "ja-JP",
    "cmn" ...); ``voice`` overrides the espeak voice name. Options as in :class:`SpeechOptions`
    (``rate`` is clamped to espeak's 80..450 words/min, i.e. 0.46..2.57)."""

    name = "espeak"
    aligned = True
    pitch_control = True

    def __init__(self, options: SpeechOptions | None = None, *, lang: str = "en",
                 voice: str | None = None, **fields) -> None:
        from digihuman.speech.languages import resolve_language

        self.options = replace(options or SpeechOptions(), **fields)
        self.language = resolve_language(lang)
        self.voice = voice or self.language.espeak_voice
        self.sample_rate = 22050  # espeak-ng's native rate; confirmed on first synthesis

    def _params(self, o: SpeechOptions) -> tuple[int, int]:
        wpm = int(round(min(max(DEFAULT_WPM * o.rate, MIN_WPM), MAX_WPM)))
        semitones = float(getattr(o, "pitch", 0.0) or 0.0)
        pitch = int(round(50 + semitones * PITCH_STEPS_PER_OCTAVE / 12.0))
        return wpm, min(max(pitch, 0), 100)

    def _piece(self, sentence: str, o: SpeechOptions) -> Piece:
        wpm, pitch = self._params(o)
        pcm, events, sr = _synth(self.voice, sentence, wpm, pitch)
        self.sample_rate = sr
        audio = pcm.astype(np.float32) / 32768.0
        peak = float(np.abs(audio).max()) if len(audio) else 0.0
        if peak > 0:  # same convention as piper: peak-normalise each sentence, then gain
            audio = np.clip(audio / peak * o.volume, -1.0, 1.0).astype(np.float32)
        segs = _segments(events, len(audio))
        return Piece(audio, segs, _words(sentence, events, segs))

    def stream(self, text: str, options: SpeechOptions | None = None) -> Iterator[Speech]:
        opts = options or self.options
        for sentence in prepare_text(text, lang=self.language.code):
            yield join_pieces([self._piece(sentence, opts)], self.sample_rate, sentence, 0)

    def synthesize(self, text: str, options: SpeechOptions | None = None) -> Speech:
        opts = options or self.options
        pieces = [self._piece(s, opts) for s in prepare_text(text, lang=self.language.code)]
        pause = int(round(opts.sentence_pause * self.sample_rate))
        return join_pieces(pieces, self.sample_rate, text, pause)
