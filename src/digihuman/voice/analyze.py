"""Analyse 5 s - 5 min of one speaker into a :class:`VoiceProfile` (once, at persona creation).

Parallel voice conversion without parallel recordings: the sample is transcribed (pocketsphinx,
English), the base TTS voice says the same words, the two are aligned frame by frame with DTW
on mel-cepstra, and the difference between aligned frames is the speaker difference, free of
what was said. From it we learn a vocal-tract warp factor (grid search), a mel-cepstral shift
(amplitude scaling) and per-coefficient slopes; F0 statistics come from both voices saying the
same words. When the language cannot be transcribed (or too few words are recognised) we fall
back to long-term statistics against a fixed base-voice text ("statistics" method).

Input checks (each raises InputError with a hint) are in :func:`check_speech`; see there.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np

from ..errors import InputError
from ..types import Audio
from .convert import FRAME_MS, to_mcep, warp_envelope, world_analyze
from .profile import VoiceProfile

MIN_SPEECH_S, MAX_SECONDS = 5.0, 300.0
"""Accepted sample length: at least 5 s from first to last voice activity, at most 5 min."""
SAMPLE_RATE = 22050
"""Rate (Hz) of the base voice (piper); the mapping is learned and applied at this rate."""
N_DIMS = 40
"""Mel-cepstral coefficients of the mapping (enough for formant detail at 22 kHz)."""
WARP_GRID = np.round(np.arange(0.80, 1.2501, 0.025), 3)
"""Vocal-tract warp factors tried (1.0 = same length; adult speakers fall within +-20 %)."""
STATS_TEXT = (
    "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. "
    "It is easy to tell the depth of a well. These days a chicken leg is a rare dish. "
    "Rice is often served in round bowls. The juice of lemons makes fine punch."
)
"""Phonetically balanced base-voice text (Harvard sentences) for the non-parallel fallback."""
HINT_SAMPLE = "record 5 s to 5 min of one person speaking clearly, alone, in a quiet room"

Progress = Callable[[str], None] | None


def analyze_voice(source: str | os.PathLike | Audio, *, lang: str = "en", progress: Progress = None) -> VoiceProfile:
    """Learn ``source``'s voice (a file path or :class:`Audio`) relative to the base voice."""
    from ..audio.io import load_audio, resample
    from ..speech import get_tts

    say = progress or (lambda _msg: None)
    if isinstance(source, Audio):
        a16, a22 = resample(source, 16000), resample(source, SAMPLE_RATE)
    else:
        a16 = load_audio(source, 16000, max_seconds=MAX_SECONDS + 1.0)
        a22 = load_audio(source, SAMPLE_RATE)
    say("checking the voice sample")
    info = check_speech(a16)
    transcript = ""
    if lang.lower().startswith("en"):
        say("transcribing the voice sample")
        transcript = transcribe(a16)
    parallel = len(transcript.split()) >= 4
    say("the base voice says the same words" if parallel else "measuring the base voice")
    # noise-free: the same sample gives the same profile every time (piper's noise moved the learned
    # pitch mapping, and so the converted voice, by up to 3 semitones between analyses)
    base = get_tts("piper", noise_scale=0.0, noise_w=0.0).synthesize(transcript if parallel else STATS_TEXT)
    say("learning the voice mapping")
    return learn_profile(a22, base.audio, info, transcript=transcript if parallel else "", lang=lang,
                         n_phones=sum(1 for p in base.timeline.phonemes if not p.is_silence))


# ---------------------------------------------------------------------------------- learning


def _features(audio: Audio, harvest: bool = True):
    from ..audio.io import resample

    x = resample(audio, SAMPLE_RATE).samples.astype(np.float64)
    f0, sp, _, _ = world_analyze(x, SAMPLE_RATE, aperiodicity=False, harvest=harvest)
    db = 10 * np.log10(sp.mean(axis=1) + 1e-16)
    speech = db > np.percentile(db, 95) - 35.0  # frames within 35 dB of the loud part
    return f0, sp, speech


def dtw_path(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DTW between feature sequences a (n x d) and b (m x d), Euclidean frame distance.
    Steps (1,0), (1,1), (1,2) all come from the previous row, so each row is one vectorised
    numpy operation; the longer sequence is put on the rows so a path always exists."""
    swap = len(a) < len(b)
    if swap:
        a, b = b, a
    n, m = len(a), len(b)
    cost = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    acc = np.full((n, m), np.inf)
    step = np.zeros((n, m), np.int8)
    acc[0, 0] = cost[0, 0]
    for i in range(1, n):
        prev = acc[i - 1]
        c0 = prev  # (1,0)
        c1 = np.concatenate([[np.inf], prev[:-1]])  # (1,1)
        c2 = np.concatenate([[np.inf, np.inf], prev[:-2]])  # (1,2)
        stack = np.stack([c0, c1, c2])
        k = np.argmin(stack, axis=0)
        acc[i] = cost[i] + stack[k, np.arange(m)]
        step[i] = k
    i, j = n - 1, m - 1
    pa, pb = [i], [j]
    while i > 0:
        j -= int(step[i, j])
        i -= 1
        pa.append(i)
        pb.append(max(j, 0))
    pa, pb = np.array(pa[::-1]), np.array(pb[::-1])
    return (pb, pa) if swap else (pa, pb)


def _tilt_db_per_octave(sp: np.ndarray, fs: int) -> float:
    """Slope of the long-term log spectrum between 0.5 and 4 kHz (dB per octave)."""
    freqs = np.linspace(0, fs / 2, sp.shape[1])
    band = (freqs >= 500) & (freqs <= 4000)
    ltas = 10 * np.log10(sp.mean(axis=0)[band] + 1e-16)
    return float(np.polyfit(np.log2(freqs[band]), ltas, 1)[0])


def learn_profile(target: Audio, base: Audio, info: dict, *, transcript: str = "", lang: str = "en",
                  n_phones: int = 0) -> VoiceProfile:
    """Learn the mapping base -> target. With a transcript the two audios say the same words."""
    fs = SAMPLE_RATE
    f0_t, sp_t, sp_mask_t = _features(target)
    f0_b, sp_b, sp_mask_b = _features(base)
    vt, vb = (f0_t > 0) & sp_mask_t, (f0_b > 0) & sp_mask_b
    mc_t = to_mcep(sp_t, fs, N_DIMS)
    parallel = bool(transcript)
    if parallel:
        # Align speech frames on cepstra 1..24 with each utterance's mean removed (the mean is
        # mostly channel and speaker; the remaining trajectory is mostly what was said).
        it, ib = np.flatnonzero(sp_mask_t), np.flatnonzero(sp_mask_b)
        mc_b0 = to_mcep(sp_b, fs, N_DIMS)
        fa, fb = mc_t[it, 1:25], mc_b0[ib, 1:25]
        pa, pb = dtw_path(fa[::2] - fa.mean(0), fb[::2] - fb.mean(0))  # 10 ms steps: 4x cheaper
        pt, pbs = it[::2][pa], ib[::2][pb]
        keep = (f0_t[pt] > 0) & (f0_b[pbs] > 0)  # voiced-voiced pairs carry the speaker identity
        pt, pbs = (pt[keep], pbs[keep]) if keep.sum() > 50 else (pt, pbs)
    best = (np.inf, 1.0, None)
    for k in WARP_GRID:
        mc_b = to_mcep(warp_envelope(sp_b, float(k)), fs, N_DIMS)
        if parallel:
            d = mc_t[pt, 1:] - mc_b[pbs, 1:]
            err = float(((d - d.mean(0)) ** 2).sum(1).mean())
        else:  # long-term average shape of voiced frames, level and tilt (c1) removed
            d = mc_t[vt, 2:25].mean(0) - mc_b[vb, 2:25].mean(0)
            err = float(((d - d.mean()) ** 2).sum())
        if err < best[0]:
            best = (err, float(k), mc_b)
    _, scale_k, mc_b = best
    if parallel:
        y, x = mc_t[pt], mc_b[pbs]
    else:
        y, x = mc_t[vt], mc_b[vb]
    shift = y.mean(0) - x.mean(0)
    slope = np.clip(y.std(0) / np.maximum(x.std(0), 1e-6), 0.75, 1.33)
    shift[0], slope[0] = 0.0, 1.0
    gv = mc_t[vt].var(0)
    gv[0] = 0.0

    lf_t, lf_b = np.log2(f0_t[vt]), np.log2(f0_b[vb])
    spk_secs = info["speech_seconds"]
    base_secs = float(sp_mask_b.sum()) * FRAME_MS / 1000.0
    if parallel and n_phones:
        rate_spk, rate_base = n_phones / max(spk_secs, 1e-3), n_phones / max(base_secs, 1e-3)
        suggested = float(np.clip(rate_spk / rate_base, 0.75, 1.33))
    else:
        rate_spk, suggested = info["syllable_rate"] * 2.5, 1.0  # ~2.5 phones per syllable
    return VoiceProfile(
        pitch_median_hz=float(2 ** np.median(lf_t)),
        pitch_range_st=float(12 * lf_t.std()),
        base_pitch_median_hz=float(2 ** np.median(lf_b)),
        base_pitch_range_st=float(12 * lf_b.std()),
        formant_scale=scale_k,
        spectral_tilt_db=_tilt_db_per_octave(sp_t[vt], fs),
        speaking_rate=float(rate_spk),
        suggested_rate=suggested,
        loudness_dbfs=info["loudness_dbfs"],
        sample_rate=fs,
        n_dims=N_DIMS,
        method="parallel" if parallel else "statistics",
        lang=lang,
        transcript=transcript,
        speech_seconds=spk_secs,
        mcep_shift=shift,
        mcep_scale=slope,
        mcep_gv=gv,
        base_mcep_mean=x.mean(0),
    )


def transcribe(audio16: Audio) -> str:
    """English words in 16 kHz audio (pocketsphinx, bundled en-us model); "" when unavailable."""
    try:
        from pocketsphinx import Decoder
    except ImportError:
        return ""
    dec = Decoder(samprate=16000, loglevel="FATAL")
    dec.start_utt()
    dec.process_raw(audio16.to_int16().tobytes(), full_utt=True)
    dec.end_utt()
    hyp = dec.hyp()
    words = [w for w in (hyp.hypstr.split() if hyp else []) if w.isascii()]
    return " ".join(w.split("(")[0] for w in words)


# ---------------------------------------------------------------------------------- checking


def _frames(x: np.ndarray, n: int, hop: int) -> np.ndarray:
    count = 1 + max(0, (len(x) - n) // hop)
    idx = np.arange(n)[None, :] + hop * np.arange(count)[:, None]
    return x[np.minimum(idx, len(x) - 1)]


def check_speech(audio16: Audio) -> dict:
    """Reject samples we cannot learn a voice from; return measurements of the speech.

    All on 16 kHz audio with 30 ms frames every 10 ms:
    * length: the span from first to last active frame must be >= 5 s; the file <= 5 min;
    * activity: a frame is active within 35 dB of the loud (95th percentile) frames and above
      -60 dBFS; fewer than 30 % active frames = mostly silence;
    * clipping: > 1 % of active samples within 2 % of a peak that reaches >= 0.95 full scale;
    * not speech: speech alternates voiced (harmonic) and unvoiced sounds several times a second
      and its pitch glides. Noise has almost no voiced frames (< 15 %) or is spectrally flat
      (median flatness > 0.35); music/tones are voiced nearly all the time (> 92 %), change
      voicing rarely (< 1 onset per second) or hold a steady pitch (> 50 % of voiced frames
      within 0.1 semitone of the previous one: notes; speech F0 keeps moving);
    * several speakers: median F0 of ~1.5 s chunks clusters into two groups (k-means) more than
      8 semitones apart (a man and a woman: ~10-12) and 3 within-group spreads apart, each group >= 20 % of the chunks.
      This finds a man and a woman talking; two similar voices are NOT detected.
    """
    import pyworld as pw

    fs = 16000
    x = audio16.samples.astype(np.float64)
    dur = len(x) / fs
    if dur > MAX_SECONDS + 0.5:
        raise InputError(f"the voice sample is {dur:.0f} s long; at most {MAX_SECONDS:.0f} s are used",
                         "cut it to the best 5 s - 5 min of clear speech")
    if len(x) < fs or float(np.max(np.abs(x))) < 1e-4:
        raise InputError("the voice sample is silent", HINT_SAMPLE)
    fr = _frames(x, 480, 160)
    db = 10 * np.log10((fr**2).mean(1) + 1e-12)
    active = (db > np.percentile(db, 95) - 35.0) & (db > -60.0)
    on = np.flatnonzero(active)
    span = (on[-1] - on[0] + 1) * 0.01 if len(on) else 0.0
    if span < MIN_SPEECH_S:
        raise InputError(f"the voice sample has only {span:.1f} s of speech; at least {MIN_SPEECH_S:.0f} s are needed",
                         HINT_SAMPLE)
    if active.mean() < 0.3:
        raise InputError(f"the voice sample is mostly silence ({100 * (1 - active.mean()):.0f} %)",
                         "cut the silent parts or record again, speaking throughout")
    peak = float(np.max(np.abs(x)))
    hop_frames = _frames(x, 160, 160)  # 10 ms blocks, aligned with the activity frames
    act10 = np.zeros(len(hop_frames), bool)
    act10[: min(len(active), len(act10))] = active[: len(act10)]
    act_samples = np.abs(hop_frames[act10]).ravel()
    if peak >= 0.95 and np.mean(act_samples >= 0.98 * peak) > 0.01:
        raise InputError("the voice sample is clipped (too loud: the waveform hits full scale)",
                         "record again with lower input gain")
    f0, t = pw.dio(x, fs, f0_floor=60.0, f0_ceil=500.0, frame_period=10.0)
    f0 = pw.stonemask(x, f0, t, fs)
    n = min(len(f0), len(active))
    f0, act, fr = f0[:n], active[:n], fr[:n]
    voiced = (f0 > 0) & act
    vr = voiced.sum() / max(act.sum(), 1)
    spec = np.abs(np.fft.rfft(fr[act] * np.hanning(480), axis=1)) ** 2 + 1e-12
    flat = float(np.median(np.exp(np.log(spec).mean(1)) / spec.mean(1)))
    onsets = int(np.sum(voiced[1:] & ~voiced[:-1]))
    onset_rate = onsets / max(act.sum() * 0.01, 1e-3)
    st = 12 * np.log2(np.maximum(f0, 1.0))
    both = voiced[1:] & voiced[:-1]
    steady = float(np.mean(np.abs(np.diff(st))[both] < 0.1)) if both.sum() > 20 else 0.0
    if vr < 0.15 or flat > 0.35 or vr > 0.92 or onset_rate < 1.0 or steady > 0.5:
        raise InputError("the voice sample does not sound like speech (noise or music?)",
                         "use a recording of a person speaking, without background music")
    _check_one_speaker(st, voiced)
    rms = np.sqrt(np.mean(hop_frames[act10] ** 2) + 1e-12)
    return {"speech_seconds": float(act.sum() * 0.01), "span_seconds": float(span),
            "loudness_dbfs": float(20 * np.log10(rms)), "voiced_ratio": float(vr),
            "flatness": flat, "steady_pitch": steady, "syllable_rate": float(onset_rate)}


def _check_one_speaker(st: np.ndarray, voiced: np.ndarray, chunk: int = 150) -> None:
    meds = []
    for s in range(0, len(st) - chunk // 2, chunk):
        v = voiced[s : s + chunk]
        if v.sum() >= 20:
            meds.append(np.median(st[s : s + chunk][v]))
    if len(meds) < 4:
        return
    m = np.array(meds)
    c = np.array([m.min(), m.max()])
    for _ in range(20):  # two-means in 1-D
        lab = np.abs(m[:, None] - c[None, :]).argmin(1)
        if lab.min() == lab.max():
            return
        c = np.array([m[lab == 0].mean(), m[lab == 1].mean()])
    spread = np.sqrt(np.mean((m - c[lab]) ** 2)) + 0.5
    gap = abs(c[1] - c[0])
    small = min(np.mean(lab == 0), np.mean(lab == 1))
    if gap > 8.0 and gap > 3.0 * spread and small >= 0.2:
        raise InputError("the voice sample seems to contain more than one speaker "
                         f"(two pitch groups {gap:.0f} semitones apart)",
                         "use a recording of one person only")
