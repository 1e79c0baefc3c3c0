"""New speech for the dub: the script over the original speech segments, in the actor's voice.

1. The original speech segments (Silero VAD) are joined across pauses shorter than
   :data:`PHRASE_PAUSE` into phrases.
2. Each sentence of the new script is synthesised once at its natural pace; a dynamic programme
   pairs consecutive groups of sentences with consecutive groups of phrases (a "slot"), choosing
   the grouping whose speaking rates stay closest to 1 (cost: log(rate)^2 per slot).
3. Each slot's text is synthesised again at the rate that fits it, within :data:`RATE_RANGE`.
   Text that needs more is spoken at the fastest rate and runs into the following pause (said in
   a warning); a script that cannot fit at all is refused with the numbers before anything renders.
4. Leading/trailing silence of each piece is trimmed, so it starts where the actor started.

All times are seconds from the start of the video.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..errors import InputError
from ..types import Audio, Phoneme, Speech, Timeline, Word

PHRASE_PAUSE = 0.35  # s: shorter VAD pauses are breaths inside one phrase
RATE_RANGE = (0.8, 1.25)  # speaking-rate multipliers a piece may be fitted with
MAX_GROUP = 4  # at most this many sentences or phrases in one slot (keeps the search linear)
GAP = 0.05  # s: minimum silence between two pieces that run into each other


@dataclass(frozen=True)
class Slot:
    """One stretch of the original speech and the new text that fills it."""

    start: float
    end: float
    room: float
    """Where the next slot starts (or the video ends): how far a fast piece may run."""
    text: str
    natural: float
    """Seconds the text takes at the voice's natural pace (trimmed of silence)."""
    sentences: tuple[int, int] = (0, 0)
    """[first, last) index of the script's sentences in it."""

    @property
    def rate(self) -> float:
        """Speaking rate that makes the text last exactly the slot."""
        return self.natural / max(self.end - self.start, 1e-3)


def phrases(segments: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """VAD segments joined over pauses shorter than :data:`PHRASE_PAUSE`."""
    out: list[list[float]] = []
    for s, e in segments:
        if out and s - out[-1][1] < PHRASE_PAUSE:
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def cut(speech: Speech, t0: float, t1: float) -> Speech:
    """The part of ``speech`` from ``t0`` to ``t1`` seconds, its timeline shifted to start at 0."""
    sr = speech.audio.sample_rate
    a, b = max(0, int(round(t0 * sr))), min(len(speech.audio.samples), int(round(t1 * sr)))
    dur, shift = (b - a) / sr, a / sr

    def mv(p: Phoneme) -> Phoneme:
        return Phoneme(p.symbol, min(dur, max(0.0, p.start - shift)), min(dur, max(0.0, p.end - shift)))

    phon = tuple(q for q in (mv(p) for p in speech.timeline.phonemes) if q.end > q.start)
    words = tuple(Word(w.text, max(0.0, w.start - shift), min(dur, w.end - shift),
                       tuple(mv(p) for p in w.phonemes)) for w in speech.timeline.words
                  if w.end > shift and w.start < shift + dur)
    return Speech(Audio(speech.audio.samples[a:b], sr), Timeline(words, phon, dur), speech.text)


def voiced_span(speech: Speech) -> tuple[float, float] | None:
    """First and last second of non-silent phonemes."""
    voiced = [p for p in speech.timeline.phonemes if not p.is_silence]
    return (voiced[0].start, voiced[-1].end) if voiced else None


def trim(speech: Speech) -> Speech:
    """``speech`` without its leading and trailing silence (timeline shifted to match)."""
    span = voiced_span(speech)
    return speech if span is None else cut(speech, *span)


def plan(sentences: list[str], natural: list[float], spans: list[tuple[float, float]], end: float) -> list[Slot]:
    """Pair groups of sentences with groups of phrases (see the module's docstring)."""
    S, P = len(sentences), len(spans)
    gs = max(MAX_GROUP, math.ceil(S / P) + 1)
    gp = max(MAX_GROUP, math.ceil(P / S) + 1)
    INF = float("inf")
    cost = np.full((P + 1, S + 1), INF)
    back: dict[tuple[int, int], tuple[int, int]] = {}
    cost[0, 0] = 0.0
    for i in range(1, P + 1):
        for j in range(1, S + 1):
            best, arg = INF, None
            for a in range(max(0, i - gp), i):
                room = spans[i][0] if i < P else end
                for b in range(max(0, j - gs), j):
                    if cost[a, b] == INF:
                        continue
                    need = sum(natural[b:j]) + 0.25 * (j - b - 1)
                    dur = spans[i - 1][1] - spans[a][0]
                    r = need / max(dur, 1e-3)
                    c = math.log(r) ** 2 + 0.05 * (i - a - 1)
                    if need / RATE_RANGE[1] > room - spans[a][0]:
                        c += 100.0 + r  # cannot fit even running into the pause
                    if cost[a, b] + c < best:
                        best, arg = cost[a, b] + c, (a, b)
            cost[i, j] = best
            if arg is not None:
                back[(i, j)] = arg
    slots: list[Slot] = []
    i, j = P, S
    while i > 0:
        a, b = back[(i, j)]
        room = spans[i][0] if i < P else end
        slots.append(Slot(spans[a][0], spans[i - 1][1], room, " ".join(sentences[b:j]),
                          sum(natural[b:j]) + 0.25 * (j - b - 1), (b, j)))
        i, j = a, b
    return slots[::-1]


def check_fits(natural: list[float], spans: list[tuple[float, float]], end: float) -> None:
    """Refuse a script that cannot be spoken in the video's time even at the fastest rate."""
    need = sum(natural)
    speech_s = sum(e - s for s, e in spans)
    avail = end - spans[0][0]
    if need / RATE_RANGE[1] > avail:
        raise InputError(
            f"the new script is too long: it takes {need:.1f} s at a natural pace ({need / RATE_RANGE[1]:.1f} s "
            f"at the fastest rate {RATE_RANGE[1]:g}), but the video has {speech_s:.1f} s of speech and "
            f"{avail:.1f} s from the first word to the end",
            f"shorten the script to about {100 * speech_s / need:.0f} % of its length")


def place(pieces: list[tuple[float, Speech]], duration: float, sample_rate: int, text: str) -> Speech:
    """One Speech over the whole video: each piece at its start time, silence between them."""
    from ..audio.io import resample

    n = int(round(duration * sample_rate))
    track = np.zeros(n, np.float32)
    phon: list[Phoneme] = []
    words: list[Word] = []
    cursor = 0.0
    for t0, sp in pieces:
        a = resample(sp.audio, sample_rate).samples
        i0 = int(round(t0 * sample_rate))
        seg = a[: max(0, n - i0)]
        track[i0:i0 + len(seg)] += seg
        if t0 > cursor:
            phon.append(Phoneme("", cursor, t0))
        for p in sp.timeline.phonemes:
            s, e = min(duration, t0 + p.start), min(duration, t0 + p.end)
            if e > s:
                phon.append(Phoneme(p.symbol, s, e))
        for w in sp.timeline.words:
            if t0 + w.start < duration:
                words.append(Word(w.text, t0 + w.start, min(duration, t0 + w.end),
                                  tuple(Phoneme(p.symbol, t0 + p.start, min(duration, t0 + p.end)) for p in w.phonemes)))
        cursor = min(duration, t0 + sp.timeline.duration)
    if cursor < duration:
        phon.append(Phoneme("", cursor, duration))
    # contiguous: each phoneme starts where the previous one ended
    fixed: list[Phoneme] = []
    for p in phon:
        s = fixed[-1].end if fixed else 0.0
        if p.end > s:
            fixed.append(Phoneme(p.symbol, s, p.end))
    return Speech(Audio(np.clip(track, -1, 1), sample_rate), Timeline(tuple(words), tuple(fixed), duration), text)


def synthesize_script(text: str, who, lang: str, spans: list[tuple[float, float]], duration: float,
                      sample_rate: int, progress=None) -> tuple[Speech, list[str], list[Slot]]:
    """The new script spoken over ``spans`` in ``who``'s voice: (speech over the whole video,
    warnings, the slots)."""
    from ..pipeline import SayOptions, speak
    from ..text import prepare_text

    sentences = prepare_text(text, lang=lang)
    opts = SayOptions(lang=lang, watermark=False)
    first = [trim(speak(s, who, opts)) for s in sentences]
    if progress:
        progress(0.4)
    natural = [sp.audio.duration for sp in first]
    check_fits(natural, spans, duration)
    slots = plan(sentences, natural, spans, duration)
    warnings: list[str] = []
    pieces: list[tuple[float, Speech]] = []
    cursor = 0.0
    for k, slot in enumerate(slots):
        r = slot.rate
        fit = min(RATE_RANGE[1], max(RATE_RANGE[0], r))
        b, j = slot.sentences
        if j - b == 1 and abs(fit - 1) < 0.03:  # already spoken at about this pace
            sp = first[b]
        else:
            sp = trim(speak(slot.text, who, replace(opts, rate=fit)))
        start = max(slot.start, cursor)
        label = f"segment {k + 1} ({slot.start:.1f}-{slot.end:.1f} s)"
        if r > RATE_RANGE[1]:
            warnings.append(f"{label}: the new text needs rate {r:.2f} to fit (more than {RATE_RANGE[1]:g}); "
                            f"spoken at {fit:g}, it runs {start + sp.audio.duration - slot.end:.2f} s into the pause after it")
        elif r < RATE_RANGE[0]:
            warnings.append(f"{label}: the new text is short for it (rate {r:.2f} would fill it); "
                            f"spoken at {fit:g}, the mouth rests for the last {slot.end - start - sp.audio.duration:.2f} s")
        pieces.append((start, sp))
        cursor = start + sp.audio.duration + GAP
        if progress:
            progress(0.4 + 0.6 * (k + 1) / len(slots))
    if cursor - GAP > duration + 1e-6:
        raise InputError(f"the new speech ends at {cursor - GAP:.1f} s, after the video ({duration:.1f} s)",
                         "shorten the script's last sentences")
    return place(pieces, duration, sample_rate, text), warnings, slots


def place_recording(recording: Audio, transcript: str | None, lang: str, spans: list[tuple[float, float]] | None,
                    duration: float, sample_rate: int) -> tuple[Speech, list[str], float]:
    """A voice actor's recording aligned to the video: its first word where the actor's first
    word was (or where it is, without original speech), phonemes by recognition / forced
    alignment. Returns (speech over the whole video, warnings, offset in seconds)."""
    from ..recognition import recognize

    timeline, warnings = recognize(recording, transcript, lang=lang)
    rec = Speech(recording, timeline, transcript or " ".join(w.text for w in timeline.words))
    span = voiced_span(rec)
    if span is None:
        raise InputError("no speech was found in the recording", "give a recording of the new lines")
    offset = (spans[0][0] - span[0]) if spans else 0.0
    end = span[1] + offset
    if end > duration + 1e-3:
        raise InputError(
            f"the recording's speech lasts {span[1] - span[0]:.1f} s and would end at {end:.1f} s, "
            f"after the video ({duration:.1f} s)",
            "record the lines to picture, or trim the recording to the video's length")
    rec = cut(rec, max(0.0, -offset), min(recording.duration, duration - offset))
    return place([(max(0.0, offset), rec)], duration, sample_rate, rec.text), list(warnings), offset


def mix(original: Audio, new_voice: Audio, spans: list[tuple[float, float]], *, duck_db: float = -14.0,
        fade: float = 0.04) -> Audio:
    """The original sound with its speech removed (muted over ``spans``, with ``fade`` s ramps) and
    ducked by ``duck_db`` under the new voice, plus the new voice. Same rate and length as
    ``new_voice``. Without a source-separation model the background under the old speech is lost."""
    from ..audio.io import resample

    sr = new_voice.sample_rate
    n = len(new_voice.samples)
    bg = resample(original, sr).samples[:n]
    bg = np.pad(bg, (0, n - len(bg)))
    gain = np.ones(n, np.float32)
    for s, e in spans:
        gain[int(s * sr):int(math.ceil(e * sr))] = 0.0
    from scipy.ndimage import maximum_filter1d, uniform_filter1d

    # voice activity held over 150 ms windows (no pumping between syllables); O(n) filters, so a
    # 10-minute track takes milliseconds
    active = maximum_filter1d((np.abs(new_voice.samples) > 1e-4).view(np.uint8), max(1, int(0.15 * sr))) > 0
    gain[active] = np.minimum(gain[active], np.float32(10 ** (duck_db / 20)))
    gain = uniform_filter1d(gain, max(1, int(fade * sr)))  # every step of the gain smoothed: no clicks
    return Audio(np.clip(bg * gain + new_voice.samples, -1, 1).astype(np.float32), sr)
