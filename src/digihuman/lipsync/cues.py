"""Phoneme timeline -> mouth cues, with Rhubarb-style animation rules.

Steps (all times in seconds):

1. Each phoneme gets its shape (:mod:`.visemes`); ``h`` borrows the next shape. Duration
   rules from Rhubarb's ``getShapeSets``: a short ``a`` (first half of AY/AW, < 0.1 s) opens
   only to C, a long ``ʌ`` (>= 0.2 s) to D, a short ER (< 0.07 s) is drawn like schwa (C), and
   the ``ʊ`` ending AW (``a ʊ``) is E, not F.
2. Lip rounding spreads backwards: a consonant drawn as B just before a rounded vowel (F, E)
   is drawn rounded too ("two" starts puckered), as people (and Rhubarb) do.
3. Short pauses inside speech (< :data:`SHORT_PAUSE`) are not drawn as the idle X, which would
   flicker: they keep a closed mouth after A, else B.
4. Anticipation: every shape change happens :data:`ANTICIPATION` earlier than its phoneme
   (the mouth moves before the sound), but never more than half of the previous phoneme, so a
   p/b/m still overlaps its own A cue. Closing into silence is not anticipated.
5. Every A (lip closure) lasts at least :data:`MIN_CLOSED` so a frame at 25 fps shows it.
6. Cues shorter than :data:`MIN_CUE` (except A) are absorbed by a neighbour.

The result is contiguous and covers [0, timeline.duration].
"""

from __future__ import annotations

from digihuman.lipsync.visemes import LIKE_NEXT, base_symbol, is_vowel, phoneme_viseme
from digihuman.types import MouthCue, Timeline, Viseme

SHORT_PAUSE = 0.15
ANTICIPATION = 0.035
MIN_CLOSED = 0.04
MIN_CUE = 0.04

_ROUNDED = (Viseme.F, Viseme.E)


def _shapes(timeline: Timeline) -> list[list]:
    """[start, end, shape, is_vowel] per phoneme with rules 1-3 applied."""
    ph = list(timeline.phonemes)
    segs = [[p.start, p.end, phoneme_viseme(p.symbol), is_vowel(p.symbol)] for p in ph]
    bases = [base_symbol(p.symbol) for p in ph]
    for i, (p, b) in enumerate(zip(ph, bases)):
        if b == "a" and p.duration < 0.1:
            segs[i][2] = Viseme.C
        elif b == "ʌ" and p.duration >= 0.2:
            segs[i][2] = Viseme.D
        elif b in ("ɚ", "ɝ", "ɜ") and p.duration < 0.07:
            segs[i][2] = Viseme.C
        elif b == "ʊ" and i > 0 and bases[i - 1] == "a":
            segs[i][2] = Viseme.E
    # 1. h (LIKE_NEXT) -> shape of the next phoneme that has one; B at the end
    nxt = Viseme.B
    for s in reversed(segs):
        if s[2] is LIKE_NEXT:
            s[2] = nxt if nxt != Viseme.X else Viseme.B
        else:
            nxt = s[2]
    # 2. rounding spreads back over the B consonants right before a rounded vowel
    for i in range(len(segs) - 2, -1, -1):
        nxt_seg = segs[i + 1]
        if (not segs[i][3] and segs[i][2] == Viseme.B and nxt_seg[2] in _ROUNDED
                and (nxt_seg[3] or nxt_seg[2] == Viseme.F)):
            segs[i][2] = Viseme.F if nxt_seg[2] == Viseme.F else Viseme.E
            segs[i][3] = False
    # 3. short inner pauses keep the mouth nearly closed instead of flicking to idle
    for i, s in enumerate(segs):
        if s[2] == Viseme.X and 0 < i < len(segs) - 1 and s[1] - s[0] < SHORT_PAUSE:
            s[2] = Viseme.A if segs[i - 1][2] == Viseme.A else Viseme.B
    return segs


def _merge(cues: list[list]) -> list[list]:
    out: list[list] = []
    for c in cues:
        if c[1] <= c[0]:
            continue
        if out and out[-1][2] == c[2]:
            out[-1][1] = c[1]
        else:
            out.append(list(c))
    return out


def mouth_cues(timeline: Timeline) -> list[MouthCue]:
    """Rhubarb-style mouth cues for a timeline (rules in the module doc)."""
    duration = float(timeline.duration)
    if duration <= 0:
        return []
    segs = _shapes(timeline)
    if not segs:
        return [MouthCue(0.0, duration, Viseme.X)]
    segs[0][0], segs[-1][1] = 0.0, duration
    # 4. anticipation: move each boundary earlier, by at most half the phoneme before it
    starts = [s[0] for s in segs]
    for i in range(1, len(segs)):
        if segs[i][2] == Viseme.X or segs[i][2] == segs[i - 1][2]:
            continue
        prev_len = segs[i - 1][1] - segs[i - 1][0]
        starts[i] = segs[i][0] - min(ANTICIPATION, 0.5 * prev_len)
    cues = [[starts[i], starts[i + 1] if i + 1 < len(segs) else duration, segs[i][2]]
            for i in range(len(segs))]
    cues = _merge(cues)
    # 5. closed lips last at least MIN_CLOSED (taken evenly from the neighbours)
    for i, c in enumerate(cues):
        short = MIN_CLOSED - (c[1] - c[0])
        if c[2] != Viseme.A or short <= 0:
            continue
        left = min(short / 2, cues[i - 1][1] - cues[i - 1][0] - 1e-3) if i > 0 else 0.0
        right = min(short - max(left, 0), cues[i + 1][1] - cues[i + 1][0] - 1e-3) if i + 1 < len(cues) else 0.0
        left, right = max(left, 0.0), max(right, 0.0)
        if left < short - right and i > 0:  # right side too short: take the rest on the left
            left = max(0.0, min(short - right, cues[i - 1][1] - cues[i - 1][0] - 1e-3))
        c[0] -= left
        c[1] += right
        if i > 0:
            cues[i - 1][1] = c[0]
        if i + 1 < len(cues):
            cues[i + 1][0] = c[1]
    cues = _merge(cues)
    # 6. absorb flicker: a short non-A cue goes to its longer non-A neighbour (else any)
    i = 0
    while i < len(cues) and len(cues) > 1:
        c = cues[i]
        if c[2] == Viseme.A or c[1] - c[0] >= MIN_CUE - 1e-9:
            i += 1
            continue
        cands = [j for j in (i - 1, i + 1) if 0 <= j < len(cues)]
        pool = [j for j in cands if cues[j][2] != Viseme.A] or cands
        j = max(pool, key=lambda k: cues[k][1] - cues[k][0])
        if j < i:
            cues[j][1] = c[1]
        else:
            cues[j][0] = c[0]
        del cues[i]
        # the two cues now touching may have the same shape: join them
        if 0 < i < len(cues) and cues[i - 1][2] == cues[i][2]:
            cues[i - 1][1] = cues[i][1]
            del cues[i]
        i = max(0, i - 1)
    cues[0][0], cues[-1][1] = 0.0, duration
    return [MouthCue(float(s), float(e), shape) for s, e, shape in cues]
